"""Public pages in several languages: /{lang}/ addresses, <html lang>, alternates, sitemap, feed, fallbacks."""

import re

import pytest

from tests.articles.test_queries import queries_for
from tests.factories import make_article, make_drill, make_program, make_topic

pytestmark = pytest.mark.django_db


def test_a_german_page_lives_under_de_and_shows_the_german_text(client, languages):
    drill = make_drill(title="Heel pull on the box", title_de="Fersenzug auf der Kiste")

    page = client.get(f"/de/drills/{drill.slug}/").content.decode()

    assert '<html lang="de">' in page
    assert "<h1>Fersenzug auf der Kiste</h1>" in page


def test_the_default_language_keeps_its_addresses(client, languages):
    drill = make_drill(title="Heel pull on the box", title_de="Fersenzug auf der Kiste")

    page = client.get(f"/drills/{drill.slug}/").content.decode()

    assert '<html lang="en">' in page
    assert "<h1>Heel pull on the box</h1>" in page


def test_a_page_names_its_alternates_in_every_language_and_a_switcher(client, languages):
    drill = make_drill(title="Heel pull", title_de="Fersenzug")

    page = client.get(f"/de/drills/{drill.slug}/").content.decode()

    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert alternates["en"] == alternates["x-default"] == f"http://testserver/drills/{drill.slug}/"
    assert alternates["zh-hant"] == f"http://testserver/zh-hant/drills/{drill.slug}/"
    assert f'<a href="http://testserver/de/drills/{drill.slug}/" hreflang="de" lang="de" aria-current="page">' in page


def test_untranslated_text_is_marked_with_the_language_it_falls_back_to_field_by_field(client, languages):
    drill = make_drill(
        title="Heel pull on your back", title_de="Fersenzug in Rückenlage", summary="Pull the heel to the hip.",
        steps=["Lie on your back.", "Pull the heel in."],
    )
    first = drill.steps.order_by("position").first()
    drill.steps.filter(pk=first.pk).update(text_de="Leg dich auf den Rücken.")

    page = client.get(f"/de/drills/{drill.slug}/").content.decode()

    assert "<h1>Fersenzug in Rückenlage</h1>" in page
    assert '<p class="lede" lang="en">Pull the heel to the hip.</p>' in page
    assert re.search(r'<li id="step-1"><p>Leg dich auf den Rücken.</p>', page)
    assert re.search(r'<li id="step-2" lang="en"><p>Pull the heel in.</p>', page)


def test_a_fallback_along_the_chain_is_marked_with_the_language_it_comes_from(client, languages):
    drill = make_drill(title="Heel pull", title_zh_hans="脚跟拉")

    page = client.get(f"/zh-hant/drills/{drill.slug}/").content.decode()

    assert '<h1 lang="zh-hans">脚跟拉</h1>' in page


def test_untranslated_program_article_and_topic_text_is_marked(client, languages):
    topic = make_topic(name="Technique", name_de="Technik", description="How to run.")
    article = make_article(title="The pull", title_de="Der Zug", body="Pull the foot back.", topics=[topic])
    program = make_program(title="Hamstrings", summary="Five drills.", summary_de="Fünf Übungen.")

    article_page = client.get(f"/de/articles/{article.slug}/").content.decode()
    topic_page = client.get(f"/de/topics/{topic.slug}/").content.decode()
    program_page = client.get(f"/de/programs/{program.slug}/").content.decode()

    assert "<h1>Der Zug</h1>" in article_page and '<div class="prose" lang="en">' in article_page
    assert '<h1>Technik</h1>' in topic_page and '<p class="lede" lang="en">How to run.</p>' in topic_page
    assert '<h1 lang="en">Hamstrings</h1>' in program_page and '<p class="lede">Fünf Übungen.</p>' in program_page


@pytest.mark.parametrize("kind", ["drill", "program", "article", "topic"])
def test_a_page_in_another_language_runs_the_queries_of_the_default_one(client, languages, kind):
    topic = make_topic(name="Technique")
    article = make_article(topics=[topic])
    drill, program = make_drill(steps=["One.", "Two."]), make_program()
    made = {"drill": drill, "program": program, "article": article, "topic": topic}[kind]
    url = made.get_absolute_url()

    assert queries_for(client, f"/de{url}") == queries_for(client, url)


def test_with_one_language_a_page_has_no_alternates_and_no_prefixed_address(client):
    drill = make_drill(title="Heel pull")

    page = client.get(f"/drills/{drill.slug}/").content.decode()

    assert 'hreflang' not in page and '<article class="drill">' in page
    assert client.get(f"/de/drills/{drill.slug}/").status_code == 404


def test_links_on_a_german_page_stay_in_german(client, languages):
    drill = make_drill(title="Heel pull", title_de="Fersenzug")

    page = client.get("/de/drills/").content.decode()

    assert f'href="/de/drills/{drill.slug}/"' in page


def test_the_sitemap_lists_every_language_with_its_alternates(client, languages):
    drill = make_drill(title="Heel pull")

    sitemap = client.get("/sitemap.xml").content.decode()

    assert f"<loc>http://testserver/de/drills/{drill.slug}/</loc>" in sitemap
    assert f'hreflang="de" href="http://testserver/de/drills/{drill.slug}/"' in sitemap
    assert f'hreflang="x-default" href="http://testserver/drills/{drill.slug}/"' in sitemap


def test_each_language_has_its_feed(client, languages):
    make_article(title="The pull", title_de="Der Zug")

    feed = client.get("/de/feed/").content.decode()

    assert 'xml:lang="de"' in feed and "<title>Der Zug</title>" in feed
    assert "Der Zug" not in client.get("/feed/").content.decode()


def test_a_german_article_body_is_rendered_from_the_german_markdown(client, languages):
    article = make_article(body="Pull the **foot** back.", body_de="Den **Fuß** zurückziehen.")

    page = client.get(f"/de/articles/{article.slug}/").content.decode()

    assert "<strong>Fuß</strong>" in page
