import shutil

import pytest

from tests.helpers.site import build_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Every test writes media to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
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
