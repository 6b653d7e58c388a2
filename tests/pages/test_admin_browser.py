import pytest

from drills.models import Drill
from tests.factories import make_category
from tests.helpers.pages import change_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_creates_a_drill_with_steps_and_a_cue_publishes_it_and_finds_it(live_server, page, editor):
    make_category(name="Pull", slug="pull")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/drills/drill/add/")
    page.locator("#id_title").press_sequentially("Heel pull on the box")
    assert page.input_value("#id_slug") == "heel-pull-on-the-box"  # prepopulated as the title is typed
    page.fill("#id_summary", "Stand on a box with a band on the ankle and pull the heel to the hip.")
    page.click("#id_category + .select2 .select2-selection")  # the autocomplete widget
    page.fill(".select2-search__field", "Pul")
    page.click(".select2-results__option:has-text('Pull')")
    page.fill("#id_reps", "10")
    page.check("#id_per_side")
    page.fill("#id_steps-0-text", "Stand on the box, band tied to the ankle.")
    page.click("#steps-group .add-row a")
    page.fill("#id_steps-1-text", "Pull the heel up toward the hip.")
    page.fill("#id_cues-0-text", "Keep your hips and back level")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Heel pull on the box" in rows.first.inner_text()
    assert "Live" in rows.first.inner_text()
    drill = Drill.objects.published().get(slug="heel-pull-on-the-box")
    assert list(drill.steps.values_list("text", flat=True)) == [
        "Stand on the box, band tied to the ankle.",
        "Pull the heel up toward the hip.",
    ]
    assert list(drill.cues.values_list("text", flat=True)) == ["Keep your hips and back level"]
    assert page.console_errors == []


def test_an_old_slug_stays_with_its_drill_until_the_editor_releases_it(live_server, page, editor):
    from tests.factories import make_article, make_drill

    drill = make_drill(slug="heel-pull", title="Heel pull on the box")
    article = make_article(slug="the-pull", body="Why the pull.\n\n[[drill:heel-pull]]\n")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}{change_url(drill)}")
    page.fill("#id_slug", "heel-pull-on-the-box")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.click("a.publish-draft")  # the drill is live: the rename is its draft change until published
    page.click("#publish-draft-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")

    def add_drill_at_the_old_slug():
        page.goto(f"{live_server.url}/admin/drills/drill/add/")
        page.fill("#id_slug", "heel-pull")  # typed first: the title then leaves it alone
        page.fill("#id_title", "Heel pull, standing")
        assert page.input_value("#id_slug") == "heel-pull"
        page.fill("#id_summary", "Stand and pull the heel to the hip.")
        page.click("#id_category + .select2 .select2-selection")
        page.fill(".select2-dropdown .select2-search__field", drill.category.name)
        page.click(f".select2-results__option:has-text('{drill.category.name}')")
        page.select_option("#id_status", "published")
        page.click("input[name=_save]")

    add_drill_at_the_old_slug()
    error = page.locator(".field-slug .errorlist").inner_text()
    assert "Heel pull on the box" in error
    page.goto(f"{live_server.url}/drills/heel-pull/")
    assert page.locator("h1").inner_text() == "Heel pull on the box"  # the old address still leads there

    page.goto(f"{live_server.url}{change_url(drill)}")
    row = page.locator("#runcms-oldslug-content_type-object_id-group tr.has_original", has_text="heel-pull")
    row.locator("td.delete input[type=checkbox]").check()
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    add_drill_at_the_old_slug()
    page.wait_for_selector(".messagelist .success")

    # A new address: the browser keeps the earlier redirect for the minute pages may be cached.
    page.goto(f"{live_server.url}/drills/heel-pull/?after=release")
    assert page.locator("h1").inner_text() == "Heel pull, standing"
    page.goto(f"{live_server.url}/articles/{article.slug}/")
    assert "Heel pull on the box" in page.content()  # the drill it embedded, not the newcomer
    assert "Heel pull, standing" not in page.content()
    assert page.console_errors == []
