import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    def database_gone(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    # Django's own hook around every query: the view sees exactly what a lost database raises.
    with connection.execute_wrapper(database_gone):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert "server closed" not in response.content.decode()  # internal details stay in the log
