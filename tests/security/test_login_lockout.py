"""The admin login locks a username out for an address after too many wrong passwords (django-axes)."""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery"
LOCKED_OUT = "Too many failed logins"


def log_in(client, password, username="editor", **request):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **request)


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail_until_the_limit(client, **request):
    return [log_in(client, "wrong password", **request) for _ in range(django_settings.AXES_FAILURE_LIMIT)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_login_form_locks_out_after_the_limit_and_then_refuses_the_right_password_too(live_server, page, editor):
    def submit(password):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", password)
        page.click("input[type=submit]")

    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        submit("wrong password")
        assert "Please enter the correct username and password" in page.inner_text(".errornote")
    submit("wrong password")
    locked_out_page = page.inner_text("#content-main")
    submit(RIGHT)

    assert LOCKED_OUT in locked_out_page
    assert f"after {django_settings.AXES_FAILURE_LIMIT} wrong passwords" in locked_out_page
    assert "for 15 minutes" in locked_out_page
    assert LOCKED_OUT in page.inner_text("#content-main")
    page.goto(f"{live_server.url}/admin/")
    assert page.url.startswith(f"{live_server.url}/admin/login/")  # still not logged in
    # Chromium reports each 429 in the console; nothing else may fail on the page.
    assert [error for error in page.console_errors if "status of 429" not in error] == []


def test_the_lockout_answers_429_with_the_message(client, editor):
    responses = fail_until_the_limit(client)

    assert [r.status_code for r in responses[:-1]] == [200] * (len(responses) - 1)
    assert responses[-1].status_code == 429
    assert LOCKED_OUT in responses[-1].content.decode()


def test_the_limit_is_configurable(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2

    first, second = log_in(client, "wrong"), log_in(client, "wrong")

    assert (first.status_code, second.status_code) == (200, 429)


def test_the_lockout_lifts_after_the_cool_off(client, editor):
    fail_until_the_limit(client)

    with time_machine.travel(timezone.now() + django_settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        response = log_in(client, RIGHT)

    assert logged_in(response)


def test_an_administrator_unlocks_the_username_in_the_admin(client, editor, second_editor):
    fail_until_the_limit(client)
    assert log_in(client, RIGHT).status_code == 429
    administrator = type(client)()
    administrator.force_login(second_editor)

    changelist = administrator.get("/admin/axes/accessattempt/")
    attempt = AccessAttempt.objects.get(username="editor")
    administrator.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert "editor" in changelist.content.decode()
    assert logged_in(log_in(client, RIGHT))


def test_the_lockout_is_per_username_and_address(client, editor, second_editor):
    fail_until_the_limit(client, REMOTE_ADDR="203.0.113.7")

    assert log_in(client, RIGHT, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert logged_in(log_in(client, RIGHT, REMOTE_ADDR="198.51.100.20"))
    assert logged_in(log_in(client, RIGHT, username="coach", REMOTE_ADDR="203.0.113.7"))


def test_a_right_password_before_the_limit_starts_the_count_again(client, editor):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong password")
    assert logged_in(log_in(client, RIGHT))
    client.logout()

    responses = [log_in(client, "wrong password") for _ in range(django_settings.AXES_FAILURE_LIMIT - 1)]

    assert [r.status_code for r in responses] == [200] * (django_settings.AXES_FAILURE_LIMIT - 1)


def test_a_forged_x_forwarded_for_does_not_buy_fresh_attempts_without_proxies(client, editor, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    for number in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong password", headers={"x-forwarded-for": f"192.0.2.{number}"})

    response = log_in(client, RIGHT, headers={"x-forwarded-for": "192.0.2.200"})

    assert response.status_code == 429


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw(client, editor, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    fail_until_the_limit(client, headers={"x-forwarded-for": "203.0.113.7"})

    locked = log_in(client, RIGHT, headers={"x-forwarded-for": "203.0.113.7"})
    other_client = log_in(client, RIGHT, headers={"x-forwarded-for": "198.51.100.20"})

    assert locked.status_code == 429
    assert logged_in(other_client)
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_the_limit_and_the_cool_off_come_from_the_environment():
    environment = {
        **os.environ, "LOGIN_FAILURE_LIMIT": "8", "LOGIN_COOLOFF_MINUTES": "45",
        "DJANGO_SETTINGS_MODULE": "runcms.settings",
    }
    script = "import json, runcms.settings as s; print(json.dumps([s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.seconds]))"
    output = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout

    assert json.loads(output) == [8, 45 * 60]
