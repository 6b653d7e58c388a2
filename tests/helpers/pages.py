"""Reading public pages and reaching admin pages in tests, written once."""

import html
import json
import re


def text_of(response):
    """The page's HTML as text."""
    return response.content.decode()


def page_text(response):
    """The page's HTML as text with its character references resolved, as a reader sees the words."""
    return html.unescape(text_of(response))


def json_ld(response):
    """The page's JSON-LD block, parsed."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', text_of(response), re.DOTALL)
    return json.loads(match[1])


def change_url(obj):
    """The admin change page of any model instance."""
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
