"""HTTP caching: ETag and Cache-Control on every GET, 304 for If-None-Match, gzip."""

import gzip
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from drills.models import DrillMedia
from tests.api.content import small_media
from tests.factories import make_article, make_drill

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/drills/", "/api/v1/programs/", "/api/v1/articles/", "/api/v1/media/", "/api/v1/muscles/",
    "/api/v1/equipment/", "/api/v1/categories/", "/api/v1/topics/", "/api/v1/sync/",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_get_has_an_etag_and_cache_control_and_answers_304(client, path):
    make_drill()

    first = client.get(path)
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert first["Cache-Control"] == "public, no-cache"
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_details_have_etags_too(client):
    drill = make_drill()

    first = client.get(f"/api/v1/drills/{drill.slug}/")

    assert client.get(f"/api/v1/drills/{drill.slug}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/drills/no-such-drill/", 404),
        ("/api/v1/media/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a/", 404),
        ("/api/v1/drills/?page=7", 404),
        ("/api/v1/drills/?page_size=0", 400),
        ("/api/v1/drills/?updated_since=yesterday", 400),
        ("/api/v1/sync/?token=made-up", 400),
    ],
)
def test_if_none_match_star_never_turns_a_missing_item_or_an_error_into_a_304(client, path, status):
    make_drill()

    response = client.get(path, HTTP_IF_NONE_MATCH="*")

    assert response.status_code == status and set(response.json()) == {"detail"}
    assert not response.has_header("ETag")


@pytest.mark.parametrize("path", ["/api/v1/drills/", "/api/v1/drills/heel-pull/", "/api/v1/sync/"])
def test_if_none_match_star_answers_304_for_an_existing_item(client, path):
    make_drill(slug="heel-pull")
    etag = client.get(path)["ETag"]

    response = client.get(path, HTTP_IF_NONE_MATCH="*")

    assert response.status_code == 304 and response.content == b"" and response["ETag"] == etag


def test_a_weak_etag_from_a_gzipping_proxy_still_matches(client):
    make_drill()
    etag = client.get("/api/v1/drills/")["ETag"]

    assert client.get("/api/v1/drills/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304


def test_an_edit_changes_the_etag(client):
    drill = make_drill()
    etag = client.get("/api/v1/drills/")["ETag"]
    drill.title = "Heel pull"
    drill.save()

    response = client.get("/api/v1/drills/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200 and response.json()["results"][0]["title"] == "Heel pull"


def test_an_edit_of_something_a_drill_shows_changes_its_etag(client):
    drill = make_drill()
    media = small_media()
    DrillMedia.objects.create(drill=drill, media=media)
    etag = client.get(f"/api/v1/drills/{drill.slug}/")["ETag"]
    media.alt_text = "Heel at the hip"
    media.save()

    assert client.get(f"/api/v1/drills/{drill.slug}/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_schedule_passing_changes_the_etag_without_any_save(client):
    make_drill(publish_at=timezone.now() + timedelta(hours=1))
    etag = client.get("/api/v1/drills/")["ETag"]

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get("/api/v1/drills/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200 and response.json()["count"] == 1


def test_other_query_parameters_have_other_etags(client):
    make_drill()

    assert client.get("/api/v1/drills/")["ETag"] != client.get("/api/v1/drills/", {"page_size": 5})["ETag"]


def test_an_article_change_does_not_invalidate_the_drill_list(client):
    make_drill()
    etag = client.get("/api/v1/drills/")["ETag"]

    make_article()

    assert client.get("/api/v1/drills/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_responses_are_gzipped_for_clients_that_accept_it(client):
    for _ in range(5):
        make_drill()

    response = client.get("/api/v1/drills/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert b'"results"' in gzip.decompress(response.content)
    assert "Accept-Encoding" in response["Vary"]


def test_errors_are_not_cached_by_etag(client):
    response = client.get("/api/v1/drills/no-such-drill/")

    assert response.status_code == 404 and not response.has_header("ETag")
    assert response["Cache-Control"] == "public, no-cache"


def test_the_schema_has_an_etag_and_answers_304(client):
    first = client.get("/api/v1/schema/")

    assert client.get("/api/v1/schema/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert "no-cache" in first["Cache-Control"]


BASE = "https://cms.example.com"


@pytest.fixture
def public_base_url(settings):
    settings.RUNCMS_PUBLIC_BASE_URL = BASE


def test_list_page_links_are_on_the_public_base_url(client, public_base_url):
    for _ in range(3):
        make_drill()

    second = client.get("/api/v1/drills/", {"page": 2, "page_size": 1}, HTTP_HOST="localhost").json()

    assert second["next"] == f"{BASE}/api/v1/drills/?page=3&page_size=1"
    assert second["previous"] == f"{BASE}/api/v1/drills/?page_size=1"


def test_an_old_slug_redirects_on_the_public_base_url(client, public_base_url):
    drill = make_drill(slug="old-name")
    drill.slug = "new-name"
    drill.save()

    response = client.get("/api/v1/drills/old-name/", {"preview": "x"}, HTTP_HOST="localhost")

    assert response.status_code == 301
    assert response["Location"] == f"{BASE}/api/v1/drills/new-name/?preview=x"


def test_the_index_links_are_on_the_public_base_url(client, public_base_url):
    links = client.get("/api/v1/", HTTP_HOST="localhost").json()

    assert all(url.startswith(f"{BASE}/") for url in links.values())


def test_the_etag_differs_by_scheme_and_host_when_links_follow_the_request(client):
    make_drill()
    plain = client.get("/api/v1/drills/")["ETag"]

    secure = client.get("/api/v1/drills/", secure=True)
    other_host = client.get("/api/v1/drills/", HTTP_HOST="localhost", HTTP_IF_NONE_MATCH=plain)

    assert secure["ETag"] != plain and secure.json()["results"][0]["url"].startswith("https://")
    assert other_host.status_code == 200


def test_the_etag_does_not_depend_on_the_request_host_with_a_public_base_url(client, public_base_url):
    make_drill()
    etag = client.get("/api/v1/drills/")["ETag"]

    assert client.get("/api/v1/drills/", HTTP_HOST="localhost", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_if_match_that_does_not_match_is_a_412_not_a_304(client):
    make_drill()

    response = client.get("/api/v1/drills/", HTTP_IF_MATCH='"not-this-version"')

    assert response.status_code == 412 and set(response.json()) == {"detail"}


def test_an_if_match_of_the_current_version_is_answered_in_full(client):
    make_drill()
    etag = client.get("/api/v1/drills/")["ETag"]

    assert client.get("/api/v1/drills/", HTTP_IF_MATCH=etag).status_code == 200


def test_an_expired_sync_token_is_a_410_even_with_the_etag_of_its_last_answer(client, settings):
    settings.RUNCMS_SYNC_TOKEN_MAX_AGE = 3600
    make_drill()
    token = client.get("/api/v1/sync/").json()["token"]
    etag = client.get("/api/v1/sync/", {"token": token})["ETag"]

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get("/api/v1/sync/", {"token": token}, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 410 and "full sync" in response.json()["detail"]

