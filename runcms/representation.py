"""How an API object is rendered once, for storing and hashing: JSON bytes with links on a placeholder base.

Published documents (`runcms.documents`) store these bytes and the change journal
(`runcms.changelog`) hashes them, so both see an object exactly as the API shows it,
whatever host or public base URL a request uses: every absolute URL starts with `MARKER`,
which `runcms.documents.served_bytes` replaces with the request's public base.
"""

import hashlib

import orjson
from django.utils import translation
from rest_framework.utils.encoders import JSONEncoder

from runcms import languages
from runcms.links import links_on

# The base of every absolute URL in a rendered object: a NUL, which JSON writes as `\u0000`.
# PostgreSQL cannot store a NUL in text, so nothing an editor typed can look like it.
MARKER = "\x00"
MARKER_JSON = b'"\\u0000'

_default = JSONEncoder().default  # lazy strings, decimals and times as DRF writes them


def dumps(data):
    """JSON bytes as the API writes them: compact UTF-8, times as DRF writes them (`Z` for UTC)."""
    return orjson.dumps(data, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)


def digest(data):
    """The content hash of rendered bytes (hex SHA-256)."""
    return hashlib.sha256(data).hexdigest()


class _RenderRequest:
    """The request an object is rendered for: links start with MARKER."""

    @staticmethod
    def build_absolute_uri(path):
        return MARKER + path


def render(collection, objects, forms=("summary", "detail"), language=None):
    """{id: {form: JSON bytes}} of `objects` (loaded by `collection.visible()`) in the list and detail forms,
    with their text in `language` (default: the default language), after its fallbacks."""
    objects = list(objects)
    serializers = {"detail": collection.serializer, "summary": collection.summary}
    context = {"request": _RenderRequest()}
    rendered = {obj.pk: {} for obj in objects}
    done = {}
    with links_on(MARKER), translation.override(language or languages.default()):
        for form in forms:
            serializer = serializers[form]
            if serializer not in done:
                done[serializer] = serializer(objects, many=True, context=context).data
            for obj, data in zip(objects, done[serializer], strict=True):
                rendered[obj.pk][form] = dumps(data)
    return rendered
