import json
import re

import pytest
import time_machine
from django.utils import timezone

from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import (
    make_article,
    make_drill,
    make_media,
    make_topic,
)
from tests.helpers.pages import json_ld, text_of
from tests.helpers.site import OnTheSite

pytestmark = pytest.mark.django_db


def test_article_page_lists_its_drills_in_the_order_the_body_shows_them(client):
    for slug in ("zigzag-hops", "ankle-bounces", "marching"):
        make_drill(slug=slug, title=slug.replace("-", " ").capitalize())
    make_article(slug="order", body="[[drill:zigzag-hops]]\n\n[[drill:marching]]\n\n[[drill:ankle-bounces]]\n")

    page = text_of(client.get("/articles/order/"))

    listed = page[page.index('id="drills-in-article"'):]
    assert listed.index("Zigzag hops") < listed.index("Marching") < listed.index("Ankle bounces")


def test_json_ld_cannot_be_closed_by_a_title(client):
    make_article(slug="hostile", title="</script><script>window.__xss=1</script>")

    page = text_of(client.get("/articles/hostile/"))

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)[1]
    assert json.loads(block)["headline"] == "</script><script>window.__xss=1</script>"
    assert "<script>window" not in page


def test_featured_article_comes_first_on_the_home_page(client):
    make_article(title="Featured older", featured=True)
    make_article(title="Newest")

    page = text_of(client.get("/"))

    assert page.index("Featured older") < page.index("Newest")


def test_a_topic_no_published_article_uses_is_a_404(client):
    make_topic(slug="empty")
    make_article(status=Status.DRAFT, topics=[make_topic(slug="draft-only")])

    responses = [client.get("/topics/empty/"), client.get("/topics/draft-only/")]

    assert [response.status_code for response in responses] == [404, 404]


def test_article_list_is_paginated(client):
    for number in range(14):
        make_article(title=f"Article number {number:02}")

    first = text_of(client.get("/articles/"))
    second = text_of(client.get("/articles/?page=2"))

    assert first.count('class="card card--article"') == 12
    assert second.count('class="card card--article"') == 2
    assert '<a rel="next" href="?page=2">' in first
    assert '<a rel="prev" href="?page=1">' in second
    assert '<link rel="canonical" href="http://testserver/articles/?page=2">' in second


def test_article_search_finds_by_title_and_summary_words(client):
    make_article(title="The pull", summary="Hamstrings and the support foot.")
    make_article(title="Cadence", summary="Steps per minute.")

    page = text_of(client.get("/articles/?q=support+hamstrings"))

    assert "The pull" in page
    assert "Cadence" not in page


def test_article_search_on_the_site_looks_in_the_body(client):
    make_article(title="The pull", body="Bring the support foot back under the hip with the hamstrings.")
    make_article(title="Cadence", body="Count your steps per minute.")

    page = text_of(client.get("/articles/?q=hamstrings"))

    assert "The pull" in page
    assert "Cadence" not in page


def test_pagination_keeps_the_search(client):
    for number in range(13):
        make_article(title=f"Pull {number}")

    page = text_of(client.get("/articles/?q=pull"))

    assert '<a rel="next" href="?q=pull&amp;page=2">' in page


def test_old_slug_of_a_draft_still_404s(client):
    drill = make_drill(slug="old-name", status=Status.DRAFT)
    drill.slug = "new-name"
    drill.save()

    assert client.get("/drills/old-name/").status_code == 404


def test_preview_link_opens_a_draft_with_a_banner_and_no_caching(client):
    draft = make_article(slug="draft", title="Draft article", status=Status.DRAFT)

    response = client.get(f"/articles/draft/?preview={make_preview_token(draft)}")

    page = text_of(response)
    assert response.status_code == 200
    assert "Draft article" in page
    assert "Preview: readers cannot see this yet" in page
    assert '<meta name="robots" content="noindex">' in page
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert response["X-Robots-Tag"] == "noindex"
    assert "ETag" not in response


def test_preview_link_stops_working_when_it_expires(client, settings):
    settings.RUNCMS_PREVIEW_MAX_AGE = 3600
    draft = make_article(slug="draft", status=Status.DRAFT)
    url = f"/articles/draft/?preview={make_preview_token(draft)}"

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=59)):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=61)):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("token", ["garbage", "", "a" * 5000])
def test_bad_preview_tokens_open_nothing(client, token):
    make_article(slug="draft", status=Status.DRAFT)

    assert client.get("/articles/draft/", {"preview": token}).status_code == 404


def test_preview_token_of_one_draft_opens_no_other(client):
    first = make_article(slug="first", status=Status.DRAFT)
    make_article(slug="second", status=Status.DRAFT)

    assert client.get(f"/articles/second/?preview={make_preview_token(first)}").status_code == 404


def test_preview_survives_a_slug_change(client):
    draft = make_article(slug="draft", status=Status.DRAFT)
    token = make_preview_token(draft)
    draft.slug = "renamed-draft"
    draft.save()

    response = client.get("/articles/draft/", {"preview": token})

    assert response.status_code == 301
    assert response["Location"].startswith("/articles/renamed-draft/?preview=")
    assert client.get(response["Location"]).status_code == 200


def test_transparent_image_gets_no_placeholder_behind_it(client):
    make_article(slug="transparent", hero=make_media(transparent=True))

    page = text_of(client.get("/articles/transparent/"))

    hero = re.search(r'<figure class="figure hero">.*?</figure>', page, re.DOTALL)[0]
    assert "picture__placeholder" not in hero
    assert ".png" in hero


def test_media_without_renditions_shows_the_original(client):
    make_article(slug="plain", hero=make_media(renditions=False))

    page = text_of(client.get("/articles/plain/"))

    hero = re.search(r'<figure class="figure hero">.*?</figure>', page, re.DOTALL)[0]
    assert re.search(r'<img src="/media/media/[^"]+\.jpeg" width="800" height="600" alt="Runner', hero)


class TestPagesOfTheSite(OnTheSite):
    """Article, home and topic pages of the small published site."""

    def test_article_page_shows_the_body_with_its_drill_card_and_media_figures(self, client, site):
        response = client.get("/articles/the-pull/")

        page = text_of(response)
        assert response.status_code == 200
        assert "<h1>The pull: bring the foot back under the hip</h1>" in page
        assert 'id="section-why-the-pull"' in page
        card = re.search(r'<article class="card">.*?</article>', page, re.DOTALL)[0]
        assert '<a href="/drills/heel-pull-on-box/">Heel pull on the box</a>' in card
        assert "Stand on a box and pull the free heel to the hip." in card
        assert "2 sets of 10 reps per side, rest 1 min. Change feet after 10" in card
        assert 'srcset="' in card
        assert '<figcaption>The heel pull <span class="credit">Photo: Jane Doe · CC BY 4.0</span></figcaption>' in page
        assert re.search(r'<video controls preload="none" playsinline poster="/media/[^"]+"', page)
        assert "<table>" in page

    def test_article_page_lists_its_sources_reading_time_topics_and_related_drills(self, client, site):
        page = text_of(client.get("/articles/the-pull/"))

        assert (
            '<cite><a href="https://example.com/how-to-run" rel="nofollow noopener">How to Run</a></cite>,'
            " Nicholas Romanov" in page
        )
        assert "<cite>You Can Run Faster</cite>, Zhanlu Culture" in page
        assert "1 min read" in page
        assert '<a href="/topics/pose-method/">Pose method</a>' in page
        assert 'id="drills-in-article"' in page
        assert "About Coach Xu" in page

    def test_article_page_has_title_description_canonical_and_sharing_cards(self, client, site):
        page = text_of(client.get("/articles/the-pull/"))

        assert "<title>The pull: bring the foot back under the hip · runcms</title>" in page
        assert '<meta name="description" content="Why pulling the support foot back under the hip matters' in page
        assert '<link rel="canonical" href="http://testserver/articles/the-pull/">' in page
        assert '<meta property="og:type" content="article">' in page
        assert re.search(r'<meta property="og:image" content="http://testserver/media/[^"]+\.jpeg">', page)
        assert '<meta name="twitter:card" content="summary_large_image">' in page

    def test_article_page_describes_itself_as_a_schema_org_article(self, client, site):
        data = json_ld(client.get("/articles/the-pull/"))

        assert data["@type"] == "Article"
        assert data["headline"] == "The pull: bring the foot back under the hip"
        assert data["author"] == {"@type": "Person", "name": "Coach Xu"}
        assert data["mainEntityOfPage"] == "http://testserver/articles/the-pull/"
        assert data["citation"][0]["name"] == "How to Run"
        assert data["datePublished"]

    def test_home_page_shows_latest_articles_featured_programs_and_new_drills(self, client, site):
        page = text_of(client.get("/"))

        assert "The pull: bring the foot back under the hip" in page
        assert "Pull basics" in page
        assert "Heel pull on the box" in page
        assert page.count("<h1>") == 1

    def test_topic_page_lists_its_published_articles(self, client, site):
        make_article(title="Not in the topic")

        page = text_of(client.get("/topics/pose-method/"))

        assert "<h1>Pose method</h1>" in page
        assert "The pull: bring the foot back under the hip" in page
        assert "Not in the topic" not in page

    def test_old_article_slug_redirects_permanently(self, client, site):
        site.article.slug = "pull-under-the-hip"
        site.article.save()

        response = client.get("/articles/the-pull/")

        assert response.status_code == 301
        assert response["Location"] == "/articles/pull-under-the-hip/"

    def test_embed_of_a_renamed_drill_still_shows_its_card(self, client, site):
        site.drill.slug = "box-heel-pull"
        site.drill.save()

        page = text_of(client.get("/articles/the-pull/"))

        assert '<a href="/drills/box-heel-pull/">Heel pull on the box</a>' in page

    def test_embed_of_an_unpublished_drill_renders_nothing(self, client, site):
        site.drill.status = Status.DRAFT
        site.drill.save()

        page = text_of(client.get("/articles/the-pull/"))

        assert "Heel pull on the box" not in page
        assert "data-embed" not in page

    def test_etag_changes_when_the_article_changes(self, client, site):
        first = client.get("/articles/the-pull/")
        site.article.title = "A new title"
        site.article.save()

        second = client.get("/articles/the-pull/", headers={"if-none-match": first["ETag"]})

        assert second.status_code == 200

    def test_etag_changes_when_an_embedded_drill_expires_by_time_alone(self, client, site):
        site.drill.unpublish_at = timezone.now() + timezone.timedelta(hours=1)
        site.drill.save()
        first = client.get("/articles/the-pull/")

        with time_machine.travel(timezone.now() + timezone.timedelta(hours=2)):
            second = client.get("/articles/the-pull/", headers={"if-none-match": first["ETag"]})

        assert second.status_code == 200
        assert "Heel pull on the box" not in text_of(second)

    def test_absolute_urls_use_the_public_base_url_when_set(self, client, site, settings):
        settings.RUNCMS_PUBLIC_BASE_URL = "https://cms.example.com/"

        page = text_of(client.get("/articles/the-pull/"))

        assert '<link rel="canonical" href="https://cms.example.com/articles/the-pull/">' in page
        assert re.search(r'<meta property="og:image" content="https://cms.example.com/media/', page)
