"""Absolute URLs on the public site, the one rule for the API, pages, feed, sitemap and admin."""

from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings

# Set by `links_on()`: the base every link takes instead of the configured or the request's one.
_base_override = ContextVar("runcms_links_base", default=None)


def public_url(path, request=None):
    """`path` made absolute: on RUNCMS_PUBLIC_BASE_URL when set, else on the request's host.

    An empty path is None; an absolute URL (a file in a bucket behind a CDN) is kept.
    Without a base URL and without a request the path stays relative (the feed's
    syndication then adds the request's host).
    """
    if not path:
        return None
    if urlsplit(path).scheme:
        return path
    base = _base_override.get() or settings.RUNCMS_PUBLIC_BASE_URL.rstrip("/")
    if base:
        return base + "/" + path.lstrip("/")
    return request.build_absolute_uri(path) if request is not None else path


def public_base(request=None):
    """What every absolute URL starts with (scheme and host), e.g. for an ETag or a sitemap's domain."""
    return public_url("/", request)


@contextmanager
def links_on(base):
    """Make every absolute URL built inside start with `base`, whatever the settings and request.

    Published documents (`runcms.documents`) are rendered with a placeholder base, put in
    place when a response is served.
    """
    reset = _base_override.set(base)
    try:
        yield
    finally:
        _base_override.reset(reset)
