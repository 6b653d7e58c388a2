"""Review before publishing: submit with a message, the queue, approve (now or scheduled), request changes."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from reversion.models import Version

from drills.models import Drill
from runcms.publishing import Status
from runcms.review import Outcome, Review
from tests.factories import make_drill

pytestmark = pytest.mark.django_db


def url(drill, view):
    return f"/admin/drills/drill/{drill.pk}/{view}/"


def submitted(client, contributor, django_capture_on_commit_callbacks, message="New cue about the hips"):
    drill = make_drill(status=Status.DRAFT, title="Heel pull")
    client.force_login(contributor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(drill, "submit"), {"message": message})
    return drill


def history_comments(drill):
    versions = Version.objects.get_for_object(drill).select_related("revision__user").order_by("pk")
    return [(version.revision.user.username, version.revision.comment) for version in versions]


def test_submitting_puts_the_draft_in_review_and_tells_the_publishers(
    client, contributor, publisher, django_capture_on_commit_callbacks
):
    drill = submitted(client, contributor, django_capture_on_commit_callbacks)

    review = Review.objects.get()
    assert (review.object_id, review.submitted_by, review.message) == (drill.pk, contributor, "New cue about the hips")
    assert [message.to for message in mail.outbox] == [["publisher@example.com"]]
    assert "New cue about the hips" in mail.outbox[0].body
    assert f"/admin/drills/drill/{drill.pk}/change/" in mail.outbox[0].body
    assert history_comments(drill) == [("contributor", "Submitted for review: “New cue about the hips”")]
    drill.refresh_from_db()
    assert drill.status == Status.DRAFT


def test_the_change_form_offers_submit_for_review_on_a_draft_only_once(client, contributor):
    drill = make_drill(status=Status.DRAFT)
    client.force_login(contributor)

    before = client.get(url(drill, "change")).content.decode()
    client.post(url(drill, "submit"), {"message": ""})
    after = client.get(url(drill, "change")).content.decode()
    again = client.post(url(drill, "submit"), {"message": "twice"})

    assert "Submit for review" in before
    assert "Submit for review" not in after and "Awaiting review" in after
    assert again.status_code == 403
    assert Review.objects.count() == 1


def test_a_live_item_cannot_be_submitted(client, contributor):
    live = make_drill()
    client.force_login(contributor)

    assert client.post(url(live, "submit"), {"message": "x"}).status_code == 403
    assert not Review.objects.exists()


def test_the_dashboard_and_the_list_filter_show_publishers_what_awaits_review(
    client, contributor, publisher, django_capture_on_commit_callbacks
):
    drill = submitted(client, contributor, django_capture_on_commit_callbacks)
    make_drill(status=Status.DRAFT, title="Not submitted")
    contributors_dashboard = client.get("/admin/").content.decode()
    client.force_login(publisher)

    dashboard = client.get("/admin/").content.decode()
    listed = client.get("/admin/drills/drill/", {"review": "awaiting"}).context["cl"].result_list

    assert "Awaiting review" in dashboard and url(drill, "review") in dashboard
    assert "review-queue" not in contributors_dashboard
    assert [item.title for item in listed] == ["Heel pull"]


def test_a_contributor_cannot_review(client, contributor, django_capture_on_commit_callbacks):
    drill = submitted(client, contributor, django_capture_on_commit_callbacks)

    response = client.post(url(drill, "review"), {"decision": "publish"})

    drill.refresh_from_db()
    assert response.status_code == 403
    assert drill.status == Status.DRAFT
    assert Review.objects.awaiting().count() == 1


def test_approving_publishes_now_closes_the_review_and_tells_the_author(
    client, contributor, publisher, django_capture_on_commit_callbacks
):
    drill = submitted(client, contributor, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(publisher)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(drill, "review"), {"decision": "publish", "comment": "Clear and safe."})

    review = Review.objects.get()
    assert client.get(f"/api/v1/drills/{drill.slug}/").status_code == 200
    assert (review.outcome, review.reviewed_by) == (Outcome.APPROVED, publisher)
    assert [message.to for message in mail.outbox] == [["contributor@example.com"]]
    assert history_comments(drill)[-1] == ("publisher", "Approved and published: “Clear and safe.”")


def test_approving_with_a_schedule_publishes_at_that_moment_and_not_before(
    client, contributor, publisher, django_capture_on_commit_callbacks
):
    drill = submitted(client, contributor, django_capture_on_commit_callbacks)
    moment = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    client.force_login(publisher)

    client.post(url(drill, "review"), {"decision": "schedule", "publish_at": timezone.localtime(moment).strftime(
        "%Y-%m-%dT%H:%M")})

    client.logout()
    assert client.get(f"/api/v1/drills/{drill.slug}/").status_code == 404
    with time_machine.travel(moment + timedelta(minutes=1)):
        assert client.get(f"/api/v1/drills/{drill.slug}/").status_code == 200
    assert Drill.objects.get(pk=drill.pk).publish_at == moment


@pytest.mark.parametrize(
    "data, field",
    [
        ({"decision": "changes", "comment": "  "}, "comment"),
        ({"decision": "schedule"}, "publish_at"),
        ({"decision": "schedule", "publish_at": "2001-01-01T10:00"}, "publish_at"),
    ],
    ids=["changes-without-comment", "schedule-without-time", "schedule-in-the-past"],
)
def test_an_incomplete_decision_is_refused_with_a_message_and_changes_nothing(
    client, contributor, publisher, django_capture_on_commit_callbacks, data, field
):
    drill = submitted(client, contributor, django_capture_on_commit_callbacks)
    client.force_login(publisher)

    response = client.post(url(drill, "review"), data)

    drill.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert drill.status == Status.DRAFT
    assert Review.objects.awaiting().count() == 1


def test_requested_changes_reach_the_author_on_the_change_form_and_by_mail(
    client, contributor, publisher, django_capture_on_commit_callbacks
):
    drill = submitted(client, contributor, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(drill, "review"), {"decision": "changes", "comment": "Say which foot goes first."})
    client.force_login(contributor)

    page = client.get(url(drill, "change")).content.decode()

    drill.refresh_from_db()
    assert drill.status == Status.DRAFT
    assert "Changes requested" in page and "Say which foot goes first." in page
    assert "Submit for review" in page  # the author can send it again once changed
    assert "Say which foot goes first." in mail.outbox[0].body and mail.outbox[0].to == ["contributor@example.com"]
    assert history_comments(drill)[-1] == ("publisher", "Changes requested: “Say which foot goes first.”")
