import re

import pytest

from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import (
    make_category,
    make_drill,
    make_equipment,
    make_muscle,
    make_program,
)
from tests.helpers.pages import json_ld, text_of
from tests.helpers.site import OnTheSite

pytestmark = pytest.mark.django_db


def test_program_page_leaves_out_unpublished_drills(client):
    hidden = make_drill(title="Secret drill", status=Status.DRAFT)
    make_program(slug="mixed", drills=[make_drill(), hidden])

    page = text_of(client.get("/programs/mixed/"))

    assert "Secret drill" not in page


def test_a_category_only_drafts_use_is_a_404_on_the_drill_list(client):
    make_drill(status=Status.DRAFT, category=make_category(slug="secret-category"))

    response = client.get("/drills/?category=secret-category")

    assert response.status_code == 404


def test_drill_search_on_the_site_finds_what_the_api_finds(client):
    curl = make_drill(title="Heel curl", summary="Lie face down.", cues=["Keep your hips and back level"])
    curl.primary_muscles.add(make_muscle(name="Hamstrings"))
    curl.equipment.add(make_equipment(name="Elastic band"))
    make_drill(title="Leg swing", summary="Swing the leg.")

    for words in ("hamstring", "elastic", "hips level"):
        page = text_of(client.get("/drills/", {"q": words}))
        api = client.get("/api/v1/drills/", {"search": words}).json()["results"]

        assert "Heel curl" in page and "Leg swing" not in page, words
        assert [drill["title"] for drill in api] == ["Heel curl"]


def test_drill_search_on_the_site_puts_the_best_match_first_on_postgresql(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's full-text search")
    make_drill(title="Alpha", summary="A drill.", steps=["Finish with a few box bounces."])
    make_drill(title="Zulu box bounces", summary="A drill.")

    page = text_of(client.get("/drills/", {"q": "box bounces"}))

    assert page.index("Zulu box bounces") < page.index("Alpha")


def test_a_filtered_drill_list_is_its_own_canonical_page_and_a_search_is_not_indexed(client):
    pull = make_category(slug="pull", name="Pull")
    for number in range(25):
        make_drill(title=f"Pull drill {number:02}", category=pull)

    second = text_of(client.get("/drills/?category=pull&page=2"))
    searched = text_of(client.get("/drills/?category=pull&q=drill"))

    assert '<link rel="canonical" href="http://testserver/drills/?category=pull&amp;page=2">' in second
    assert '<meta name="robots" content="noindex">' not in second
    assert '<link rel="canonical" href="http://testserver/drills/?category=pull">' in searched
    assert '<meta name="robots" content="noindex">' in searched


def test_drill_and_program_drafts_open_with_their_preview_token(client):
    drill = make_drill(slug="draft-drill", status=Status.DRAFT)
    program = make_program(slug="draft-program", status=Status.DRAFT)

    assert client.get(f"/drills/draft-drill/?preview={make_preview_token(drill)}").status_code == 200
    assert client.get(f"/programs/draft-program/?preview={make_preview_token(program)}").status_code == 200


class TestPagesOfTheSite(OnTheSite):
    """Drill and program pages of the small published site."""

    def test_drill_page_shows_steps_cues_by_kind_prescription_equipment_and_muscles(self, client, site):
        page = text_of(client.get("/drills/heel-pull-on-box/"))

        assert '<ol class="steps"><li id="step-1"><p>Stand tall on the box.</p></li>' in page
        assert "<strong>How much:</strong> 2 sets of 10 reps per side, rest 1 min. Change feet after 10" in page
        assert re.search(r'<ul class="cues cues--cue"><li>Keep your hips and back level <audio controls', page)
        assert '<ul class="cues cues--mistake"><li>Kicking the heel backwards</li></ul>' in page
        assert '<ul class="cues cues--safety"><li>Stop if the hamstring cramps</li></ul>' in page
        assert "<dt>Equipment</dt><dd>Box</dd>" in page
        assert "<dt>Main muscles</dt><dd>Hamstrings</dd>" in page
        assert "<dt>Also works</dt><dd>Glutes</dd>" in page
        assert "Hold a post if you lose balance." in page
        assert "Do a few box bounces or a short run afterwards." in page

    def test_drill_page_links_easier_drills_its_articles_and_shows_its_gallery(self, client, site):
        page = text_of(client.get("/drills/heel-pull-on-box/"))

        assert '<a href="/drills/heel-pull-lying/">Heel pull, lying</a>' in page
        assert '<a href="/articles/the-pull/">The pull: bring the foot back under the hip</a>' in page
        gallery = page[page.index('id="gallery"') :]
        assert gallery.count("<figure") == 2
        assert "<picture>" in gallery and "<video" in gallery

    def test_drill_page_describes_itself_as_a_howto_with_steps(self, client, site):
        data = json_ld(client.get("/drills/heel-pull-on-box/"))

        assert data["@type"] == "HowTo"
        assert [step["text"] for step in data["step"]] == [
            "Stand tall on the box.",
            "Pull the heel straight up under the hip.",
        ]
        assert data["step"][0] == {
            "@type": "HowToStep",
            "position": 1,
            "text": "Stand tall on the box.",
            "url": "http://testserver/drills/heel-pull-on-box/#step-1",
        }
        assert data["tool"] == [{"@type": "HowToTool", "name": "Box"}]

    def test_program_page_lists_its_drills_in_order_with_their_effective_prescription(self, client, site):
        page = text_of(client.get("/programs/pull-basics/"))

        first, second = page.index("Heel pull on the box"), page.index("Heel pull, lying")
        assert first < second
        assert "2 sets of 15 reps per side, rest 1 min. Change feet after 10" in page
        assert "10 reps per side" in page[second:]

    def test_drill_list_filters_by_category(self, client, site):
        make_drill(title="Falling forward")

        page = text_of(client.get("/drills/?category=pull"))

        assert "<h1>Pull drills</h1>" in page
        assert "Heel pull on the box" in page
        assert "Falling forward" not in page

    def test_old_drill_slug_redirects_permanently(self, client, site):
        site.drill.slug = "box-heel-pull"
        site.drill.save()

        response = client.get("/drills/heel-pull-on-box/")

        assert response.status_code == 301
        assert response["Location"] == "/drills/box-heel-pull/"

    def test_old_program_slug_redirects_permanently(self, client, site):
        site.program.slug = "pull-starter"
        site.program.save()

        response = client.get("/programs/pull-basics/")

        assert (response.status_code, response["Location"]) == (301, "/programs/pull-starter/")
