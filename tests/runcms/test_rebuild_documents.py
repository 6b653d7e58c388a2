"""`manage.py rebuild_documents` and the system check that says when it is needed."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command

from runcms import changelog, documents
from runcms.models import Document
from runcms.publishing import Status
from tests.factories import make_article, make_drill, make_program

pytestmark = pytest.mark.django_db


def stored():
    return set(Document.objects.values_list("collection", "object_id"))


def unpublished_drill_with_a_document():
    """A drill whose document was stored while it was public; it is a draft again now."""
    drill = make_drill()
    documents.render("drills", [drill.pk])
    drill.status = Status.DRAFT
    drill.save()
    return drill


def check_output(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("check", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_rebuild_renders_every_visible_object_and_drops_the_documents_of_the_others():
    drill = make_drill(title="Heel pull")
    program = make_program(drills=[drill])
    article = make_article()
    draft = make_drill(status=Status.DRAFT)
    gone = unpublished_drill_with_a_document()
    out = io.StringIO()

    call_command("rebuild_documents", stdout=out)

    assert stored() == {("drills", drill.pk), ("programs", program.pk), ("articles", article.pk)}
    assert ("drills", draft.pk) not in stored() and ("drills", gone.pk) not in stored()
    assert json.loads(Document.objects.get(object_id=drill.pk).detail)["title"] == "Heel pull"
    for name in ("drills", "programs", "articles"):
        assert documents.valid(name).count() == 1  # served as stored, not rendered again
    assert "Rendered 3 published document(s)." in out.getvalue()


def test_collection_limits_the_rebuild_to_the_named_collections():
    drill = make_drill()
    program = make_program(drills=[drill])
    make_article()

    call_command("rebuild_documents", "--collection", "drills", "--collection", "programs", stdout=io.StringIO())

    assert stored() == {("drills", drill.pk), ("programs", program.pk)}


def test_an_unknown_collection_is_refused_with_the_valid_names_and_nothing_changes():
    gone = unpublished_drill_with_a_document()
    make_drill()

    with pytest.raises(CommandError) as refused:
        call_command("rebuild_documents", "--collection", "drills", "--collection", "recipes")

    assert "Unknown collection recipes" in str(refused.value)
    for collection in changelog.collections():
        assert collection.name in str(refused.value)
    assert stored() == {("drills", gone.pk)}


def test_the_database_check_warns_about_documents_of_older_serializers_until_they_are_rebuilt():
    drill = make_drill()
    make_drill()
    call_command("rebuild_documents", stdout=io.StringIO())
    assert "runcms.W001" not in check_output("--database", "default")

    older = hashlib.sha256(b"the serializers of the last release").hexdigest()
    Document.objects.filter(object_id=drill.pk).update(shape=older)

    warned = check_output("--database", "default")
    assert "runcms.W001" in warned
    assert "1 published documents were rendered by an older version of the API serializers" in warned
    assert "manage.py rebuild_documents" in warned
    assert "runcms.W001" not in check_output()  # a plain check does not read the database

    call_command("rebuild_documents", stdout=io.StringIO())

    assert "runcms.W001" not in check_output("--database", "default")
