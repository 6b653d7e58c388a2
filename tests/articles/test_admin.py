import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import make_article, make_drill, make_media
from tests.helpers.article_admin import ADD_URL, PREVIEW_URL, new_article_form
from tests.helpers.pages import change_url

pytestmark = pytest.mark.django_db

def test_saving_an_article_renders_the_body_and_links_its_embedded_drills(client, editor):
    drill = make_drill(slug="heel-pull")
    photo = make_media()
    form = new_article_form(client, editor, body=f"# Why\n\n[[drill:heel-pull]]\n\n[[media:{photo.pk}]]\n")

    response = client.post(ADD_URL, {**form, "sources-0-title": "How to Run", "sources-0-author": "Romanov"})

    assert response.status_code == 302
    article = Article.objects.get(slug="the-pull")
    assert '<h2 id="section-why">Why</h2>' in article.body_html
    assert f'<div data-embed="drill" data-ref="heel-pull" data-id="{drill.pk}"></div>' in article.body_html
    assert list(article.related_drills.all()) == [drill]
    assert list(article.embedded_media.all()) == [photo]
    assert list(article.sources.values_list("title", "author")) == [("How to Run", "Romanov")]
    assert article.updated_by == editor


def test_embed_of_a_draft_drill_is_refused_naming_the_line_and_nothing_is_saved(client, editor):
    make_drill(slug="heel-pull", title="Heel pull", status=Status.DRAFT)
    form = new_article_form(client, editor, body="Intro.\n\n[[drill:heel-pull]]\n")

    response = client.post(ADD_URL, form)

    assert response.status_code == 200
    assert "Line 3: the drill “Heel pull” is a draft, so readers would not see it" in response.content.decode()
    assert not Article.objects.exists()


def test_a_draft_article_embedding_a_draft_drill_is_saved_with_a_warning(client, editor):
    make_drill(slug="heel-pull", title="Heel pull", status=Status.DRAFT)
    form = new_article_form(client, editor, body="Intro.\n\n[[drill:heel-pull]]\n", status=Status.DRAFT)

    response = client.post(ADD_URL, form, follow=True)

    assert Article.objects.get().status == Status.DRAFT
    assert "Saved, but readers will not see everything: Line 3: the drill “Heel pull” is a draft" in (
        response.content.decode()
    )


def test_an_article_scheduled_after_its_drill_goes_live_is_saved(client, editor):
    now = timezone.now()
    make_drill(slug="heel-pull", publish_at=now + timedelta(days=1))
    at = timezone.localtime(now + timedelta(days=2))
    form = new_article_form(
        client, editor, body="[[drill:heel-pull]]\n", publish_at_0=f"{at:%Y-%m-%d}", publish_at_1=f"{at:%H:%M:%S}"
    )

    client.post(ADD_URL, form)

    assert Article.objects.get().publish_at is not None


def test_an_article_scheduled_before_its_drill_goes_live_is_refused(client, editor):
    now = timezone.now()
    make_drill(slug="heel-pull", title="Heel pull", publish_at=now + timedelta(days=2))
    at = timezone.localtime(now + timedelta(days=1))
    form = new_article_form(
        client, editor, body="[[drill:heel-pull]]\n", publish_at_0=f"{at:%Y-%m-%d}", publish_at_1=f"{at:%H:%M:%S}"
    )

    response = client.post(ADD_URL, form)

    assert "Line 1: the drill “Heel pull” is scheduled for " in response.content.decode()
    assert not Article.objects.exists()


def test_a_markdown_image_is_refused_with_a_pointer_to_the_media_library(client, editor):
    form = new_article_form(client, editor, body="Intro.\n\nSee ![the pull](https://example.com/pull.png).\n")

    response = client.post(ADD_URL, form)

    assert "Line 3: the image “the pull” is not shown: upload it to the media library" in response.content.decode()
    assert not Article.objects.exists()


def test_a_body_longer_than_an_article_can_be_is_refused(client, editor):
    form = new_article_form(client, editor, body="word " * 50_000)

    response = client.post(ADD_URL, form)

    assert "at most 200,000 fit in one article" in response.content.decode()
    assert not Article.objects.exists()


def test_embed_of_a_missing_media_and_a_malformed_embed_are_refused(client, editor):
    form = new_article_form(
        client, editor, body="[[media:0b5e0c7a-9d1f-4c2e-8a3b-6f4d2e1c0a9b]]\n\nText [[drill:x]] here\n\n[[drill:x\n"
    )

    response = client.post(ADD_URL, form)

    page = response.content.decode()
    assert "Line 1: there is no media with the id 0b5e0c7a-9d1f-4c2e-8a3b-6f4d2e1c0a9b" in page
    assert "Line 5: [[drill:x is not closed: end it with ]]" in page
    assert not Article.objects.exists()


def test_changing_the_body_updates_the_related_drills(client, editor):
    first, second = make_drill(slug="first"), make_drill(slug="second")
    article = make_article(body="[[drill:first]]\n", status=Status.DRAFT)
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(article)))

    response = client.post(change_url(article), {**form, "body": "[[drill:second]]\n"})

    assert response.status_code == 302
    assert list(article.related_drills.all()) == [second]
    assert first not in article.related_drills.all()


def test_a_stale_article_form_is_refused(client, editor, second_editor):
    article = make_article(title="Original", status=Status.DRAFT)
    client.force_login(editor)
    stale = admin_form_data(client.get(change_url(article)))
    client.force_login(second_editor)
    fresh = admin_form_data(client.get(change_url(article)))
    client.post(change_url(article), {**fresh, "title": "Theirs"})

    client.force_login(editor)
    response = client.post(change_url(article), {**stale, "title": "Mine"})

    article.refresh_from_db()
    assert article.title == "Theirs"
    assert "nothing of theirs was overwritten" in response.content.decode()


def test_every_article_save_is_a_revision(client, editor):
    article = make_article(status=Status.DRAFT)
    client.force_login(editor)
    client.post(change_url(article), {**admin_form_data(client.get(change_url(article))), "title": "Second"})
    client.post(change_url(article), {**admin_form_data(client.get(change_url(article))), "title": "Third"})

    assert Version.objects.get_for_object(article).count() == 2


def test_change_page_offers_a_preview_link_that_opens_the_draft_without_login(client, editor, settings):
    settings.RUNCMS_PREVIEW_MAX_AGE = 3600
    article = make_article(slug="draft", title="Draft for review", status=Status.DRAFT)
    client.force_login(editor)

    page = client.get(change_url(article)).content.decode()

    link = re.search(r'<input id="preview-link" class="vLargeTextField" type="url" readonly value="([^"]+)"', page)[1]
    assert link.startswith("http://testserver/articles/draft/?preview=")
    path = link.removeprefix("http://testserver").replace("&amp;", "&")
    anonymous = Client()
    assert "Draft for review" in anonymous.get(path).content.decode()
    assert anonymous.get("/articles/draft/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert anonymous.get(path).status_code == 404


def test_markdown_preview_renders_the_public_page_body_with_embed_cards(client, editor):
    make_drill(slug="heel-pull", title="Heel pull on the box", reps=10, per_side=True)
    client.force_login(editor)

    response = client.post(
        PREVIEW_URL, {"title": "The pull", "summary": "Why it matters.", "body": "## Why\n\n[[drill:heel-pull]]\n"}
    )

    result = response.json()
    assert response.status_code == 200
    assert result["problems"] == []
    assert "<h1>The pull</h1>" in result["html"]
    assert '<h2 id="section-why">Why</h2>' in result["html"]
    assert '<a href="/drills/heel-pull/">Heel pull on the box</a>' in result["html"]
    assert "10 reps per side" in result["html"]
    assert '<link rel="stylesheet" href="/static/runcms/site.css">' in result["html"]


def test_markdown_preview_lists_embed_problems(client, editor):
    client.force_login(editor)

    result = client.post(PREVIEW_URL, {"body": "Text.\n\n[[drill:nowhere]]\n"}).json()

    assert result["problems"] == ["Line 3: there is no drill at “nowhere”: check the slug in the drill's address"]


def test_markdown_preview_sanitises_hostile_input(client, editor):
    client.force_login(editor)

    result = client.post(
        PREVIEW_URL, {"title": "<script>x</script>", "body": "<script>window.__xss=1</script>\n\n[a](javascript:x)"}
    ).json()

    assert "<script>" not in result["html"]
    assert 'href="javascript' not in result["html"]


def test_markdown_preview_refuses_get_anonymous_and_oversized_requests(client, editor):
    assert Client().post(PREVIEW_URL, {"body": "x"}).status_code == 302  # to the login page
    client.force_login(editor)
    assert client.get(PREVIEW_URL).status_code == 405
    response = client.post(PREVIEW_URL, {"body": "x" * 200_001})
    assert response.status_code == 400
    assert response.json() == {"detail": "The body is too long to preview: at most 200,000 characters."}


def test_markdown_preview_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(PREVIEW_URL, {"body": "x"}).status_code == 403


def test_markdown_preview_refuses_staff_without_article_permissions(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)

    assert client.post(PREVIEW_URL, {"body": "x"}).status_code == 403


def test_a_source_link_that_is_not_a_web_address_is_refused(client, editor):
    form = new_article_form(client, editor)

    response = client.post(ADD_URL, {**form, "sources-0-title": "Evil", "sources-0-url": "javascript:alert(1)"})

    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Article.objects.exists()
