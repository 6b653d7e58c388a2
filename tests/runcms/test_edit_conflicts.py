"""Rule 3 on every admin form: a save made from a page opened before someone else's save is
refused, and so is restoring an old version over a newer save."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from articles.models import Article, Author, Topic
from drills.models import Category, CueMedia, Drill, Equipment, Muscle, Program
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
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
from tests.helpers.pages import admin_url, first_version, page_text, version_url
from tests.helpers.scenes import fresh, make_editor, shared_scene

pytestmark = pytest.mark.django_db



def as_draft(make):
    # Edits of a live item are kept as its draft change (tests/runcms/test_drafts.py): here the rows change.
    return lambda **fields: make(status=Status.DRAFT, **fields)


# Every model with an admin: how to make one, the field the first editor saves, and the field
# the second editor changes in a form opened before that save.
EDITABLE = {
    Muscle: (make_muscle, "name", "description"),
    Equipment: (make_equipment, "name", "description"),
    Category: (make_category, "name", "description"),
    Topic: (make_topic, "name", "description"),
    Author: (make_author, "bio", "name"),
    CueMedia: (upload_media, "alt_text", "caption"),
    Drill: (as_draft(make_drill), "title", "summary"),
    Program: (as_draft(make_program), "title", "summary"),
    Article: (as_draft(make_article), "title", "summary"),
}


def read_form(client, obj, url=None):
    return admin_form_data(client.get(url or admin_url(obj)), form_id=f"{obj._meta.model_name}_form")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def save(client, obj, **changes):
    response = client.post(admin_url(obj), {**read_form(client, obj), **changes})
    assert response.status_code == 302, response.content.decode()[:3000]


def test_every_model_in_the_admin_is_checked_here(rf, editor):
    request = rf.get("/admin/")
    request.user = editor
    editable = {
        model
        for label in ("runcms", "drills", "articles")
        for model in apps.get_app_config(label).get_models()
        if admin.site.is_registered(model) and admin.site.get_model_admin(model).has_change_permission(request)
    }

    assert editable == set(EDITABLE)  # read-only admins (unsent jobs) have nothing to save


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model.__name__)
def test_a_stale_save_is_refused_and_the_newer_save_stays(model, editor, second_editor):
    make, theirs, mine = EDITABLE[model]
    obj = make()
    unchanged = getattr(obj, mine)
    first, second = signed_in(editor), signed_in(second_editor)
    stale = read_form(second, obj)
    save(first, obj, **{theirs: "Saved first"})

    response = second.post(admin_url(obj), {**stale, mine: "Saved from a stale page"})

    obj.refresh_from_db()
    assert (getattr(obj, theirs), getattr(obj, mine)) == ("Saved first", unchanged)
    assert response.status_code == 200
    text = page_text(response)
    assert f"saved this {model._meta.verbose_name} at" in text
    assert "nothing of theirs was overwritten" in text
    assert "Saved from a stale page" in text  # still in the form, to copy


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model.__name__)
def test_an_up_to_date_save_goes_through(model, editor):
    make, theirs, _ = EDITABLE[model]
    obj = make()
    client = signed_in(editor)

    save(client, obj, **{theirs: "Saved"})

    obj.refresh_from_db()
    assert getattr(obj, theirs) == "Saved"


@shared_scene(scope="class")
def items_with_two_versions():
    """The editor, and an item of every model (EDITABLE) saved by them through the admin twice: version 1
    with "First" in its first field, version 2 (the current one) with "Second"."""
    editor = make_editor()
    client = signed_in(editor)
    items = {}
    for model, (make, theirs, _) in EDITABLE.items():
        items[model] = make()
        save(client, items[model], **{theirs: "First"})
        save(client, items[model], **{theirs: "Second"})
    return SimpleNamespace(editor=editor, items=items)


def fields_of(obj):
    """The field the versions differ in, and the field another editor changes meanwhile."""
    return EDITABLE[type(obj)][1:]


class TestRestoringAnOlderVersion:
    """Tests of restoring version 1 of an item of every model, the items saved once for the class."""

    @pytest.fixture
    def editor(self, items_with_two_versions):
        """The editor who saved the items (the scene's own user, fresh from the database)."""
        return fresh(items_with_two_versions.editor)

    @pytest.fixture(params=EDITABLE, ids=lambda model: model.__name__)
    def item_with_two_versions(self, request, items_with_two_versions):
        """Version 1 with "First" in its first field (EDITABLE), version 2 (the current one) with "Second"."""
        return fresh(items_with_two_versions.items[request.param])

    def test_restoring_a_version_over_a_newer_save_is_refused(
        self, item_with_two_versions, editor, second_editor
    ):
        obj = item_with_two_versions
        restored, other_field = fields_of(obj)
        restoring, other = signed_in(editor), signed_in(second_editor)
        url = version_url(obj, first_version(obj))
        restore_form = read_form(restoring, obj, url)
        save(other, obj, **{other_field: "Their newer text"})

        response = restoring.post(url, restore_form)

        obj.refresh_from_db()
        assert (getattr(obj, restored), getattr(obj, other_field)) == ("Second", "Their newer text")
        assert response.status_code == 200
        text = page_text(response)
        assert f"coach saved this {obj._meta.verbose_name} at" in text
        assert "It has not been restored, so nothing of theirs was overwritten" in text

    def test_a_refused_restore_links_to_their_version_and_to_the_restore_form(
        self, item_with_two_versions, editor, second_editor
    ):
        obj = item_with_two_versions
        _, other_field = fields_of(obj)
        restoring, other = signed_in(editor), signed_in(second_editor)
        url = version_url(obj, first_version(obj))
        restore_form = read_form(restoring, obj, url)
        save(other, obj, **{other_field: "Their newer text"})

        page = restoring.post(url, restore_form).content.decode()

        assert f'<a href="{admin_url(obj)}">See their version</a>' in page
        assert f'<a href="{url}">open this older version again</a>' in page

    def test_a_restore_opened_again_after_the_newer_save_goes_through(
        self, item_with_two_versions, editor, second_editor
    ):
        obj = item_with_two_versions
        restored, other_field = fields_of(obj)
        restoring, other = signed_in(editor), signed_in(second_editor)
        url = version_url(obj, first_version(obj))
        restore_form = read_form(restoring, obj, url)
        save(other, obj, **{other_field: "Their newer text"})
        restoring.post(url, restore_form)

        response = restoring.post(url, read_form(restoring, obj, url))

        obj.refresh_from_db()
        assert response.status_code == 302
        assert getattr(obj, restored) == "First"

    def test_restoring_with_no_save_in_between_goes_through(self, item_with_two_versions, editor):
        obj = item_with_two_versions
        restored, _ = fields_of(obj)
        client = signed_in(editor)
        url = version_url(obj, first_version(obj))

        response = client.post(url, read_form(client, obj, url))

        obj.refresh_from_db()
        assert response.status_code == 302
        assert getattr(obj, restored) == "First"

    def test_a_restore_form_opened_by_an_id_of_another_model_is_not_found(self, item_with_two_versions, editor):
        obj = item_with_two_versions
        client = signed_in(editor)

        response = client.get(f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/not-an-id/history/1/")

        assert response.status_code == 404
