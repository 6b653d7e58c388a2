from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle

from runcms.api.caching import guarded_cache


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, with the rate read per request (API_ANON_RATE), on the guarded cache.

    DRF's own class copies the rates when it is imported, so a changed setting would
    never reach it. A cache that fails lets requests through (see `GuardedCache`).
    """

    cache = guarded_cache

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        # Counted already by runcms.api.middleware, which let it through to the view.
        if getattr(getattr(request, "_request", None), "runcms_throttled", False):
            return True
        return super().allow_request(request, view)


def client_address(request):
    """The address a request is counted by: REMOTE_ADDR, or the one the outermost of
    API_NUM_PROXIES proxies saw, from X-Forwarded-For. The admin login's lockout counts
    by it too (AXES_CLIENT_IP_CALLABLE), so both agree on who the client is."""
    return BaseThrottle().get_ident(request)
