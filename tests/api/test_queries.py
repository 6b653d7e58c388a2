"""Every endpoint's SQL query count stays the same whatever the page size.

Counts are of a second request, once the published documents it reads are stored
(`runcms.documents`): lists and details of content need at most 3 queries, other lists 10.
Rendering missing documents costs a fixed number of queries too. These counts are without
the shared response cache (tests/api/test_response_cache.py counts with it: none).

The content is built once per class (tests.helpers.scenes): each test reads it, and what a
test writes (documents deleted, an item edited) is rolled back before the next.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from drills.models import Drill, DrillMedia
from runcms.models import Document
from runcms.publishing import Status
from tests.api.content import rich_article, rich_drill, rich_program, small_media
from tests.api.replica import get_sync
from tests.factories import make_article, make_drill, make_program
from tests.helpers.scenes import shared_scene

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


RICH = {"drills": rich_drill, "programs": rich_program, "articles": rich_article}


@shared_scene(scope="class")
def published_content():
    """An item of each kind with one related row of each kind and one with four, then rich content twice over."""
    small = {collection: make(size=1) for collection, make in RICH.items()}
    large = {collection: make(size=4) for collection, make in RICH.items()}
    return SimpleNamespace(small=small, large=large, drills=rich_content() + rich_content())


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


@pytest.mark.usefixtures("published_content")
class TestPublishedContent:
    @pytest.mark.parametrize(
        "path", ["drills", "programs", "articles", "media", "muscles", "equipment", "categories", "topics"]
    )
    def test_a_list_needs_the_same_few_queries_for_a_page_of_1_and_of_100(self, client, path):
        one = queries(client, f"/api/v1/{path}/", {"page_size": 1})

        hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100})

        assert one == hundred
        assert hundred <= (MAX_DOCUMENT_QUERIES if path in DOCUMENT_LISTS else MAX_LIST_QUERIES)

    @pytest.mark.parametrize("path", sorted(DOCUMENT_LISTS))
    def test_rendering_missing_documents_needs_the_same_queries_for_1_and_for_100(self, client, path):
        Document.objects.all().delete()
        one = queries(client, f"/api/v1/{path}/", {"page_size": 1}, warm=False)
        Document.objects.all().delete()

        hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100}, warm=False)

        assert one == hundred
        assert Document.objects.filter(collection=path).count() >= 2  # stored for the next request

    @pytest.mark.parametrize("collection", RICH)
    def test_a_detail_needs_two_queries_once_its_document_is_stored(self, client, published_content, collection):
        item = published_content.large[collection]

        assert queries(client, f"/api/v1/{collection}/{item.slug}/") == 2

    @pytest.mark.parametrize(("path", "params"), LISTS, ids=[f"{p}-{'-'.join(q) or 'all'}" for p, q in LISTS])
    def test_a_list_with_bare_items_first_needs_no_more_queries_than_a_page_of_one_rich_item(self, client, path,
                                                                                              params):
        # Django skips a nested prefetch when the level above it found no rows (no gallery,
        # no cover): a page of bare items may need fewer queries, never more, whatever its size.
        rich_one = queries(client, f"/api/v1/{path}/", {**params, "page_size": 1})
        bare_items_first()

        bare_one = queries(client, f"/api/v1/{path}/", {**params, "page_size": 1})
        mixed_hundred = queries(client, f"/api/v1/{path}/", {**params, "page_size": 100})

        assert bare_one <= mixed_hundred == rich_one <= MAX_LIST_QUERIES

    @pytest.mark.parametrize("collection", RICH)
    def test_a_detail_needs_as_many_queries_with_one_related_row_of_each_kind_as_with_many(
        self, client, published_content, collection
    ):
        small, large = published_content.small[collection], published_content.large[collection]

        path = f"/api/v1/{collection}/{{}}/"

        assert queries(client, path.format(small.slug)) == queries(client, path.format(large.slug))

    def test_a_delta_sync_needs_the_same_queries_for_one_change_as_for_many(self, client, published_content):
        drills = list(Drill.objects.filter(pk__in=[drill.pk for drill in published_content.drills]))
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
    def test_a_304_costs_one_query_and_serialises_nothing(self, client, path):
        etag = client.get(path)["ETag"]

        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_IF_NONE_MATCH=etag)

        assert response.status_code == 304 and response.content == b""
        assert len(captured.captured_queries) == 1  # the ETag's, nothing loaded

    def test_a_drill_detail_304_costs_one_query(self, client, published_content):
        drill = published_content.small["drills"]
        etag = client.get(f"/api/v1/drills/{drill.slug}/")["ETag"]

        assert queries(client, f"/api/v1/drills/{drill.slug}/", HTTP_IF_NONE_MATCH=etag) == 1


@shared_scene(scope="class")
def scheduled_content():
    """Rich content made a day before the start it returns, plus items going live and expiring an hour after
    that start, alone and inside others."""
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=1)):
        rich_content()
        for schedule in ({"publish_at": start + timedelta(hours=1)}, {"unpublish_at": start + timedelta(hours=1)}):
            rich_drill(**schedule), rich_program(**schedule), rich_article(**schedule)
            drill = rich_drill(**schedule)
            make_program(drills=[drill])
            make_article(body=f"[[drill:{drill.slug}]]\n")
    return start


class TestScheduledContent:
    @pytest.mark.parametrize("path", ["drills", "programs", "articles", "media"])
    def test_updated_since_needs_the_same_few_queries_for_a_page_of_1_and_of_100_when_schedules_passed(
        self, client, scheduled_content, path
    ):
        start = scheduled_content
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


THREE_LANGUAGES = [("en", "English"), ("de", "German"), ("zh-hans", "Simplified Chinese")]


@pytest.fixture
def three_languages(settings):
    settings.LANGUAGES = THREE_LANGUAGES


@shared_scene(scope="class")
def translated_content():
    """Rich content twice over with German text on every drill, and on its steps, cues and photos; and a drill
    with four related rows of each kind and a German title."""
    with override_settings(LANGUAGES=THREE_LANGUAGES):
        for drill in rich_content() + rich_content():
            drill.title_de, drill.summary_de = "Ein Zug", "Die Ferse zur Hüfte."
            drill.save()
            drill.steps.update(text_de="Auf die Kiste.")
            drill.cues.update(text_de="Hüfte gerade.")
            for link in drill.media_links.all():
                link.media.alt_text_de = "Ein Läufer"
                link.media.save()
        return rich_drill(size=4, title_de="Ein Zug")


@pytest.mark.usefixtures("translated_content", "three_languages")
class TestTranslatedContent:
    @pytest.mark.parametrize("path", sorted(DOCUMENT_LISTS))
    @pytest.mark.parametrize("language", ["en", "de", "zh-hans"])
    def test_a_list_needs_as_few_queries_in_every_one_of_three_languages(self, client, path, language):
        one = queries(client, f"/api/v1/{path}/", {"page_size": 1}, HTTP_ACCEPT_LANGUAGE=language)

        hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100}, HTTP_ACCEPT_LANGUAGE=language)

        assert one == hundred <= MAX_DOCUMENT_QUERIES

    @pytest.mark.parametrize("path", sorted(DOCUMENT_LISTS))
    def test_rendering_missing_german_documents_needs_the_same_queries_for_1_and_for_100(self, client, path):
        Document.objects.all().delete()
        one = queries(client, f"/api/v1/{path}/", {"page_size": 1, "lang": "de"}, warm=False)
        Document.objects.all().delete()

        hundred = queries(client, f"/api/v1/{path}/", {"page_size": 100, "lang": "de"}, warm=False)
        english = queries(client, f"/api/v1/{path}/", {"page_size": 100}, warm=False)

        assert one == hundred == english

    def test_a_german_detail_needs_two_queries_once_its_document_is_stored(self, client, translated_content):
        drill = translated_content

        assert queries(client, f"/api/v1/drills/{drill.slug}/", HTTP_ACCEPT_LANGUAGE="de") == 2
