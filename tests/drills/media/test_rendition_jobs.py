"""Renditions are built by a job: until they exist, the API and the pages leave the media out."""

import pytest

from drills.media import tasks
from drills.models import DrillMedia
from tests.factories import make_drill, make_media

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_picture():
    """A drill whose gallery picture was uploaded while a worker has not built its renditions yet."""
    drill = make_drill(slug="heel-pull")
    media = make_media(renditions=False, renditions_pending=True)
    DrillMedia.objects.create(drill=drill, media=media, position=1)
    return media


def test_media_waiting_for_its_renditions_is_left_out_of_the_api(client, waiting_picture):
    drill = client.get("/api/v1/drills/heel-pull/").json()
    media = client.get("/api/v1/media/").json()

    assert drill["media"] == []
    assert media["results"] == []


def test_media_waiting_for_its_renditions_is_left_out_of_the_page(client, waiting_picture):
    page = client.get("/drills/heel-pull/").content.decode()

    assert waiting_picture.file.name not in page and "<img" not in page.split("<main", 1)[1]


def test_once_the_job_has_built_the_renditions_the_media_is_shown(client, waiting_picture):
    tasks.make_renditions.apply((str(waiting_picture.pk),))

    drill = client.get("/api/v1/drills/heel-pull/").json()
    assert [m["id"] for m in drill["media"]] == [str(waiting_picture.pk)]
    assert drill["media"][0]["renditions"]
