import pytest

from tests.factories import make_drill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_list_every_endpoint_and_run_a_request_under_the_sites_strict_csp(live_server, page):
    make_drill(slug="heel-pull", title="Heel pull")

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector("text=/api/v1/drills/{slug}/")
    endpoints = page.locator(".opblock").count()
    page.locator("#operations-v1-v1_drills_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()

    assert endpoints == 13
    page.wait_for_selector("#operations-v1-v1_drills_list .live-responses-table .response-col_status")
    assert "heel-pull" in page.locator("#operations-v1-v1_drills_list .live-responses-table").inner_text()
    assert page.console_errors == []
