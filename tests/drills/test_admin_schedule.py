"""Schedule dates an editor can type but no database or time zone can hold are a form error."""

import pytest

from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import make_drill
from tests.helpers.pages import change_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def new_york(settings):
    # Far dates overflow when converted from a local time zone to UTC.
    settings.TIME_ZONE = "America/New_York"


@pytest.mark.parametrize(
    "field, date, time",
    [
        ("publish_at", "9999-12-31", "23:59:59"),
        ("publish_at", "0001-01-01", "00:00:00"),
        ("unpublish_at", "9999-12-31", "23:59:59"),
        ("unpublish_at", "1970-01-01", "00:00:00"),
    ],
)
def test_a_schedule_date_out_of_range_is_a_form_error_naming_the_field(client, editor, field, date, time):
    drill = make_drill(title="Unchanged", status=Status.DRAFT)
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(drill)))

    response = client.post(change_url(drill), {**form, "title": "Changed", f"{field}_0": date, f"{field}_1": time})

    drill.refresh_from_db()
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert "between the years 2000 and 2200" in errors[field][0]
    assert (drill.title, drill.publish_at, drill.unpublish_at) == ("Unchanged", None, None)


def test_a_schedule_within_range_is_saved(client, editor):
    drill = make_drill(status=Status.DRAFT)
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(drill)))

    response = client.post(change_url(drill), {**form, "publish_at_0": "2199-12-31", "publish_at_1": "23:00:00"})

    drill.refresh_from_db()
    assert response.status_code == 302
    assert drill.publish_at.year == 2200  # 23:00 in New York is 04:00 UTC the next day
