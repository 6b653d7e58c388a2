"""HTTP caching for the API: ETags from content versions, 304s, and a response cache that is never stale.

A conditional GET must stay cheap, so the ETag is not a hash of the body. It hashes what
the body is made of (`ContentState`): the newest change-log position of the collections a
view shows (every change that alters an object as the API shows it is logged, related rows
included: see `runcms.changelog`) and the latest scheduled publish or unpublish times that
have passed (time alone changes what is public, rule 2), with the base URL (scheme and host)
of its links, its URL, its language (`?lang=` or Accept-Language) and the code that renders the
objects. Nothing is loaded or serialised before the 304.

The state is read in one query. With a cache every app server shares (Redis, `CACHE_URL`),
it is kept there too, tagged with a generation that every committed change replaces, and
only until the next scheduled time: a 304 then costs no query. Whole 200 responses are kept
in that cache under their ETag, so an entry can only be found while the content it was made
from is current; none outlives the next scheduled time or RUNCMS_API_CACHE_SECONDS. Redis
down means cache misses, never errors (the cache ignores its exceptions, see settings).
Without a shared cache, the state is read from the database on every request and each
process keeps answers in its own memory (`LocalAnswers`), just as safely.
"""

import dataclasses
import hashlib
import logging
import random
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db.models import DateTimeField
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from runcms import changelog, documents, languages
from runcms.links import public_base
from runcms.models import ChangeLog
from runcms.prepared import PreparedQuery

# Part of every ETag: raise it with a deploy that changes how objects look in a way the
# serializers' code does not show (`documents.shape` covers theirs), so no client keeps an old shape through a 304.
REPRESENTATION_VERSION = 2

# Caches may keep a copy but must ask again each time: the 304 is cheap, and an item that is
# unpublished or expires must not go on being served from a cache (rules 1 and 2).
PUBLIC_CACHING = "public, no-cache"
# A draft opened with a preview token never lands in a shared cache.
PRIVATE_CACHING = "private, no-store"

logger = logging.getLogger(__name__)

GENERATION_KEY = "runcms:api:generation:2"  # a number since version 2
STATE_KEY = "runcms:api:state"
RESPONSE_KEY = "runcms:api:response:2:"  # raise the number when what is kept changes form
# Backends whose entries every app server sees; a per-process cache could not be told of a
# change saved through another process, so it keeps no state and no responses.
SHARED_BACKENDS = ("django_redis.", "django.core.cache.backends.redis.", "django.core.cache.backends.memcached.")


class NotModified(APIException):
    status_code = 304
    default_detail = "Not modified."


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = "If-Match names a version of this response that is not the current one."
    default_code = "precondition_failed"


class CachedResponse(Exception):
    """A stored 200 answers the request (raised in `initial`, answered by `handle_exception`)."""

    def __init__(self, content, headers):
        super().__init__()
        self.content, self.headers = content, headers


def replay(content, headers):
    """The response kept as (content, headers) by `ConditionalGetMixin.keep`."""
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


@dataclass(frozen=True)
class ContentState:
    positions: dict  # collection name -> newest change-log position
    passed: tuple  # the latest publish and unpublish time passed, per scheduled model
    upcoming: datetime | None  # the earliest publish or unpublish time still to come
    read_at: datetime
    generation: int | None = None  # the shared cache's generation it was read under (see `current_state`)

    def valid_at(self, now):
        return self.read_at <= now and (self.upcoming is None or now < self.upcoming)

    def seconds_left(self, now):
        """How long a cache entry made from this state may live."""
        limit = settings.RUNCMS_API_CACHE_SECONDS
        if self.upcoming is not None:
            limit = min(limit, (self.upcoming - now).total_seconds())
        return max(int(limit), 0)


def read_state(now):
    """The content state at `now`, in one query."""
    names = [c.name for c in changelog.collections()]
    scheduled = len(changelog.scheduled_models()) * 2
    row = list(_STATE_QUERY.fetchall(now=now)[0])
    tops, stamps = row[: len(names)], row[len(names) : 2 * len(names)]
    # A position with the time it was logged: a journal restored from a backup that grows again
    # along another history reaches the same positions at other times.
    positions = {name: (top, str(stamp)) for name, top, stamp in zip(names, tops, stamps, strict=True)}
    times = [documents.as_datetime(moment) for moment in row[2 * len(names) :]]
    return ContentState(positions, tuple(times[:scheduled]), min(filter(None, times[scheduled:]), default=None), now)


def _state_sql(now):
    newest = [ChangeLog.objects.filter(collection=c.name).order_by("-id") for c in changelog.collections()]
    subqueries = [entries.values("id")[:1] for entries in newest]
    subqueries += [entries.values("logged_at")[:1] for entries in newest]
    scheduled = [(model, field) for model in changelog.scheduled_models() for field in ("publish_at", "unpublish_at")]
    for model, field in scheduled:
        subqueries.append(model.objects.filter(**{f"{field}__lte": now}).order_by(f"-{field}").values(field)[:1])
    for model, field in scheduled:
        subqueries.append(model.objects.filter(**{f"{field}__gt": now}).order_by(field).values(field)[:1])
    return documents.combined(subqueries)


_STATE_QUERY = PreparedQuery(_state_sql, now=DateTimeField())


def shared_cache():
    """The cache every app server shares, guarded (see `GuardedCache`), or None (a per-process cache, or
    RUNCMS_API_CACHE off)."""
    if not settings.RUNCMS_API_CACHE or not is_shared():
        return None
    return guarded_cache


def is_shared():
    return settings.CACHES["default"]["BACKEND"].startswith(SHARED_BACKENDS)


class GuardedCache:
    """The default cache, left alone for a moment once it fails.

    A Redis that is down or hangs costs each call its timeout (REDIS_SOCKET_TIMEOUT); an API
    request makes several (the throttle, the content state, the kept answer). After one
    fails, this process treats the cache as empty for CACHE_RETRY_SECONDS: misses at once,
    then one try again. The content's generation is not written through it: a change always
    tries to tell the cache (`content_changed`).
    """

    CACHE_RETRY_SECONDS = 1.0

    def __init__(self):
        self.retry_at = 0.0

    def get(self, key, default=None):
        return self._call("get", default, key, default)

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def add(self, key, value, timeout):
        return self._call("add", None, key, value, timeout)

    def incr(self, key, timeout):
        """Add one to the counter `key` (made if missing, kept `timeout` seconds): its new value, or None."""
        return self._call(_incr, None, key, timeout)

    def redis(self):
        """The Redis client under django-redis, for commands sent together (`pipeline`), or None: no Redis,
        or it failed a moment ago. Whoever uses it reports a failure with `failed`."""
        cache = caches["default"]
        if time.monotonic() < self.retry_at or not type(cache).__module__.startswith("django_redis"):
            return None
        return cache.client.get_client(write=True)

    def _call(self, name, default, *args):
        if time.monotonic() < self.retry_at:
            return default
        cache = caches["default"]
        # django-redis's own client raises what its cache (IGNORE_EXCEPTIONS) would only log.
        target = cache.client if type(cache).__module__.startswith("django_redis") else cache
        try:
            return name(target, *args) if callable(name) else getattr(target, name)(*args)
        except Exception:  # any failure of the cache server: treat it as empty for a moment
            self.failed()
            return default

    def failed(self):
        logger.warning("The cache does not answer (CACHE_URL); trying again in %s s", self.CACHE_RETRY_SECONDS)
        self.retry_at = time.monotonic() + self.CACHE_RETRY_SECONDS


def _incr(target, key, timeout):
    if hasattr(target, "get_client"):  # django-redis: one round trip, atomic
        pipe = target.get_client(write=True).pipeline(transaction=False)
        name = target.make_key(key)
        pipe.incr(name)
        pipe.expire(name, timeout)
        return pipe.execute()[0]
    target.add(key, 0, timeout)
    return target.incr(key)


guarded_cache = GuardedCache()


def answers():
    """Where whole answers are kept: the shared cache, else this process's memory; None with RUNCMS_API_CACHE off."""
    if not settings.RUNCMS_API_CACHE:
        return None
    return shared_cache() or local_answers


class LocalAnswers:
    """Answers kept in this process's memory, up to RUNCMS_API_LOCAL_CACHE_MB; the least recently used go first.

    Without a shared cache the content state is read from the database on every request, so
    an answer kept under its ETag is found only while its content is current, whichever
    process the change went through.
    """

    def __init__(self):
        self.entries = OrderedDict()  # key -> (value, size, expiry on the monotonic clock)
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[2] <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[0]

    def set(self, key, value, timeout):
        size = len(value[0]) + 1024  # the body, and about as much for the key and headers
        limit = settings.RUNCMS_API_LOCAL_CACHE_MB * 1024 * 1024
        with self.lock:
            if key in self.entries:
                self._drop(key)
            if size > limit:
                return
            self.entries[key] = (value, size, time.monotonic() + timeout)
            self.size += size
            while self.size > limit:
                self._drop(next(iter(self.entries)))

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key):
        self.size -= self.entries.pop(key)[1]


local_answers = LocalAnswers()


def current_state():
    """The content state now: from the shared cache while no change has committed since it was read."""
    now = timezone.now()
    shared = shared_cache()
    if shared is None:
        return read_state(now)
    found = shared.get_many([GENERATION_KEY, STATE_KEY])
    generation, stored = found.get(GENERATION_KEY), found.get(STATE_KEY)
    if generation is not None and stored is not None and stored[0] == generation and stored[1].valid_at(now):
        return stored[1]
    # The generation read before the database: a change committed from here on replaces it, so
    # whatever is tagged with this one is never used again.
    state = read_state(now)
    if generation is None:
        # A new generation; if a change set one meanwhile, this state is tagged with another and ignored.
        generation = new_generation()
        shared.add(GENERATION_KEY, generation, timeout=None)
    state = dataclasses.replace(state, generation=generation)
    shared.set(STATE_KEY, (generation, state), timeout=state.seconds_left(now))
    return state


def new_generation():
    # A number, which django-redis stores as its digits: runcms.early_answers reads it without unpickling.
    return random.getrandbits(62)


def content_changed(collections):
    """Called once a logged change commits: states and responses cached before it are never used again."""
    if settings.RUNCMS_API_CACHE and is_shared():
        tell_cache()


# Seconds between tries to tell the cache of a change it did not hear of, while other app servers
# may still reach it and serve answers kept before the change. One timer per process retries,
# started again by each such change, until RUNCMS_API_CACHE_SECONDS after the last: by then
# whatever was kept before it has expired.
GENERATION_RETRY_SECONDS = (0.5, 1, 2, 4, 8, 15, 30)
_unheard = {"since": 0.0, "timer": None}
_unheard_lock = threading.Lock()


def tell_cache(attempt=0):
    """Replace the generation, past the guard (always try); should the cache not answer, try again later."""
    cache = caches["default"]
    target = cache.client if type(cache).__module__.startswith("django_redis") else cache
    try:
        target.set(GENERATION_KEY, new_generation(), timeout=None)
        return
    except Exception:
        pass
    with _unheard_lock:
        if attempt == 0:
            _unheard["since"] = time.monotonic()
            if _unheard["timer"] is not None:
                _unheard["timer"].cancel()
        elif _unheard["timer"] is not threading.current_thread():
            return  # a newer change started the tries again
        if time.monotonic() - _unheard["since"] > settings.RUNCMS_API_CACHE_SECONDS:
            logger.error("Changes never reached the cache (CACHE_URL); what was kept before them has expired")
            return
        delay = GENERATION_RETRY_SECONDS[min(attempt, len(GENERATION_RETRY_SECONDS) - 1)]
        logger.error("A change did not reach the cache (CACHE_URL); telling it again in %s s", delay)
        _unheard["timer"] = threading.Timer(delay, tell_cache, (attempt + 1,))
        _unheard["timer"].daemon = True
        _unheard["timer"].start()


def etag_of(request, collections, state):
    """The ETag of the answer to `request` from a view showing `collections`, at content state `state`."""
    parts = (
        code_version(),
        public_base(request),  # absolute URLs differ by scheme and host
        request.get_full_path(),
        tuple(state.positions.get(name) for name in collections),
        state.passed,
    )
    language = languages.of_request(request)  # raises UnknownLanguage: see PublicApiMixin
    key = repr(parts if languages.is_default(language) else (*parts, language))
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:40] + '"'


def stored_answer(etag):
    """(content, headers) of the 200 kept under `etag`, or None."""
    return answers().get(RESPONSE_KEY + etag)


@cache
def code_version():
    return (REPRESENTATION_VERSION, *(documents.shape(c.name) for c in changelog.collections()))


class ConditionalGetMixin:
    """ETag and Cache-Control on every GET; If-None-Match answered with 304 before any work."""

    # The collections whose changes can alter this view's responses.
    etag_collections = ()

    def private_response(self, request):
        return "preview" in request.query_params

    def check_query(self, request):
        """Refuse a request the view cannot answer (a bad sync token) before it can be a 304."""

    # Whether whole responses go in the shared cache (see the module's docstring).
    cache_responses = True
    from_cache = False

    def cacheable(self, request):
        return (
            self.cache_responses
            and request.method in ("GET", "HEAD")
            and not self.private_response(request)
            and not self.if_any_exists
            and answers() is not None
        )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttling first: a 304 is still a request
        self.etag = None
        self.if_any_exists = self.from_cache = False
        if request.method in ("GET", "HEAD"):
            self.check_query(request)
            self.state = current_state()
            self.etag = etag_of(request, self.etag_collections, self.state)
            if "*" in parse_etags(request.headers.get("If-None-Match", "")):
                # `*` matches any current representation (RFC 9110, 13.1.2), and only the view
                # knows whether there is one: a missing item or a bad filter stays a 404 or 400.
                self.if_any_exists = True
                return
            conditional = get_conditional_response(request._request, etag=self.etag)
            if conditional is not None:
                raise NotModified() if conditional.status_code == 304 else PreconditionFailed()
            if self.cacheable(request):
                stored = stored_answer(self.etag)
                if stored is not None:
                    mark_kept(request, self.state, self.state.seconds_left(timezone.now()))
                    raise CachedResponse(*stored)

    def handle_exception(self, exc):
        if isinstance(exc, CachedResponse):
            self.from_cache = True
            return replay(exc.content, exc.headers)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(self, "if_any_exists", False) and response.status_code == 200:
            response = Response(status=304)
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            etag = getattr(self, "etag", None)
            if etag and response.status_code in (200, 304):
                response["ETag"] = etag
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = PRIVATE_CACHING if self.private_response(request) else PUBLIC_CACHING
            if etag and response.status_code == 200 and not self.from_cache and self.cacheable(request):
                self.keep(response)
        return response

    def keep(self, response):
        """Store a 200 under its ETag: found again only while the content it was made from is current."""
        if isinstance(response, Response):
            response.render()
        seconds = self.state.seconds_left(timezone.now())
        if seconds > 0:
            answer = (response.content, list(response.items()))  # the headers the view and DRF set
            answers().set(RESPONSE_KEY + self.etag, answer, timeout=seconds)
            mark_kept(self.request, self.state, seconds)


KEPT = "runcms.kept"  # in the WSGI environ: (generation, until when), for runcms.early_answers


def mark_kept(request, state, seconds):
    """Tell runcms.early_answers that the answer to `request`, made at `state`, may be kept `seconds`."""
    request.META[KEPT] = (state.generation, time.time() + seconds)
