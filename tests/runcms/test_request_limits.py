"""A request too large to take is answered with what the limit is and what to do, never a bare 400."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from drills.models import CueMedia
from tests.factories import image_bytes, stored_files

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/drills/cuemedia/add/"


def text(response):
    return html.unescape(response.content.decode())


def test_an_upload_over_the_request_limit_gets_a_page_with_the_limits(signed_in, settings, media_root):
    settings.RUNCMS_REQUEST_MAX_BYTES = 200 * 1024
    settings.RUNCMS_MEDIA_MAX_BYTES = 100 * 1024
    photo = SimpleUploadedFile("big.jpg", image_bytes() + b"\0" * 300 * 1024, content_type="image/jpeg")

    response = signed_in.post(ADD_URL, {"alt_text": "A runner", "file": photo})

    assert response.status_code == 413
    page = text(response)
    assert "Bad Request" not in page
    assert "is larger than the 200 KB a form may send, so none of it was saved" in page
    assert "A media file may be at most 100 KB" in page
    assert f'href="{ADD_URL}"' in page
    assert CueMedia.objects.count() == 0
    assert stored_files(media_root) == []


def test_form_text_over_djangos_limit_gets_a_page_with_the_limit(signed_in, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = signed_in.post(ADD_URL, {"alt_text": "x" * 2048})

    assert response.status_code == 413
    assert "The text of the form is more than 1 KB, the limit, so none of it was saved." in text(response)


def test_too_many_fields_gets_a_page_that_says_so(signed_in, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10

    response = signed_in.post(ADD_URL, {f"field{n}": "x" for n in range(20)})

    assert response.status_code == 400
    assert "The form has more than 10 fields, the limit" in text(response)

