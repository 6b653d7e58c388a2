import pytest
from django.contrib.auth import get_user_model
from reversion.models import Version

from drills.models import Drill
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import make_drill
from tests.helpers.pages import admin_url, change_url

pytestmark = pytest.mark.django_db


def open_form(client, user, drill):
    client.force_login(user)
    return admin_form_data(client.get(change_url(drill)))


def test_second_editor_saving_a_stale_form_is_refused_and_keeps_their_input(client, editor, second_editor):
    drill = make_drill(
        title="Heel to hip", steps=["Lie face down."], cues=["Keep your hips level"], status=Status.DRAFT
    )
    first_form = open_form(client, editor, drill)
    second_form = open_form(client, second_editor, drill)
    client.force_login(editor)
    client.post(change_url(drill), {**first_form, "title": "Heel to hip, lying"})

    client.force_login(second_editor)
    response = client.post(change_url(drill), {**second_form, "title": "My competing title"})

    drill.refresh_from_db()
    assert drill.title == "Heel to hip, lying"
    assert response.status_code == 200
    page = response.content.decode()
    assert "editor saved this drill at" in page
    assert "nothing of theirs was overwritten" in page
    assert 'value="My competing title"' in page


def test_saving_an_up_to_date_form_succeeds_and_records_the_editor(client, editor):
    drill = make_drill(title="Old title", status=Status.DRAFT)
    form = open_form(client, editor, drill)

    response = client.post(change_url(drill), {**form, "title": "New title"})

    drill.refresh_from_db()
    assert response.status_code == 302
    assert (drill.title, drill.updated_by) == ("New title", editor)


def test_every_admin_save_is_a_revision(client, editor):
    drill = make_drill(status=Status.DRAFT)  # a live one keeps its edits as a draft change
    form = open_form(client, editor, drill)
    client.post(change_url(drill), {**form, "title": "Second"})
    form = open_form(client, editor, drill)
    client.post(change_url(drill), {**form, "title": "Third"})

    assert Version.objects.get_for_object(drill).count() == 2


def test_restoring_a_revision_brings_back_its_steps_and_cues(client, editor):
    drill = make_drill(steps=["Lie on your back.", "Pull one heel to the hip."], cues=["Keep your hips level"])
    form = open_form(client, editor, drill)
    client.post(change_url(drill), form)  # the first revision: two steps, one cue
    form = open_form(client, editor, drill)
    form["steps-0-DELETE"] = "on"
    form["steps-1-text"] = "Rewritten step"
    form["cues-0-text"] = "Rewritten cue"
    client.post(change_url(drill), form)
    first_version = Version.objects.get_for_object(drill).order_by("revision__date_created").first()

    revision_form = admin_form_data(client.get(f"/admin/drills/drill/{drill.pk}/history/{first_version.pk}/"))
    response = client.post(f"/admin/drills/drill/{drill.pk}/history/{first_version.pk}/", revision_form)

    assert response.status_code == 302
    assert list(drill.steps.values_list("text", flat=True)) == ["Lie on your back.", "Pull one heel to the hip."]
    assert list(drill.cues.values_list("text", flat=True)) == ["Keep your hips level"]


def test_a_deleted_drill_can_be_recovered_with_its_steps(client, editor):
    drill = make_drill(slug="lost-drill", steps=["Stand on the box."], cues=["Pull the heel up"])
    client.force_login(editor)
    client.post(change_url(drill), admin_form_data(client.get(change_url(drill))))
    client.post(admin_url(drill, "delete"), {"post": "yes"})
    assert not Drill.objects.filter(pk=drill.pk).exists()
    deleted = Version.objects.get_deleted(Drill).get()

    recover_url = f"/admin/drills/drill/recover/{deleted.pk}/"
    response = client.post(recover_url, admin_form_data(client.get(recover_url)))

    assert response.status_code == 302
    recovered = Drill.objects.get(pk=drill.pk)
    assert recovered.slug == "lost-drill"
    assert list(recovered.steps.values_list("text", flat=True)) == ["Stand on the box."]


def test_publish_action_publishes_and_records_a_revision(client, editor):
    drills = [make_drill(status=Status.DRAFT) for _ in range(2)]
    client.force_login(editor)

    client.post(
        "/admin/drills/drill/",
        {"action": "publish_now", "_selected_action": [str(d.pk) for d in drills]},
    )

    assert Drill.objects.published().count() == 2
    assert all(Version.objects.get_for_object(d).exists() for d in drills)


def test_schedule_in_the_wrong_order_is_refused_in_the_admin_with_a_clear_message(client, editor):
    drill = make_drill(status=Status.DRAFT)
    form = open_form(client, editor, drill)
    form.update({"publish_at_0": "2026-06-02", "publish_at_1": "12:00:00",
                 "unpublish_at_0": "2026-06-01", "unpublish_at_1": "12:00:00"})

    response = client.post(change_url(drill), form)

    drill.refresh_from_db()
    assert response.status_code == 200
    assert "The unpublish time must be after the publish time" in response.content.decode()
    assert drill.publish_at is None


def test_admin_is_for_staff_only(client):
    user = get_user_model().objects.create_user("reader", password="correct horse battery")
    client.force_login(user)

    response = client.get("/admin/drills/drill/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("category", "not-a-number"),
        ("equipment", "abc"),
        ("progressions", "not-a-uuid"),
        ("steps-0-media", "../../etc/passwd"),
    ],
)
def test_hostile_values_in_autocomplete_fields_are_a_form_error_not_a_500(client, editor, field, value):
    drill = make_drill(title="Unchanged", steps=["Lie down."])
    form = open_form(client, editor, drill)

    response = client.post(change_url(drill), {**form, "title": "Changed", field: value})

    drill.refresh_from_db()
    assert response.status_code == 200
    assert "Please correct the error" in response.content.decode()
    assert drill.title == "Unchanged"


def test_a_hostile_drill_in_a_program_item_is_a_form_error_not_a_500(client, editor):
    from tests.factories import make_program

    program = make_program(title="Unchanged", drills=[make_drill()])
    client.force_login(editor)
    url = change_url(program)
    form = admin_form_data(client.get(url))

    response = client.post(url, {**form, "title": "Changed", "items-0-drill": "not-a-uuid"})

    program.refresh_from_db()
    assert response.status_code == 200
    assert program.title == "Unchanged"


def test_publish_now_makes_scheduled_and_expired_drafts_live(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    scheduled = make_drill(status=Status.DRAFT, publish_at=timezone.now() + timedelta(days=2))
    expired = make_drill(status=Status.DRAFT, unpublish_at=timezone.now() - timedelta(days=2))
    client.force_login(editor)

    client.post(
        "/admin/drills/drill/",
        {"action": "publish_now", "_selected_action": [str(scheduled.pk), str(expired.pk)]},
    )

    assert set(Drill.objects.published()) == {scheduled, expired}


@pytest.mark.parametrize(
    "field, value", [("sets", "99999999"), ("rest_seconds", "40000"), ("steps-0-position", "70000")]
)
def test_absurd_numbers_are_refused_the_same_way_on_every_database(client, editor, field, value):
    drill = make_drill(title="Unchanged", steps=["Lie down."])
    form = open_form(client, editor, drill)

    response = client.post(change_url(drill), {**form, "title": "Changed", field: value})

    drill.refresh_from_db()
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to" in response.content.decode()
    assert drill.title == "Unchanged"


def test_recovering_a_drill_whose_address_is_taken_says_so(client, editor):
    drill = make_drill(slug="taken")
    client.force_login(editor)
    client.post(change_url(drill), admin_form_data(client.get(change_url(drill))))
    client.post(admin_url(drill, "delete"), {"post": "yes"})
    make_drill(slug="taken", title="The newcomer")
    deleted = Version.objects.get_deleted(Drill).get()

    response = client.get(f"/admin/drills/drill/recover/{deleted.pk}/", follow=True)

    assert "which “The newcomer” has now" in response.content.decode()
    assert Drill.objects.filter(slug="taken").count() == 1
