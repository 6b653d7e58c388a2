import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


def log_in(client, username, password):
    """Through the admin's login form, as a person does (the lockout backend needs the request)."""
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
def test_quickstart_creates_an_admin_login_that_works_and_prints_it(client, capsys):
    call_command("quickstart")

    output = capsys.readouterr().out
    password = output.split("Password: ")[1].split()[0]
    assert log_in(client, "admin", password)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_quickstart_run_twice_keeps_one_admin_and_says_the_password_is_unchanged(capsys):
    call_command("quickstart")
    capsys.readouterr()

    call_command("quickstart")

    assert get_user_model().objects.filter(username="admin").count() == 1
    assert "unchanged" in capsys.readouterr().out


@pytest.mark.django_db
def test_quickstart_takes_the_login_from_the_environment(client, monkeypatch, capsys):
    monkeypatch.setenv("RUNCMS_ADMIN_USER", "coach")
    monkeypatch.setenv("RUNCMS_ADMIN_PASSWORD", "a long chosen passphrase")

    call_command("quickstart")

    assert log_in(client, "coach", "a long chosen passphrase")
