"""Draft changes to live media in Chromium: a contributor rewrites the alt text of a picture a live
drill shows and submits it; a publisher compares and publishes it; the public sees it only then."""

import pytest
from django.test import Client

from drills.models import DrillMedia
from tests.factories import image_bytes, make_drill, upload_media
from tests.pages.test_review_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_ALT = "Runner lying face down pulling one heel to the hip"
NEW_ALT = "Runner on a mat pulling the left heel to the hip"


def public_alt(media):
    client = Client()
    return {
        "api": client.get(f"/api/v1/media/{media.pk}/").json()["alt_text"],
        "drill": client.get("/api/v1/drills/heel-pull/").json()["media"][0]["alt_text"],
    }


def test_a_contributor_rewrites_live_alt_text_and_a_publisher_publishes_it(
    live_server, browser, contributor, publisher, media_root
):
    media = upload_media(image_bytes(size=(800, 600)), alt_text=OLD_ALT)
    DrillMedia.objects.create(drill=make_drill(slug="heel-pull"), media=media, position=1)
    change_url = f"{live_server.url}/admin/drills/cuemedia/{media.pk}/change/"

    author = log_in(browser, live_server, "contributor")
    author.goto(change_url)
    assert "You are editing the live version" in author.locator(".draft-status").inner_text()
    assert "only a publisher can replace its file" in author.content()
    author.fill("#id_alt_text", NEW_ALT)
    author.click("input[name=_continue]")
    author.wait_for_selector(".messagelist .success")
    assert "You are editing a draft of the live version" in author.locator(".draft-status").inner_text()
    assert author.input_value("#id_alt_text") == NEW_ALT
    assert public_alt(media) == {"api": OLD_ALT, "drill": OLD_ALT}
    author.click("text=Submit for review")
    author.click("#submit-for-review input[type=submit]")
    author.wait_for_selector(".review-status")

    reviewer = log_in(browser, live_server, "publisher")
    reviewer.goto(change_url)
    assert "A new file or poster goes live at once" in reviewer.content()
    reviewer.click("a.compare-draft")
    assert "the left heel" in reviewer.locator("#draft-changes").inner_text()
    reviewer.go_back()
    reviewer.click("a.publish-draft")
    reviewer.click("#publish-draft-form input[type=submit]")
    reviewer.wait_for_selector(".messagelist .success")

    assert public_alt(media) == {"api": NEW_ALT, "drill": NEW_ALT}
    assert not author.console_errors and not reviewer.console_errors
