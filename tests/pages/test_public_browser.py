import pytest

from tests.helpers.site import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_goes_from_home_to_an_article_and_follows_its_drill_card(live_server, page):
    build_site()
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"

    page.click("text=The pull: bring the foot back under the hip")
    page.wait_for_url("**/articles/the-pull/")
    card = page.locator(".prose article.card")
    thumbnail = card.locator("picture img")
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    # The site's own stylesheet applied: the CSP let it through.
    assert card.evaluate("card => getComputedStyle(card).borderTopLeftRadius") == "8px"
    card.get_by_role("link", name="Heel pull on the box").click()

    page.wait_for_url("**/drills/heel-pull-on-box/")
    assert page.locator("h1").inner_text() == "Heel pull on the box"
    assert page.locator(".steps li").count() == 2
    assert page.console_errors == []


def test_a_reader_sees_an_editors_save_at_once_not_a_cached_page(live_server, page):
    site = build_site()
    page.goto(f"{live_server.url}/articles/the-pull/")
    assert page.locator("h1").inner_text() == "The pull: bring the foot back under the hip"
    page.goto(f"{live_server.url}/")

    site.article.title = "The pull, revised"
    site.article.save()
    # A link followed: the browser may use its cache, but must revalidate the page first.
    page.get_by_role("link", name="The pull: bring the foot back under the hip").first.click()
    page.wait_for_url("**/articles/the-pull/")

    assert page.locator("h1").inner_text() == "The pull, revised"
