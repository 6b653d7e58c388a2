"""Turn an article body written in Markdown into safe HTML.

For editors
-----------
Write the body in Markdown (CommonMark, plus tables and ~~strikethrough~~).
HTML typed into the body is shown as text, not used. A top-level heading
(``# Title``) is shown as a second-level heading, because the page already
shows the article title as its main heading.

To show a drill or a piece of media inside the article, put an embed on a
line of its own::

    [[drill:hamstring-curl-on-box]]
    [[media:3f2b8c1e-5d4a-4b6c-9e7f-0a1b2c3d4e5f]]

- ``drill:`` is followed by the drill's slug (lower-case letters, digits,
  ``-`` and ``_``), as shown in the drill's address.
- ``media:`` is followed by the media id, as shown in the media library.
- Spaces inside the brackets are fine (``[[ drill : pull-drill ]]``), and
  ``Drill`` or ``DRILL`` work as well as ``drill``.
- An embed inside a code block, or with other text on the same line, is shown
  as text. So is an embed the site cannot read; the admin lists those with
  their line numbers.
- An embed of a drill or media that is not published is left out of the page.
- Pictures come from the media library as ``[[media:...]]`` embeds, which give
  them alt text and sizes for every screen. A Markdown image
  (``![alt](address)``) is not shown: the admin refuses it, and a body that
  still has one shows its alt text instead.

For developers
--------------
``render_markdown()`` runs when a body is saved; it never touches the
database. Embeds come out as empty ``<div data-embed=... data-ref=...>``
placeholders. On save, ``link_drills()`` adds to each drill placeholder the
id of the drill its slug names then (``data-id``), so page, API and sync
show that drill even after its slug changes hands. ``expand_embeds()`` and
``expand_placeholders()`` replace them when the page is shown, so an
article does not need re-rendering when an embedded drill changes or goes
offline.

It parses the body once and derives everything else from that one pass: the
HTML, the word count and reading time, the embeds, and the problems the admin
shows. Each parse sends ``body_parsed``, so a test can count them; a save or a
preview parses once, and the API parses only the blocks of a body it must edit.

Every step takes time linear in the body, with a bound on the constant: the
work a body gives the parser (lines, inline positions tried, tokens made) is counted,
and a body that needs more than ``MAX_MARKUP_WORK`` (a long run of brackets or
emphasis markers, say) is refused with ``BodyTooComplex``, which names the line
where it ran out. A long article of ordinary Markdown uses a small part of it.
"""

import math
import re
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import unquote

import nh3
from django.dispatch import Signal
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

WORDS_PER_MINUTE = 200

# The most work a body may give the parser: two for each line, one for each block
# token, one for each position the inline parser tries, one for each step it takes
# while it looks ahead for the end of a link, one for each inline token. A long
# article of dense Markdown
# (5,000 words with headings, lists, quotes, tables and links) needs about 10,000;
# a body made of a repeated punctuation character needs one to three per character.
# Each costs some microseconds, so the bound keeps a save or a preview well under a
# second.
MAX_MARKUP_WORK = 60_000
_WORK_PER_LINE = 2

# Sent after each parse of a body, with `source` and `blocks_only` (True for a parse
# of the blocks alone, without the inline work): the seam for counting parses.
body_parsed = Signal()

# Heading ids share the page's namespace (and `window`, through named
# access), so they all get this prefix: no heading can clobber a page id or
# a global that a script relies on.
HEADING_ID_PREFIX = "section-"

_SLUG = r"[a-z0-9_-]+"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_EMBED_LINE = re.compile(
    rf"[ \t]*\[\[[ \t]*(?:"
    rf"(?i:drill)[ \t]*:[ \t]*(?P<slug>{_SLUG})"
    rf"|(?i:media)[ \t]*:[ \t]*(?P<uuid>(?i:{_UUID}))"
    rf")[ \t]*\]\][ \t]*$"
)
# Matches only what _render_embed writes, after sanitising, and a drill's placeholder
# once `link_drills` has added the id of the drill it names. Text and attribute
# values cannot contain a literal `<div data-embed="`, because the sanitiser
# escapes `<` in text and `"` in attributes.
_PLACEHOLDER = re.compile(
    rf'<div data-embed="drill" data-ref="(?P<slug>{_SLUG})"(?: data-id="(?P<drill_id>{_UUID})")?></div>'
    rf'|<div data-embed="media" data-ref="(?P<uuid>{_UUID})"></div>'
)
# A line an editor probably meant as an embed: `[[` then a kind and a colon,
# or a whole line in double brackets. Text such as "[[1]] Romanov" is left alone.
_EMBED_ATTEMPT = re.compile(r"^\[\[(?P<inner>.*?)(?P<close>\]\]|$)(?P<after>.*)$")
_KIND_WORD = re.compile(r"[a-z]+")
_EXAMPLE_SLUG = "hamstring-curl-on-box"
_EXAMPLE_UUID = "3f2b8c1e-5d4a-4b6c-9e7f-0a1b2c3d4e5f"

_HEADING_TAGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
_ALIGNMENTS = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}
_EXTERNAL_LINK_REL = "nofollow noopener"
_EXTERNAL_URL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
# A word is a run of non-space characters with a letter or digit in it. Found run by
# run: one pattern for the whole (`\S*\w\S*`) backtracks quadratically on a long run
# with no letter in it, such as a line of punctuation.
_NON_SPACE = re.compile(r"\S+")
_WORD_CHARACTER = re.compile(r"\w")


@dataclass(frozen=True)
class Embed:
    kind: str  # "drill" | "media"
    ref: str  # drill slug, or media UUID in lower case
    line: int  # 1-based, for messages to the editor


@dataclass(frozen=True)
class RenderedBody:
    html: str
    embeds: list[Embed]  # each drill or media once, at its first line
    word_count: int
    reading_minutes: int
    # (line, message) for each line that looks like an embed but is shown as text,
    # then for each Markdown image: the admin refuses a body with any.
    problems: list[tuple[int, str]]


class BodyTooComplex(ValueError):
    """The body needs more parsing work than `MAX_MARKUP_WORK`; `line` is where it ran out."""

    def __init__(self, line: int):
        self.line = line
        self.message = (
            "by this line the body has more Markdown formatting than one article can hold (a long run of "
            "brackets, asterisks or other symbols, or tens of thousands of links, list items or table cells). "
            "Put long runs of symbols in a code block (between lines of ```), or split the text into several articles"
        )
        super().__init__(f"Line {line}: {self.message}")


def render_markdown(source: str) -> RenderedBody:
    """The body's HTML and everything derived from it, from one parse; `BodyTooComplex` if it needs too much work."""
    work = _Work(MAX_MARKUP_WORK)
    # Lines first, before any parsing: some block rules (lists, tables, setext headings)
    # take many lines in one call and make their tokens only at the end.
    lines = source.count("\n") + source.count("\r") - source.count("\r\n") + 1  # as markdown-it counts them
    if lines * _WORK_PER_LINE > work.limit:
        raise BodyTooComplex(work.limit // _WORK_PER_LINE + 1)
    work.add(lines * _WORK_PER_LINE)
    env = {_WORK: work}
    tokens = _MARKDOWN.parse(source, env)
    body_parsed.send(sender=RenderedBody, source=source, blocks_only=False)
    html = _CLEANER.clean(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))
    word_count = _count_words(" ".join(_block_texts(tokens)))
    reading_minutes = max(1, math.ceil(word_count / WORDS_PER_MINUTE)) if source.strip() else 0
    problems = _malformed_embeds(tokens) + _images(env)
    parsed = _PARSED_SPANS.get()
    if parsed is not None:
        parsed[source] = _spans_in(tokens)
    return RenderedBody(html, _embeds_in(tokens), word_count, reading_minutes, problems)


def embed_spans(source: str) -> list[tuple[Embed, int]]:
    """Every embed in the body, in order, with the column its line's embed starts at.

    Embeds are blocks, so this parses blocks only (no inline work), in linear time. Inside
    `one_parse_per_body()`, a body `render_markdown()` parsed there is not parsed again.
    """
    known = (_PARSED_SPANS.get() or {}).get(source)
    if known is not None:
        return list(known)
    tokens = _BLOCKS.parse(source)
    body_parsed.send(sender=RenderedBody, source=source, blocks_only=True)
    return _spans_in(tokens)


# {body: its embed spans} of the bodies rendered inside one_parse_per_body(), else None.
_PARSED_SPANS: ContextVar[dict[str, list[tuple[Embed, int]]] | None] = ContextVar("parsed_spans", default=None)


@contextmanager
def one_parse_per_body():
    """Within it, what `render_markdown()` parses is reused by `embed_spans()` (one save, one parse).

    A save renders the body, and the sync then records the API's view of the article, which
    needs the embeds' places in the same body.
    """
    token = _PARSED_SPANS.set({})
    try:
        yield
    finally:
        _PARSED_SPANS.reset(token)


def _spans_in(tokens: list[Token]) -> list[tuple[Embed, int]]:
    return [
        (Embed(token.meta["kind"], token.meta["ref"], line=token.map[0] + 1), token.meta["column"])
        for token in tokens
        if token.type == "embed"
    ]


@dataclass(frozen=True)
class Placeholder:
    kind: str  # "drill" | "media"
    ref: str  # as the body wrote it: a drill slug, or a media UUID
    drill_id: str | None = None  # the drill that slug named when the article was saved


def expand_embeds(html: str, render_embed: Callable[[str, str], str]) -> str:
    """Replace each placeholder with ``render_embed(kind, ref)``, trusted HTML or ""."""
    return expand_placeholders(html, lambda placeholder: render_embed(placeholder.kind, placeholder.ref))


def expand_placeholders(html: str, render: Callable[[Placeholder], str]) -> str:
    """Replace each placeholder with ``render(placeholder)``, trusted HTML or ""."""

    def replace(match: re.Match[str]) -> str:
        if match["slug"]:
            return render(Placeholder("drill", match["slug"], match["drill_id"]))
        return render(Placeholder("media", match["uuid"]))

    return _PLACEHOLDER.sub(replace, html)


def placeholder_html(placeholder: Placeholder) -> str:
    """The placeholder as stored: what _render_embed writes, with the drill's id once it is known."""
    drill_id = f' data-id="{placeholder.drill_id}"' if placeholder.drill_id else ""
    return f'<div data-embed="{placeholder.kind}" data-ref="{placeholder.ref}"{drill_id}></div>'


def link_drills(html: str, drill_ids: dict[str, str]) -> str:
    """`html` with each drill placeholder naming the id of the drill its slug finds in `drill_ids`.

    An article is saved with these ids, so it keeps showing the drill it embedded when
    the drill is renamed and its old slug is released to another drill. A slug
    `drill_ids` does not know is left without an id: nothing is shown for it.
    """

    def link(placeholder: Placeholder) -> str:
        if placeholder.kind != "drill":
            return placeholder_html(placeholder)
        drill_id = drill_ids.get(placeholder.ref)
        return placeholder_html(Placeholder("drill", placeholder.ref, str(drill_id) if drill_id else None))

    return expand_placeholders(html, link)


def find_malformed_embeds(source: str) -> list[tuple[int, str]]:
    """(line, message) for each line that looks like an embed but is shown as text."""
    return _malformed_embeds(_BLOCKS.parse(source))


def find_images(source: str) -> list[tuple[int, str]]:
    """(line, message) for each Markdown image, which the body does not show."""
    env: dict = {}
    _MARKDOWN.parse(source, env)
    return _images(env)


def _malformed_embeds(tokens: list[Token]) -> list[tuple[int, str]]:
    problems = []
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type != "paragraph_open" or inline.map is None:
            continue
        # A paragraph's content keeps one line per source line, so the index
        # within it gives the line number, also inside lists and quotes.
        for offset, line in enumerate(inline.content.split("\n")):
            problem = _embed_problem(line.strip())
            if problem:
                problems.append((inline.map[0] + offset + 1, problem))
    return problems


def _images(env: dict) -> list[tuple[int, str]]:
    problems = []
    for line, alt in env.get("images", []):
        shown = alt if len(alt) <= 40 else alt[:37] + "..."
        problems.append(
            (
                line,
                f"the image “{shown}” is not shown: upload it to the media library (it gets alt text "
                "and sizes for every screen) and embed it on a line of its own with [[media:ID]]",
            )
        )
    return problems


def _embed_problem(line: str) -> str | None:
    if _EMBED_LINE.match(line):
        return f"{line} is shown as text: start it at the beginning of a line, on a line of its own"
    attempt = _EMBED_ATTEMPT.match(line)
    if attempt is None:
        return None
    kind, colon, ref = attempt["inner"].partition(":")
    kind, ref = kind.strip().lower(), ref.strip()
    closed, after = bool(attempt["close"]), attempt["after"].strip()
    looks_like_embed = kind in ("drill", "media") or (colon and _KIND_WORD.fullmatch(kind)) or (closed and not after)
    if not looks_like_embed:
        return None
    shown = line if len(line) <= 60 else line[:57] + "..."
    if kind not in ("drill", "media"):
        return f"{shown} is not an embed: write [[drill:SLUG]] or [[media:UUID]]"
    if not closed:
        return f"{shown} is not closed: end it with ]]"
    if after:
        return f"{shown} must be on a line of its own: move the text after ]] to the next line"
    if kind == "drill":
        if not ref:
            return f"{shown} needs a drill slug, e.g. [[drill:{_EXAMPLE_SLUG}]]"
        suggestion = slugify(ref)
        hint = f"; did you mean [[drill:{suggestion}]]?" if suggestion else f", e.g. [[drill:{_EXAMPLE_SLUG}]]"
        return f"{shown}: a drill slug has only lower-case letters, digits, - and _{hint}"
    if not ref:
        return f"{shown} needs a media id, e.g. [[media:{_EXAMPLE_UUID}]]"
    return f"{shown}: {ref} is not a media id; copy the id from the media library, e.g. [[media:{_EXAMPLE_UUID}]]"


def _embed_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    # Matched in place: this runs for each line (more than once inside quotes and
    # lists), so a copy of each line would cost time quadratic in a long line.
    start = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("[[", start):
        return False
    match = _EMBED_LINE.match(state.src, start, state.eMarks[start_line])
    if match is None:
        return False
    if not silent:
        token = state.push("embed", "div", 0)
        token.map = [start_line, start_line + 1]
        column = start - (state.src.rfind("\n", 0, start) + 1)
        if match["slug"]:
            token.meta = {"kind": "drill", "ref": match["slug"], "column": column}
        else:
            token.meta = {"kind": "media", "ref": match["uuid"].lower(), "column": column}
    state.line = start_line + 1
    return True


def _render_embed(renderer, tokens: list[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    return f'<div data-embed="{meta["kind"]}" data-ref="{meta["ref"]}"></div>\n'


def _tidy_tokens(state: StateCore) -> None:
    """Shape markdown-it's tokens into what the sanitiser allows."""
    heading_ids: dict[str, str] = {}
    heading_numbers: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_TAGS[token.tag]
        if token.type == "heading_open":
            # A heading's text is always the inline token that follows it.
            text = "".join(_inline_texts(state.tokens[index + 1]))
            token.attrSet("id", _heading_id(text, heading_ids, heading_numbers))
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            # Alignment as an attribute, because style attributes never pass the sanitiser.
            align = _ALIGNMENTS.get(str(token.attrs.pop("style")))
            if align:
                token.attrSet("align", align)
    for line, child in _inline_children_with_lines(state.tokens):
        if child.type in ("s_open", "s_close"):
            child.tag = "del"
        if child.type == "image":
            # Shown as its alt text: a picture comes from the media library (see above).
            alt = "".join(_inline_texts(child))
            state.env.setdefault("images", []).append((line, alt))
            child.type, child.tag, child.content, child.attrs, child.children = "text", "", alt, {}, None
        if child.type != "link_open":
            continue
        href = str(child.attrGet("href") or "")
        if _EXTERNAL_URL.match(href):
            child.attrSet("rel", _EXTERNAL_LINK_REL)
        elif href.startswith("#") and unquote(href[1:]) in heading_ids:
            # Editors link to a heading by its text's slug; the id has a prefix.
            child.attrSet("href", "#" + heading_ids[unquote(href[1:])])


def _count_words(text: str) -> int:
    return sum(1 for run in _NON_SPACE.finditer(text) if _WORD_CHARACTER.search(run[0]))


def _heading_id(text: str, taken: dict[str, str], last_number: dict[str, int]) -> str:
    """An id not `taken` yet: the text's slug, then the slug with -2, -3 and so on.

    `last_number` remembers the last number tried for each slug, so a body of many
    headings with the same text costs one step per heading, not one per earlier heading.
    """
    base = slugify(text, allow_unicode=True) or "heading"
    slug, n = base, last_number.get(base, 1)
    if n > 1:
        slug = f"{base}-{n}"
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    last_number[base] = n
    taken[slug] = HEADING_ID_PREFIX + slug
    return taken[slug]


def _inline_children_with_lines(tokens: list[Token]):
    """(1-based source line, child) of every inline token's children."""
    for token in tokens:
        if token.type == "inline" and token.children:
            line = token.map[0] + 1 if token.map else 1
            for child in token.children:
                yield line, child
                if child.type in ("softbreak", "hardbreak"):
                    line += 1


def _inline_texts(token: Token):
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            yield child.content
        elif child.type in ("softbreak", "hardbreak"):
            yield " "


def _block_texts(tokens: list[Token]):
    """The text a reader sees; embeds and image alt text are not part of it."""
    for token in tokens:
        if token.type == "inline":
            yield "".join(_inline_texts(token))
        elif token.type in ("fence", "code_block"):
            yield token.content


def _embeds_in(tokens: list[Token]) -> list[Embed]:
    embeds: dict[tuple[str, str], Embed] = {}
    for token in tokens:
        if token.type == "embed":
            key = (token.meta["kind"], token.meta["ref"])
            embeds.setdefault(key, Embed(*key, line=token.map[0] + 1))
    return list(embeds.values())


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # markdown-it writes only these attributes; the checks are a second line
    # of defence should a markdown-it change or a bug let other values through.
    if attribute == "id":
        return value if re.fullmatch(rf"{HEADING_ID_PREFIX}[\w-]+", value) else None
    if attribute == "data-ref":
        return value if re.fullmatch(_SLUG, value) else None
    if attribute == "start":
        return value if re.fullmatch(r"[0-9]{1,9}", value) else None
    if attribute == "class":
        return value if re.fullmatch(r"language-[\w+#.-]+", value) else None
    return value


class _Work:
    """What a parse has cost so far, in `MAX_MARKUP_WORK` units; `line` is the 1-based line being parsed."""

    def __init__(self, limit: int):
        self.limit, self.done, self.line = limit, 0, 1
        self.inline_state, self.inline_tokens = None, 0

    def add(self, amount: int) -> None:
        self.done += amount
        if self.done > self.limit:
            raise BodyTooComplex(self.line)


_WORK = "runcms_work"  # the env key markdown-it passes to every rule


def _count_blocks(state: StateCore) -> None:
    work = state.env.get(_WORK)
    if work:
        for token in state.tokens:
            work.line = token.map[0] + 1 if token.map else work.line
            work.add(1)


def _parse_inline(state: StateCore) -> None:
    """markdown-it's own core rule, which also counts each block's inline tokens and notes its line."""
    work = state.env.get(_WORK)
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if work and token.map:
                work.line = token.map[0] + 1
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _count_position(state: StateInline, silent: bool) -> bool:
    """First inline rule: runs once for each position the parser tries, also when it looks ahead.

    It also counts the tokens made since it last ran, so a paragraph is refused while
    it is parsed, not after.
    """
    work = state.env.get(_WORK)
    if work:
        if work.inline_state is not state:
            work.inline_state, work.inline_tokens = state, 0
        made = len(state.tokens) - work.inline_tokens
        work.inline_tokens = len(state.tokens)
        work.add(1 + max(made, 0))
    return False


class _CountingInlineParser(ParserInline):
    """markdown-it's inline parser, counting each step it takes while looking ahead.

    Looking for the end of a link label (`[`...`]`) steps over the tokens inside it,
    nested labels too; with markdown-it's cache this is linear, but a run of brackets
    takes many such steps per character, and they do not all reach the inline rules.
    """

    def skipToken(self, state: StateInline) -> None:
        work = state.env.get(_WORK)
        if work:
            work.add(1)
        super().skipToken(state)


def _build_markdown(inline: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    counting = _CountingInlineParser()
    counting.ruler, counting.ruler2 = md.inline.ruler, md.inline.ruler2  # the preset's rules
    md.inline = counting
    md.enable(["table", "strikethrough"])
    # First, so that a setext underline or a table cannot claim an embed line;
    # the alt list lets an embed end a paragraph, list, quote or table (a
    # table stops at what may end a quote).
    md.block.ruler.before("table", "embed", _embed_block, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    if not inline:
        md.disable(["inline", "text_join"])
        return md
    md.core.ruler.after("block", "count_blocks", _count_blocks)
    md.core.ruler.at("inline", _parse_inline)
    md.inline.ruler.before("text", "count_positions", _count_position)
    md.add_render_rule("embed", _render_embed)
    md.core.ruler.push("tidy", _tidy_tokens)
    return md


_MARKDOWN = _build_markdown()
_BLOCKS = _build_markdown(inline=False)  # blocks only: where the embeds are, and paragraphs' text

_ALLOWED_TAGS = (
    {"p", "h2", "h3", "h4", "blockquote", "pre", "hr", "br"}
    | {"ul", "ol", "li"}
    | {"em", "strong", "del", "code", "a"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
    | {"div"}  # only as an embed placeholder: it gets no attributes but data-embed and data-ref
)
_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={
        "a": {"href", "title"},
        "h2": {"id"},
        "h3": {"id"},
        "h4": {"id"},
        "ol": {"start"},
        "code": {"class"},
        "div": {"data-ref"},
    },
    tag_attribute_values={
        "a": {"rel": {_EXTERNAL_LINK_REL}},
        "th": {"align": set(_ALIGNMENTS.values())},
        "td": {"align": set(_ALIGNMENTS.values())},
        "div": {"data-embed": {"drill", "media"}},
    },
    attribute_filter=_filter_attribute,
    # rel is set above on external links only: nofollow on our own links
    # would tell search engines to ignore the site's pages.
    link_rel=None,
    url_schemes={"http", "https", "mailto"},
    strip_comments=True,
)
