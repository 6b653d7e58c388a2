"""The media picker's answers: each result with its thumbnail, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drills.models import DrillMedia, Step
from tests.factories import make_drill, make_media
from tests.helpers.pages import change_url

pytestmark = pytest.mark.django_db

GALLERY_PICKER = "/admin/drills/cuemedia/autocomplete/?app_label=drills&model_name=drillmedia&field_name=media"
CUE_AUDIO_PICKER = "/admin/drills/cuemedia/autocomplete/?app_label=drills&model_name=cue&field_name=audio"


def picked(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.json()["results"]


def test_each_result_carries_its_thumbnail_and_whole_title(signed_in):
    title = "The pull: the back foot comes quickly up toward the hip, ready for the next step, seen from the side"
    media = make_media(title=title)
    thumbnail = media.renditions.get(name="thumb", format="webp")

    (result,) = picked(signed_in, GALLERY_PICKER)

    assert result == {"id": str(media.pk), "text": title, "thumbnail": thumbnail.file.url, "kind": "Image"}


def test_audio_has_no_thumbnail_and_says_its_kind(signed_in):
    make_media(title="Count to ten", kind="audio")

    (result,) = picked(signed_in, CUE_AUDIO_PICKER)

    assert (result["text"], result["thumbnail"], result["kind"]) == ("Count to ten", "", "Audio")


def test_the_picker_answers_in_the_same_number_of_queries_for_two_or_twenty_results(signed_in):
    def queries_for_a_page():
        with CaptureQueriesContext(connection) as context:
            results = picked(signed_in, GALLERY_PICKER)
        assert all(result["thumbnail"] for result in results)
        return len(results), len(context.captured_queries)

    for number in range(2):
        make_media(title=f"Heel pull {number}", widths=(320,))
    few = queries_for_a_page()
    for number in range(2, 25):
        make_media(title=f"Heel pull {number}", widths=(320,))
    many = queries_for_a_page()

    assert (few[0], many[0]) == (2, 20)  # a page holds 20
    assert few[1] == many[1]


def test_the_picker_needs_a_signed_in_editor(client):
    make_media(title="Heel pull")

    response = client.get(GALLERY_PICKER)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_drill_form_finds_the_thumbnails_of_all_its_rows_at_once(signed_in):
    def thumbnail_queries(rows):
        drill = make_drill(title=f"Heel pull with {rows} pictures")
        for position in range(1, rows + 1):
            media = make_media(title=f"Heel pull {position}", widths=(320,))
            DrillMedia.objects.create(drill=drill, media=media, position=position)
            Step.objects.create(drill=drill, position=position, text="Pull the heel up.", media=media)
        with CaptureQueriesContext(connection) as context:
            page = signed_in.get(change_url(drill)).content.decode()
        assert page.count("data-thumbnail=") == 2 * rows  # each step's picture and each gallery item
        return sum('"drills_rendition"' in query["sql"] for query in context.captured_queries)

    assert thumbnail_queries(1) == thumbnail_queries(4) == 2  # one for the steps, one for the gallery
