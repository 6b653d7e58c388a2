"""The "Recover deleted drills" list shows only what was deleted, on every database."""

import pytest
from reversion.models import Version

from drills.models import Drill
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import make_drill
from tests.helpers.pages import admin_url, change_url, first_version, post_admin_form

pytestmark = pytest.mark.django_db

RECOVER_LIST = "/admin/drills/drill/recover/"


def save_in_admin(client, drill):
    """One admin save, so the drill has a revision to recover from."""
    post_admin_form(client, drill)


def delete_in_admin(client, drill):
    client.post(admin_url(drill, "delete"), {"post": "yes"})


def test_a_live_drill_is_not_offered_for_recovery(client, editor):
    live = make_drill(title="Still here")
    gone = make_drill(title="Deleted one")
    client.force_login(editor)
    save_in_admin(client, live)
    save_in_admin(client, gone)
    delete_in_admin(client, gone)

    page = client.get(RECOVER_LIST).content.decode()

    assert "<td>Deleted one</td>" in page
    assert "<td>Still here</td>" not in page


def test_a_drill_deleted_after_several_saves_is_listed_once(client, editor):
    drill = make_drill(title="Saved twice")
    client.force_login(editor)
    save_in_admin(client, drill)
    save_in_admin(client, drill)
    delete_in_admin(client, drill)

    page = client.get(RECOVER_LIST).content.decode()

    assert page.count("<td>Saved twice</td>") == 1


def test_recovering_a_live_drill_is_refused_and_changes_nothing(client, editor):
    drill = make_drill(title="Original title", steps=["Lie face down."], status=Status.DRAFT)
    client.force_login(editor)
    save_in_admin(client, drill)  # the version an editor might try to "recover"
    form = admin_form_data(client.get(change_url(drill)))
    client.post(change_url(drill), {**form, "title": "Newer title", "steps-0-text": "Newer"})
    old_version = first_version(drill)
    recover_url = f"{RECOVER_LIST}{old_version.pk}/"

    response = client.post(recover_url, admin_form_data(client.get(recover_url)), follow=True)

    drill.refresh_from_db()
    assert "has not been deleted" in response.content.decode()
    assert drill.title == "Newer title"
    assert list(drill.steps.values_list("text", flat=True)) == ["Newer"]


def test_a_deleted_drill_is_listed_and_recovered_with_its_steps_and_cues(client, editor):
    drill = make_drill(title="Lost drill", steps=["Stand on the box.", "Pull the heel up."], cues=["Hips level"])
    make_drill(title="Bystander")
    client.force_login(editor)
    save_in_admin(client, drill)
    delete_in_admin(client, drill)
    page = client.get(RECOVER_LIST).content.decode()
    (version_id,) = [v.pk for v in Version.objects.get_for_model(Drill) if f"{RECOVER_LIST}{v.pk}/" in page]

    recover_url = f"{RECOVER_LIST}{version_id}/"
    response = client.post(recover_url, admin_form_data(client.get(recover_url)))

    assert response.status_code == 302
    recovered = Drill.objects.get(pk=drill.pk)
    assert recovered.title == "Lost drill"
    assert list(recovered.steps.values_list("text", flat=True)) == ["Stand on the box.", "Pull the heel up."]
    assert list(recovered.cues.values_list("text", flat=True)) == ["Hips level"]
