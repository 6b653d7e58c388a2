"""No page runs a query per item: the count stays the same with one item or several."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drills.models import Cue, DrillMedia, ProgramItem, Step
from tests.factories import make_article, make_drill, make_media, make_program, make_topic

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    client.get(url)  # warm caches that live for the whole process (content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def drill_with_gallery(**fields):
    drill = make_drill(**fields)
    DrillMedia.objects.create(drill=drill, media=make_media(size=(64, 48), widths=(32,)))
    return drill


def article_in(topic, **fields):
    return make_article(hero=make_media(size=(64, 48), widths=(32,)), topics=[topic], **fields)


def program_with(drills, **fields):
    program = make_program(cover=make_media(size=(64, 48), widths=(32,)), featured=True, **fields)
    for position, drill in enumerate(drills, start=1):
        ProgramItem.objects.create(program=program, drill=drill, position=position)
    return program


@pytest.fixture
def topic():
    return make_topic(slug="technique")


def grow_articles(topic, count):
    for _ in range(count):
        article_in(topic)


def grow_drills(topic, count):
    for _ in range(count):
        drill_with_gallery()


def grow_programs(topic, count):
    drills = [drill_with_gallery() for _ in range(2)]
    for _ in range(count):
        program_with(drills)


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/", lambda topic, count: (grow_articles(topic, count), grow_drills(topic, count),
                                    grow_programs(topic, count))),
        ("/articles/", grow_articles),
        ("/topics/technique/", grow_articles),
        ("/feed/", grow_articles),
        ("/drills/", grow_drills),
        ("/sitemap.xml", lambda topic, count: (grow_articles(topic, count), grow_drills(topic, count))),
    ],
    ids=["home", "articles", "topic", "feed", "drills", "sitemap"],
)
def test_list_pages_run_the_same_queries_for_one_item_or_many(client, topic, url, grow):
    grow(topic, 1)
    one = queries_for(client, url)

    grow(topic, 4)
    many = queries_for(client, url)

    assert one == many


def test_article_page_queries_do_not_grow_with_its_embeds(client, topic):
    def body(count):
        drills = [drill_with_gallery() for _ in range(count)]
        media = [make_media(size=(64, 48), widths=(32,)) for _ in range(count)]
        return "\n\n".join([f"[[drill:{d.slug}]]" for d in drills] + [f"[[media:{m.pk}]]" for m in media])

    article_in(topic, slug="one", body=body(1), sources=["How to Run"])
    article_in(topic, slug="many", body=body(4), sources=["How to Run", "You Can Run Faster", "Coach Xu"])

    assert queries_for(client, "/articles/one/") == queries_for(client, "/articles/many/")


def test_drill_page_queries_do_not_grow_with_steps_cues_and_gallery(client):
    def drill(slug, count):
        drill = drill_with_gallery(slug=slug)
        for position in range(count):
            Step.objects.create(drill=drill, position=position, text="Step", media=make_media(size=(64, 48),
                                                                                            widths=(32,)))
            Cue.objects.create(drill=drill, position=position, text="Cue", audio=make_media(kind="audio"))
            DrillMedia.objects.create(drill=drill, media=make_media(size=(64, 48), widths=(32,)))
            drill.progressions.add(make_drill())
        return drill

    drill("one", 1)
    drill("many", 4)

    assert queries_for(client, "/drills/one/") == queries_for(client, "/drills/many/")


def test_program_page_queries_do_not_grow_with_its_drills(client):
    program_with([drill_with_gallery()], slug="one")
    program_with([drill_with_gallery() for _ in range(4)], slug="many")

    assert queries_for(client, "/programs/one/") == queries_for(client, "/programs/many/")
