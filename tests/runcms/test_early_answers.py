"""Kept answers served before Django (runcms.early_answers): the same bytes, never stale, throttled alike.

Each test runs twice: on a real Redis (in both runs of the suite, each xdist worker on its
own Redis database), and without one (answers in the process, checked against the change
journal's newest position).
"""

import os
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from runcms import early_answers
from runcms.api import caching
from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import make_article, make_drill
from tests.helpers.wsgi import WsgiClient

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


@pytest.fixture(params=["redis", "local"])
def app(request, settings):
    """The WSGI application on a Redis database of this worker's own, emptied; or on local memory."""
    if request.param == "redis":
        worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"{REDIS_URL}/{15 - worker % 6}",
                "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield WsgiClient()
    cache.clear()


def same_answer(first, second):
    assert (second.status_code, second.content) == (first.status_code, first.content)
    assert second.headers == first.headers


@pytest.mark.parametrize("path", ["/api/v1/drills/", "/api/v1/drills/heel-pull/", "/api/v1/drills/?page_size=1"])
def test_a_kept_api_answer_goes_out_before_django_with_the_same_bytes_and_headers(app, path):
    make_drill(slug="heel-pull", title="Heel pull")
    first = app.get(path)

    again = app.get(path)

    assert first.status_code == 200 and first.through_django
    assert not again.through_django
    same_answer(first, again)
    assert "content-security-policy" in again.headers and "x-content-type-options" in again.headers


def test_a_matching_etag_gets_a_304_with_the_answer_headers_and_no_body(app):
    make_drill(slug="heel-pull")
    first = app.get("/api/v1/drills/heel-pull/")

    response = app.get("/api/v1/drills/heel-pull/", {"If-None-Match": first.headers["etag"]})
    other = app.get("/api/v1/drills/heel-pull/", {"If-None-Match": '"something-else"'})

    assert (response.status_code, response.content, response.through_django) == (304, b"", False)
    assert response.headers["etag"] == first.headers["etag"]
    assert response.headers["cache-control"] == "public, no-cache"
    assert "content-length" not in response.headers and "content-type" not in response.headers
    assert response.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert other.status_code == 200 and other.content == first.content


def test_an_edit_a_new_item_and_a_delete_are_served_at_once(app):
    drill = make_drill(slug="heel-pull", title="Heel pull")
    app.get("/api/v1/drills/heel-pull/"), app.get("/api/v1/drills/")

    drill.title = "Heel pull on a box"
    drill.save()
    assert app.get("/api/v1/drills/heel-pull/").content.count(b"Heel pull on a box") == 1
    make_drill(slug="skip")
    assert b'"skip"' in app.get("/api/v1/drills/").content
    drill.delete()
    assert app.get("/api/v1/drills/heel-pull/").status_code == 404
    assert b"heel-pull" not in app.get("/api/v1/drills/").content


def test_a_scheduled_publish_shows_at_its_moment_without_any_save(app):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        make_drill(slug="now")
        make_drill(slug="later", publish_at=start + timedelta(minutes=30))
        before = app.get("/api/v1/drills/")
        assert b'"later"' not in before.content and not app.get("/api/v1/drills/").through_django

        clock.move_to(start + timedelta(minutes=31))
        after = app.get("/api/v1/drills/")

    assert after.through_django and b'"later"' in after.content


def test_the_throttle_counts_early_answers_and_django_answers_alike(app, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    make_drill(slug="heel-pull")

    answers = [app.get("/api/v1/drills/heel-pull/") for _ in range(4)]
    elsewhere = app.get("/api/v1/drills/heel-pull/", remote_addr="198.51.100.7")

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.through_django for a in answers] == [True, False, False, True]
    assert 0 < int(answers[-1].headers["retry-after"]) <= 60
    assert elsewhere.status_code == 200


def test_signed_in_and_preview_requests_always_reach_django(app):
    draft = make_drill(slug="secret", title="Draft", status=Status.DRAFT)
    make_drill(slug="heel-pull")
    app.get("/api/v1/drills/heel-pull/")
    token = make_preview_token(draft)

    with_cookie = app.get("/api/v1/drills/heel-pull/", {"Cookie": "sessionid=abc"})
    previews = [app.get(f"/api/v1/drills/secret/?preview={token}") for _ in range(2)]

    assert with_cookie.status_code == 200 and with_cookie.through_django
    assert all(p.status_code == 200 and p.through_django for p in previews)
    assert previews[1].headers["cache-control"] == "private, no-store"
    assert app.get("/api/v1/drills/secret/").status_code == 404


def test_answers_are_kept_apart_by_host_and_compression(app, settings):
    settings.RUNCMS_PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "example.org"]
    make_drill(slug="heel-pull")
    plain = app.get("/api/v1/drills/"), app.get("/api/v1/drills/")
    gzipped = [app.get("/api/v1/drills/", {"Accept-Encoding": "gzip"}) for _ in range(2)]
    other_host = app.get("/api/v1/drills/", {"Host": "example.org"})

    assert "content-encoding" not in plain[1].headers and not plain[1].through_django
    assert gzipped[1].headers["content-encoding"] == "gzip" and not gzipped[1].through_django
    same_answer(gzipped[0], gzipped[1])
    assert b"http://example.org/" in other_host.content and b"http://testserver/" in plain[1].content
    assert app.get("/api/v1/drills/", {"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("app", ["redis"], indirect=True)
def test_with_redis_down_django_answers_every_request(app, settings):
    make_drill(slug="heel-pull")
    app.get("/api/v1/drills/heel-pull/")
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    }

    answers = [app.get("/api/v1/drills/heel-pull/") for _ in range(2)]

    assert [(a.status_code, a.through_django) for a in answers] == [(200, True), (200, True)]


def test_a_public_page_is_kept_and_revalidated_before_django(app):
    make_article(slug="knee-drive", title="Knee drive")
    first = app.get("/articles/knee-drive/")

    again = app.get("/articles/knee-drive/")
    revalidated = app.get("/articles/knee-drive/", {"If-None-Match": first.headers["etag"]})

    assert first.status_code == 200 and not again.through_django
    same_answer(first, again)
    assert (revalidated.status_code, revalidated.through_django) == (304, False)


def test_the_admin_and_files_are_never_looked_up(app):
    assert app.get("/admin/login/").through_django
    assert app.get("/healthz").through_django


@pytest.mark.parametrize("path", ["/api/v1/drills/heel-pull/", "/articles/knee-drive/"])
def test_an_answer_django_kept_before_goes_out_early_from_its_next_use(app, client, path):
    make_drill(slug="heel-pull")
    make_article(slug="knee-drive")
    client.get(path)  # kept by Django alone (the test client does not go through the WSGI wrapper)

    replayed, again = app.get(path), app.get(path)

    assert replayed.through_django and not again.through_django
    same_answer(replayed, again)


@pytest.mark.parametrize("app", ["redis"], indirect=True)
def test_a_change_saved_while_redis_was_unreachable_reaches_it_once_it_answers(app, settings, monkeypatch):
    drill = make_drill(slug="heel-pull", title="Heel pull")
    app.get("/api/v1/drills/heel-pull/"), app.get("/api/v1/drills/heel-pull/")  # kept
    reachable = settings.CACHES
    monkeypatch.setattr(caching, "GENERATION_RETRY_SECONDS", (0.05,))
    settings.CACHES = {
        "default": {**reachable["default"], "LOCATION": "redis://127.0.0.1:9/0"}  # this server cannot reach it
    }
    drill.title = "Heel pull on a box"
    drill.save()  # the change is logged; telling Redis fails, and is tried again in the background

    settings.CACHES = reachable  # Redis answers again (other servers kept reaching it all along)
    deadline = time.monotonic() + 5
    while b"on a box" not in app.get("/api/v1/drills/heel-pull/").content and time.monotonic() < deadline:
        time.sleep(0.02)

    assert b"Heel pull on a box" in app.get("/api/v1/drills/heel-pull/").content


@pytest.fixture
def new_release(monkeypatch):
    """A release whose API representation changed (REPRESENTATION_VERSION raised), as after a deploy."""

    def forget():
        caching.code_version.cache_clear()
        early_answers.code_version.cache_clear()

    monkeypatch.setattr(caching, "REPRESENTATION_VERSION", caching.REPRESENTATION_VERSION + 1)
    forget()
    yield
    monkeypatch.undo()
    forget()


def test_a_release_that_changes_the_code_finds_nothing_the_one_before_kept(app, request):
    make_drill(slug="heel-pull")
    before = app.get("/api/v1/drills/heel-pull/"), app.get("/api/v1/drills/heel-pull/")
    assert not before[1].through_django

    request.getfixturevalue("new_release")
    after = app.get("/api/v1/drills/heel-pull/")

    assert after.through_django and after.headers["etag"] != before[0].headers["etag"]


def test_answers_in_each_language_are_kept_apart_and_say_their_language(app, languages):
    make_drill(slug="heel-pull", title="Heel pull", title_de="Fersenzug")
    path = "/api/v1/drills/heel-pull/"
    english = [app.get(path) for _ in range(2)]
    german = [app.get(path, {"Accept-Language": "de"}) for _ in range(2)]
    asked = [app.get(path + "?lang=de") for _ in range(2)]
    revalidated = app.get(path, {"Accept-Language": "de", "If-None-Match": german[0].headers["etag"]})

    assert [a.through_django for a in english + german + asked] == [True, False] * 3
    assert b"Fersenzug" not in english[1].content and english[1].headers["content-language"] == "en"
    assert b"Fersenzug" in german[1].content and german[1].headers["content-language"] == "de"
    assert asked[1].content == german[1].content
    assert (revalidated.status_code, revalidated.through_django) == (304, False)
    assert revalidated.headers["content-language"] == "de" and "accept-language" in revalidated.headers["vary"].lower()
