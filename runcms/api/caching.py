"""HTTP caching for the API: an ETag on every GET, and 304 for a matching If-None-Match.

A conditional GET must stay cheap, so the ETag is not a hash of the body. It hashes what
the body is made of, read in one small query: the newest change-log position of the
collections a view shows (every change that alters an object as the API shows it is
logged, related rows included: see `runcms.changelog`) and the latest scheduled publish or
unpublish time that has passed (time alone changes what is public, rule 2), with the
base URL (scheme and host) of its links and its URL. Nothing is loaded or serialised before the 304.
"""

import hashlib

from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from runcms import changelog
from runcms.documents import one_row
from runcms.links import public_base
from runcms.models import ChangeLog

# Part of every ETag: raise it with a deploy that changes how objects look, so no client keeps
# an old shape through a 304.
REPRESENTATION_VERSION = 1

# Caches may keep a copy but must ask again each time: the 304 is cheap, and an item that is
# unpublished or expires must not go on being served from a cache (rules 1 and 2).
PUBLIC_CACHING = "public, no-cache"
# A draft opened with a preview token never lands in a shared cache.
PRIVATE_CACHING = "private, no-store"


class NotModified(APIException):
    status_code = 304
    default_detail = "Not modified."


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = "If-Match names a version of this response that is not the current one."
    default_code = "precondition_failed"


def content_state(collection_names):
    """The newest log position of each collection and the latest schedule time passed, in one query."""
    now = timezone.now()
    subqueries = [
        ChangeLog.objects.filter(collection=name).order_by("-id").values("id")[:1] for name in collection_names
    ]
    for model in changelog.scheduled_models():
        for field in ("publish_at", "unpublish_at"):
            passed = model.objects.filter(**{f"{field}__lte": now})
            subqueries.append(passed.order_by(f"-{field}").values(field)[:1])
    return one_row(subqueries)


class ConditionalGetMixin:
    """ETag and Cache-Control on every GET; If-None-Match answered with 304 before any work."""

    # The collections whose changes can alter this view's responses.
    etag_collections = ()

    def private_response(self, request):
        return "preview" in request.query_params

    def check_query(self, request):
        """Refuse a request the view cannot answer (a bad sync token) before it can be a 304."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttling first: a 304 is still a request
        self.etag = None
        self.if_any_exists = False
        if request.method in ("GET", "HEAD"):
            self.check_query(request)
            key = repr(
                (
                    REPRESENTATION_VERSION,
                    public_base(request),  # absolute URLs differ by scheme and host
                    request.get_full_path(),
                    content_state(self.etag_collections),
                )
            )
            self.etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:40] + '"'
            if "*" in parse_etags(request.headers.get("If-None-Match", "")):
                # `*` matches any current representation (RFC 9110, 13.1.2), and only the view
                # knows whether there is one: a missing item or a bad filter stays a 404 or 400.
                self.if_any_exists = True
                return
            conditional = get_conditional_response(request._request, etag=self.etag)
            if conditional is not None:
                raise NotModified() if conditional.status_code == 304 else PreconditionFailed()

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
        return response
