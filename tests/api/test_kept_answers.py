"""Kept answers (runcms.api.caching, runcms.api.middleware) look exactly like the view's, and cost no work.

These run with whatever cache the suite has: Redis on PostgreSQL in CI (answers and the
content state in Redis), local memory on SQLite (answers in the process, the state read
from the database).
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from runcms.models import Document
from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db

PATHS = ["/api/v1/drills/", "/api/v1/drills/?page_size=1", "/api/v1/drills/heel-pull/", "/api/v1/categories/"]


def without_date(response):
    return {name: value for name, value in response.items() if name != "Date"}


@pytest.mark.parametrize("path", PATHS)
def test_a_kept_answer_has_the_same_bytes_and_headers_and_loads_nothing(client, path):
    make_drill(slug="heel-pull", title="Heel pull")
    first = client.get(path)

    with CaptureQueriesContext(connection) as captured:
        again = client.get(path)

    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert without_date(again) == without_date(first)
    assert len(captured.captured_queries) <= 1  # at most the content state, never the content


def test_a_304_from_a_kept_answer_carries_the_view_headers(client):
    make_drill()
    first = client.get("/api/v1/drills/")

    response = client.get("/api/v1/drills/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Cache-Control"] == first["Cache-Control"] == "public, no-cache"
    assert response["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_edit_is_served_at_once(client):
    drill = make_drill(slug="heel-pull", title="Heel pull")
    client.get("/api/v1/drills/heel-pull/")
    drill.title = "Heel pull on a box"
    drill.save()

    assert client.get("/api/v1/drills/heel-pull/").json()["title"] == "Heel pull on a box"


def test_a_preview_is_never_kept_nor_answered_from_what_is_kept(client):
    draft = make_drill(slug="secret", title="Draft", status=Status.DRAFT)
    token = make_preview_token(draft)
    preview = client.get(f"/api/v1/drills/secret/?preview={token}")
    draft.title = "Draft, changed"
    draft.save()

    again = client.get(f"/api/v1/drills/secret/?preview={token}")

    assert preview["Cache-Control"] == again["Cache-Control"] == "private, no-store"
    assert again.json()["title"] == "Draft, changed"
    assert client.get("/api/v1/drills/secret/").status_code == 404


def test_with_the_answer_cache_off_every_request_reads_the_content(client, settings):
    settings.RUNCMS_API_CACHE = False
    make_drill(slug="heel-pull")
    client.get("/api/v1/drills/heel-pull/")

    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/drills/heel-pull/")

    assert len(captured.captured_queries) == 2  # the content state, and the drill with its document


def fresh(client, settings, path):
    """The answer as the database gives it now: nothing kept, documents rendered anew."""
    settings.RUNCMS_API_CACHE = False
    Document.objects.all().delete()
    response = client.get(path)
    settings.RUNCMS_API_CACHE = True
    return response.status_code, response.json() if response.status_code == 200 else None


def kept(client, path):
    response = client.get(path)
    return response.status_code, response.json() if response.status_code == 200 else None


def test_kept_answers_are_never_stale_across_publish_edit_unpublish_delete_and_a_schedule(client, settings):
    start = timezone.now()
    paths = ["/api/v1/drills/", "/api/v1/drills/heel-pull/", "/api/v1/programs/", "/api/v1/programs/strength/"]
    with time_machine.travel(start, tick=False) as clock:
        drill = make_drill(slug="heel-pull", title="Heel pull", status=Status.DRAFT)
        later = make_drill(slug="later", title="Later", publish_at=start + timedelta(hours=1))
        program = make_program(slug="strength", drills=[drill, later])

        def publish():
            drill.status = Status.PUBLISHED
            drill.save()

        def edit():
            drill.title = "Heel pull on a box"
            drill.save()

        def unpublish():
            drill.status = Status.DRAFT
            drill.save()

        steps = [publish, edit, lambda: clock.move_to(start + timedelta(hours=2)), unpublish, program.delete]
        for step in steps:
            for path in paths:
                kept(client, path)  # kept before the step
            step()
            for path in paths:
                assert kept(client, path) == fresh(client, settings, path), (step, path)
