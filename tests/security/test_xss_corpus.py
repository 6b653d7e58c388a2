import re

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.markdown import expand_embeds, render_markdown
from tests.security.xss_payloads import PAYLOADS

FORBIDDEN_TAGS = (
    {"script", "style", "noscript", "template", "base", "meta", "link"}
    | {"iframe", "frame", "frameset", "object", "embed", "applet", "video", "audio", "source"}
    | {"svg", "math"}
    | {"form", "input", "button", "select", "textarea", "details"}
)
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "srcset", "action", "formaction", "xlink:href", "background", "name"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "cite", "background"}
SAFE_SCHEMES = {"http", "https", "mailto"}
# Browsers drop these anywhere in a URL before reading its scheme.
URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def elements(html):
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    # Comments and other non-elements have a function, not a string, as their tag.
    return [element for element in fragment.iter() if isinstance(element.tag, str)]


def local_name(qualified):
    # html5lib writes namespaced names as "{namespace}name".
    return qualified.rsplit("}", 1)[-1].lower()


def unsafe_parts(html):
    """What would let a script run, or a payload clobber a global, in a browser."""
    problems = []
    if "<script" in html.lower():
        problems.append("<script in the markup")
    for element in elements(html)[1:]:
        tag = local_name(element.tag)
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element")
        for qualified, value in element.attrib.items():
            attribute = local_name(qualified)
            if attribute.startswith("on"):
                problems.append(f"{attribute} handler on <{tag}>")
            if attribute in FORBIDDEN_ATTRIBUTES or qualified.endswith("}href"):
                problems.append(f"{attribute} attribute on <{tag}>")
            if attribute == "id" and not value.startswith("section-"):
                problems.append(f"id {value!r} that could clobber a global")
            if attribute in URL_ATTRIBUTES:
                scheme = SCHEME.match(URL_NOISE.sub("", value).lower())
                if scheme and scheme[1] not in SAFE_SCHEMES:
                    problems.append(f"{scheme[1]}: URL in {attribute} of <{tag}>")
    return problems


def page_html(source):
    # The body as a reader gets it: rendered, then with its embeds expanded.
    return expand_embeds(render_markdown(source).html, lambda kind, ref: '<aside class="embed">card</aside>')


def test_corpus_has_at_least_twenty_distinct_payloads():
    names = [name for name, _ in PAYLOADS]

    assert len(names) >= 20
    assert len(set(names)) == len(names)


def test_checker_spots_what_it_looks_for():
    html = (
        '<p><a href=" java\tscript:x" style="color:red">a</a><img src=x onerror=y>'
        '<h2 id="__xss">h</h2><svg></svg><form action="/"></form><a href="DATA:text/html,x">b</a></p>'
    )

    problems = unsafe_parts(html)

    assert problems == [
        "javascript: URL in href of <a>",
        "style attribute on <a>",
        "onerror handler on <img>",
        "id '__xss' that could clobber a global",
        "<svg> element",
        "<form> element",
        "action attribute on <form>",
        "data: URL in href of <a>",
    ]


@pytest.mark.parametrize(("name", "source"), PAYLOADS, ids=[name for name, _ in PAYLOADS])
def test_hostile_markdown_renders_without_anything_that_could_run(name, source):
    html = page_html(source)

    assert unsafe_parts(html) == []


def test_forged_embed_placeholder_is_not_expanded():
    source = dict(PAYLOADS)["forged embed placeholder"]

    html = page_html(source)

    assert "card" not in html
    assert "data-embed" not in re.sub(r"&lt;.*?&gt;", "", html)


def test_link_breaking_out_of_its_href_stays_text():
    source = dict(PAYLOADS)["link breaking out of href"]

    html = render_markdown(source).html

    assert "<a" not in html


HOSTILE_PIECES = [
    "<",
    ">",
    '"',
    "'",
    "`",
    "=",
    "[",
    "]",
    "(",
    ")",
    "!",
    ":",
    "&",
    "#",
    ";",
    "\n",
    "\t",
    " ",
    "|",
    "javascript:",
    "JaVaScRiPt:",
    "vbscript:",
    "data:text/html,",
    "&#106;",
    "&#x3A;",
    "&colon;",
    "%0a",
    "<script>",
    "</script>",
    "<img src=x onerror=",
    "onload=",
    " onclick=",
    "style=",
    "<svg",
    "<a href=",
    '<div data-embed="drill" data-ref="x">',
    "</div>",
    "<!--",
    "-->",
    "[[drill:",
    "[[media:",
    "]]",
    "```",
    "    ",
    "> ",
    "- ",
    "# ",
    "---",
    "window.__xss=1",
    "https://example.com/",
    "![",
    "](",
    '"title"',
]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(max_size=3), max_size=40).map("".join))
def test_any_mix_of_hostile_pieces_renders_safely(source):
    html = page_html(source)

    assert unsafe_parts(html) == []
