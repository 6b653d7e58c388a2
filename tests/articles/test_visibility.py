"""Rule 1 on every public surface: drafts, scheduled and expired items appear nowhere."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from drills.models import ProgramItem
from runcms.publishing import Status
from tests.factories import make_article, make_category, make_drill, make_program, make_topic

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": lambda now: {"status": Status.DRAFT},
    "scheduled": lambda now: {"status": Status.PUBLISHED, "publish_at": now + timedelta(days=1)},
    "expired": lambda now: {
        "status": Status.PUBLISHED,
        "publish_at": now - timedelta(days=2),
        "unpublish_at": now - timedelta(days=1),
    },
}

LISTS_AND_PAGES = [
    "/",
    "/articles/",
    "/articles/?q=hidden",
    "/drills/",
    "/drills/?q=hidden",
    "/drills/?category=pull",
    "/topics/technique/",
    "/feed/",
    "/sitemap.xml",
    "/articles/visible-article/",
    "/drills/visible-drill/",
    "/programs/visible-program/",
]
# Titles and slugs of the hidden items (the word alone is in a search box and type="hidden").
HIDDEN_MARKERS = [
    "hidden article", "hidden-article", "hidden drill", "hidden-drill", "hidden program", "hidden-program",
]
DETAIL_PAGES = ["/articles/hidden-article/", "/drills/hidden-drill/", "/programs/hidden-program/"]


def build(state):
    """Hidden items in `state`, each linked from published items that are shown."""
    hidden = HIDDEN_STATES[state](timezone.now())
    topic = make_topic(name="Technique", slug="technique")
    pull = make_category(name="Pull", slug="pull")
    visible_drill = make_drill(slug="visible-drill", title="Visible drill", category=pull)
    hidden_drill = make_drill(slug="hidden-drill", title="Hidden drill", category=pull, **hidden)
    visible_drill.progressions.set([hidden_drill])
    visible_drill.regressions.set([hidden_drill])
    make_article(
        slug="visible-article",
        title="Visible article",
        topics=[topic],
        body="Text.\n\n[[drill:hidden-drill]]\n\n[[drill:visible-drill]]\n",
    )
    make_article(
        slug="hidden-article",
        title="Hidden article",
        topics=[topic],
        featured=True,
        body="[[drill:visible-drill]]\n",
        **hidden,
    )
    visible_program = make_program(slug="visible-program", title="Visible program", featured=True)
    ProgramItem.objects.create(program=visible_program, drill=hidden_drill, position=1)
    ProgramItem.objects.create(program=visible_program, drill=visible_drill, position=2)
    make_program(slug="hidden-program", title="Hidden program", featured=True, drills=[hidden_drill], **hidden)


@pytest.mark.parametrize("url", LISTS_AND_PAGES)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_items_are_absent_from_every_public_page(client, state, url):
    build(state)

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode().lower()
    assert [marker for marker in HIDDEN_MARKERS if marker in page] == []


@pytest.mark.parametrize("url", DETAIL_PAGES)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_items_pages_404(client, state, url):
    build(state)

    assert client.get(url).status_code == 404


def test_the_surfaces_do_show_the_items_once_they_are_published(client):
    build("scheduled")

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        pages = {url: client.get(url).content.decode() for url in ["/", "/feed/", "/sitemap.xml"]}
        details = [client.get(url).status_code for url in DETAIL_PAGES]

    assert "Hidden article" in pages["/"]
    assert "Hidden drill" in pages["/"]
    assert "Hidden program" in pages["/"]
    assert "Hidden article" in pages["/feed/"]
    assert "/drills/hidden-drill/" in pages["/sitemap.xml"]
    assert details == [200, 200, 200]
