"""Absolute URLs on the public site, the one rule for the API, pages, feed, sitemap and admin."""

from urllib.parse import urlsplit

from django.conf import settings


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
    base = settings.RUNCMS_PUBLIC_BASE_URL.rstrip("/")
    if base:
        return base + "/" + path.lstrip("/")
    return request.build_absolute_uri(path) if request is not None else path


def public_base(request=None):
    """What every absolute URL starts with (scheme and host), e.g. for an ETag or a sitemap's domain."""
    return public_url("/", request)
