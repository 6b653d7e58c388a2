"""Taking a drill offline tells the editor which public pages showed it: they will show without it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from drills.models import Drill
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import make_article, make_drill, make_program
from tests.helpers.pages import admin_url, change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown_drill():
    """A live drill that a live program lists and a live article embeds; a draft article embeds it too."""
    drill = make_drill(slug="heel-pull", title="Heel pull")
    make_program(title="Pull strength", drills=[drill])
    make_article(title="The pull", body="[[drill:heel-pull]]\n")
    make_article(title="Unfinished", body="[[drill:heel-pull]]\n", status=Status.DRAFT)
    return drill


def warnings(response):
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_unpublishing_a_drill_in_its_form_names_the_public_pages_that_showed_it(client, editor, shown_drill):
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(shown_drill)))

    response = client.post(change_url(shown_drill), {**form, "status": Status.DRAFT}, follow=True)

    assert warnings(response) == [
        "“Heel pull” is no longer public: from then these pages show without it: "
        "program “Pull strength”, article “The pull”."
    ]


def test_the_unpublish_action_names_the_public_pages_that_showed_the_drill(client, editor, shown_drill):
    client.force_login(editor)

    response = client.post(
        "/admin/drills/drill/", {"action": "unpublish_now", "_selected_action": [shown_drill.pk]}, follow=True
    )

    assert len(warnings(response)) == 1
    assert "program “Pull strength”, article “The pull”" in warnings(response)[0]


def test_scheduling_a_drills_end_says_when_the_pages_lose_it(client, editor, shown_drill):
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(shown_drill)))
    end = timezone.localtime(timezone.now() + timedelta(days=3))

    response = client.post(
        change_url(shown_drill),
        {**form, "unpublish_at_0": f"{end:%Y-%m-%d}", "unpublish_at_1": f"{end:%H:%M:%S}"},
        follow=True,
    )

    assert warnings(response)[0].startswith(f"“Heel pull” is unpublished at {end:%Y-%m-%d %H:%M}: from then")


def test_deleting_a_drill_an_article_embeds_names_the_article(client, editor):
    drill = make_drill(slug="heel-pull", title="Heel pull")  # a program's drill cannot be deleted at all
    make_article(title="The pull", body="[[drill:heel-pull]]\n")
    client.force_login(editor)

    response = client.post(admin_url(drill, "delete"), {"post": "yes"}, follow=True)

    assert not Drill.objects.filter(pk=drill.pk).exists()
    assert warnings(response) == ["“Heel pull” was deleted: from then these pages show without it: article “The pull”."]


def test_saving_a_drill_nothing_public_shows_gives_no_warning(client, editor):
    drill = make_drill(title="Alone")
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(drill)))

    response = client.post(change_url(drill), {**form, "status": Status.DRAFT}, follow=True)

    assert warnings(response) == []
