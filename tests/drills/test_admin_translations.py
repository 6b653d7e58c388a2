"""Translating in the admin: a section per published language besides the default, with its status."""

import pytest

from drills.models import Drill
from tests.admin_forms import admin_form_data
from tests.api.content import small_media
from tests.factories import make_drill

pytestmark = pytest.mark.django_db


def change_url(drill):
    return f"/admin/drills/drill/{drill.pk}/change/"


def test_an_editor_translates_a_drill_and_its_steps_into_german(client, editor, languages):
    drill = make_drill(title="Heel pull", steps=["Lie face down."])
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(drill)))

    response = client.post(
        change_url(drill), {**form, "title_de": "Fersenzug", "steps-0-text_de": "Leg dich auf den Bauch."}
    )
    # A live drill's edit is a draft change until it is published.
    client.post(f"/admin/drills/drill/{drill.pk}/draft/publish/", {"decision": "publish"})

    assert response.status_code == 302
    drill = Drill.objects.get(pk=drill.pk)
    assert (drill.title_en, drill.title_de) == ("Heel pull", "Fersenzug")
    assert drill.steps.get().text_de == "Leg dich auf den Bauch."
    assert client.get(f"/api/v1/drills/{drill.slug}/", {"lang": "de"}).json()["title"] == "Fersenzug"


def test_the_form_shows_a_section_per_language_with_its_status(client, editor, languages):
    drill = make_drill(title="Heel pull", title_de="Fersenzug")
    client.force_login(editor)

    page = client.get(change_url(drill)).content.decode()

    assert "German (de)" in page and "Translation status: up to date" in page
    assert "Translation status: missing" in page  # the Chinese ones
    assert 'name="title_en"' not in page  # the default language is edited as `title`


def test_with_one_language_the_form_has_no_translation_sections(client, editor):
    drill = make_drill(title="Heel pull")
    client.force_login(editor)

    page = client.get(change_url(drill)).content.decode()

    assert "Translation status" not in page and 'name="title_de"' not in page


def save_in_admin(client, drill, **changes):
    form = admin_form_data(client.get(change_url(drill)))
    response = client.post(change_url(drill), {**form, **changes})
    assert response.status_code == 302, response.content
    return Drill.objects.get(pk=drill.pk)


def test_a_translation_is_outdated_once_the_default_text_changes_after_it(client, editor, languages):
    drill = make_drill(title="Heel pull")
    client.force_login(editor)
    drill = save_in_admin(client, drill, title_de="Fersenzug")
    up_to_date = client.get(change_url(drill)).content.decode()

    save_in_admin(client, drill, summary="Pull the heel to the hip, slowly.")

    assert "German (de)" in up_to_date and "Translation status: up to date" in up_to_date
    assert "Translation status: outdated" in client.get(change_url(drill)).content.decode()


def test_the_list_filters_drills_that_need_a_translation_into_german(client, editor, languages):
    make_drill(title="Heel pull", title_de="Fersenzug")
    untranslated = make_drill(title="Box bounce")
    client.force_login(editor)

    page = client.get("/admin/drills/drill/", {"needs_translation": "de"}).content.decode()

    assert untranslated.title in page and "Heel pull" not in page


def test_media_without_history_shows_its_translation_status(client, editor, languages):
    media = small_media(alt_text="A runner", alt_text_de="Ein Läufer")
    client.force_login(editor)

    page = client.get(f"/admin/drills/cuemedia/{media.pk}/change/").content.decode()

    assert "German (de)" in page and "Translation status: up to date" in page
