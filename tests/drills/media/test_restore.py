"""Restoring a media version brings back that version's file and renditions; recovering a deleted
item brings back its file; files a version names stay in storage until no version names them."""

from copy import deepcopy
from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.test import Client, TestCase
from django.utils import timezone
from PIL import ExifTags, Image
from reversion.models import Version

from drills.media.orphans import orphaned_files
from drills.models import CueMedia, DrillMedia, Rendition
from tests.admin_forms import admin_form_data
from tests.drills.media import corpus
from tests.factories import image_bytes, make_drill, make_program, stored_files, upload, upload_media
from tests.helpers.pages import admin_url, change_url, first_version, page_text, save_in_admin, version_url
from tests.helpers.scenes import fresh, make_editor, shared_scene

pytestmark = pytest.mark.django_db

FIRST = image_bytes(size=(800, 600), color=(200, 40, 40))
SECOND = image_bytes(size=(500, 400), color=(40, 40, 200), format="PNG")


@pytest.fixture
def public():
    """A reader's client, not signed in (the `client` fixture is the one `signed_in` signs in)."""
    return Client()


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def restore(client, media, version):
    url = version_url(media, version)
    return client.post(url, admin_form_data(client.get(url)), follow=True)


def signed_in_editor():
    """The editor of a shared scene, and a client signed in as them (a scene cannot use `signed_in`)."""
    editor = make_editor()
    client = Client()
    client.force_login(editor)
    return editor, client


@shared_scene(scope="class")
def replaced_photo_scene():
    """A photo in a live drill's gallery, saved in the admin, then given another file in the admin
    (built once for the tests of TestReplacedPhoto), and the editor who did it."""
    editor, client = signed_in_editor()
    media = upload_media(FIRST, alt_text="Heel pull, first photo")
    DrillMedia.objects.create(drill=make_drill(title="Heel pull"), media=media)
    with TestCase.captureOnCommitCallbacks(execute=True):
        save_in_admin(client, media)
        save_in_admin(client, media, file=upload(SECOND, "second.png"), alt_text="Heel pull, second photo")
    media.refresh_from_db()
    assert media.width == 500
    return SimpleNamespace(editor=editor, media=media)


class TestReplacedPhoto:
    @pytest.fixture
    def editor(self, replaced_photo_scene):
        return fresh(replaced_photo_scene.editor)

    @pytest.fixture
    def replaced_photo(self, replaced_photo_scene):
        """The replaced photo, fresh from the database."""
        return fresh(replaced_photo_scene.media)

    def test_a_replaced_file_stays_in_storage_while_a_version_names_it(self, replaced_photo, media_root):
        first_file = first_version(replaced_photo).field_dict["file"]

        assert str(first_file) in stored_files(media_root)

    def test_the_orphan_sweep_spares_files_that_a_version_names(self, replaced_photo):
        first_file = str(first_version(replaced_photo).field_dict["file"])

        found = list(orphaned_files(older_than=timedelta(0), now=timezone.now() + timedelta(days=1)))

        assert first_file not in found

    def test_restoring_the_first_version_serves_its_file_again(
        self, signed_in, public, replaced_photo, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            restore(signed_in, replaced_photo, first_version(replaced_photo))

        replaced_photo.refresh_from_db()
        assert body(public.get(replaced_photo.file.url)) == FIRST
        assert (replaced_photo.width, replaced_photo.height, replaced_photo.alt_text) == (
            800, 600, "Heel pull, first photo",
        )

    def test_restoring_the_first_version_makes_its_renditions_from_its_file(
        self, signed_in, public, replaced_photo, media_root, django_capture_on_commit_callbacks
    ):
        second_renditions = set(replaced_photo.renditions.values_list("file", flat=True))

        with django_capture_on_commit_callbacks(execute=True):
            response = restore(signed_in, replaced_photo, first_version(replaced_photo))

        renditions = list(Rendition.objects.filter(media=replaced_photo))
        assert renditions and not second_renditions & {r.file.name for r in renditions}
        assert second_renditions.isdisjoint(stored_files(media_root))
        widest = max(renditions, key=lambda r: r.width)
        served = Image.open(BytesIO(body(public.get(widest.file.url))))
        assert served.size == (widest.width, widest.height) and widest.width * 600 == widest.height * 800
        assert served.getpixel((5, 5))[0] > 150  # the first photo is red, the second blue
        assert "its renditions are made again from it" in page_text(response)

    def test_the_api_shows_the_restored_file_and_its_renditions(
        self, signed_in, public, replaced_photo, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            restore(signed_in, replaced_photo, first_version(replaced_photo))

        shown = public.get(f"/api/v1/media/{replaced_photo.pk}/").json()
        replaced_photo.refresh_from_db()
        assert (shown["width"], shown["height"]) == (800, 600)
        assert shown["url"].endswith(replaced_photo.file.url)
        assert {r["sha256"] for r in shown["renditions"]} == set(
            Rendition.objects.filter(media=replaced_photo).values_list("sha256", flat=True)
        )

    def test_the_restore_form_shows_the_picture_of_that_version_to_editors_only(
        self, signed_in, public, replaced_photo
    ):
        version = first_version(replaced_photo)
        picture_url = f"/admin/drills/cuemedia/version/{version.pk}/picture/"

        page = signed_in.get(version_url(replaced_photo, version)).content.decode()

        assert f'src="{picture_url}"' in page
        assert body(signed_in.get(picture_url)) == FIRST
        assert public.get(picture_url).status_code == 302  # to the admin's login

    def test_restoring_a_version_whose_file_is_gone_is_refused_and_changes_nothing(self, signed_in, replaced_photo):
        version = first_version(replaced_photo)
        default_storage.delete(str(version.field_dict["file"]))
        before = CueMedia.objects.values_list("file", "alt_text", "width").get()

        response = signed_in.post(version_url(replaced_photo, version), {"alt_text": "Forged"}, follow=True)

        assert CueMedia.objects.values_list("file", "alt_text", "width").get() == before
        assert (
            "The file of this version is no longer stored, so this version cannot be restored."
        ) in page_text(response)


def test_a_restored_photo_is_served_without_private_metadata(signed_in, public, django_capture_on_commit_callbacks):
    media = upload_media(corpus.jpeg_with_gps(), alt_text="Photo taken with a phone")
    DrillMedia.objects.create(drill=make_drill(), media=media)
    with django_capture_on_commit_callbacks(execute=True):
        save_in_admin(signed_in, media)
        save_in_admin(signed_in, media, file=upload(SECOND, "second.png"))
        restore(signed_in, media, first_version(media))

    media.refresh_from_db()
    served = Image.open(BytesIO(body(public.get(media.file.url))))
    assert served.format == "JPEG"
    assert not served.getexif().get_ifd(ExifTags.IFD.GPSInfo)


# --- Recovering deleted media ----------------------------------------------------------------


@shared_scene(scope="class")
def deleted_cover_scene():
    """A live program's cover, saved in the admin, then deleted from the library (built once for the tests
    of TestDeletedCover), and the editor who did it."""
    editor, client = signed_in_editor()
    media = upload_media(FIRST, alt_text="Runner on a box")
    program = make_program(title="Pull strength", cover=media)
    with TestCase.captureOnCommitCallbacks(execute=True):
        save_in_admin(client, program.cover)
        client.post(admin_url(program, "change"), admin_form_data(client.get(change_url(program))))
        client.post(admin_url(media, "delete"), {"post": "yes"})
    assert not CueMedia.objects.exists()
    return SimpleNamespace(editor=editor, media=media, program=program)


class TestDeletedCover:
    @pytest.fixture
    def editor(self, deleted_cover_scene):
        return fresh(deleted_cover_scene.editor)

    @pytest.fixture
    def deleted_cover(self, deleted_cover_scene):
        """The deleted media item (a copy of it: its row is gone) and the program, fresh from the database."""
        program = deleted_cover_scene.program
        return deepcopy(deleted_cover_scene.media), fresh(program)

    def test_deleting_keeps_the_file_a_version_names_and_removes_the_renditions(self, deleted_cover, media_root):
        media, _ = deleted_cover

        assert stored_files(media_root) == [media.file.name]

    def test_a_recovered_media_item_serves_its_file_with_new_renditions(
        self, signed_in, public, deleted_cover, django_capture_on_commit_callbacks
    ):
        media, program = deleted_cover
        version = Version.objects.get_for_object(media).latest("pk")
        url = f"/admin/drills/cuemedia/recover/{version.pk}/"

        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in.post(url, admin_form_data(signed_in.get(url)), follow=True)

        recovered = CueMedia.objects.get(pk=media.pk)
        assert "Recovered “Runner on a box”" in page_text(response)
        assert body(public.get(recovered.file.url)) == FIRST
        assert Rendition.objects.filter(media=recovered).exists()
        cover = public.get(f"/api/v1/programs/{program.slug}/").json()["cover"]
        assert cover["id"] == str(media.pk) and cover["renditions"]

    def test_recovering_media_whose_file_is_gone_is_refused_and_says_so(self, signed_in, deleted_cover):
        media, _ = deleted_cover
        default_storage.delete(media.file.name)
        version = Version.objects.get_for_object(media).latest("pk")

        response = signed_in.post(f"/admin/drills/cuemedia/recover/{version.pk}/", {"alt_text": "x"}, follow=True)

        assert not CueMedia.objects.exists()
        assert (
            "The file of “Runner on a box” is no longer stored, so it cannot be recovered. "
            "Upload the file again as a new media item."
        ) in page_text(response)


def test_restoring_a_version_saved_before_the_media_was_public_keeps_when_it_first_was(signed_in):
    media = upload_media(FIRST, alt_text="Not used yet")
    save_in_admin(signed_in, media)  # a version whose first_public_at is empty
    make_program(cover=media)
    media.refresh_from_db()
    first_public = media.first_public_at
    assert first_public is not None

    restore(signed_in, media, first_version(media))

    media.refresh_from_db()
    assert media.first_public_at == first_public
