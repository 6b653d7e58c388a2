"""Template tags every public page may use: JSON-LD blocks, safe links, search words from a path."""

import json
import re
from urllib.parse import unquote

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

from runcms import languages
from runcms.links import public_url

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


@register.simple_tag(takes_context=True)
def page_languages(context):
    """This page in every published language: [{code, name, url, current}]; empty with one language.

    For the hreflang alternates and the language switcher. The address is the same page's under
    the language's prefix (slugs are shared by all languages).
    """
    request = context.get("request")
    codes = languages.enabled()
    if request is None or len(codes) < 2:
        return []
    current = languages.active()
    path = request.path
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"] if code in _KNOWN else code,
            "url": public_url(translate_url(path, code), request),
            "current": code == current,
        }
        for code in codes
    ]


@register.simple_tag
def lang_of(obj, field):
    """` lang="en"` for the element holding `obj.<field>` when its text is another language's than the page's:
    not translated yet, it falls back (e.g. to English on a German page). Reads no database."""
    if obj is None or field not in languages.translated_fields(type(obj)):
        return ""
    shown = languages.field_language(obj, field)
    return format_html(' lang="{}"', shown) if shown and shown != languages.active() else ""


@register.filter
def in_its_language(obj, field):
    """`obj.<field>`, in a <span lang> when it falls back to another language (see lang_of); for inline text."""
    mark = lang_of(obj, field)
    return format_html("<span{}>{}</span>", mark, getattr(obj, field)) if mark else getattr(obj, field)


def _known():
    from django.conf.locale import LANG_INFO

    return set(LANG_INFO)


_KNOWN = _known()
