"""The language of an API answer: chosen by `?lang=` or Accept-Language, and said in its headers."""

from django.utils.cache import patch_vary_headers


def mark_language(response, language):
    """Say which language `response` answers in, and that the answer depends on Accept-Language."""
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
