"""Draft changes in Chromium: a contributor changes a live drill and submits it, a publisher compares
and asks for a change, the contributor fixes it, the publisher approves with a schedule; the public
keeps the live version until that moment."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from runcms import tasks
from tests.factories import make_drill
from tests.pages.test_review_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_text(slug):
    client = Client()
    detail = client.get(f"/api/v1/drills/{slug}/").json()
    sync = client.get("/api/v1/sync/").json()
    synced = next(drill for drill in sync["upserted"]["drills"] if drill["slug"] == slug)
    return {
        "api": [step["text"] for step in detail["steps"]] + [cue["text"] for cue in detail["cues"]],
        "sync": [step["text"] for step in synced["steps"]] + [cue["text"] for cue in synced["cues"]],
        "page": "on a mat" in client.get(f"/drills/{slug}/").content.decode(),
    }


OLD = {"api": ["Lie face down.", "Hips level"], "sync": ["Lie face down.", "Hips level"], "page": False}
NEW = {
    "api": ["Lie face down on a mat.", "Keep hips and back level"],
    "sync": ["Lie face down on a mat.", "Keep hips and back level"],
    "page": True,
}


def test_a_contributor_changes_a_live_drill_and_a_publisher_schedules_it(live_server, browser, contributor, publisher):
    drill = make_drill(title="Heel pull", slug="heel-pull", steps=["Lie face down."], cues=["Hips level"])
    change_url = f"{live_server.url}/admin/drills/drill/{drill.pk}/change/"
    author = log_in(browser, live_server, "contributor")
    author.goto(change_url)
    assert "You are editing the live version" in author.locator(".draft-status").inner_text()
    author.fill("#id_steps-0-text", "Lie face down on a mat.")
    author.click("input[name=_continue]")
    author.wait_for_selector(".messagelist .success")
    assert "You are editing a draft of the live version" in author.locator(".draft-status").inner_text()
    assert public_text("heel-pull") == OLD
    author.click("text=Submit for review")
    author.fill("#id_message", "Softer start")
    author.click("#submit-for-review input[type=submit]")
    author.wait_for_selector(".review-status")

    reviewer = log_in(browser, live_server, "publisher")
    queue = reviewer.locator("#review-queue tr:has-text('Heel pull')").inner_text()
    assert "changes to live drill" in queue
    reviewer.click("#review-queue a:has-text('Heel pull')")
    reviewer.click("a.compare-draft")
    changed = reviewer.locator("#draft-changes").inner_text()
    assert "step 1" in changed.lower() and "on a mat" in changed
    reviewer.go_back()
    reviewer.check("input[name=decision][value=changes]")
    reviewer.fill("#id_comment", "Also say what to keep level.")
    reviewer.click("#review-form input[type=submit]")
    reviewer.wait_for_selector(".messagelist .success")

    author.goto(change_url)
    assert "Also say what to keep level." in author.locator(".review-status").inner_text()
    assert author.input_value("#id_steps-0-text") == "Lie face down on a mat."
    author.fill("#id_cues-0-text", "Keep hips and back level")
    author.click("input[name=_continue]")
    author.wait_for_selector(".messagelist .success")
    author.click("text=Submit for review")
    author.click("#submit-for-review input[type=submit]")
    author.wait_for_selector(".review-status")

    moment = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    reviewer.goto(f"{live_server.url}/admin/")
    reviewer.click("#review-queue a:has-text('Heel pull')")
    reviewer.click("a.compare-draft")
    assert "Keep hips and back level" in reviewer.locator("#draft-changes").inner_text()
    reviewer.go_back()
    reviewer.check("input[name=decision][value=schedule]")
    reviewer.fill("#id_publish_at", timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"))
    reviewer.click("#review-form input[type=submit]")
    reviewer.wait_for_selector(".messagelist .success")
    assert "scheduled to go live" in reviewer.locator(".draft-status").inner_text()

    tasks.publish_due_drafts.apply()
    assert public_text("heel-pull") == OLD
    with time_machine.travel(moment + timedelta(seconds=30)):
        tasks.publish_due_drafts.apply()
        assert public_text("heel-pull") == NEW
    assert author.console_errors == [] and reviewer.console_errors == []
