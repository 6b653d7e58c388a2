import time

from django.http.request import HttpHeaders
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle

from runcms.api.caching import guarded_cache

# Where a request already counted (by runcms.early_answers or runcms.api.middleware) leaves
# its count in the WSGI environ: (requests in this window, when the window ends).
COUNTED = "runcms.throttle.counted"


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, counting in fixed windows of the rate's period (API_ANON_RATE).

    One atomic increment per request, whatever the rate: DRF's own class keeps a list of
    every request's time in the window and stores it back whole, which grows with the rate.
    The rate is read per request (DRF's class copies it on import, so a changed setting would
    never reach it). A cache that fails lets requests through (see `GuardedCache`).
    """

    cache = guarded_cache

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        meta = request.META
        if COUNTED not in meta:
            key = self.get_cache_key(request, view)
            if key is None:
                return True
            meta[COUNTED] = count(key, self.duration)
        requests, self.window_end = meta[COUNTED]
        return requests is None or requests <= self.num_requests

    def wait(self):
        return max(self.window_end - time.time(), 1)


def window_key(key, duration, now):
    """The counter of `key`'s requests in the window of `duration` seconds holding `now`, and when it ends."""
    window = int(now // duration)
    return f"{key}:{duration}:{window}", (window + 1) * duration


def count(key, duration):
    """Count one request against `key`: (requests in this window, or None when the cache fails, window end)."""
    name, ends = window_key(key, duration, time.time())
    return guarded_cache.incr(name, timeout=duration + 1), ends


def throttle_key(meta):
    """The throttle's cache key for a request with WSGI environ `meta`, and the rate: (key, requests, seconds),
    or None when no rate is set. The same key as `AnonymousRateThrottle.get_cache_key`."""
    throttle = AnonymousRateThrottle()
    if throttle.rate is None:
        return None
    return throttle.get_cache_key(_Request(meta), None), throttle.num_requests, throttle.duration


def client_address(request):
    """The address a request is counted by: REMOTE_ADDR, or the one the outermost of
    API_NUM_PROXIES proxies saw, from X-Forwarded-For. The admin login's lockout counts
    by it too (AXES_CLIENT_IP_CALLABLE), so both agree on who the client is."""
    return BaseThrottle().get_ident(request)


class _Request:
    """What DRF's throttle reads of a request: its environ, and no user (the API is anonymous)."""

    user = None

    def __init__(self, meta):
        self.META = meta
        self.headers = HttpHeaders(meta)
