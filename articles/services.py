"""Saving an article: its body rendered to HTML, and the drills and media it embeds.

The admin calls `render_body()` before its save and `link_embeds()` after it (the
many-to-many rows need the saved article); import and demo code calls `save_article()`,
which does both. A drill embed is resolved from its slug to the drill's id when the body
is saved (`linked_html`); page, API and sync read that id, never the slug again.

A save parses the body once: the admin's form renders it while checking it and hands
that rendering (`RenderedBody`) to `check_embeds()` and `render_body()`; `link_embeds()`
reads the saved HTML. A body that needs too much parsing work raises `BodyTooComplex` (a
`ValueError`); `save_article()` turns it into a `ValidationError` on `body` and saves nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from articles.markdown import (
    BodyTooComplex,
    RenderedBody,
    expand_placeholders,
    link_drills,
    one_parse_per_body,
    render_markdown,
)
from drills.models import CueMedia, Drill
from runcms import languages
from runcms.formats import admin_time
from runcms.publishing import WorkflowState
from runcms.slugs import get_many_by_slug


def render_body(article, rendered: RenderedBody | None = None) -> RenderedBody:
    """Set `body_html` and `reading_minutes` from `body` (or from `rendered`, its rendering), without saving.

    `body` is the default language's; each translated body is rendered into its own language's HTML.
    """
    default = languages.default()
    with translation.override(default):
        rendered = rendered or render_markdown(article.body)
        article.body_html = linked_html(rendered)
    for code in languages.stored():
        if code != default:
            body = getattr(article, languages.column("body", code))
            html = linked_html(render_markdown(body)) if body else None
            setattr(article, languages.column("body_html", code), html)
    article.reading_minutes = max(1, rendered.reading_minutes)
    return rendered


def linked_html(rendered: RenderedBody) -> str:
    """The rendered body with each drill embed tied to the drill its slug names now (rule 5).

    From then on page, API and sync find the drill by this id, whatever happens to the slug.
    """
    slugs = [embed.ref for embed in rendered.embeds if embed.kind == "drill"]
    drills = get_many_by_slug(Drill.objects.only("id", "slug"), slugs) if slugs else {}
    return link_drills(rendered.html, {slug: drill.pk for slug, drill in drills.items()})


def embedded_ids(body_html):
    """(drill ids, media ids) the saved body embeds, in the order they first appear."""
    drills, media = {}, {}

    def collect(placeholder):
        if placeholder.kind == "media":
            media.setdefault(placeholder.ref)
        elif placeholder.drill_id:
            drills.setdefault(placeholder.drill_id)
        return ""

    expand_placeholders(body_html, collect)
    return list(drills), list(media)


def link_embeds(article):
    """Make `related_drills` and `embedded_media` the drills and media the saved body embeds, in any language."""
    drill_ids, media_ids = [], []
    for code in languages.stored():
        drills, media = embedded_ids(getattr(article, languages.column("body_html", code)) or "")
        drill_ids += drills
        media_ids += media
    article.related_drills.set(Drill.objects.filter(pk__in=drill_ids))
    article.embedded_media.set(CueMedia.objects.filter(pk__in=media_ids))


def save_article(article):
    with one_parse_per_body():
        try:
            render_body(article)
        except BodyTooComplex as error:
            raise ValidationError({"body": str(error)}) from error
        with transaction.atomic():
            article.save()
            link_embeds(article)
    return article


@dataclass(frozen=True)
class EmbedCheck:
    """What the admin says about a body's embeds: errors refuse the save, warnings only inform."""

    errors: list[tuple[int, str]]
    warnings: list[tuple[int, str]]

    @property
    def all(self):
        return sorted(self.errors + self.warnings)


def check_embeds(body: str | RenderedBody, live_from=None):
    """Embeds the body (or its rendering) cannot show, by line.

    Malformed embeds, Markdown images and missing drills or media are always errors.
    `live_from` is when the article goes live (None: it stays a draft). A drill that
    will not be live then is an error for an article about to go live, and only a
    warning for a draft, so work in progress can be saved.
    """
    rendered = body if isinstance(body, RenderedBody) else render_markdown(body)
    errors = list(rendered.problems)
    warnings = []
    embeds = rendered.embeds
    drills = get_many_by_slug(Drill.objects.all(), [embed.ref for embed in embeds if embed.kind == "drill"])
    wanted_media = [embed.ref for embed in embeds if embed.kind == "media"]
    media_ids = {str(pk) for pk in CueMedia.objects.filter(pk__in=wanted_media).values_list("pk", flat=True)}
    moment = max(live_from, timezone.now()) if live_from else timezone.now()
    for embed in embeds:
        if embed.kind == "media":
            if embed.ref not in media_ids:
                errors.append(
                    (embed.line, f"there is no media with the id {embed.ref}: copy the id from the media library")
                )
            continue
        drill = drills.get(embed.ref)
        if drill is None:
            errors.append((embed.line, f"there is no drill at “{embed.ref}”: check the slug in the drill's address"))
        elif not drill.is_live_at(moment):
            if live_from is None:
                warnings.append((embed.line, f"the drill “{drill.title}” {_why_hidden(drill, moment)}"))
            else:
                errors.append(
                    (
                        embed.line,
                        f"the drill “{drill.title}” {_why_hidden(drill, moment)}: publish the drill first, "
                        "schedule this article for when it goes live, or remove the embed",
                    )
                )
        elif drill.unpublish_at:
            warnings.append(
                (
                    embed.line,
                    f"the drill “{drill.title}” is unpublished at {admin_time(drill.unpublish_at)}: "
                    "from then the article shows without it",
                )
            )
    return EmbedCheck(sorted(errors), sorted(warnings))


def embed_problems(body: str | RenderedBody):
    """Everything `check_embeds` says about a draft's body, errors and warnings together (the preview)."""
    return check_embeds(body).all


def _why_hidden(drill, moment):
    state = drill.workflow_state(moment)
    if state == WorkflowState.DRAFT:
        why = "is a draft"
    elif state == WorkflowState.SCHEDULED:
        why = f"is scheduled for {admin_time(drill.publish_at)}"
    else:
        why = f"was unpublished at {admin_time(drill.unpublish_at)}"
    return f"{why}, so readers would not see it"
