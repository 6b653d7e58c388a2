"""An article's body as the API shows it: without embeds of drills or media the public cannot see (rule 1).

`body` and `body_html` are stored as the editor wrote them, so they keep an embed of a
drill that is a draft, not yet due, expired or deleted. The page leaves such an embed
out when it fills the placeholders (`articles.embeds`); the API hands out the Markdown
and the placeholders themselves, so it removes them from both. A drill embed means the
drill whose id the article's saved `body_html` holds for it, as on the page; it is
written under that drill's current slug, the one `related_drills` lists, so an app can
fill it, whatever slug the editor wrote.

What may be shown comes from the article's prefetched `related_drills` (published only,
see `ArticleQuerySet.for_api`) and `embedded_media`: no query of its own.
"""

import re

from articles.markdown import Placeholder, embed_spans, expand_placeholders, placeholder_html

# Markdown's line breaks: markdown-it counts lines the same way.
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def public_bodies(articles):
    """{article id: (body, body_html)} without the embeds the public may not see, drills under their slug."""
    return {article.pk: _public_body(article) for article in articles}


def _public_body(article):
    slugs = {str(drill.pk): drill.slug for drill in article.related_drills.all()}
    media = {str(item.pk) for item in article.embedded_media.all()}
    hidden, renamed = set(), {}

    def placeholder(embed):
        if embed.kind == "media":
            if embed.ref not in media:
                hidden.add(("media", embed.ref))
                return ""
            return placeholder_html(embed)
        slug = slugs.get(embed.drill_id)
        if slug is None:
            hidden.add(("drill", embed.ref))
            return ""
        if slug != embed.ref:
            renamed[embed.ref] = slug
        # As articles.markdown writes it, under the drill's slug; the id is the server's business.
        return placeholder_html(Placeholder("drill", slug))

    body_html = expand_placeholders(article.body_html, placeholder)
    if not hidden and not renamed:
        return article.body, body_html
    return _public_markdown(article.body, hidden, renamed), body_html


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
