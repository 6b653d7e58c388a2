"""Template tags every public page may use: JSON-LD blocks, safe links, search words from a path."""

import json
import re
from urllib.parse import unquote

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Inside a <script> element only these can end it or open a comment; escaped as in
# django.utils.html.json_script.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A JSON-LD data block; the escaping keeps any text inside from closing the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def is_web_url(url):
    """Only http(s) links are shown as links; anything else stored by other means stays text."""
    return str(url).lower().startswith(("http://", "https://"))


@register.filter
def path_words(path):
    """Words from the last part of a URL path, to prefill a search: "/drills/heel-pull/" -> "heel pull"."""
    last = next((part for part in reversed(unquote(str(path)).split("/")) if part), "")
    return " ".join(re.findall(r"[^\W_]+", last)[:8])[:100]
