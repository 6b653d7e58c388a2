"""A small published site with every kind of content, for page tests."""

from types import SimpleNamespace

import pytest

from drills.models import Cue, CueKind, DrillMedia, ProgramItem, Step
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_drill,
    make_equipment,
    make_media,
    make_muscle,
    make_program,
    make_topic,
)
from tests.helpers.scenes import fresh_all


def build_site():
    # One photo in every role keeps the fixture quick; the roles are what the pages test.
    photo = make_media(alt_text="Runner lying face down pulling one heel to the hip", caption="The heel pull",
                       credit="Photo: Jane Doe", licence="CC BY 4.0")
    video = make_media(kind="video", caption="The pull in slow motion")
    audio = make_media(kind="audio", title="Keep your hips level (spoken)")
    easier = make_drill(slug="heel-pull-lying", title="Heel pull, lying")
    drill = make_drill(
        slug="heel-pull-on-box",
        title="Heel pull on the box",
        summary="Stand on a box and pull the free heel to the hip.",
        category=make_category(name="Pull", slug="pull"),
        start_position="Stand on a box on one foot.",
        sets=2,
        reps=10,
        per_side=True,
        rest_seconds=60,
        prescription_note="Change feet after 10",
        safety_notes="Hold a post if you lose balance.",
        follow_up="Do a few box bounces or a short run afterwards.",
    )
    Step.objects.create(drill=drill, position=1, text="Stand tall on the box.")
    Step.objects.create(drill=drill, position=2, text="Pull the heel straight up under the hip.", media=photo)
    Cue.objects.create(drill=drill, position=1, kind=CueKind.CUE, text="Keep your hips and back level", audio=audio)
    Cue.objects.create(drill=drill, position=2, kind=CueKind.MISTAKE, text="Kicking the heel backwards")
    Cue.objects.create(drill=drill, position=3, kind=CueKind.SAFETY, text="Stop if the hamstring cramps")
    DrillMedia.objects.create(drill=drill, media=photo, position=1)
    DrillMedia.objects.create(drill=drill, media=video, position=2)
    drill.equipment.set([make_equipment(name="Box", slug="box")])
    drill.primary_muscles.set([make_muscle(name="Hamstrings", slug="hamstrings")])
    drill.secondary_muscles.set([make_muscle(name="Glutes", slug="glutes")])
    drill.regressions.set([easier])
    topic = make_topic(name="Pose method", slug="pose-method", description="The pull, the fall and the pose.")
    author = make_author(name="Coach Xu", slug="coach-xu", bio="Running coach.", photo=photo)
    article = make_article(
        slug="the-pull",
        title="The pull: bring the foot back under the hip",
        summary="Why pulling the support foot back under the hip matters, and five drills to train it.",
        author=author,
        hero=photo,
        topics=[topic],
        sources=[
            {"title": "How to Run", "author": "Nicholas Romanov", "url": "https://example.com/how-to-run"},
            {"title": "You Can Run Faster", "author": "Zhanlu Culture"},
        ],
        body=(
            "## Why the pull\n\nThe hamstrings pull the support foot off the ground.\n\n"
            "[[drill:heel-pull-on-box]]\n\n"
            f"[[media:{photo.pk}]]\n\n"
            f"[[media:{video.pk}]]\n\n"
            "| drill | reps |\n|---|---|\n| heel pull | 10 |\n"
        ),
    )
    program = make_program(slug="pull-basics", title="Pull basics", featured=True, cover=photo)
    ProgramItem.objects.create(program=program, drill=drill, position=1, reps=15, per_side=True)
    ProgramItem.objects.create(program=program, drill=easier, position=2)
    return SimpleNamespace(
        article=article, drill=drill, easier=easier, program=program, topic=topic, author=author,
        photo=photo, video=video, audio=audio,
    )


class OnTheSite:
    """Base of a class of tests that read the site: built once for the class (conftest's `shared_site`), in
    a transaction rolled back after it. Each test writes in its own savepoint and gets its objects fresh
    from the database, so what one test changes, even in memory, never reaches the next."""

    @pytest.fixture
    def site(self, shared_site):
        return fresh_all(shared_site)
