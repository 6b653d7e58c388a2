import pytest

from drills.templatetags.pages import picture_context, prescription
from runcms.templatetags.site import json_ld, path_words
from tests.factories import make_drill, make_media, make_program


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({"reps": 10, "per_side": True}, "10 reps per side"),
        ({"sets": 3, "reps": 10, "per_side": False}, "3 sets of 10 reps"),
        ({"sets": 1, "reps": 1}, "1 rep"),
        ({"sets": 2}, "2 sets"),
        ({"reps": 5, "hold_seconds": 3}, "5 reps, hold 3 s"),
        ({"duration_seconds": 90, "per_side": True}, "1 min 30 s per side"),
        ({"distance_metres": 30, "rest_seconds": 120}, "30 m, rest 2 min"),
        ({"reps": 10, "per_side": True, "prescription_note": "change feet after 10"},
         "10 reps per side. change feet after 10"),
        ({"prescription_note": "As many as feel easy"}, "As many as feel easy"),
        ({}, ""),
    ],
)
def test_prescription_reads_as_a_coach_would_say_it(values, text):
    assert prescription(values) == text


@pytest.mark.django_db
def test_prescription_of_a_program_item_applies_its_overrides():
    drill = make_drill(reps=10, per_side=True, rest_seconds=30)
    program = make_program(drills=[drill])
    item = program.items.get()
    item.reps, item.per_side = 15, False

    assert prescription(drill) == "10 reps per side, rest 30 s"
    assert prescription(item) == "15 reps, rest 30 s"


def test_json_ld_escapes_what_could_end_the_script_element():
    html = json_ld({"name": "</script><!-- & <b>"})

    assert html == (
        '<script type="application/ld+json">{"name": "\\u003C/script\\u003E\\u003C!-- \\u0026 \\u003Cb\\u003E"}'
        "</script>"
    )


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/drills/heel-pull-on-bxo/", "heel pull on bxo"),
        ("/articles/the_pull/", "the pull"),
        ("/", ""),
        ("/a/%3Cscript%3E/", "script"),
    ],
)
def test_path_words_prefill_the_404_search(path, words):
    assert path_words(path) == words


@pytest.mark.django_db
def test_picture_prefers_the_largest_rendition_up_to_1024_as_fallback_src():
    media = make_media(size=(1600, 1200), widths=(320, 640, 1024, 1600))

    context = picture_context(media)

    assert (context["width"], context["height"]) == (1024, 768)
    assert context["srcset"].count("w,") == 3
    assert context["webp_srcset"].endswith(" 1600w")
    assert context["placeholder"].startswith("data:image/webp;base64,")


@pytest.mark.django_db
def test_picture_of_audio_is_nothing():
    assert picture_context(make_media(kind="audio"))["src"] == ""
    assert picture_context(None)["src"] == ""
