import pytest

from tests.helpers.pages import text_of
from tests.helpers.site import OnTheSite

pytestmark = pytest.mark.django_db


def test_404_page_offers_search_prefilled_from_the_address_and_links(client):
    page = text_of(client.get("/drills/heel-pull-on-bxo/"))

    assert 'name="q" value="heel pull on bxo"' in page
    assert '<a href="/drills/">All drills</a>' in page
    assert '<a href="/articles/">All articles</a>' in page


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in text_of(response)
    assert "Disallow: /admin/" in text_of(response)


class TestPagesOfTheSite(OnTheSite):
    """Error pages, methods and caching, on the small published site."""

    @pytest.mark.parametrize(
        "url",
        [
            "/articles/?page=abc",
            "/articles/?page=0",
            "/articles/?page=99",
            "/articles/?page=1.5",
            "/drills/?page=-1",
            "/drills/?category=no-such-category",
            "/drills/?category=%3Cscript%3E",
            "/topics/no-such-topic/",
            "/articles/no-such-article/",
            "/drills/no-such-drill/",
            "/programs/no-such-program/",
            "/topics/pose-method/?page=7",
        ],
    )
    def test_bad_addresses_get_the_helpful_404_page(self, client, site, url):
        response = client.get(url)

        assert response.status_code == 404
        assert "We could not find that page" in text_of(response)

    def test_hostile_search_text_is_shown_escaped_and_cut_short(self, client, site):
        response = client.get("/articles/", {"q": '"><script>alert(1)</script>' + "x" * 500})

        page = text_of(response)
        assert response.status_code == 200
        assert "<script>alert(1)" not in page
        assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "x" * 101 not in page

    @pytest.mark.parametrize("url", ["/", "/articles/", "/articles/the-pull/", "/drills/heel-pull-on-box/"])
    def test_pages_refuse_posts(self, client, site, url):
        assert client.post(url).status_code == 405

    def test_pages_answer_304_when_unchanged(self, client, site):
        first = client.get("/articles/the-pull/")

        second = client.get("/articles/the-pull/", headers={"if-none-match": first["ETag"]})

        assert first["Cache-Control"] == "public, no-cache"
        assert second.status_code == 304
        assert second.content == b""

    def test_head_answers_with_the_etag_of_the_get_and_304_when_unchanged(self, client, site):
        etag = client.get("/articles/the-pull/")["ETag"]

        head = client.head("/articles/the-pull/")
        revalidated = client.head("/articles/the-pull/", headers={"if-none-match": etag})

        assert (head.status_code, head["ETag"]) == (200, etag)
        assert revalidated.status_code == 304
