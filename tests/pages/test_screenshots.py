"""The README's screenshots, taken from the demo content.

Skipped unless RUNCMS_SCREENSHOTS=1, so the suite never rewrites files in the
repository. To refresh them:

    RUNCMS_SCREENSHOTS=1 python -m pytest tests/pages/test_screenshots.py
"""

import io
import os

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.demo.content import ARTICLE, DRILLS
from drills.models import Drill
from tests.helpers.pages import change_url

SCREENSHOTS = settings.BASE_DIR / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.environ.get("RUNCMS_SCREENSHOTS") != "1", reason="set RUNCMS_SCREENSHOTS=1 to refresh"),
]


def test_readme_screenshots_of_the_admin_and_the_article_page(live_server, page, editor):
    call_command("demo", stdout=io.StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 860})

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    drill = Drill.objects.get(slug=DRILLS[0]["slug"])
    page.goto(f"{live_server.url}{change_url(drill)}")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=SCREENSHOTS / "admin.png")

    page.goto(f"{live_server.url}/articles/{ARTICLE['slug']}/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=SCREENSHOTS / "article.png")

    assert (SCREENSHOTS / "admin.png").stat().st_size > 10_000
    assert (SCREENSHOTS / "article.png").stat().st_size > 10_000
    assert page.console_errors == []
