"""An unexpected failure answers 500 in the format of the address: JSON under /api/, the site's page elsewhere."""

import pytest
from django.db import connection
from django.test import Client

from tests.helpers.database import database_gone

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)  # as a real server: the 500 handler answers


def test_an_api_server_error_is_json_with_a_detail(visitor):
    with connection.execute_wrapper(database_gone):
        response = visitor.get("/api/v1/drills/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Something went wrong on our side.")
    assert "server closed" not in response.content.decode()


def test_a_page_server_error_is_the_sites_own_error_page(visitor):
    with connection.execute_wrapper(database_gone):
        response = visitor.get("/drills/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "server closed" not in response.content.decode()
