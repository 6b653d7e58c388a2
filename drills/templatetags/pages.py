"""Template tags for pages that show drills and media: responsive pictures, media figures, prescriptions."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drills.models import MediaKind, Prescription

register = template.Library()

# The picture a browser without srcset support gets, and the size shared links use.
DEFAULT_WIDTH = 1024
FALLBACK_FORMATS = ("jpeg", "png")


def _renditions(media, thumb):
    return media.sized_renditions(thumb=thumb, formats=("webp",)), media.sized_renditions(
        thumb=thumb, formats=FALLBACK_FORMATS
    )


def _default(renditions):
    fitting = [r for r in renditions if r.width <= DEFAULT_WIDTH]
    return fitting[-1] if fitting else renditions[0]


def _srcset(renditions):
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


def picture_context(media, *, sizes="100vw", thumb=False, eager=False):
    """What the picture template needs; `src` is empty when there is nothing to show (yet: while
    a job builds its renditions)."""
    if media is None or media.renditions_pending:
        return {"src": ""}
    webp, fallback = _renditions(media, thumb)
    context = {"alt": media.alt_text, "sizes": sizes, "eager": eager, "placeholder": ""}
    if fallback:
        default = _default(fallback)
        # A PNG fallback means the picture has transparent parts; a blurred
        # placeholder would show through them, so it gets none.
        transparent = default.format == "png"
        placeholder = media.placeholder if media.placeholder.startswith("data:image/") and not transparent else ""
        return {
            **context,
            "src": default.file.url,
            "srcset": _srcset(fallback),
            "webp_srcset": _srcset(webp),
            "width": default.width,
            "height": default.height,
            "placeholder": placeholder,
        }
    # Renditions not made (yet): the original image, or a video's poster.
    if media.kind in (MediaKind.IMAGE, MediaKind.ANIMATION) and media.file:
        source = media.file
    elif media.kind == MediaKind.VIDEO and media.poster:
        source = media.poster
    else:
        return {"src": ""}
    return {**context, "src": source.url, "width": media.width, "height": media.height}


@register.inclusion_tag("drills/includes/picture.html")
def picture(media, sizes="100vw", thumb=False, eager=False):
    """A responsive <picture>: WebP and JPEG/PNG srcsets, width and height, lazy loading."""
    return picture_context(media, sizes=sizes, thumb=thumb, eager=eager)


@register.inclusion_tag("drills/includes/media_figure.html")
def media_figure(media, sizes="(min-width: 46rem) 42rem, 100vw"):
    """A figure for any kind of media: picture, video with poster, or audio, with caption and credit."""
    context = {"media": media, "kind": media.kind, "sizes": sizes, "pending": media.renditions_pending}
    if media.kind == MediaKind.VIDEO:
        poster = picture_context(media)
        context.update(poster=poster["src"], width=media.width, height=media.height)
    return context


@register.filter
def card_image(drill):
    """The first picture in a drill's gallery (a video counts by its poster), or None."""
    for link in drill.media_links.all():
        media = link.media
        if media.kind != MediaKind.AUDIO and picture_context(media, thumb=True)["src"]:
            return media
    return None


@register.filter
def prescription(source):
    """How much to do, in words: "3 sets of 10 reps per side, rest 1 min. Change feet after 10."

    `source` is a drill, a program item (its effective prescription) or a dict of values.
    """
    if hasattr(source, "effective_prescription"):
        values = source.effective_prescription()
    elif isinstance(source, dict):
        values = source
    else:
        values = {name: getattr(source, name, None) for name in (*Prescription.PRESCRIPTION_FIELDS, "per_side")}
    parts = []
    sets, reps, per_side = values.get("sets"), values.get("reps"), values.get("per_side")
    if reps:
        if per_side:
            amount = ngettext("%(count)s rep per side", "%(count)s reps per side", reps) % {"count": reps}
        else:
            amount = ngettext("%(count)s rep", "%(count)s reps", reps) % {"count": reps}
        if sets and sets > 1:
            amount = ngettext("%(count)s set of %(reps)s", "%(count)s sets of %(reps)s", sets) % {
                "count": sets, "reps": amount
            }
        parts.append(amount)
    elif sets:
        if per_side:
            parts.append(ngettext("%(count)s set per side", "%(count)s sets per side", sets) % {"count": sets})
        else:
            parts.append(ngettext("%(count)s set", "%(count)s sets", sets) % {"count": sets})
    if values.get("hold_seconds"):
        parts.append(_("hold %(duration)s") % {"duration": _duration(values["hold_seconds"])})
    if values.get("duration_seconds"):
        duration = _duration(values["duration_seconds"])
        parts.append(_("%(duration)s per side") % {"duration": duration} if per_side and not reps else duration)
    if values.get("distance_metres"):
        parts.append(_("%(metres)s m") % {"metres": values["distance_metres"]})
    if values.get("rest_seconds"):
        parts.append(_("rest %(duration)s") % {"duration": _duration(values["rest_seconds"])})
    text = ", ".join(parts)
    note = (values.get("prescription_note") or "").strip()
    if note:
        text = f"{text}. {note}" if text else note
    return text[:1].upper() + text[1:]


def _duration(seconds):
    minutes, seconds = divmod(seconds, 60)
    if not minutes:
        return _("%(seconds)s s") % {"seconds": seconds}
    if seconds:
        return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": seconds}
    return _("%(minutes)s min") % {"minutes": minutes}
