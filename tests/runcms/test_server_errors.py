"""A failure answers in the format of the address: JSON under /api/, the site's page elsewhere.

An unexpected failure is a 500; a database that cannot be reached is a 503 with Retry-After.
"""

import pytest
from django.db import connection
from django.test import Client

from tests.helpers.database import database_gone, query_bug

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)  # as a real server: the 500 handler answers


def test_an_api_server_error_is_json_with_a_detail(visitor):
    with connection.execute_wrapper(query_bug):
        response = visitor.get("/api/v1/drills/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Something went wrong on our side.")
    assert "secret_column" not in response.content.decode()


def test_a_page_server_error_is_the_sites_own_error_page(visitor):
    with connection.execute_wrapper(query_bug):
        response = visitor.get("/drills/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong" in response.content.decode()
    assert "secret_column" not in response.content.decode()


def test_the_api_without_its_database_answers_503_with_retry_after(visitor):
    with connection.execute_wrapper(database_gone):
        response = visitor.get("/api/v1/drills/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json()["detail"].startswith("The service cannot reach its database")
    assert "server closed" not in response.content.decode()


def test_a_page_without_its_database_says_the_site_is_unavailable_for_a_moment(visitor):
    with connection.execute_wrapper(database_gone):
        response = visitor.get("/drills/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "unavailable for a moment" in response.content.decode()
    assert "server closed" not in response.content.decode()
