from xml.etree import ElementTree

import pytest

from tests.factories import make_article, make_author, make_drill, make_program, make_topic

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_is_atom_with_the_published_articles_newest_first(client):
    topic = make_topic(name="Pose method")
    make_article(slug="older", title="Older article")
    newest = make_article(slug="newest", title="Newest article", summary="The pull, explained.",
                          author=make_author(name="Coach Xu"), topics=[topic])

    response = client.get("/feed/")

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Newest article", "Older article"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "http://testserver/articles/newest/"
    assert first.findtext(f"{ATOM}id") == f"urn:uuid:{newest.pk}"
    assert first.findtext(f"{ATOM}summary") == "The pull, explained."
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Coach Xu"
    assert first.find(f"{ATOM}category").get("term") == "Pose method"
    assert first.findtext(f"{ATOM}published")


def test_feed_entry_id_survives_a_slug_change(client):
    article = make_article(slug="first-name")
    before = ElementTree.fromstring(client.get("/feed/").content).findtext(f"{ATOM}entry/{ATOM}id")
    article.slug = "second-name"
    article.save()

    after = ElementTree.fromstring(client.get("/feed/").content).findtext(f"{ATOM}entry/{ATOM}id")

    assert before == after


def test_feed_uses_etags_not_last_modified(client):
    make_article()

    first = client.get("/feed/")
    second = client.get("/feed/", headers={"if-none-match": first["ETag"]})

    assert "Last-Modified" not in first
    assert second.status_code == 304


def test_sitemap_answers_304_to_get_and_head_when_unchanged(client):
    make_article()
    etag = client.get("/sitemap.xml")["ETag"]

    assert client.get("/sitemap.xml", headers={"if-none-match": etag}).status_code == 304
    assert client.head("/sitemap.xml", headers={"if-none-match": etag}).status_code == 304


def test_sitemap_lists_every_published_article_drill_program_and_topic(client):
    topic = make_topic(slug="pose-method")
    make_topic(slug="no-articles")
    make_article(slug="the-pull", topics=[topic])
    make_drill(slug="heel-pull")
    make_program(slug="pull-basics")

    response = client.get("/sitemap.xml")

    urls = [loc.text for loc in ElementTree.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert urls == [
        "http://testserver/",
        "http://testserver/articles/",
        "http://testserver/drills/",
        "http://testserver/articles/the-pull/",
        "http://testserver/drills/heel-pull/",
        "http://testserver/programs/pull-basics/",
        "http://testserver/topics/pose-method/",
    ]


def test_sitemap_and_feed_use_the_public_base_url_when_set(client, settings):
    settings.RUNCMS_PUBLIC_BASE_URL = "https://cms.example.com"
    make_article(slug="the-pull")

    sitemap = client.get("/sitemap.xml").content.decode()
    feed = client.get("/feed/").content.decode()

    assert "<loc>https://cms.example.com/articles/the-pull/</loc>" in sitemap
    assert 'href="https://cms.example.com/articles/the-pull/"' in feed
    assert 'href="https://cms.example.com/feed/" rel="self"' in feed


def test_sitemap_refuses_a_page_that_does_not_exist(client):
    assert client.get("/sitemap.xml?p=abc").status_code == 404
    assert client.get("/sitemap.xml?p=9").status_code == 404
