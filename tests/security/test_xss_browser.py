"""The XSS corpus in a real browser: no payload runs, even with the CSP switched off."""

import pytest

from articles.models import Source
from tests.factories import make_article, make_author, make_topic
from tests.security.xss_payloads import PAYLOADS, XSS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Text fields shown outside the Markdown body: in <title>, meta tags, JSON-LD, cards and lists.
PLAIN_TEXT_PAYLOAD = f'"></title></script><script>{XSS}</script><img src=x onerror="{XSS}">'

# Inline handlers run for dispatched events too, so firing these on every element
# would run any handler the sanitiser let through.
FIRE_EVENTS = """() => {
    for (const element of document.querySelectorAll("*")) {
        for (const type of ["mouseover", "mouseenter", "focus", "load", "error", "toggle", "animationstart"]) {
            element.dispatchEvent(new Event(type));
        }
    }
}"""
UNSAFE_ATTRIBUTES = """() => [...document.querySelectorAll("*")].flatMap(element =>
    [...element.attributes]
        .filter(a => a.name.startsWith("on") || /^\\s*(javascript|vbscript|data:text)/i.test(a.value))
        .map(a => `${element.tagName} ${a.name}=${a.value}`))"""


@pytest.fixture
def hostile_article():
    # All payloads in one article, each its own paragraph, so one page load checks them all.
    article = make_article(
        slug="hostile",
        title=PLAIN_TEXT_PAYLOAD,
        summary=PLAIN_TEXT_PAYLOAD,
        author=make_author(name=PLAIN_TEXT_PAYLOAD, bio=PLAIN_TEXT_PAYLOAD),
        topics=[make_topic(name=PLAIN_TEXT_PAYLOAD[:100])],
        body="\n\n".join(source for _, source in PAYLOADS),
    )
    # Stored without the admin's URL validation, as an import could.
    Source.objects.create(article=article, title=PLAIN_TEXT_PAYLOAD, author=PLAIN_TEXT_PAYLOAD,
                          url=f"javascript:{XSS}")
    return article


def test_no_payload_runs_with_the_csp_switched_off(live_server, browser, hostile_article):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in ["/articles/hostile/", "/", "/articles/", f"/topics/{hostile_article.topics.get().slug}/"]:
            page.goto(f"{live_server.url}{path}", wait_until="load")
            page.evaluate(FIRE_EVENTS)
            page.wait_for_timeout(50)

            assert page.evaluate("typeof window.__xss") == "undefined", path
            assert page.evaluate(UNSAFE_ATTRIBUTES) == [], path
        assert dialogs == []
    finally:
        context.close()


def test_the_csp_reports_nothing_trying_to_run_on_the_hostile_page(live_server, page, hostile_article):
    page.goto(f"{live_server.url}/articles/hostile/", wait_until="load")

    assert page.evaluate("typeof window.__xss") == "undefined"
    assert [error for error in page.console_errors if "Content Security Policy" in error] == []
