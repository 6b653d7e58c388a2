"""Draft changes to live content: the public keeps the live version until a publisher publishes the draft.

Editing a public item (live, or scheduled to go live) does not change its rows: the edit is kept
as a `DraftChange`, the item and what it follows (steps, cues, media links, program items,
sources, with every language's text) serialized the way django-reversion serializes a revision.
So the rows, and all that is read from them (published documents, the API, the sync, pages,
feed, sitemap, search), stay on the live version.

To show the draft (the change form, a preview, the comparison) it is applied to the rows inside
a transaction that is rolled back afterwards (`applied()`): the same code that publishes it, so
what an editor sees is what will go live. Publishing applies it for good (`publish()`), through
the ordinary save path, so the change journal, documents and webhooks see an ordinary change.
The workflow fields (status and schedule) always stay those of the live rows.
"""

import json
from collections import defaultdict
from contextlib import contextmanager, nullcontext

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from reversion.revisions import _follow_relations_recursive, _get_options

from runcms import changelog
from runcms.models import DraftChange, DraftQuerySet  # noqa: F401 (runcms.drafts.DraftChange, as before)

# Never taken from a draft: when the public sees the item, and what the rows say of their own saving.
KEPT_FROM_LIVE = (
    "id", "status", "publish_at", "unpublish_at", "first_published_at", "created_at", "updated_at", "updated_by",
)

# Sent once a draft is the live version, with the item (`instance`) and its rows as they were (`before`).
draft_published = Signal()


def kept_from_live(model):
    """The fields of `model` a draft never sets: `KEPT_FROM_LIVE` and those the model names in
    `draft_kept_from_live` (what its stored file says of itself, for media)."""
    return (*KEPT_FROM_LIVE, *getattr(model, "draft_kept_from_live", ()))


def serialize(obj):
    """`obj` and all it follows, as django-reversion would store them in a revision, `obj` first.

    django-reversion offers no public call that serializes without saving a revision; these two
    are the ones `create_revision()` itself uses.
    """
    followed = sorted(_follow_relations_recursive(obj), key=lambda o: (o is not obj, o._meta.label_lower, str(o.pk)))
    entries = []
    for row in followed:
        options = _get_options(type(row))
        entries.append({
            "model": row._meta.label_lower,
            "object_id": str(row.pk),
            "format": options.format,
            "data": serializers.serialize(
                options.format, (row,), fields=options.fields,
                use_natural_foreign_keys=options.use_natural_foreign_keys,
            ),
        })
    return entries


def fields_of(entry):
    """The serialized field values of one entry of `DraftChange.versions` (or of `serialize()`)."""
    return json.loads(entry["data"])[0]["fields"]


def content(versions):
    """What `versions` (from `serialize()`) say of the item's content: all but `KEPT_FROM_LIVE` of the item."""
    found = []
    for position, entry in enumerate(versions):
        fields = fields_of(entry)
        if position == 0:
            kept = kept_from_live(apps.get_model(entry["model"]))
            fields = {name: value for name, value in fields.items() if name not in kept}
        found.append((entry["model"], entry["object_id"], fields))
    return sorted(found, key=lambda row: (row[0], row[1]))


def exists_for(model):
    """An `Exists` for annotating a queryset of `model`: whether each item has a draft change."""
    return models.Exists(DraftChange.objects.for_model(model).filter(object_id=models.OuterRef("pk")))


def release_text(moment):
    return f"scheduled to go live at {timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "live now"


@contextmanager
def revision(user, comment):
    """A django-reversion revision by `user` with `comment`: a line of the item's History."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        yield


def draft_of(obj):
    return DraftChange.objects.of(obj).select_related("created_by", "updated_by", "scheduled_by").first()


def store(obj, title, user, versions, draft=None, *, keep_schedule=False):
    """Keep `versions` (from `serialize()`) as the draft change of the live `obj`, titled `title`,
    replacing `draft` if there is one."""
    now = timezone.now()
    if draft is None:
        draft = DraftChange(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
            created_by=user, created_at=now, based_on=obj.updated_at,
        )
    draft.object_repr = title[:200]
    draft.versions, draft.updated_by, draft.updated_at = versions, user, now
    if not keep_schedule:
        draft.publish_at = draft.scheduled_by = None
    draft.save()
    return draft


def apply(draft, *, for_good=False, user=None):
    """Write the draft over the item's rows, in the caller's transaction; returns the item as the draft has it.

    Rows the item follows that the draft does not have are deleted, as django-reversion's revert
    does. The item itself is saved the ordinary way (its slug history, the change journal); unless
    `for_good` (then `user` saves it), it keeps the draft's save time and author, so a form opened
    on the draft refuses a save made after someone else's newer one (runcms.admin.concurrency).
    """
    with nullcontext() if for_good else changelog.unlogged():
        return _apply(draft, for_good, user)


def _apply(draft, for_good, user):
    obj = draft.live(lock=True)
    if obj is None:
        raise ValueError(f"“{draft.object_repr}” no longer exists, so its draft cannot be applied.")
    versions = draft.stored_versions()
    root, parts = versions[0], versions[1:]
    live_parts = [row for row in _follow_relations_recursive(obj) if row is not obj]
    kept = {(type(row), str(row.pk)) for row in live_parts}
    wanted = {(version._model, version.object_id) for version in parts}
    gone = defaultdict(list)
    for row in live_parts:
        if (type(row), str(row.pk)) not in wanted:
            gone[type(row)].append(row.pk)
    for model, pks in gone.items():
        model._base_manager.filter(pk__in=pks).delete()
    (_save_parts if for_good else _save_parts_in_bulk)([version._object_version for version in parts], kept)
    drafted = root._object_version
    kept_fields = kept_from_live(type(obj))
    for field in obj._meta.concrete_fields:
        if field.attname not in kept_fields and field.name not in kept_fields:
            setattr(obj, field.attname, getattr(drafted.object, field.attname))
    if for_good:
        obj.updated_by = user
    obj.save()
    for name, values in (drafted.m2m_data or {}).items():
        getattr(obj, name).set(values)
    if not for_good:
        saved = {"updated_at": draft.updated_at}
        if any(field.name == "updated_by" for field in obj._meta.concrete_fields):  # media keeps no author
            saved["updated_by"] = draft.updated_by
        type(obj)._base_manager.filter(pk=obj.pk).update(**saved)
        for name, value in saved.items():
            setattr(obj, name, value)
    return obj


def _save_parts(restored, kept):
    # One by one, with their signals: the change journal sees each part, as any save does.
    for part in restored:
        row = part.object
        if (type(row), str(row.pk)) not in kept and type(row)._base_manager.filter(pk=row.pk).exists():
            # A row the draft added, whose id another row took since (SQLite reuses the ids of rows
            # rolled back): it is new, so it gets a new id.
            row.pk = None
            row.save()
            continue
        part.save()


def _save_parts_in_bulk(restored, kept):
    # For a draft that is only shown: a query or two per kind of part, however many rows.
    by_model = defaultdict(lambda: ([], []))
    for part in restored:
        row = part.object
        by_model[type(row)][(type(row), str(row.pk)) not in kept].append(row)
    for model, (existing, added) in by_model.items():
        if existing:
            columns = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            model._base_manager.bulk_update(existing, columns)
        if added:
            taken = set(model._base_manager.filter(pk__in=[row.pk for row in added]).values_list("pk", flat=True))
            for row in added:
                if row.pk in taken:
                    row.pk = None
            model._base_manager.bulk_create(added)


class RolledBack(Exception):
    """Raised to leave a transaction whose work must be undone."""


@contextmanager
def applied(draft):
    """Inside the block the rows hold the draft (the item is yielded); afterwards nothing has changed.

    Whatever the block does to the database is undone too, and jobs or mail it asked for once the
    transaction commits are dropped: the database's own rollback, on PostgreSQL and on SQLite.
    """
    try:
        with transaction.atomic():
            yield apply(draft) if draft is not None else None
            raise RolledBack
    except RolledBack:
        pass


@contextmanager
def rolled_back():
    """A block whose database work is undone when it ends (see `applied`)."""
    with applied(None):
        yield


def publish(draft, user):
    """Make the draft the live version in one transaction: a revision "Published draft by X", then no draft."""
    by = user.get_username() if user else "the schedule"
    with transaction.atomic(), revision(user, f"Published draft by {by}"):
        draft = DraftChange.objects.select_for_update().filter(pk=draft.pk).first()
        if draft is None:
            raise ValueError("This draft has been published or discarded already.")
        before = draft.live()
        obj = apply(draft, for_good=True, user=user)
        draft.delete()
        draft_published.send(sender=type(obj), instance=obj, before=before)
    return obj


def schedule(draft, user, moment):
    """Publish the draft at `moment` (by the `publish_due` job); the live version stays until then."""
    draft.publish_at, draft.scheduled_by = moment, user
    draft.save(update_fields=["publish_at", "scheduled_by"])
    with revision(user, f"Scheduled the draft to go live at {timezone.localtime(moment):%Y-%m-%d %H:%M}"):
        reversion.add_to_revision(draft.live())
    return draft


def discard(draft, user):
    with transaction.atomic(), revision(user, "Discarded the draft change"):
        obj = draft.live()
        draft.delete()
        if obj is not None:
            reversion.add_to_revision(obj)


def publish_due(now=None):
    """Publish every draft whose scheduled moment has come; returns how many. For the periodic job."""
    published = 0
    for draft in DraftChange.objects.due(now).select_related("scheduled_by").order_by("publish_at"):
        try:
            publish(draft, draft.scheduled_by)
        except ValueError:
            continue  # published or discarded by someone meanwhile
        published += 1
    return published
