"""Rule 1: the API never shows a draft, a not-yet-due or expired item, or media only they use."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from drills.models import Cue, DrillMedia, MediaKind, Step
from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.api.content import small_media
from tests.api.replica import full_sync
from tests.factories import make_article, make_author, make_drill, make_equipment, make_program, make_topic

pytestmark = pytest.mark.django_db

MAKERS = {"drills": make_drill, "programs": make_program, "articles": make_article}


def hidden_drills():
    now = timezone.now()
    return [
        make_drill(status=Status.DRAFT),
        make_drill(publish_at=now + timedelta(days=1)),
        make_drill(publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1)),
    ]


def test_hidden_drills_are_in_no_list_detail_or_sync(client):
    hidden = hidden_drills()
    replica, _ = full_sync(client)

    listed = {d["id"] for d in client.get("/api/v1/drills/").json()["results"]}

    for drill in hidden:
        assert str(drill.pk) not in listed and str(drill.pk) not in replica["drills"]
        assert client.get(f"/api/v1/drills/{drill.slug}/").status_code == 404


def test_hidden_programs_and_articles_are_404(client):
    program = make_program(status=Status.DRAFT)
    article = make_article(status=Status.DRAFT)

    assert client.get(f"/api/v1/programs/{program.slug}/").status_code == 404
    assert client.get(f"/api/v1/articles/{article.slug}/").status_code == 404
    assert client.get("/api/v1/programs/").json()["count"] == 0
    assert client.get("/api/v1/articles/").json()["count"] == 0


def test_a_drafts_media_cannot_be_reached_by_its_id(client):
    media = small_media()
    DrillMedia.objects.create(drill=make_drill(status=Status.DRAFT), media=media)
    replica, _ = full_sync(client)

    response = client.get(f"/api/v1/media/{media.pk}/")

    assert response.status_code == 404 and response.json() == {"detail": "No public media has this id."}
    assert client.get("/api/v1/media/").json()["count"] == 0
    assert replica["media"] == {}


def test_media_used_by_a_published_item_and_a_draft_is_public_once(client):
    media = small_media()
    DrillMedia.objects.create(drill=make_drill(status=Status.DRAFT), media=media)
    for _ in range(2):
        DrillMedia.objects.create(drill=make_drill(), media=media)

    body = client.get("/api/v1/media/").json()

    assert [m["id"] for m in body["results"]] == [str(media.pk)] and body["count"] == 1


def test_a_scheduled_drill_appears_when_its_time_comes_without_a_save(client):
    drill = make_drill(publish_at=timezone.now() + timedelta(hours=1))
    assert client.get(f"/api/v1/drills/{drill.slug}/").status_code == 404

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get(f"/api/v1/drills/{drill.slug}/").status_code == 200


def test_a_program_does_not_list_a_draft_drill(client):
    live, draft = make_drill(), make_drill(status=Status.DRAFT)
    program = make_program(drills=[live, draft])

    items = client.get(f"/api/v1/programs/{program.slug}/").json()["items"]

    assert [item["drill"]["id"] for item in items] == [str(live.pk)]


def test_a_drill_does_not_link_to_a_draft_progression(client):
    drill, draft = make_drill(), make_drill(status=Status.DRAFT)
    drill.progressions.add(draft)

    assert client.get(f"/api/v1/drills/{drill.slug}/").json()["progressions"] == []


def test_terms_only_a_draft_uses_stay_private(client):
    secret = make_equipment(slug="secret-sled")
    make_drill(status=Status.DRAFT).equipment.add(secret)
    make_article(status=Status.DRAFT, topics=[make_topic(slug="secret-topic")])

    assert client.get("/api/v1/equipment/").json()["count"] == 0
    assert client.get("/api/v1/topics/").json()["count"] == 0
    assert client.get("/api/v1/categories/").json()["count"] == 0


def test_a_preview_token_opens_the_draft_on_the_detail_only(client):
    draft = make_drill(status=Status.DRAFT, steps=["Lie face down."])
    media = small_media()
    Step.objects.filter(drill=draft).update(media=media)

    response = client.get(f"/api/v1/drills/{draft.slug}/", {"preview": make_preview_token(draft)})

    assert response.status_code == 200 and response.json()["id"] == str(draft.pk)
    assert response.json()["steps"][0]["media"]["id"] == str(media.pk)
    assert response["Cache-Control"] == "private, no-store"
    assert client.get("/api/v1/drills/", {"preview": make_preview_token(draft)}).json()["count"] == 0
    assert client.get(f"/api/v1/media/{media.pk}/", {"preview": make_preview_token(draft)}).status_code == 404


@pytest.mark.parametrize("token", ["", "garbage", "x" * 3000])
def test_without_a_valid_preview_token_a_draft_is_404(client, token):
    draft = make_drill(status=Status.DRAFT)

    assert client.get(f"/api/v1/drills/{draft.slug}/", {"preview": token}).status_code == 404


def test_a_preview_token_of_another_draft_opens_nothing(client):
    draft, other = make_drill(status=Status.DRAFT), make_drill(status=Status.DRAFT)

    response = client.get(f"/api/v1/drills/{draft.slug}/", {"preview": make_preview_token(other)})

    assert response.status_code == 404


def test_an_expired_preview_token_opens_nothing(client, settings):
    settings.RUNCMS_PREVIEW_MAX_AGE = 60
    draft = make_drill(status=Status.DRAFT)
    token = make_preview_token(draft)

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert client.get(f"/api/v1/drills/{draft.slug}/", {"preview": token}).status_code == 404


@pytest.mark.parametrize("collection", ["drills", "programs", "articles"])
def test_an_old_slug_answers_301_to_the_current_one(client, collection):
    item = MAKERS[collection](slug="old-name")
    item.slug = "new-name"
    item.save()

    response = client.get(f"/api/v1/{collection}/old-name/", {"preview": "kept"})

    assert response.status_code == 301
    assert response["Location"] == f"http://testserver/api/v1/{collection}/new-name/?preview=kept"
    assert response.json()["detail"].startswith("Moved to ")


def test_an_old_slug_of_a_draft_is_404(client):
    drill = make_drill(slug="old-name")
    drill.slug, drill.status = "new-name", Status.DRAFT
    drill.save()

    assert client.get("/api/v1/drills/old-name/").status_code == 404


def media_urls(data):
    """Every file URL of every media object in a representation: originals, posters, renditions."""
    if isinstance(data, list):
        return [url for item in data for url in media_urls(item)]
    if not isinstance(data, dict):
        return []
    if "renditions" in data:  # a media object
        return [url for url in (data["url"], data["poster"], *(r["url"] for r in data["renditions"])) if url]
    return [url for value in data.values() for url in media_urls(value)]


def preview_of(url):
    return parse_qs(urlsplit(url).query).get("preview")


def draft_with_own_media(collection):
    """A draft that is the only user of its photos, audio and video: none of them is public."""
    if collection == "drills":
        draft = make_drill(status=Status.DRAFT, steps=["Lie face down."], cues=["Keep your hips level"])
        Step.objects.filter(drill=draft).update(media=small_media())
        Cue.objects.filter(drill=draft).update(audio=small_media(kind=MediaKind.AUDIO))
        DrillMedia.objects.create(drill=draft, media=small_media(kind=MediaKind.VIDEO))
        return draft
    if collection == "programs":
        return make_program(status=Status.DRAFT, cover=small_media(), drills=[make_drill()])
    embedded = small_media()
    return make_article(
        status=Status.DRAFT, hero=small_media(), author=make_author(photo=small_media()),
        body=f"The pull.\n\n[[media:{embedded.pk}]]\n",
    )


@pytest.mark.parametrize("collection", ["drills", "programs", "articles"])
def test_a_previewed_drafts_media_urls_carry_the_token_and_serve_the_files_privately(client, collection):
    draft = draft_with_own_media(collection)
    token = make_preview_token(draft)

    response = client.get(f"/api/v1/{collection}/{draft.slug}/", {"preview": token})

    urls = media_urls(response.json())
    assert response["Cache-Control"] == "private, no-store"
    assert len(urls) >= 3
    for url in urls:
        assert preview_of(url) == [token], url
        served = client.get(url)
        assert served.status_code == 200, url
        assert served["Cache-Control"] == "private, no-store"
        assert client.get(urlsplit(url).path).status_code == 404, url


def test_published_items_and_previews_of_other_items_keep_plain_media_urls(client):
    drill = make_drill()
    DrillMedia.objects.create(drill=drill, media=small_media(kind=MediaKind.VIDEO))
    other_draft = make_drill(status=Status.DRAFT)

    plain = client.get(f"/api/v1/drills/{drill.slug}/").json()
    other = client.get(f"/api/v1/drills/{drill.slug}/", {"preview": make_preview_token(other_draft)}).json()
    synced, _ = full_sync(client)

    for data in (plain, other, synced, client.get("/api/v1/drills/").json(), client.get("/api/v1/media/").json()):
        urls = media_urls(data)
        assert urls and all(urlsplit(url).query == "" for url in urls)
