"""A program item's per-side override reads as what it does."""

import pytest

from drills.models import ProgramItem
from tests.admin_forms import admin_form_data
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db


def test_an_empty_per_side_override_says_it_follows_the_drill_and_saves_as_empty(client, editor):
    program = make_program(drills=[make_drill(per_side=True)])
    url = f"/admin/drills/program/{program.pk}/change/"
    client.force_login(editor)

    response = client.get(url)
    client.post(url, admin_form_data(response))

    page = response.content.decode()
    assert '<option value="unknown" selected>As the drill says</option>' in page
    assert "Unknown" not in page
    assert ProgramItem.objects.get().per_side is None
