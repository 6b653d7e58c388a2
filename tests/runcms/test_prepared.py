"""Prepared queries: compiled once, then run with other values, they answer as the ORM would."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import DateTimeField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drills.models import Drill
from runcms.prepared import PreparedQuery
from runcms.publishing import Status
from tests.factories import make_drill

pytestmark = pytest.mark.django_db


def published_titles_with_slug():
    def build(now, slug):
        queryset = Drill.objects.published().filter(slug=slug).values_list("title")
        return queryset.query.sql_with_params()

    return PreparedQuery(build, now=DateTimeField(), slug=Drill._meta.get_field("slug"))


def test_each_run_takes_the_new_values():
    now = timezone.now()
    make_drill(title="Heel pull", slug="heel-pull")
    make_drill(title="Box step", slug="box-step")
    query = published_titles_with_slug()

    assert query.fetchall(now=now, slug="heel-pull") == [("Heel pull",)]
    assert query.fetchall(now=now, slug="box-step") == [("Box step",)]
    assert query.fetchall(now=now, slug="nothing-here") == []


def test_now_decides_what_published_lets_through():
    now = timezone.now()
    make_drill(title="Later", slug="later", publish_at=now + timedelta(hours=1))
    query = published_titles_with_slug()

    assert query.fetchall(now=now, slug="later") == []
    assert query.fetchall(now=now + timedelta(hours=2), slug="later") == [("Later",)]
    assert Drill.objects.published().filter(slug="later").exists() is False  # the ORM agrees, now


def test_the_same_answers_as_the_orm_for_drafts_and_expired_items():
    now = timezone.now()
    make_drill(slug="draft", status=Status.DRAFT)
    make_drill(slug="gone", publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1))
    query = published_titles_with_slug()

    for slug in ("draft", "gone"):
        assert query.fetchall(now=now, slug=slug) == list(
            Drill.objects.published().filter(slug=slug).values_list("title")
        )


def test_it_is_compiled_once():
    make_drill(slug="heel-pull")
    query = published_titles_with_slug()
    query.fetchall(now=timezone.now(), slug="heel-pull")

    with CaptureQueriesContext(connection) as captured:
        query.fetchall(now=timezone.now(), slug="heel-pull")

    assert len(captured.captured_queries) == 1
    assert query.build is None  # what it was built from is let go


def test_a_value_that_changes_the_sql_itself_is_refused():
    def build(now, slug):
        field = "slug" if slug.endswith("a") else "title"  # the value picks the column: not a parameter
        return Drill.objects.filter(**{field: slug}).values_list("title").query.sql_with_params()

    query = PreparedQuery(build, now=DateTimeField(), slug=Drill._meta.get_field("slug"))

    with pytest.raises(ValueError, match="changes the SQL itself"):
        query.fetchall(now=timezone.now(), slug="heel-pull")
