import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import CommandError, call_command

from articles.demo import content as demo
from articles.demo import figures as demo_figures
from articles.models import Article, Author, Topic
from drills.models import Category, CueKind, CueMedia, Drill, Equipment, Muscle, Program, Rendition
from tests.drills.media.corpus import truncated_png
from tests.factories import stored_files
from tests.helpers.scenes import shared_scene

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_dd6ff8c19aa8151d.txt"
ADVERT = "running waist packs"

pytestmark = pytest.mark.django_db


@shared_scene(scope="class")
def demo_site():
    """What `manage.py demo` makes in an empty database, built once for the tests of TestDemoSite."""
    call_command("demo", stdout=io.StringIO())


def everything():
    """Every content row, serialized: equal before and after means nothing changed."""
    rows = []
    for model in (Category, Muscle, Equipment, Topic, Author, CueMedia, Rendition, Drill, Program, Article):
        rows += json.loads(serializers.serialize("json", model.objects.order_by("pk")))
    return rows


@pytest.mark.usefixtures("demo_site")
class TestDemoSite:
    def test_demo_run_again_gives_five_drills_one_program_and_one_article_all_published(self, capsys):
        before = everything()

        call_command("demo")

        assert Drill.objects.count() == Drill.objects.published().count() == 5
        assert Program.objects.count() == Program.objects.published().count() == 1
        assert Article.objects.count() == Article.objects.published().count() == 1
        assert everything() == before
        assert "left as it is" in capsys.readouterr().out

    def test_demo_drills_have_steps_cues_ten_reps_per_side_and_hamstrings_first(self):
        drills = Drill.objects.order_by("created_at").prefetch_related("steps", "cues", "primary_muscles", "equipment")

        for drill in drills:
            assert drill.start_position and len(drill.steps.all()) >= 3
            assert len(drill.cues.all()) >= 2
            assert drill.reps == 10
            assert [muscle.slug for muscle in drill.primary_muscles.all()][0] == "hamstrings"
            assert drill.equipment.exists()
            assert drill.follow_up == "After each drill, do a few small box bounces or run for a short while."
        one_leg = [drill for drill in drills if drill.per_side]
        assert len(one_leg) == 4 and all(drill.prescription_note == "Change feet after 10." for drill in one_leg)
        cues = {cue.text for drill in drills for cue in drill.cues.all()}
        kinds = {cue.kind for drill in drills for cue in drill.cues.all()}
        assert kinds == {CueKind.CUE, CueKind.SAFETY, CueKind.MISTAKE}
        assert "Keep your hips and back level" in cues
        assert any(text.startswith("Just pull the sole of the foot toward the hip") for text in cues)
        box = Drill.objects.get(slug="banded-heel-pull-on-a-box")
        assert set(box.equipment.values_list("slug", flat=True)) == {"box", "elastic-band", "post"}
        assert box.regressions.exists() and Drill.objects.filter(progressions__isnull=False).count() == 4

    def test_demo_media_have_alt_text_and_renditions_of_several_widths(self):
        media = list(CueMedia.objects.prefetch_related("renditions"))

        assert len(media) == 7  # a diagram per drill, the program cover and the article hero
        for item in media:
            assert len(item.alt_text) > 40 and item.credit and item.licence
            assert (item.width, item.height) == (1600, 1000)
            widths = {rendition.width for rendition in item.renditions.all() if rendition.name.startswith("w")}
            assert widths == {320, 640, 1024, 1600}
            assert {rendition.format for rendition in item.renditions.all()} == {"webp", "jpeg"}
        assert all(drill.media.count() == 1 for drill in Drill.objects.all())

    def test_demo_article_and_program_present_the_five_drills_in_order(self):
        article, program = Article.objects.get(), Program.objects.get()

        assert program.title == "Pull strength: five hamstring drills"
        assert list(program.items.values_list("drill__slug", flat=True)) == [d["slug"] for d in demo.DRILLS]
        assert program.cover.alt_text
        assert set(article.related_drills.values_list("slug", flat=True)) == {d["slug"] for d in demo.DRILLS}
        embedded = re.findall(r'data-embed="drill" data-ref="([^"]+)"', article.body_html)
        assert embedded == [d["slug"] for d in demo.DRILLS]
        assert [s.title for s in article.sources.all()][0] == "How to Run"
        assert article.sources.count() == 3
        assert article.hero.alt_text and article.author.name and article.topics.count() == 3
        assert article.reading_minutes >= 4
        assert "<h2" in article.body_html

    def test_demo_has_a_drill_and_the_program_in_german_once_german_is_published(self, client, languages):
        drill = client.get("/api/v1/drills/heel-pull-on-your-back/", {"lang": "de"}).json()
        program = client.get("/api/v1/programs/pull-strength-five-hamstring-drills/", {"lang": "de"}).json()

        assert (drill["title"], drill["language"], drill["cues"][0]["text"]) == (
            "Fersenzug in Rückenlage", "de", "Hüfte und Rücken gerade halten"
        )
        assert (program["title"], program["language"]) == (
            "Zugkraft: fünf Übungen für die Oberschenkelrückseite", "de"
        )

    def test_demo_shows_its_german_text_only_when_german_is_published(self, client):
        drill = client.get("/api/v1/drills/heel-pull-on-your-back/", HTTP_ACCEPT_LANGUAGE="de").json()

        assert (drill["title"], drill["languages"]) == ("Heel pull on your back", ["en"])

    def test_demo_does_not_touch_an_editors_changes_to_its_content(self):
        drill = Drill.objects.get(slug="heel-pull-on-your-back")
        drill.title = "Bridge heel slide"
        drill.slug = "bridge-heel-slide"
        drill.save()

        call_command("demo", stdout=io.StringIO())

        assert Drill.objects.count() == 5
        assert Drill.objects.get(pk=drill.pk).title == "Bridge heel slide"


def test_demo_leaves_out_the_advert_and_the_byline():
    texts = json.dumps([demo.ARTICLE, demo.DRILLS, demo.PROGRAM])

    assert ADVERT not in texts.lower()
    assert "By KingWay" not in texts


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not beside this clone")
def test_demo_covers_the_five_drills_of_the_seed():
    seed = SEED.read_text(encoding="utf-8")

    assert ADVERT in seed  # the line the demo leaves out is really there
    assert sum(f"-0{n} –" in seed for n in range(1, 6)) == len(demo.DRILLS) == 5
    assert seed.count("Change your feet after 10 times") == sum(d["per_side"] for d in demo.DRILLS)
    for phrase in ("Romanov", "Xu Guofeng", "you can run faster"):
        assert phrase.lower() in seed.lower()
        assert phrase.lower() in json.dumps(demo.ARTICLE).lower()


def test_demo_that_fails_midway_leaves_no_rows_and_no_files(monkeypatch, media_root):
    # The hero is stored last, after six other diagrams: a damaged one is refused by the upload checks.
    monkeypatch.setattr(demo_figures, "hero_figure", truncated_png)

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("demo", stdout=io.StringIO())

    assert not Drill.objects.exists() and not CueMedia.objects.exists() and not Category.objects.exists()
    assert stored_files(media_root) == []


# The diagrams' geometry, checked on the poses each scene records rather than on its pixels.
SCENES = {**demo_figures.DRILL_FIGURES, "hero": demo_figures._running_pull}


def drawn(name):
    return SCENES[name](demo_figures.Scene())


def bend(angle, reference):
    """How far `angle` is turned from `reference`, in degrees between -180 and 180."""
    return (angle - reference + 180) % 360 - 180


@pytest.mark.parametrize("name", SCENES)
def test_demo_diagram_figures_rest_on_the_floor_or_box_without_floating_or_sinking(name):
    scene = drawn(name)

    for pose in scene.poses:
        # How far above each surface every part of the figure is: 0 where it rests, never below.
        gaps = [
            top - (y + radius)
            for (x, y), radius in pose.silhouette()
            for top, left, right in scene.surfaces
            if left <= x <= right
        ]
        assert min(gaps) == pytest.approx(0, abs=1.5)


@pytest.mark.parametrize("name", SCENES)
def test_demo_diagram_legs_bend_only_the_way_and_as_far_as_joints_can(name):
    scene = drawn(name)

    # Every figure is the standing one turned around, so the same angles hold lying down.
    for pose in scene.poses:
        for thigh, shin, foot in pose.legs:
            assert -30 <= bend(pose.torso + 180, thigh) <= 130  # hip: the thigh goes forward, a little back
            assert 0 <= bend(shin, thigh) <= 150  # knee: bends backward only
            assert -30 <= bend(foot, shin - 90) <= 65  # ankle: toes drawn up or pointed


@pytest.mark.parametrize("name, pulling", [("face-down-both", {0, 1}), ("face-down-one", {1})])
def test_face_down_diagrams_keep_the_thighs_on_the_mat_and_raise_only_the_pulling_shins(name, pulling):
    scene = drawn(name)
    shown, floor = scene.poses[0], scene.surfaces[0][0]

    for index in (0, 1):
        _, knee, heel, _ = shown.leg(index)
        assert knee[1] + demo_figures.LIMB / 2 == pytest.approx(floor, abs=1.5)
        assert (knee[1] - heel[1] > demo_figures.SHIN / 2) == (index in pulling)


def test_push_up_diagram_holds_a_straight_plank_on_toes_and_hands_under_the_shoulders():
    scene = drawn("push-up")
    shown, floor = scene.poses[0], scene.surfaces[0][0]

    thigh, shin, _ = shown.legs[0]  # the support leg
    assert bend(thigh, shown.torso + 180) == pytest.approx(0) and bend(shin, shown.torso + 180) == pytest.approx(0)
    toes = shown.leg(0)[-1]
    assert toes[1] + demo_figures.LIMB / 2 == pytest.approx(floor, abs=1.5)
    shoulder, _, hand = shown.arm(1)
    assert hand[0] == pytest.approx(shoulder[0])
    assert hand[1] + demo_figures.LIMB / 2 == pytest.approx(floor, abs=1.5)
