"""Which content uses a media item, whether that content is live now, and when the media was first public.

Apps that attach media register their paths with `drills.models.register_media_use`;
everything here follows those paths and the media's reverse relations, so it knows every
use without knowing the apps.
"""

from dataclasses import dataclass

from django.db.models import F, Min, OuterRef, Q, Subquery
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from drills.models import MEDIA_USES, CueMedia, Rendition
from runcms.publishing import ClockNow, keep_passed_moment


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


def media_used_by(model, pks):
    """Ids of the media these rows of a publishable `model` use, through every registered use."""
    paths = [path for path, user in MEDIA_USES if user is model]
    if not paths:
        return []
    uses = [_ids(CueMedia.objects.filter(**{f"{path}__in": list(pks)}).order_by()) for path in paths]
    return uses[0].union(*uses[1:]) if len(uses) > 1 else uses[0]


def exposed_media(ids):
    """Media that some client may hold: public at some time. Not media only drafts ever used (rule 1)."""
    return CueMedia.objects.filter(pk__in=ids, first_public_at__lte=ClockNow())


def record_first_public(ids):
    """Set `first_public_at` of these media, unless it has passed: now if something published shows
    them, else the earliest publish time of a scheduled item using them, else none.

    Every change that can make media public is logged for it, so between two changes this
    stays right, also when a schedule makes it public without a save.
    """
    now = timezone.now()
    pending = CueMedia.objects.filter(pk__in=ids).exclude(first_public_at__lte=now)
    stored = dict(pending.values_list("pk", "first_public_at"))
    if not stored:
        return
    first = dict.fromkeys(stored)
    first.update(dict.fromkeys(pending.public().values_list("pk", flat=True), now))
    later = [pk for pk, at in first.items() if at is None]
    # Only items scheduled to go live can make media public later: usually there are none at all.
    scheduling = {model for _, model in MEDIA_USES} if later else set()
    scheduling = {model for model in scheduling if model.objects.scheduled(at=now).exists()}
    if scheduling:
        # The earliest publish time of a scheduled item using each, through every use, in one query.
        due_at = {
            f"due_{n}": Subquery(
                CueMedia.objects.filter(pk=OuterRef("pk"))
                .annotate(due=Min(f"{path}__publish_at", filter=Q(**{
                    f"{path}__in": model.objects.published(at=F("publish_at")).scheduled(at=now).values("pk")
                })))
                .values("due")
            )
            for n, (path, model) in enumerate(MEDIA_USES)
            if model in scheduling
        }
        for pk, *moments in CueMedia.objects.filter(pk__in=later).annotate(**due_at).values_list("pk", *due_at):
            first[pk] = min((at for at in moments if at is not None), default=None)
    for pk, at in first.items():
        if at != stored[pk]:
            CueMedia.objects.filter(pk=pk).update(first_public_at=at)


@receiver(pre_save, sender=CueMedia, dispatch_uid="drills.media.uses.keep_first_public")
def _keep_first_public(sender, instance, raw=False, using=None, **kwargs):
    """A raw save (restoring a version, which django-reversion saves raw) never takes back a
    `first_public_at` that has passed: sync would stop telling apps to drop the media."""
    if raw:
        keep_passed_moment(instance, "first_public_at", using)


def _ids(queryset):
    return queryset.values_list("pk", flat=True)
