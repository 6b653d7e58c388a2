"""List filters, full-text search and `updated_since`, including what hostile input gets."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from drills.models import Cue, DrillMedia, Step
from runcms.publishing import Status
from tests.api.content import small_media
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_drill,
    make_equipment,
    make_muscle,
    make_program,
    make_topic,
)

pytestmark = pytest.mark.django_db


def ids(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_drills_filter_by_category_difficulty_equipment_and_muscle(client):
    pull = make_category(slug="pull")
    box, hamstring, glute = make_equipment(slug="box"), make_muscle(slug="hamstring"), make_muscle(slug="glute")
    curl = make_drill(category=pull, difficulty="advanced")
    curl.equipment.add(box)
    curl.primary_muscles.add(hamstring)
    bridge = make_drill()
    bridge.secondary_muscles.add(hamstring, glute)

    assert ids(client, "/api/v1/drills/", category="pull") == {str(curl.pk)}
    assert ids(client, "/api/v1/drills/", difficulty="advanced") == {str(curl.pk)}
    assert ids(client, "/api/v1/drills/", equipment="box") == {str(curl.pk)}
    assert ids(client, "/api/v1/drills/", muscle="hamstring") == {str(curl.pk), str(bridge.pk)}
    assert ids(client, "/api/v1/drills/", muscle="hamstring", category="pull") == {str(curl.pk)}
    assert ids(client, "/api/v1/drills/", category="no-such-category") == set()


def test_drill_search_looks_in_title_summary_steps_and_cues(client):
    by_title = make_drill(title="Heel pull on the box", summary="A drill.")
    by_summary = make_drill(title="One", summary="Bounce lightly on the balls of the feet.")
    by_step = make_drill(title="Two", summary="A drill.", steps=["Lie face down and hold the elastic band."])
    by_cue = make_drill(title="Three", summary="A drill.", cues=["Keep your hips and back level"])
    make_drill(title="Something else", summary="Nothing.")

    assert ids(client, "/api/v1/drills/", search="heel pull") == {str(by_title.pk)}
    assert ids(client, "/api/v1/drills/", search="bounce") == {str(by_summary.pk)}
    assert ids(client, "/api/v1/drills/", search="elastic band") == {str(by_step.pk)}
    assert ids(client, "/api/v1/drills/", search="hips level") == {str(by_cue.pk)}


def test_a_drill_found_through_several_steps_is_listed_once(client):
    drill = make_drill(steps=["Pull the heel.", "Pull again."], cues=["Pull", "Pull more"])

    body = client.get("/api/v1/drills/", {"search": "pull"}).json()

    assert [d["id"] for d in body["results"]].count(str(drill.pk)) == 1 and body["count"] == 1


@pytest.mark.parametrize(
    ("words", "found"),
    [("hamstring", {"curl", "bridge"}), ("glutes", {"bridge"}), ("elastic band", {"curl"}), ("mobility", {"swing"})],
)
def test_drill_search_finds_muscle_equipment_and_category_names(client, words, found):
    curl = make_drill(slug="curl", title="Heel curl", summary="Lie face down.")
    curl.primary_muscles.add(make_muscle(name="Hamstrings"))
    curl.equipment.add(make_equipment(name="Elastic band"))
    bridge = make_drill(slug="bridge", title="Bridge", summary="Lift the hips.")
    bridge.secondary_muscles.add(make_muscle(name="Hamstring tendons"), make_muscle(name="Glutes"))
    mobility = make_category(name="Mobility")
    swing = make_drill(slug="swing", title="Leg swing", summary="Swing the leg.", category=mobility)
    slugs = {str(drill.pk): drill.slug for drill in (curl, bridge, swing)}

    assert {slugs[pk] for pk in ids(client, "/api/v1/drills/", search=words)} == found


def test_search_ranks_a_title_match_before_a_step_match_on_postgresql(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's full-text search")
    in_step = make_drill(title="Alpha", summary="A drill.", steps=["Finish with a few box bounces."])
    in_title = make_drill(title="Zulu box bounces", summary="A drill.")

    results = client.get("/api/v1/drills/", {"search": "box bounces"}).json()["results"]

    assert [d["id"] for d in results] == [str(in_title.pk), str(in_step.pk)]


def test_search_finds_nothing_of_a_draft(client):
    make_drill(title="Secret heel pull", status=Status.DRAFT)

    assert ids(client, "/api/v1/drills/", search="secret") == set()


def test_articles_filter_by_topic_author_and_search(client):
    technique, romanov = make_topic(slug="technique"), make_author(slug="romanov")
    pose = make_article(title="The pose method", topics=[technique], author=romanov)
    fall = make_article(title="Falling forward", body="Let gravity do the work.")

    assert ids(client, "/api/v1/articles/", topic="technique") == {str(pose.pk)}
    assert ids(client, "/api/v1/articles/", author="romanov") == {str(pose.pk)}
    assert ids(client, "/api/v1/articles/", search="gravity") == {str(fall.pk)}


def test_updated_since_lists_what_changed_at_or_after_that_time(client):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=2)):
        old, edited, stepped = make_drill(), make_drill(), make_drill()
    scheduled = make_drill(publish_at=start + timedelta(minutes=30))
    edited.save()
    Step.objects.create(drill=stepped, text="A new step.")

    with time_machine.travel(start + timedelta(hours=1)):
        changed = ids(client, "/api/v1/drills/", updated_since=(start - timedelta(minutes=1)).isoformat())

    assert changed == {str(edited.pk), str(stepped.pk), str(scheduled.pk)}
    assert str(old.pk) not in changed


def test_updated_since_reaches_a_drill_through_its_renamed_category(client):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=1)):
        drill = make_drill()
    drill.category.name = "Pull"
    drill.category.save()

    assert ids(client, "/api/v1/drills/", updated_since=start.isoformat()) == {str(drill.pk)}


@pytest.mark.parametrize("collection", ["drills", "programs", "articles", "media"])
@pytest.mark.parametrize(
    "value", ["2026-05-01", "2026-05-01T12:00:00Z", "2026-05-01T12:00:00+02:00", "2026-05-01T12:00"]
)
def test_updated_since_accepts_iso_8601_on_every_content_list(client, collection, value):
    assert client.get(f"/api/v1/{collection}/", {"updated_since": value}).status_code == 200


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2026-13-01", "2026-05-01T12:00:00 02:00", "9" * 40, "%", "20260501", "2026-W18-5", " ", "\t",
     " 2026-05-01T12:00:00Z", "２０２６-05-01"],
)
def test_an_invalid_updated_since_is_a_400_that_says_why(client, value):
    response = client.get("/api/v1/drills/", {"updated_since": value})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("updated_since: Enter an ISO 8601 date and time")


def test_an_unknown_difficulty_is_a_400_in_the_contract_format(client):
    response = client.get("/api/v1/drills/", {"difficulty": "impossible"})

    assert response.status_code == 400
    assert set(response.json()) == {"detail"} and "difficulty" in response.json()["detail"]


HOSTILE = [
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "&&&|||!!!",
    "a" * 5000,
    "😀 ÿ \u202e",
    ":* & !(",
    "%_%",
    "\\",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["search", "category", "equipment", "muscle"])
def test_hostile_filter_values_find_nothing_and_never_fail(client, name, value):
    make_drill(title="Heel pull")

    response = client.get("/api/v1/drills/", {name: value})

    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize("path", ["/api/v1/drills/", "/api/v1/articles/", "/api/v1/sync/", "/api/v1/topics/"])
def test_a_nul_character_is_a_400_not_a_database_error(client, path):
    response = client.get(path, {"search": "heel\x00pull", "token": "\x00"})

    assert response.status_code == 400 and "NUL character" in response.json()["detail"]


@pytest.mark.parametrize("page", ["2", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_a_404_in_the_contract_format(client, page):
    make_drill()

    response = client.get("/api/v1/drills/", {"page": page})

    assert response.status_code == 404 and set(response.json()) == {"detail"}


def test_cue_text_search_does_not_see_other_drills_cues(client):
    drill = make_drill()
    Cue.objects.create(drill=make_drill(status=Status.DRAFT), text="Secret cue")

    assert ids(client, "/api/v1/drills/", search="secret") == set()
    assert str(drill.pk) in ids(client, "/api/v1/drills/")


def scheduled_drill_in_a_program_and_an_article(**schedule):
    """A drill, its own photo, a program and an article that show it: made a day ago, never saved since."""
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        drill = make_drill(**schedule)
        media = small_media()
        DrillMedia.objects.create(drill=drill, media=media)
        program = make_program(drills=[drill, make_drill()])
        article = make_article(body=f"The pull.\n\n[[drill:{drill.slug}]]\n")
    return drill, media, program, article


def test_updated_since_lists_what_a_related_drill_going_live_by_its_schedule_changed(client):
    start = timezone.now()
    drill, media, program, article = scheduled_drill_in_a_program_and_an_article(
        publish_at=start + timedelta(hours=1)
    )
    since = (start + timedelta(minutes=30)).isoformat()

    with time_machine.travel(start + timedelta(hours=2)):
        assert ids(client, "/api/v1/media/", updated_since=since) == {str(media.pk)}
        assert ids(client, "/api/v1/programs/", updated_since=since) == {str(program.pk)}
        assert ids(client, "/api/v1/articles/", updated_since=since) == {str(article.pk)}
        assert ids(client, "/api/v1/drills/", updated_since=since) == {str(drill.pk)}
        program_drills = client.get(f"/api/v1/programs/{program.slug}/").json()["items"]
        assert str(drill.pk) in {item["drill"]["id"] for item in program_drills}


def test_updated_since_lists_what_a_related_drill_expiring_by_its_schedule_changed(client):
    start = timezone.now()
    _, _, program, article = scheduled_drill_in_a_program_and_an_article(unpublish_at=start + timedelta(hours=1))
    since = (start + timedelta(minutes=30)).isoformat()

    with time_machine.travel(start + timedelta(hours=2)):
        assert ids(client, "/api/v1/programs/", updated_since=since) == {str(program.pk)}
        assert ids(client, "/api/v1/articles/", updated_since=since) == {str(article.pk)}


def test_updated_since_leaves_out_what_a_schedule_passing_before_that_time_changed(client):
    start = timezone.now()
    scheduled_drill_in_a_program_and_an_article(publish_at=start + timedelta(hours=1))
    since = (start + timedelta(minutes=90)).isoformat()

    with time_machine.travel(start + timedelta(hours=2)):
        for collection in ("drills", "programs", "articles", "media"):
            assert ids(client, f"/api/v1/{collection}/", updated_since=since) == set()


def search_sql(client, words):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/drills/", {"search": " ".join(words)})
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in captured.captured_queries if "LIKE" in q["sql"].upper()]


def test_a_search_of_many_words_joins_no_more_tables_than_a_search_of_one(client):
    words = ["pull", "heel", "hip", "level", "box", "band", "slow", "knee"]
    drill = make_drill(
        title="Heel pull", summary="Bring the heel to the hip.",
        steps=["Stand on the box.", "Loop the band round the knee.", "Pull slow."],
        cues=["Hips level", "Heel high", "Knee down"],
    )
    make_drill(title="Heel raise", steps=["Rise."], cues=["Slow"])

    one_word, one_sql = search_sql(client, words[:1])
    eight_words, eight_sql = search_sql(client, words)

    assert [d["id"] for d in eight_words["results"]] == [str(drill.pk)]
    assert len(eight_sql) == len(one_sql)
    assert [sql.upper().count("JOIN") for sql in eight_sql] == [sql.upper().count("JOIN") for sql in one_sql]


@pytest.mark.parametrize("path", ["/api/v1/programs/", "/api/v1/articles/"])
def test_a_featured_value_that_is_not_true_or_false_is_a_400_that_says_so(client, path):
    response = client.get(path, {"featured": "bogus"})

    assert response.status_code == 400
    assert response.json()["detail"] == "featured: Enter true or false."


@pytest.mark.parametrize(("value", "expected"), [("true", {"yes"}), ("false", {"no"}), ("True", {"yes"}),
                                                 ("1", {"yes"}), ("0", {"no"}), ("", {"yes", "no"})])
def test_featured_takes_true_or_false(client, value, expected):
    featured, other = make_program(slug="yes", featured=True), make_program(slug="no")
    slugs = {str(featured.pk): "yes", str(other.pk): "no"}

    assert {slugs[pk] for pk in ids(client, "/api/v1/programs/", featured=value)} == expected


def test_an_empty_updated_since_is_the_same_as_leaving_it_out(client):
    drill = make_drill()

    assert ids(client, "/api/v1/drills/", updated_since="") == {str(drill.pk)}


@pytest.mark.parametrize(("value", "expected"), [("0001-01-01T00:00:00+14:00", 1), ("9999-12-31T23:59:59-14:00", 0)])
def test_an_updated_since_utc_cannot_hold_is_the_first_or_last_moment(client, value, expected):
    make_drill()

    assert len(ids(client, "/api/v1/drills/", updated_since=value)) == expected
