"""The drill and program lists: filter by where an item is in its workflow, styled status badges."""

from datetime import timedelta

import pytest
from django.utils import timezone

from runcms.publishing import Status
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each():
    now = timezone.now()
    return {
        "draft": make_drill(title="A draft", status=Status.DRAFT),
        "scheduled_draft": make_drill(title="A draft with a date", status=Status.DRAFT,
                                      publish_at=now + timedelta(days=1)),
        "live": make_drill(title="Live now"),
        "live_until": make_drill(title="Live until tomorrow", publish_at=now - timedelta(days=1),
                                 unpublish_at=now + timedelta(days=1)),
        "scheduled": make_drill(title="Goes live tomorrow", publish_at=now + timedelta(days=1)),
        "expired": make_drill(title="Gone since yesterday", unpublish_at=now - timedelta(days=1)),
    }


def listed(client, url):
    return {str(obj) for obj in client.get(url).context["cl"].result_list}


@pytest.mark.parametrize(
    "state, expected",
    [
        ("draft", {"A draft", "A draft with a date"}),
        ("live", {"Live now", "Live until tomorrow"}),
        ("scheduled", {"Goes live tomorrow"}),
        ("expired", {"Gone since yesterday"}),
    ],
)
def test_the_workflow_filter_lists_the_items_in_that_state(client, editor, one_of_each, state, expected):
    client.force_login(editor)

    assert listed(client, f"/admin/drills/drill/?workflow={state}") == expected


def test_the_workflow_filter_offers_every_state(client, editor):
    client.force_login(editor)

    response = client.get("/admin/drills/drill/")

    specs = response.context["cl"].filter_specs
    (workflow,) = [spec for spec in specs if getattr(spec, "parameter_name", None) == "workflow"]
    assert [label for value, label in workflow.lookup_choices] == ["Draft", "Live", "Scheduled", "Expired"]


def test_the_workflow_filter_agrees_with_what_the_public_sees(client, editor, one_of_each):
    from drills.models import Drill

    client.force_login(editor)

    assert listed(client, "/admin/drills/drill/?workflow=live") == {str(d) for d in Drill.objects.published()}


def test_programs_can_be_filtered_by_workflow_state(client, editor):
    make_program(title="Live program")
    make_program(title="Expired program", unpublish_at=timezone.now() - timedelta(hours=1))
    client.force_login(editor)

    assert listed(client, "/admin/drills/program/?workflow=expired") == {"Expired program"}


@pytest.mark.parametrize("url", ["/admin/drills/drill/", "/admin/drills/program/"])
def test_the_changelist_loads_the_status_badge_styles(client, editor, url):
    client.force_login(editor)

    page = client.get(url).content.decode()

    assert 'href="/static/runcms/admin/admin.css"' in page
