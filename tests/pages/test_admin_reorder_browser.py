import pytest

from runcms.publishing import Status
from tests.factories import make_drill, make_program
from tests.helpers.pages import change_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")


def choose_drill(page, select_id, title):
    page.click(f"#{select_id} + .select2 .select2-selection")  # the autocomplete widget
    page.fill(".select2-search__field", title[:4])
    page.click(f".select2-results__option:has-text('{title}')")


def save_and_continue(page):
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")


def test_editor_drags_a_step_to_the_top_and_the_new_order_is_saved(live_server, page, editor):
    drill = make_drill(steps=["Lie face down.", "Bend the knee.", "Pull the heel to the hip."], status=Status.DRAFT)
    log_in(page, live_server, change_url(drill))

    grips = page.locator("#steps-group tbody tr.form-row.has_original .runcms-grip")
    grips.nth(2).drag_to(grips.nth(0), target_position={"x": 2, "y": 1})
    save_and_continue(page)

    assert list(drill.steps.values_list("text", flat=True)) == [
        "Pull the heel to the hip.",
        "Lie face down.",
        "Bend the knee.",
    ]
    assert page.console_errors == []


def test_a_drill_added_in_a_programs_empty_row_comes_last_on_the_program_page(live_server, page, editor):
    program = make_program(drills=[make_drill(title="Heel pull"), make_drill(title="Box bounce")])
    make_drill(title="Short run")
    log_in(page, live_server, change_url(program))

    choose_drill(page, "id_items-2-drill", "Short run")
    save_and_continue(page)
    page.click("a.publish-draft")  # the program is live: the save is its draft change
    page.click("#publish-draft-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    page.goto(f"{live_server.url}/programs/{program.slug}/")

    titles = page.locator("main h2, main h3").all_inner_texts()
    assert [title for title in titles if title in ("Heel pull", "Box bounce", "Short run")] == [
        "Heel pull", "Box bounce", "Short run"
    ]
    assert page.console_errors == []


def test_a_new_program_item_dragged_to_the_top_is_saved_first(live_server, page, editor):
    # The new row holds only a select: it must count as content when the rows are renumbered.
    # Unpublished, so the save changes the rows.
    program = make_program(drills=[make_drill(title="Heel pull"), make_drill(title="Box bounce")], status=Status.DRAFT)
    make_drill(title="Short run")
    log_in(page, live_server, change_url(program))

    choose_drill(page, "id_items-2-drill", "Short run")
    grips = page.locator("#items-group tbody tr.form-row:not(.empty-form) .runcms-grip")
    grips.nth(2).drag_to(grips.nth(0), target_position={"x": 2, "y": 1})
    save_and_continue(page)

    assert [item.drill.title for item in program.items.select_related("drill")] == [
        "Short run", "Heel pull", "Box bounce"
    ]


def test_editor_moves_a_step_up_with_the_keyboard_and_the_new_order_is_saved(live_server, page, editor):
    drill = make_drill(steps=["Lie face down.", "Bend the knee.", "Pull the heel to the hip."], status=Status.DRAFT)
    log_in(page, live_server, change_url(drill))

    grip = page.get_by_role("button", name="Move this row").nth(2)
    grip.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")

    focused_row = page.evaluate("document.activeElement.closest('tr').id")
    assert focused_row == "steps-2"  # the moved row keeps the focus
    save_and_continue(page)
    assert list(drill.steps.values_list("text", flat=True)) == [
        "Pull the heel to the hip.",
        "Lie face down.",
        "Bend the knee.",
    ]
    assert page.console_errors == []


def test_positions_typed_by_hand_are_kept_on_save(live_server, page, editor):
    drill = make_drill(steps=["Lie face down.", "Bend the knee.", "Pull the heel to the hip."], status=Status.DRAFT)
    log_in(page, live_server, change_url(drill))

    page.fill("#id_steps-0-position", "2")
    page.fill("#id_steps-1-position", "3")
    page.fill("#id_steps-2-position", "1")
    save_and_continue(page)

    assert list(drill.steps.values_list("position", "text")) == [
        (1, "Pull the heel to the hip."),
        (2, "Lie face down."),
        (3, "Bend the knee."),
    ]


def test_a_new_step_typed_in_the_empty_row_goes_after_the_others_and_the_empty_cue_row_is_left_alone(
    live_server, page, editor
):
    drill = make_drill(steps=["Lie face down.", "Bend the knee."], cues=["Hips level"], status=Status.DRAFT)
    log_in(page, live_server, change_url(drill))

    page.fill("#id_steps-0-position", "5")  # gaps and typed numbers are fine
    page.fill("#id_steps-2-text", "Pull the heel to the hip.")
    save_and_continue(page)

    assert list(drill.steps.values_list("position", "text")) == [
        (2, "Bend the knee."),
        (5, "Lie face down."),
        (6, "Pull the heel to the hip."),
    ]
    assert list(drill.cues.values_list("text", flat=True)) == ["Hips level"]
