import pytest

from drills.models import Drill
from tests.factories import make_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_creates_a_drill_with_steps_and_a_cue_publishes_it_and_finds_it(live_server, page, editor):
    make_category(name="Pull", slug="pull")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/drills/drill/add/")
    page.locator("#id_title").press_sequentially("Heel pull on the box")
    assert page.input_value("#id_slug") == "heel-pull-on-the-box"  # prepopulated as the title is typed
    page.fill("#id_summary", "Stand on a box with a band on the ankle and pull the heel to the hip.")
    page.click("#id_category + .select2 .select2-selection")  # the autocomplete widget
    page.fill(".select2-search__field", "Pul")
    page.click(".select2-results__option:has-text('Pull')")
    page.fill("#id_reps", "10")
    page.check("#id_per_side")
    page.fill("#id_steps-0-text", "Stand on the box, band tied to the ankle.")
    page.click("#steps-group .add-row a")
    page.fill("#id_steps-1-text", "Pull the heel up toward the hip.")
    page.fill("#id_cues-0-text", "Keep your hips and back level")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Heel pull on the box" in rows.first.inner_text()
    assert "Live" in rows.first.inner_text()
    drill = Drill.objects.published().get(slug="heel-pull-on-the-box")
    assert list(drill.steps.values_list("text", flat=True)) == [
        "Stand on the box, band tied to the ankle.",
        "Pull the heel up toward the hip.",
    ]
    assert list(drill.cues.values_list("text", flat=True)) == ["Keep your hips and back level"]
    assert page.console_errors == []
