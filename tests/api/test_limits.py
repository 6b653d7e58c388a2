"""Anonymous throttling, CORS, and answers in the contract's error format for everything else."""

import pytest

from tests.factories import make_drill

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}


@pytest.mark.parametrize("path", ["/api/v1/drills/", "/api/v1/sync/", "/api/v1/categories/"])
def test_an_anonymous_client_over_the_rate_gets_429_with_retry_after(client, two_per_minute, path):
    make_drill()
    client.get(path)
    client.get(path)

    response = client.get(path)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled")


def test_conditional_requests_count_against_the_rate(client, two_per_minute):
    etag = client.get("/api/v1/drills/")["ETag"]
    client.get("/api/v1/drills/", HTTP_IF_NONE_MATCH=etag)

    assert client.get("/api/v1/drills/", HTTP_IF_NONE_MATCH=etag).status_code == 429


def test_the_rate_is_per_client_address(client, two_per_minute):
    for _ in range(2):
        client.get("/api/v1/drills/", REMOTE_ADDR="203.0.113.1")

    assert client.get("/api/v1/drills/", REMOTE_ADDR="203.0.113.2").status_code == 200


def test_a_spoofed_x_forwarded_for_gets_no_fresh_quota(client, two_per_minute):
    for n in range(2):
        client.get("/api/v1/drills/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = client.get("/api/v1/drills/", HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429


def test_behind_one_proxy_the_address_it_adds_is_the_client(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}, "NUM_PROXIES": 1,
    }
    for n in range(2):
        client.get("/api/v1/drills/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5")

    spoofed = client.get("/api/v1/drills/", HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.5")
    other = client.get("/api/v1/drills/", HTTP_X_FORWARDED_FOR="203.0.113.6")

    assert spoofed.status_code == 429 and other.status_code == 200


def test_a_configured_origin_may_call_the_api_from_a_browser(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    allowed = client.get("/api/v1/drills/", HTTP_ORIGIN="https://app.example.com")
    other = client.get("/api/v1/drills/", HTTP_ORIGIN="https://evil.example.com")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert not other.has_header("Access-Control-Allow-Origin")


def test_a_preflight_from_a_configured_origin_is_allowed_for_get(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = client.options(
        "/api/v1/sync/", HTTP_ORIGIN="https://app.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert response.status_code == 200 and "GET" in response["Access-Control-Allow-Methods"]


def test_a_preflight_may_ask_to_send_if_none_match(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = client.options(
        "/api/v1/drills/", HTTP_ORIGIN="https://app.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )

    assert response.status_code == 200
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower().split(", ")


def test_a_browser_app_may_read_the_etag_and_retry_after(client, settings, two_per_minute):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = client.get("/api/v1/drills/", HTTP_ORIGIN="https://app.example.com")

    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "retry-after"} <= exposed


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, method):
    drill = make_drill()

    response = getattr(client, method)(f"/api/v1/drills/{drill.slug}/", data={}, content_type="application/json")

    assert response.status_code == 405 and set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing/", "/api/v2/drills/", "/api/v1/drills/not a slug/", "/api/v1/media/42/"]
)
def test_unknown_api_addresses_are_404_in_the_contract_format(client, path):
    response = client.get(path)

    assert response.status_code == 404 and set(response.json()) == {"detail"}


@pytest.mark.parametrize("path", ["/api/v1/drills", "/api/v1", "/api/v1/sync", "/api/v1/drills/heel-pull"])
def test_an_api_address_without_its_trailing_slash_redirects_to_it(client, path):
    make_drill(slug="heel-pull")

    response = client.get(path, {"page_size": "1"})

    assert response.status_code == 301
    assert response["Location"].endswith(f"{path}/?page_size=1")
    assert client.get(response["Location"]).status_code == 200


def test_an_unknown_api_address_without_a_slash_stays_a_404(client):
    response = client.get("/api/v1/nothing")

    assert response.status_code == 404 and set(response.json()) == {"detail"}
