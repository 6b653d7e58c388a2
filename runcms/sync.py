"""Offline delta sync: what changed for the API since a client's last sync.

Apps register their collections (`register("drills", Drill, DrillSerializer)`) and
tell which collections a saved or deleted row changes (`track(Step, affected)`), the
way models register with the admin; this module knows no content type.

Every tracked save, delete and many-to-many change appends the affected objects to
`ChangeLog`, in the transaction of the change. `affected` is called before the change
and after it, so an object that a change detaches (a photo removed from a drill) is
logged as well as the one it attaches. A sync token holds a position in that log and
the time it was issued; scheduled publish and unpublish times that passed since the
token count as changes too, although nothing was saved (rule 2).
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import connections, router
from django.db.models import Max, Q, Value
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from runcms.models import ChangeLog
from runcms.publishing import ClockNow, Publishable

TOKEN_SALT = "runcms.sync"
DEFAULT_PAGE_SIZE = 500
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

    @property
    def scheduled(self):
        return issubclass(self.model, Publishable)


_collections: dict[str, Collection] = {}
_trackers: dict[type, list[Callable]] = defaultdict(list)


def register(name, model, serializer, *, visible=None, exposed=None, changed=None):
    """Publish `model` in the sync response under `name`, shaped by `serializer`.

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
    )


def collections():
    return list(_collections.values())


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
    _write(_snapshot(model, list(pks), lock=True))


@contextmanager
def changing(model, pks):
    """Log rows changed behind the signals' back, e.g. by `QuerySet.update()`, before and after:

        with sync.changing(Step, step_ids):
            Step.objects.filter(pk__in=step_ids).update(media=None)
    """
    pks = list(pks)
    before = _snapshot(model, pks, lock=True, before=True)
    yield
    _write(_merge(before, _snapshot(model, pks)))


# --- Recording --------------------------------------------------------------------------------


def _snapshot(model, pks, *, lock=False, before=False):
    """{(collection, id): exposed} for what depends on `pks` now.

    `before` a change, whether a client may hold each object is read for every collection:
    the change may take the evidence away (a deleted row, a detached photo, a restored
    revision that puts `first_published_at` back to None). After a change, scheduled
    collections skip that query: a sync reads `first_published_at` from the row itself.
    """
    if lock:
        _lock_log(model)
    result = {}
    for name, ids in affected(model, pks).items():
        collection = _collections.get(name)
        if collection is None or not ids:
            continue
        ids = {pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk)) for pk in ids}
        if collection.scheduled and not before:
            exposed = set()
        else:
            exposed = set(collection.exposed(ids).values_list("pk", flat=True))
        result.update({(name, pk): pk in exposed for pk in ids})
    return result


def _merge(before, after):
    merged = dict(after)
    for key, exposed in before.items():
        merged[key] = merged.get(key, False) or exposed
    return merged


def _write(snapshot):
    if snapshot:
        now = timezone.now()
        ChangeLog.objects.bulk_create(
            ChangeLog(collection=name, object_id=pk, exposed=exposed, logged_at=now)
            for (name, pk), exposed in snapshot.items()
        )
        changed = defaultdict(list)
        for name, pk in snapshot:
            changed[name].append(pk)
        for name, ids in changed.items():
            if _collections[name].changed:
                _collections[name].changed(ids)


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


def _before_save(sender, instance, raw=False, **kwargs):
    # A new row has nothing to look different before it exists; a restored revision (raw) may.
    if instance._state.adding and not raw:
        _lock_log(sender)
        return
    instance._sync_before = _snapshot(sender, [instance.pk], lock=True, before=True)


def _after_save(sender, instance, **kwargs):
    before = instance.__dict__.pop("_sync_before", {})
    _write(_merge(before, _snapshot(sender, [instance.pk])))


def _before_delete(sender, instance, **kwargs):
    # Django sends every pre_delete of a cascade before deleting anything: links are still there.
    instance._sync_before = _snapshot(sender, [instance.pk], lock=True, before=True)


def _after_delete(sender, instance, **kwargs):
    _write(instance.__dict__.pop("_sync_before", {}))


def _m2m_snapshot(instance, model, reverse, pk_set, before=False):
    if not reverse:
        return _snapshot(type(instance), [instance.pk], lock=before, before=before)
    # Changed from the other side (equipment.drills.add(drill)): the drills changed.
    owners = _snapshot(model, pk_set or (), lock=before, before=before)
    return _merge(owners, _snapshot(type(instance), [instance.pk], before=before))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if type(instance) not in _trackers and model not in _trackers:
        return
    if action.startswith("pre_"):
        instance._sync_m2m_before = _m2m_snapshot(instance, model, reverse, pk_set, before=True)
    else:
        before = instance.__dict__.pop("_sync_m2m_before", {})
        _write(_merge(before, _m2m_snapshot(instance, model, reverse, pk_set)))


# --- Tokens -----------------------------------------------------------------------------------


class TokenInvalid(Exception):
    """The token is not one this server issued."""


class TokenExpired(Exception):
    """The token is older than the change log can answer for."""


@dataclass(frozen=True)
class Cursor:
    position: int  # the last change-log entry the client has
    since: datetime  # when the client's copy was taken: scheduled times after it are changes
    resume: tuple | None = None  # (collection name, last id) while a full sync is being paged
    # While the schedules that passed in (since, until] are being paged: the window's end, and
    # the (collection name, id) sent last.
    until: datetime | None = None
    after: tuple | None = None


def make_token(cursor):
    payload = {"p": cursor.position, "t": cursor.since.isoformat(), "s": _stamp(cursor.position)}
    if cursor.resume:
        payload["r"] = list(cursor.resume)
    if cursor.until:
        payload["u"] = cursor.until.isoformat()
    if cursor.after:
        payload["a"] = list(cursor.after)
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def read_token(token):
    """The cursor of a token; raises TokenInvalid or TokenExpired."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=settings.RUNCMS_SYNC_TOKEN_MAX_AGE)
    except signing.SignatureExpired as expired:
        raise TokenExpired(
            f"This sync token is more than {_days(settings.RUNCMS_SYNC_TOKEN_MAX_AGE)} old."
        ) from expired
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise TokenInvalid("This sync token is malformed or was not issued by this server.") from error
    try:
        resume, after = data.get("r"), data.get("a")
        cursor = Cursor(
            position=int(data["p"]),
            since=datetime.fromisoformat(data["t"]),
            resume=(str(resume[0]), str(resume[1])) if resume else None,
            until=datetime.fromisoformat(data["u"]) if data.get("u") else None,
            after=(str(after[0]), str(after[1])) if after else None,
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise TokenInvalid("This sync token is malformed.") from error
    if cursor.position > last_position():
        # The log is behind the token: the database was restored from an older backup.
        raise TokenExpired("This sync token is newer than the content this server holds.")
    if data.get("s") and not _same_history(cursor.position, data["s"]):
        # The entry at the token's position is not the one the client saw: the log was
        # restored from a backup and has grown again since, along another history.
        raise TokenExpired("This sync token was issued before this server's content was restored from a backup.")
    return cursor


def _stamp(position):
    """When the entry at `position` was logged: ties a token to one history of the log."""
    logged_at = ChangeLog.objects.filter(pk=position).values_list("logged_at", flat=True).first()
    return logged_at.isoformat() if logged_at else None


def _same_history(position, stamp):
    current = _stamp(position)
    if current is not None:
        return current == stamp
    # Pruning removes the oldest entries only, so a missing entry with older ones still
    # present is a hole left by a restore, not by pruning.
    return not ChangeLog.objects.filter(pk__lt=position).exists()


def _days(seconds):
    days = seconds / 86400
    return f"{days:g} days" if days >= 1 else f"{seconds} seconds"


def last_position():
    return ChangeLog.objects.aggregate(position=Max("id"))["position"] or 0


def prune():
    """Delete entries no valid token can need: older than RUNCMS_SYNC_TOKEN_MAX_AGE.

    Any token still accepted was issued after them, at a position past them. The newest
    entry is kept, so positions never go back. Run it now and then (cron, a scheduler).
    """
    horizon = timezone.now() - timedelta(seconds=settings.RUNCMS_SYNC_TOKEN_MAX_AGE)
    deleted, _ = ChangeLog.objects.filter(logged_at__lt=horizon, id__lt=last_position()).delete()
    return deleted


# --- Pages ------------------------------------------------------------------------------------


@dataclass
class Page:
    cursor: Cursor  # for the client's next request
    has_more: bool
    upserted: dict = field(default_factory=dict)  # name -> list of objects, loaded for the serializer
    deleted: dict = field(default_factory=dict)  # name -> list of ids


def start():
    """The cursor of a full sync: everything published now, then changes after this moment."""
    return Cursor(position=last_position(), since=timezone.now(), resume=("", ""))


def page_size():
    return getattr(settings, "RUNCMS_SYNC_PAGE_SIZE", DEFAULT_PAGE_SIZE)


def next_page(cursor):
    if cursor.resume is not None:
        return _full_page(cursor, page_size())
    return _delta_page(cursor, page_size())


def _empty():
    return {c.name: [] for c in collections()}


def _full_page(cursor, limit):
    """Everything visible, collection by collection in id order, `limit` objects at a time."""
    upserted, names = _empty(), [c.name for c in collections()]
    resume_name, last_id = cursor.resume
    start_at = names.index(resume_name) if resume_name in names else 0
    for collection in collections()[start_at:]:
        if limit == 0:
            return Page(Cursor(cursor.position, cursor.since, (collection.name, "")), True, upserted, _empty())
        queryset = collection.visible().order_by("pk")
        if collection.name == resume_name and last_id:
            queryset = queryset.filter(pk__gt=last_id)
        objects = list(queryset[: limit + 1])
        if len(objects) > limit:
            upserted[collection.name] = objects[:limit]
            resume = (collection.name, str(objects[limit - 1].pk))
            return Page(Cursor(cursor.position, cursor.since, resume), True, upserted, _empty())
        upserted[collection.name] = objects
        limit -= len(objects)
        last_id = ""
    return Page(Cursor(cursor.position, cursor.since), False, upserted, _empty())


def _delta_page(cursor, limit):
    """Up to `limit` changes: log entries first, then what schedules passing in (since, until] changed.

    The window of schedules closes at the first page that reaches it and is paged in
    (collection name, id) order; once it is through, the next window starts at its end.
    """
    entries = list(
        ChangeLog.objects.filter(id__gt=cursor.position)
        .order_by("id")
        .values_list("id", "collection", "object_id", "exposed")[: limit + 1]
    )
    has_more = len(entries) > limit
    entries = entries[:limit]
    changed = defaultdict(dict)  # name -> {id: logged as exposed}
    for _, name, pk, exposed in entries:
        changed[name][pk] = changed[name].get(pk, False) or exposed
    position = entries[-1][0] if entries else cursor.position

    if has_more:  # the window waits for the log
        next_cursor = Cursor(position, cursor.since, until=cursor.until, after=cursor.after)
    else:
        until = cursor.until or timezone.now()
        scheduled = sorted(
            (name, str(pk)) for name, ids in _scheduled_changes(cursor.since, until).items() for pk in ids
        )
        if cursor.after:
            scheduled = [key for key in scheduled if key > cursor.after]
        budget = limit - len(entries)
        for name, pk in scheduled[:budget]:
            changed[name].setdefault(uuid.UUID(pk), False)
        if len(scheduled) > budget:
            has_more = True
            after = scheduled[budget - 1] if budget else cursor.after
            next_cursor = Cursor(position, cursor.since, until=until, after=after)
        else:
            next_cursor = Cursor(position, until)
    return Page(next_cursor, has_more, *_load(changed))


def _load(changed):
    """(upserted, deleted) for {name: {id: logged as exposed}}."""
    upserted, deleted = _empty(), {c.name: [] for c in collections()}
    for collection in collections():
        ids = changed.get(collection.name)
        if not ids:
            continue
        objects = list(collection.visible().filter(pk__in=list(ids)))
        upserted[collection.name] = objects
        gone = set(ids) - {obj.pk for obj in objects}
        if gone:
            # Only what a client may hold: a draft that never went out stays unmentioned (rule 1).
            exposed_now = set(collection.exposed(list(gone)).values_list("pk", flat=True))
            deleted[collection.name] = sorted((pk for pk in gone if ids[pk] or pk in exposed_now), key=str)
    return upserted, deleted


def _scheduled_changes(since, now, names=None):
    """What depends on the items whose publish or unpublish time passed in (since, now].

    `names` limits the answer to these collections; trackers answer with lazy querysets,
    so the others cost no query.
    """
    found = defaultdict(set)
    scheduled = [collection for collection in collections() if collection.scheduled]
    if now <= since or not scheduled:
        return found
    window = Q(publish_at__gt=since, publish_at__lte=now) | Q(unpublish_at__gt=since, unpublish_at__lte=now)
    # One query for every scheduled collection: each row's collection name and id.
    passed = [
        c.model.objects.filter(window).order_by().annotate(_collection=Value(c.name)).values_list("_collection", "pk")
        for c in scheduled
    ]
    pks = defaultdict(list)
    for name, pk in passed[0].union(*passed[1:], all=True):
        pks[name].append(pk)
    for collection in scheduled:
        for name, ids in affected(collection.model, pks[collection.name], names).items():
            found[name].update(ids)
    return found


def scheduled_ids(collection_name, since, now):
    """Ids of `collection_name` that look different because a schedule passed in (since, now], unsaved.

    Its own items that went live or expired, and those showing one (a program listing a
    drill, the photo of a drill): `updated_since` needs them as a delta sync does.
    """
    return _scheduled_changes(since, now, names={collection_name}).get(collection_name, set())


def scheduled_models():
    return [c.model for c in collections() if c.scheduled]


def changed_ids(collection_name, since):
    """A subquery of the ids of `collection_name` logged at or after `since`."""
    return ChangeLog.objects.filter(collection=collection_name, logged_at__gte=since).values("object_id")
