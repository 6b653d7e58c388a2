"""Kept answers (API and public pages) served before Django.

A kept answer is only found while the content it was made from is current (see
`runcms.api.caching`). Django still spends most of a cached request on itself: the
request object, twelve middleware, three or four cache calls. This WSGI wrapper keeps the
finished response (status, every header the middleware added, body) under what the
answer depends on: the scheme, host, path and query, and the headers the response varies
by. It is served only while it is current and before the next scheduled time (Django says
when it keeps an answer, `caching.mark_kept`); an If-None-Match naming its ETag gets a 304.

- With Redis (`CACHE_URL`), a request costs one pipeline: the content's generation (which
  every committed change replaces), the kept response, and the API throttle's counter.
- Without, answers are kept in the process's memory and a request costs one indexed
  query: the change journal's newest position, which every change moves.

Anything else goes to Django, which answers as always: a miss, a request with a cookie or
credentials (an editor), a preview, HEAD, If-Match or If-Modified-Since, a throttled client
(Django answers the 429), RUNCMS_API_CACHE off, or Redis or the database failing.
"""

import hashlib
import logging
import pickle
import time
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.http import parse_etags

from runcms import kept_pages
from runcms.api import caching, throttling
from runcms.models import ChangeLog

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
NOT_IN_304 = {"content-length", "content-type", "content-encoding"}
API_PREFIX = "/api/"

logger = logging.getLogger(__name__)


class EarlyAnswers:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        store = self.store(environ)
        if store is None:
            return self.app(environ, start_response)
        key = entry_key(environ)
        throttle = throttling.throttle_key(environ) if environ.get("PATH_INFO", "").startswith(API_PREFIX) else None
        try:
            found, tag = store.lookup(key, throttle, environ)
        except Exception:  # Redis or the database failing: Django answers (and says what failed)
            store.failed()
            return self.app(environ, start_response)
        if found is not None:
            return answer(found, environ, start_response)
        return self.keep_answer(store, key, tag, environ, start_response)

    def store(self, environ):
        """Where this request's kept answer may be, or None."""
        if environ.get("REQUEST_METHOD") != "GET" or not settings.RUNCMS_API_CACHE:
            return None
        if environ.get("PATH_INFO", "").startswith(never_kept()):
            return None
        if any(name in environ for name in PASS_HEADERS) or "preview" in environ.get("QUERY_STRING", ""):
            return None
        if "*" in environ.get("HTTP_IF_NONE_MATCH", ""):
            return None
        if caching.is_shared():
            client = caching.guarded_cache.redis()
            return RedisStore(client) if client is not None else None
        return LOCAL_STORE

    def keep_answer(self, store, key, tag, environ, start_response):
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
        tag = tag if tag is not None else generation
        if tag is not None and until > time.time():
            try:
                store.keep(key, (body, tag, until, sent["status"], sent["headers"]))
            except Exception:
                store.failed()
        return [body]


class RedisStore:
    """Answers in Redis, valid while the content's generation there is the one they were made under."""

    def __init__(self, client):
        self.client = client

    def lookup(self, key, throttle, environ):
        """(status, headers, body) kept for this request if current and the client not throttled, else None;
        and the tag an answer made now would get (None: the one Django reads)."""
        cache = caches["default"]
        pipe = self.client.pipeline(transaction=False)
        pipe.get(cache.make_key(caching.GENERATION_KEY))
        pipe.get(key)
        if throttle is not None:
            name, ends = throttling.window_key(throttle[0], throttle[2], time.time())
            pipe.incr(cache.make_key(name))
            pipe.expire(cache.make_key(name), throttle[2] + 1)
        results = pipe.execute()
        if throttle is not None and counted(environ, results[2], ends, throttle):
            return None, None
        generation, entry = results[0], results[1]
        if entry is None or generation is None:
            return None, None
        return current(pickle.loads(entry), generation), None

    def keep(self, key, entry):
        body, generation, until, status, headers = entry
        value = pickle.dumps((body, str(generation).encode(), until, status, headers), protocol=5)
        self.client.set(key, value, px=int((until - time.time()) * 1000) + 1)

    def failed(self):
        caching.guarded_cache.failed()


class LocalStore:
    """Answers in this process's memory (`caching.local_answers`), valid while the change journal's newest
    position is the one read before they were made: one indexed query, no shared cache needed."""

    def lookup(self, key, throttle, environ):
        if throttle is not None:
            requests, ends = throttling.count(throttle[0], throttle[2])
            if counted(environ, requests, ends, throttle):
                return None, None
        position = newest_position()
        entry = caching.local_answers.get(key)
        return (current(entry, position) if entry is not None else None), position

    def keep(self, key, entry):
        caching.local_answers.set(key, entry, timeout=entry[2] - time.time())

    def failed(self):
        logger.warning("Kept answers: the database does not answer; Django answers the request")
        connection.close()  # the next use connects again


LOCAL_STORE = LocalStore()


def newest_position():
    """The change journal's newest (position, time logged): every change to what is public moves it (writers
    commit positions in order, see `runcms.changelog`), and a journal restored from a backup logs other times."""
    with connection.cursor() as cursor:
        cursor.execute(_newest_sql())
        row = cursor.fetchone()
    return repr(tuple(row)) if row else "()"


@cache
def _newest_sql():
    quote, table = connection.ops.quote_name, ChangeLog._meta.db_table
    return f"SELECT {quote('id')}, {quote('logged_at')} FROM {quote(table)} ORDER BY {quote('id')} DESC LIMIT 1"


def counted(environ, requests, ends, throttle):
    """Note the throttle's count for Django (should the request go on to it); whether it is over the rate."""
    environ[throttling.COUNTED] = (requests, ends)
    return requests is not None and requests > throttle[1]


def current(entry, tag):
    """The (status, headers, body) of `entry` if it was made under `tag` and its time has not run out."""
    body, kept_tag, until, status, headers = entry
    return (status, headers, body) if kept_tag == tag and time.time() < until else None


@cache
def never_kept():
    """Paths whose answers are never kept: files, the admin, the health check."""
    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL, "/admin/", "/healthz") if p and p != "/")


@cache
def code_version():
    """The code that makes API answers and pages: a release that changes it finds none kept by the one before."""
    return repr((caching.code_version(), kept_pages.code_version()))


def entry_key(environ):
    parts = [
        code_version(),
        environ.get("wsgi.url_scheme", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    ]
    parts += [environ.get(name, "") for name in KEY_HEADERS]
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return caches["default"].make_key(ENTRY_KEY + digest)


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
