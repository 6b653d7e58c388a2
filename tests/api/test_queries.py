"""Every endpoint's SQL query count stays the same whatever the page size (and lists need at most 10)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drills.models import DrillMedia
from tests.api.content import rich_article, rich_drill, rich_program, small_media
from tests.api.replica import get_sync
from tests.factories import make_drill

pytestmark = pytest.mark.django_db

MAX_LIST_QUERIES = 10


def queries(client, path, params=None, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {}, **headers)
    assert response.status_code in (200, 304), response.content
    return len(captured.captured_queries)


def rich_content():
    drills = [rich_drill() for _ in range(2)]
    for _ in range(2):
        rich_program()
        rich_article()
    return drills


@pytest.mark.parametrize(
    "path", ["drills", "programs", "articles", "media", "muscles", "equipment", "categories", "topics"]
)
def test_a_list_needs_the_same_few_queries_for_a_page_of_1_and_of_100(client, path):
    rich_content()
    one = queries(client, f"/api/v1/{path}/", {"page_size": 1})
    rich_content()

    hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100})

    assert one == hundred
    assert hundred <= MAX_LIST_QUERIES


@pytest.mark.parametrize(
    ("collection", "make"), [("drills", rich_drill), ("programs", rich_program), ("articles", rich_article)]
)
def test_a_detail_needs_as_many_queries_with_one_related_row_of_each_kind_as_with_many(client, collection, make):
    small, large = make(size=1), make(size=4)

    path = f"/api/v1/{collection}/{{}}/"

    assert queries(client, path.format(small.slug)) == queries(client, path.format(large.slug))


def test_a_media_detail_needs_a_fixed_number_of_queries(client):
    media = small_media()
    DrillMedia.objects.create(drill=make_drill(), media=media)

    assert queries(client, f"/api/v1/media/{media.pk}/") <= 3


def test_a_full_sync_needs_the_same_queries_for_one_item_of_each_kind_as_for_many(client):
    rich_drill(), rich_program(), rich_article()
    one = queries(client, "/api/v1/sync/")
    rich_content()

    assert queries(client, "/api/v1/sync/") == one


def test_a_delta_sync_needs_the_same_queries_for_one_change_as_for_many(client):
    drills = rich_content()
    token = get_sync(client)["token"]
    drills[0].title = "Changed"
    drills[0].save()
    one = queries(client, "/api/v1/sync/", {"token": token})

    for drill in drills:
        drill.title = "Changed again"
        drill.save()

    assert queries(client, "/api/v1/sync/", {"token": token}) == one


@pytest.mark.parametrize(
    "path", ["/api/v1/drills/", "/api/v1/articles/", "/api/v1/media/", "/api/v1/topics/", "/api/v1/sync/"]
)
def test_a_304_costs_one_query_and_serialises_nothing(client, path):
    rich_content()
    etag = client.get(path)["ETag"]

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304 and response.content == b""
    assert len(captured.captured_queries) == 1  # the ETag's, nothing loaded


def test_a_drill_detail_304_costs_one_query(client):
    drill = rich_drill()
    etag = client.get(f"/api/v1/drills/{drill.slug}/")["ETag"]

    assert queries(client, f"/api/v1/drills/{drill.slug}/", HTTP_IF_NONE_MATCH=etag) == 1
