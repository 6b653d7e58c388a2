"""The API in several languages: `?lang=` or Accept-Language chooses, text falls back, headers and ETags say so."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drills.models import Drill, Program
from runcms.models import Document
from runcms.publishing import Status
from tests.conftest import LANGUAGES
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def german_drill(**fields):
    return make_drill(
        title="Heel pull on the box",
        title_de="Fersenzug auf der Kiste",
        summary="Pull the heel toward the hip.",
        steps=["Stand on the box."],
        **fields,
    )


def detail(client, drill, **kwargs):
    return client.get(f"/api/v1/drills/{drill.slug}/", **kwargs)


def test_accept_language_chooses_the_translation(client, languages):
    drill = german_drill()

    response = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")

    body = response.json()
    assert (body["title"], body["language"], body["languages"]) == ("Fersenzug auf der Kiste", "de", ["en", "de"])
    assert response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]


def test_lang_wins_over_accept_language(client, languages):
    drill = german_drill()

    body = client.get(f"/api/v1/drills/{drill.slug}/", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="de").json()

    assert (body["title"], body["language"]) == ("Heel pull on the box", "en")


def test_an_untranslated_field_falls_back_to_the_default_language(client, languages):
    drill = german_drill()

    body = client.get(f"/api/v1/drills/{drill.slug}/", {"lang": "de"}).json()

    assert body["title"] == "Fersenzug auf der Kiste"
    assert body["summary"] == "Pull the heel toward the hip."
    assert body["steps"][0]["text"] == "Stand on the box."


def test_an_untranslated_drill_says_its_text_is_in_the_default_language(client, languages):
    drill = make_drill(title="Heel pull on your back")

    response = client.get(f"/api/v1/drills/{drill.slug}/", {"lang": "de"})

    assert (response.json()["language"], response.json()["languages"]) == ("en", ["en"])
    assert response["Content-Language"] == "de"


def test_traditional_chinese_falls_back_to_simplified_before_english(client, languages):
    drill = make_drill(title="Heel pull", title_zh_hans="勾腿拉", summary_zh_hans="把脚跟拉向臀部。")

    body = client.get(f"/api/v1/drills/{drill.slug}/", {"lang": "zh-hant"}).json()

    assert (body["title"], body["summary"], body["language"]) == ("勾腿拉", "把脚跟拉向臀部。", "zh-hans")


def test_a_translation_made_after_the_first_read_is_served_at_once(client, languages):
    drill = make_drill(title="Heel pull")
    client.get(f"/api/v1/drills/{drill.slug}/", {"lang": "de"})

    drill.title_de = "Fersenzug"
    drill.save()

    assert client.get(f"/api/v1/drills/{drill.slug}/", {"lang": "de"}).json()["title"] == "Fersenzug"


def test_lists_are_in_the_language_asked_for_in_the_default_languages_order(client, languages):
    make_drill(title="A first", title_de="Zuletzt")
    make_drill(title="B second", title_de="Als Erstes")

    german = client.get("/api/v1/drills/", {"lang": "de"}).json()["results"]

    assert [drill["title"] for drill in german] == ["Zuletzt", "Als Erstes"]


def test_a_program_lists_its_drills_by_their_translated_titles(client, languages):
    program = make_program(drills=[german_drill()], title="Pull strength", title_de="Zugkraft")

    body = client.get(f"/api/v1/programs/{program.slug}/", {"lang": "de"}).json()

    assert (body["title"], body["items"][0]["drill"]["title"]) == ("Zugkraft", "Fersenzug auf der Kiste")


def test_documents_are_stored_per_language(client, languages):
    drill = german_drill()

    detail(client, drill, HTTP_ACCEPT_LANGUAGE="de")
    detail(client, drill)

    stored = Document.objects.filter(collection="drills", object_id=drill.pk)
    assert sorted(stored.values_list("language", flat=True)) == ["de", "en"]


def test_a_language_the_site_does_not_publish_in_is_a_400_by_name(client):
    drill = german_drill()

    response = client.get(f"/api/v1/drills/{drill.slug}/", {"lang": "de"})

    assert response.status_code == 400
    assert "choose one of en" in response.json()["detail"]


def test_an_accept_language_the_site_does_not_publish_in_answers_in_the_default_language(client, languages):
    drill = german_drill()

    response = detail(client, drill, HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9")

    assert (response.status_code, response["Content-Language"], response.json()["language"]) == (200, "en", "en")


def test_german_is_not_served_until_it_is_published(client):
    drill = german_drill()

    body = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de").json()

    assert (body["title"], body["languages"]) == ("Heel pull on the box", ["en"])


def test_each_language_has_its_own_etag_and_kept_answer(client, languages):
    drill = german_drill()
    english = detail(client, drill)
    german = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de")

    again = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de", HTTP_IF_NONE_MATCH=english["ETag"])
    kept = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de")

    assert english["ETag"] != german["ETag"]
    assert again.status_code == 200 and again.json()["title"] == "Fersenzug auf der Kiste"
    assert kept.json()["title"] == "Fersenzug auf der Kiste" and kept["Content-Language"] == "de"


def test_a_304_says_its_language(client, languages):
    drill = german_drill()
    first = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de")

    response = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (response.status_code, response["Content-Language"]) == (304, "de")
    assert "Accept-Language" in response["Vary"]


def test_an_edit_of_the_german_text_is_served_in_german_and_leaves_english_as_it_was(client, languages):
    drill = german_drill()
    detail(client, drill)
    german = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de")["ETag"]

    drill.title_de = "Fersenzug"
    drill.save()

    after = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de")
    assert (after["ETag"] != german, after.json()["title"]) == (True, "Fersenzug")
    assert detail(client, drill).json()["title"] == "Heel pull on the box"


# --- Sync ---------------------------------------------------------------------------------------


def sync(client, token=None, **params):
    response = client.get("/api/v1/sync/", {**({"token": token} if token else {}), **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_full_sync_in_german_and_its_token_remember_the_language(client, languages):
    drill = german_drill()
    full = sync(client, lang="de")

    drill.title_de = "Fersenzug"
    drill.save()
    delta = sync(client, full["token"])

    assert full["upserted"]["drills"][0]["title"] == "Fersenzug auf der Kiste"
    assert [d["title"] for d in delta["upserted"]["drills"]] == ["Fersenzug"]


def test_a_german_edit_is_an_upsert_in_german_for_german_clients(client, languages):
    drill = german_drill()
    english, german = sync(client)["token"], sync(client, lang="de")["token"]

    drill.title_de = "Fersenzug"
    drill.save()

    assert [d["title"] for d in sync(client, german)["upserted"]["drills"]] == ["Fersenzug"]
    assert [d["title"] for d in sync(client, english)["upserted"]["drills"]] == ["Heel pull on the box"]


def test_a_token_answers_in_its_own_language_whatever_accept_language_says(client, languages):
    drill = german_drill()
    token = sync(client, lang="de")["token"]
    drill.summary = "Pull the heel to the hip, slowly."
    drill.save()

    response = client.get("/api/v1/sync/", {"token": token}, HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "de"
    assert response.json()["upserted"]["drills"][0]["title"] == "Fersenzug auf der Kiste"


def test_asking_a_token_for_another_language_is_a_400_that_says_to_sync_again(client, languages):
    german_drill()
    token = sync(client, lang="de")["token"]

    response = client.get("/api/v1/sync/", {"token": token, "lang": "en"})

    assert response.status_code == 400
    assert "full sync" in response.json()["detail"]


def test_a_token_for_a_language_no_longer_published_is_410(client, languages, settings):
    german_drill()
    token = sync(client, lang="de")["token"]
    settings.LANGUAGES = languages_only("en")

    response = client.get("/api/v1/sync/", {"token": token})

    assert response.status_code == 410


def languages_only(*codes):
    return [(code, code) for code in codes]


# --- Drafts -------------------------------------------------------------------------------------

LANGUAGE_CODES = [code for code, _ in LANGUAGES]
HIDDEN = {
    "draft": {"status": Status.DRAFT},
    "scheduled": {"publish_at": START + timedelta(days=1)},
    "expired": {"unpublish_at": START - timedelta(days=1)},
}


def titles(text, codes):
    return {f"title_{code.replace('-', '_')}": f"{text} {code}" for code in codes}


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    hidden=st.sampled_from(sorted(HIDDEN)),
    translated=st.sets(st.sampled_from(LANGUAGE_CODES[1:])),
    asked=st.sampled_from(LANGUAGE_CODES),
    by_header=st.booleans(),
)
def test_no_language_ever_shows_a_hidden_drill_in_the_api_search_or_pages(
    client, languages, hidden, translated, asked, by_header
):
    Program.objects.all().delete()
    Drill.objects.all().delete()
    with time_machine.travel(START, tick=False):
        public = make_drill(title="Public drill", **titles("Public", translated))
        secret = make_drill(title="Secret drill", **HIDDEN[hidden], **titles("Secret", translated))
        make_program(drills=[public, secret])
        ask = {"HTTP_ACCEPT_LANGUAGE": asked} if by_header else {"data": {"lang": asked}}

        # Both share the summary "Pull the heel toward the hip.", untranslated: a search every language finds.
        search = {"HTTP_ACCEPT_LANGUAGE": asked, "data": {"search": "heel"}} if by_header else {
            "data": {"lang": asked, "search": "heel"}}
        pages = "" if asked == "en" else f"/{asked}"  # pages take their language from the address
        program = Program.objects.get().slug
        bodies = [
            client.get("/api/v1/drills/", **ask).content,
            client.get("/api/v1/programs/", **ask).content,
            client.get(f"/api/v1/programs/{program}/", **ask).content,
            client.get("/api/v1/sync/", **ask).content,
            client.get(f"/api/v1/drills/{public.slug}/", **ask).content,
            client.get("/api/v1/drills/", **search).content,
            client.get(f"{pages}/drills/").content,
            client.get(f"{pages}/drills/", {"q": "heel"}).content,
            client.get(f"{pages}/programs/{program}/").content,
            client.get("/sitemap.xml").content,
        ]
        secret_detail = client.get(f"/api/v1/drills/{secret.slug}/", **ask)
        secret_page = client.get(f"{pages}/drills/{secret.slug}/")

    assert secret_detail.status_code == secret_page.status_code == 404
    assert not any(
        b"Secret" in body or str(secret.pk).encode() in body or secret.slug.encode() in body for body in bodies
    )
    assert all(b"Public" in body for body in (bodies[0], bodies[5], bodies[6], bodies[7]))


def test_a_304_to_if_none_match_any_says_its_language(client, languages):
    drill = german_drill()

    response = detail(client, drill, HTTP_ACCEPT_LANGUAGE="de", HTTP_IF_NONE_MATCH="*")

    assert (response.status_code, response["Content-Language"]) == (304, "de")


def test_search_reads_the_language_asked_for(client, languages):
    drill = german_drill()

    german = client.get("/api/v1/drills/", {"search": "Fersenzug", "lang": "de"}).json()["results"]
    english = client.get("/api/v1/drills/", {"search": "Fersenzug"}).json()["results"]

    assert [found["id"] for found in german] == [str(drill.pk)]
    assert english == []


def test_search_in_german_uses_german_stemming_on_postgresql(client, languages):
    if connection.vendor != "postgresql":
        pytest.skip("full-text configurations are PostgreSQL's")
    drill = german_drill()  # "Fersenzug auf der Kiste"

    german = client.get("/api/v1/drills/", {"search": "Kisten", "lang": "de"}).json()["results"]
    stop_word = client.get("/api/v1/drills/", {"search": "der Kisten", "lang": "de"}).json()["results"]

    assert [found["id"] for found in german] == [found["id"] for found in stop_word] == [str(drill.pk)]


def test_search_in_german_finds_untranslated_text_it_falls_back_to(client, languages):
    drill = german_drill()

    found = client.get("/api/v1/drills/", {"search": "heel hip", "lang": "de"}).json()["results"]

    assert [item["id"] for item in found] == [str(drill.pk)]
