import json
import os
import subprocess
import sys
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


def caches_from_the_settings_for(cache_url):
    """CACHES exactly as runcms/settings.py builds them from this CACHE_URL."""
    environment = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "runcms.settings"}
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


@pytest.mark.django_db(transaction=True)
def test_concurrent_health_checks_all_see_a_working_redis(live_server, settings):
    settings.CACHES = caches_from_the_settings_for(redis_cache_url())

    def check(_):
        return httpx.get(f"{live_server.url}/healthz", timeout=10).json()["cache"]

    # Load balancers check every server at once: 8 at a time, as in the report.
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(check, range(200)))

    assert answers.count("ok") == len(answers)
