"""An article's body as the API shows it: without embeds of drills or media the public cannot see (rule 1).

`body` and `body_html` are stored as the editor wrote them, so they keep an embed of a
drill that is a draft, not yet due, expired or deleted. The page leaves such an embed
out when it fills the placeholders (`articles.embeds`); the API hands out the Markdown
and the placeholders themselves, so it removes them from both. An embed under an old
slug of a published drill is written under its current slug, the one `related_drills`
lists, so an app can fill it.

What may be shown comes from the article's prefetched `related_drills` (published only,
see `ArticleQuerySet.for_api`) and `embedded_media`; an embed under an old slug of one
of those drills costs one query, for all the articles serialised together.
"""

import re

from articles.markdown import embed_spans, expand_embeds
from drills.models import Drill
from runcms.models import OldSlug

# Markdown's line breaks: markdown-it counts lines the same way.
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def public_bodies(articles):
    """{article id: (body, body_html)} without the embeds the public may not see, renamed drills under their slug."""
    articles = list(articles)
    refs = {article.pk: _embed_refs(article.body_html) for article in articles}
    shown, unknown = {}, {}
    for article in articles:
        slugs = {drill.slug for drill in article.related_drills.all()}
        media = {str(item.pk) for item in article.embedded_media.all()}
        shown[article.pk] = {
            (kind, ref) for kind, ref in refs[article.pk] if ref in (slugs if kind == "drill" else media)
        }
        unknown[article.pk] = {ref for kind, ref in refs[article.pk] if kind == "drill" and ref not in slugs}
    moved = _old_drill_slugs(set().union(*unknown.values()))
    bodies = {}
    for article in articles:
        current = {drill.pk: drill.slug for drill in article.related_drills.all()}
        renamed = {ref: current[moved[ref]] for ref in unknown[article.pk] if moved.get(ref) in current}
        shown[article.pk] |= {("drill", ref) for ref in renamed}
        bodies[article.pk] = _public(article, refs[article.pk] - shown[article.pk], renamed)
    return bodies


def _embed_refs(body_html):
    """(kind, ref) of every embed placeholder in `body_html`."""
    refs = set()

    def collect(kind, ref):
        refs.add((kind, ref))
        return ""

    expand_embeds(body_html, collect)
    return refs


def _old_drill_slugs(slugs):
    """{old slug: drill id}; the content type by a join, so this is one query, always."""
    if not slugs:
        return {}
    old = OldSlug.objects.filter(
        content_type__app_label=Drill._meta.app_label, content_type__model=Drill._meta.model_name, slug__in=slugs
    )
    return dict(old.values_list("slug", "object_id"))


def _public(article, hidden, renamed):
    """(body, body_html) without the `hidden` (kind, ref) embeds, and with {old slug: slug} `renamed`."""
    if not hidden and not renamed:
        return article.body, article.body_html

    def placeholder(kind, ref):
        if (kind, ref) in hidden:
            return ""
        if kind == "drill":
            ref = renamed.get(ref, ref)
        # Exactly what articles.markdown writes, so a kept embed is left as it was.
        return f'<div data-embed="{kind}" data-ref="{ref}"></div>'

    return _public_markdown(article.body, hidden, renamed), expand_embeds(article.body_html, placeholder)


def _public_markdown(body, hidden, renamed):
    """`body` with every embed line of `hidden` emptied and each of `renamed` rewritten, found by the parser.

    The parser knows which lines are embeds (not code, not text), and where on its line
    each embed starts; one parse of the blocks finds them all. Quote and list markers
    before an embed stay, so the rest of the body keeps its shape.
    """
    parts = _LINE_BREAK.split(body)  # lines at even indexes, their line breaks between them
    for embed, column in embed_spans(body):
        if (embed.kind, embed.ref) in hidden:
            replacement = ""
        elif embed.kind == "drill" and embed.ref in renamed:
            replacement = f"[[drill:{renamed[embed.ref]}]]"
        else:
            continue
        index = 2 * (embed.line - 1)
        parts[index] = parts[index][:column] + replacement
    return "".join(parts)
