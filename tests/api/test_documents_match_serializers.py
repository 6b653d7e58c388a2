"""Whatever editors do and however time moves, the API's stored documents answer as the live serializers do.

After every edit, every list page, every detail, a full sync and a delta sync answered from
the published documents (`runcms.documents`) must equal the same requests answered once every
document is deleted, that is rendered afresh by the live serializers.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models.deletion import ProtectedError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.models import Article
from drills.models import Category, CueMedia, Drill, DrillMedia, Program, Step
from runcms.models import Document
from runcms.publishing import Status
from tests.api.content import pick, small_media
from tests.api.replica import COLLECTIONS, full_sync, get_sync
from tests.factories import make_article, make_category, make_drill, make_program
from tests.helpers.api import detail_path

# What is read here is the documents: were whole answers kept, the fresh reads would be kept ones.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("answers_from_documents")]


START = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LIST_PAGE = 2  # lists of drills and media run over several pages
SYNC_PAGE = 5  # so does a sync
KINDS = {"drill": Drill, "program": Program, "article": Article}

index = st.integers(min_value=0, max_value=9)
kind = st.sampled_from(sorted(KINDS))
hours = st.integers(min_value=1, max_value=4)
operations = st.one_of(
    st.tuples(st.just("retitle"), kind, index),
    st.tuples(st.just("edit_summary"), index),
    st.tuples(st.just("move_to_other_category"), index),
    st.tuples(st.just("rename_category"), index),
    st.tuples(st.just("add_step"), index, index),
    st.tuples(st.just("remove_step"), index),
    st.tuples(st.just("add_photo"), index, index),
    st.tuples(st.just("remove_photo"), index),
    st.tuples(st.just("alt_text"), index),
    st.tuples(st.just("publish"), kind, index),
    st.tuples(st.just("unpublish"), kind, index),
    st.tuples(st.just("schedule"), kind, index, hours),
    st.tuples(st.just("expire"), kind, index, hours),
    st.tuples(st.just("reslug"), kind, index),
    st.tuples(st.just("delete"), kind, index),
    st.tuples(st.just("pass_time"), hours),
)


def build_world():
    """Two categories, four photos (one unused), three drills (one a draft), two programs, two articles."""
    pull = make_category()
    make_category()  # for drills to move to
    photos = [small_media(title=f"photo-{n}", alt_text=f"Photo {n}") for n in range(4)]
    first = make_drill(category=pull, steps=["Lie face down.", "Pull the heel to the hip."])
    second = make_drill(category=pull)
    draft = make_drill(category=pull, status=Status.DRAFT)
    DrillMedia.objects.create(drill=first, media=photos[0], position=1)
    step = Step.objects.get(drill=first, position=2)
    step.media = photos[1]
    step.save()
    first.progressions.add(second, draft)
    make_program(drills=[first, second], cover=photos[2])
    make_program(drills=[second])
    make_article(body=f"The pull.\n\n[[drill:{first.slug}]]\n\n[[media:{photos[1].pk}]]\n", hero=photos[0])
    make_article(body=f"Soon.\n\n[[drill:{draft.slug}]]\n")


def photo(i):
    photos = sorted(CueMedia.objects.all(), key=lambda media: media.title)
    return photos[i % len(photos)]


def apply(operation):
    name, *args = operation
    now = datetime.now(UTC)
    if name in ("retitle", "publish", "unpublish", "schedule", "expire", "reslug", "delete"):
        item = pick(KINDS[args[0]].objects.all(), args[1])
        if item is not None:
            change(item, name, now, *args[2:])
        return
    if name == "alt_text":
        media = photo(args[0])
        media.alt_text += "."
        media.save()
        return
    if name == "rename_category":
        category = sorted(Category.objects.all(), key=lambda category: category.slug)[args[0] % 2]
        category.name += "!"
        category.save()
        return
    drill = pick(Drill.objects.all(), args[0])
    if drill is None:
        return
    steps = Step.objects.filter(drill=drill).order_by("position")
    if name == "edit_summary":
        drill.summary += "+"
        drill.save()
    elif name == "move_to_other_category":
        drill.category = Category.objects.exclude(pk=drill.category_id).first()
        drill.save()
    elif name == "add_step":
        Step.objects.create(drill=drill, position=steps.count() + 1, text="Lower the foot.", media=photo(args[1]))
    elif name == "remove_step":
        last = steps.last()
        if last is not None:
            last.delete()
    elif name == "add_photo":
        DrillMedia.objects.get_or_create(drill=drill, media=photo(args[1]), defaults={"position": 9})
    elif name == "remove_photo":
        DrillMedia.objects.filter(drill=drill).delete()


def change(item, name, now, hours=None):
    """Retitle, publish, unpublish, schedule, expire, reslug or delete a drill, program or article."""
    if name == "delete":
        try:
            with transaction.atomic():
                item.delete()
        except ProtectedError:  # a drill in a program: the admin refuses too
            pass
        return
    if name == "retitle":
        item.title += "+"
    elif name == "reslug":
        item.slug += "-x"
    elif name == "publish":
        item.status, item.publish_at, item.unpublish_at = Status.PUBLISHED, None, None
    elif name == "unpublish":
        item.status = Status.DRAFT
    elif name == "schedule":
        item.publish_at, item.unpublish_at = now + timedelta(hours=hours), None
    elif name == "expire":
        item.unpublish_at = now + timedelta(hours=hours)
        if item.publish_at and item.publish_at >= item.unpublish_at:
            item.publish_at = None
    item.save()


def every_item():
    return [*Drill.objects.all(), *Program.objects.all(), *Article.objects.all(), *CueMedia.objects.all()]


def list_pages(client):
    found = {}
    for name in COLLECTIONS:
        url = f"/api/v1/{name}/?page_size={LIST_PAGE}"
        while url:
            response = client.get(url)
            assert response.status_code == 200, response.content
            found[url] = response.json()
            url = found[url]["next"]
    return found


def details(client):
    """Every item's detail, or its 404."""
    found = {}
    for item in every_item():
        response = client.get(detail_path(item))
        found[detail_path(item)] = (response.status_code, response.json() if response.status_code == 200 else None)
    return found


def sync_pages(client, token=None):
    """Every page of a sync (a full one without `token`), without their tokens (they name a moment)."""
    pages = []
    while True:
        page = get_sync(client, token)
        token = page.pop("token")
        pages.append(page)
        if not page["has_more"]:
            return pages


def answers(client, token, *, each_alone):
    """Every list page, every detail, a full sync and a delta sync since `token`, parsed.

    `each_alone`: each is read with the documents stored before any of them; what one stores,
    rendering a missing or stale document, is rolled back before the next reads.
    """
    reads = {
        "lists": lambda: list_pages(client),
        "details": lambda: details(client),
        "full sync": lambda: sync_pages(client),
        "delta sync": lambda: sync_pages(client, token),
    }
    found = {}
    for name, read in reads.items():
        with transaction.atomic():
            found[name] = read()
            transaction.set_rollback(each_alone)
    return found


@pytest.fixture
def world_token(client, settings):
    """The world built at START, every document stored; returns the token of a full sync of it."""
    settings.RUNCMS_SYNC_PAGE_SIZE = SYNC_PAGE
    with time_machine.travel(START, tick=False):
        build_world()
        _, token = full_sync(client)  # renders and stores every document
    return token


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(operations, min_size=1, max_size=4))
# Drill 1 then drill 0 edited: the delta finds 1's document stored again and 0's stale, and lists them in one order.
@example(sequence=[("edit_summary", 1), ("edit_summary", 0)])
@example(sequence=[("expire", "drill", 0, 1), ("pass_time", 1)])  # gone from its program, article and lists
@example(sequence=[("publish", "drill", 2), ("schedule", "drill", 2, 2), ("pass_time", 2)])
def test_answers_from_stored_documents_equal_answers_rendered_afresh(client, world_token, sequence):
    # Each example starts from the world with its documents stored, and leaves it so.
    with time_machine.travel(START, tick=False) as clock, transaction.atomic():
        for step, operation in enumerate(sequence):
            if operation[0] == "pass_time":
                clock.shift(timedelta(hours=operation[1]))
            else:
                apply(operation)

            served = answers(client, world_token, each_alone=True)
            with transaction.atomic():  # rolled back: the documents stored before stay, stale or not
                Document.objects.all().delete()
                fresh = answers(client, world_token, each_alone=False)
                transaction.set_rollback(True)
            assert served == fresh, f"after {sequence[: step + 1]}"
            full_sync(client)  # an app syncs: every document it sends is stored for the next operation
        transaction.set_rollback(True)
