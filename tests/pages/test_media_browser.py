import pytest

from drills.models import CueMedia
from tests.factories import image_bytes, make_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO = {"name": "heel-to-hip.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(800, 600))}


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")


def test_editor_uploads_a_photo_sets_its_focal_point_by_clicking_and_sees_its_thumbnail(live_server, page, editor):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/drills/cuemedia/add/")
    page.set_input_files("#id_file", files=[PHOTO])
    page.fill("#id_alt_text", "Runner lying face down pulling one heel to the hip")

    picture = page.locator("img.runcms-focal-image")
    page.wait_for_function("document.querySelector('img.runcms-focal-image').naturalWidth > 0")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert page.locator(".runcms-focal-marker").is_visible()
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    page.wait_for_function(
        "() => { const img = document.querySelector('#result_list img.runcms-thumb');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    media = CueMedia.objects.get()
    assert media.focal_x == pytest.approx(0.25, abs=0.01)
    assert media.focal_y == pytest.approx(0.75, abs=0.01)
    assert page.console_errors == []


def test_editor_adds_a_photo_to_a_step_without_leaving_the_drill_form(live_server, page, editor):
    make_category(name="Pull", slug="pull")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/drills/drill/add/")

    with page.expect_popup() as opened:
        page.click("#add_id_steps-0-media")
    popup = opened.value
    popup.set_input_files("#id_file", files=[PHOTO])
    popup.fill("#id_alt_text", "Heel pulled to the hip")
    with popup.expect_event("close"):
        popup.click("input[name=_save]")

    media = CueMedia.objects.get()
    assert page.input_value("#id_steps-0-media") == str(media.pk)
    assert "Heel pulled to the hip" in page.inner_text("#steps-group")
    assert page.console_errors == []
