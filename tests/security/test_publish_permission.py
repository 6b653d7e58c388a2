"""Only a publisher publishes: every path a contributor could try leaves the public site as it was."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from drills.models import CueMedia, Drill, DrillMedia, Program
from runcms.drafts import DraftChange
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import make_article, make_drill, make_media, make_program

pytestmark = pytest.mark.django_db

FACTORIES = {"drill": make_drill, "program": make_program, "article": make_article}
MODELS = {"drill": Drill, "program": Program, "article": Article}


def admin_url(obj, view="change"):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/{view}/"


def form_of(client, obj):
    return admin_form_data(client.get(admin_url(obj)))


def test_the_roles_hold_the_permissions_their_names_promise():
    from tests.helpers.roles import ensure_roles

    ensure_roles()

    def codenames(role):
        return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    contributor, publisher, administrator = codenames("Contributor"), codenames("Publisher"), codenames("Administrator")
    publish = {"publish_drill", "publish_program", "publish_article", "publish_cuemedia"}
    assert {"add_drill", "change_drill", "change_article", "add_cuemedia", "add_step", "delete_step"} <= contributor
    assert not (publish | {"delete_drill", "delete_article"}) & contributor
    assert publish | {"delete_drill", "delete_program", "delete_article", "delete_cuemedia"} <= publisher
    assert publish | {"change_user", "change_group", "delete_muscle"} <= administrator


@pytest.mark.parametrize("kind", ["drill", "program", "article"])
def test_a_contributor_sees_the_status_and_schedule_but_has_no_field_to_set_them(client, contributor, kind):
    item = FACTORIES[kind](status=Status.DRAFT)
    client.force_login(contributor)

    form = form_of(client, item)

    assert "title" in form
    assert not {"status", "publish_at_0", "publish_at_1", "unpublish_at_0", "unpublish_at_1"} & set(form)


def test_a_publisher_has_the_status_and_schedule_fields(client, publisher):
    drill = make_drill(status=Status.DRAFT)
    client.force_login(publisher)

    form = form_of(client, drill)

    assert {"status", "publish_at_0", "unpublish_at_0"} <= set(form)


@pytest.mark.parametrize("kind", ["drill", "program", "article"])
@pytest.mark.parametrize(
    "crafted",
    [
        {"status": "published"},
        {"publish_at_0": "2026-01-01", "publish_at_1": "12:00"},
        {"unpublish_at_0": "2026-01-01", "unpublish_at_1": "12:00"},
    ],
    ids=["status", "publish_at", "unpublish_at"],
)
def test_a_crafted_post_that_publishes_is_refused_and_changes_nothing(client, contributor, kind, crafted):
    item = FACTORIES[kind](status=Status.DRAFT, title="As it was")
    client.force_login(contributor)
    form = form_of(client, item)

    response = client.post(admin_url(item), {**form, "title": "Changed", **crafted})

    item.refresh_from_db()
    assert response.status_code == 403
    assert (item.title, item.status, item.publish_at, item.unpublish_at) == ("As it was", Status.DRAFT, None, None)
    assert client.get(f"/api/v1/{kind}s/{item.slug}/").status_code == 404


def test_a_crafted_post_adding_a_published_drill_is_refused(client, contributor):
    client.force_login(contributor)
    form = admin_form_data(client.get("/admin/drills/drill/add/"))

    response = client.post(
        "/admin/drills/drill/add/",
        {**form, "title": "Sneaky", "slug": "sneaky", "summary": "x", "difficulty": "beginner", "status": "published"},
    )

    assert response.status_code == 403
    assert not Drill.objects.filter(slug="sneaky").exists()


def test_a_contributor_adds_and_edits_drafts(client, contributor):
    draft = make_drill(status=Status.DRAFT, title="First words")
    client.force_login(contributor)

    response = client.post(admin_url(draft), {**form_of(client, draft), "title": "Better words"})

    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.title, draft.status, draft.updated_by) == ("Better words", Status.DRAFT, contributor)


@pytest.mark.parametrize("action", ["publish_now", "unpublish_now"])
def test_the_publish_actions_are_not_offered_to_a_contributor_and_a_crafted_one_does_nothing(
    client, contributor, action
):
    draft = make_drill(status=Status.DRAFT)
    live = make_drill()
    client.force_login(contributor)

    offered = client.get("/admin/drills/drill/").content.decode()
    response = client.post(
        "/admin/drills/drill/", {"action": action, "_selected_action": [draft.pk, live.pk], "index": 0}, follow=True
    )

    assert 'value="publish_now"' not in offered and 'value="unpublish_now"' not in offered
    assert response.status_code == 200
    assert set(Drill.objects.values_list("pk", "status")) == {(draft.pk, Status.DRAFT), (live.pk, Status.PUBLISHED)}


def test_a_publisher_publishes_with_the_action(client, publisher):
    draft = make_drill(status=Status.DRAFT)
    client.force_login(publisher)

    client.post("/admin/drills/drill/", {"action": "publish_now", "_selected_action": [draft.pk], "index": 0})

    assert client.get(f"/api/v1/drills/{draft.slug}/").status_code == 200


@pytest.mark.parametrize("kind", ["drill", "program", "article"])
def test_a_contributors_save_of_a_live_item_is_a_draft_change_and_the_item_stays(client, contributor, kind):
    live = FACTORIES[kind](title="What the public reads")
    client.force_login(contributor)

    response = client.post(admin_url(live), {**form_of(client, live), "title": "Changed"})

    live.refresh_from_db()
    assert response.status_code == 302
    assert (live.title, live.is_live) == ("What the public reads", True)
    assert DraftChange.objects.of(live).get().object_repr == "Changed"


def test_a_contributors_save_of_a_scheduled_item_is_a_draft_change_too(client, contributor):
    scheduled = make_drill(title="Coming", publish_at=timezone.now() + timedelta(days=1))
    client.force_login(contributor)

    client.post(admin_url(scheduled), {**form_of(client, scheduled), "title": "Changed"})

    scheduled.refresh_from_db()
    assert scheduled.title == "Coming"
    assert DraftChange.objects.of(scheduled).exists()


def test_a_contributor_cannot_unpublish_by_deleting(client, contributor):
    live = make_drill()
    client.force_login(contributor)

    response = client.post(admin_url(live, "delete"), {"post": "yes"})

    assert response.status_code == 403
    assert Drill.objects.filter(pk=live.pk).exists()


def published_then_drafted(client, publisher):
    """A drill with a published version in its history, now a draft again."""
    drill = make_drill(title="Published title", steps=["Old step"])
    client.force_login(publisher)
    client.post(admin_url(drill), form_of(client, drill))  # the published version
    client.post(admin_url(drill), {**form_of(client, drill), "status": "draft", "title": "Draft title"})
    drill.refresh_from_db()
    assert drill.status == Status.DRAFT
    return drill, Version.objects.get_for_object(drill).order_by("pk").first()


def test_restoring_a_published_version_as_a_contributor_restores_the_content_as_a_draft(
    client, publisher, contributor
):
    drill, published_version = published_then_drafted(client, publisher)
    client.force_login(contributor)
    url = admin_url(drill, f"history/{published_version.pk}")

    form = admin_form_data(client.get(url))
    response = client.post(url, form)

    drill.refresh_from_db()
    assert "status" not in form
    assert response.status_code == 302
    assert (drill.title, drill.status) == ("Published title", Status.DRAFT)
    assert client.get(f"/api/v1/drills/{drill.slug}/").status_code == 404


def test_recovering_a_deleted_published_drill_as_a_contributor_brings_it_back_as_a_draft(
    client, publisher, contributor
):
    drill = make_drill(title="Deleted live drill")
    client.force_login(publisher)
    client.post(admin_url(drill), form_of(client, drill))
    client.post(admin_url(drill, "delete"), {"post": "yes"})
    version = Version.objects.get_for_object_reference(Drill, drill.pk).first()
    client.force_login(contributor)
    url = f"/admin/drills/drill/recover/{version.pk}/"

    response = client.post(url, admin_form_data(client.get(url)))

    recovered = Drill.objects.get(pk=drill.pk)
    assert response.status_code == 302
    assert (recovered.title, recovered.status) == ("Deleted live drill", Status.DRAFT)
    assert client.get(f"/api/v1/drills/{recovered.slug}/").status_code == 404


def test_a_contributors_edit_of_media_that_live_content_shows_is_a_draft(client, contributor):
    shown = make_media(title="On a live drill", alt_text="A runner")
    DrillMedia.objects.create(drill=make_drill(), media=shown, position=1)
    client.force_login(contributor)

    response = client.post(admin_url(shown), {**form_of(client, shown), "title": "Changed", "alt_text": "Changed"})

    shown.refresh_from_db()
    assert response.status_code == 302
    assert (shown.title, shown.alt_text) == ("On a live drill", "A runner")
    assert DraftChange.objects.of(shown).get().object_repr == "Changed"


def test_media_only_drafts_use_stays_editable_for_a_contributor(client, contributor):
    unused = make_media(title="Not public yet", alt_text="A runner")
    DrillMedia.objects.create(drill=make_drill(status=Status.DRAFT), media=unused, position=1)
    client.force_login(contributor)

    response = client.post(admin_url(unused), {**form_of(client, unused), "title": "Named better"})

    assert response.status_code == 302
    assert CueMedia.objects.get(pk=unused.pk).title == "Named better"


def test_a_contributors_preview_link_shows_the_draft_to_its_holder_only(client, contributor):
    draft = make_drill(status=Status.DRAFT, title="Work in progress")
    client.force_login(contributor)
    token = parse_qs(urlsplit(client.get(admin_url(draft)).context["preview_url"]).query)["preview"][0]
    client.logout()

    previewed = client.get(f"/api/v1/drills/{draft.slug}/", {"preview": token})

    assert previewed.status_code == 200
    assert client.get(f"/api/v1/drills/{draft.slug}/").status_code == 404
    assert client.get("/api/v1/drills/").json()["count"] == 0
    assert client.get(f"/drills/{draft.slug}/").status_code == 404
