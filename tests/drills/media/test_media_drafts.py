"""Draft changes to media that live content shows: its text and focal point wait for a publisher."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Version

from drills.models import CueMedia, DrillMedia
from runcms import tasks
from runcms.drafts import DraftChange
from runcms.review import Review
from tests.admin_forms import admin_form_data
from tests.api.replica import delta_sync, full_sync
from tests.factories import image_bytes, make_drill, referenced_files, stored_files, upload, upload_media
from tests.helpers.pages import admin_url, post_admin_form

pytestmark = pytest.mark.django_db

OLD_ALT = "Runner lying face down pulling one heel to the hip"
NEW_ALT = "Runner on a mat pulling the left heel to the hip"


def live_media(media_root, slug="heel-pull"):
    """A picture with real renditions, shown by a live drill."""
    media = upload_media(image_bytes(size=(800, 600)), alt_text=OLD_ALT, caption="Old caption")
    drill = make_drill(title="Heel pull", slug=slug, steps=["Lie face down."])
    DrillMedia.objects.create(drill=drill, media=media, position=1)
    return media


def public(media):
    """What an anonymous reader and an app see of the media now: its API detail, the drill's, the drill page."""
    reader = Client()
    detail = reader.get(f"/api/v1/media/{media.pk}/").json()
    embedded = reader.get("/api/v1/drills/heel-pull/").json()["media"][0]
    return {
        "api": (detail["alt_text"], detail["caption"]),
        "drill_api": (embedded["alt_text"], embedded["caption"]),
        "focal": detail["focal_point"],
        "page": reader.get("/drills/heel-pull/").content.decode(),
    }


def renditions(media):
    return set(media.renditions.values_list("file", flat=True))


def test_a_contributors_text_edit_waits_for_a_publisher_then_shows_everywhere(
    client, contributor, publisher, media_root
):
    media = live_media(media_root)
    replica, token = full_sync(Client())
    client.force_login(contributor)

    response = post_admin_form(client, media, alt_text=NEW_ALT, caption="New caption")

    seen = public(media)
    token, pages = delta_sync(Client(), replica, token)
    assert response.status_code == 302
    assert seen["api"] == seen["drill_api"] == (OLD_ALT, "Old caption")
    assert OLD_ALT in seen["page"] and NEW_ALT not in seen["page"]
    assert replica["media"][str(media.pk)]["alt_text"] == OLD_ALT
    assert CueMedia.objects.get(pk=media.pk).alt_text == OLD_ALT
    assert admin_form_data(client.get(admin_url(media)))["alt_text"] == NEW_ALT  # the form holds the draft

    client.force_login(publisher)
    published = client.post(admin_url(media, "draft/publish"), {"decision": "publish"})

    seen = public(media)
    delta_sync(Client(), replica, token)
    assert published.status_code == 302
    assert seen["api"] == seen["drill_api"] == (NEW_ALT, "New caption")
    assert NEW_ALT in seen["page"]
    assert replica["media"][str(media.pk)]["alt_text"] == NEW_ALT
    assert not DraftChange.objects.exists()


def test_the_change_form_says_it_holds_a_draft_and_what_a_new_file_does(
    client, contributor, publisher, media_root
):
    media = live_media(media_root)
    client.force_login(contributor)
    post_admin_form(client, media, caption="New caption")

    contributors_form = client.get(admin_url(media)).content.decode()
    client.force_login(publisher)
    publishers_form = client.get(admin_url(media)).content.decode()

    assert "You are editing a draft of the live version" in contributors_form
    assert "only a publisher can replace its file" in contributors_form
    assert 'name="file"' not in contributors_form
    assert "A new file or poster goes live at once" in publishers_form
    assert 'class="publish-draft"' in publishers_form and 'class="publish-draft"' not in contributors_form


def test_compare_and_preview_show_the_draft_and_change_nothing(client, contributor, media_root):
    media = live_media(media_root)
    client.force_login(contributor)
    post_admin_form(client, media, alt_text=NEW_ALT)

    compared = client.get(admin_url(media, "draft/compare")).content.decode()
    page = client.get(admin_url(media)).content.decode()
    link = page.split('class="preview-draft"')[0].rsplit('href="', 1)[1].split('"')[0]
    previewed = Client().get(f"/api/v1/media/{media.pk}/?{urlsplit(link.replace('&amp;', '&')).query}")

    assert "Alt text" in compared and "the left heel" in compared and "File" not in compared
    assert previewed.json()["alt_text"] == NEW_ALT
    assert "no-store" in previewed["Cache-Control"]
    assert public(media)["api"][0] == OLD_ALT


def test_a_contributor_cannot_make_a_media_draft_live_by_any_path(client, contributor, media_root):
    media = live_media(media_root)
    client.force_login(contributor)
    post_admin_form(client, media, alt_text=NEW_ALT)
    form = admin_form_data(client.get(admin_url(media)))
    files = (media.file.name, media.poster.name)

    refused = [
        client.post(admin_url(media, "draft/publish"), {"decision": "publish"}).status_code,
        client.post(admin_url(media), {**form, "file": upload(image_bytes(size=(500, 400)), "b.png")}).status_code,
    ]
    crafted = client.post(admin_url(media), {**form, "status": "published", "alt_text": "Crafted"})
    client.post(admin_url(media, "submit"), {"message": "Please"})
    approved = client.post(admin_url(media, "review"), {"decision": "publish"})

    media.refresh_from_db()
    assert refused == [403, 403] and approved.status_code == 403
    assert crafted.status_code == 403
    assert (media.file.name, media.poster.name) == files
    assert public(media)["api"][0] == OLD_ALT
    assert Review.objects.get().decided_at is None


def test_submitting_a_media_draft_for_review_and_approving_it(client, contributor, publisher, media_root):
    media = live_media(media_root)
    client.force_login(contributor)
    post_admin_form(client, media, caption="New caption")

    client.post(admin_url(media, "submit"), {"message": "Better caption"})
    client.force_login(publisher)
    client.post(admin_url(media, "review"), {"decision": "publish", "comment": ""})

    assert Review.objects.get().outcome == "approved"
    assert public(media)["api"][1] == "New caption"


def test_discarding_a_media_draft_leaves_the_live_text(client, contributor, media_root):
    media = live_media(media_root)
    client.force_login(contributor)
    post_admin_form(client, media, alt_text=NEW_ALT)

    client.post(admin_url(media, "draft/discard"))

    assert admin_form_data(client.get(admin_url(media)))["alt_text"] == OLD_ALT
    assert not DraftChange.objects.exists()
    assert public(media)["api"][0] == OLD_ALT


def test_a_save_made_on_an_older_media_draft_is_refused(client, contributor, publisher, media_root):
    media = live_media(media_root)
    client.force_login(contributor)
    post_admin_form(client, media, caption="First draft")
    other = Client()
    other.force_login(publisher)
    stale_form = admin_form_data(other.get(admin_url(media)))
    post_admin_form(client, media, caption="Second draft")

    response = other.post(admin_url(media), {**stale_form, "caption": "Publisher's words"})

    assert response.status_code == 200
    assert "contributor saved this" in response.content.decode()
    assert admin_form_data(client.get(admin_url(media)))["caption"] == "Second draft"


def test_a_focal_point_draft_leaves_the_renditions_until_it_is_published(
    client, contributor, publisher, media_root, django_capture_on_commit_callbacks
):
    media = live_media(media_root)
    before = renditions(media)
    client.force_login(contributor)

    with django_capture_on_commit_callbacks(execute=True):
        post_admin_form(client, media, focal_x="0.9", focal_y="0.1")

    assert renditions(media) == before
    assert public(media)["focal"] == {"x": 0.5, "y": 0.5}
    assert stored_files(media_root) == referenced_files()

    client.force_login(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(admin_url(media, "draft/publish"), {"decision": "publish"})

    assert public(media)["focal"] == {"x": 0.9, "y": 0.1}
    assert before.isdisjoint(renditions(media))
    assert stored_files(media_root) == referenced_files()


def test_a_publishers_new_file_goes_live_at_once_unless_a_draft_waits(
    client, contributor, publisher, media_root, django_capture_on_commit_callbacks
):
    media = live_media(media_root)
    client.force_login(publisher)

    with django_capture_on_commit_callbacks(execute=True):
        new_file = upload(image_bytes(size=(500, 400)), "b.png")
        replaced = post_admin_form(client, media, file=new_file, caption="With the file")

    media.refresh_from_db()
    assert replaced.status_code == 302
    assert media.width == 500 and public(media)["api"][1] == "With the file"
    assert not DraftChange.objects.exists()

    post_admin_form(client, media, caption="A draft")
    file = media.file.name
    refused = post_admin_form(client, media, file=upload(image_bytes(size=(300, 200)), "c.png"))

    media.refresh_from_db()
    assert refused.status_code == 302
    assert media.file.name == file and public(media)["api"][1] == "With the file"
    assert "Publish or discard the draft first" in client.get(admin_url(media)).content.decode()


def test_a_scheduled_media_draft_goes_live_by_the_job_at_its_moment(client, contributor, publisher, media_root):
    media = live_media(media_root)
    client.force_login(contributor)
    post_admin_form(client, media, caption="New caption")
    moment = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    client.force_login(publisher)

    client.post(admin_url(media, "draft/publish"), {
        "decision": "schedule", "publish_at": timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"),
    })

    with time_machine.travel(moment - timedelta(minutes=1)):
        tasks.publish_due_drafts.apply()
        assert public(media)["api"][1] == "Old caption"
    with time_machine.travel(moment + timedelta(seconds=1)):
        tasks.publish_due_drafts.apply()
        assert public(media)["api"][1] == "New caption"


def test_restoring_a_version_with_another_file_is_a_publishers_and_goes_live_at_once(
    client, contributor, publisher, media_root, django_capture_on_commit_callbacks
):
    media = live_media(media_root)
    client.force_login(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        post_admin_form(client, media, caption="First file")
        client.post(admin_url(media, "draft/publish"), {"decision": "publish"})
        post_admin_form(client, media, file=upload(image_bytes(size=(500, 400)), "b.png"), caption="Second file")
    first = Version.objects.get_for_object(media).order_by("pk").first()
    url = admin_url(media, f"history/{first.pk}")
    form = admin_form_data(client.get(url))
    client.force_login(contributor)

    refused = client.post(url, form)

    media.refresh_from_db()
    assert refused.status_code == 403 and media.width == 500
    client.force_login(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        restored = client.post(url, form)
    media.refresh_from_db()
    assert restored.status_code == 302
    assert media.width == 800 and public(media)["api"][1] == "First file"
    assert not DraftChange.objects.exists()


def test_the_media_list_costs_the_same_with_more_drafts(client, contributor, media_root):
    client.force_login(contributor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/drills/cuemedia/").status_code == 200
        return len(captured)

    for number in range(2):
        post_admin_form(client, live_media(media_root, f"drill-{number}"), caption="Draft")
    few = queries()
    for number in range(2, 5):
        post_admin_form(client, live_media(media_root, f"drill-{number}"), caption="Draft")
    many = queries()

    assert "draft change" in client.get("/admin/drills/cuemedia/").content.decode()
    assert many == few
