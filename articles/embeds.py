"""The body as a reader sees it: embed placeholders become drill cards and media figures.

Cards are looked up when the page is shown, not when the article is saved, so a card
follows its drill (a new title, a new photo, a new slug) and disappears when the drill
goes offline (rule 1). A drill is found by the id its placeholder got when the article
was saved (`articles.services.linked_html`), as the API and sync find it. The admin
preview uses this too, so it shows exactly the page.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.markdown import expand_placeholders
from articles.services import embedded_ids
from drills.models import CueMedia, Drill


def expand_body(body_html) -> SafeString:
    """`body_html` (already sanitised and linked) with its embeds replaced by cards and figures."""
    drill_ids, media_ids = embedded_ids(body_html)
    drills = (
        {str(pk): drill for pk, drill in Drill.objects.published().for_cards().in_bulk(drill_ids).items()}
        if drill_ids
        else {}
    )
    media = (
        {str(item.pk): item for item in CueMedia.objects.filter(pk__in=media_ids).with_renditions()}
        if media_ids
        else {}
    )

    def render(placeholder):
        if placeholder.kind == "drill":
            drill = drills.get(placeholder.drill_id)
            return render_to_string("articles/embeds/drill.html", {"drill": drill}) if drill else ""
        item = media.get(placeholder.ref)
        return render_to_string("articles/embeds/media.html", {"media": item}) if item else ""

    # The placeholders come from the sanitiser and the cards from our own templates,
    # which escape every value they show.
    return mark_safe(expand_placeholders(body_html, render))


def in_embed_order(drills, body_html):
    """`drills` in the order the body embeds them; a drill the body does not embed comes last."""
    order = embedded_ids(body_html)[0]
    first = {drill_id: index for index, drill_id in enumerate(order)}
    return sorted(drills, key=lambda drill: first.get(str(drill.pk), len(order)))
