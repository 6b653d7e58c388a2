"""A plain HTTP client, as an app would use, against a real server: reads drills and syncs."""

import httpx
import pytest

from runcms.publishing import Status
from tests.factories import make_drill

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_http_client_reads_drills_revalidates_and_syncs(live_server):
    drill = make_drill(slug="heel-pull", title="Heel pull", steps=["Lie face down."])
    with httpx.Client(base_url=f"{live_server.url}/api/v1/", timeout=10) as api:
        listing = api.get("drills/", params={"page_size": 5})
        detail = api.get("drills/heel-pull/")
        revalidated = api.get("drills/heel-pull/", headers={"If-None-Match": detail.headers["ETag"]})
        full = api.get("sync/").json()

        drill.status = Status.DRAFT
        drill.save()
        delta = api.get("sync/", params={"token": full["token"]}).json()

    assert listing.headers["Content-Encoding"] == "gzip"  # httpx unzipped it
    assert [d["slug"] for d in listing.json()["results"]] == ["heel-pull"]
    assert detail.json()["steps"][0]["text"] == "Lie face down."
    assert revalidated.status_code == 304
    assert [d["id"] for d in full["upserted"]["drills"]] == [str(drill.pk)]
    assert delta["deleted"]["drills"] == [str(drill.pk)] and delta["has_more"] is False


def test_an_http_client_follows_an_old_slug(live_server):
    drill = make_drill(slug="heel-pull")
    drill.slug = "heel-pull-on-box"
    drill.save()

    response = httpx.get(f"{live_server.url}/api/v1/drills/heel-pull/", follow_redirects=True, timeout=10)

    assert response.status_code == 200 and response.json()["slug"] == "heel-pull-on-box"
    assert response.history[0].status_code == 301
