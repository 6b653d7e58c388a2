"""An editor restores a media item's first file from its History, in Chromium."""

from urllib.request import urlopen

import pytest

from drills.models import CueMedia, DrillMedia
from runcms.publishing import Status
from tests.factories import image_bytes, make_drill, upload_media
from tests.helpers.pages import sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = image_bytes(size=(800, 600), color=(200, 40, 40))
SECOND = {"name": "second.png", "mimeType": "image/png", "buffer": image_bytes(size=(500, 400), format="PNG")}
PICTURE_SHOWN = "() => { const img = document.querySelector('img.runcms-focal-image'); " \
    "return img && img.complete && img.naturalWidth > 0; }"


def test_editor_restores_the_first_file_of_a_photo_from_its_history(live_server, page, editor):
    media = upload_media(FIRST, alt_text="Heel pull, first photo")
    # On an unpublished drill: saves of media that live content shows are kept as drafts
    # (tests/drills/media/test_media_drafts.py), and this test is about the file a version brings back.
    DrillMedia.objects.create(drill=make_drill(title="Heel pull", status=Status.DRAFT), media=media)
    sign_in_to_admin(page, live_server)
    change = f"{live_server.url}/admin/drills/cuemedia/{media.pk}/change/"
    page.goto(change)
    page.click("input[name=_continue]")  # the first saved version
    page.wait_for_selector(".messagelist .success")
    page.set_input_files("#id_file", files=[SECOND])
    page.fill("#id_alt_text", "Heel pull, second photo")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    media.refresh_from_db()
    assert media.width == 500

    page.click("a.historylink")
    page.locator("#change-history tbody a").first.click()
    page.wait_for_function(PICTURE_SHOWN)
    shown_width = page.evaluate("() => document.querySelector('img.runcms-focal-image').naturalWidth")
    assert page.input_value("#id_alt_text") == "Heel pull, first photo"
    page.click("input[name=_save]")

    message = page.locator(".messagelist .success").inner_text()
    assert message.startswith("Restored “Heel pull, first photo” to its version of ")
    assert "by editor" in message
    media = CueMedia.objects.get()
    assert shown_width == 800
    assert (media.width, media.height) == (800, 600)
    with urlopen(f"{live_server.url}{media.file.url}") as served:
        assert served.read() == FIRST
    sized = [r for r in media.renditions.all() if r.name != "thumb"]
    assert sized and all(abs(r.width / r.height - 800 / 600) < 0.02 for r in sized)
    page.wait_for_function(PICTURE_SHOWN)
    assert page.console_errors == []
