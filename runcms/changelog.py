"""The change journal: what changed for the API, and the registry that says so.

Apps register their collections (`register("drills", Drill, DrillSerializer)`) and
tell which collections a saved or deleted row changes (`track(Step, affected)`), the
way models register with the admin; this module knows no content type.

Every tracked save, delete and many-to-many change appends the affected objects to
`ChangeLog`, in the transaction of the change. `affected` is called before the change
and after it, so an object that a change detaches (a photo removed from a drill) is
logged as well as the one it attaches. Each entry keeps the digest of the object as the
public saw it just before the change (`representation_digests`: a hash of what the
serializer returns), so a delta sync (`runcms.sync`) can leave out what looks the same.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from runcms import representation
from runcms.models import ChangeLog
from runcms.publishing import ClockNow, Publishable

# Any constant: the key of the PostgreSQL advisory lock that orders change-log writers.
_LOG_LOCK = 0x52554E43


@dataclass
class Collection:
    name: str
    model: type
    serializer: type
    visible: Callable  # () -> queryset of what the public sees now, loaded for the serializer
    exposed: Callable  # (ids) -> the ids a client may hold: they were public at some time
    changed: Callable | None = None  # (ids) called with every logged change, in its transaction
    summary: type | None = None  # the serializer of the list form, when lists show less than `serializer`

    @property
    def scheduled(self):
        return issubclass(self.model, Publishable)


_collections: dict[str, Collection] = {}
_trackers: dict[type, list[Callable]] = defaultdict(list)
_listeners: list[Callable] = []
# Set by `unlogged()`: changes no one outside the transaction will ever read.
_unlogged = ContextVar("runcms_changelog_unlogged", default=False)


def register(name, model, serializer, *, summary=None, visible=None, exposed=None, changed=None):
    """Publish `model` in the sync response under `name`, shaped by `serializer`.

    `summary` shapes it in lists (default: `serializer`); both forms are stored as published
    documents (`runcms.documents`), which the API's lists, details and the sync serve.

    `visible()` defaults to `model.objects.published().for_api()`; `exposed(ids)`, to
    the ids whose `first_published_at` has passed. `changed(ids)`, when given, is called
    with the ids of every change logged for the collection, in the change's transaction:
    it lets a model without a publishing workflow keep up to date what `exposed` reads.
    """
    _collections[name] = Collection(
        name=name,
        model=model,
        serializer=serializer,
        visible=visible or (lambda: model.objects.published().for_api()),
        exposed=exposed or (lambda ids: model.objects.filter(pk__in=ids, first_published_at__lte=ClockNow())),
        changed=changed,
        summary=summary or serializer,
    )


def collections():
    return list(_collections.values())


def listen(callback, *, committed=False):
    """Call `callback(names)` with the names of the collections a change changed, when it is logged and
    again once it commits: what was read in between, by other transactions, is out of date.

    With `committed`, only once it commits: for work that must see the change (jobs)."""
    _listeners.append((callback, committed))


def collection_of(model):
    """The name `model` is registered under, or None."""
    return next((c.name for c in _collections.values() if c.model is model), None)


def track(model, affected):
    """Log what `affected(pks)` returns whenever rows of `model` are saved, deleted or relinked.

    `affected` maps primary keys to `{collection name: ids}` (any iterable of ids, a
    `values_list` queryset included) by reading the database, so it sees the old links
    when called before a change and the new ones after it. Several apps may track one model.
    """
    _trackers[model].append(affected)
    uid = f"runcms.sync:{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid)
    pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_m2m_changed, dispatch_uid="runcms.sync:m2m")


def affected(model, pks, names=None):
    """{collection name: set of ids} of the API objects that depend on these rows of `model`.

    `names`, when given, limits the answer to these collections.
    """
    pks = [pk for pk in pks if pk is not None]
    found = defaultdict(set)
    if not pks:
        return found
    for tracker in _trackers.get(model, ()):
        for name, ids in tracker(pks).items():
            if names is None or name in names:
                found[name].update(i for i in ids if i is not None)
    return found


def touch(model, pks):
    """Log rows added behind the signals' back, e.g. by `bulk_create()`. For an update, see `changing`."""
    _write(_snapshot(model, list(pks), lock=True))  # how things looked before is not known: all are sent


@contextmanager
def unlogged():
    """Log nothing of the changes made in this block: for a transaction that is always rolled back
    (a draft change applied to be shown in its form or preview, runcms.drafts), where logging would
    only cost queries, several per row."""
    token = _unlogged.set(True)
    try:
        yield
    finally:
        _unlogged.reset(token)


@contextmanager
def changing(model, pks):
    """Log rows changed behind the signals' back, e.g. by `QuerySet.update()`, before and after:

        with changelog.changing(Step, step_ids):
            Step.objects.filter(pk__in=step_ids).update(media=None)
    """
    pks = list(pks)
    before = _snapshot(model, pks, lock=True, before=True)
    if issubclass(model, Publishable):  # an update may erase passed schedules: see _erased_moment
        before = _unknown(before)
    yield
    _write(_merge(before, _snapshot(model, pks)))


# --- Representations -------------------------------------------------------------------------


def representation_digests(collection, objects, language=None):
    """{id: content hash of each object as the API shows it}, for objects loaded by `collection.visible()`.

    The hash of its rendered detail form (`runcms.representation`) in `language` (default: the default
    language, the one the log keeps), the same as its stored document's.
    """
    rendered = representation.render(collection, objects, forms=("detail",), language=language)
    return {pk: representation.digest(forms["detail"]) for pk, forms in rendered.items()}


def public_digests(name, ids, language=None):
    """{id: digest} of these ids of collection `name` as the public sees them now in `language` (default: the
    default language); "" for one it cannot see."""
    collection = _collections[name]
    ids = list(ids)
    digests = dict.fromkeys(ids, "")
    if ids:
        digests.update(representation_digests(collection, collection.visible().filter(pk__in=ids), language))
    return digests


# --- Recording --------------------------------------------------------------------------------

# A snapshot maps (collection name, id) to (exposed, digest): whether a client may hold the object,
# and, read before a change, how the public saw it ("" not at all; None when not known).


def _snapshot(model, pks, *, lock=False, before=False):
    """What depends on `pks` now: {(collection, id): (exposed, digest)}.

    `before` a change, whether a client may hold each object is read for every collection:
    the change may take the evidence away (a deleted row, a detached photo, a restored
    revision that puts `first_published_at` back to None), and so is how the public sees it.
    After a change, scheduled collections skip the exposure query (a sync reads
    `first_published_at` from the row itself) and nothing is hashed: the digest is of the before.
    """
    if lock:
        _lock_log(model)
    return _observe(affected(model, pks), before=before)


def _observe(found, *, before):
    result = {}
    for name, ids in found.items():
        collection = _collections.get(name)
        if collection is None or not ids:
            continue
        ids = {pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk)) for pk in ids}
        if collection.scheduled and not before:
            exposed = set()
        else:
            exposed = set(collection.exposed(ids).values_list("pk", flat=True))
        digests = public_digests(name, ids) if before else {}
        result.update({(name, pk): (pk in exposed, digests.get(pk)) for pk in ids})
    return result


def _merge(first, second):
    """Both snapshots in one: exposed if either says so, the digest of the first that has the object
    (taken after a change, a snapshot has none)."""
    merged = dict(second)
    for key, (exposed, digest) in first.items():
        merged[key] = (merged.get(key, (False, None))[0] or exposed, digest)
    return merged


def _unknown(snapshot):
    """The snapshot with every digest unknown: a delta then always sends what the change touched."""
    return {key: (exposed, None) for key, (exposed, _) in snapshot.items()}


def _write(snapshot, erased=None):
    if snapshot:
        now = timezone.now()
        ChangeLog.objects.bulk_create(
            ChangeLog(
                collection=name, object_id=pk, exposed=exposed, digest_before=digest, erased_moment=erased,
                logged_at=now,
            )
            for (name, pk), (exposed, digest) in snapshot.items()
        )
        changed = defaultdict(list)
        for name, pk in snapshot:
            changed[name].append(pk)
        for name, ids in changed.items():
            if _collections[name].changed:
                _collections[name].changed(ids)
        names = set(changed)
        using = router.db_for_write(ChangeLog)
        for callback, committed in _listeners:
            if not committed:
                callback(names)  # for what reads inside this transaction
            _once_committed(callback, names, using)


class _Committed:
    """A listener's call waiting for the commit, with every collection changed meanwhile."""

    def __init__(self, callback):
        self.callback, self.names, self.done = callback, set(), False

    def __call__(self):
        self.done = True
        self.callback(self.names)


def _once_committed(callback, names, using):
    # One call per transaction, however many changes it logs: a job, not one per saved row. A
    # savepoint rolled back takes its waiting call with it, so the next change adds a new one.
    # The newest first: a transaction that logs many changes finds its waiting call at once.
    for *_, waiting, _robust in reversed(connections[using].run_on_commit):
        if isinstance(waiting, _Committed) and waiting.callback is callback and not waiting.done:
            waiting.names |= names
            return
    call = _Committed(callback)
    call.names |= names
    transaction.on_commit(call, using=using)


def _lock_log(model):
    """Make change-log positions commit in order on PostgreSQL.

    A sync hands out the newest position it read. Were a transaction holding a lower
    position still open at that moment, its change would commit behind the client's
    token and never reach it. This lock, held until commit, lets one writer at a time
    append, taken before the writer's own rows change. SQLite already allows a single writer.
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOG_LOCK])


_SCHEDULE = ("publish_at", "unpublish_at")


def _erased_moment(model, instance, stored=None):
    """The latest publish or unpublish time that has passed and this change erases (e.g. clears), or None.

    A delta finds what schedules changed by the times stored now; one erased after it passed
    leaves no trace, so a client whose copy is older than it is sent what the change touched.
    """
    if not issubclass(model, Publishable):
        return None
    now = timezone.now()
    if stored is None:  # a deletion: every passed time goes
        erased = [getattr(instance, f) for f in _SCHEDULE]
    else:
        erased = [stored[f] for f in _SCHEDULE if stored[f] != getattr(instance, f)]
    return max((moment for moment in erased if moment and moment <= now), default=None)


def _pointed_to(instance, known=()):
    """The snapshot, before a save, of the API objects the row's links will point to: a new step's
    picture, a replaced one (the trackers read the stored row, with the old links). `known` are skipped."""
    found = defaultdict(set)
    for link in instance._meta.concrete_fields:
        if link.many_to_one or link.one_to_one:
            name, value = collection_of(link.related_model), getattr(instance, link.attname)
            if name and value is not None and (name, value) not in known:
                found[name].add(value)
    return _observe(found, before=True)


def _before_save(sender, instance, raw=False, **kwargs):
    if _unlogged.get():
        return
    # A new row has nothing to look different before it exists; a restored revision (raw) may.
    if instance._state.adding and not raw:
        _lock_log(sender)
        name = collection_of(sender)
        unseen = {(name, instance.pk): (False, "")} if name and instance.pk is not None else {}
        instance._sync_before = _merge(unseen, _pointed_to(instance))
        return
    before = _snapshot(sender, [instance.pk], lock=True, before=True)
    instance._sync_before = _merge(before, _pointed_to(instance, known=before))
    if issubclass(sender, Publishable):
        stored = sender._base_manager.filter(pk=instance.pk).values(*_SCHEDULE).first()
        instance._sync_erased = _erased_moment(sender, instance, stored) if stored else None


def _after_save(sender, instance, **kwargs):
    if _unlogged.get():
        return
    before = instance.__dict__.pop("_sync_before", {})
    _write(_merge(before, _snapshot(sender, [instance.pk])), erased=instance.__dict__.pop("_sync_erased", None))


def _before_delete(sender, instance, **kwargs):
    if _unlogged.get():
        return
    # Django sends every pre_delete of a cascade before deleting anything: links are still there.
    instance._sync_before = _snapshot(sender, [instance.pk], lock=True, before=True)
    instance._sync_erased = _erased_moment(sender, instance)


def _after_delete(sender, instance, **kwargs):
    if _unlogged.get():
        return
    _write(instance.__dict__.pop("_sync_before", {}), erased=instance.__dict__.pop("_sync_erased", None))


def _m2m_snapshot(instance, model, reverse, pk_set, before=False):
    if not reverse:
        return _snapshot(type(instance), [instance.pk], lock=before, before=before)
    # Changed from the other side (equipment.drills.add(drill)): the drills changed.
    owners = _snapshot(model, pk_set or (), lock=before, before=before)
    return _merge(owners, _snapshot(type(instance), [instance.pk], before=before))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if _unlogged.get() or (type(instance) not in _trackers and model not in _trackers):
        return
    if action.startswith("pre_"):
        instance._sync_m2m_before = _m2m_snapshot(instance, model, reverse, pk_set, before=True)
    else:
        before = instance.__dict__.pop("_sync_m2m_before", {})
        _write(_merge(before, _m2m_snapshot(instance, model, reverse, pk_set)))


def last_position():
    """The newest change-log position (0 for an empty log)."""
    return ChangeLog.objects.aggregate(position=Max("id"))["position"] or 0


def scheduled_models():
    return [c.model for c in collections() if c.scheduled]


def changed_ids(collection_name, since):
    """A subquery of the ids of `collection_name` logged at or after `since`."""
    return ChangeLog.objects.filter(collection=collection_name, logged_at__gte=since).values("object_id")
