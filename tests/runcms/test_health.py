import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_and_the_cache_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client):
    def database_gone(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    # Django's own hook around every query: the view sees exactly what a lost database raises.
    with connection.execute_wrapper(database_gone):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unavailable"
    assert "server closed" not in response.content.decode()  # internal details stay in the log


def test_healthz_answers_a_load_balancer_calling_by_ip_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["cms.example.com"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", headers={"host": "10.0.1.23:8000"})

    assert response.status_code == 200
    assert client.get("/", headers={"host": "10.0.1.23:8000"}).status_code == 400  # only the health check


def caches_from_the_settings_for(cache_url, **variables):
    """CACHES exactly as runcms/settings.py builds them from this CACHE_URL (and other variables)."""
    environment = {**os.environ, **variables, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "runcms.settings"}
    script = "import json, runcms.settings as s; print(json.dumps(s.CACHES))"
    output = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout
    return json.loads(output)


def test_without_redis_the_site_keeps_answering_and_healthz_reports_the_cache(client, settings):
    settings.CACHES = caches_from_the_settings_for("redis://127.0.0.1:1/0")  # nothing listens on port 1

    health = client.get("/healthz")
    api = client.get("/api/v1/drills/")

    assert (health.status_code, health.json()["status"], health.json()["cache"]) == (200, "degraded", "unavailable")
    assert api.status_code == 200


def redis_cache_url():
    cache_url = os.environ.get("CACHE_URL", "")
    if not cache_url.startswith("redis://"):
        pytest.skip("needs Redis: run with CACHE_URL=redis://127.0.0.1:6379/<db>")
    return cache_url


def redis_database_of_its_own(number=9):
    """The test Redis, on a database no other test uses: every test empties its cache before and after
    it (tests/conftest.py, `empty_cache`), and the other xdist worker's would empty this one's probes."""
    return f"{redis_cache_url().split('?')[0].rsplit('/', 1)[0]}/{number}"


@pytest.mark.django_db(transaction=True)
def test_concurrent_health_checks_all_see_a_working_redis(live_server, settings):
    # The test is about checks reading each other's probes, not about slowness: with eight threads on
    # a busy test machine one Redis answer can wait longer than the 0.25 s default for the GIL.
    settings.CACHES = caches_from_the_settings_for(redis_database_of_its_own(), REDIS_SOCKET_TIMEOUT="2")

    def check(_):
        return httpx.get(f"{live_server.url}/healthz", timeout=10).json()["cache"]

    # Load balancers check every server at once: 8 at a time, as in the report.
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(check, range(200)))

    assert answers.count("ok") == len(answers)


@pytest.fixture
def hung_redis_url():
    """A Redis address that accepts connections (the kernel completes them) and never answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as server:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


def test_a_hung_redis_leaves_healthz_answering_within_a_second_saying_so(client, settings, hung_redis_url):
    settings.CACHES = caches_from_the_settings_for(hung_redis_url)

    started = time.monotonic()
    health = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert (health.status_code, health.json()["status"], health.json()["cache"]) == (200, "degraded", "unavailable")
    assert elapsed < 1  # the bound the issue sets; without timeouts it took 10 s


def test_a_hung_redis_costs_an_api_request_a_fraction_of_a_second(client, settings, hung_redis_url):
    settings.CACHES = caches_from_the_settings_for(hung_redis_url)

    started = time.monotonic()
    response = client.get("/api/v1/drills/")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 1  # the throttle's read and write each wait REDIS_SOCKET_TIMEOUT at most


def test_redis_timeouts_come_from_the_environment_and_the_cache_url():
    from_environment = caches_from_the_settings_for(
        "redis://127.0.0.1:6379/0", REDIS_SOCKET_CONNECT_TIMEOUT="0.5", REDIS_SOCKET_TIMEOUT="0.75"
    )
    from_the_url = caches_from_the_settings_for("redis://127.0.0.1:6379/0?socket_timeout=2&socket_connect_timeout=1")

    assert from_environment["default"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 0.5
    assert from_environment["default"]["OPTIONS"]["SOCKET_TIMEOUT"] == 0.75
    assert from_the_url["default"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 1
    assert from_the_url["default"]["OPTIONS"]["SOCKET_TIMEOUT"] == 2
