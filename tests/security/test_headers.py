"""Every response carries the security headers: pages, API, admin, media, static files, errors, /healthz."""

import pytest
from django.db import connection
from django.test import Client

from drills.models import DrillMedia
from tests.factories import image_bytes, make_drill, upload_media
from tests.helpers.database import database_gone, query_bug

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
)


@pytest.fixture
def public_photo():
    media = upload_media(image_bytes(size=(400, 300)))
    DrillMedia.objects.create(drill=make_drill(slug="heel-pull"), media=media)
    return media


def missing_headers(response):
    return [name for name in SECURITY_HEADERS if not response.has_header(name)]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/drills/heel-pull/",
        "/api/v1/drills/",
        "/api/v1/drills/heel-pull/",
        "/admin/login/",
        "/static/admin/css/base.css",
        "/healthz",
        "/no-such-page/",
        "/api/v1/drills/no-such-drill/",
    ],
)
def test_every_response_carries_the_security_headers(client, public_photo, path):
    response = client.get(path)

    assert missing_headers(response) == []
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_served_media_carries_the_security_headers(client, public_photo):
    response = client.get(public_photo.file.url)

    assert response.status_code == 200
    assert missing_headers(response) == []


def test_healthz_by_ip_over_plain_http_carries_the_security_headers(client, settings):
    settings.ALLOWED_HOSTS = ["cms.example.com"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", headers={"host": "10.0.1.23:8000"})

    assert response.status_code == 200
    assert missing_headers(response) == []


def test_healthz_over_https_carries_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = client.get("/healthz", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_request_for_an_unknown_host_is_refused_with_the_security_headers(client, settings):
    settings.ALLOWED_HOSTS = ["cms.example.com"]

    response = client.get("/", headers={"host": "evil.example.net"})

    assert response.status_code == 400
    assert missing_headers(response) == []


@pytest.mark.parametrize("path", ["/drills/", "/api/v1/drills/"])
def test_a_server_error_carries_the_security_headers(path):
    visitor = Client(raise_request_exception=False)  # as a real server: the 500 handler answers

    with connection.execute_wrapper(query_bug):
        response = visitor.get(path)

    assert response.status_code == 500
    assert missing_headers(response) == []


@pytest.mark.parametrize("path", ["/drills/", "/api/v1/drills/"])
def test_an_answer_without_the_database_carries_the_security_headers(path):
    visitor = Client(raise_request_exception=False)

    with connection.execute_wrapper(database_gone):
        response = visitor.get(path)

    assert response.status_code == 503
    assert missing_headers(response) == []
