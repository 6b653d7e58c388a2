"""Reading public pages and reaching admin pages in tests, written once."""

import json
import re


def text_of(response):
    """The page's HTML as text."""
    return response.content.decode()


def json_ld(response):
    """The page's JSON-LD block, parsed."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', text_of(response), re.DOTALL)
    return json.loads(match[1])


def change_url(obj):
    """The admin change page of any model instance."""
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
