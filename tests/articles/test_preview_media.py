import pytest
from django.test import Client

from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import make_article, make_media

pytestmark = pytest.mark.django_db


def hero_rendition_url(article):
    return article.hero.renditions.order_by("width").first().file.url


def test_a_preview_link_shows_the_drafts_own_pictures_to_whoever_opens_it(client):
    article = make_article(status=Status.DRAFT, hero=make_media(mime_type="image/jpeg"))
    page = client.get(f"/articles/{article.slug}/?preview={make_preview_token(article)}")

    response = client.get(hero_rendition_url(article))

    assert page.status_code == 200
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_without_the_preview_link_a_drafts_pictures_stay_hidden():
    article = make_article(status=Status.DRAFT, hero=make_media(mime_type="image/jpeg"))

    response = Client().get(hero_rendition_url(article))

    assert response.status_code == 404


def test_a_preview_link_for_one_draft_does_not_open_another_drafts_pictures(client):
    previewed = make_article(status=Status.DRAFT)
    other = make_article(status=Status.DRAFT, hero=make_media(mime_type="image/jpeg"))
    client.get(f"/articles/{previewed.slug}/?preview={make_preview_token(previewed)}")

    response = client.get(hero_rendition_url(other))

    assert response.status_code == 404
