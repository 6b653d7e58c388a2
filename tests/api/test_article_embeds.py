"""Rule 1 in an article's body: the API drops embeds of drills (and media) the public cannot see."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.markdown import render_markdown
from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.api.content import small_media
from tests.api.replica import delta_sync, full_sync
from tests.factories import make_article, make_drill

pytestmark = pytest.mark.django_db


def article_json(client, article, **params):
    response = client.get(f"/api/v1/articles/{article.slug}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_an_embedded_drill_that_expires_leaves_body_and_body_html_with_its_time(client):
    start = timezone.now()
    make_drill(slug="soon-expired", unpublish_at=start + timedelta(hours=1))
    make_drill(slug="stays")
    media = small_media()
    article = make_article(body=f"Intro.\n\n[[drill:soon-expired]]\n\n[[drill:stays]]\n\n[[media:{media.pk}]]\n")
    assert "soon-expired" in article_json(client, article)["body_html"]

    with time_machine.travel(start + timedelta(hours=2)):
        data = article_json(client, article)

    assert "soon-expired" not in data["body"] and "soon-expired" not in data["body_html"]
    assert "[[drill:stays]]" in data["body"] and 'data-ref="stays"' in data["body_html"]
    assert f"[[media:{media.pk}]]" in data["body"] and f'data-ref="{media.pk}"' in data["body_html"]
    assert [drill["slug"] for drill in data["related_drills"]] == ["stays"]


@pytest.mark.parametrize(
    "drill_fields",
    [{"status": Status.DRAFT}, {"publish_at": timezone.now() + timedelta(days=1)}],
    ids=["draft", "scheduled"],
)
def test_an_embedded_drill_the_public_cannot_see_is_in_neither_body(client, drill_fields):
    make_drill(slug="secret-drill", **drill_fields)
    article = make_article(body="Intro.\n\n[[drill:secret-drill]]\n\nMore.\n")

    data = article_json(client, article)
    synced, _ = full_sync(client)

    assert "secret-drill" not in data["body"] and "secret-drill" not in data["body_html"]
    assert "Intro." in data["body"] and "More." in data["body_html"]
    assert synced["articles"][str(article.pk)]["body"] == data["body"]
    assert synced["articles"][str(article.pk)]["body_html"] == data["body_html"]


def test_every_copy_of_a_hidden_embed_goes_wherever_it_stands_and_the_rest_of_the_body_stays(client):
    make_drill(slug="secret-drill", status=Status.DRAFT)
    make_drill(slug="stays")
    body = (
        "Intro.\r\n[[drill:secret-drill]]\r\nAfter it.\n\n"
        "> Quoted.\n> [[ Drill : secret-drill ]]\n\n"
        "- one\n- [[drill:secret-drill]]\n- [[drill:stays]]\n\n"
        "```\n[[drill:kept-as-code]]\n```\n"
    )
    article = make_article(body=body)

    data = article_json(client, article)

    assert "secret-drill" not in data["body"] and "secret-drill" not in data["body_html"]
    assert "[[drill:kept-as-code]]" in data["body"] and "[[drill:stays]]" in data["body"]
    # The body still reads as the editor wrote it: the same HTML, less the hidden embeds.
    assert render_markdown(data["body"]).html.replace("\n", "") == data["body_html"].replace("\n", "")
    assert "Intro.\r\n\r\nAfter it." in data["body"]


def test_an_embed_under_an_old_slug_of_a_published_drill_stays_under_its_current_slug(client):
    drill = make_drill(slug="old-name")
    article = make_article(body="Intro.\n\n[[drill:old-name]]\n\n> Quoted.\n> [[ Drill : old-name ]]\n")
    drill.slug = "new-name"
    drill.save()

    data = article_json(client, article)
    synced, _ = full_sync(client)

    assert "old-name" not in data["body"] and "old-name" not in data["body_html"]
    assert "\n\n[[drill:new-name]]\n\n> Quoted.\n> [[drill:new-name]]\n" in data["body"]
    assert data["body_html"].count('data-ref="new-name"') == 2
    assert [d["slug"] for d in data["related_drills"]] == ["new-name"]
    assert render_markdown(data["body"]).html == data["body_html"]
    assert synced["articles"][str(article.pk)] == data


def test_a_delta_sync_brings_the_article_with_the_current_slug_of_a_renamed_drill(client):
    drill = make_drill(slug="old-name")
    article = make_article(body="[[drill:old-name]]\n")
    replica, token = full_sync(client)
    drill.slug = "new-name"
    drill.save()

    delta_sync(client, replica, token)

    assert 'data-ref="new-name"' in replica["articles"][str(article.pk)]["body_html"]


def test_an_embed_of_a_drill_that_was_deleted_goes(client):
    drill = make_drill(slug="gone-drill")
    article = make_article(body="[[drill:gone-drill]]\n")
    drill.delete()

    data = article_json(client, article)

    assert "gone-drill" not in data["body"] and "gone-drill" not in data["body_html"]


def test_an_embed_of_deleted_media_goes(client):
    media = small_media()
    media_id = str(media.pk)
    article = make_article(body=f"[[media:{media_id}]]\n")
    media.delete()

    data = article_json(client, article)

    assert media_id not in data["body"] and media_id not in data["body_html"]


def test_a_previewed_draft_article_shows_its_own_media_but_no_draft_drill(client):
    make_drill(slug="secret-drill", status=Status.DRAFT)
    media = small_media()
    article = make_article(status=Status.DRAFT, body=f"[[drill:secret-drill]]\n\n[[media:{media.pk}]]\n")

    data = article_json(client, article, preview=make_preview_token(article))

    assert "secret-drill" not in data["body"] and "secret-drill" not in data["body_html"]
    assert f'data-ref="{media.pk}"' in data["body_html"]


def test_a_delta_sync_upserts_the_article_without_the_slug_when_its_drill_expires_by_time(client):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=1)):
        make_drill(slug="soon-expired", unpublish_at=start + timedelta(hours=1))
        article = make_article(body="Intro.\n\n[[drill:soon-expired]]\n")
    replica, token = full_sync(client)
    assert "soon-expired" in replica["articles"][str(article.pk)]["body"]

    with time_machine.travel(start + timedelta(hours=2)):
        _, pages = delta_sync(client, replica, token)

    upserted = {a["id"]: a for page in pages for a in page["upserted"]["articles"]}
    assert set(upserted) == {str(article.pk)}
    assert "soon-expired" not in upserted[str(article.pk)]["body"]
    assert "soon-expired" not in upserted[str(article.pk)]["body_html"]
    assert replica["articles"][str(article.pk)] == upserted[str(article.pk)]
