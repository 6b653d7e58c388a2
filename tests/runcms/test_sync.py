from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from drills.models import Drill, DrillMedia, Step
from runcms.publishing import Status
from tests.api.replica import apply as replica_apply
from tests.api.replica import delta_sync, full_sync, get_sync
from tests.factories import make_article, make_drill, make_media, make_program

pytestmark = pytest.mark.django_db


def small_media(**fields):
    return make_media(size=(40, 30), widths=(20,), **fields)


def test_a_full_sync_returns_everything_published_and_nothing_else(client):
    live = make_drill()
    make_drill(status=Status.DRAFT)
    make_drill(publish_at=timezone.now() + timedelta(days=1))
    make_drill(publish_at=timezone.now() - timedelta(days=2), unpublish_at=timezone.now() - timedelta(days=1))
    program = make_program(drills=[live])
    article = make_article()

    replica, _ = full_sync(client)

    assert set(replica["drills"]) == {str(live.pk)}
    assert set(replica["programs"]) == {str(program.pk)}
    assert set(replica["articles"]) == {str(article.pk)}


def test_upserted_objects_are_the_detail_representation(client):
    drill = make_drill(steps=["Lie face down."], cues=["Keep your hips level"])

    page = get_sync(client)

    assert page["upserted"]["drills"] == [client.get(f"/api/v1/drills/{drill.slug}/").json()]


def test_the_response_has_exactly_the_contract_shape(client):
    page = get_sync(client)

    assert set(page) >= {"token", "has_more", "upserted", "deleted"}
    assert isinstance(page["token"], str) and page["has_more"] is False
    for part in ("upserted", "deleted"):
        assert set(page[part]) == {"drills", "programs", "articles", "media"}


def test_a_delta_returns_only_what_changed(client):
    unchanged, changed = make_drill(), make_drill()
    replica, token = full_sync(client)
    changed.title = "Heel to hip, lying"
    changed.save()

    page = get_sync(client, token)

    assert [d["id"] for d in page["upserted"]["drills"]] == [str(changed.pk)]
    assert page["upserted"]["drills"][0]["title"] == "Heel to hip, lying"
    assert str(unchanged.pk) not in {d["id"] for d in page["upserted"]["drills"]}


def test_a_delta_with_no_change_is_empty(client):
    make_drill()
    _, token = full_sync(client)

    page = get_sync(client, token)

    assert page["upserted"] == {"drills": [], "programs": [], "articles": [], "media": []}
    assert page["deleted"] == {"drills": [], "programs": [], "articles": [], "media": []}


@pytest.mark.parametrize("withdraw", ["delete", "unpublish"])
def test_a_deleted_or_unpublished_drill_is_a_tombstone(client, withdraw):
    drill = make_drill()
    _, token = full_sync(client)
    drill_id = str(drill.pk)
    if withdraw == "delete":
        drill.delete()
    else:
        drill.status = Status.DRAFT
        drill.save()

    page = get_sync(client, token)

    assert page["deleted"]["drills"] == [drill_id]


def test_a_scheduled_drill_arrives_when_its_time_passes_without_a_save(client):
    start = timezone.now()
    scheduled = make_drill(publish_at=start + timedelta(hours=1))
    _, token = full_sync(client)

    with time_machine.travel(start + timedelta(hours=2)):
        page = get_sync(client, token)

    assert [d["id"] for d in page["upserted"]["drills"]] == [str(scheduled.pk)]


def test_an_expiring_drill_is_deleted_when_its_time_passes(client):
    start = timezone.now()
    expiring = make_drill(unpublish_at=start + timedelta(hours=1))
    _, token = full_sync(client)

    with time_machine.travel(start + timedelta(hours=2)):
        page = get_sync(client, token)

    assert page["deleted"]["drills"] == [str(expiring.pk)]


def test_media_that_lost_its_last_public_use_is_deleted(client):
    media = small_media()
    drill = make_drill()
    link = DrillMedia.objects.create(drill=drill, media=media)
    replica, token = full_sync(client)
    assert str(media.pk) in replica["media"]

    link.delete()
    page = get_sync(client, token)

    assert page["deleted"]["media"] == [str(media.pk)]
    assert page["upserted"]["drills"][0]["media"] == []


def test_media_of_an_expiring_drill_goes_with_it(client):
    start = timezone.now()
    media = small_media()
    step = Step.objects.create(drill=make_drill(unpublish_at=start + timedelta(hours=1)), text="Lie down.")
    step.media = media
    step.save()
    replica, token = full_sync(client)
    assert str(media.pk) in replica["media"]

    with time_machine.travel(start + timedelta(hours=2)):
        page = get_sync(client, token)

    assert page["deleted"]["media"] == [str(media.pk)]


def test_media_still_used_elsewhere_is_neither_deleted_nor_sent_again(client):
    media = small_media()
    first, second = make_drill(), make_drill()
    link = DrillMedia.objects.create(drill=first, media=media)
    DrillMedia.objects.create(drill=second, media=media)
    _, token = full_sync(client)

    link.delete()
    page = get_sync(client, token)

    assert page["deleted"]["media"] == []
    assert page["upserted"]["media"] == []
    assert [d["media"] for d in page["upserted"]["drills"]] == [[]]


def test_a_draft_that_never_went_out_is_never_mentioned(client):
    _, token = full_sync(client)
    draft = make_drill(status=Status.DRAFT)
    media = small_media()
    DrillMedia.objects.create(drill=draft, media=media)
    draft.title = "Secret"
    draft.save()
    draft.delete()

    page = get_sync(client, token)

    assert str(draft.pk) not in str(page) and str(media.pk) not in str(page)


def test_media_newly_attached_to_a_once_public_drill_that_is_now_a_draft_is_never_mentioned(client):
    drill = make_drill()
    replica, token = full_sync(client)
    drill.status = Status.DRAFT
    drill.save()
    token, _ = delta_sync(client, replica, token)

    secret = small_media()
    link = DrillMedia.objects.create(drill=drill, media=secret)
    link.delete()
    page = get_sync(client, token)

    assert str(secret.pk) not in str(page)


def test_media_attached_to_a_drill_after_it_expired_is_never_mentioned(client):
    start = timezone.now()
    drill = make_drill(unpublish_at=start + timedelta(hours=1))

    with time_machine.travel(start + timedelta(hours=2)):
        replica, token = full_sync(client)
        secret = small_media()
        DrillMedia.objects.create(drill=drill, media=secret)
        drill.status = Status.DRAFT
        drill.save()
        page = get_sync(client, token)

    assert str(secret.pk) not in str(page)


def test_media_of_a_drill_that_went_live_and_expired_by_its_schedule_is_deleted(client):
    start = timezone.now()
    drill = make_drill(publish_at=start + timedelta(hours=1), unpublish_at=start + timedelta(hours=3))
    media = small_media()
    DrillMedia.objects.create(drill=drill, media=media)
    replica, token = full_sync(client)

    with time_machine.travel(start + timedelta(hours=2)):
        token, _ = delta_sync(client, replica, token)
        assert str(media.pk) in replica["media"]
    with time_machine.travel(start + timedelta(hours=4)):
        drill.status = Status.DRAFT
        drill.save()
        DrillMedia.objects.filter(drill=drill).delete()
        delta_sync(client, replica, token)

    assert str(media.pk) not in replica["media"] and str(drill.pk) not in replica["drills"]


def test_a_scheduled_drill_withdrawn_before_it_went_live_is_never_mentioned(client):
    start = timezone.now()
    drill = make_drill(publish_at=start + timedelta(hours=1))
    _, token = full_sync(client)
    drill.status = Status.DRAFT
    drill.save()

    with time_machine.travel(start + timedelta(hours=2)):
        page = get_sync(client, token)

    assert str(drill.pk) not in str(page)


def test_a_renamed_category_reaches_its_drills(client):
    drill = make_drill()
    _, token = full_sync(client)
    drill.category.name = "Pull"
    drill.category.save()

    page = get_sync(client, token)

    assert page["upserted"]["drills"][0]["category"]["name"] == "Pull"


def test_a_drill_retitled_reaches_the_programs_and_articles_that_show_it(client):
    drill = make_drill()
    program = make_program(drills=[drill])
    article = make_article(body=f"[[drill:{drill.slug}]]")
    _, token = full_sync(client)
    drill.title = "Heel pull"
    drill.save()

    page = get_sync(client, token)

    assert page["upserted"]["programs"][0]["id"] == str(program.pk)
    assert page["upserted"]["programs"][0]["items"][0]["drill"]["title"] == "Heel pull"
    assert page["upserted"]["articles"][0]["id"] == str(article.pk)
    assert page["upserted"]["articles"][0]["related_drills"][0]["title"] == "Heel pull"


def test_large_changes_come_in_pages(client, settings):
    settings.RUNCMS_SYNC_PAGE_SIZE = 3
    replica, token = full_sync(client)
    drills = [make_drill() for _ in range(7)]

    token, pages = delta_sync(client, replica, token)

    assert [page["has_more"] for page in pages] == [True, True, False]
    assert set(replica["drills"]) == {str(d.pk) for d in drills}


def page_lengths(pages):
    return [sum(len(page[part][name]) for part in ("upserted", "deleted") for name in page[part]) for page in pages]


@pytest.mark.parametrize("schedule", ["publish_at", "unpublish_at"])
def test_many_schedules_passing_at_once_come_in_pages(client, settings, schedule):
    settings.RUNCMS_SYNC_PAGE_SIZE = 3
    start = timezone.now()
    drills = [make_drill(**{schedule: start + timedelta(hours=1)}) for _ in range(7)]
    replica, token = full_sync(client)

    with time_machine.travel(start + timedelta(hours=2)):
        token, pages = delta_sync(client, replica, token)
        fresh, _ = full_sync(client)

    assert [page["has_more"] for page in pages] == [True, True, False]
    assert page_lengths(pages) == [3, 3, 1]
    assert replica == fresh and len(drills) == 7


def test_a_schedule_passing_while_a_large_change_is_paged_arrives(client, settings):
    settings.RUNCMS_SYNC_PAGE_SIZE = 2
    start = timezone.now()
    scheduled = [make_drill(publish_at=start + timedelta(hours=1)) for _ in range(3)]
    late = make_drill(publish_at=start + timedelta(hours=2, minutes=30))
    replica, token = full_sync(client)
    [make_drill() for _ in range(3)]

    with time_machine.travel(start + timedelta(hours=2)) as clock:
        page = get_sync(client, token)
        replica_apply(replica, page)
        clock.shift(timedelta(hours=1))
        token, pages = delta_sync(client, replica, page["token"])
        token, _ = delta_sync(client, replica, token)  # the next sync brings what passed meanwhile
        fresh, _ = full_sync(client)

    assert max(page_lengths([page, *pages])) <= 2
    assert replica == fresh and {str(d.pk) for d in [*scheduled, late]} <= set(replica["drills"])


def test_a_large_full_sync_comes_in_pages(client, settings):
    settings.RUNCMS_SYNC_PAGE_SIZE = 2
    drills = [make_drill() for _ in range(3)]
    programs = [make_program(drills=drills[:1]) for _ in range(2)]

    replica, _ = full_sync(client)

    assert set(replica["drills"]) == {str(d.pk) for d in drills}
    assert set(replica["programs"]) == {str(p.pk) for p in programs}


def test_changes_made_during_a_paged_full_sync_arrive_in_the_next_delta(client, settings):
    settings.RUNCMS_SYNC_PAGE_SIZE = 1
    first, second = make_drill(), make_drill()
    page = get_sync(client)
    first.title, second.title = "Changed first", "Changed second"
    first.save()
    second.save()
    replica = {"drills": {}, "programs": {}, "articles": {}, "media": {}}
    token, _ = delta_sync(client, replica, page["token"])

    delta_sync(client, replica, token)

    assert {d["title"] for d in replica["drills"].values()} == {"Changed first", "Changed second"}


@pytest.mark.parametrize("token", ["garbage", "a" * 5000, "eyJwIjo1fQ:1abc:xyz", "ä€😀"])
def test_a_malformed_token_is_a_400_asking_for_a_full_sync(client, token):
    response = client.get("/api/v1/sync/", {"token": token})

    assert response.status_code == 400
    assert "full sync" in response.json()["detail"]


def test_a_token_from_another_signer_is_a_400(client):
    from django.core import signing

    forged = signing.dumps({"p": 0, "t": timezone.now().isoformat()}, salt="runcms.preview")

    assert client.get("/api/v1/sync/", {"token": forged}).status_code == 400


def test_a_too_old_token_is_a_410_asking_for_a_full_sync(client, settings):
    settings.RUNCMS_SYNC_TOKEN_MAX_AGE = 3600
    _, token = full_sync(client)

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get("/api/v1/sync/", {"token": token})

    assert response.status_code == 410
    assert "full sync" in response.json()["detail"]


def test_a_token_ahead_of_the_change_log_is_a_410(client):
    make_drill()
    _, token = full_sync(client)
    from runcms.models import ChangeLog

    ChangeLog.objects.all().delete()  # as after restoring an older backup

    assert client.get("/api/v1/sync/", {"token": token}).status_code == 410


def test_a_token_from_another_history_of_the_log_is_a_410_even_once_the_log_has_grown_past_it(client):
    from runcms.models import ChangeLog

    make_drill()
    restored_up_to = ChangeLog.objects.order_by("-id").first().pk
    make_drill()
    _, token = full_sync(client)  # issued after the backup was taken
    ChangeLog.objects.filter(pk__gt=restored_up_to).delete()  # the site is restored from that backup...
    make_drill(), make_drill(), make_drill()  # ...and editors carry on, along another history

    response = client.get("/api/v1/sync/", {"token": token})

    assert response.status_code == 410
    assert "full sync" in response.json()["detail"]


def test_pruning_keeps_what_valid_tokens_need(client, settings):
    from runcms import sync
    from runcms.models import ChangeLog

    settings.RUNCMS_SYNC_TOKEN_MAX_AGE = 3600
    start = timezone.now()
    with time_machine.travel(start - timedelta(hours=3)):
        make_drill(), make_drill()
    recent = make_drill()
    _, token = full_sync(client)
    recent.title = "Changed"
    recent.save()

    sync.prune()

    assert not ChangeLog.objects.filter(logged_at__lt=start - timedelta(hours=1)).exists()
    assert [d["title"] for d in get_sync(client, token)["upserted"]["drills"]] == ["Changed"]


def test_a_bulk_update_inside_changing_reaches_the_sync_with_what_it_detached(client):
    from runcms import changelog

    drill, media = make_drill(steps=["Lie down."]), small_media()
    steps = Step.objects.filter(drill=drill)
    with changelog.changing(Step, steps.values_list("pk", flat=True)):
        steps.update(media=media)
    _, token = full_sync(client)

    with changelog.changing(Step, steps.values_list("pk", flat=True)):
        steps.update(text="Lie face down.", media=None)

    page = get_sync(client, token)
    assert page["upserted"]["drills"][0]["steps"][0] == {"position": 1, "text": "Lie face down.", "media": None}
    assert page["deleted"]["media"] == [str(media.pk)]


def test_touch_logs_rows_added_in_bulk(client):
    from runcms import changelog

    drill = make_drill()
    _, token = full_sync(client)
    added = Step.objects.bulk_create([Step(drill=drill, position=1, text="Lie face down.")])

    changelog.touch(Step, [step.pk for step in added])

    assert get_sync(client, token)["upserted"]["drills"][0]["steps"][0]["text"] == "Lie face down."


def published_drill_with_a_draft_revision():
    """A drill saved as a draft, then published: two revisions."""
    import reversion

    with reversion.create_revision():
        drill = make_drill(status=Status.DRAFT, steps=["Lie face down."])
    with reversion.create_revision():
        drill.status = Status.PUBLISHED
        drill.save()
    return drill


def draft_version(drill):
    from reversion.models import Version

    return Version.objects.get_for_object(drill).order_by("revision__date_created", "pk").first()


def test_restoring_a_draft_revision_of_a_published_drill_deletes_it_in_the_sync(client):
    drill = published_drill_with_a_draft_revision()
    replica, token = full_sync(client)

    draft_version(drill).revision.revert(delete=True)
    delta_sync(client, replica, token)

    assert str(drill.pk) not in replica["drills"]


def test_restoring_a_draft_revision_through_the_admin_deletes_it_in_the_sync(client, editor):
    from tests.admin_forms import admin_form_data

    drill = published_drill_with_a_draft_revision()
    replica, token = full_sync(client)
    client.force_login(editor)
    url = f"/admin/drills/drill/{drill.pk}/history/{draft_version(drill).pk}/"

    assert client.post(url, admin_form_data(client.get(url))).status_code == 302
    client.logout()
    delta_sync(client, replica, token)

    assert str(drill.pk) not in replica["drills"]


def test_restoring_a_draft_revision_keeps_the_first_publication_date(client):
    drill = published_drill_with_a_draft_revision()
    first_published_at = Drill.objects.get(pk=drill.pk).first_published_at

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        draft_version(drill).revision.revert(delete=True)
        drill.refresh_from_db()
        drill.status = Status.PUBLISHED
        drill.save()
        body = client.get(f"/api/v1/drills/{drill.slug}/").json()

    assert drill.first_published_at == first_published_at
    assert parse_datetime(body["published_at"]) == first_published_at


def test_a_drill_whose_first_publication_is_reset_behind_the_sync_is_still_deleted(client):
    from runcms import changelog

    drill = make_drill()
    replica, token = full_sync(client)

    with changelog.changing(Drill, [drill.pk]):
        Drill.objects.filter(pk=drill.pk).update(status=Status.DRAFT, first_published_at=None)
    delta_sync(client, replica, token)

    assert str(drill.pk) not in replica["drills"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_media_that_items_published_before_it_showed():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("drills", "0004_sensible_limits"), ("articles", "0003_sensible_limits")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    published = timezone.now() - timedelta(days=3)
    media = {name: apps.get_model("drills", "CueMedia").objects.create(kind="image", file=f"media/{name}.jpg")
             for name in ("gallery", "hero", "draft_only")}
    category = apps.get_model("drills", "Category").objects.create(name="Pull", slug="pull")
    Drill = apps.get_model("drills", "Drill")
    drill = Drill.objects.create(slug="a", title="A", summary=".", category=category, first_published_at=published)
    draft = Drill.objects.create(slug="b", title="B", summary=".", category=category)
    apps.get_model("drills", "DrillMedia").objects.create(drill=drill, media=media["gallery"])
    apps.get_model("drills", "DrillMedia").objects.create(drill=draft, media=media["draft_only"])
    author = apps.get_model("articles", "Author").objects.create(name="Romanov", slug="romanov")
    apps.get_model("articles", "Article").objects.create(
        slug="pull", title="Pull", summary=".", author=author, hero=media["hero"], first_published_at=published
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from drills.models import CueMedia

    first_public = dict(CueMedia.objects.values_list("file", "first_public_at"))
    assert first_public == {"media/gallery.jpg": published, "media/hero.jpg": published, "media/draft_only.jpg": None}



def withdraw_scheduled_drill_now(drill):
    drill.publish_at, drill.unpublish_at = None, timezone.now()
    drill.save()


def create_published_drill_already_ended(_):
    make_drill(unpublish_at=timezone.now() - timedelta(hours=1))


def publish_draft_whose_end_has_passed(drill):
    drill.status, drill.publish_at, drill.unpublish_at = Status.PUBLISHED, None, timezone.now() - timedelta(hours=1)
    drill.save()


@pytest.mark.parametrize(
    "make, edit",
    [
        (lambda: make_drill(publish_at=timezone.now() + timedelta(hours=1)), withdraw_scheduled_drill_now),
        (lambda: None, create_published_drill_already_ended),
        (lambda: make_drill(status=Status.DRAFT), publish_draft_whose_end_has_passed),
    ],
    ids=["scheduled-then-ended-now", "created-published-already-ended", "draft-published-already-ended"],
)
def test_a_drill_the_public_never_saw_is_never_named_in_deleted(client, make, edit):
    drill = make()
    _, token = full_sync(client)

    edit(drill)
    page = get_sync(client, token)

    assert page["deleted"]["drills"] == []
    assert not Drill.objects.filter(first_published_at__isnull=False).exists()


def test_a_scheduled_drill_withdrawn_at_once_keeps_no_first_publication_date():
    drill = make_drill(publish_at=timezone.now() + timedelta(hours=1))
    assert drill.first_published_at == drill.publish_at

    withdraw_scheduled_drill_now(drill)

    drill.refresh_from_db()
    assert drill.first_published_at is None


def sent(page, name):
    return {obj["id"] for obj in page["upserted"][name]}


def test_editing_a_drills_summary_does_not_send_its_unchanged_media_again(client):
    media = small_media()
    drill = make_drill(steps=["Lie face down."])
    DrillMedia.objects.create(drill=drill, media=media)
    _, token = full_sync(client)

    drill.summary = "Heel to hip, slowly."
    drill.save()
    page = get_sync(client, token)

    assert sent(page, "drills") == {str(drill.pk)}
    assert sent(page, "media") == set()


def test_unpublishing_an_embedded_drill_does_not_send_the_articles_unchanged_hero_again(client):
    hero = small_media()
    drill = make_drill()
    DrillMedia.objects.create(drill=drill, media=hero)  # the drill's photo is the article's hero as well
    article = make_article(body=f"The pull.\n\n[[drill:{drill.slug}]]\n", hero=hero)
    _, token = full_sync(client)

    drill.status = Status.DRAFT
    drill.save()
    page = get_sync(client, token)

    assert page["deleted"]["drills"] == [str(drill.pk)]
    assert sent(page, "articles") == {str(article.pk)}
    assert page["upserted"]["articles"][0]["related_drills"] == []
    assert sent(page, "media") == set() and page["deleted"]["media"] == []


def test_media_shared_with_another_published_drill_is_not_sent_again(client):
    media = small_media()
    first, second = make_drill(), make_drill()
    DrillMedia.objects.create(drill=first, media=media)
    _, token = full_sync(client)

    DrillMedia.objects.create(drill=second, media=media)
    page = get_sync(client, token)

    assert sent(page, "drills") == {str(second.pk)}
    assert sent(page, "media") == set()


def test_media_that_becomes_public_with_a_newly_attached_drill_is_sent(client):
    media = small_media()
    drill = make_drill()
    _, token = full_sync(client)

    DrillMedia.objects.create(drill=drill, media=media)
    page = get_sync(client, token)

    assert sent(page, "media") == {str(media.pk)}


def test_a_drill_going_live_by_schedule_does_not_send_media_that_was_already_public(client):
    start = timezone.now()
    shared, own = small_media(), small_media()
    DrillMedia.objects.create(drill=make_drill(), media=shared)
    scheduled = make_drill(publish_at=start + timedelta(hours=1))
    DrillMedia.objects.create(drill=scheduled, media=shared)
    DrillMedia.objects.create(drill=scheduled, media=own)
    _, token = full_sync(client)

    with time_machine.travel(start + timedelta(hours=2)):
        page = get_sync(client, token)

    assert sent(page, "drills") == {str(scheduled.pk)}
    assert sent(page, "media") == {str(own.pk)}


def test_a_drill_unpublished_and_republished_between_two_syncs_does_not_send_its_media_again(client):
    media = small_media()
    drill = make_drill()
    DrillMedia.objects.create(drill=drill, media=media)
    _, token = full_sync(client)

    drill.status = Status.DRAFT
    drill.save()
    drill.status = Status.PUBLISHED
    drill.save()
    page = get_sync(client, token)

    assert sent(page, "drills") == {str(drill.pk)}  # its updated_at moved
    assert sent(page, "media") == set() and page["deleted"]["media"] == []


def test_media_made_public_by_a_schedule_whose_time_is_then_cleared_still_arrives(client):
    start = timezone.now()
    media = small_media()
    drill = make_drill(publish_at=start + timedelta(hours=1))
    DrillMedia.objects.create(drill=drill, media=media)
    replica, token = full_sync(client)

    with time_machine.travel(start + timedelta(hours=2)):
        drill.title = "Heel pull"  # logs the photo, as it looks now that the drill is live
        drill.save()
        drill.publish_at = None  # the schedule that made it public leaves no trace
        drill.save()
        delta_sync(client, replica, token)
        fresh, _ = full_sync(client)

    assert str(media.pk) in replica["media"]
    assert replica == fresh


def test_a_change_undone_while_a_large_delta_is_paged_is_not_lost(client, settings):
    settings.RUNCMS_SYNC_PAGE_SIZE = 4
    media = small_media()
    drill = make_drill()
    DrillMedia.objects.create(drill=drill, media=media)
    replica, token = full_sync(client)
    for alt_text in ("Heel to hip", "Heel to hip, lying"):  # each logs the photo and its drill: page one
        media.alt_text = alt_text
        media.save()
    drill.status = Status.DRAFT  # logs both again: page two
    drill.save()

    page = get_sync(client, token)  # made after the unpublishing: drops the drill and its photo
    replica_apply(replica, page)
    drill.status = Status.PUBLISHED  # on page two as well: the photo is back as it was just before
    drill.save()
    delta_sync(client, replica, page["token"])

    fresh, _ = full_sync(client)
    assert str(media.pk) in replica["media"]
    assert replica == fresh


def test_a_drill_embedded_in_a_draft_article_and_withdrawn_before_it_went_live_is_never_named(client):
    drill = make_drill(publish_at=timezone.now() + timedelta(hours=1))
    article = make_article(body=f"[[drill:{drill.slug}]]", status=Status.DRAFT)
    _, token = full_sync(client)

    drill.publish_at, drill.unpublish_at = None, timezone.now()
    drill.save()
    page = get_sync(client, token)

    assert str(drill.pk) not in str(page) and str(article.pk) not in str(page)


def test_clearing_a_schedule_time_the_client_already_saw_pass_does_not_send_the_media_again(client):
    start = timezone.now()
    media = small_media()
    drill = make_drill(publish_at=start + timedelta(hours=1))
    DrillMedia.objects.create(drill=drill, media=media)
    replica, token = full_sync(client)
    with time_machine.travel(start + timedelta(hours=2)):
        token, _ = delta_sync(client, replica, token)

    with time_machine.travel(start + timedelta(hours=3)):
        drill.publish_at = None
        drill.save()
        page = get_sync(client, token)

    assert sent(page, "drills") == {str(drill.pk)}
    assert sent(page, "media") == set()


def test_a_step_picture_replaced_by_a_photo_already_public_does_not_send_that_photo_again(client):
    old, shared = small_media(), small_media()
    drill = make_drill(steps=["Lie face down."])
    step = Step.objects.get(drill=drill)
    step.media = old
    step.save()
    DrillMedia.objects.create(drill=make_drill(), media=shared)
    _, token = full_sync(client)

    step.media = shared
    step.save()
    page = get_sync(client, token)

    assert sent(page, "drills") == {str(drill.pk)}
    assert sent(page, "media") == set() and page["deleted"]["media"] == [str(old.pk)]
