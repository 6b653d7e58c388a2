"""Every endpoint's SQL query count stays the same whatever the page size.

Counts are of a second request, once the published documents it reads are stored
(`runcms.documents`): lists and details of content need at most 3 queries, other lists 10.
Rendering missing documents costs a fixed number of queries too. These counts are without
the shared response cache (tests/api/test_response_cache.py counts with it: none).
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drills.models import DrillMedia
from runcms.models import Document
from runcms.publishing import Status
from tests.api.content import rich_article, rich_drill, rich_program, small_media
from tests.api.replica import get_sync
from tests.factories import make_article, make_drill, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_response_cache(settings):
    settings.RUNCMS_API_CACHE = False

MAX_LIST_QUERIES = 10
MAX_DOCUMENT_QUERIES = 3  # the ETag's, the count and the page (a detail: the ETag's and the item)
DOCUMENT_LISTS = {"drills", "programs", "articles", "media"}


def queries(client, path, params=None, *, warm=True, **headers):
    if warm:
        client.get(path, params or {}, **headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {}, **headers)
    assert response.status_code in (200, 304), response.content
    return len(captured.captured_queries)


def rich_content():
    """Rich items that come first in their lists (titles from "A"; the newest articles), with bare ones after."""
    drills = [rich_drill(title="A rich pull drill") for _ in range(2)]
    for _ in range(2):
        rich_program(title="A rich program")
        rich_article(title="A rich pull article")
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
    assert hundred <= (MAX_DOCUMENT_QUERIES if path in DOCUMENT_LISTS else MAX_LIST_QUERIES)


@pytest.mark.parametrize("path", sorted(DOCUMENT_LISTS))
def test_rendering_missing_documents_needs_the_same_queries_for_1_and_for_100(client, path):
    rich_content()
    Document.objects.all().delete()
    one = queries(client, f"/api/v1/{path}/", {"page_size": 1}, warm=False)
    rich_content()
    Document.objects.all().delete()

    hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100}, warm=False)

    assert one == hundred
    assert Document.objects.filter(collection=path).count() >= 2  # stored for the next request


@pytest.mark.parametrize(
    ("collection", "make"), [("drills", rich_drill), ("programs", rich_program), ("articles", rich_article)]
)
def test_a_detail_needs_two_queries_once_its_document_is_stored(client, collection, make):
    item = make(size=4)

    assert queries(client, f"/api/v1/{collection}/{item.slug}/") == 2


def bare_items_first():
    """A drill, program and article with nothing related, each first in its list, matching the filters below."""
    make_drill(title="A bare pull drill")
    make_program(title="A bare program")
    make_article(title="The newest pull, bare")  # articles come newest first


LISTS = [
    (path, {}) for path in ["drills", "programs", "articles", "media", "muscles", "equipment", "categories", "topics"]
] + [
    ("drills", {"search": "pull"}),
    ("drills", {"search": "pull heel hip"}),
    ("articles", {"search": "pull"}),
    *((path, {"updated_since": "2000-01-01"}) for path in ["drills", "programs", "articles", "media"]),
]


@pytest.mark.parametrize(("path", "params"), LISTS, ids=[f"{p}-{'-'.join(q) or 'all'}" for p, q in LISTS])
def test_a_list_with_bare_items_first_needs_no_more_queries_than_a_page_of_one_rich_item(client, path, params):
    # Django skips a nested prefetch when the level above it found no rows (no gallery,
    # no cover): a page of bare items may need fewer queries, never more, whatever its size.
    rich_content()
    rich_one = queries(client, f"/api/v1/{path}/", {**params, "page_size": 1})
    rich_content()
    bare_items_first()

    bare_one = queries(client, f"/api/v1/{path}/", {**params, "page_size": 1})
    mixed_hundred = queries(client, f"/api/v1/{path}/", {**params, "page_size": 100})

    assert bare_one <= mixed_hundred == rich_one <= MAX_LIST_QUERIES


@pytest.mark.parametrize(
    ("collection", "make"), [("drills", rich_drill), ("programs", rich_program), ("articles", rich_article)]
)
def test_a_detail_needs_as_many_queries_with_one_related_row_of_each_kind_as_with_many(client, collection, make):
    small, large = make(size=1), make(size=4)

    path = f"/api/v1/{collection}/{{}}/"

    assert queries(client, path.format(small.slug)) == queries(client, path.format(large.slug))


def scheduled_content(start):
    """Rich content, plus items going live and expiring an hour after `start`, alone and inside others."""
    rich_content()
    for schedule in ({"publish_at": start + timedelta(hours=1)}, {"unpublish_at": start + timedelta(hours=1)}):
        rich_drill(**schedule), rich_program(**schedule), rich_article(**schedule)
        drill = rich_drill(**schedule)
        make_program(drills=[drill])
        make_article(body=f"[[drill:{drill.slug}]]\n")


@pytest.mark.parametrize("path", ["drills", "programs", "articles", "media"])
def test_updated_since_needs_the_same_few_queries_for_a_page_of_1_and_of_100_when_schedules_passed(client, path):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=1)):
        scheduled_content(start)
    since = {"updated_since": start.isoformat()}

    with time_machine.travel(start + timedelta(hours=2)):
        one = queries(client, f"/api/v1/{path}/", {"page_size": 1, **since})
        hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100, **since})

    assert one == hundred
    assert hundred <= MAX_LIST_QUERIES


def articles_with_hidden_and_renamed_embeds(count):
    """Articles embedding a draft drill and a drill under an old slug: more than the prefetched rows tell."""
    articles = []
    for _ in range(count):
        draft, renamed = make_drill(status=Status.DRAFT), make_drill()
        old_slug = renamed.slug
        articles.append(make_article(body=f"[[drill:{draft.slug}]]\n\n[[drill:{old_slug}]]\n"))
        renamed.slug = f"{old_slug}-renamed"
        renamed.save()
    return articles


def test_articles_with_hidden_and_renamed_embeds_need_the_same_queries_one_or_many(client):
    article = articles_with_hidden_and_renamed_embeds(1)[0]
    one_sync = queries(client, "/api/v1/sync/")
    one_detail = queries(client, f"/api/v1/articles/{article.slug}/")
    articles_with_hidden_and_renamed_embeds(5)

    assert queries(client, "/api/v1/sync/") == one_sync
    assert queries(client, f"/api/v1/articles/{article.slug}/") == one_detail


def test_a_media_detail_needs_a_fixed_number_of_queries(client):
    media = small_media()
    DrillMedia.objects.create(drill=make_drill(), media=media)

    assert queries(client, f"/api/v1/media/{media.pk}/") <= 2


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


@pytest.fixture
def three_languages(settings):
    settings.LANGUAGES = [("en", "English"), ("de", "German"), ("zh-hans", "Simplified Chinese")]


def translated_content():
    """Rich content with German text on every drill, and on its steps, cues and photos."""
    drills = rich_content()
    for drill in drills:
        drill.title_de, drill.summary_de = "Ein Zug", "Die Ferse zur Hüfte."
        drill.save()
        drill.steps.update(text_de="Auf die Kiste.")
        drill.cues.update(text_de="Hüfte gerade.")
        for link in drill.media_links.all():
            link.media.alt_text_de = "Ein Läufer"
            link.media.save()


@pytest.mark.parametrize("path", sorted(DOCUMENT_LISTS))
@pytest.mark.parametrize("language", ["en", "de", "zh-hans"])
def test_a_list_needs_as_few_queries_in_every_one_of_three_languages(client, three_languages, path, language):
    translated_content()
    one = queries(client, f"/api/v1/{path}/", {"page_size": 1}, HTTP_ACCEPT_LANGUAGE=language)
    translated_content()

    hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100}, HTTP_ACCEPT_LANGUAGE=language)

    assert one == hundred <= MAX_DOCUMENT_QUERIES


@pytest.mark.parametrize("path", sorted(DOCUMENT_LISTS))
def test_rendering_missing_german_documents_needs_the_same_queries_for_1_and_for_100(client, three_languages, path):
    translated_content()
    Document.objects.all().delete()
    one = queries(client, f"/api/v1/{path}/", {"page_size": 1, "lang": "de"}, warm=False)
    translated_content()
    Document.objects.all().delete()

    hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100, "lang": "de"}, warm=False)
    english = queries(client, f"/api/v1/{path}/", {"page_size": 100}, warm=False)

    assert one == hundred == english


def test_a_german_detail_needs_two_queries_once_its_document_is_stored(client, three_languages):
    drill = rich_drill(size=4, title_de="Ein Zug")

    assert queries(client, f"/api/v1/drills/{drill.slug}/", HTTP_ACCEPT_LANGUAGE="de") == 2
