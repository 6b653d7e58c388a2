"""The admin fits a 1280 px wide screen: no page-wide horizontal scrolling, no hidden columns."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_article, make_drill, make_program
from tests.helpers.pages import change_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_STEP = "Lie face down with a band around the ankle and pull the heel toward the hip, slowly. " * 2


@pytest.fixture
def wide_page(page, live_server, editor):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")
    return page


def page_width(page):
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def inline_overflow(page):
    """Inline tables wider than the box under their header bar, as (id, table, box) widths."""
    return page.evaluate(
        """Array.from(document.querySelectorAll('.inline-group fieldset.module')).map(box => [
            box.closest('.inline-group').id, box.scrollWidth, box.clientWidth,
        ]).filter(([, table, box]) => table > box)"""
    )


def test_the_drill_change_form_fits_1280_px(live_server, wide_page, editor):
    drill = make_drill(title="Heel pull on the box", steps=[LONG_STEP, "Bend the knee."], cues=["Hips level"])

    wide_page.goto(f"{live_server.url}{change_url(drill)}")

    scroll_width, window_width = page_width(wide_page)
    assert scroll_width <= window_width
    assert inline_overflow(wide_page) == []


def test_the_program_and_article_change_forms_fit_1280_px(live_server, wide_page, editor):
    program = make_program(drills=[make_drill(title="Heel pull on the box")])
    article = make_article(sources=[{"title": "How to Run", "author": "Nicholas Romanov",
                                     "url": "https://example.com/how-to-run"}])

    for url in (change_url(program), change_url(article)):
        wide_page.goto(live_server.url + url)

        scroll_width, window_width = page_width(wide_page)
        assert scroll_width <= window_width, url
        assert inline_overflow(wide_page) == [], url


def test_every_drill_list_column_is_in_view_beside_the_filters_at_1280_px(live_server, wide_page, editor):
    now = timezone.now()
    for number in range(3):
        make_drill(title=f"Heel pull number {number}", difficulty="intermediate", updated_by=editor,
                   publish_at=now + timedelta(days=3), unpublish_at=now + timedelta(days=30))

    wide_page.goto(f"{live_server.url}/admin/drills/drill/")

    scroll_width, window_width = page_width(wide_page)
    assert scroll_width <= window_width
    results = wide_page.evaluate("(r => [r.scrollWidth, r.clientWidth])(document.querySelector('.results'))")
    assert results[0] <= results[1]  # nothing scrolled out of view behind the filter column
    headers = wide_page.locator("#result_list thead th").all_inner_texts()
    assert [h.strip().lower() for h in headers][-3:] == ["publish at", "unpublish at", "updated"]
    assert "by editor" in wide_page.locator("#result_list tbody tr").first.inner_text()
