import pytest

from drills.models import DrillMedia
from tests.factories import make_drill, make_media

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_markdown_preview_shows_the_article_as_readers_will_see_it_while_typing(live_server, page, editor):
    drill = make_drill(slug="heel-pull", title="Heel pull on the box", reps=10, per_side=True)
    DrillMedia.objects.create(drill=drill, media=make_media())
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    page.fill("#id_title", "The pull")
    page.locator("#id_body").press_sequentially("## Why it matters\n\n[[drill:heel-pull]]\n\n[[drill:nowhere]]\n")

    preview = page.frame_locator(".markdown-editor__frame")
    preview.locator("h2#section-why-it-matters").wait_for()
    card = preview.locator("article.card")
    assert card.locator(".card__meta").inner_text() == "10 reps per side"
    image = card.locator("picture img").element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)
    assert preview.locator("h1").inner_text() == "The pull"
    assert page.locator(".markdown-editor__problems li").all_inner_texts() == [
        "Line 5: there is no drill at “nowhere”: check the slug in the drill's address"
    ]
    assert page.console_errors == []
