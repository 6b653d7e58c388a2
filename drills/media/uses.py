"""Which content uses a media item, and whether that content is live now.

Apps that attach media register their paths with `drills.models.register_media_use`;
everything here follows those paths and the media's reverse relations, so it knows every
use without knowing the apps.
"""

from dataclasses import dataclass

from drills.models import MEDIA_USES, CueMedia, Rendition


@dataclass(frozen=True)
class MediaUse:
    role: str  # e.g. "gallery item", "step", "program cover"
    item: object  # the row that points at the media: a gallery item, a step, a program, an author...
    owners: tuple  # (publishable item, is it live now) for each item that row makes the media public with


def media_uses(media):
    """Every row that uses `media` (gallery items, steps, cues, covers, and whatever other apps
    registered with `register_media_use`), each with the publishable items it belongs to."""
    owner_paths = {}
    for path, _ in MEDIA_USES:
        accessor, _, rest = path.partition("__")
        owner_paths.setdefault(accessor, []).append(rest)
    found = []
    for relation in CueMedia._meta.related_objects:
        if relation.related_model is Rendition:
            continue
        if relation.many_to_many and not relation.through._meta.auto_created:
            continue  # listed through its link model's own foreign key (a gallery item)
        accessor = relation.get_accessor_name()
        paths = [rest for rest in owner_paths.get(accessor, []) if rest]
        rows = getattr(media, accessor).all().prefetch_related(*paths)
        model = relation.related_model._meta
        field = relation.field
        role = model.verbose_name if field.name == "media" else f"{model.verbose_name} {field.verbose_name}"
        for row in rows:
            owners = [owner for rest in paths for owner in _follow(row, rest)]
            if accessor in owner_paths and not paths:
                owners = [row]
            found.append((role, row, owners))
    live = _live_owners([owner for _, _, owners in found for owner in owners])
    return [
        MediaUse(role, row, tuple((owner, live.get((type(owner), owner.pk))) for owner in owners))
        for role, row, owners in found
    ]


def _follow(obj, path):
    objects = [obj]
    for attribute in path.split("__"):
        following = []
        for current in objects:
            value = getattr(current, attribute)
            if hasattr(value, "all"):  # a to-many relation: an author's articles
                following.extend(value.all())
            elif value is not None:
                following.append(value)
        objects = following
    return objects


def _live_owners(owners):
    """{(model, pk): is it published now} for owners with a publishing workflow, one query per model."""
    by_model = {}
    for owner in owners:
        by_model.setdefault(type(owner), set()).add(owner.pk)
    live = {}
    for model, pks in by_model.items():
        if not hasattr(model.objects, "published"):
            continue
        published = set(model.objects.published().filter(pk__in=pks).values_list("pk", flat=True))
        live.update({(model, pk): pk in published for pk in pks})
    return live


