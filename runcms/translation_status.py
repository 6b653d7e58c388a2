"""The status of an item's translations, read from its revisions (django-reversion).

Per published language besides the default, a translation is "missing" (the item has no text in
it yet), "outdated" (the default language's text, the item's own or its children's — steps, cues,
program items — changed in a save after the last one that changed this language's) or "up to date".
Items whose forms show it are tracked: each saved revision refreshes their OutdatedTranslation
marks, which the admin's filter "needs translation into" reads.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import models
from reversion.errors import RevertError
from reversion.models import Version
from reversion.signals import post_revision_commit

from runcms import languages


class OutdatedTranslation(models.Model):
    """An item whose translation into `language` is outdated: its default-language text changed in a
    save after the last one that changed this language's text (`runcms.admin.translations`).

    Derived from the item's revisions whenever one is saved; kept so that the admin's filter
    "needs translation into" can find outdated items with one query.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)  # as django-reversion writes it
    language = models.CharField(max_length=15)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="one_outdated_mark_per_item_and_language"
            ),
        ]

    def __str__(self):
        return f"{self.content_type} {self.object_id} [{self.language}]"


# How many of an item's latest revisions its translation status looks back over.
STATUS_REVISIONS = 50

MISSING, UP_TO_DATE, OUTDATED = "missing", "up to date", "outdated"

_tracked = set()


def track_status(model):
    """Keep the outdated marks of `model`'s items up to date as revisions are saved."""
    _tracked.add(model)


def _others():
    return [code for code in languages.enabled() if not languages.is_default(code)]


def translation_statuses(obj):
    """{code: status} for every published language besides the default (see the module's docstring)."""
    others = _others()
    has = set(languages.available(obj))
    statuses = {code: MISSING for code in others if code not in has}
    present = [code for code in others if code in has]
    if present:
        changed = _last_changes(obj, [languages.default(), *present])
        source = changed[languages.default()]
        statuses.update({code: OUTDATED if source > changed[code] else UP_TO_DATE for code in present})
    return statuses


def _last_changes(obj, codes):
    """{code: the index of the last of obj's revisions (oldest first) that changed its text in that language};
    -1 for all when it has no history (media and taxonomy today)."""
    if not reversion.is_registered(type(obj)):
        return dict.fromkeys(codes, -1)
    revisions = list(
        Version.objects.get_for_object(obj).order_by("-pk").values_list("revision_id", flat=True)[:STATUS_REVISIONS]
    )
    by_revision = {}
    for version in Version.objects.filter(revision_id__in=revisions).order_by("pk"):
        by_revision.setdefault(version.revision_id, []).append(version)
    changed = dict.fromkeys(codes, -1)
    previous = None
    for index, revision in enumerate(reversed(revisions)):
        texts = _texts(obj, by_revision.get(revision, []), codes)
        for code in codes:
            if previous is None or texts[code] != previous[code]:
                changed[code] = index
        previous = texts
    return changed


def _texts(obj, versions, codes):
    """{code: the text of `obj` and its children (its steps, cues…) in that language} in one revision."""
    texts = {code: [] for code in codes}
    for version in versions:
        model = ContentType.objects.get_for_id(version.content_type_id).model_class()
        fields = [
            name for name in languages.translated_fields(model)
            if model._meta.get_field(languages.column(name, languages.default())).editable
        ] if model else []
        if not fields:
            continue
        try:
            data = version.field_dict
        except RevertError:  # a revision today's models cannot read: it tells nothing
            continue
        if not (model is type(obj) and version.object_id == str(obj.pk)) and not _belongs_to(obj, model, data):
            continue
        for code in codes:
            texts[code] += [
                (model._meta.label, version.object_id, name, value)
                for name in fields if (value := data.get(languages.column(name, code)))
            ]
    return {code: sorted(items) for code, items in texts.items()}


def _belongs_to(obj, model, data):
    """Whether a row of `model` (as a revision holds it) is a child of `obj`, e.g. a step of a drill."""
    return any(
        field.many_to_one and field.related_model is type(obj) and str(data.get(field.attname)) == str(obj.pk)
        for field in model._meta.concrete_fields
    )


def changed_languages(obj, since=None):
    """The published languages whose text (the item's or its children's) its latest revision has
    changed from the last one saved at or before `since`; with no such revision, those it has text in."""
    if not reversion.is_registered(type(obj)):
        return []
    versions = Version.objects.get_for_object(obj).select_related("revision").order_by("-pk")
    latest = versions.first()
    if latest is None:
        return []
    codes = languages.enabled()
    now = _texts(obj, latest.revision.version_set.all(), codes)
    earlier = versions.filter(revision__date_created__lte=since).first() if since else None
    if earlier is None:
        return [code for code in codes if now[code]]
    before = _texts(obj, earlier.revision.version_set.all(), codes)
    return [code for code in codes if now[code] != before[code]]


def _keep_outdated_marks(sender, revision, versions, **kwargs):
    """After a save: mark each item of the revision that the filter tracks with its outdated translations."""
    for version in versions:
        model = ContentType.objects.get_for_id(version.content_type_id).model_class()
        if model not in _tracked or not _others():
            continue
        obj = model._base_manager.filter(pk=version.object_id).first()
        if obj is None:
            continue
        content_type = ContentType.objects.get_for_model(model)
        outdated = [code for code, status in translation_statuses(obj).items() if status == OUTDATED]
        marks = OutdatedTranslation.objects.filter(content_type=content_type, object_id=version.object_id)
        marks.exclude(language__in=outdated).delete()
        for code in outdated:
            OutdatedTranslation.objects.get_or_create(
                content_type=content_type, object_id=version.object_id, language=code
            )


post_revision_commit.connect(_keep_outdated_marks, dispatch_uid="runcms_outdated_translations")
