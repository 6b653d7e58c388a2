"""Saving an article: its body rendered to HTML, and the drills and media it embeds.

The admin calls `render_body()` before its save and `link_embeds()` after it (the
many-to-many rows need the saved article); import and demo code calls `save_article()`,
which does both.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from articles.markdown import RenderedBody, find_malformed_embeds, render_markdown
from drills.models import CueMedia, Drill
from runcms.models import OldSlug
from runcms.publishing import Status


def render_body(article) -> RenderedBody:
    """Set `body_html` and `reading_minutes` from `body`, without saving."""
    rendered = render_markdown(article.body)
    article.body_html = rendered.html
    article.reading_minutes = max(1, rendered.reading_minutes)
    return rendered


def link_embeds(article):
    """Make `related_drills` and `embedded_media` the drills and media the body embeds."""
    embeds = render_markdown(article.body).embeds
    slugs = [embed.ref for embed in embeds if embed.kind == "drill"]
    media_ids = [embed.ref for embed in embeds if embed.kind == "media"]
    article.related_drills.set(drills_by_slug(Drill.objects.all(), slugs).values())
    article.embedded_media.set(CueMedia.objects.filter(pk__in=media_ids))


def save_article(article):
    with transaction.atomic():
        render_body(article)
        article.save()
        link_embeds(article)
    return article


def drills_by_slug(queryset, slugs):
    """{slug: drill} for the slugs found in `queryset`, following old slugs (rule 5).

    A current slug wins over an old one, as on the drill's page.
    """
    slugs = set(slugs)
    found = {drill.slug: drill for drill in queryset.filter(slug__in=slugs)}
    missing = slugs - found.keys()
    if missing:
        moved = dict(
            OldSlug.objects.filter(
                content_type=ContentType.objects.get_for_model(Drill), slug__in=missing
            ).values_list("slug", "object_id")
        )
        if moved:
            current = queryset.in_bulk(set(moved.values()))
            found.update({old: current[pk] for old, pk in moved.items() if pk in current})
    return found


def embed_problems(body):
    """(line, message) for every embed the body cannot show: malformed, missing or unpublished."""
    problems = list(find_malformed_embeds(body))
    embeds = render_markdown(body).embeds
    drills = drills_by_slug(Drill.objects.all(), [embed.ref for embed in embeds if embed.kind == "drill"])
    wanted_media = [embed.ref for embed in embeds if embed.kind == "media"]
    media_ids = {str(pk) for pk in CueMedia.objects.filter(pk__in=wanted_media).values_list("pk", flat=True)}
    for embed in embeds:
        if embed.kind == "media":
            if embed.ref not in media_ids:
                problems.append(
                    (embed.line, f"there is no media with the id {embed.ref}: copy the id from the media library")
                )
            continue
        drill = drills.get(embed.ref)
        if drill is None:
            problems.append((embed.line, f"there is no drill at “{embed.ref}”: check the slug in the drill's address"))
        elif not drill.is_live:
            problems.append((embed.line, f"the drill “{drill.title}” {_why_not_live(drill)}"))
    return sorted(problems)


def _why_not_live(drill):
    if drill.status == Status.DRAFT:
        state = "is a draft"
    elif drill.publish_at and drill.publish_at > timezone.now():
        state = f"is scheduled for {timezone.localtime(drill.publish_at):%Y-%m-%d %H:%M}"
    else:
        state = f"was unpublished at {timezone.localtime(drill.unpublish_at):%Y-%m-%d %H:%M}"
    return f"{state}, so readers would not see it: publish the drill first, or remove the embed"
