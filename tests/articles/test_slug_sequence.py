"""Rule 5 through the admin: a renamed drill keeps its old address, and an article keeps the drill it embeds.

The sequence an editor goes through: rename a drill, try to give its old slug to a new
drill (refused, naming the drill), release the old slug on purpose, then give it. Page,
API and sync agree on the drill the article embeds at every step.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from drills.models import Drill
from runcms.models import OldSlug
from tests.admin_forms import admin_form_data
from tests.api.replica import full_sync
from tests.factories import make_article, make_category, make_drill
from tests.helpers.pages import change_url, publish_draft
from tests.helpers.scenes import fresh, make_editor, shared_scene

pytestmark = pytest.mark.django_db

OLD_SLUGS = "runcms-oldslug-content_type-object_id"


def rename_in_admin(client, drill, slug):
    form = admin_form_data(client.get(change_url(drill)))
    response = client.post(change_url(drill), {**form, "slug": slug})
    assert response.status_code == 302, response.content.decode()[:3000]
    publish_draft(client, drill)


def add_in_admin(client, slug, title):
    form = admin_form_data(client.get("/admin/drills/drill/add/"))
    fields = {"title": title, "slug": slug, "summary": "Another drill.", "category": make_category().pk}
    return client.post("/admin/drills/drill/add/", {**form, **fields, "status": "published"})


def release_in_admin(client, drill, slug):
    form = admin_form_data(client.get(change_url(drill)))
    row = _row_of(form, slug)
    response = client.post(change_url(drill), {**form, f"{row}-DELETE": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]


def _row_of(form, slug):
    for n in range(int(form[f"{OLD_SLUGS}-TOTAL_FORMS"])):
        if OldSlug.objects.filter(pk=form[f"{OLD_SLUGS}-{n}-id"], slug=slug).exists():
            return f"{OLD_SLUGS}-{n}"
    raise AssertionError(f"{slug} is not among the old addresses on the form")


@shared_scene(scope="class")
def renamed_scene():
    """A published drill embedded by an article as "heel-pull", then renamed in the admin (built once for
    the tests of TestRenamedDrill), and the editor who renamed it."""
    editor = make_editor()
    client = Client()
    client.force_login(editor)
    drill = make_drill(slug="heel-pull", title="Heel pull on the box")
    article = make_article(slug="the-pull", body="Why the pull.\n\n[[drill:heel-pull]]\n")
    rename_in_admin(client, drill, "heel-pull-on-the-box")
    return SimpleNamespace(editor=editor, drill=drill, article=article)


def embedded_everywhere(client, article):
    """(drill titles on the page, related drill slugs in the API, in sync, and the API's body_html)."""
    page = client.get(f"/articles/{article.slug}/").content.decode()
    api = client.get(f"/api/v1/articles/{article.slug}/").json()
    synced, _ = full_sync(client)
    titles = [drill.title for drill in Drill.objects.all() if f">{drill.title}<" in page]
    return titles, api, synced["articles"][str(article.pk)]


class TestRenamedDrill:
    @pytest.fixture
    def editor(self, renamed_scene):
        return fresh(renamed_scene.editor)

    @pytest.fixture
    def renamed(self, renamed_scene, client, editor):
        """The renamed drill and the article, fresh from the database, and the test client signed in as the editor."""
        client.force_login(editor)
        drill, article = renamed_scene.drill, renamed_scene.article
        return fresh(drill), fresh(article)

    def test_a_new_drill_cannot_take_a_renamed_drills_old_slug_and_the_form_names_it(self, client, renamed):
        response = add_in_admin(client, "heel-pull", "Heel pull, standing")

        assert response.status_code == 200
        assert "Heel pull on the box" in response.context["adminform"].form.errors["slug"][0]
        assert not Drill.objects.filter(title="Heel pull, standing").exists()

    def test_the_old_address_redirects_to_the_renamed_drill_on_the_page_and_in_the_api(self, client, renamed):
        add_in_admin(client, "heel-pull", "Heel pull, standing")

        page = client.get("/drills/heel-pull/")
        api = client.get("/api/v1/drills/heel-pull/")

        assert (page.status_code, page["Location"]) == (301, "/drills/heel-pull-on-the-box/")
        assert api.status_code == 301 and api["Location"].endswith("/api/v1/drills/heel-pull-on-the-box/")

    def test_a_released_old_slug_can_be_given_to_a_new_drill(self, client, renamed):
        drill, _ = renamed

        release_in_admin(client, drill, "heel-pull")
        response = add_in_admin(client, "heel-pull", "Heel pull, standing")

        assert response.status_code == 302
        assert client.get("/drills/heel-pull/").context["drill"].title == "Heel pull, standing"
        assert client.get("/api/v1/drills/heel-pull/").json()["title"] == "Heel pull, standing"

    def test_only_whoever_may_change_the_drill_sees_its_old_addresses(self, client, renamed, django_user_model):
        from django.contrib.auth.models import Permission

        drill, _ = renamed
        viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_drill"))
        client.force_login(viewer)

        form = client.get(change_url(drill)).content.decode()

        assert "<p>heel-pull</p>" in form  # listed, so the viewer knows where old links lead
        assert f'name="{OLD_SLUGS}-0-DELETE"' not in form

    def test_the_article_shows_the_drill_it_embedded_on_page_api_and_sync_after_its_slug_passes_on(
        self, client, renamed
    ):
        drill, article = renamed
        release_in_admin(client, drill, "heel-pull")
        add_in_admin(client, "heel-pull", "Heel pull, standing")

        titles, api, synced = embedded_everywhere(client, article)

        assert titles == ["Heel pull on the box"]
        assert [related["slug"] for related in api["related_drills"]] == ["heel-pull-on-the-box"]
        assert 'data-ref="heel-pull-on-the-box"' in api["body_html"] and "data-id" not in api["body_html"]
        assert "[[drill:heel-pull-on-the-box]]" in api["body"]
        assert synced == api


def test_a_body_saved_before_embeds_had_ids_keeps_the_drill_it_was_linked_to():
    import importlib

    from django.apps import apps

    from articles.models import Article

    owner = make_drill(slug="heel-pull", title="Heel pull on the box")
    article = make_article(slug="the-pull", body="[[drill:heel-pull]]\n")
    owner.slug = "heel-pull-on-the-box"
    owner.save()
    newcomer = make_drill(slug="heel-pull-standing", title="Heel pull, standing")
    Drill.objects.filter(pk=newcomer.pk).update(slug="heel-pull")  # took the old slug before the rule
    legacy = article.body_html.replace(f' data-id="{owner.pk}"', "")
    Article.objects.filter(pk=article.pk).update(body_html=legacy)
    migration = importlib.import_module("articles.migrations.0005_link_drill_embeds")

    migration.link(apps, None)

    article.refresh_from_db()
    assert f'data-ref="heel-pull" data-id="{owner.pk}"' in article.body_html


def test_restoring_a_version_at_another_drills_old_slug_is_refused_naming_it(client, editor):
    from reversion.models import Version

    client.force_login(editor)
    wanderer = make_drill(slug="heel-pull", title="Wandering drill")
    rename_in_admin(client, wanderer, "heel-pull")  # the version to restore, at heel-pull
    rename_in_admin(client, wanderer, "wandered-off")
    release_in_admin(client, wanderer, "heel-pull")
    owner = make_drill(slug="heel-pull", title="Heel pull on the box")
    rename_in_admin(client, owner, "heel-pull-on-the-box")  # heel-pull is now its old slug
    version = Version.objects.get_for_object(wanderer).order_by("revision__date_created").first()

    response = client.get(f"/admin/drills/drill/{wanderer.pk}/history/{version.pk}/", follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert any("“heel-pull”, which is an old address of “Heel pull on the box”" in m for m in messages), messages
    wanderer.refresh_from_db()
    assert wanderer.slug == "wandered-off"
