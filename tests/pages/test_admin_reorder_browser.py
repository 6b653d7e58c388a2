import pytest

from tests.factories import make_drill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_drags_a_step_to_the_top_and_the_new_order_is_saved(live_server, page, editor):
    drill = make_drill(steps=["Lie face down.", "Bend the knee.", "Pull the heel to the hip."])
    page.goto(f"{live_server.url}/admin/login/?next=/admin/drills/drill/{drill.pk}/change/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")

    grips = page.locator("#steps-group tbody tr.form-row.has_original .runcms-grip")
    grips.nth(2).drag_to(grips.nth(0), target_position={"x": 2, "y": 1})
    page.click("input[name=_continue]")

    page.wait_for_selector(".messagelist .success")
    assert list(drill.steps.values_list("text", flat=True)) == [
        "Pull the heel to the hip.",
        "Lie face down.",
        "Bend the knee.",
    ]
    assert page.console_errors == []
