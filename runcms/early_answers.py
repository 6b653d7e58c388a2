"""Kept answers (API and public pages) served before Django, in one Redis round trip.

A kept answer is only found while the content it was made from is current (see
`runcms.api.caching`). Django still spends most of a cached request on itself: the
request object, twelve middleware, three or four cache calls. This WSGI wrapper keeps the
finished response (status, every header the middleware added, body) under what the
answer depends on: the method, scheme, host, path and query, and the headers the
response varies by. A request then costs one pipeline: the content's generation, the
kept response, and the API throttle's counter. The response is served only if it was
made under the current generation and before the next scheduled time (both written by
Django when it kept the answer, `caching.mark_kept`); an If-None-Match naming its ETag
gets a 304. Anything else goes to Django, which answers as always: a miss, a request with
a cookie or credentials (an editor), a preview, HEAD, If-Match or If-Modified-Since, a
throttled client (Django answers the 429), no Redis, or Redis failing (see `GuardedCache`).
"""

import hashlib
import pickle
import time
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.utils.http import parse_etags

from runcms.api import caching, throttling

ENTRY_KEY = "runcms:early:1:"  # raise the number when an entry changes form
# The request headers a kept answer may depend on: the host and scheme (ALLOWED_HOSTS, links,
# HTTPS redirect and HSTS), content negotiation, compression, CORS and language.
KEY_HEADERS = (
    "HTTP_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ORIGIN",
)
# Requests that always go to Django: someone signed in or sending credentials, and the
# conditions Django alone evaluates.
PASS_HEADERS = (
    "HTTP_COOKIE",
    "HTTP_AUTHORIZATION",
    "HTTP_IF_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_RANGE",
)
# Response headers a kept answer may vary by: those of KEY_HEADERS.
VARY_KEPT = {"accept", "accept-encoding", "accept-language", "origin", "host"}
# Left out of a 304 (RFC 9110, 15.4.5: it describes the 200 it stands for, without a body).
NOT_IN_304 = {"content-length", "content-type", "content-encoding", "content-language"}
API_PREFIX = "/api/"


class EarlyAnswers:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        client = self.client(environ)
        if client is None:
            return self.app(environ, start_response)
        key = entry_key(environ)
        throttle = throttling.throttle_key(environ) if environ.get("PATH_INFO", "").startswith(API_PREFIX) else None
        try:
            found = lookup(client, key, throttle, environ)
        except Exception:  # Redis failing: Django answers, without the cache for a moment
            caching.guarded_cache.failed()
            return self.app(environ, start_response)
        if found is not None:
            return answer(found, environ, start_response)
        return self.keep_answer(client, key, environ, start_response)

    def client(self, environ):
        """The Redis client when this request may have a kept answer, else None."""
        if environ.get("REQUEST_METHOD") != "GET" or not settings.RUNCMS_API_CACHE:
            return None
        if environ.get("PATH_INFO", "").startswith(never_kept()):
            return None
        if any(name in environ for name in PASS_HEADERS) or "preview" in environ.get("QUERY_STRING", ""):
            return None
        if "*" in environ.get("HTTP_IF_NONE_MATCH", ""):
            return None
        return caching.guarded_cache.redis()

    def keep_answer(self, client, key, environ, start_response):
        """Let Django answer, and keep its finished response when it says the answer may be kept."""
        sent = {}

        def capture(status, headers, exc_info=None):
            sent["status"], sent["headers"] = status, headers
            return start_response(status, headers, exc_info)

        response = self.app(environ, capture)
        kept = environ.get(caching.KEPT)
        if kept is None or not sent.get("status", "").startswith("200 ") or not keepable(sent["headers"]):
            return response
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()
        generation, until = kept
        seconds = until - time.time()
        if seconds > 0:
            entry = pickle.dumps((str(generation).encode(), until, sent["status"], sent["headers"], body), protocol=5)
            try:
                client.set(key, entry, px=int(seconds * 1000))
            except Exception:
                caching.guarded_cache.failed()
        return [body]


@cache
def never_kept():
    """Paths whose answers are never kept: files, the admin, the health check."""
    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL, "/admin/", "/healthz") if p and p != "/")


def entry_key(environ):
    parts = [environ.get("wsgi.url_scheme", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")]
    parts += [environ.get(name, "") for name in KEY_HEADERS]
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return caches["default"].make_key(ENTRY_KEY + digest)


def lookup(client, key, throttle, environ):
    """The kept (status, headers, body) for this request if it is current and the client not throttled, else None."""
    cache = caches["default"]
    pipe = client.pipeline(transaction=False)
    pipe.get(cache.make_key(caching.GENERATION_KEY))
    pipe.get(key)
    if throttle is not None:
        name, ends = throttling.window_key(throttle[0], throttle[2], time.time())
        pipe.incr(cache.make_key(name))
        pipe.expire(cache.make_key(name), throttle[2] + 1)
    results = pipe.execute()
    generation, entry = results[0], results[1]
    if throttle is not None:
        # Counted: Django's throttle uses this count should the request go on (a miss, or a 429).
        environ[throttling.COUNTED] = (results[2], ends)
        if results[2] > throttle[1]:
            return None
    if entry is None or generation is None:
        return None
    kept_generation, until, status, headers, body = pickle.loads(entry)
    if kept_generation != generation or time.time() >= until:
        return None
    return status, headers, body


def answer(found, environ, start_response):
    status, headers, body = found
    etag = next((value for name, value in headers if name.lower() == "etag"), None)
    if etag is not None and "HTTP_IF_NONE_MATCH" in environ:
        wanted = [tag.removeprefix("W/") for tag in parse_etags(environ["HTTP_IF_NONE_MATCH"])]
        if etag.removeprefix("W/") in wanted:
            start_response("304 Not Modified", [(n, v) for n, v in headers if n.lower() not in NOT_IN_304])
            return []
    start_response(status, headers)
    return [body]


def keepable(headers):
    """Whether a response is the same for every request with the same key: no cookie, no other Vary."""
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie":
            return False
        if name == "vary" and not {part.strip().lower() for part in value.split(",")} <= VARY_KEPT:
            return False
    return True
