"""The schema and docs pages answer every method without a server error, and say how to cache them."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/api/docs/", "/api/docs/?script=", "/api/v1/schema/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("method", ["get", "head", "options", "post", "put", "patch", "delete", "trace"])
def test_schema_and_docs_never_answer_a_server_error(client, path, method):
    response = getattr(client, method)(path)

    assert response.status_code < 500
    if method in ("get", "head"):
        assert response.status_code == 200
    else:
        assert response.status_code == 405
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


@pytest.mark.parametrize("path", ["/api/docs/", "/api/v1/schema/"])
def test_schema_and_docs_carry_cache_control_and_answer_a_matching_etag_with_304(client, path):
    response = client.get(path)

    assert response["Cache-Control"] == "public, no-cache"
    assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.head(path)["Cache-Control"] == "public, no-cache"


def test_the_docs_script_holding_a_csrf_token_is_kept_by_no_cache(client):
    response = client.get("/api/docs/?script=")

    assert response["Content-Type"] == "application/javascript"
    assert response["Cache-Control"] == "private, no-store"


def test_the_docs_page_allows_its_inline_style_by_hash(client):
    response = client.get("/api/docs/")

    assert "'sha256-" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("params", "headers", "status"),
    [({"format": "xml"}, {}, 404), ({}, {"HTTP_ACCEPT": "text/html"}, 406)],
    ids=["unknown-format", "not-acceptable"],
)
def test_a_schema_request_it_cannot_answer_gets_a_json_error(client, params, headers, status):
    response = client.get("/api/v1/schema/", params, **headers)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"} and isinstance(response.json()["detail"], str)


def test_a_throttled_schema_request_gets_a_json_error(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}
    client.get("/api/v1/schema/")

    response = client.get("/api/v1/schema/")

    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Request was throttled") and response["Retry-After"]
