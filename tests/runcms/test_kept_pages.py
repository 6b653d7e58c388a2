"""Public pages kept whole (runcms.kept_pages): the same bytes, no content loaded, never out of date.

Kept in Redis on PostgreSQL in CI, in the process's memory on SQLite.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import make_article, make_drill

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/drills/heel-pull/", "/articles/", "/drills/?q=heel"])
def test_a_kept_page_has_the_same_bytes_and_etag_and_loads_no_content(client, path):
    make_drill(slug="heel-pull", title="Heel pull")
    make_article(body="[[drill:heel-pull]]\n")
    first = client.get(path)

    with CaptureQueriesContext(connection) as captured:
        again = client.get(path)

    assert again.status_code == first.status_code == 200
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert len(captured.captured_queries) <= 1  # at most the content state


def test_an_edit_of_an_embedded_drill_shows_on_the_article_page_at_once(client):
    drill = make_drill(slug="heel-pull", title="Heel pull")
    article = make_article(body="[[drill:heel-pull]]\n")
    client.get(f"/articles/{article.slug}/")
    drill.title = "Heel pull on a box"
    drill.save()

    assert "Heel pull on a box" in client.get(f"/articles/{article.slug}/").content.decode()


def test_a_drill_going_live_on_schedule_shows_without_a_save(client):
    now = timezone.now()
    make_drill(slug="later", title="Later drill", publish_at=now + timedelta(hours=1))
    assert "Later drill" not in client.get("/drills/").content.decode()

    with time_machine.travel(now + timedelta(hours=2)):
        assert "Later drill" in client.get("/drills/").content.decode()


def test_a_preview_is_never_kept(client):
    draft = make_drill(slug="secret", title="Draft", status=Status.DRAFT)
    token = make_preview_token(draft)
    client.get(f"/drills/secret/?preview={token}")
    draft.title = "Draft, changed"
    draft.save()

    assert "Draft, changed" in client.get(f"/drills/secret/?preview={token}").content.decode()
    assert client.get("/drills/secret/").status_code == 404
