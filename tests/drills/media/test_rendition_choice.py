"""One rendition order for every consumer: CueMedia.sized_renditions()."""

import pytest

from drills.models import CueMedia
from tests.factories import make_media

pytestmark = pytest.mark.django_db


def _described(renditions):
    return [(rendition.name, rendition.format, rendition.width) for rendition in renditions]


def test_renditions_come_narrowest_first_without_the_thumbnails():
    media = make_media(widths=(640, 320))

    chosen = media.sized_renditions()

    assert _described(chosen) == [
        ("w320", "jpeg", 320), ("w320", "webp", 320), ("w640", "jpeg", 640), ("w640", "webp", 640),
    ]


def test_thumbnails_and_formats_can_be_asked_for():
    media = make_media(widths=(640, 320))

    assert {r.name for r in media.sized_renditions(thumb=True)} == {"thumb"}
    assert [r.width for r in media.sized_renditions(formats=("webp",))] == [320, 640]
    assert len(media.sized_renditions(thumb=None)) == len(media.renditions.all())


def test_prefetched_renditions_are_chosen_in_the_same_order_without_a_query(django_assert_num_queries):
    made = make_media(widths=(640, 320))
    media = CueMedia.objects.with_renditions().get(pk=made.pk)

    with django_assert_num_queries(0):
        chosen = media.sized_renditions(thumb=None)

    assert _described(chosen) == _described(made.sized_renditions(thumb=None))
