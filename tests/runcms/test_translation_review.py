"""Translations go through history and review like any change: History names the language edited,
a restore brings every language back, and a submitted translation says its language in the queue."""

import pytest
from reversion.models import Version

from drills.models import Drill
from runcms.publishing import Status
from runcms.review import Review
from tests.admin_forms import admin_form_data
from tests.factories import make_drill
from tests.helpers.pages import version_url

pytestmark = pytest.mark.django_db


def url(drill, view="change"):
    return f"/admin/drills/drill/{drill.pk}/{view}/"


def save_in_admin(client, drill, **changes):
    response = client.post(url(drill), {**admin_form_data(client.get(url(drill))), **changes})
    assert response.status_code == 302, response.content
    return Drill.objects.get(pk=drill.pk)


def test_history_names_the_language_of_a_translation_edit(client, editor, languages):
    drill = make_drill(title="Heel pull")
    client.force_login(editor)

    save_in_admin(client, drill, title_de="Fersenzug")

    latest = Version.objects.get_for_object(drill).select_related("revision").first()
    assert "Title [de]" in latest.revision.comment
    assert "Title [de]" in client.get(url(drill, "history")).content.decode()


def test_restoring_a_version_brings_back_its_german_text(client, editor, languages):
    drill = make_drill(title="Heel pull", steps=["Lie down."], status=Status.DRAFT)  # a live one would keep a draft
    client.force_login(editor)
    drill = save_in_admin(client, drill, title_de="Fersenzug", **{"steps-0-text_de": "Leg dich hin."})
    first = Version.objects.get_for_object(drill).first()
    drill = save_in_admin(client, drill, title_de="Fersenzug neu", **{"steps-0-text_de": "Hinlegen."})

    page = client.get(version_url(drill, first))
    client.post(version_url(drill, first), admin_form_data(page))

    drill = Drill.objects.get(pk=drill.pk)
    assert (drill.title_de, drill.steps.get().text_de) == ("Fersenzug", "Leg dich hin.")


def test_a_contributors_translation_goes_to_review_saying_its_language(
    client, contributor, publisher, languages, django_capture_on_commit_callbacks
):
    drill = make_drill(status=Status.DRAFT, title="Heel pull")
    client.force_login(contributor)
    save_in_admin(client, drill, summary="Pull the heel to the hip.")
    client.post(url(drill, "submit"), {"message": "First version"})
    client.force_login(publisher)
    client.post(url(drill, "review"), {"decision": "changes", "comment": "Add German, please."})
    client.force_login(contributor)
    drill = save_in_admin(client, drill, title_de="Fersenzug")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(drill, "submit"), {"message": "German added"})

    assert Review.objects.awaiting().get().languages == "de"
    client.force_login(publisher)
    assert "text changed in German" in client.get("/admin/").content.decode()
    assert "Text changed in: German." in client.get(url(drill, "review")).content.decode()
    assert Drill.objects.get(pk=drill.pk).status == Status.DRAFT  # nothing goes live before approval
