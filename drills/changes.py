"""What a change to a drill-side row affects in the change journal (see `runcms.changelog`).

`DrillsConfig.ready()` registers the collections and these trackers. Media is public while
a published item uses it, through any path in `MEDIA_USES`, so a change to the item, or to
the link, is a change to the media as well.
Media has no first publication date of its own: each change keeps its `first_public_at`.
"""

from itertools import chain

from django.db.models import F, Min, Q
from django.utils import timezone

from drills.models import (
    MEDIA_USES,
    CueMedia,
    Drill,
    Program,
)
from runcms import changelog
from runcms.publishing import ClockNow


def muscle_changes(pks):
    return {"drills": ids(Drill.objects.filter(Q(primary_muscles__in=pks) | Q(secondary_muscles__in=pks)))}


def ids(queryset, field="pk"):
    return queryset.values_list(field, flat=True)


def public_media():
    return CueMedia.objects.public().with_renditions()


def drill_changes(pks):
    linking = ids(Drill.objects.filter(Q(progressions__in=pks) | Q(regressions__in=pks)))
    return {
        # chain(), not a list: no query unless the drills are asked for (see changelog.affected).
        "drills": chain(pks, linking),
        "programs": ids(Program.objects.filter(items__drill__in=pks)),
        "media": media_used_by(Drill, pks),
    }


def links(model, pks, drill_field, media_field):
    rows = list(model.objects.filter(pk__in=pks).values_list(drill_field, media_field))
    return {"drills": [row[0] for row in rows], "media": [row[1] for row in rows]}


def media_used_by(model, pks):
    """Ids of the media these rows of a publishable `model` use, through every registered use."""
    paths = [path for path, user in MEDIA_USES if user is model]
    if not paths:
        return []
    uses = [ids(CueMedia.objects.filter(**{f"{path}__in": list(pks)}).order_by()) for path in paths]
    return uses[0].union(*uses[1:]) if len(uses) > 1 else uses[0]


def media_changes(pks):
    pks = list(pks)
    found = {"media": pks}
    for path, model in MEDIA_USES:
        name = changelog.collection_of(model)
        if name:
            users = model.objects.filter(pk__in=CueMedia.objects.filter(pk__in=pks).values(path))
            found.setdefault(name, []).extend(ids(users))
    return found


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
    for path, model in MEDIA_USES:
        due = model.objects.published(at=F("publish_at")).scheduled(at=now).values("pk")
        later = pending.exclude(pk__in=[pk for pk, at in first.items() if at == now]).annotate(
            due_at=Min(f"{path}__publish_at", filter=Q(**{f"{path}__in": due}))
        )
        for pk, at in later.filter(due_at__isnull=False).values_list("pk", "due_at"):
            first[pk] = min(at, first[pk] or at)
    for pk, at in first.items():
        if at != stored[pk]:
            CueMedia.objects.filter(pk=pk).update(first_public_at=at)
