"""Ordered inlines without JavaScript: a new row left at position 0 goes last, not first."""

import pytest

from tests.admin_forms import admin_form_data
from tests.factories import make_drill, make_program
from tests.helpers.pages import change_url, publish_draft

pytestmark = pytest.mark.django_db


def item_titles(program):
    return [item.drill.title for item in program.items.select_related("drill")]


def test_a_drill_added_without_a_position_goes_last_in_the_program(client, editor):
    program = make_program(drills=[make_drill(title="Heel pull"), make_drill(title="Box bounce")])
    newcomer = make_drill(title="Short run")
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(program)))
    assert form["items-2-position"] == "0"  # the empty extra row, as the browser sends it

    response = client.post(change_url(program), {**form, "items-2-drill": str(newcomer.pk)})
    publish_draft(client, program)  # the program is live: the save was a draft change

    assert response.status_code == 302
    assert item_titles(program) == ["Heel pull", "Box bounce", "Short run"]
    assert program.items.get(drill=newcomer).position == 3


def test_the_public_program_page_lists_a_drill_added_without_a_position_last(client, editor):
    program = make_program(drills=[make_drill(title="Heel pull")])
    newcomer = make_drill(title="Short run")
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(program)))
    client.post(change_url(program), {**form, "items-1-drill": str(newcomer.pk)})
    publish_draft(client, program)
    client.logout()

    page = client.get(f"/programs/{program.slug}/").content.decode()

    assert page.index("Heel pull") < page.index("Short run")


def test_several_new_rows_without_positions_keep_their_form_order(client, editor):
    drill = make_drill(steps=["Lie face down."])
    client.force_login(editor)
    url = change_url(drill)
    form = admin_form_data(client.get(url))
    form.update({"steps-TOTAL_FORMS": "3", "steps-1-text": "Bend the knee.", "steps-2-text": "Pull the heel up."})
    form.update({"steps-2-position": "0", "steps-2-id": "", "steps-2-drill": str(drill.pk)})

    response = client.post(url, form)
    publish_draft(client, drill)

    assert response.status_code == 302
    assert list(drill.steps.values_list("position", "text")) == [
        (1, "Lie face down."), (2, "Bend the knee."), (3, "Pull the heel up.")
    ]


def test_a_position_typed_for_a_new_row_is_kept(client, editor):
    program = make_program(drills=[make_drill(title="Heel pull"), make_drill(title="Box bounce")])
    newcomer = make_drill(title="Warm-up jog")
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(program)))

    client.post(change_url(program), {**form, "items-0-position": "2", "items-1-position": "3",
                                       "items-2-drill": str(newcomer.pk), "items-2-position": "1"})
    publish_draft(client, program)

    assert item_titles(program) == ["Warm-up jog", "Heel pull", "Box bounce"]


def test_an_untouched_extra_cue_row_is_not_saved_or_reported(client, editor):
    drill = make_drill(cues=["Hips level"])
    client.force_login(editor)
    url = change_url(drill)
    form = admin_form_data(client.get(url))

    response = client.post(url, {**form, "title": "Renamed"})

    assert response.status_code == 302
    assert list(drill.cues.values_list("text", flat=True)) == ["Hips level"]
