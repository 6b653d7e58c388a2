"""`/healthz` for load balancers: 200 while this server can answer, 503 when the database does not.

It answers before any other middleware but the ones that add the security headers:
load balancers and orchestrators call it by the instance's address (a Host header that
is not in ALLOWED_HOSTS) and over plain HTTP (SECURE_REDIRECT_EXEMPT spares it the
redirect to HTTPS).
"""

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

PATH = "/healthz"


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


def healthz(request):
    """200 when the database answers, 503 when it does not.

    The shared cache (Redis) is reported but does not fail the check: without it every
    server still answers (the API throttle lets requests through), and since all servers
    share it, failing them all would take the whole site down.
    """
    database_ok, cache_ok = _database_answers(), _cache_answers()
    status = "ok" if database_ok and cache_ok else ("degraded" if database_ok else "unavailable")
    response = JsonResponse(
        {
            "status": status,
            "database": "ok" if database_ok else "unavailable",
            "cache": "ok" if cache_ok else "unavailable",
        },
        status=200 if database_ok else 503,
    )
    add_never_cache_headers(response)
    return response


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The reason goes to the log, not to whoever asks: it names internal hosts and ports.
        logger.exception("Health check: the database does not answer")
        return False
    return True


def _cache_answers():
    # A key of its own per check: load balancers check every server at once, and with one
    # shared key a check would read another's probe and report a working cache as down.
    # A hung cache costs each call its socket timeout (REDIS_SOCKET_TIMEOUT), so two calls.
    probe = secrets.token_hex(8)
    key = f"runcms:healthz:{probe}"
    try:
        cache.set(key, probe, 10)
        answered = cache.get(key) == probe
        if answered:
            cache.delete(key)
    except Exception:  # each cache backend raises its own connection errors
        logger.exception("Health check: the cache does not answer")
        return False
    if not answered:
        logger.error("Health check: the cache does not answer (CACHE_URL)")
    return answered
