"""Two editors in two browsers: whoever saves from a page opened before the other's save is
refused, on the restore form, the media form and the author form alike (rule 3)."""

import pytest
import reversion

from articles.models import Author
from drills.models import CueMedia, Drill
from runcms.publishing import Status
from tests.factories import make_author, make_drill, upload_media
from tests.helpers.pages import change_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sign_in(browser, live_server, editor, second_editor):
    """A new browser (its own cookies) signed in as `username`."""
    contexts = []

    def open_browser(username):
        context = browser.new_context()
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "correct horse battery")
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")
        return page

    yield open_browser
    for context in contexts:
        context.close()


def test_restoring_an_old_version_after_anothers_save_is_refused_and_can_be_reopened(live_server, sign_in):
    with reversion.create_revision():
        # Unpublished: a live drill's saves and restores are kept as its draft change.
        drill = make_drill(title="Heel pull", summary="Pull the heel to the hip.", status=Status.DRAFT)
    with reversion.create_revision():
        drill.title = "Heel pull, standing"
        drill.save()
    restoring, other = sign_in("editor"), sign_in("coach")
    restoring.goto(f"{live_server.url}/admin/drills/drill/{drill.pk}/history/")
    restoring.click("#change-history tbody tr:first-child a")  # the oldest version
    assert restoring.input_value("#id_title") == "Heel pull"
    other.goto(f"{live_server.url}{change_url(drill)}")
    other.fill("#id_summary", "Stand tall, then pull the heel to the hip.")
    other.click("input[name=_save]")
    other.wait_for_selector(".messagelist .success")

    restoring.click("input[name=_save]")

    error = restoring.locator("ul.errorlist.nonfield")
    assert "coach saved this drill at" in error.inner_text()
    assert "It has not been restored" in error.inner_text()
    drill.refresh_from_db()
    assert (drill.title, drill.summary) == ("Heel pull, standing", "Stand tall, then pull the heel to the hip.")

    restoring.click("text=open this older version again")
    restoring.click("input[name=_save]")

    restoring.wait_for_selector(".messagelist .success")
    drill = Drill.objects.get(pk=drill.pk)
    assert (drill.title, drill.summary) == ("Heel pull", "Pull the heel to the hip.")


def test_a_stale_caption_save_does_not_revert_anothers_alt_text(live_server, sign_in):
    media = upload_media(alt_text="Runner face down", caption="")
    url = f"{live_server.url}{change_url(media)}"
    first, second = sign_in("editor"), sign_in("coach")
    first.goto(url)
    second.goto(url)
    first.fill("#id_alt_text", "Runner lying face down pulling one heel to the hip")
    first.click("input[name=_save]")
    first.wait_for_selector(".messagelist .success")

    second.fill("#id_caption", "The heel pull, lying")
    second.click("input[name=_save]")

    assert "editor saved this cue media at" in second.locator("ul.errorlist.nonfield").inner_text()
    assert second.input_value("#id_caption") == "The heel pull, lying"  # still there to copy
    media = CueMedia.objects.get(pk=media.pk)
    assert (media.alt_text, media.caption) == ("Runner lying face down pulling one heel to the hip", "")


def test_a_stale_author_save_does_not_revert_anothers_bio(live_server, sign_in):
    author = make_author(name="Sam Coach", bio="Coach.")
    url = f"{live_server.url}{change_url(author)}"
    first, second = sign_in("editor"), sign_in("coach")
    first.goto(url)
    second.goto(url)
    first.fill("#id_bio", "Running coach for twenty years.")
    first.click("input[name=_save]")
    first.wait_for_selector(".messagelist .success")

    second.fill("#id_name", "Sam the Coach")
    second.click("input[name=_save]")

    assert "editor saved this author at" in second.locator("ul.errorlist.nonfield").inner_text()
    author = Author.objects.get(pk=author.pk)
    assert (author.name, author.bio) == ("Sam Coach", "Running coach for twenty years.")
