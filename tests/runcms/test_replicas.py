"""The read-replica router: a second connection alias ("replica", tests/settings.py) to the test database.

The tests commit (transaction=True), so the replica's connection sees the rows as a replica would.
"""

import contextvars
from contextlib import contextmanager

import pytest
from django.db import connections

from drills.models import Drill
from runcms.models import Document
from tests.factories import make_drill

pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture(autouse=True)
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["runcms.replicas.ReplicaRouter"]
    settings.RUNCMS_API_CACHE = False  # every request asks the database
    make_drill(slug="heel-pull", title="Heel pull")


@contextmanager
def queries():
    """[(alias, sql)] of every query on either connection, in the order they ran."""
    log = []

    def logged(alias):
        def wrapper(execute, sql, params, many, context):
            log.append((alias, sql))
            return execute(sql, params, many, context)

        return wrapper

    with connections["default"].execute_wrapper(logged("default")), connections["replica"].execute_wrapper(
        logged("replica")
    ):
        yield log


def aliases(log):
    return {alias for alias, _ in log}


def test_public_api_reads_only_from_the_replica(client):
    client.get("/api/v1/drills/")  # renders and stores the published documents, once

    with queries() as log:
        response = client.get("/api/v1/drills/")

    assert "heel-pull" in response.content.decode()
    assert aliases(log) == {"replica"}


def test_public_page_reads_only_from_the_replica(client):
    client.get("/drills/heel-pull/")

    with queries() as log:
        response = client.get("/drills/heel-pull/")

    assert response.status_code == 200
    assert aliases(log) == {"replica"}


def test_reads_after_a_write_in_the_same_request_come_from_the_primary(client):
    # No stored document (jobs render them once a change commits): the request renders and stores one.
    Drill.objects.filter(slug="heel-pull").update(title="Heel pull on your back")
    Document.objects.all().delete()

    with queries() as log:
        response = client.get("/api/v1/drills/heel-pull/")

    assert "Heel pull on your back" in response.content.decode()
    first_write = next(i for i, (_, sql) in enumerate(log) if sql.startswith(("INSERT", "UPDATE", "DELETE")))
    assert log[first_write][0] == "default"
    assert aliases(log[first_write:]) == {"default"}


def test_the_next_request_reads_from_the_replica_again(client):
    client.get("/api/v1/drills/heel-pull/")  # writes its document

    with queries() as log:
        client.get("/api/v1/drills/heel-pull/")

    assert aliases(log) == {"replica"}


def test_the_admin_reads_only_from_the_primary(client, editor):
    client.force_login(editor)

    with queries() as log:
        response = client.get("/admin/drills/drill/")

    assert "Heel pull" in response.content.decode()
    assert aliases(log) == {"default"}


def test_the_sync_reads_only_from_the_primary(client):
    with queries() as log:
        response = client.get("/api/v1/sync/")

    assert response.status_code == 200
    assert aliases(log) == {"default"}


def test_a_form_post_reads_only_from_the_primary(client, editor):
    client.force_login(editor)
    with queries() as log:
        client.post("/admin/logout/")

    assert aliases(log) == {"default"}


def test_outside_a_request_reads_move_to_the_primary_after_the_first_write():
    def command():
        with queries() as log:
            Drill.objects.count()
            make_drill(slug="box-heel-pull")
            Drill.objects.count()
        return log

    log = contextvars.Context().run(command)

    assert log[0][0] == "replica"
    assert log[-1][0] == "default"


def test_reads_inside_a_transaction_come_from_the_primary():
    from django.db import transaction

    def command():
        with queries() as log, transaction.atomic():
            Drill.objects.count()
        return log

    log = contextvars.Context().run(command)

    assert aliases(log) == {"default"}
