"""Translating in Chromium: an editor opens a drill, switches to the German tab, translates, saves; the
API, sync and the German page serve it, with untranslated text falling back marked lang="en"; the
status follows the English text, and the list's filter finds what needs translating."""

import re

import pytest
from django.test import Client

from tests.factories import make_drill, make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    # A Content-Security-Policy refusal shows as a console error.
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


def save_and_continue(page):
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")


def publish_the_draft(page):
    """The drill is live, so a save keeps a draft change: the publisher publishes it."""
    page.click("a.publish-draft")
    page.click("#publish-draft-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")


def status_of(page, code):
    item = page.locator(f".runcms-translation-status [data-runcms-translation='{code}']")
    return item.get_attribute("data-runcms-status")


def test_an_editor_translates_a_drill_on_the_german_tab(live_server, browser, editor, languages):
    drill = make_drill(
        title="Heel pull on your back", slug="heel-pull", summary="Pull the heel to the hip.",
        steps=["Lie on your back.", "Pull the heel in."],
    )
    page = log_in(browser, live_server)
    page.goto(f"{live_server.url}/admin/drills/drill/{drill.pk}/change/")
    assert page.locator("#id_title").is_visible() and not page.locator("#id_title_de").is_visible()

    page.click(".runcms-lang-tabs button[data-runcms-tab=de]")
    assert page.locator("#id_title_de").is_visible() and page.locator("#id_steps-0-text_de").is_visible()
    assert page.locator("#id_title").is_visible() and page.locator("#id_title").get_attribute("readonly") is not None
    assert not page.locator("#id_title_zh_hans").is_visible()
    assert page.locator("#id_title_de").get_attribute("placeholder") == "Heel pull on your back"
    page.fill("#id_title_de", "Fersenzug in Rückenlage")
    page.fill("#id_steps-0-text_de", "Leg dich auf den Rücken.")
    save_and_continue(page)

    assert page.locator("#id_title_de").is_visible()  # the German tab stays open
    publish_the_draft(page)
    assert status_of(page, "de") == "up to date" and status_of(page, "zh-hans") == "missing"
    assert "up to date" in page.locator(".runcms-lang-tabs button[data-runcms-tab=de]").inner_text()
    client = Client()
    assert client.get("/api/v1/drills/heel-pull/", {"lang": "de"}).json()["title"] == "Fersenzug in Rückenlage"
    by_header = client.get("/api/v1/drills/heel-pull/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert [step["text"] for step in by_header["steps"]] == ["Leg dich auf den Rücken.", "Pull the heel in."]
    synced = client.get("/api/v1/sync/", {"lang": "de"}).json()["upserted"]["drills"]
    assert [(item["title"], item["language"]) for item in synced] == [("Fersenzug in Rückenlage", "de")]
    german_page = client.get("/de/drills/heel-pull/").content.decode()
    assert "<h1>Fersenzug in Rückenlage</h1>" in german_page
    assert re.search(r'<li id="step-1"><p>Leg dich auf den Rücken.</p>', german_page)
    assert re.search(r'<li id="step-2" lang="en"><p>Pull the heel in.</p>', german_page)
    assert '<p class="lede" lang="en">Pull the heel to the hip.</p>' in german_page

    page.click(".runcms-lang-tabs button[data-runcms-tab=en]")
    page.fill("#id_title", "Heel pull lying on your back")
    save_and_continue(page)
    publish_the_draft(page)

    assert status_of(page, "de") == "outdated"
    page.goto(f"{live_server.url}/admin/drills/drill/")
    page.click("#changelist-filter a[href='?needs_translation=de']")
    page.wait_for_url("**needs_translation=de")
    assert page.locator("#result_list .field-title").all_inner_texts() == ["Heel pull lying on your back"]
    assert page.problems == []


def test_without_javascript_every_language_shows(live_server, browser, editor, languages):
    drill = make_drill(title="Heel pull", steps=["Lie on your back."])
    page = log_in(browser, live_server, java_script_enabled=False)

    page.goto(f"{live_server.url}/admin/drills/drill/{drill.pk}/change/")

    assert page.locator(".runcms-lang-tabs").count() == 0
    for name in ("title", "title_de", "title_zh_hans", "steps-0-text", "steps-0-text_de"):
        assert page.locator(f"#id_{name}").is_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_german_tab_of_a_drill_and_a_program_fits_the_screen(live_server, browser, editor, languages, width):
    drill = make_drill(title="Heel pull", steps=["Lie face down and pull the heel toward the hip, slowly."],
                       cues=["Hips level"])
    program = make_program(drills=[drill])
    page = log_in(browser, live_server, viewport={"width": width, "height": 900})

    for obj in (drill, program):
        page.goto(f"{live_server.url}/admin/drills/{obj._meta.model_name}/{obj.pk}/change/")
        page.click(".runcms-lang-tabs button[data-runcms-tab=de]")

        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), obj
        # The drill's steps and cues fit at 1280 px; a program's row, already full, scrolls inside its box
        # (as every inline table does at 390 px), never the page.
        if width == 1280 and obj is drill:
            assert page.evaluate(
                "Array.from(document.querySelectorAll('.inline-group fieldset.module'))"
                ".every(box => box.scrollWidth <= box.clientWidth)"
            ), obj
    assert page.problems == []
