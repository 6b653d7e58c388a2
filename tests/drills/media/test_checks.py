"""`manage.py check` reports wrong cue-media settings before an upload meets them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def _check():
    call_command("check", stdout=StringIO(), stderr=StringIO())


def test_the_default_settings_pass():
    _check()


@pytest.mark.parametrize("name", ["RUNCMS_MEDIA_MAX_BYTES", "RUNCMS_MEDIA_MAX_PIXELS", "RUNCMS_MEDIA_MAX_FRAMES"])
def test_a_limit_of_zero_is_an_error(settings, name):
    setattr(settings, name, 0)

    with pytest.raises(SystemCheckError, match=rf"cuemedia.E001.*{name} is 0"):
        _check()


def test_a_request_limit_too_small_for_a_video_and_poster_is_a_warning(settings):
    settings.RUNCMS_MEDIA_MAX_BYTES = 1000
    settings.RUNCMS_REQUEST_MAX_BYTES = 1500
    out = StringIO()

    call_command("check", stdout=out, stderr=out)

    assert "cuemedia.W001" in out.getvalue()


def test_a_rendition_lock_folder_that_does_not_exist_is_an_error(settings, tmp_path):
    settings.RUNCMS_RENDITION_LOCK_DIR = str(tmp_path / "missing")

    with pytest.raises(SystemCheckError, match="cuemedia.E002"):
        _check()
