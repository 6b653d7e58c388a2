"""Every field the API v1 contract promises is there, with the documented type (PRODUCT.md)."""

import re
from datetime import datetime

import pytest

from drills.models import DrillMedia, MediaKind
from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.api.content import rich_article, rich_drill, rich_program, small_media
from tests.api.openapi import problems, response_schema, served_schema
from tests.api.replica import full_sync
from tests.factories import make_drill

pytestmark = pytest.mark.django_db

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_uuid(value):
    return isinstance(value, str) and UUID.match(value)


def is_absolute_url(value):
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def is_datetime(value):
    return isinstance(value, str) and datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


def assert_object(obj, *, slug=True, published=True):
    assert is_uuid(obj["id"])
    if slug:
        assert isinstance(obj["slug"], str) and obj["slug"]
    assert is_absolute_url(obj["url"])
    assert is_datetime(obj["updated_at"])
    assert is_datetime(obj["published_at"]) if published else obj["published_at"] is None


def assert_media(media):
    assert_object(media, slug=False)
    assert media["kind"] in {"image", "animation", "video", "audio"}
    for name in ("alt_text", "caption", "credit"):
        assert isinstance(media[name], str)
    for name in ("width", "height"):
        assert media[name] is None or isinstance(media[name], int)
    assert media["duration_seconds"] is None or isinstance(media["duration_seconds"], int | float)
    assert media["placeholder"] is None or media["placeholder"].startswith("data:image/")
    assert set(media["focal_point"]) == {"x", "y"}
    assert all(0 <= media["focal_point"][axis] <= 1 for axis in "xy")
    assert isinstance(media["renditions"], list)
    for rendition in media["renditions"]:
        assert set(rendition) >= {"name", "width", "height", "format", "url", "bytes", "sha256"}
        assert isinstance(rendition["name"], str) and isinstance(rendition["format"], str)
        assert all(isinstance(rendition[k], int) for k in ("width", "height", "bytes"))
        assert is_absolute_url(rendition["url"])
        assert re.fullmatch(r"[0-9a-f]{64}", rendition["sha256"])


def assert_term(term):
    assert_object(term, published=False)
    assert isinstance(term["name"], str)


def assert_list_envelope(body):
    assert set(body) == {"count", "next", "previous", "results"}
    assert isinstance(body["count"], int) and isinstance(body["results"], list)
    for link in ("next", "previous"):
        assert body[link] is None or is_absolute_url(body[link])


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_drill_detail_carries_every_contract_field(client):
    drill = rich_drill()

    body = get(client, f"/api/v1/drills/{drill.slug}/")

    assert_object(body)
    assert body["id"] == str(drill.pk) and body["url"] == f"http://testserver/drills/{drill.slug}/"
    assert_term(body["category"])
    for term in body["equipment"] + body["primary_muscles"] + body["secondary_muscles"]:
        assert_term(term)
    for step in body["steps"]:
        assert_media(step["media"])
    assert_media(body["cues"][0]["audio"])
    for media in body["media"]:
        assert_media(media)
    for linked in body["progressions"] + body["regressions"]:
        assert_object(linked)
    assert set(body["prescription"]) >= {"sets", "reps", "per_side", "hold_seconds", "rest_seconds", "note"}


def test_drill_list_is_the_contract_envelope_of_drills(client):
    drill = rich_drill()

    body = get(client, "/api/v1/drills/")

    assert_list_envelope(body)
    for listed in body["results"]:
        assert_object(listed)
    assert_media(next(d for d in body["results"] if d["id"] == str(drill.pk))["thumbnail"])


def test_program_detail_and_list_carry_every_contract_field(client):
    program = rich_program()

    detail = get(client, f"/api/v1/programs/{program.slug}/")
    listing = get(client, "/api/v1/programs/")

    assert_object(detail)
    assert_media(detail["cover"])
    for item in detail["items"]:
        assert_object(item["drill"])
        assert isinstance(item["position"], int)
    assert_list_envelope(listing)
    assert_object(listing["results"][0])


def test_article_detail_and_list_carry_every_contract_field(client):
    article = rich_article()

    detail = get(client, f"/api/v1/articles/{article.slug}/")
    listing = get(client, "/api/v1/articles/")

    assert_object(detail)
    assert_media(detail["hero"])
    assert_media(detail["author"]["photo"])
    assert_object(detail["author"], published=False)
    for topic in detail["topics"]:
        assert_term(topic)
    assert set(detail["sources"][0]) >= {"title", "author", "url"}
    assert len(detail["related_drills"]) == 1 and len(detail["media"]) == 1
    assert_media(detail["media"][0])
    assert_list_envelope(listing)
    assert_object(listing["results"][0])


def test_media_carries_renditions_in_webp_and_a_fallback_at_several_widths(client):
    media = small_media()
    DrillMedia.objects.create(drill=make_drill(), media=media)

    body = get(client, f"/api/v1/media/{media.pk}/")

    assert_media(body)
    assert body["url"].startswith("http://testserver/media/")
    formats = {r["format"] for r in body["renditions"]}
    assert formats == {"webp", "jpeg"}
    assert len({r["width"] for r in body["renditions"]}) >= 2


@pytest.mark.parametrize("collection", ["muscles", "equipment", "categories", "topics"])
def test_taxonomy_lists_carry_every_contract_field(client, collection):
    rich_drill()
    rich_article()

    body = get(client, f"/api/v1/{collection}/")

    assert_list_envelope(body)
    assert body["results"]
    for term in body["results"]:
        assert_term(term)


def test_media_list_is_the_contract_envelope_of_media(client):
    rich_drill()

    body = get(client, "/api/v1/media/")

    assert_list_envelope(body)
    for media in body["results"]:
        assert_media(media)


def test_ids_never_change_when_the_slug_does(client):
    drill = rich_drill()
    before = get(client, f"/api/v1/drills/{drill.slug}/")
    drill.slug = "heel-pull"
    drill.save()
    drill.category.slug = "pull"
    drill.category.save()

    after = get(client, "/api/v1/drills/heel-pull/")

    assert (after["id"], after["category"]["id"]) == (before["id"], before["category"]["id"])


def test_urls_use_the_public_base_url_when_set(client, settings):
    settings.RUNCMS_PUBLIC_BASE_URL = "https://runcms.example.com"
    drill = make_drill(slug="heel-pull")

    body = get(client, f"/api/v1/drills/{drill.slug}/")

    assert body["url"] == "https://runcms.example.com/drills/heel-pull/"


def test_page_size_defaults_to_20_and_is_capped_at_100(client):
    for _ in range(3):
        make_drill()

    default = get(client, "/api/v1/drills/?page_size=2")
    capped = client.get("/api/v1/drills/?page_size=100000")

    assert len(default["results"]) == 2 and default["next"].endswith("page=2&page_size=2")
    assert capped.status_code == 200 and len(capped.json()["results"]) == 3


def test_the_default_page_has_20_results(client):
    category = make_drill().category
    for _ in range(21):
        make_drill(category=category)

    assert len(get(client, "/api/v1/drills/")["results"]) == 20


@pytest.mark.parametrize("page_size", ["0", "-5", "abc", "1.5", "1e9", "٣", " 5", "+5"])
def test_a_malformed_page_size_is_a_400_naming_the_allowed_range(client, page_size):
    make_drill()

    response = client.get("/api/v1/drills/", {"page_size": page_size})

    assert response.status_code == 400
    assert response.json() == {"detail": "page_size: Enter a whole number from 1 to 100 (a larger one counts as 100)."}


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "last"])
def test_a_malformed_page_is_a_400_naming_the_allowed_range(client, page):
    make_drill()

    response = client.get("/api/v1/drills/", {"page": page})

    assert response.status_code == 400 and response.json() == {"detail": "page: Enter a whole number from 1 up."}


def test_an_empty_page_or_page_size_is_the_same_as_leaving_it_out(client):
    make_drill()

    response = client.get("/api/v1/drills/?page=&page_size=")

    assert response.status_code == 200 and response.json()["count"] == 1


def test_real_responses_have_exactly_the_fields_and_nulls_the_schema_says(client):
    drill, program, article = rich_drill(), rich_program(), rich_article()
    bare = make_drill()  # no thumbnail, nothing related: the nulls
    DrillMedia.objects.create(drill=drill, media=small_media(kind=MediaKind.VIDEO))
    media = get(client, "/api/v1/media/")["results"][0]["id"]
    schema = served_schema(client)
    paths = {
        "/api/v1/drills/{slug}/": [drill.slug, bare.slug], "/api/v1/programs/{slug}/": [program.slug],
        "/api/v1/articles/{slug}/": [article.slug], "/api/v1/media/{id}/": [media],
    }
    bodies = [(path, path, get(client, path)) for path in schema["paths"] if "{" not in path]
    for template, values in paths.items():
        for value in values:
            path = template.replace("{slug}", value).replace("{id}", value)
            bodies.append((template, path, get(client, path)))
    _, token = full_sync(client)
    bare_id = str(bare.pk)
    bare.delete()
    bodies.append(("/api/v1/sync/", "a delta sync", get(client, f"/api/v1/sync/?token={token}")))

    for template, path, body in bodies:
        assert problems(schema, response_schema(schema, template), body, path) == []
    assert bodies[-1][2]["deleted"]["drills"] == [bare_id]


@pytest.mark.parametrize(
    ("path", "make"),
    [("/api/v1/drills/{slug}/", rich_drill), ("/api/v1/programs/{slug}/", rich_program),
     ("/api/v1/articles/{slug}/", rich_article)],
)
def test_a_preview_of_a_never_published_draft_keeps_to_the_schema_with_a_null_published_at(client, path, make):
    draft = make(status=Status.DRAFT)
    schema = served_schema(client)

    body = get(client, path.format(slug=draft.slug) + f"?preview={make_preview_token(draft)}")

    assert body["published_at"] is None
    assert problems(schema, response_schema(schema, path), body, path) == []


@pytest.mark.parametrize(
    ("path", "template", "status"),
    [("/api/v1/drills/?updated_since=yesterday", "/api/v1/drills/", "400"),
     ("/api/v1/drills/no-such-drill/", "/api/v1/drills/{slug}/", "404"),
     ("/api/v1/sync/?token=garbage", "/api/v1/sync/", "400")],
)
def test_errors_keep_to_the_schema(client, path, template, status):
    schema = served_schema(client)

    response = client.get(path)

    assert str(response.status_code) == status
    assert problems(schema, response_schema(schema, template, status), response.json(), path) == []
