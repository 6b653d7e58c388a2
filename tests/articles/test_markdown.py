import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.markdown import Embed, expand_embeds, find_images, find_malformed_embeds, render_markdown

MEDIA_ID = "0b5e0c7a-9d1f-4c2e-8a3b-6f4d2e1c0a9b"


def words(count):
    return " ".join(f"stride{n}" for n in range(count))


def test_paragraphs_emphasis_and_lists_render_as_commonmark():
    source = "Keep your *hips* and **back** level.\n\n- box\n- band\n\n1. lift\n2. lower\n"

    html = render_markdown(source).html

    assert "<p>Keep your <em>hips</em> and <strong>back</strong> level.</p>" in html
    assert "<ul>\n<li>box</li>\n<li>band</li>\n</ul>" in html
    assert "<ol>\n<li>lift</li>\n<li>lower</li>\n</ol>" in html


def test_ordered_list_keeps_its_start_number():
    html = render_markdown("3. third\n4. fourth\n").html

    assert '<ol start="3">' in html


def test_code_spans_and_fenced_code_are_escaped():
    source = "Use `<b>` here.\n\n```python\nif a < b:\n    pass\n```\n"

    html = render_markdown(source).html

    assert "<code>&lt;b&gt;</code>" in html
    assert '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>' in html


def test_blockquote_and_horizontal_rule_render():
    html = render_markdown("> Land under the hip.\n\n---\n").html

    assert "<blockquote>\n<p>Land under the hip.</p>\n</blockquote>" in html
    assert "<hr>" in html


def test_pipe_table_renders_with_alignment_as_an_attribute_not_a_style():
    source = "| drill | reps |\n|:------|-----:|\n| curl | 10 |\n"

    html = render_markdown(source).html

    assert '<th align="left">drill</th>' in html
    assert '<td align="right">10</td>' in html
    assert "style" not in html


def test_strikethrough_renders_as_del():
    html = render_markdown("~~heel strike~~").html

    assert "<del>heel strike</del>" in html


def test_top_level_heading_is_demoted_so_the_page_keeps_one_h1():
    html = render_markdown("# The pull\n").html

    assert '<h2 id="section-the-pull">The pull</h2>' in html
    assert "<h1" not in html


def test_headings_below_h4_are_kept_as_h4_headings():
    html = render_markdown("##### Detail\n\n###### Finer detail\n").html

    assert '<h4 id="section-detail">Detail</h4>' in html
    assert '<h4 id="section-finer-detail">Finer detail</h4>' in html


def test_many_headings_with_the_same_text_get_the_next_free_number():
    html = render_markdown("## Cues\n\n## Cues 2\n\n" + "## Cues\n\n" * 3).html

    ids = re.findall(r'<h2 id="([^"]+)"', html)
    assert ids == ["section-cues", "section-cues-2", "section-cues-3", "section-cues-4", "section-cues-5"]


def test_repeated_heading_text_gets_distinct_ids():
    html = render_markdown("## Cues\n\n## Cues\n").html

    assert 'id="section-cues"' in html
    assert 'id="section-cues-2"' in html


def test_link_to_a_heading_by_its_slug_follows_the_prefixed_id():
    html = render_markdown("## Common mistakes\n\nSee [the mistakes](#common-mistakes).\n").html

    assert '<a href="#section-common-mistakes">the mistakes</a>' in html


def test_link_to_another_fragment_is_left_alone():
    html = render_markdown("[comments](#comments)").html

    assert '<a href="#comments">comments</a>' in html


def test_external_link_gets_nofollow_noopener():
    html = render_markdown("[How to Run](https://example.com/how-to-run)").html

    assert '<a href="https://example.com/how-to-run" rel="nofollow noopener">How to Run</a>' in html


def test_internal_and_mailto_links_get_no_rel():
    html = render_markdown("[drills](/drills/) and [mail](mailto:coach@example.com)").html

    assert '<a href="/drills/">drills</a>' in html
    assert '<a href="mailto:coach@example.com">mail</a>' in html


def test_a_markdown_image_is_shown_as_its_alt_text():
    html = render_markdown('The pull ![Foot *under* the hip](/media/pull.jpg "The pull") again.').html

    assert html == "<p>The pull Foot under the hip again.</p>\n"


@pytest.mark.parametrize("source", ["![photo](mailto:coach@example.com)", "![photo](data:image/png;base64,iVBO=)"])
def test_a_markdown_image_never_becomes_an_img_whatever_its_source(source):
    html = render_markdown(source).html

    assert "<img" not in html and "src=" not in html


def test_find_images_names_the_line_of_every_markdown_image():
    source = "Intro\nmore ![Foot](/a.png)\n\n- ![Heel](x.png)\n\n| a |\n|---|\n| ![Hip](d.png) |\n"

    problems = find_images(source)

    assert [line for line, _ in problems] == [2, 4, 8]
    assert problems[0][1].startswith("the image “Foot” is not shown: upload it to the media library")
    assert "[[media:ID]]" in problems[0][1]


def test_an_image_inside_code_is_not_an_image():
    assert find_images("```\n![x](y.png)\n```\n\n`![x](y.png)`") == []


def test_raw_html_in_the_source_is_shown_as_text():
    html = render_markdown("Some <b>bold</b> claim").html

    assert "<p>Some &lt;b&gt;bold&lt;/b&gt; claim</p>" in html


def test_embeds_are_listed_in_document_order_with_their_line_numbers():
    source = f"Intro\n\n[[drill:hamstring-curl-on-box]]\n\nMore\n\n[[media:{MEDIA_ID}]]\n"

    embeds = render_markdown(source).embeds

    assert embeds == [Embed("drill", "hamstring-curl-on-box", 3), Embed("media", MEDIA_ID, 7)]


def test_embed_becomes_a_placeholder_div():
    html = render_markdown("[[drill:hamstring-curl-on-box]]").html

    assert html == '<div data-embed="drill" data-ref="hamstring-curl-on-box"></div>\n'


def test_embed_kind_is_case_insensitive_and_spaces_inside_brackets_are_allowed():
    embeds = render_markdown("[[ Drill : box_bounce ]]").embeds

    assert embeds == [Embed("drill", "box_bounce", 1)]


def test_media_embed_id_is_lower_cased():
    embeds = render_markdown(f"[[MEDIA:{MEDIA_ID.upper()}]]").embeds

    assert embeds == [Embed("media", MEDIA_ID, 1)]


def test_repeated_embed_is_listed_once_at_its_first_line():
    source = "[[drill:pull]]\n\n[[drill:fall]]\n\n[[drill:pull]]\n"

    embeds = render_markdown(source).embeds

    assert embeds == [Embed("drill", "pull", 1), Embed("drill", "fall", 3)]


def test_embed_right_after_a_paragraph_line_ends_the_paragraph():
    rendered = render_markdown("Do this next:\n[[drill:pull]]\n")

    assert rendered.embeds == [Embed("drill", "pull", 2)]
    assert rendered.html == '<p>Do this next:</p>\n<div data-embed="drill" data-ref="pull"></div>\n'


def test_embed_inside_a_list_item_is_an_embed():
    embeds = render_markdown("- first\n- [[drill:pull]]\n").embeds

    assert embeds == [Embed("drill", "pull", 2)]


@pytest.mark.parametrize(
    "source",
    [
        "```\n[[drill:pull]]\n```\n",
        "~~~markdown\n[[drill:pull]]\n~~~\n",
        "    [[drill:pull]]\n",
        "`[[drill:pull]]`\n",
    ],
    ids=["backtick fence", "tilde fence", "indented code", "code span"],
)
def test_embed_inside_code_is_shown_as_code_not_embedded(source):
    rendered = render_markdown(source)

    assert rendered.embeds == []
    assert "[[drill:pull]]" in rendered.html
    assert "data-embed" not in rendered.html


def test_embed_with_text_on_the_same_line_is_not_an_embed():
    rendered = render_markdown("See [[drill:pull]] below")

    assert rendered.embeds == []
    assert rendered.html == "<p>See [[drill:pull]] below</p>\n"


def test_malformed_embed_stays_paragraph_text():
    rendered = render_markdown("[[drill:Hamstring Curl]]")

    assert rendered.embeds == []
    assert rendered.html == "<p>[[drill:Hamstring Curl]]</p>\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[[drill:]]", "[[drill:]] needs a drill slug, e.g. [[drill:hamstring-curl-on-box]]"),
        ("[[drill]]", "[[drill]] needs a drill slug, e.g. [[drill:hamstring-curl-on-box]]"),
        ("[[media:]]", "[[media:]] needs a media id, e.g. [[media:"),
        ("[[drill:Hamstring Curl]]", "did you mean [[drill:hamstring-curl]]?"),
        ("[[media:1234]]", "1234 is not a media id; copy the id from the media library"),
        ("[[video:abc]]", "[[video:abc]] is not an embed: write [[drill:SLUG]] or [[media:UUID]]"),
        ("[[drill:pull", "[[drill:pull is not closed: end it with ]]"),
        ("[[drill:pull]] then rest", "must be on a line of its own"),
    ],
    ids=[
        "empty slug",
        "no colon",
        "empty media id",
        "bad slug",
        "bad media id",
        "unknown kind",
        "unclosed",
        "trailing text",
    ],
)
def test_malformed_embed_is_reported_with_a_message_that_says_how_to_fix_it(line, message):
    problems = find_malformed_embeds(line)

    assert len(problems) == 1
    assert problems[0][0] == 1
    assert message in problems[0][1]


def test_malformed_embeds_are_reported_with_their_line_numbers():
    source = "# Drills\n\nIntro line\n[[drill:]]\n\n> quoted\n> [[media:nope]]\n\n- item\n- [[drill:]]\n"

    lines = [line for line, _ in find_malformed_embeds(source)]

    assert lines == [4, 7, 10]


def test_over_indented_embed_after_a_paragraph_is_reported():
    problems = find_malformed_embeds("Do this:\n     [[drill:pull]]\n")

    assert problems == [
        (2, "[[drill:pull]] is shown as text: start it at the beginning of a line, on a line of its own")
    ]


def test_valid_embeds_and_embeds_in_code_are_not_reported():
    source = f"[[drill:pull]]\n\n[[media:{MEDIA_ID}]]\n\n```\n[[drill:]]\n```\n"

    assert find_malformed_embeds(source) == []


def test_bracketed_citation_is_not_reported_as_an_embed():
    assert find_malformed_embeds("[[1]] Romanov, How to Run") == []


def test_expand_embeds_replaces_each_placeholder_with_the_rendered_item():
    html = render_markdown(f"Intro\n\n[[drill:pull]]\n\n[[media:{MEDIA_ID}]]\n").html

    page = expand_embeds(html, lambda kind, ref: f"<aside>{kind} {ref}</aside>")

    assert page == f"<p>Intro</p>\n<aside>drill pull</aside>\n<aside>media {MEDIA_ID}</aside>\n"


def test_expand_embeds_drops_an_item_rendered_as_empty():
    html = render_markdown("[[drill:draft-only]]\n\n[[drill:pull]]\n").html

    page = expand_embeds(html, lambda kind, ref: "" if ref == "draft-only" else f"<aside>{ref}</aside>")

    assert page == "\n<aside>pull</aside>\n"


@pytest.mark.parametrize(
    "source",
    [
        '```\n<div data-embed="drill" data-ref="pull"></div>\n```\n',
        '<div data-embed="drill" data-ref="pull"></div>\n',
        '[x](/a "<div data-embed="drill" data-ref="pull"></div>")\n',
        '![<div data-embed="drill" data-ref="pull"></div>](/a.png)\n',
    ],
    ids=["in code", "raw html", "link title", "image alt"],
)
def test_expand_embeds_ignores_placeholders_written_by_the_author(source):
    html = render_markdown(source).html

    page = expand_embeds(html, lambda kind, ref: "<aside>expanded</aside>")

    assert page == html


def test_reading_time_is_words_over_200_rounded_up():
    assert render_markdown(words(400)).reading_minutes == 2
    assert render_markdown(words(401)).reading_minutes == 3


def test_short_body_takes_at_least_a_minute_to_read():
    assert render_markdown("Run.").reading_minutes == 1


def test_empty_body_has_no_words_and_no_reading_time():
    rendered = render_markdown("  \n")

    assert (rendered.word_count, rendered.reading_minutes) == (0, 0)


def test_word_count_is_the_text_a_reader_sees():
    source = f"## Title here\n\n{words(10)} **bold** [link text](https://example.com/a/b/c)\n\n![an alt text](/x.png)"

    assert render_markdown(source).word_count == 2 + 10 + 1 + 2 + 3  # an image shows its alt text


def test_word_count_leaves_out_embed_lines():
    source = f"{words(5)}\n\n[[drill:pull]]\n\n[[media:{MEDIA_ID}]]\n"

    assert render_markdown(source).word_count == 5


@given(st.from_regex(r"[a-z0-9_-]{1,40}", fullmatch=True))
def test_any_valid_drill_slug_is_embedded_and_expanded(slug):
    rendered = render_markdown(f"[[drill:{slug}]]")

    page = expand_embeds(rendered.html, lambda kind, ref: f"<aside>{kind}:{ref}</aside>")

    assert rendered.embeds == [Embed("drill", slug, 1)]
    assert page == f"<aside>drill:{slug}</aside>\n"


@given(st.text(alphabet="[]:dril mea-_xX0\n`#>", max_size=80))
def test_embed_parsing_never_fails_on_odd_input(source):
    rendered = render_markdown(source)
    problems = find_malformed_embeds(source)

    assert all(embed.kind in ("drill", "media") for embed in rendered.embeds)
    assert all(1 <= line <= source.count("\n") + 1 for line, _ in problems)
