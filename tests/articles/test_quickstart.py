"""`manage.py quickstart`: run once for the module (it migrates and builds the demo), then again by the tests
that need a second run; what each test changes is rolled back (tests.helpers.scenes)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.helpers.scenes import shared_scene

pytestmark = pytest.mark.django_db


def log_in(client, username, password):
    """Through the admin's login form, as a person does (the lockout backend needs the request)."""
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == "/admin/"


def quickstart():
    out = io.StringIO()
    call_command("quickstart", stdout=out)
    return out.getvalue()


@shared_scene()
def first_run():
    """What the first run of quickstart on an empty site printed."""
    return quickstart()


def test_quickstart_creates_an_admin_login_that_works_and_prints_it(client, first_run):
    password = first_run.split("Password: ")[1].split()[0]

    assert log_in(client, "admin", password)
    assert client.get("/admin/").status_code == 200


def test_quickstart_run_twice_keeps_one_admin_and_says_the_password_is_unchanged(first_run):
    output = quickstart()

    assert get_user_model().objects.filter(username="admin").count() == 1
    assert "unchanged" in output


def test_quickstart_takes_the_login_from_the_environment(client, monkeypatch, first_run):
    monkeypatch.setenv("RUNCMS_ADMIN_USER", "coach")
    monkeypatch.setenv("RUNCMS_ADMIN_PASSWORD", "a long chosen passphrase")

    quickstart()

    assert log_in(client, "coach", "a long chosen passphrase")
