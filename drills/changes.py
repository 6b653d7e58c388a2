"""What a change to a drill-side row affects in the change journal (see `runcms.changelog`).

`DrillsConfig.ready()` registers the collections and these trackers. Media is public while
a published item uses it, through any path in `MEDIA_USES`, so a change to the item, or to
the link, is a change to the media as well.
Media has no first publication date of its own: each change keeps its `first_public_at`
(the first-public rule is in `drills.media.uses`).
"""

from collections import defaultdict
from functools import reduce
from itertools import chain
from operator import or_

from django.db.models import Q

from drills.media.uses import media_used_by
from drills.models import MEDIA_USES, CueMedia, Drill, Program
from runcms import changelog


def muscle_changes(pks):
    return {"drills": ids(Drill.objects.filter(Q(primary_muscles__in=pks) | Q(secondary_muscles__in=pks)))}


def ids(queryset, field="pk"):
    return queryset.values_list(field, flat=True)


def public_media():
    # Not until its renditions are built: an app must never be sent an image it cannot show.
    return CueMedia.objects.public().filter(renditions_pending=False).with_renditions()


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



def media_changes(pks):
    pks = list(pks)
    media = CueMedia.objects.filter(pk__in=pks)
    paths = defaultdict(list)
    for path, model in MEDIA_USES:
        paths[model].append(path)
    found = {"media": pks}
    for model, model_paths in paths.items():
        name = changelog.collection_of(model)
        if name:
            # One query per using model, through all its paths, and only if its collection is asked for.
            users = ids(model.objects.filter(reduce(or_, (Q(pk__in=media.values(path)) for path in model_paths))))
            found[name] = chain(found[name], users) if name in found else users
    return found
