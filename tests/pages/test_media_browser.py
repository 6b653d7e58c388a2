import pytest

from drills.models import CueMedia
from tests.factories import image_bytes, make_category
from tests.helpers.pages import sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO = {"name": "heel-to-hip.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(800, 600))}


def test_editor_uploads_a_photo_sets_its_focal_point_by_clicking_and_sees_its_thumbnail(live_server, page, editor):
    sign_in_to_admin(page, live_server)
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
    sign_in_to_admin(page, live_server)
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


LARGE_PHOTO = {"name": "wide.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(2000, 1500))}
# A function, not an expression: an expression is evaluated with eval, which the admin's CSP forbids.
PICTURE_SHOWN = "() => document.querySelector('img.runcms-focal-image').naturalWidth > 0"
# Where the marker's centre is drawn, as a share of the picture's width and height.
MARKER_ON_PICTURE = """() => {
    const picture = document.querySelector('img.runcms-focal-image').getBoundingClientRect();
    const marker = document.querySelector('.runcms-focal-marker').getBoundingClientRect();
    return [(marker.left + marker.width / 2 - picture.left) / picture.width,
            (marker.top + marker.height / 2 - picture.top) / picture.height];
}"""


def click_the_picture_and_find_the_marker(page, x, y):
    page.set_input_files("#id_file", files=[LARGE_PHOTO])
    page.wait_for_function(PICTURE_SHOWN)
    picture = page.locator("img.runcms-focal-image")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * x, "y": box["height"] * y})
    return page.evaluate(MARKER_ON_PICTURE)


@pytest.mark.parametrize("width", [360, 800, 1024, 1400, 1920])
def test_the_focal_point_marker_is_drawn_where_the_editor_clicked_at_any_window_width(live_server, page, editor, width):
    sign_in_to_admin(page, live_server)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/drills/cuemedia/add/")

    marker = click_the_picture_and_find_the_marker(page, 0.25, 0.75)

    # Within 1% of the picture: a pixel or two at most.
    assert marker == [pytest.approx(0.25, abs=0.01), pytest.approx(0.75, abs=0.01)]
    # Made narrower afterwards, the picture shrinks and the marker stays on the same spot.
    page.set_viewport_size({"width": max(320, width // 2), "height": 900})
    page.wait_for_timeout(100)
    assert page.evaluate(MARKER_ON_PICTURE) == [pytest.approx(0.25, abs=0.01), pytest.approx(0.75, abs=0.01)]
    assert page.console_errors == []


@pytest.mark.parametrize("width", [360, 640, 1024, 1400])
def test_the_focal_point_marker_is_drawn_where_the_editor_clicked_in_the_add_popup(live_server, page, editor, width):
    make_category(name="Pull", slug="pull")
    sign_in_to_admin(page, live_server)
    page.goto(f"{live_server.url}/admin/drills/drill/add/")
    with page.expect_popup() as opened:
        page.click("#add_id_steps-0-media")
    popup = opened.value
    popup.set_viewport_size({"width": width, "height": 800})

    marker = click_the_picture_and_find_the_marker(popup, 0.8, 0.2)

    assert marker == [pytest.approx(0.8, abs=0.01), pytest.approx(0.2, abs=0.01)]
    assert page.console_errors == []


def test_a_photo_chosen_in_a_form_refused_for_missing_alt_text_is_kept_for_the_next_save(live_server, page, editor):
    sign_in_to_admin(page, live_server)
    page.goto(f"{live_server.url}/admin/drills/cuemedia/add/")
    page.set_input_files("#id_file", files=[PHOTO])
    page.wait_for_function(PICTURE_SHOWN)
    picture = page.locator("img.runcms-focal-image")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.6})
    page.click("input[name=_save]")

    page.wait_for_selector(".errornote")
    assert "heel-to-hip.jpg kept — choose another to replace it." in page.inner_text(".field-file")
    assert CueMedia.objects.count() == 0
    # The kept picture is back in the focal-point picker, the marker where it was clicked.
    page.wait_for_function(PICTURE_SHOWN)
    assert page.evaluate(MARKER_ON_PICTURE) == [pytest.approx(0.3, abs=0.01), pytest.approx(0.6, abs=0.01)]
    page.fill("#id_alt_text", "Runner lying face down pulling one heel to the hip")
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    media = CueMedia.objects.get()
    assert media.file.read() == PHOTO["buffer"]
    assert (media.focal_x, media.focal_y) == (pytest.approx(0.3, abs=0.01), pytest.approx(0.6, abs=0.01))
    assert page.console_errors == []
