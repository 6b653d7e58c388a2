"""Every public page is valid HTML5 with one <h1>, landmarks, a skip link and alt on every image."""

import html5lib
import pytest
from django.template.loader import render_to_string

from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import make_article
from tests.helpers.scenes import shared_scene
from tests.helpers.site import build_site

pytestmark = pytest.mark.django_db


@shared_scene()
def site():
    """The site of tests/conftest.py, built once for this module: its tests only read it."""
    return build_site()

PAGES = [
    "/",
    "/articles/",
    "/articles/?q=pull",
    "/articles/the-pull/",
    "/drills/",
    "/drills/?category=pull",
    "/drills/heel-pull-on-box/",
    "/drills/heel-pull-lying/",
    "/programs/pull-basics/",
    "/topics/pose-method/",
    "/no-such-page/",
    "/articles/no-such-article/",
]


def parse(content):
    # strict: the first parse error raises, naming the line and what is wrong.
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(content)


@pytest.mark.parametrize("url", PAGES)
def test_page_is_valid_html5_with_one_h1_landmarks_and_alt_on_every_image(client, site, url):
    response = client.get(url)

    document = parse(response.content)
    assert len(document.findall(".//h1")) == 1
    assert [img.get("src") for img in document.iter("img") if img.get("alt") is None] == []
    for landmark in ("header", "nav", "main", "footer"):
        assert document.find(f".//{landmark}") is not None, landmark
    skip = document.find(".//body/a")
    assert (skip.get("href"), document.find(".//main").get("id")) == ("#main", "main")
    assert (document.tag, document.get("lang")) == ("html", "en")


@pytest.mark.parametrize("url", ["/", "/articles/the-pull/", "/drills/heel-pull-on-box/"])
def test_every_picture_has_width_height_srcset_and_lazy_loading_below_the_fold(client, site, url):
    document = parse(client.get(url).content)

    pictures = [img for img in document.iter("img") if "picture__placeholder" not in (img.get("class") or "")]
    assert pictures
    for img in pictures:
        assert img.get("width") and img.get("height"), img.get("src")
        assert img.get("srcset"), img.get("src")
        assert img.get("loading") == "lazy" or img.get("fetchpriority") == "high", img.get("src")


def test_preview_page_is_valid_html5(client):
    draft = make_article(slug="draft", status=Status.DRAFT)

    document = parse(client.get(f"/articles/draft/?preview={make_preview_token(draft)}").content)

    assert len(document.findall(".//h1")) == 1


def test_server_error_page_is_valid_html5_and_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    document = parse(html)
    assert len(document.findall(".//h1")) == 1


def test_html_check_catches_broken_markup():
    with pytest.raises(html5lib.html5parser.ParseError):
        parse(b"<!DOCTYPE html><html><head><title>x</title></head><body><p>a</b></body></html>")
