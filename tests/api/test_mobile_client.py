"""A mobile app keeps an offline copy through delta syncs; it must always equal a fresh full sync."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models.deletion import ProtectedError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from drills.models import Category, CueMedia, Drill, DrillMedia, Program, ProgramItem, Step
from runcms import sync
from runcms.publishing import Status
from tests.api.replica import delta_sync, full_sync
from tests.factories import make_article, make_category, make_drill, make_media, make_program

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
SYNC_PAGE = 4

index = st.integers(min_value=0, max_value=20)
hours = st.integers(min_value=1, max_value=6)
edits = st.one_of(
    st.tuples(
        st.just("create"), st.sampled_from(["published", "draft", "scheduled", "expiring"]), hours, st.booleans()
    ),
    st.tuples(st.just("retitle"), index),
    st.tuples(st.just("reslug"), index),
    st.tuples(st.just("unpublish"), index),
    st.tuples(st.just("publish"), index),
    st.tuples(st.just("schedule"), index, hours),
    st.tuples(st.just("expire"), index, hours),
    st.tuples(st.just("delete"), index),
    st.tuples(st.just("attach_media"), index, index),
    st.tuples(st.just("detach_media"), index),
    st.tuples(st.just("step_media"), index, index),
    st.tuples(st.just("edit_media"), index),
    st.tuples(st.just("rename_category"),),
    st.tuples(st.just("add_to_program"), index),
    st.tuples(st.just("unpublish_article"),),
    st.tuples(st.just("pass_time"), hours),
    st.tuples(st.just("whole_page"), st.integers(min_value=SYNC_PAGE + 1, max_value=2 * SYNC_PAGE + 1)),
)


def pick(queryset, i):
    items = list(queryset.order_by("created_at", "pk"))
    return items[i % len(items)] if items else None


def build_world():
    category = make_category()
    photo, diagram = make_media(size=(40, 30), widths=(20,)), make_media(size=(30, 40), widths=(20,))
    first = make_drill(category=category, steps=["Lie face down.", "Pull the heel to the hip."], cues=["Hips level"])
    step = Step.objects.get(drill=first, position=1)
    step.media = make_media(size=(20, 30), widths=(10,))
    step.save()
    second = make_drill(category=category)
    first.progressions.add(second)
    make_drill(category=category, status=Status.DRAFT)
    DrillMedia.objects.create(drill=first, media=photo)
    make_program(drills=[first, second], cover=diagram)
    make_article(body=f"The pull.\n\n[[drill:{first.slug}]]\n\n[[media:{photo.pk}]]\n", hero=diagram)


def apply(edit, clock):
    kind, *args = edit
    now = datetime.now(UTC)
    drills = Drill.objects.all()
    if kind == "create":
        state, offset, with_media = args
        fields = {
            "published": {},
            "draft": {"status": Status.DRAFT},
            "scheduled": {"publish_at": now + timedelta(hours=offset)},
            "expiring": {"unpublish_at": now + timedelta(hours=offset)},
        }[state]
        drill = make_drill(category=Category.objects.first(), **fields)
        if with_media:
            DrillMedia.objects.create(drill=drill, media=make_media(size=(20, 20), widths=(10,)))
        return
    if kind == "pass_time":
        clock.shift(timedelta(hours=args[0]))
        return
    if kind == "whole_page":
        for _ in range(args[0]):
            make_drill(category=Category.objects.first())
        return
    if kind == "rename_category":
        category = Category.objects.first()
        category.name = f"{category.name}!"
        category.save()
        return
    if kind == "unpublish_article":
        for article in Article.objects.all():
            article.status = Status.DRAFT if article.status == Status.PUBLISHED else Status.PUBLISHED
            article.save()
        return
    if kind == "edit_media":
        media = pick(CueMedia.objects.all(), args[0])
        media.alt_text = f"{media.alt_text}."
        media.save()
        return
    drill = pick(drills, args[0])
    if drill is None:
        return
    if kind == "retitle":
        drill.title = f"{drill.title}+"
    elif kind == "reslug":
        drill.slug = f"{drill.slug}-x"
    elif kind == "unpublish":
        drill.status = Status.DRAFT
    elif kind == "publish":
        drill.status, drill.publish_at, drill.unpublish_at = Status.PUBLISHED, None, None
    elif kind == "schedule":
        drill.publish_at, drill.unpublish_at = now + timedelta(hours=args[1]), None
    elif kind == "expire":
        drill.unpublish_at = now + timedelta(hours=args[1])
        if drill.publish_at and drill.publish_at >= drill.unpublish_at:
            drill.publish_at = None
    elif kind == "delete":
        try:
            with transaction.atomic():
                drill.delete()
        except ProtectedError:  # still in a program: the admin refuses too
            pass
        return
    elif kind == "attach_media":
        media = pick(CueMedia.objects.all(), args[1])
        DrillMedia.objects.get_or_create(drill=drill, media=media)
        return
    elif kind == "detach_media":
        DrillMedia.objects.filter(drill=drill).delete()
        steps = Step.objects.filter(drill=drill)
        with sync.changing(Step, steps.values_list("pk", flat=True)):
            steps.update(media=None)  # a bulk update: the signals never see it
        return
    elif kind == "step_media":
        step = Step.objects.filter(drill=drill).first() or Step.objects.create(drill=drill, text="Step.")
        step.media = pick(CueMedia.objects.all(), args[1])
        step.save()
        return
    elif kind == "add_to_program":
        program = Program.objects.first()
        ProgramItem.objects.create(program=program, drill=drill, position=program.items.count() + 1)
        return
    drill.save()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(edits, min_size=1, max_size=6))
def test_a_replica_kept_by_delta_syncs_always_equals_a_fresh_full_sync(client, settings, sequence):
    settings.RUNCMS_SYNC_PAGE_SIZE = SYNC_PAGE
    with time_machine.travel(START, tick=False) as clock, transaction.atomic():
        build_world()
        replica, token = full_sync(client)

        for step, edit in enumerate(sequence):
            apply(edit, clock)
            token, _ = delta_sync(client, replica, token)

            settings.RUNCMS_SYNC_PAGE_SIZE = 500  # the reference copy in one page: quicker
            fresh, _ = full_sync(client)
            settings.RUNCMS_SYNC_PAGE_SIZE = SYNC_PAGE
            assert replica == fresh, f"after {sequence[: step + 1]}"
            assert set(fresh["drills"]) == {str(pk) for pk in Drill.objects.published().values_list("pk", flat=True)}
        transaction.set_rollback(True)
