"""A strict OpenAPI 3.0 validator (openapi-spec-validator, openapi-core) accepts the schema and real responses.

Stricter than drf-spectacular's own check: `nullable` counts only beside a `type`, null must
match the schema itself (not just sit beside an `allOf`), and a `oneOf` must match exactly once
without relying on formats.
"""

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from drills.models import DrillMedia, MediaKind
from runcms.publishing import Status
from tests.api.content import rich_article, rich_drill, rich_program, small_media
from tests.api.openapi import served_schema
from tests.factories import make_article, make_author, make_drill

pytestmark = pytest.mark.django_db


def strictly_invalid(api, response):
    """What openapi-core finds wrong with a Django test client response, or None."""
    request = MockRequest(
        "http://testserver", "get", response.wsgi_request.path, args=dict(response.wsgi_request.GET.items())
    )
    answer = MockResponse(
        response.content,
        status_code=response.status_code,
        headers=dict(response.headers),
        content_type=response.get("Content-Type", "application/json"),
    )
    try:
        api.validate_response(request, answer)
    except Exception as error:  # openapi-core's errors name the failing part in their cause
        return f"{response.wsgi_request.get_full_path()} {response.status_code}: {error!r} {error.__cause__!r}"
    return None


@pytest.fixture
def content():
    """Every nullable reference both filled and null: step media, cue audio, author photo, thumbnail, hero."""
    drill = rich_drill(slug="heel-pull")
    drill.slug = "heel-pull-on-box"
    drill.save()  # "heel-pull" is now an old slug: a 301
    DrillMedia.objects.create(drill=drill, media=small_media(kind=MediaKind.VIDEO), position=9)
    bare = make_drill(slug="bare-drill", steps=["Lie face down."], cues=["Hips level"])
    program = rich_program(slug="pull-basics")
    article = rich_article(slug="the-pull")
    plain = make_article(slug="plain", author=make_author(), sources=[{"title": "How to Run", "url": ""}])
    make_drill(slug="draft", status=Status.DRAFT)
    return {"drill": drill, "bare": bare, "program": program, "article": article, "plain": plain}


def test_a_strict_validator_accepts_the_schema(client):
    validate(served_schema(client))


def test_a_strict_validator_accepts_every_real_response(client, content):
    api = OpenAPI.from_dict(served_schema(client))
    media = client.get("/api/v1/media/").json()["results"][0]["id"]
    paths = [
        *(f"/api/v1/{name}/" for name in
          ["drills", "programs", "articles", "media", "muscles", "equipment", "categories", "topics"]),
        "/api/v1/drills/heel-pull-on-box/", "/api/v1/drills/bare-drill/", "/api/v1/programs/pull-basics/",
        "/api/v1/articles/the-pull/", "/api/v1/articles/plain/", f"/api/v1/media/{media}/", "/api/v1/sync/",
        # The errors and redirects the schema documents.
        "/api/v1/drills/heel-pull/", "/api/v1/drills/draft/", "/api/v1/drills/?page=9", "/api/v1/drills/?page_size=0",
        "/api/v1/articles/?updated_since=yesterday", "/api/v1/sync/?token=made-up",
    ]
    responses = [client.get(path) for path in paths]
    responses.append(client.get("/api/v1/programs/", HTTP_IF_NONE_MATCH=responses[1]["ETag"]))
    token = client.get("/api/v1/sync/").json()["token"]
    content["bare"].title = "Bare drill, renamed"
    content["bare"].save()
    content["drill"].status = Status.DRAFT
    content["drill"].save()
    delta = client.get("/api/v1/sync/", {"token": token})
    responses.append(delta)

    assert delta.json()["deleted"]["drills"] and delta.json()["upserted"]["drills"]
    assert {response.status_code for response in responses} == {200, 301, 304, 400, 404}
    assert [problem for response in responses if (problem := strictly_invalid(api, response))] == []


def test_a_strict_validator_refuses_a_null_where_the_schema_has_none(client, content):
    """The check above can fail: a null media in a step that the schema did not allow is caught."""
    schema = served_schema(client)
    step_media = schema["components"]["schemas"]["Step"]["properties"]["media"]
    schema["components"]["schemas"]["Step"]["properties"]["media"] = {"$ref": step_media["oneOf"][0]["$ref"]}
    api = OpenAPI.from_dict(schema)

    response = client.get("/api/v1/drills/bare-drill/")

    assert response.json()["steps"][0]["media"] is None
    assert strictly_invalid(api, response) is not None


def test_a_source_url_is_a_link_or_empty_even_for_a_validator_that_checks_no_formats(client):
    url = served_schema(client)["components"]["schemas"]["Source"]["properties"]["url"]

    validator = OAS30Validator(url)  # formats are annotations unless a format checker is given

    assert validator.is_valid("") and validator.is_valid("https://example.com/how-to-run")
    assert not validator.is_valid("How to Run, page 12")
