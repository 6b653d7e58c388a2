"""The admin as a new editor finds it: forms usable on a phone, a media list that reads at a
glance, media pickers that show what they pick."""

import pytest

from drills.models import DrillMedia
from tests.factories import make_article, make_drill, make_media, make_program
from tests.helpers.pages import change_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = (
    "The pull: the back foot comes quickly up toward the hip, ready for the next step, "
    "seen from the side on a track at dawn with the support leg straight"
)


def signed_in_page(page, live_server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")
    return page


@pytest.fixture
def phone(page, live_server, editor):
    return signed_in_page(page, live_server, 390, 844)


@pytest.fixture
def wide(page, live_server, editor):
    return signed_in_page(page, live_server, 1280, 900)


def off_screen(page):
    """Visible elements reaching past the right edge of the window, as "tag#id.class" strings."""
    return page.evaluate(
        """Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`)"""
    )


def assert_fits_the_phone(page, *inline_fields):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert off_screen(page) == []
    for selector in inline_fields:
        field = page.locator(selector)
        assert field.is_visible(), selector
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    page.locator("input[name=_save]").scroll_into_view_if_needed()
    assert page.locator("input[name=_save]").is_visible()


def test_the_drill_form_stacks_its_inlines_on_a_390_px_phone(live_server, phone):
    drill = make_drill(title="Heel pull on the box", steps=["Stand on the box. " * 8], cues=["Hips level"])
    DrillMedia.objects.create(drill=drill, media=make_media(title=LONG_TITLE), position=1)

    phone.goto(live_server.url + change_url(drill))

    assert_fits_the_phone(phone, "#id_steps-0-text", "#id_steps-0-position", "#id_cues-0-kind", "#id_cues-0-text",
                          "#media_links-0 .select2-container")
    # One field per line, each under its column's heading.
    text, kind = phone.locator("#id_cues-0-text").bounding_box(), phone.locator("#id_cues-0-kind").bounding_box()
    assert text["y"] >= kind["y"] + kind["height"]
    assert phone.locator("#cues-0 td.field-text").get_attribute("data-label") == "Text"
    assert phone.console_errors == []


def test_the_program_form_stacks_its_items_on_a_390_px_phone(live_server, phone):
    program = make_program(drills=[make_drill(title="Heel pull on the box"), make_drill(title="Heel pull lying")])

    phone.goto(live_server.url + change_url(program))

    assert_fits_the_phone(phone, "#id_items-0-rest_seconds", "#id_items-0-prescription_note", "#id_items-1-per_side")
    assert phone.console_errors == []


def test_the_article_form_stacks_its_sources_on_a_390_px_phone(live_server, phone):
    article = make_article(sources=[{"title": "How to Run", "author": "Nicholas Romanov",
                                     "url": "https://example.com/how-to-run/with/a/rather/long/address"}])

    phone.goto(live_server.url + change_url(article))

    assert_fits_the_phone(phone, "#id_sources-0-title", "#id_sources-0-url", "#id_body")
    assert phone.console_errors == []


def test_the_media_form_fits_a_390_px_phone(live_server, phone):
    media = make_media(title=LONG_TITLE)

    phone.goto(live_server.url + change_url(media))
    for summary in phone.locator("details summary").all():  # open "Details": the file's hash and id
        summary.click()

    assert_fits_the_phone(phone, "#id_title", "#id_alt_text")
    assert phone.console_errors == []


def test_media_list_rows_are_at_most_two_lines_high_at_1280_px(live_server, wide):
    make_media(title=LONG_TITLE)
    make_media(title="Heel pull on your back", kind="video")
    make_media(title="Count to ten", kind="audio")

    wide.goto(f"{live_server.url}/admin/drills/cuemedia/")

    assert wide.evaluate("document.documentElement.scrollWidth") <= 1280
    rows = wide.evaluate(
        """Array.from(document.querySelectorAll('#result_list tbody tr')).map(row => {
            const title = row.querySelector('.runcms-media-title');
            const line = parseFloat(getComputedStyle(title).lineHeight);
            const box = getComputedStyle(row.querySelector('.field-title_column'));
            const frame = ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth']
                .reduce((sum, side) => sum + parseFloat(box[side]), 0);
            const text = name => {
                const range = document.createRange();
                range.selectNodeContents(row.querySelector('.field-' + name));
                return range.getClientRects().length;
            };
            return {line, frame, title: title.getBoundingClientRect().height, row: row.getBoundingClientRect().height,
                    size: text('file_size'), pixels: text('dimensions'),
                    fullTitle: title.title};
        })"""
    )
    assert len(rows) == 3
    for row in rows:
        assert row["title"] <= 2 * row["line"] + 1
        assert row["size"] == 1 and row["pixels"] == 1  # "1600 × 1000" and "22.0 KB" never break
        assert row["row"] <= 2 * row["line"] + row["frame"] + 1  # the thumbnail and times included
    assert LONG_TITLE in [row["fullTitle"] for row in rows]


def test_the_media_list_reads_on_a_390_px_phone(live_server, phone):
    make_media(title=LONG_TITLE)

    phone.goto(f"{live_server.url}/admin/drills/cuemedia/")

    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert off_screen(phone) == []
    assert phone.locator("#result_list .field-file_size").first.is_visible()
    assert phone.locator("#result_list .runcms-media-title").first.is_visible()


def test_the_media_picker_shows_a_thumbnail_and_the_whole_title(live_server, wide):
    long_titled = make_media(title=LONG_TITLE)
    make_media(title="Count to ten", kind="audio")
    drill = make_drill(title="Heel pull on the box")
    DrillMedia.objects.create(drill=drill, media=long_titled, position=1)
    thumbnail = next(r for r in long_titled.renditions.all() if r.name == "thumb" and r.format == "webp")

    wide.goto(live_server.url + change_url(drill))

    chosen = wide.locator("#media_links-0 .select2-selection__rendered")
    assert chosen.locator(".runcms-pick-title").inner_text() == LONG_TITLE
    picture = chosen.locator("img.runcms-pick-thumb")
    assert picture.get_attribute("src") == thumbnail.file.url
    wide.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())

    chosen.click()
    result = wide.locator(".select2-results__option", has_text="seen from the side")
    result.wait_for()
    assert result.locator(".runcms-pick-title").inner_text() == LONG_TITLE
    assert result.locator("img.runcms-pick-thumb").get_attribute("src") == thumbnail.file.url
    assert wide.console_errors == []
