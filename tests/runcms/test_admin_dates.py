"""One date format across the admin: "2026-06-01 12:00", never Django's "June 1, 2026, noon"."""

import re
from datetime import UTC, datetime

import pytest
import reversion
from django.core import checks
from reversion.models import Revision

from tests.factories import make_drill, make_media
from tests.helpers.pages import admin_url, change_url, page_text

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# Django's English formats: "June 1, 2026, noon", "Dec. 6, 2026, 5:08 p.m.", the drill-down's "December 2026".
ENGLISH_TIMES = re.compile(
    r"\b(a\.m\.|p\.m\.|noon|midnight)|\b(January|February|March|April|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Oct|Nov|Dec)\b"
)


@pytest.fixture(autouse=True)
def utc(settings):
    settings.TIME_ZONE = "UTC"


def visible_text(response):
    return re.sub(r"<[^>]+>", "", page_text(response))


def test_the_drill_list_writes_times_as_year_month_day_hours_minutes(signed_in):
    make_drill(title="Heel pull on the box", publish_at=NOON)

    text = visible_text(signed_in.get("/admin/drills/drill/"))

    assert "2026-06-01 12:00" in text
    assert not ENGLISH_TIMES.search(text)


def test_the_media_list_writes_its_times_the_same_way(signed_in):
    media = make_media(title="Heel pull")
    type(media).objects.filter(pk=media.pk).update(updated_at=NOON)

    text = visible_text(signed_in.get("/admin/drills/cuemedia/"))

    assert "2026-06-01 12:00" in text
    assert not ENGLISH_TIMES.search(text)


def test_the_history_page_writes_times_the_same_way(signed_in):
    drill = make_drill(title="Heel pull on the box")
    with reversion.create_revision():
        drill.save()
    Revision.objects.update(date_created=NOON)

    text = visible_text(signed_in.get(admin_url(drill, "history")))

    assert "2026-06-01 12:00" in text
    assert not ENGLISH_TIMES.search(text)


def test_readonly_times_and_the_time_boxes_on_the_form_read_the_same_way(signed_in):
    drill = make_drill(title="Heel pull on the box", publish_at=NOON)
    type(drill).objects.filter(pk=drill.pk).update(first_published_at=NOON)

    response = signed_in.get(change_url(drill))
    text = visible_text(response)

    assert re.search(r"First published at:\s*2026-06-01 12:00", text)
    assert 'name="publish_at_0" value="2026-06-01"' in page_text(response)
    assert 'name="publish_at_1" value="12:00"' in page_text(response)
    assert not ENGLISH_TIMES.search(text)


def test_a_time_typed_with_seconds_is_still_read(signed_in):
    drill = make_drill(title="Heel pull on the box")

    form = signed_in.get(change_url(drill)).context["adminform"].form

    assert form.fields["publish_at"].clean(["2026-06-01", "12:00:30"]) == datetime(2026, 6, 1, 12, 0, 30, tzinfo=UTC)


def test_an_admin_language_without_a_format_module_is_reported(settings):
    settings.LANGUAGE_CODE = "fr"

    warnings = [message.id for message in checks.run_checks()]

    assert "runcms.W020" in warnings
