"""Signed, expiring preview links: an editor shares a draft without giving out a login.

The token names one object (model label + id), so a token for one draft opens no other.
It works on the public page and on the API detail as `?preview=<token>`.
"""

from django.conf import settings
from django.core import signing

SALT = "runcms.preview"
# Set on a preview page's response for /media/ only, so the draft's own pictures load too.
MEDIA_COOKIE = "runcms_preview"


def make_preview_token(obj):
    return signing.dumps({"model": obj._meta.label_lower, "id": str(obj.pk)}, salt=SALT, compress=True)


def read_preview_token(token):
    """{"model": label, "id": pk} for a valid, unexpired token; None otherwise."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.RUNCMS_PREVIEW_MAX_AGE)
    except signing.BadSignature:  # also raised, as SignatureExpired, when too old
        return None
    return data if isinstance(data, dict) and set(data) == {"model", "id"} else None


def preview_allows(token, model, pk):
    """True when `token` is a valid, unexpired preview token for this very object."""
    return read_preview_token(token) == {"model": model._meta.label_lower, "id": str(pk)}


def visible_queryset(queryset, request):
    """`queryset.published()`, plus the one draft a valid `?preview=` token in the request opens."""
    published = queryset.published()
    data = read_preview_token(request.GET.get("preview")) if request is not None else None
    if data is None or data["model"] != queryset.model._meta.label_lower:
        return published
    return published | queryset.filter(pk=data["id"])


def remember_preview_for_media(request, response):
    """Let the media view serve the previewed draft's own files to this browser."""
    token = request.GET.get("preview")
    if read_preview_token(token) is not None:
        response.set_cookie(
            MEDIA_COOKIE, token, max_age=3600, path=settings.MEDIA_URL, secure=request.is_secure(),
            httponly=True, samesite="Lax",
        )


DRAFT_SALT = "runcms.preview.draft"


def make_draft_preview_token(draft):
    """A preview link's token for a draft change of a live item: the page and the API as the draft has them."""
    return signing.dumps({"draft": draft.pk}, salt=DRAFT_SALT, compress=True)


def read_draft_preview_token(token):
    """The draft change's id for a valid, unexpired draft preview token; None otherwise."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=DRAFT_SALT, max_age=settings.RUNCMS_PREVIEW_MAX_AGE)
    except signing.BadSignature:
        return None
    return data.get("draft") if isinstance(data, dict) and set(data) == {"draft"} else None
