"""Draft changes to live content: the public keeps the live version until a publisher publishes the draft."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Version

from drills.models import Drill
from runcms import tasks
from runcms.drafts import DraftChange
from runcms.models import ChangeLog
from runcms.review import Review
from tests.admin_forms import admin_form_data
from tests.api.replica import delta_sync, full_sync
from tests.factories import make_article, make_drill, make_program
from tests.helpers.pages import admin_url, post_admin_form

pytestmark = pytest.mark.django_db


def live_drill():
    return make_drill(title="Heel pull", slug="heel-pull", steps=["Lie face down."], cues=["Hips level"])


def public(slug):
    """What an anonymous reader and an app see of the drill now."""
    reader = Client()
    detail = reader.get(f"/api/v1/drills/{slug}/").json()
    listed = {drill["slug"]: drill for drill in reader.get("/api/v1/drills/").json()["results"]}
    return {
        "api": [step["text"] for step in detail["steps"]],
        "cues": [cue["text"] for cue in detail["cues"]],
        "list": listed[slug]["title"],
        "page": reader.get(f"/drills/{slug}/").content.decode(),
    }


def test_a_contributors_edit_of_a_live_drill_is_a_draft_the_public_does_not_see(client, contributor):
    drill = live_drill()
    replica, token = full_sync(Client())
    client.force_login(contributor)

    response = post_admin_form(client, drill, title="Heel pull, slower", **{"steps-0-text": "Lie face down on a mat."})

    drill.refresh_from_db()
    seen = public("heel-pull")
    _, pages = delta_sync(Client(), replica, token)
    assert response.status_code == 302
    assert drill.title == "Heel pull"
    assert seen["api"] == ["Lie face down."] and seen["list"] == "Heel pull"
    assert "Lie face down." in seen["page"] and "on a mat" not in seen["page"]
    assert not any(page["upserted"]["drills"] for page in pages)
    assert DraftChange.objects.of(drill).exists()


def test_the_form_of_a_drill_with_a_draft_loads_the_draft_and_says_so(client, contributor):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "Lie face down on a mat."})

    page = client.get(admin_url(drill)).content.decode()
    form = admin_form_data(client.get(admin_url(drill)))

    assert "You are editing a draft of the live version" in page
    assert "by contributor" in page
    assert form["steps-0-text"] == "Lie face down on a mat."


def test_a_live_drill_without_a_draft_says_the_form_holds_the_live_version(client, contributor):
    drill = live_drill()
    client.force_login(contributor)

    page = client.get(admin_url(drill)).content.decode()

    assert "You are editing the live version" in page


def test_publishing_the_draft_shows_it_everywhere_and_records_who_published(client, contributor, publisher):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, title="Heel pull, slower",
         **{"steps-0-text": "Lie face down on a mat.", "cues-0-text": "Hips and back level"})
    replica, token = full_sync(Client())
    client.force_login(publisher)

    response = client.post(admin_url(drill, "draft/publish"), {"decision": "publish"})

    seen = public("heel-pull")
    _, pages = delta_sync(Client(), replica, token)
    comments = [v.revision.comment for v in Version.objects.get_for_object(drill).select_related("revision")]
    assert response.status_code == 302
    assert seen["api"] == ["Lie face down on a mat."] and seen["cues"] == ["Hips and back level"]
    assert seen["list"] == "Heel pull, slower" and "on a mat" in seen["page"]
    assert [d["title"] for page in pages for d in page["upserted"]["drills"]] == ["Heel pull, slower"]
    assert "Published draft by publisher" in comments
    assert not DraftChange.objects.of(drill).exists()
    drill.refresh_from_db()
    assert drill.is_live and drill.updated_by == publisher


def test_discarding_the_draft_leaves_the_live_version(client, contributor):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "Lie face down on a mat."})

    client.post(admin_url(drill, "draft/discard"))

    form = admin_form_data(client.get(admin_url(drill)))
    assert form["steps-0-text"] == "Lie face down."
    assert not DraftChange.objects.exists()
    assert public("heel-pull")["api"] == ["Lie face down."]


def test_a_save_made_on_an_older_draft_is_refused(client, contributor, publisher):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "First draft"})
    other = Client()
    other.force_login(publisher)
    stale_form = admin_form_data(other.get(admin_url(drill)))
    post_admin_form(client, drill, **{"steps-0-text": "Second draft"})

    response = other.post(admin_url(drill), {**stale_form, "steps-0-text": "Publisher's words"})

    assert response.status_code == 200
    assert "contributor saved this drill" in response.content.decode()
    form = admin_form_data(client.get(admin_url(drill)))
    assert form["steps-0-text"] == "Second draft"


def test_compare_shows_the_changed_step_and_cue(client, contributor):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "Lie face down on a mat.", "cues-0-text": "Hips and back level"})

    page = client.get(admin_url(drill, "draft/compare")).content.decode()

    assert page.index("Step 1") < page.index("Cue 1")
    assert "Lie face <del>down.</del><ins>down on a mat.</ins>" in page
    assert '<td class="live">Hips level</td>' in page and "Hips <ins>and back </ins>level" in page


def test_compare_shows_a_changed_translation_by_language(client, contributor, languages):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"title_de": "Fersenzug"})

    page = client.get(admin_url(drill, "draft/compare")).content.decode()

    assert "[de]" in page and "Fersenzug" in page


def test_the_draft_preview_shows_the_draft_and_changes_nothing(client, contributor):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "Lie face down on a mat."})
    page = client.get(admin_url(drill)).content.decode()
    link = page.split('class="preview-draft"')[0].rsplit('href="', 1)[1].split('"')[0]
    query = urlsplit(link.replace("&amp;", "&")).query
    logged = ChangeLog.objects.count()

    previewed_page = Client().get(f"/drills/heel-pull/?{query}")
    previewed_api = Client().get(f"/api/v1/drills/heel-pull/?{query}")

    assert "on a mat" in previewed_page.content.decode()
    assert [step["text"] for step in previewed_api.json()["steps"]] == ["Lie face down on a mat."]
    assert "no-store" in previewed_api["Cache-Control"]
    assert ChangeLog.objects.count() == logged
    assert public("heel-pull")["api"] == ["Lie face down."]


@pytest.mark.parametrize("factory", [make_program, make_article])
def test_programs_and_articles_keep_their_live_version_too(client, contributor, publisher, factory):
    item = factory(title="Live title")
    client.force_login(contributor)

    post_admin_form(client, item, title="Draft title")

    item.refresh_from_db()
    assert item.title == "Live title"
    client.force_login(publisher)
    client.post(admin_url(item, "draft/publish"), {"decision": "publish"})
    item.refresh_from_db()
    assert item.title == "Draft title"


def test_a_scheduled_draft_goes_live_by_the_job_at_its_moment(client, contributor, publisher):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "Lie face down on a mat."})
    moment = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    client.force_login(publisher)

    client.post(admin_url(drill, "draft/publish"), {
        "decision": "schedule", "publish_at": timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"),
    })

    with time_machine.travel(moment - timedelta(minutes=1)):
        tasks.publish_due_drafts.apply()
        assert public("heel-pull")["api"] == ["Lie face down."]
    with time_machine.travel(moment + timedelta(seconds=1)):
        tasks.publish_due_drafts.apply()
        assert public("heel-pull")["api"] == ["Lie face down on a mat."]
    assert not DraftChange.objects.exists()


def test_a_contributor_who_changes_an_approved_draft_cancels_its_schedule(client, contributor, publisher):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "Reviewed words"})
    client.force_login(publisher)
    client.post(admin_url(drill, "draft/publish"), {
        "decision": "schedule",
        "publish_at": timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    })
    client.force_login(contributor)

    post_admin_form(client, drill, **{"steps-0-text": "Words nobody reviewed"})

    assert DraftChange.objects.get().publish_at is None


def test_submitting_a_draft_change_for_review_and_approving_it(client, contributor, publisher):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "Lie face down on a mat."})

    client.post(admin_url(drill, "submit"), {"message": "Softer"})
    client.force_login(publisher)
    dashboard = client.get("/admin/").content.decode()
    client.post(admin_url(drill, "review"), {"decision": "publish", "comment": ""})

    assert "changes to live drill" in dashboard
    assert Review.objects.get().outcome == "approved"
    assert public("heel-pull")["api"] == ["Lie face down on a mat."]


# --- Every path a contributor could take to make a draft live ------------------------------------


def drafted(client, contributor):
    drill = live_drill()
    client.force_login(contributor)
    post_admin_form(client, drill, **{"steps-0-text": "Unreviewed words"})
    return drill


def test_a_contributor_cannot_publish_a_draft_by_its_url(client, contributor):
    drill = drafted(client, contributor)

    refused = [
        client.post(admin_url(drill, "draft/publish"), {"decision": "publish"}).status_code,
        client.post(admin_url(drill, "draft/publish"), {
            "decision": "schedule",
            "publish_at": timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        }).status_code,
    ]

    assert refused == [403, 403]
    assert DraftChange.objects.get().publish_at is None
    assert public("heel-pull")["api"] == ["Lie face down."]


def test_a_contributor_cannot_approve_their_own_draft_change(client, contributor):
    drill = drafted(client, contributor)
    client.post(admin_url(drill, "submit"), {"message": "Please"})

    response = client.post(admin_url(drill, "review"), {"decision": "publish"})

    assert response.status_code == 403
    assert public("heel-pull")["api"] == ["Lie face down."]


def test_a_contributors_crafted_status_field_on_a_live_item_is_refused(client, contributor):
    drill = live_drill()
    client.force_login(contributor)

    response = post_admin_form(client, drill, status="published", **{"steps-0-text": "Sneaky"})

    assert response.status_code == 403
    assert not DraftChange.objects.exists()


def test_the_publish_action_does_not_publish_a_draft_change(client, contributor, publisher):
    drill = drafted(client, contributor)

    client.post("/admin/drills/drill/", {"action": "publish_now", "_selected_action": [str(drill.pk)]})
    client.force_login(publisher)
    client.post("/admin/drills/drill/", {"action": "publish_now", "_selected_action": [str(drill.pk)]})

    assert public("heel-pull")["api"] == ["Lie face down."]
    assert DraftChange.objects.exists()


def test_restoring_an_old_version_of_a_live_drill_as_a_contributor_makes_a_draft(client, contributor, publisher):
    drill = live_drill()
    client.force_login(publisher)
    post_admin_form(client, drill)  # a first revision: the live version as it is
    old = Version.objects.get_for_object(drill).first()
    post_admin_form(client, drill, **{"steps-0-text": "Changed"})
    client.post(admin_url(drill, "draft/publish"), {"decision": "publish"})
    client.force_login(contributor)
    url = admin_url(drill, f"history/{old.pk}")

    response = client.post(url, admin_form_data(client.get(url)))

    assert response.status_code == 302
    assert public("heel-pull")["api"] == ["Changed"]
    form = admin_form_data(client.get(admin_url(drill)))
    assert form["steps-0-text"] == "Lie face down."


def test_a_contributor_cannot_discard_someone_elses_draft(client, contributor, publisher, django_user_model):
    drill = live_drill()
    client.force_login(publisher)
    post_admin_form(client, drill, **{"steps-0-text": "The publisher's draft"})
    client.force_login(contributor)

    response = client.post(admin_url(drill, "draft/discard"))

    assert response.status_code == 403
    assert DraftChange.objects.exists()


# --- Query counts ---------------------------------------------------------------------------------


def test_the_change_list_costs_the_same_with_more_drafts(client, publisher):
    client.force_login(publisher)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/drills/drill/").status_code == 200
        return len(captured)

    for _ in range(2):
        post_admin_form(client, live_drill_named(), **{"steps-0-text": "Draft"})
    few = queries()
    for _ in range(4):
        post_admin_form(client, live_drill_named(), **{"steps-0-text": "Draft"})
    many = queries()

    assert "draft change" in client.get("/admin/drills/drill/").content.decode()
    assert many == few


def live_drill_named():
    return make_drill(steps=["Step"], cues=["Cue"])


def test_nothing_of_a_draft_reaches_the_rows(client, contributor):
    drill = drafted(client, contributor)

    assert Drill.objects.get(pk=drill.pk).steps.get().text == "Lie face down."


def test_the_form_of_a_drill_with_a_draft_costs_the_same_with_more_steps(client, contributor):
    client.force_login(contributor)

    def queries(rows):
        drill = make_drill(steps=[f"Step {n}" for n in range(rows)], cues=[f"Cue {n}" for n in range(rows)])
        post_admin_form(client, drill, **{"steps-0-text": "Drafted"})
        with CaptureQueriesContext(connection) as captured:
            assert "Drafted" in client.get(admin_url(drill)).content.decode()
        return len(captured)

    assert queries(8) == queries(2)


def test_a_draft_preview_token_opens_only_the_items_own_page_and_detail(client, contributor):
    drill = drafted(client, contributor)
    page = client.get(admin_url(drill)).content.decode()
    link = page.split('class="preview-draft"')[0].rsplit('href="', 1)[1].split('"')[0]
    query = urlsplit(link.replace("&amp;", "&")).query

    listed = Client().get(f"/api/v1/drills/?{query}").json()["results"]
    synced = Client().get(f"/api/v1/sync/?{query}")

    assert [step["text"] for step in listed[0].get("steps", [])] != ["Unreviewed words"]
    assert "Unreviewed words" not in synced.content.decode()


def test_scheduling_a_draft_in_the_past_is_refused_with_a_message_and_changes_nothing(client, contributor, publisher):
    drill = drafted(client, contributor)
    client.force_login(publisher)

    response = client.post(admin_url(drill, "draft/publish"), {
        "decision": "schedule",
        "publish_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    })

    assert response.status_code == 200
    assert "That time has passed" in response.content.decode()
    assert DraftChange.objects.get().publish_at is None
    assert public("heel-pull")["api"] == ["Lie face down."]


def test_a_drafted_article_stays_out_of_the_feed_sitemap_and_search(client, contributor):
    article = make_article(title="Live words", slug="live-words")
    client.force_login(contributor)

    post_admin_form(
        client, article, title="Unpublished words", slug="unpublished-words", body="Zebraquartz appears here.\n"
    )

    reader = Client()
    assert "Unpublished words" not in reader.get("/feed/").content.decode()
    assert "unpublished-words" not in reader.get("/sitemap.xml").content.decode()
    assert reader.get("/api/v1/articles/", {"search": "Zebraquartz"}).json()["count"] == 0
    assert reader.get("/api/v1/articles/unpublished-words/").status_code == 404
    assert reader.get("/articles/live-words/").status_code == 200


def test_a_publishers_new_unpublish_time_applies_to_the_live_drill_at_once_and_the_text_waits(client, publisher):
    drill = live_drill()
    client.force_login(publisher)
    end = timezone.localtime(timezone.now() + timedelta(days=30))

    post_admin_form(client, drill, **{
        "steps-0-text": "Lie face down on a mat.",
        "unpublish_at_0": end.strftime("%Y-%m-%d"), "unpublish_at_1": end.strftime("%H:%M:%S"),
    })

    drill.refresh_from_db()
    assert drill.unpublish_at is not None and drill.is_live
    assert public("heel-pull")["api"] == ["Lie face down."]
    assert DraftChange.objects.of(drill).exists()


def test_a_publisher_who_takes_a_live_drill_offline_in_its_form_saves_the_rows(client, publisher):
    drill = live_drill()
    client.force_login(publisher)

    post_admin_form(client, drill, status="draft", **{"steps-0-text": "Reworked offline"})

    drill.refresh_from_db()
    assert not drill.is_live
    assert drill.steps.get().text == "Reworked offline"
    assert not DraftChange.objects.exists()
