from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from drills.models import Drill, Program
from runcms.publishing import Status, WorkflowState
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


def visible_slugs(model=Drill):
    return set(model.objects.published().values_list("slug", flat=True))


def test_draft_is_not_published():
    make_drill(slug="draft", status=Status.DRAFT)

    assert visible_slugs() == set()


def test_published_without_schedule_is_visible():
    make_drill(slug="live")

    assert visible_slugs() == {"live"}


def test_scheduled_drill_is_hidden_until_due():
    with time_machine.travel(NOON, tick=False):
        make_drill(slug="later", publish_at=NOON + timedelta(hours=1))

        assert visible_slugs() == set()


def test_scheduled_drill_goes_live_at_the_exact_instant_without_a_save():
    with time_machine.travel(NOON, tick=False) as clock:
        make_drill(slug="later", publish_at=NOON + timedelta(hours=1))
        queryset = Drill.objects.published()  # built once, like a class-level viewset queryset

        clock.move_to(NOON + timedelta(hours=1) - timedelta(microseconds=1))
        before = set(queryset.all().values_list("slug", flat=True))
        clock.move_to(NOON + timedelta(hours=1))
        at = set(queryset.all().values_list("slug", flat=True))

    assert (before, at) == (set(), {"later"})


def test_expired_drill_disappears_at_the_exact_instant_without_a_save():
    with time_machine.travel(NOON, tick=False) as clock:
        make_drill(slug="expiring", unpublish_at=NOON + timedelta(hours=1))

        clock.move_to(NOON + timedelta(hours=1) - timedelta(microseconds=1))
        before = visible_slugs()
        clock.move_to(NOON + timedelta(hours=1))
        at = visible_slugs()

    assert (before, at) == ({"expiring"}, set())


def test_window_between_publish_and_unpublish():
    make_drill(slug="window", publish_at=NOON, unpublish_at=NOON + timedelta(days=1))

    assert not Drill.objects.published(at=NOON - timedelta(seconds=1)).exists()
    assert Drill.objects.published(at=NOON).exists()
    assert Drill.objects.published(at=NOON + timedelta(hours=23)).exists()
    assert not Drill.objects.published(at=NOON + timedelta(days=1)).exists()


def test_programs_share_the_same_rule():
    make_program(slug="live-program")
    make_program(slug="draft-program", status=Status.DRAFT)
    make_program(slug="expired-program", unpublish_at=timezone.now() - timedelta(seconds=1))

    assert visible_slugs(Program) == {"live-program"}


def test_unpublish_before_publish_is_refused_with_a_clear_message():
    drill = make_drill(status=Status.DRAFT)
    drill.publish_at = NOON
    drill.unpublish_at = NOON - timedelta(minutes=5)

    with pytest.raises(ValidationError) as error:
        drill.full_clean()

    assert "unpublish time must be after the publish time" in str(error.value.message_dict["unpublish_at"])


def test_database_refuses_an_impossible_schedule_even_without_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_drill(publish_at=NOON, unpublish_at=NOON)


def test_first_published_at_is_set_once_and_kept():
    with time_machine.travel(NOON, tick=False):
        drill = make_drill(status=Status.DRAFT)
        assert drill.first_published_at is None
        drill.status = Status.PUBLISHED
        drill.save()
    with time_machine.travel(NOON + timedelta(days=3), tick=False):
        drill.title = "Edited"
        drill.save()

    drill.refresh_from_db()
    assert drill.first_published_at == NOON


def test_scheduled_item_first_published_at_is_its_publish_time():
    drill = make_drill(publish_at=NOON + timedelta(days=365 * 5))

    assert drill.first_published_at == NOON + timedelta(days=365 * 5)


@pytest.mark.parametrize("field", ["publish_at", "unpublish_at"])
def test_a_schedule_outside_the_years_2000_to_2200_is_refused_for_that_field(field):
    drill = make_drill(status=Status.DRAFT)
    setattr(drill, field, datetime(2201, 1, 1, tzinfo=UTC))

    with pytest.raises(ValidationError) as refused:
        drill.full_clean()

    assert list(refused.value.message_dict) == [field]


def one_drill_in_each_state():
    with time_machine.travel(NOON, tick=False):
        return {
            WorkflowState.DRAFT: make_drill(slug="draft", status=Status.DRAFT, publish_at=NOON + timedelta(days=1)),
            WorkflowState.LIVE: make_drill(slug="live", unpublish_at=NOON + timedelta(days=1)),
            WorkflowState.SCHEDULED: make_drill(slug="scheduled", publish_at=NOON + timedelta(days=1)),
            WorkflowState.EXPIRED: make_drill(slug="expired", unpublish_at=NOON - timedelta(hours=1)),
        }


@pytest.mark.parametrize("state", list(WorkflowState))
def test_each_workflow_state_lists_exactly_the_items_in_that_state(state):
    drills = one_drill_in_each_state()
    states = {
        WorkflowState.DRAFT: Drill.objects.drafts,
        WorkflowState.LIVE: Drill.objects.published,
        WorkflowState.SCHEDULED: Drill.objects.scheduled,
        WorkflowState.EXPIRED: Drill.objects.expired,
    }

    with time_machine.travel(NOON, tick=False):
        listed = set(states[state]().values_list("slug", flat=True))

    assert listed == {drills[state].slug}


def test_an_items_workflow_state_follows_the_clock():
    drill = one_drill_in_each_state()[WorkflowState.SCHEDULED]

    assert drill.workflow_state(NOON) == WorkflowState.SCHEDULED
    assert drill.workflow_state(NOON + timedelta(days=1)) == WorkflowState.LIVE


def test_an_items_workflow_state_names_the_list_it_is_in():
    drills = one_drill_in_each_state()

    assert {state: drill.workflow_state(NOON) for state, drill in drills.items()} == {s: s for s in drills}
