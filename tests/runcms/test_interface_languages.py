"""The public pages' own interface text (headings, navigation, paging, dates, error pages, the feed)
in the page's language, from the apps' gettext catalogues (`<app>/locale/<lang>/LC_MESSAGES`)."""

import gettext as gnu_gettext
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from drills.models import Cue, CueKind, Drill
from tests.factories import make_article, make_drill, make_equipment, make_program, make_topic

pytestmark = pytest.mark.django_db

APPS_WITH_CATALOGUES = ("articles", "drills", "runcms")


def german(text):
    with translation.override("de"):
        return gettext(text)


def test_a_german_drill_page_has_german_headings(client, languages):
    drill = make_drill(title="Heel pull", steps=["Lie down."], cues=["Keep your hips level."],
                       safety_notes="Stop if it cramps.", follow_up="A short run.", start_position="On your back.")
    drill.equipment.add(make_equipment(name="Box"))
    Cue.objects.create(drill=drill, position=9, kind=CueKind.MISTAKE, text="Arching the back.")

    page = client.get(f"/de/drills/{drill.slug}/").content.decode()

    for heading in ("Start position", "Steps", "Coaching cues", "Common mistakes", "Safety", "Afterwards"):
        assert re.search(rf"<h2 id=\"[\w-]+\">{re.escape(german(heading))}</h2>", page), heading
    assert f"<dt>{german('Equipment')}</dt>" in page
    assert german("Beginner") in page and f"<strong>{german('How much:')}</strong>" in page
    assert '<h2 id="steps">Steps</h2>' not in page and ">Skip to content<" not in page


def test_the_prescription_line_is_written_in_the_pages_language(client, languages):
    drill = make_drill(sets=3, reps=10, per_side=True, rest_seconds=60)

    german_page = client.get(f"/de/drills/{drill.slug}/").content.decode()
    english_page = client.get(f"/drills/{drill.slug}/").content.decode()

    with translation.override("de"):
        reps = ngettext("%(count)s rep per side", "%(count)s reps per side", 10) % {"count": 10}
        sets = ngettext("%(count)s set of %(reps)s", "%(count)s sets of %(reps)s", 3) % {"count": 3, "reps": reps}
    assert sets in german_page and "3 sets of 10 reps per side" not in german_page
    assert "3 sets of 10 reps per side, rest 1 min" in english_page


def test_a_simplified_chinese_drill_page_has_chinese_headings(client, languages):
    drill = make_drill(steps=["Lie down."])

    page = client.get(f"/zh-hans/drills/{drill.slug}/").content.decode()

    with translation.override("zh-hans"):
        assert f'<h2 id="steps">{gettext("Steps")}</h2>' in page
    assert '<h2 id="steps">Steps</h2>' not in page


def test_the_english_drill_page_stays_english(client, languages):
    drill = make_drill(title="Heel pull", steps=["Lie down."])

    page = client.get(f"/drills/{drill.slug}/").content.decode()

    assert '<h2 id="steps">Steps</h2>' in page and german("Steps") not in page
    assert '<a class="skip-link" href="#main">Skip to content</a>' in page


def test_a_german_program_page_has_german_headings(client, languages):
    program = make_program(drills=[make_drill()])

    page = client.get(f"/de/programs/{program.slug}/").content.decode()

    assert f'<h2 id="program-drills">{german("The drills, in order")}</h2>' in page
    assert "The drills, in order" not in page


def test_a_german_article_page_has_german_headings_and_a_german_date(client, languages):
    article = make_article(sources=["How to Run"], first_published_at=datetime(2026, 3, 5, 9, tzinfo=UTC))

    page = client.get(f"/de/articles/{article.slug}/").content.decode()

    assert f'<h2 id="sources">{german("Sources")}</h2>' in page and ">Sources<" not in page
    assert ">5. März 2026</time>" in page
    with translation.override("de"):
        assert gettext("%(minutes)s min read") % {"minutes": article.reading_minutes} in page


def test_the_english_article_page_keeps_its_english_date(client, languages):
    article = make_article(sources=["How to Run"], first_published_at=datetime(2026, 3, 5, 9, tzinfo=UTC))

    page = client.get(f"/articles/{article.slug}/").content.decode()

    assert ">5 March 2026</time>" in page and '<h2 id="sources">Sources</h2>' in page


def test_a_german_topic_page_has_german_article_cards(client, languages):
    topic = make_topic(name="Technique")
    article = make_article(topics=[topic], first_published_at=datetime(2026, 3, 5, 9, tzinfo=UTC))

    page = client.get(f"/de/topics/{topic.slug}/").content.decode()

    with translation.override("de"):
        assert gettext("%(minutes)s min read") % {"minutes": article.reading_minutes} in page
    assert ">5. Mär 2026</time>" in page and "min read" not in page


def test_german_list_pages_have_german_headings_search_and_paging(client, languages):
    for number in range(25):
        make_drill(slug=f"drill-{number:02}")

    drills = client.get("/de/drills/").content.decode()
    articles = client.get("/de/articles/?q=nothing").content.decode()

    with translation.override("de"):
        assert f"<h1>{gettext('Drills')}</h1>" in drills
        assert f'<label for="search-drills">{gettext("Search drills")}</label>' in drills
        assert gettext("Page %(number)s of %(total)s") % {"number": 1, "total": 2} in drills
        assert f"{gettext('Next')} →" in drills and "Next →" not in drills
        assert f'aria-label="{pgettext("navigation", "Main")}"' in drills
        assert gettext("Search articles") in articles and ">Search</button>" not in articles


def test_the_german_home_page_has_german_headings(client, languages):
    make_drill()

    page = client.get("/de/").content.decode()

    assert f'<h2 id="new-drills">{german("New drills")}</h2>' in page
    assert f"<h1>{german('Run lighter: technique, drill by drill')}</h1>" in page
    assert "Latest articles" not in page and "Atom feed" not in page


def test_the_english_home_page_stays_english(client, languages):
    page = client.get("/").content.decode()

    assert '<h2 id="latest-articles">Latest articles</h2>' in page and german("Latest articles") not in page


def test_the_not_found_page_under_de_is_german(client, languages):
    response = client.get("/de/no-such-page/")
    english = client.get("/no-such-page/").content.decode()

    page = response.content.decode()
    assert response.status_code == 404 and '<html lang="de">' in page
    assert f"<h1>{german('We could not find that page')}</h1>" in page and "We could not find" not in page
    assert "<h1>We could not find that page</h1>" in english


def test_each_feed_has_its_title_in_its_language(client, languages):
    make_article()

    german_feed = client.get("/de/feed/").content.decode()
    english_feed = client.get("/feed/").content.decode()

    assert f"<title>{german('runcms: running technique articles')}</title>" in german_feed
    assert "<title>runcms: running technique articles</title>" in english_feed


def test_the_drill_list_title_in_the_head_names_the_category_in_german(client, languages):
    drill = make_drill()
    category = drill.category

    page = client.get(f"/de/drills/?category={category.slug}").content.decode()

    with translation.override("de"):
        assert gettext("%(category)s drills") % {"category": category.name} in page


# The catalogues: every string the German and Chinese pages show is translated.


def _entries(po_file):
    """(context, msgid, [msgstr…], flags) of each entry in a .po file, the header left out."""
    entries = []
    for block in po_file.read_text(encoding="utf-8").split("\n\n"):
        fields, current, flags = {}, None, set()
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
                current, _, text = line.partition(" ")
                fields[current] = json.loads(text)
            elif line.startswith('"') and current:
                fields[current] += json.loads(line)
        if fields.get("msgid"):
            translations = [value for name, value in fields.items() if name.startswith("msgstr")]
            entries.append((fields.get("msgctxt"), fields["msgid"], translations, flags))
    return entries


def _catalogues(code):
    return [
        Path(settings.BASE_DIR) / app / "locale" / code / "LC_MESSAGES" / "django.po" for app in APPS_WITH_CATALOGUES
    ]


class _Missing(gnu_gettext.NullTranslations):
    """Answers what a compiled catalogue lacks (gettext asks its fallback then)."""

    def gettext(self, message):
        return None

    def pgettext(self, context, message):
        return None

    def ngettext(self, singular, plural, n):
        return None


@pytest.mark.parametrize(
    "po_file", _catalogues("de") + _catalogues("zh_Hans"), ids=lambda path: "-".join(path.parts[-5:-2:2])
)
def test_every_interface_string_is_translated_and_compiled(po_file):
    with po_file.with_suffix(".mo").open("rb") as mo_file:
        compiled = gnu_gettext.GNUTranslations(mo_file)
    compiled.add_fallback(_Missing())

    for context, msgid, translations, flags in _entries(po_file):
        assert "fuzzy" not in flags, f"{po_file}: “{msgid}” is marked fuzzy: check it and remove the flag"
        assert all(translations), f"{po_file}: “{msgid}” has no translation"
        # .mo files hold only translated entries: one missing is a stale .mo, run compilemessages.
        if context:
            found = compiled.pgettext(context, msgid)
        else:
            found = compiled.gettext(msgid) or compiled.ngettext(msgid, msgid, 1)  # singular, or plural forms
        assert found is not None, f"{po_file.with_suffix('.mo')} lacks “{msgid}”: run compilemessages"


def test_every_string_marked_in_a_public_template_is_in_a_catalogue():
    # Without gettext tools at hand (CI has none), the tags with a literal string are checked:
    # one missing means `makemessages -l de` was not run after it was added.
    known = {msgid for po_file in _catalogues("de") for _, msgid, _, _ in _entries(po_file)}
    marked = re.compile(r'{% translate "([^"]+)"|_\("([^"]+)"\)')
    templates = [
        path for app in APPS_WITH_CATALOGUES for path in (Path(settings.BASE_DIR) / app / "templates").rglob("*.html")
        if "admin" not in path.relative_to(Path(settings.BASE_DIR) / app / "templates").parts
    ]

    missing = {
        (path.name, text) for path in templates for match in marked.finditer(path.read_text(encoding="utf-8"))
        for text in match.groups() if text and text not in known
    }

    assert templates and not missing


def test_a_drill_reads_its_difficulty_in_the_active_language(db):
    drill = Drill(difficulty="advanced")

    with translation.override("de"):
        label = drill.get_difficulty_display()

    assert label == german("Advanced") and label != "Advanced"
