"""Translating in the admin: each field's inputs in every language together (tabs in a browser), the
status per language, and the filter "needs translation into"."""

import html
import re

import pytest

from drills.models import Drill
from tests.admin_forms import admin_form_data
from tests.api.content import small_media
from tests.factories import make_article, make_drill
from tests.helpers.pages import publish_draft, save_in_admin

pytestmark = pytest.mark.django_db


def change_url(drill):
    return f"/admin/drills/drill/{drill.pk}/change/"


def status(page, code):
    found = re.search(rf'<li data-runcms-translation="{code}" data-runcms-status="([^"]+)">', page)
    return found and found.group(1)


def save_and_publish(client, drill, **changes):
    """Save the drill's form with `changes` and publish the draft change it keeps of a live drill."""
    save_in_admin(client, drill, **changes)
    publish_draft(client, drill)
    return Drill.objects.get(pk=drill.pk)


def needing_translation(client, code="de"):
    """The titles the drill list shows with the filter "needs translation into" `code`."""
    page = client.get("/admin/drills/drill/", {"needs_translation": code}).content.decode()
    return re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', page)


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


def test_the_form_shows_the_status_of_each_language(client, editor, languages):
    drill = make_drill(title="Heel pull", title_de="Fersenzug")
    client.force_login(editor)

    page = client.get(change_url(drill)).content.decode()

    assert status(page, "de") == "up to date"
    assert status(page, "zh-hans") == status(page, "zh-hant") == "missing"
    assert 'name="title_en"' not in page  # the default language is edited as `title`


def test_each_fields_inputs_in_every_language_stand_together_marked_with_their_language(client, editor, languages):
    drill = make_drill(title="Heel pull", steps=["Lie face down."])
    client.force_login(editor)

    page = client.get(change_url(drill)).content.decode()

    rows = re.findall(r'<div class="form-row[^"]* field-((?:title|slug)\w*)">', page)
    assert rows == ["title", "title_de", "title_zh_hans", "title_zh_hant", "slug"]
    assert re.findall(r'<th class="column-(text\w*)', page)[:4] == ["text", "text_de", "text_zh_hans", "text_zh_hant"]
    assert re.search(r'<input [^>]*name="title_de"[^>]* lang="de" data-runcms-lang="de"', page)
    assert re.search(r'<textarea [^>]*name="steps-0-text_de"[^>]* lang="de" data-runcms-lang="de"', page)


def test_with_one_language_the_form_has_no_translation_inputs(client, editor):
    drill = make_drill(title="Heel pull")
    client.force_login(editor)

    page = client.get(change_url(drill)).content.decode()

    assert "runcms-translation-status" not in page and 'name="title_de"' not in page


def test_an_article_is_translated_body_included(client, editor, languages):
    article = make_article(title="The pull", body="Pull the foot back.")
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    form = admin_form_data(client.get(url))

    response = client.post(url, {**form, "title_de": "Der Zug", "body_de": "Den **Fuß** zurückziehen."})

    assert response.status_code == 302
    publish_draft(client, article)
    article.refresh_from_db()
    assert article.title_de == "Der Zug" and "<strong>Fuß</strong>" in article.body_html_de


def test_a_translation_is_outdated_once_the_default_text_changes_after_it(client, editor, languages):
    drill = make_drill(title="Heel pull")
    client.force_login(editor)
    drill = save_and_publish(client, drill, title_de="Fersenzug")
    up_to_date = client.get(change_url(drill)).content.decode()

    save_and_publish(client, drill, summary="Pull the heel to the hip, slowly.")

    assert status(up_to_date, "de") == "up to date"
    assert status(client.get(change_url(drill)).content.decode(), "de") == "outdated"


def test_a_changed_step_makes_the_translation_outdated(client, editor, languages):
    drill = make_drill(title="Heel pull", steps=["Lie face down."])
    client.force_login(editor)
    drill = save_and_publish(client, drill, title_de="Fersenzug", **{"steps-0-text_de": "Leg dich hin."})

    save_and_publish(client, drill, **{"steps-0-text": "Lie face down on a mat."})

    assert status(client.get(change_url(drill)).content.decode(), "de") == "outdated"


def test_translating_again_brings_it_up_to_date(client, editor, languages):
    drill = make_drill(title="Heel pull")
    client.force_login(editor)
    drill = save_and_publish(client, drill, title_de="Fersenzug")
    drill = save_and_publish(client, drill, title="Heel pull on your back")

    save_and_publish(client, drill, title_de="Fersenzug in Rückenlage")

    assert status(client.get(change_url(drill)).content.decode(), "de") == "up to date"
    assert needing_translation(client) == []


def test_the_list_filters_drills_that_need_a_translation_into_german(client, editor, languages):
    make_drill(title="Heel pull", title_de="Fersenzug")
    untranslated = make_drill(title="Box bounce")
    client.force_login(editor)

    assert needing_translation(client) == [untranslated.title]


def test_the_filter_lists_a_drill_whose_translation_is_outdated(client, editor, languages):
    drill = make_drill(title="Heel pull")
    client.force_login(editor)
    drill = save_and_publish(client, drill, title_de="Fersenzug")
    before = needing_translation(client)

    save_and_publish(client, drill, title="Heel pull on your back")

    assert before == [] and needing_translation(client) == ["Heel pull on your back"]


@pytest.mark.parametrize("url", [
    "/admin/drills/program/", "/admin/articles/article/", "/admin/drills/cuemedia/", "/admin/drills/category/",
    "/admin/drills/muscle/", "/admin/drills/equipment/", "/admin/articles/topic/",
])
def test_every_translated_list_has_the_filter(client, editor, languages, url):
    client.force_login(editor)

    page = client.get(url).content.decode()

    assert "needs translation into" in page and "?needs_translation=de" in page


def test_media_without_history_shows_its_translation_status(client, editor, languages):
    media = small_media(alt_text="A runner", alt_text_de="Ein Läufer")
    client.force_login(editor)

    page = client.get(f"/admin/drills/cuemedia/{media.pk}/change/").content.decode()

    assert status(page, "de") == "up to date"


def test_a_german_body_gets_the_checks_of_the_english_one(client, editor, languages):
    article = make_article(title="The pull", body="Pull the foot back.")
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    form = admin_form_data(client.get(url))

    too_long = client.post(url, {**form, "body_de": "x" * 200_001})
    missing_drill = client.post(url, {**form, "body_de": "Siehe:\n\n[[drill:no-such-drill]]"})

    assert too_long.status_code == missing_drill.status_code == 200  # the form again, with the reason
    assert "characters; at most" in too_long.content.decode()
    assert "Line 3: there is no drill at “no-such-drill”" in html.unescape(missing_drill.content.decode())
    article.refresh_from_db()
    assert article.body_de in (None, "")
