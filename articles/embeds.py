"""The body as a reader sees it: embed placeholders become drill cards and media figures.

Cards are looked up when the page is shown, not when the article is saved, so a card
follows its drill (a new title, a new photo, a new slug) and disappears when the drill
goes offline (rule 1). The admin preview uses this too, so it shows exactly the page.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.markdown import expand_embeds
from articles.services import drills_by_slug
from drills.models import CueMedia, Drill


def expand_body(body_html) -> SafeString:
    """`body_html` (already sanitised) with its embeds replaced by cards and figures."""
    refs = {"drill": set(), "media": set()}

    def collect(kind, ref):
        refs[kind].add(ref)
        return ""

    expand_embeds(body_html, collect)
    drills = drills_by_slug(Drill.objects.published().for_cards(), refs["drill"]) if refs["drill"] else {}
    media = (
        {str(item.pk): item for item in CueMedia.objects.filter(pk__in=refs["media"]).with_renditions()}
        if refs["media"]
        else {}
    )

    def render(kind, ref):
        if kind == "drill":
            drill = drills.get(ref)
            return render_to_string("articles/embeds/drill.html", {"drill": drill}) if drill else ""
        item = media.get(ref)
        return render_to_string("articles/embeds/media.html", {"media": item}) if item else ""

    # The placeholders come from the sanitiser and the cards from our own templates,
    # which escape every value they show.
    return mark_safe(expand_embeds(body_html, render))


def in_embed_order(drills, body_html):
    """`drills` in the order the body embeds them; a drill the body does not name by its slug comes last."""
    order = []
    expand_embeds(body_html, lambda kind, ref: order.append(ref) or "")
    first = {}
    for index, ref in enumerate(order):
        first.setdefault(ref, index)
    return sorted(drills, key=lambda drill: first.get(drill.slug, len(order)))
