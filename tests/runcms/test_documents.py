"""Published documents (`runcms.documents`): what the API serves is what the live serializers make now.

Each answer is compared with the registered serializers run on the object as the public
sees it, for the same request; never with a document, so a stale one cannot pass.
"""

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drills.models import DrillMedia, Rendition, Step
from runcms import documents, sync
from runcms.models import Document
from runcms.publishing import Status
from runcms.representation import dumps
from tests.api.content import small_media
from tests.api.replica import full_sync, get_sync
from tests.factories import make_article, make_category, make_drill, make_program
from tests.helpers.api import collection_of, detail_path
from tests.helpers.backup import delete_all_content, empty_media_root, export, import_
from tests.helpers.scenes import fresh_all, shared_scene

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("answers_from_documents")]


NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def live(item, form="detail", host="testserver"):
    """`item` as the registered serializer renders it now for a request to `host`, as parsed JSON."""
    collection = collection_of(item)
    serializer = collection.serializer if form == "detail" else collection.summary
    request = RequestFactory().get("/", HTTP_HOST=host)
    data = serializer(collection.visible().get(pk=item.pk), context={"request": request}).data
    return json.loads(dumps(data))


def answer(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def detail(client, item, **headers):
    return answer(client, detail_path(item), **headers)


def listed(client, item, **headers):
    """`item` as the first page of its collection's list shows it (None when it is not there)."""
    page = answer(client, f"/api/v1/{collection_of(item).name}/?page_size=100", **headers)
    return next((entry for entry in page["results"] if entry["id"] == str(item.pk)), None)


@shared_scene(scope="class")
def shared_world():
    """A drill with a category, steps, a gallery photo and a harder drill, in a program and an article."""
    category = make_category(name="Pull")
    photo = small_media(alt_text="Runner pulling the heel to the hip")
    harder = make_drill(title="Heel pull on the box", category=category)
    drill = make_drill(title="Heel pull, lying", category=category, steps=["Lie face down.", "Pull the heel."])
    DrillMedia.objects.create(drill=drill, media=photo, position=1)
    drill.progressions.add(harder)
    program = make_program(drills=[drill, harder], cover=small_media())
    article = make_article(body=f"The pull.\n\n[[drill:{drill.slug}]]\n\n[[media:{photo.pk}]]\n", hero=photo)
    return SimpleNamespace(category=category, photo=photo, harder=harder, drill=drill, program=program,
                           article=article)


class InTheWorld:
    """Base of a class of tests of the world (`shared_world`), built once for the class in a transaction
    rolled back after it. Each test gets its objects fresh from the database, so what one test changes,
    even in memory, never reaches the next."""

    @pytest.fixture
    def world(self, shared_world):
        return fresh_all(shared_world)


# --- Rendered once, then read ---------------------------------------------------------------------


class TestRenderedOnceThenRead(InTheWorld):
    def test_a_detail_is_rendered_on_its_first_read_and_read_from_its_stored_document_after(
        self, client, world
    ):
        with CaptureQueriesContext(connection) as first:
            rendered = detail(client, world.drill)
        stored = Document.objects.get(collection="drills", object_id=world.drill.pk)
        with CaptureQueriesContext(connection) as second:
            served = detail(client, world.drill)

        assert rendered == served == live(world.drill)
        assert len(second) < len(first)
        assert Document.objects.get(pk=stored.pk).rendered_at == stored.rendered_at  # not rendered again

    def test_a_list_stores_the_documents_it_renders_and_reads_them_on_the_next_request(self, client, world):
        with CaptureQueriesContext(connection) as first:
            rendered = listed(client, world.drill)
        with CaptureQueriesContext(connection) as second:
            served = listed(client, world.drill)

        assert rendered == served == live(world.drill, "summary")
        assert set(Document.objects.filter(collection="drills").values_list("object_id", flat=True)) == {
            world.drill.pk, world.harder.pk
        }
        assert len(second) < len(first)


# --- Edits show at once -----------------------------------------------------------------------


def retitle_the_drill(world):
    world.drill.title = "Heel pull, face down"
    world.drill.save()
    return [world.drill, world.program, world.article]


def rename_its_category(world):
    world.category.name = "Pull drills"
    world.category.save()
    return [world.drill, world.harder]


def reword_a_step(world):
    step = Step.objects.get(drill=world.drill, position=1)
    step.text = "Lie face down on a mat."
    step.save()
    return [world.drill]


def add_a_step(world):
    Step.objects.create(drill=world.drill, position=3, text="Lower the foot slowly.")
    return [world.drill]


def describe_its_photo_anew(world):
    world.photo.alt_text = "Runner lying face down, heel at the hip"
    world.photo.save()
    return [world.drill, world.article, world.photo]


def lose_a_rendition_of_its_photo(world):
    Rendition.objects.filter(media=world.photo, name="w20").delete()
    return [world.drill, world.article, world.photo]


def take_its_photo_out_of_the_gallery(world):
    DrillMedia.objects.filter(drill=world.drill).delete()
    return [world.drill]


def unpublish_its_progression(world):
    world.harder.status = Status.DRAFT
    world.harder.save()
    return [world.drill, world.program]


def retitle_a_drill_of_the_program(world):
    world.harder.title = "Heel pull on a high box"
    world.harder.save()
    return [world.program, world.drill]


def rename_the_author(world):
    author = world.article.author
    author.name = "Coach Xu"
    author.save()
    return [world.article]


class TestEditsShowAtOnce(InTheWorld):
    @pytest.mark.parametrize(
        "edit",
        [
            retitle_the_drill,
            rename_its_category,
            reword_a_step,
            add_a_step,
            describe_its_photo_anew,
            lose_a_rendition_of_its_photo,
            take_its_photo_out_of_the_gallery,
            unpublish_its_progression,
            retitle_a_drill_of_the_program,
            rename_the_author,
        ],
    )
    def test_an_edit_shows_at_once_in_every_detail_list_and_sync_that_shows_what_it_changed(
        self, client, world, edit
    ):
        items = [world.drill, world.harder, world.program, world.article, world.photo]
        before = {detail_path(item): detail(client, item) for item in items}
        full_sync(client)  # every document is stored now

        changed = edit(world)

        for item in changed:
            assert detail(client, item) != before[detail_path(item)], f"{detail_path(item)} after {edit.__name__}"
        replica, _ = full_sync(client)
        for item in items:
            copy = replica[collection_of(item).name].get(str(item.pk))
            if collection_of(item).visible().filter(pk=item.pk).exists():
                assert detail(client, item) == copy == live(item)
                assert listed(client, item) == live(item, "summary")
            else:
                assert copy is None and listed(client, item) is None


def test_a_delta_sync_lists_its_objects_in_one_order_whichever_documents_are_stored(client):
    drills = [make_drill(title=title) for title in ("Hop", "Bound", "Skip")]
    _, token = full_sync(client)
    for drill in drills:
        drill.summary = "Land softly."
        drill.save()
    detail(client, drills[0])  # its document is stored again; the other two are stale

    served = get_sync(client, token)
    Document.objects.all().delete()
    fresh = get_sync(client, token)

    assert served["upserted"]["drills"] == fresh["upserted"]["drills"]
    assert [drill["id"] for drill in fresh["upserted"]["drills"]] == sorted(str(drill.pk) for drill in drills)


# --- Time alone -------------------------------------------------------------------------------


def test_a_drill_going_live_joins_its_program_the_drill_list_and_the_sync_without_a_save(client):
    with time_machine.travel(NOON, tick=False) as clock:
        later = make_drill(publish_at=NOON + timedelta(hours=1))
        program = make_program(drills=[make_drill(), later])
        assert len(detail(client, program)["items"]) == 1 and listed(client, later) is None
        full_sync(client)

        clock.move_to(NOON + timedelta(hours=1))

        assert detail(client, program) == live(program)
        assert [item["drill"]["id"] for item in detail(client, program)["items"]][1] == str(later.pk)
        assert listed(client, later) == live(later, "summary")
        replica, _ = full_sync(client)
        assert replica["programs"][str(program.pk)] == live(program)
        assert replica["drills"][str(later.pk)] == live(later)


def test_a_drill_that_expires_leaves_the_article_embedding_it_without_a_save(client):
    with time_machine.travel(NOON, tick=False) as clock:
        expiring = make_drill(unpublish_at=NOON + timedelta(hours=1))
        article = make_article(body=f"The pull.\n\n[[drill:{expiring.slug}]]\n")
        assert detail(client, article)["related_drills"][0]["id"] == str(expiring.pk)
        listed(client, article)
        full_sync(client)

        clock.move_to(NOON + timedelta(hours=1))

        shown = detail(client, article)
        assert shown == live(article)
        assert shown["related_drills"] == [] and expiring.slug not in shown["body"]
        replica, _ = full_sync(client)
        assert replica["articles"][str(article.pk)] == shown
        assert str(expiring.pk) not in replica["drills"]


def test_a_schedule_ends_documents_at_its_time_whatever_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "America/New_York"  # behind UTC: a schedule read in the wrong zone would pass hours late
    with time_machine.travel(NOON, tick=False) as clock:
        later = make_drill(publish_at=NOON + timedelta(hours=1))
        program = make_program(drills=[later])
        assert detail(client, program)["items"] == []

        clock.move_to(NOON + timedelta(hours=1))

        assert detail(client, program) == live(program) and len(live(program)["items"]) == 1


# --- Serializers of another release ---------------------------------------------------------------


def test_a_document_rendered_by_other_serializers_is_not_served_and_is_rendered_again(client):
    drill = make_drill(title="Heel pull")
    detail(client, drill)
    older = json.loads(Document.objects.get(object_id=drill.pk).detail)
    del older["follow_up"]  # a field an older release did not have
    Document.objects.filter(object_id=drill.pk).update(shape="older", detail=json.dumps(older))
    assert documents.stale_count() == 1

    shown = detail(client, drill)

    assert shown == live(drill) and "follow_up" in shown
    assert Document.objects.get(object_id=drill.pk).shape == documents.shape("drills")
    assert documents.stale_count() == 0


# --- The journal pruned, a backup restored ---------------------------------------------------------


def test_pruning_the_journal_drops_documents_rendered_before_the_entries_it_deletes(client, settings):
    settings.RUNCMS_SYNC_TOKEN_MAX_AGE = 3600
    with time_machine.travel(timezone.now() - timedelta(hours=3)):
        drill = make_drill(title="Heel pull")
        detail(client, drill)
        drill.title = "Heel pull, slowly"
        drill.save()  # logged; the document is not rendered again before the entry goes
    recent = make_drill()
    detail(client, recent)

    sync.prune()

    assert detail(client, drill) == live(drill) and live(drill)["title"] == "Heel pull, slowly"
    assert Document.objects.filter(object_id=recent.pk).exists()  # rendered after every entry pruned


def test_a_restored_backup_is_served_as_restored_not_as_documents_of_the_site_before_it(
    client, settings, tmp_path
):
    drill = make_drill(title="Heel pull")
    archive = export(tmp_path / "backup.zip")
    drill.title = "Heel pull, slowly"
    drill.save()
    assert detail(client, drill)["title"] == "Heel pull, slowly"  # stored after every entry the archive has
    empty_media_root(settings, tmp_path, "restored")
    delete_all_content()

    import_(archive)

    assert not Document.objects.exists()
    assert detail(client, drill) == live(drill) and live(drill)["title"] == "Heel pull"


# --- Links and text ---------------------------------------------------------------------------------


def urls_in(data):
    if isinstance(data, dict):
        return [url for value in data.values() for url in urls_in(value)]
    if isinstance(data, list):
        return [url for value in data for url in urls_in(value)]
    return [data] if isinstance(data, str) and "://" in data else []


class TestLinksInDocuments(InTheWorld):
    @pytest.mark.parametrize("base", ["", "https://cms.example.com"], ids=["request host", "configured base"])
    def test_links_in_documents_are_on_the_public_base_of_each_request(self, settings, world, base):
        settings.RUNCMS_PUBLIC_BASE_URL = base
        items = (world.drill, world.program, world.article, world.photo)
        rendered_at = {}

        for host in ("testserver", "localhost"):
            client = Client(HTTP_HOST=host)
            replica, _ = full_sync(client)
            for item in items:
                shown = detail(client, item)
                assert shown == replica[collection_of(item).name][str(item.pk)] == live(item, host=host)
                assert listed(client, item) == live(item, "summary", host=host)
                assert urls_in(shown) and all(
                    url.startswith(f"{base or 'http://' + host}/") for url in urls_in(shown)
                )
            rendered_at[host] = Document.objects.get(collection="drills", object_id=world.drill.pk).rendered_at

        assert rendered_at["testserver"] == rendered_at["localhost"]  # one stored document serves every host


@pytest.mark.parametrize(
    "text",
    ["\\u0000", '"\\u0000 after a quote', 'A "quoted" word \\\\u0000 and a backslash \\', '"'],
    ids=["escape", "quote then escape", "mixed", "quote"],
)
def test_editor_text_that_looks_like_the_link_placeholder_is_served_as_typed(client, text):
    drill = make_drill(title=text, summary=text, steps=[text])

    rendered = detail(client, drill)
    served = detail(client, drill)

    assert rendered == served == live(drill)
    assert served["title"] == served["summary"] == served["steps"][0]["text"] == text
    assert listed(client, drill)["summary"] == text
