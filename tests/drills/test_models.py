import pytest

from drills.models import ProgramItem
from runcms.publishing import Status
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db


def test_program_item_without_overrides_follows_the_drill():
    drill = make_drill(sets=2, reps=10, per_side=True, prescription_note="Change feet after 10")
    item = ProgramItem.objects.get(program=make_program(drills=[drill]))

    prescription = item.effective_prescription()

    assert (prescription["sets"], prescription["reps"], prescription["per_side"]) == (2, 10, True)
    assert prescription["prescription_note"] == "Change feet after 10"


def test_program_item_overrides_win_over_the_drill():
    drill = make_drill(sets=2, reps=10, per_side=True)
    item = ProgramItem.objects.get(program=make_program(drills=[drill]))
    item.reps, item.per_side, item.rest_seconds = 15, False, 60

    prescription = item.effective_prescription()

    assert (prescription["reps"], prescription["per_side"], prescription["rest_seconds"]) == (15, False, 60)
    assert prescription["sets"] == 2


def test_a_drill_in_a_program_cannot_be_deleted_from_under_it():
    from django.db.models import ProtectedError

    drill = make_drill()
    make_program(drills=[drill], status=Status.DRAFT)

    with pytest.raises(ProtectedError):
        drill.delete()


def test_a_program_item_can_override_with_zero():
    drill = make_drill(rest_seconds=60)
    item = ProgramItem.objects.get(program=make_program(drills=[drill]))
    item.rest_seconds = 0

    assert item.effective_prescription()["rest_seconds"] == 0
