"""Answers API GETs from the shared response cache before the rest of the middleware and DRF run.

Where a kept answer exists (see `runcms.api.caching`), building the request for DRF,
negotiating, and the session, CSRF, authentication, messages and lockout middleware are
all work for nothing: this middleware, placed after the ones that add security and CORS
headers and check the request (host, NUL characters), throttles the request, works out
its ETag exactly as the view would, and answers a 304 or the kept 200 itself. Anything
else (a miss, a preview, a refused throttle, If-Match or `If-None-Match: *`, HEAD) goes
on to the view, which answers as it always does.
"""

from django.http import HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags

from runcms import languages
from runcms.api import caching
from runcms.api.language import mark_language
from runcms.api.throttling import AnonymousRateThrottle

API_PREFIX = "/api/"
# Every API view is read-only (runcms.api.views.PublicApiMixin).
ALLOW = "GET, HEAD, OPTIONS"


class CachedAnswerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        answer = None
        if request.method == "GET" and request.path_info.startswith(API_PREFIX):
            answer = self.answer(request)
        return answer or self.get_response(request)

    def answer(self, request):
        if caching.answers() is None or "preview" in request.GET or "If-Match" in request.headers:
            return None
        view = _cached_view(request.path_info)
        if view is None or "*" in parse_etags(request.headers.get("If-None-Match", "")):
            return None
        if not AnonymousRateThrottle().allow_request(_ThrottledRequest(request), None):
            return None  # the view answers the 429, with its Retry-After (counted once: see throttling.COUNTED)
        state = caching.current_state()
        try:
            language = languages.of_request(request)
        except languages.UnknownLanguage:
            return None  # the view answers the 400
        etag = caching.etag_of(request, view.etag_collections, state)
        conditional = get_conditional_response(request, etag=etag)
        if isinstance(conditional, HttpResponseNotModified):
            response = HttpResponseNotModified()
            response["Allow"], response["ETag"], response["Cache-Control"] = ALLOW, etag, caching.PUBLIC_CACHING
            mark_language(response, language)
            return response
        stored = caching.stored_answer(etag) if conditional is None else None
        if stored is None:
            return None
        caching.mark_kept(request, state, state.seconds_left(timezone.now()))
        return caching.replay(*stored)


class _ThrottledRequest:
    """What DRF's throttle reads of a request: its headers, and no user (the API is anonymous)."""

    user = None

    def __init__(self, request):
        self.META, self.headers = request.META, request.headers


def _cached_view(path):
    """The API view class answering `path` when its answers are kept, else None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view = getattr(match.func, "cls", None)
    if view is None or not getattr(view, "cache_responses", False):
        return None
    return view if isinstance(getattr(view, "etag_collections", None), tuple) else None
