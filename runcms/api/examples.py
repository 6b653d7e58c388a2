"""What every app's OpenAPI examples share: the example site, its two dates, its languages, and `example()`."""

from drf_spectacular.utils import OpenApiExample

BASE = "https://runcms.example.com"
UPDATED = "2026-05-01T12:00:00Z"
PUBLISHED = "2026-04-30T09:00:00Z"
# What every translated object says of its text: the language it is in, and all it exists in.
TEXT_LANGUAGE = {"language": "en", "languages": ["en", "de"]}


def example(name, value):
    return OpenApiExample(name, value=value, response_only=True)
