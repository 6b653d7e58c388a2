"""Webhooks and jobs in the admin: endpoints, "Send test", the delivery log, the jobs' results."""

import json

import pytest
from django.urls import reverse

from runcms.jobs import Job, app
from runcms.webhooks.models import Delivery, DeliveryStatus, Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, editor):
    client.force_login(editor)
    return client


def _endpoint_form(**fields):
    return {
        "name": "CDN purge", "url": "https://hooks.example.com/purge", "active": "on",
        "events": ["published", "unpublished"], "secret": "s3cret", **fields,
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.com/", "Use an http:// or https:// address."),
        ("http://127.0.0.1:8000/admin/", "is a private address"),
        ("http://10.1.2.3/hooks", "is a private address"),
        ("http://[::1]/hooks", "is a private address"),
        ("https://user:pass@hooks.example.com/", "Leave the user name and password out"),
    ],
)
def test_an_endpoint_url_that_could_reach_inside_is_refused(admin, url, message):
    response = admin.post(reverse("admin:webhooks_endpoint_add"), _endpoint_form(url=url))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Endpoint.objects.exists()


def test_an_editor_adds_an_endpoint_for_some_events_and_content_types(admin, settings):
    settings.RUNCMS_WEBHOOK_ALLOW_PRIVATE = True  # example.com's address is not looked up the same everywhere

    response = admin.post(
        reverse("admin:webhooks_endpoint_add"),
        _endpoint_form(url="http://127.0.0.1:9/purge", collections=["drills", "articles"]),
    )

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert (endpoint.events, endpoint.collections) == (["published", "unpublished"], ["drills", "articles"])
    assert endpoint.wants("drills", "published") and not endpoint.wants("programs", "published")


def test_a_new_endpoint_comes_with_a_long_random_secret(admin):
    page = admin.get(reverse("admin:webhooks_endpoint_add")).content.decode()

    assert page.count('name="secret"') == 1
    first, second = Endpoint().secret, Endpoint().secret
    assert first != second and len(first) >= 40


def test_send_test_delivers_a_signed_test_event_and_says_what_the_endpoint_answered(admin, receiver, endpoint):
    change = reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    assert "Send test" in admin.get(change).content.decode()

    response = admin.post(reverse("admin:webhooks_endpoint_send_test", args=[endpoint.pk]), follow=True)

    assert "The test event was delivered: the endpoint answered 200." in response.content.decode()
    assert [e["event"] for e in receiver.events] == ["test"] and receiver.received[0]["valid"]
    log = admin.get(reverse("admin:webhooks_delivery_changelist")).content.decode()
    assert "Delivered" in log and "test" in log


def test_send_test_to_a_failing_endpoint_says_so_and_logs_the_answer(admin, receiver, endpoint):
    receiver.statuses = [502]

    response = admin.post(reverse("admin:webhooks_endpoint_send_test", args=[endpoint.pk]), follow=True)

    assert "The test event was not delivered: the endpoint answered 502." in response.content.decode()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, 502)
    detail = admin.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk])).content.decode()
    assert "502" in detail and "receiver trouble" in detail


def test_send_test_is_refused_without_post(admin, receiver, endpoint):
    admin.get(reverse("admin:webhooks_endpoint_send_test", args=[endpoint.pk]))

    assert receiver.received == [] and not Delivery.objects.exists()


def test_sending_a_failed_delivery_again_from_the_log(admin, receiver, endpoint):
    receiver.statuses = [500]
    admin.post(reverse("admin:webhooks_endpoint_send_test", args=[endpoint.pk]))
    delivery = Delivery.objects.get()

    admin.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "send_again", "_selected_action": [str(delivery.pk)]},
    )

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 2, 200)


_runs = []


@app.task(base=Job, name="tests.flaky")
def flaky(failures):
    _runs.append(1)
    if len(_runs) <= failures:
        raise ConnectionError(f"storage unreachable (run {len(_runs)})")
    return "done"


def test_a_failing_job_is_retried_and_its_attempts_show_in_the_admin(admin):
    _runs.clear()

    flaky.apply((2,))

    assert len(_runs) == 3
    page = admin.get(reverse("admin:django_celery_results_taskresult_changelist")).content.decode()
    assert "tests.flaky" in page and "SUCCESS" in page
    from django_celery_results.models import TaskResult

    assert json.loads(TaskResult.objects.get(task_name="tests.flaky").meta)["attempts"] == 3


def test_a_job_that_keeps_failing_shows_its_error_in_the_admin(admin):
    _runs.clear()

    flaky.apply((99,))

    assert len(_runs) == Job.max_retries + 1
    page = admin.get(reverse("admin:django_celery_results_taskresult_changelist")).content.decode()
    assert "FAILURE" in page and "storage unreachable (run 6)" in page
