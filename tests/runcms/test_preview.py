from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from drills.models import Drill, Program
from runcms.preview import make_preview_token, preview_allows, visible_queryset
from runcms.publishing import Status
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db


class FakeGet:
    def __init__(self, **params):
        self.GET = params


def test_a_preview_token_opens_its_draft():
    draft = make_drill(status=Status.DRAFT)

    assert preview_allows(make_preview_token(draft), Drill, draft.pk)


def test_a_preview_token_opens_no_other_draft():
    draft, other = make_drill(status=Status.DRAFT), make_drill(status=Status.DRAFT)

    visible = visible_queryset(Drill.objects.all(), FakeGet(preview=make_preview_token(draft)))

    assert list(visible) == [draft]
    assert not preview_allows(make_preview_token(draft), Drill, other.pk)


def test_a_preview_token_for_another_model_opens_nothing():
    program = make_program(status=Status.DRAFT)
    drill = make_drill(status=Status.DRAFT)

    assert not preview_allows(make_preview_token(program), Drill, drill.pk)
    assert list(visible_queryset(Program.objects.all(), FakeGet(preview=make_preview_token(drill)))) == []


def test_a_preview_token_expires(settings):
    settings.RUNCMS_PREVIEW_MAX_AGE = 3600
    draft = make_drill(status=Status.DRAFT)
    token = make_preview_token(draft)

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert not preview_allows(token, Drill, draft.pk)


def test_a_tampered_token_opens_nothing():
    draft = make_drill(status=Status.DRAFT)
    token = make_preview_token(draft)

    assert not preview_allows(token[:-2] + "xx", Drill, draft.pk)
    assert list(visible_queryset(Drill.objects.all(), FakeGet(preview="garbage"))) == []
