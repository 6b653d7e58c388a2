"""Webhooks: each change announced once, as the event it is, signed, to the endpoints that want it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from runcms import changelog
from runcms.publishing import Status
from runcms.webhooks import tasks
from runcms.webhooks.models import Delivery, DeliveryStatus, Endpoint
from tests.factories import make_category, make_drill, make_program

pytestmark = pytest.mark.django_db


def test_publishing_a_drill_sends_one_signed_published_event(receiver, endpoint, committed):
    with committed():
        drill = make_drill(slug="heel-pull")

    assert len(receiver.received) == 1
    request = receiver.received[0]
    assert request["valid"]
    assert request["headers"]["X-Runcms-Event"] == "published"
    assert receiver.events[0] | {"occurred_at": None, "delivery": None} == {
        "event": "published", "type": "drills", "id": str(drill.pk), "slug": "heel-pull",
        "position": changelog.last_position(), "occurred_at": None, "delivery": None,
        "urls": ["/drills/heel-pull/", "/api/v1/drills/heel-pull/"],
    }
    assert request["headers"]["X-Runcms-Delivery"] == receiver.events[0]["delivery"]


def test_a_signature_made_with_another_secret_does_not_verify(receiver, committed):
    Endpoint.objects.create(name="Impostor", url=receiver.url, secret="not the shared secret")

    with committed():
        make_drill()

    assert [request["valid"] for request in receiver.received] == [False]


def test_edit_unpublish_and_delete_are_each_announced_once(receiver, endpoint, committed):
    with committed():
        drill = make_drill(slug="box-pull")
    with committed():
        drill.title = "Banded heel pull on a box"
        drill.save()
    with committed():
        drill.status = Status.DRAFT
        drill.save()
    with committed():
        drill.status = Status.PUBLISHED
        drill.save()
    with committed():
        drill.delete()
    tasks.dispatch_changes.apply()  # looking again finds nothing new

    assert [(e["event"], e["slug"]) for e in receiver.events if e["type"] == "drills"] == [
        ("published", "box-pull"),
        ("updated", "box-pull"),
        ("unpublished", "box-pull"),
        ("published", "box-pull"),
        ("deleted", "box-pull"),
    ]
    assert all(request["valid"] for request in receiver.received)


def test_renaming_a_category_updates_the_drills_that_show_it(receiver, endpoint, committed):
    with committed():
        drill = make_drill(category=make_category(name="Pull"))
        make_drill(status=Status.DRAFT, category=drill.category)
    receiver.received.clear()

    with committed():
        drill.category.name = "Pull drills"
        drill.category.save()

    assert [(e["event"], e["id"]) for e in receiver.events] == [("updated", str(drill.pk))]


def test_drafts_are_never_announced(receiver, endpoint, committed):
    with committed():
        drill = make_drill(status=Status.DRAFT)
    with committed():
        drill.title = "Still a draft"
        drill.save()

    assert receiver.received == []


def test_an_endpoint_gets_only_its_events_and_content_types(receiver, committed):
    Endpoint.objects.create(
        name="Programs only", url=receiver.url, secret=receiver.secret, events=["published"], collections=["programs"]
    )

    with committed():
        drill = make_drill()
        program = make_program(drills=[drill], slug="pull-strength")
    with committed():
        program.status = Status.DRAFT
        program.save()

    assert [(e["type"], e["event"], e["slug"]) for e in receiver.events] == [
        ("programs", "published", "pull-strength")
    ]


def test_an_inactive_endpoint_gets_nothing(receiver, endpoint, committed):
    endpoint.active = False
    endpoint.save()

    with committed():
        make_drill()

    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_a_scheduled_publish_is_announced_when_its_time_passes_without_a_save(receiver, endpoint, committed):
    publish_at = timezone.now() + timedelta(hours=1)
    with committed():
        drill = make_drill(slug="later", publish_at=publish_at)
    assert receiver.received == []

    with time_machine.travel(publish_at + timedelta(seconds=5), tick=False):
        tasks.check_schedules.apply()
        tasks.check_schedules.apply()

    assert [(e["event"], e["id"]) for e in receiver.events if e["type"] == "drills"] == [("published", str(drill.pk))]


def test_a_scheduled_expiry_is_announced_when_its_time_passes(receiver, endpoint, committed):
    unpublish_at = timezone.now() + timedelta(hours=1)
    with committed():
        make_drill(slug="expiring", unpublish_at=unpublish_at)
    receiver.received.clear()

    with time_machine.travel(unpublish_at + timedelta(seconds=5), tick=False):
        tasks.check_schedules.apply()

    assert [(e["event"], e["slug"]) for e in receiver.events if e["type"] == "drills"] == [
        ("unpublished", "expiring")
    ]


def test_a_failed_delivery_is_retried_with_growing_waits_until_it_is_delivered(receiver, endpoint, committed):
    receiver.statuses = [500, 503]
    start = timezone.now()
    with time_machine.travel(start, tick=False), committed():
        make_drill()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert delivery.next_attempt_at == start + timedelta(seconds=30)
    assert delivery.last_response.startswith("receiver trouble") and len(delivery.last_response) == 1000

    with time_machine.travel(start + timedelta(seconds=29), tick=False):
        tasks.deliver_due.apply()
    assert len(receiver.received) == 1  # not yet due
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        tasks.deliver_due.apply()
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 503)
    assert delivery.next_attempt_at == start + timedelta(seconds=31 + 60)
    with time_machine.travel(start + timedelta(seconds=92), tick=False):
        tasks.deliver_due.apply()
        tasks.deliver_due.apply()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 3, 200)
    assert len(receiver.received) == 3
    assert len({request["headers"]["X-Runcms-Delivery"] for request in receiver.received}) == 1


def test_a_delivery_is_given_up_after_the_last_attempt(receiver, endpoint, committed, settings):
    settings.RUNCMS_WEBHOOK_MAX_ATTEMPTS = 2
    receiver.statuses = [500, 500, 500]
    start = timezone.now()
    with time_machine.travel(start, tick=False), committed():
        make_drill()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        tasks.deliver_due.apply()
    with time_machine.travel(start + timedelta(days=1), tick=False):
        tasks.deliver_due.apply()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)
    assert len(receiver.received) == 2


def test_an_unreachable_endpoint_is_logged_and_retried(settings, committed):
    settings.RUNCMS_WEBHOOK_ALLOW_PRIVATE = True
    Endpoint.objects.create(name="Gone", url="http://127.0.0.1:9/hooks")  # the discard port: refused

    with committed():
        make_drill()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, None)
    assert delivery.last_response.startswith("Could not reach the endpoint")


def test_a_private_address_is_not_called_unless_allowed(receiver, endpoint, committed, settings):
    settings.RUNCMS_WEBHOOK_ALLOW_PRIVATE = False

    with committed():
        make_drill()

    assert receiver.received == []
    assert "private address" in Delivery.objects.get().last_response


def test_a_first_delivery_whose_job_was_lost_is_sent_by_the_periodic_check_after_a_minute(receiver, endpoint):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        waiting = Delivery.objects.create(
            endpoint=endpoint, event="updated", collection="drills", payload={"event": "updated"}, next_attempt_at=start
        )

    with time_machine.travel(start + timedelta(seconds=50), tick=False):
        tasks.deliver_due.apply()
    assert receiver.received == []  # its own job may still be waiting on a busy queue
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        tasks.deliver_due.apply()

    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts, len(receiver.received)) == (DeliveryStatus.DELIVERED, 1, 1)
