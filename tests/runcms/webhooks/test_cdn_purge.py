"""CDN purges through webhooks: each delivery lists the addresses it makes stale, and
RUNCMS_CDN_PURGE_URL keeps an endpoint of its own."""

import pytest

from runcms.webhooks.models import Delivery, Endpoint
from runcms.webhooks.purge import CDN_PURGE_NAME
from tests.factories import make_drill

pytestmark = pytest.mark.django_db

BASE = "https://cms.example.com"


@pytest.fixture
def public_base(settings):
    settings.RUNCMS_PUBLIC_BASE_URL = BASE


def test_an_update_lists_the_page_and_api_addresses_to_purge(receiver, endpoint, committed, public_base):
    with committed():
        drill = make_drill(slug="heel-pull")
    with committed():
        drill.title = "Heel pull, lying down"
        drill.save()

    assert receiver.events[-1]["event"] == "updated"
    assert receiver.events[-1]["urls"] == [f"{BASE}/drills/heel-pull/", f"{BASE}/api/v1/drills/heel-pull/"]


def test_a_renamed_drill_purges_its_old_addresses_too(receiver, endpoint, committed, public_base):
    with committed():
        drill = make_drill(slug="heel-pull")
    with committed():
        drill.slug = "heel-pull-lying"
        drill.save()

    assert receiver.events[-1]["urls"] == [
        f"{BASE}/drills/heel-pull-lying/", f"{BASE}/api/v1/drills/heel-pull-lying/",
        f"{BASE}/drills/heel-pull/", f"{BASE}/api/v1/drills/heel-pull/",
    ]


def test_a_deleted_drill_purges_the_addresses_it_had(receiver, endpoint, committed, public_base):
    with committed():
        drill = make_drill(slug="heel-pull")
    with committed():
        drill.delete()

    assert receiver.events[-1]["event"] == "deleted"
    assert receiver.events[-1]["urls"] == [f"{BASE}/drills/heel-pull/", f"{BASE}/api/v1/drills/heel-pull/"]


def test_the_cdn_purge_url_setting_gets_every_event_through_an_endpoint_of_its_own(receiver, committed, settings):
    settings.RUNCMS_CDN_PURGE_URL = receiver.url
    settings.RUNCMS_CDN_PURGE_SECRET = receiver.secret

    with committed():
        drill = make_drill(slug="heel-pull")
    with committed():
        drill.delete()

    endpoint = Endpoint.objects.get()
    assert (endpoint.name, endpoint.url, endpoint.active) == (CDN_PURGE_NAME, receiver.url, True)
    assert [event["event"] for event in receiver.events] == ["published", "deleted"]
    assert all(request["valid"] for request in receiver.received)
    assert Delivery.objects.filter(endpoint=endpoint, status="delivered").count() == 2


def test_a_cdn_purge_endpoint_made_inactive_by_an_editor_stays_inactive(receiver, committed, settings):
    settings.RUNCMS_CDN_PURGE_URL = receiver.url
    with committed():
        make_drill()
    Endpoint.objects.filter(name=CDN_PURGE_NAME).update(active=False)

    with committed():
        make_drill()

    assert len(receiver.received) == 1
    assert not Endpoint.objects.get().active
