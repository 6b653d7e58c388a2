"""Signed, expiring preview links: an editor shares a draft without giving out a login.

The token names one object (model label + id), so a token for one draft opens no other.
It works on the public page and on the API detail as `?preview=<token>`.
"""

from django.conf import settings
from django.core import signing

SALT = "runcms.preview"


def make_preview_token(obj):
    return signing.dumps({"model": obj._meta.label_lower, "id": str(obj.pk)}, salt=SALT, compress=True)


def preview_allows(token, model, pk):
    """True when `token` is a valid, unexpired preview token for this very object."""
    if not token:
        return False
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.RUNCMS_PREVIEW_MAX_AGE)
    except signing.BadSignature:  # also raised, as SignatureExpired, when too old
        return False
    return data == {"model": model._meta.label_lower, "id": str(pk)}


def visible_queryset(queryset, request):
    """`queryset.published()`, plus the one draft a valid `?preview=` token in the request opens."""
    published = queryset.published()
    token = request.GET.get("preview") if request is not None else None
    if not token:
        return published
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.RUNCMS_PREVIEW_MAX_AGE)
    except signing.BadSignature:
        return published
    if data.get("model") != queryset.model._meta.label_lower:
        return published
    return published | queryset.filter(pk=data.get("id"))
