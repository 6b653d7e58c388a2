"""The review flow in Chromium: a contributor submits, a publisher asks for a change, then
approves with a schedule; the public sees the drill only from that moment."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from runcms.publishing import Status
from tests.factories import make_drill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, username):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


def public_surfaces(slug):
    client = Client()
    sync = client.get("/api/v1/sync/").json()
    return {
        "api": client.get(f"/api/v1/drills/{slug}/").status_code,
        "page": client.get(f"/drills/{slug}/").status_code,
        "sync": [drill["slug"] for drill in sync["upserted"]["drills"]],
    }


def test_a_contributor_submits_a_publisher_requests_a_change_then_schedules_it(
    live_server, browser, contributor, publisher
):
    drill = make_drill(status=Status.DRAFT, title="Heel pull", slug="heel-pull", cues=["Hips level"])
    change_url = f"{live_server.url}/admin/drills/drill/{drill.pk}/change/"
    author = log_in(browser, live_server, "contributor")
    author.goto(change_url)
    assert author.locator(".field-status .readonly").inner_text() == "Draft"
    author.fill("#id_cues-0-text", "Keep your hips and back level")
    author.click("input[name=_continue]")
    author.wait_for_selector(".messagelist .success")
    author.click("text=Submit for review")
    author.fill("#id_message", "Clearer cue")
    author.click("#submit-for-review input[type=submit]")
    author.wait_for_selector(".review-status")
    assert "Awaiting review" in author.locator(".review-status").inner_text()

    reviewer = log_in(browser, live_server, "publisher")
    reviewer.click("#review-queue a:has-text('Heel pull')")
    assert "Clearer cue" in reviewer.locator(".review-message").inner_text()
    reviewer.check("input[name=decision][value=changes]")
    reviewer.fill("#id_comment", "Say which foot goes first.")
    reviewer.click("#review-form input[type=submit]")
    reviewer.wait_for_selector(".messagelist .success")

    author.goto(change_url)
    assert "Say which foot goes first." in author.locator(".review-status").inner_text()
    author.fill("#id_steps-0-text", "Start with the left foot on the box.")
    author.click("input[name=_continue]")
    author.wait_for_selector(".messagelist .success")
    author.click("text=Submit for review")
    author.click("#submit-for-review input[type=submit]")
    author.wait_for_selector(".review-status")

    moment = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    reviewer.goto(f"{live_server.url}/admin/")
    reviewer.click("#review-queue a:has-text('Heel pull')")
    reviewer.check("input[name=decision][value=schedule]")
    reviewer.fill("#id_publish_at", timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"))
    reviewer.click("#review-form input[type=submit]")
    reviewer.wait_for_selector(".messagelist .success")
    assert "Approved" in reviewer.locator(".review-status").inner_text()

    assert public_surfaces("heel-pull") == {"api": 404, "page": 404, "sync": []}
    with time_machine.travel(moment + timedelta(minutes=1)):
        assert public_surfaces("heel-pull") == {"api": 200, "page": 200, "sync": ["heel-pull"]}
    assert author.console_errors == [] and reviewer.console_errors == []
