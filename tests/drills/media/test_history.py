"""A drill's history stays readable and restorable after media it once used is deleted."""

import html
from types import SimpleNamespace

import pytest
from django.test import Client

from drills.media import storage
from drills.models import Cue, CueMedia, DrillMedia, Step
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.drills.media import corpus
from tests.factories import make_drill, make_program, upload_media
from tests.helpers.pages import admin_url, change_url, first_version, save_in_admin, version_url
from tests.helpers.scenes import fresh, make_editor, shared_scene

pytestmark = pytest.mark.django_db


@shared_scene(scope="class")
def deleted_media_scene():
    """Revision 1 has a photo in the gallery, a step picture and a cue's audio; revision 2 has
    none of them and a new title; then all three are deleted from the library (built once for
    the tests of TestDrillWhoseMediaWasDeleted), and the editor who saved it."""
    editor = make_editor()
    client = Client()
    client.force_login(editor)
    photo = upload_media(title="Heel pull photo")
    step_picture = upload_media(title="Step picture")
    audio = upload_media(corpus.mp3(), filename="cue.mp3", title="Spoken cue")
    # Unpublished: a live drill's saves would be kept as its draft change, not as revisions.
    drill = make_drill(title="Heel pull", steps=["Lie face down."], cues=["Hips level"], status=Status.DRAFT)
    DrillMedia.objects.create(drill=drill, media=photo, position=1)
    Step.objects.filter(drill=drill).update(media=step_picture)
    Cue.objects.filter(drill=drill).update(audio=audio)
    save_in_admin(client, drill)
    save_in_admin(client, drill, **{
        "title": "Heel pull, renamed", "media_links-0-DELETE": "on", "steps-0-media": "", "cues-0-audio": "",
    })
    for media in (photo, step_picture, audio):
        storage.delete_media(media)
    return SimpleNamespace(editor=editor, drill=drill)


class TestDrillWhoseMediaWasDeleted:
    @pytest.fixture
    def editor(self, deleted_media_scene):
        return fresh(deleted_media_scene.editor)

    @pytest.fixture
    def drill_whose_first_version_used_deleted_media(self, deleted_media_scene, client, editor):
        """The scene's drill, fresh from the database, and the test client signed in as its editor."""
        client.force_login(editor)
        return fresh(deleted_media_scene.drill)

    def test_history_of_a_version_with_since_deleted_media_opens(
        self, client, drill_whose_first_version_used_deleted_media
    ):
        drill = drill_whose_first_version_used_deleted_media

        response = client.get(version_url(drill, first_version(drill)))

        assert response.status_code == 200

    def test_the_old_version_says_its_media_is_gone(self, client, drill_whose_first_version_used_deleted_media):
        drill = drill_whose_first_version_used_deleted_media

        page = html.unescape(client.get(version_url(drill, first_version(drill))).content.decode())

        assert "deleted from the library since (1 gallery item, 1 step picture, 1 cue audio)" in page

    def test_restoring_it_brings_back_the_text_without_the_deleted_media(
        self, client, drill_whose_first_version_used_deleted_media
    ):
        drill = drill_whose_first_version_used_deleted_media
        url = version_url(drill, first_version(drill))

        response = client.post(url, admin_form_data(client.get(url)))

        drill.refresh_from_db()
        assert response.status_code == 302
        assert drill.title == "Heel pull"
        assert not DrillMedia.objects.filter(drill=drill).exists()
        assert list(drill.steps.values_list("text", "media")) == [("Lie face down.", None)]
        assert list(drill.cues.values_list("text", "audio")) == [("Hips level", None)]
        assert not CueMedia.objects.exists()


# A program's items point at drills the same way; a drill can be deleted once no program lists it.


def test_history_of_a_program_version_listing_a_since_deleted_drill_opens(client, editor):
    client.force_login(editor)
    kept, deleted = make_drill(title="Kept drill"), make_drill(title="Deleted drill")
    program = make_program(drills=[kept, deleted], status=Status.DRAFT)
    url = change_url(program)
    client.post(url, admin_form_data(client.get(url)))
    client.post(url, {**admin_form_data(client.get(url)), "items-1-DELETE": "on"})
    client.post(admin_url(deleted, "delete"), {"post": "yes"})
    version = first_version(program)

    response = client.get(version_url(program, version))

    assert response.status_code == 200
    assert "2. deleted drill" in html.unescape(response.content.decode())
