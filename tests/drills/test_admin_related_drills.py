"""Progressions and regressions link a drill to other drills, never to itself."""

import pytest

from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import make_drill
from tests.helpers.pages import change_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field, word", [("progressions", "progression"), ("regressions", "regression")])
def test_a_drill_cannot_be_its_own_progression_or_regression(client, editor, field, word):
    drill = make_drill(title="Heel pull")
    harder = make_drill(title="Heel pull on the box")
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(drill)))

    response = client.post(change_url(drill), {**form, "title": "Changed", field: [str(harder.pk), str(drill.pk)]})

    drill.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [
        f"“Heel pull” cannot be its own {word}. Choose other drills."
    ]
    assert drill.title == "Heel pull"
    assert not getattr(drill, field).exists()


def test_other_drills_are_accepted_as_progressions(client, editor):
    drill = make_drill(status=Status.DRAFT)  # a live one keeps its edits as a draft change
    harder = make_drill()
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(drill)))

    response = client.post(change_url(drill), {**form, "progressions": [str(harder.pk)]})

    assert response.status_code == 302
    assert list(drill.progressions.all()) == [harder]
