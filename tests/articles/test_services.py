from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services import embed_problems, save_article
from runcms.publishing import Status
from tests.factories import make_article, make_author, make_drill, make_media

pytestmark = pytest.mark.django_db

MISSING_MEDIA = "0b5e0c7a-9d1f-4c2e-8a3b-6f4d2e1c0a9b"


def test_saving_an_article_renders_its_body_and_reading_time():
    article = Article(slug="a", title="A", summary="S", author=make_author(), body="word " * 450)

    save_article(article)

    article.refresh_from_db()
    assert article.body_html.startswith("<p>word word")
    assert article.reading_minutes == 3


def test_embeds_define_the_related_drills_and_embedded_media():
    drill, other = make_drill(slug="heel-pull"), make_drill(slug="fall")
    photo = make_media()

    article = make_article(body=f"[[drill:heel-pull]]\n\nText.\n\n[[media:{photo.pk}]]\n\n[[drill:fall]]\n")

    assert set(article.related_drills.all()) == {drill, other}
    assert list(article.embedded_media.all()) == [photo]


def test_removing_an_embed_removes_the_related_drill():
    make_drill(slug="heel-pull")
    article = make_article(body="[[drill:heel-pull]]\n")

    article.body = "No drills now."
    save_article(article)

    assert list(article.related_drills.all()) == []


def test_embed_of_an_old_drill_slug_links_the_renamed_drill():
    drill = make_drill(slug="old-name")
    drill.slug = "new-name"
    drill.save()

    article = make_article(body="[[drill:old-name]]\n")

    assert list(article.related_drills.all()) == [drill]
    assert embed_problems("[[drill:old-name]]\n") == []


def test_embed_problems_name_the_line_of_each_missing_or_unpublished_item():
    now = timezone.now()
    make_drill(slug="live")
    make_drill(slug="draft", title="Draft drill", status=Status.DRAFT)
    make_drill(slug="later", title="Later drill", publish_at=now + timedelta(days=1))
    make_drill(
        slug="gone", title="Gone drill", publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1)
    )
    body = "\n\n".join(
        ["[[drill:live]]", "[[drill:draft]]", "[[drill:later]]", "[[drill:gone]]", "[[drill:nowhere]]",
         f"[[media:{MISSING_MEDIA}]]", "[[drill:Bad Slug]]"]
    )

    problems = embed_problems(body)

    assert [line for line, _ in problems] == [3, 5, 7, 9, 11, 13]
    messages = dict(problems)
    assert messages[3].startswith("the drill “Draft drill” is a draft, so readers would not see it")
    assert messages[5].startswith("the drill “Later drill” is scheduled for ")
    assert messages[7].startswith("the drill “Gone drill” was unpublished at ")
    assert messages[9] == "there is no drill at “nowhere”: check the slug in the drill's address"
    assert messages[11] == f"there is no media with the id {MISSING_MEDIA}: copy the id from the media library"
    assert "did you mean [[drill:bad-slug]]?" in messages[13]


def test_embeds_inside_code_are_not_checked():
    assert embed_problems("```\n[[drill:nowhere]]\n```\n") == []
