from django.test import RequestFactory

from runcms.links import public_base, public_url


def test_a_path_is_made_absolute_on_the_public_base_url_when_set(settings):
    settings.RUNCMS_PUBLIC_BASE_URL = "https://cms.example.com/"
    request = RequestFactory().get("/", HTTP_HOST="internal:8000")
    assert public_url("/drills/skips/", request) == "https://cms.example.com/drills/skips/"
    assert public_base(request) == "https://cms.example.com/"


def test_without_a_base_url_the_request_host_is_used_or_the_path_stays_relative(settings):
    settings.RUNCMS_PUBLIC_BASE_URL = ""
    request = RequestFactory().get("/")
    assert public_url("/feed/", request) == "http://testserver/feed/"
    assert public_url("/feed/") == "/feed/"


def test_an_absolute_url_is_kept_and_an_empty_path_is_none(settings):
    settings.RUNCMS_PUBLIC_BASE_URL = "https://cms.example.com"
    assert public_url("https://cdn.example.net/media/a.jpg") == "https://cdn.example.net/media/a.jpg"
    assert public_url("") is None
