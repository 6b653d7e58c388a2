import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.helpers.scenes import copy_scene_media, shared_scene
from tests.helpers.site import build_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Every test writes media to its own temporary folder (with the files of a shared scene: tests.helpers.scenes)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    copy_scene_media(settings.MEDIA_ROOT)
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: install it with `apt-get install -y chromium` (see README).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.com", "correct horse battery")


@pytest.fixture
def second_editor(django_user_model):
    return django_user_model.objects.create_superuser("coach", "coach@example.com", "correct horse battery")


@pytest.fixture
def signed_in(client, editor):
    """The test client, signed in as the editor."""
    client.force_login(editor)
    return client


@pytest.fixture
def answers_from_documents(settings):
    """No whole API answer is kept (tests/api/test_kept_answers.py), so every read is of the published documents."""
    settings.RUNCMS_API_CACHE = False


def _redis_url_of_worker(url, worker):
    """CACHE_URL on the Redis database after its own by the xdist worker's number (gw0: its own, gw1: the next)."""
    base, mark, query = url.partition("?")
    server, _, database = base.rstrip("/").rpartition("/")
    if not database.isdigit() or "://" not in server:
        server, database = base.rstrip("/"), "0"
    return f"{server}/{int(database) + int(worker.removeprefix('gw'))}{mark}{query}"


@pytest.fixture(scope="session", autouse=True)
def redis_database_of_this_worker():
    """Each xdist worker on a Redis database of its own: every test empties its cache (`empty_cache`),
    and one worker's FLUSHDB must not empty what a test on the other is reading."""
    url, worker = os.environ.get("CACHE_URL", ""), os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url.startswith("redis://") or not worker.startswith("gw"):
        yield
        return
    from django.conf import settings as django_settings
    from django.test.utils import override_settings

    own = _redis_url_of_worker(url, worker)
    default = {**django_settings.CACHES["default"], "LOCATION": own}
    os.environ["CACHE_URL"] = own  # for what builds its settings afresh (tests/runcms/test_health.py)
    with override_settings(CACHES={**django_settings.CACHES, "default": default}):
        yield
    os.environ["CACHE_URL"] = url


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    from runcms.api.caching import guarded_cache, local_answers

    cache.clear()
    local_answers.clear()
    guarded_cache.retry_at = 0  # a test that took Redis away leaves the next one a working cache
    yield
    cache.clear()
    local_answers.clear()
    guarded_cache.retry_at = 0


@pytest.fixture
def site():
    """A small published site with every kind of content (tests.helpers.site), for page tests."""
    return build_site()


@shared_scene(scope="class")
def shared_site():
    """The same site built once for a class of tests (tests.helpers.site.OnTheSite)."""
    return build_site()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto's standalone S3 server (moto[server], requirements-dev.txt) on a free loopback port."""
    port = free_port()
    server = subprocess.Popen(
        [Path(sys.executable).parent / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # up to 10 s: the server imports every AWS service it emulates
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                break
            except OSError:
                try:
                    server.wait(timeout=0.05)  # waits a little, and notices a server that died
                    pytest.fail(f"moto_server exited with status {server.returncode}")
                except subprocess.TimeoutExpired:
                    pass
        else:
            pytest.fail("moto_server did not start listening within 10 seconds")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def bucket_storage(endpoint_url, bucket_name, **options):
    """STORAGES["default"] for media in a bucket of the S3 server, as settings.py makes it."""
    return {
        "BACKEND": "drills.media.bucket.MediaBucketStorage",
        "OPTIONS": {
            "bucket_name": bucket_name, "endpoint_url": endpoint_url, "region_name": "us-east-1",
            "access_key": "testing", "secret_key": "testing", "querystring_expire": 300, **options,
        },
    }


@pytest.fixture
def bucket(s3_server, settings):
    """Media stored in a new, empty bucket of the S3 server for this test."""
    import boto3

    client = boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    name = f"runcms-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(s3_server, name)}
    return Bucket(client, name)


class Bucket:
    def __init__(self, client, name):
        self.client, self.name = client, name

    def names(self):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

# The languages the `languages` fixture publishes: the default first.
LANGUAGES = [("en", "English"), ("de", "German"), ("zh-hans", "Simplified Chinese"), ("zh-hant", "Traditional Chinese")]


@pytest.fixture
def languages(settings):
    """English (the default), German and both Chinese scripts published; traditional falls back to simplified."""
    settings.LANGUAGES = LANGUAGES
    return [code for code, _ in LANGUAGES]

def _role_user(django_user_model, username, role):
    from django.contrib.auth.models import Group

    from tests.helpers.roles import ensure_roles

    ensure_roles()
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "correct horse battery",
                                                 is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def contributor(django_user_model):
    """A staff user in the Contributor group: writes drafts, never publishes."""
    return _role_user(django_user_model, "contributor", "Contributor")


@pytest.fixture
def publisher(django_user_model):
    return _role_user(django_user_model, "publisher", "Publisher")
