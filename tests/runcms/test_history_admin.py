"""History with undo and "Recover deleted" for media, taxonomy and authors, as for drills (rule 3).

Every test goes through the admin's own pages, on the real database, and reads the result
where the public and the apps see it: the API and the delta sync.
"""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.models import Author, Topic
from drills.models import Category, CueMedia, Drill, Equipment, Muscle, Program
from runcms.drafts import DraftChange
from runcms.models import ChangeLog
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.api.replica import delta_sync, full_sync
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_drill,
    make_equipment,
    make_muscle,
    make_program,
    make_topic,
    upload_media,
)
from tests.helpers.pages import admin_url, first_version, page_text, publish_draft, version_url

pytestmark = pytest.mark.django_db


def used_in_public(make, attach):
    """A maker of an item that public content uses: `attach(item)` makes that content."""

    def make_used():
        item = make()
        attach(item)
        return item

    return make_used


# Each model with history: how to make one that the public sees, the field the tests edit, and
# the API collection that shows it. Drills stand for publishable content, whose admin shares the code.
MODELS = {
    Muscle: (used_in_public(make_muscle, lambda term: make_drill().primary_muscles.add(term)), "name",
             "/api/v1/muscles/"),
    Equipment: (used_in_public(make_equipment, lambda term: make_drill().equipment.add(term)), "name",
                "/api/v1/equipment/"),
    Category: (used_in_public(make_category, lambda term: make_drill(category=term)), "name", "/api/v1/categories/"),
    Topic: (used_in_public(make_topic, lambda term: make_article(topics=[term])), "name", "/api/v1/topics/"),
    Author: (used_in_public(make_author, lambda author: make_article(author=author)), "name", "/api/v1/articles/"),
    CueMedia: (
        used_in_public(lambda: upload_media(alt_text="Runner on a box"), lambda media: make_program(cover=media)),
        "alt_text", "/api/v1/media/{pk}/",
    ),
    Drill: (make_drill, "title", "/api/v1/drills/"),
}
each_model = pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def form_of(client, url):
    """The admin form at `url` as a browser would post it back."""
    response = client.get(url)
    form_id = re.search(r'<form [^>]*id="(\w+_form)"', response.content.decode())[1]
    return admin_form_data(response, form_id=form_id)


def save(client, obj, **changes):
    """Save `obj`'s admin form with `changes`; a live drill's draft change is then published."""
    url = admin_url(obj)
    response = client.post(url, {**form_of(client, url), **changes})
    assert response.status_code == 302, page_text(response)[:3000]
    publish_draft(client, obj)


def make_with_two_versions(model, client, name=None):
    """An item the public sees, saved in the admin as "First …" and then as "Second …"."""
    make, field, _ = MODELS[model]
    obj = make()
    name = name or model.__name__
    save(client, obj, **{field: f"First {name}"})
    save(client, obj, **{field: f"Second {name}"})
    return obj


def api_text(client, model, obj):
    path = MODELS[model][2].format(pk=obj.pk)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def last_message(response):
    """The message the last request added (earlier ones wait on pages the test client did not open)."""
    return [str(message) for message in response.context["messages"]][-1]


def delete(client, obj):
    response = client.post(admin_url(obj, "delete"), {"post": "yes"})
    assert response.status_code == 302, page_text(response)[:3000]


def recover_url(version):
    meta = version._model._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/recover/{version.pk}/"


def database_state():
    """What a refused restore must leave exactly as it was."""
    return (
        [sorted(map(str, model.objects.values_list(*[f.attname for f in model._meta.concrete_fields])))
         for model in (*MODELS, Program)],
        Version.objects.count(),
        ChangeLog.objects.count(),
    )


# --- Restoring from the history --------------------------------------------------------------


@each_model
def test_restoring_the_first_of_two_saves_brings_it_back_and_says_what_was_restored(model, editor):
    client = signed_in(editor)
    obj = make_with_two_versions(model, client)
    field = MODELS[model][1]
    first = first_version(obj)
    url = version_url(obj, first)

    response = client.post(url, form_of(client, url), follow=True)
    drafted = publish_draft(client, obj)  # a live item's restored version is its draft

    obj.refresh_from_db()
    assert getattr(obj, field) == f"First {model.__name__}"
    when = f"{timezone.localtime(first.revision.date_created):%Y-%m-%d %H:%M}"
    said = [str(message) for message in response.context["messages"]]
    assert any(message.startswith(f"Restored “{obj}” to its version of {when} by editor.") for message in said), said
    if drafted:  # a drill, and media that live content shows: the restored version is the draft
        assert said[-1].startswith(f"Saved as a draft of the live {model._meta.verbose_name}"), said


@each_model
def test_the_history_lists_both_saves_with_a_link_to_restore_each(model, editor):
    client = signed_in(editor)
    obj = make_with_two_versions(model, client)

    page = client.get(admin_url(obj, "history")).content.decode()

    for version in Version.objects.get_for_object(obj):
        assert f'href="{version_url(obj, version)}"' in page


@each_model
def test_a_restore_reaches_the_api_and_the_delta_sync(model, editor):
    client = signed_in(editor)
    obj = make_with_two_versions(model, client)
    replica, token = full_sync(client)
    assert f"Second {model.__name__}" in json.dumps(replica)
    url = version_url(obj, first_version(obj))

    client.post(url, form_of(client, url))
    publish_draft(client, obj)

    assert f"First {model.__name__}" in api_text(client, model, obj)
    delta_sync(client, replica, token)
    shown = json.dumps(replica)
    assert f"First {model.__name__}" in shown
    assert f"Second {model.__name__}" not in shown


# --- Recovering a deleted item ---------------------------------------------------------------


def deletable(model, client):
    """An item saved once in the admin, that deleting leaves no other item without (Category and
    Author are protected while a drill or an article uses them)."""
    make, field, _ = MODELS[model]
    if model is Category:
        obj = make_category()
    elif model is Author:
        obj = make_author()
    else:
        obj = make()
    save(client, obj, **{field: f"Deleted {model.__name__}"})
    return obj


@each_model
def test_a_deleted_item_is_listed_once_and_recovered_with_a_message(model, editor):
    client = signed_in(editor)
    obj = deletable(model, client)
    save(client, obj)
    pk = obj.pk
    delete(client, obj)
    meta = model._meta
    listing = client.get(f"/admin/{meta.app_label}/{meta.model_name}/recover/").content.decode()
    version = Version.objects.get_for_model(model).filter(object_id=str(pk)).latest("pk")
    assert listing.count(f'href="{recover_url(version)}"') == 1

    response = client.post(recover_url(version), form_of(client, recover_url(version)), follow=True)

    recovered = model.objects.get(pk=pk)
    assert getattr(recovered, MODELS[model][1]) == f"Deleted {model.__name__}"
    assert last_message(response).startswith(f"Recovered “{recovered}” as it was in its version of ")


@each_model
def test_a_live_item_is_not_listed_for_recovery(model, editor):
    client = signed_in(editor)
    obj = make_with_two_versions(model, client)
    meta = model._meta

    listing = client.get(f"/admin/{meta.app_label}/{meta.model_name}/recover/").content.decode()

    assert str(obj) not in listing


@pytest.mark.parametrize(
    ("model", "field"), [(Muscle, "primary_muscles"), (Equipment, "equipment")], ids=["Muscle", "Equipment"]
)
def test_a_recovered_term_is_linked_again_to_the_drills_that_used_it_and_the_sync_sends_them(model, field, editor):
    client = signed_in(editor)
    term = {Muscle: make_muscle, Equipment: make_equipment}[model](name="Hamstrings")
    drill = make_drill(title="Heel pull")
    getattr(drill, field).add(term)
    save(client, drill)  # the drill's latest version lists the term
    save(client, term)
    delete(client, term)
    replica, token = full_sync(client)
    assert "Hamstrings" not in json.dumps(replica["drills"])
    version = Version.objects.get_for_object(term).latest("pk")

    response = client.post(recover_url(version), form_of(client, recover_url(version)), follow=True)

    assert list(getattr(drill, field).all()) == [model.objects.get(pk=term.pk)]
    assert "Linked again to drill “Heel pull”." in last_message(response)
    delta_sync(client, replica, token)
    assert "Hamstrings" in json.dumps(replica["drills"][str(drill.pk)])


def test_a_recovered_topic_is_linked_again_to_its_articles(editor):
    client = signed_in(editor)
    topic = make_topic(name="Running form")
    article = make_article(title="The pull", topics=[topic])
    save(client, article)
    save(client, topic)
    delete(client, topic)
    version = Version.objects.get_for_object(topic).latest("pk")

    client.post(recover_url(version), form_of(client, recover_url(version)))

    assert list(article.topics.values_list("name", flat=True)) == ["Running form"]


def test_a_recovered_media_item_is_the_cover_of_its_program_again(editor):
    client = signed_in(editor)
    media = upload_media(alt_text="Runner on a box")
    program = make_program(title="Pull strength", cover=media)
    save(client, program)
    save(client, media)
    delete(client, media)
    version = Version.objects.get_for_object(media).latest("pk")

    client.post(recover_url(version), form_of(client, recover_url(version)))

    program.refresh_from_db()
    assert program.cover_id == media.pk
    assert "Runner on a box" in client.get(f"/api/v1/programs/{program.slug}/").content.decode()


def test_an_item_deleted_without_any_saved_version_can_be_recovered(editor):
    client = signed_in(editor)
    muscle = make_muscle(name="Calves")  # made by code (demo, import): never saved in the admin
    pk = muscle.pk
    delete(client, muscle)
    version = Version.objects.get_for_model(Muscle).get(object_id=str(pk))

    client.post(recover_url(version), form_of(client, recover_url(version)))

    assert Muscle.objects.get(pk=pk).name == "Calves"


def test_bulk_deleted_items_without_a_saved_version_can_be_recovered(editor):
    client = signed_in(editor)
    chosen = [make_equipment(name="Box"), make_equipment(name="Band")]

    client.post("/admin/drills/equipment/", {
        "action": "delete_selected", "_selected_action": [e.pk for e in chosen], "post": "yes",
    })

    assert not Equipment.objects.exists()
    assert sorted(v.object_repr for v in Version.objects.get_for_model(Equipment)) == ["Band", "Box"]


def test_a_recovery_whose_name_was_taken_meanwhile_is_refused_with_what_to_do(editor):
    client = signed_in(editor)
    muscle = make_muscle(name="Glutes", slug="glutes")
    save(client, muscle)
    delete(client, muscle)
    make_muscle(name="Glutes", slug="glutes-2")
    version = Version.objects.get_for_object(muscle).latest("pk")
    before = database_state()

    response = client.post(recover_url(version), {}, follow=True)

    assert database_state() == before
    assert last_message(response) == (
        "This version used the name “Glutes”, which “Glutes” has now. "
        "Change the name of “Glutes” first, then restore this version."
    )


# --- Hostile requests: a clear message, and nothing changes ---------------------------------


def test_a_version_of_another_model_is_refused_by_history_and_by_recover(editor):
    client = signed_in(editor)
    muscle = make_with_two_versions(Muscle, client)
    equipment = make_with_two_versions(Equipment, client)
    other = first_version(equipment)
    before = database_state()

    restore = client.post(f"/admin/drills/muscle/{muscle.pk}/history/{other.pk}/", {"name": "Forged"}, follow=True)
    recover = client.post(f"/admin/drills/muscle/recover/{other.pk}/", {"name": "Forged"}, follow=True)

    assert database_state() == before
    assert last_message(restore) == "This muscle has no saved version with this number, so nothing was restored."
    assert last_message(recover) == "There is no saved version of a muscle with this number, so nothing was recovered."


def test_a_version_of_another_item_with_the_same_number_is_refused(editor):
    client = signed_in(editor)
    muscle, other = make_with_two_versions(Muscle, client), make_with_two_versions(Muscle, client, "other")
    before = database_state()

    response = client.post(f"/admin/drills/muscle/{muscle.pk}/history/{first_version(other).pk}/", {}, follow=True)

    assert database_state() == before
    assert last_message(response) == "This muscle has no saved version with this number, so nothing was restored."


def test_recovering_a_live_item_is_refused(editor):
    client = signed_in(editor)
    media = make_with_two_versions(CueMedia, client)
    url = recover_url(first_version(media))
    before = database_state()

    response = client.post(url, {"alt_text": "Forged"}, follow=True)

    assert database_state() == before
    assert "has not been deleted, so there is nothing to recover" in last_message(response)


@pytest.mark.parametrize("version_id", ["999999", "0"])
def test_a_version_that_does_not_exist_is_refused(editor, version_id):
    client = signed_in(editor)
    topic = make_with_two_versions(Topic, client)
    before = database_state()

    restore = client.post(f"/admin/articles/topic/{topic.pk}/history/{version_id}/", {}, follow=True)
    recover = client.post(f"/admin/articles/topic/recover/{version_id}/", {}, follow=True)

    assert database_state() == before
    assert last_message(restore) == "This topic has no saved version with this number, so nothing was restored."
    assert last_message(recover) == "There is no saved version of a topic with this number, so nothing was recovered."


def test_the_history_of_a_deleted_item_does_not_bring_it_back(editor):
    client = signed_in(editor)
    author = make_author(name="Coach Xu")
    save(client, author)
    pk = author.pk
    version = first_version(author)
    delete(client, author)

    response = client.post(f"/admin/articles/author/{pk}/history/{version.pk}/", {}, follow=True)

    assert not Author.objects.filter(pk=pk).exists()
    assert last_message(response) == "This author has been deleted. Bring it back from “Recover deleted authors”."


# --- Who may restore and recover --------------------------------------------------------------


def test_a_user_who_may_only_view_cannot_restore(editor, django_user_model):
    client = signed_in(editor)
    muscle = make_with_two_versions(Muscle, client)
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_muscle"))
    url = version_url(muscle, first_version(muscle))

    response = signed_in(viewer).post(url, {"name": "First Muscle", "slug": muscle.slug})

    muscle.refresh_from_db()
    assert response.status_code == 403
    assert muscle.name == "Second Muscle"


def test_a_user_who_may_not_add_cannot_recover(editor, django_user_model):
    client = signed_in(editor)
    muscle = deletable(Muscle, client)
    pk = muscle.pk
    delete(client, muscle)
    changer = django_user_model.objects.create_user("changer", is_staff=True)
    changer.user_permissions.add(*Permission.objects.filter(codename__in=["view_muscle", "change_muscle"]))
    version = Version.objects.get_for_model(Muscle).filter(object_id=str(pk)).latest("pk")

    response = signed_in(changer).post(recover_url(version), {"name": "Deleted Muscle", "slug": "x"})

    assert response.status_code == 403
    assert not Muscle.objects.filter(pk=pk).exists()


def test_a_contributors_restore_of_media_that_live_content_shows_is_a_draft(editor, contributor):
    media = make_with_two_versions(CueMedia, signed_in(editor))
    client = signed_in(contributor)
    url = version_url(media, first_version(media))

    response = client.post(url, form_of(client, url))

    media.refresh_from_db()
    assert response.status_code == 302
    assert media.alt_text == "Second CueMedia"
    assert "First CueMedia" in DraftChange.objects.of(media).get().versions[0]["data"]
    assert "Second CueMedia" in api_text(client, CueMedia, media)


def test_a_contributor_may_restore_media_nothing_public_uses(editor, contributor):
    media = upload_media(alt_text="Draft picture")
    make_drill(status=Status.DRAFT).media_links.create(media=media)
    save(signed_in(editor), media, alt_text="First")
    save(signed_in(editor), media, alt_text="Second")
    client = signed_in(contributor)
    url = version_url(media, first_version(media))

    response = client.post(url, form_of(client, url))

    media.refresh_from_db()
    assert response.status_code == 302
    assert media.alt_text == "First"


def test_a_contributor_recovering_a_term_does_not_change_live_drills(editor, contributor):
    client = signed_in(editor)
    muscle = make_muscle(name="Hamstrings")
    live, draft = make_drill(title="Live drill"), make_drill(title="Draft drill", status=Status.DRAFT)
    for drill in (live, draft):
        drill.primary_muscles.add(muscle)
        save(client, drill)
    save(client, muscle)
    delete(client, muscle)
    version = Version.objects.get_for_object(muscle).latest("pk")
    contributing = signed_in(contributor)

    response = contributing.post(recover_url(version), form_of(contributing, recover_url(version)), follow=True)

    assert list(live.primary_muscles.all()) == []
    assert list(draft.primary_muscles.values_list("name", flat=True)) == ["Hamstrings"]
    assert "Not linked again to drill “Live drill”: ask a publisher" in last_message(response)


def test_deleting_by_an_id_that_is_not_one_changes_nothing(editor):
    client = signed_in(editor)
    media = upload_media()
    before = database_state()

    page = client.post("/admin/drills/cuemedia/not-an-id/delete/", {"post": "yes"}, follow=True)
    bulk = client.post("/admin/drills/cuemedia/", {
        "action": "delete_selected", "_selected_action": ["not-an-id", str(media.pk)], "post": "yes",
    }, follow=True)

    assert page.status_code == 200
    assert last_message(bulk) == (
        "The selection holds something that is not a cue media; nothing was changed. Select the items again."
    )
    assert database_state() == before
