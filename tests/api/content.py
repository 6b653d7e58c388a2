"""Content for API tests: fully loaded (every relation an endpoint shows is filled, `size` rows of each),
and one item of a kind picked by number, as the generated edits of the property tests do."""

from drills.models import Cue, DrillMedia, MediaKind, ProgramItem, Step
from tests.factories import (
    make_article,
    make_author,
    make_drill,
    make_equipment,
    make_media,
    make_muscle,
    make_program,
    make_topic,
)


def small_media(**fields):
    return make_media(size=(40, 30), widths=(20, 30), **fields)


def rich_drill(size=1, **fields):
    drill = make_drill(**fields)
    for position in range(1, size + 1):
        drill.equipment.add(make_equipment())
        drill.primary_muscles.add(make_muscle())
        drill.secondary_muscles.add(make_muscle())
        Step.objects.create(drill=drill, position=position, text="Pull the heel to the hip.", media=small_media())
        Cue.objects.create(drill=drill, position=position, text="Keep your hips level",
                           audio=small_media(kind=MediaKind.AUDIO))
        DrillMedia.objects.create(drill=drill, media=small_media(), position=position)
        drill.progressions.add(make_drill(category=drill.category))
        drill.regressions.add(make_drill(category=drill.category))
    return drill


def rich_program(size=1, **fields):
    program = make_program(cover=small_media(), **fields)
    for position in range(1, size + 1):
        ProgramItem.objects.create(program=program, drill=make_drill(), position=position)
    return program


def rich_article(size=1, **fields):
    drills = [make_drill() for _ in range(size)]
    media = [small_media() for _ in range(size)]
    body = "The pull.\n\n" + "".join(f"[[drill:{d.slug}]]\n\n" for d in drills)
    body += "".join(f"[[media:{m.pk}]]\n\n" for m in media)
    return make_article(
        body=body,
        hero=small_media(),
        author=make_author(photo=small_media()),
        topics=[make_topic() for _ in range(size)],
        sources=[{"title": f"Source {n}", "author": "Romanov", "url": "https://example.com/"} for n in range(size)],
        **fields,
    )


def pick(queryset, i):
    """The i-th item in the order they were made (the clock stands still, so factory slugs tell)."""
    items = sorted(queryset, key=lambda item: (item.created_at, _serial(item)))
    return items[i % len(items)] if items else None


def _serial(item):
    number = getattr(item, "slug", "").split("-")[1:2]
    return (int(number[0]), "") if number and number[0].isdigit() else (0, str(item.pk))
