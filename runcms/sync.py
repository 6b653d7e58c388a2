"""Offline delta sync: tokens, and the pages of what changed for a client since its last sync.

What changed is read from the change journal (`runcms.changelog`). A sync token holds a
position in that log and the time it was issued; scheduled publish and unpublish times
that passed since the token count as changes too, although nothing was saved (rule 2).

A logged object is sent only when it looks different from the client's copy. A delta
compares the object now with the digest of its first entry past the token, or, for an
object only a schedule changed, with the object as the public saw it when the token was
issued. Where that copy is not known for sure (a change the client's last page may already
have shown, a passed schedule time erased, rows added in bulk) the object is sent, as before.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Max, Q, Value
from django.utils import timezone, translation

from runcms import documents, languages, representation
from runcms.changelog import affected, collections, last_position, public_digests
from runcms.models import ChangeLog, Document
from runcms.publishing import as_public_at

TOKEN_SALT = "runcms.sync"
DEFAULT_PAGE_SIZE = 500


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
    # The delta's first position, while it is being paged: an object logged after it may have
    # reached the client in an earlier page.
    origin: int | None = None
    # The log ranges (start, end] the earlier pages of this delta (or the previous response) named,
    # each with the log's top when it was made: what a page named, it showed as it was then.
    # `shown_from` starts the range of the page being made (make_token adds it). Pages may show
    # objects no range names (schedules that passed, a full sync): `unlogged_top` is the log's top
    # when the last of them was made, `showing_unlogged` says the page being made is one.
    shown: tuple = ()
    shown_from: int | None = None
    unlogged_top: int | None = None
    showing_unlogged: bool = False
    # When the previous delta's last response (or the full sync) was made; kept while a delta is paged.
    made_at: datetime | None = None
    # The language the client's copy is in (None: the default language).
    language: str | None = None


# How many pages' log ranges a token remembers; an object shown before them is sent again.
_SHOWN_PAGES = 40


def make_token(cursor):
    """The token of `cursor`. Make it once the response's objects are loaded: it records how far the log was."""
    payload = {"p": cursor.position, "t": cursor.since.isoformat(), "s": _stamp(cursor.position)}
    top = last_position()  # a change logged up to here may be in what the response showed
    payload["m"] = (cursor.made_at or timezone.now()).isoformat()
    if cursor.origin is not None:
        payload["o"] = cursor.origin
    shown = list(cursor.shown)
    if cursor.shown_from is not None:
        shown.append((cursor.shown_from, cursor.position, max(top, cursor.position)))
    if shown:
        payload["g"] = [list(triple) for triple in shown[-_SHOWN_PAGES:]]
    unlogged_top = max(cursor.unlogged_top or 0, top if cursor.showing_unlogged else 0)
    if unlogged_top:
        payload["w"] = unlogged_top
    if cursor.resume:
        payload["r"] = list(cursor.resume)
    if cursor.until:
        payload["u"] = cursor.until.isoformat()
    if cursor.language and not languages.is_default(cursor.language):
        payload["l"] = cursor.language
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
            origin=int(data["o"]) if data.get("o") is not None else None,
            shown=tuple((int(a), int(b), int(c)) for a, b, c in data.get("g", ())),
            unlogged_top=int(data["w"]) if data.get("w") is not None else None,
            made_at=datetime.fromisoformat(data["m"]) if data.get("m") else None,
            language=str(data["l"]) if data.get("l") else None,
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise TokenInvalid("This sync token is malformed.") from error
    if cursor.language and cursor.language not in languages.enabled():
        raise TokenExpired(f"This sync token is for a language this site no longer publishes in ({cursor.language}).")
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


def prune():
    """Delete entries no valid token can need: older than RUNCMS_SYNC_TOKEN_MAX_AGE.

    Any token still accepted was issued after them, at a position past them. The newest
    entry is kept, so positions never go back. Run it now and then (cron, a scheduler).
    """
    horizon = timezone.now() - timedelta(seconds=settings.RUNCMS_SYNC_TOKEN_MAX_AGE)
    pruned = ChangeLog.objects.filter(logged_at__lt=horizon, id__lt=last_position())
    end = pruned.aggregate(end=Max("id"))["end"]
    deleted, _ = pruned.delete()
    if end is not None:
        # A document rendered before a pruned entry can no longer be told stale by it (`runcms.documents`).
        Document.objects.filter(position__lt=end).delete()
    return deleted


# --- Pages ------------------------------------------------------------------------------------


# In `held`: the client's copy is the object as it is now (the previous page showed it so).
CURRENT = object()


@dataclass
class Page:
    cursor: Cursor  # for the client's next request
    has_more: bool
    upserted: dict = field(default_factory=dict)  # name -> list of objects, as JSON bytes (published documents)
    deleted: dict = field(default_factory=dict)  # name -> list of ids


def start(language=None):
    """The cursor of a full sync: everything published now, then changes after this moment."""
    return Cursor(position=last_position(), since=timezone.now(), resume=("", ""), language=language)


def page_size():
    return getattr(settings, "RUNCMS_SYNC_PAGE_SIZE", DEFAULT_PAGE_SIZE)


def next_page(cursor):
    """The next page for `cursor`, in its language (the objects as that language shows them)."""
    with translation.override(cursor.language or languages.default()):
        make = _full_page if cursor.resume is not None else _delta_page
        page = make(cursor, page_size())
    page.cursor = replace(page.cursor, language=cursor.language)
    return page


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
        queryset = collection.visible().order_by("pk").values_list("pk", flat=True)
        if collection.name == resume_name and last_id:
            queryset = queryset.filter(pk__gt=last_id)
        ids = list(queryset[: limit + 1])
        if len(ids) > limit:
            upserted[collection.name] = _documents(collection.name, ids[:limit])
            resume = (collection.name, str(ids[limit - 1]))
            return Page(Cursor(cursor.position, cursor.since, resume), True, upserted, _empty())
        upserted[collection.name] = _documents(collection.name, ids)
        limit -= len(ids)
        last_id = ""
    return Page(Cursor(cursor.position, cursor.since, showing_unlogged=True), False, upserted, _empty())


def _documents(name, ids):
    """The detail documents of these ids, in their order (`runcms.documents`)."""
    return list(documents.by_id(name, ids, "detail").values())


def _delta_page(cursor, limit):
    """Up to `limit` changes: log entries first, then what schedules passing in (since, until] changed.

    The window of schedules closes at the first page that reaches it and is paged in
    (collection name, id) order; once it is through, the next window starts at its end.
    An object that looks as it did in the client's copy is not sent (see `_held`).
    """
    origin = cursor.position if cursor.origin is None else cursor.origin
    entries = list(
        ChangeLog.objects.filter(id__gt=cursor.position)
        .order_by("id")
        .values_list("id", "collection", "object_id", "exposed", "digest_before", "erased_moment")[: limit + 1]
    )
    has_more = len(entries) > limit
    entries = entries[:limit]
    changed = defaultdict(dict)  # name -> {id: logged as exposed}
    held = _held_in_log(cursor, origin, entries)
    for _, name, pk, exposed, _, _ in entries:
        changed[name][pk] = changed[name].get(pk, False) or exposed
    position = entries[-1][0] if entries else cursor.position

    if has_more:  # the window waits for the log
        next_cursor = Cursor(position, cursor.since, until=cursor.until, after=cursor.after, origin=origin)
        windowed = False
    else:
        until = cursor.until or timezone.now()
        scheduled = sorted(
            (name, str(pk)) for name, ids in _scheduled_changes(cursor.since, until).items() for pk in ids
        )
        if cursor.after:
            scheduled = [key for key in scheduled if key > cursor.after]
        budget = limit - len(entries)
        window = defaultdict(set)
        for name, pk in scheduled[:budget]:
            pk = uuid.UUID(pk)
            if pk in changed[name]:
                held[name][pk] = None  # changed by a save and by a schedule: which came first is not known
            else:
                window[name].add(pk)
            changed[name].setdefault(pk, False)
        _held_at(cursor, origin, window, held)
        windowed = bool(scheduled[:budget])
        if len(scheduled) > budget:
            has_more = True
            after = scheduled[budget - 1] if budget else cursor.after
            next_cursor = Cursor(position, cursor.since, until=until, after=after, origin=origin)
        else:
            next_cursor = Cursor(position, until)
    more = {"shown": cursor.shown, "unlogged_top": cursor.unlogged_top, "made_at": cursor.made_at} if has_more else {}
    next_cursor = replace(next_cursor, shown_from=cursor.position, showing_unlogged=windowed, **more)
    return Page(next_cursor, has_more, *_load(changed, held))


def _held_in_log(cursor, origin, entries):
    """{name: {id: digest of the client's copy ("" none), CURRENT, or None when not known}} for logged objects.

    The copy is how the object looked just before its first change logged after the copy was
    made. An object an earlier page named was shown as it was then, with every change logged up
    to that page's top; one no page named is as it was before its first change in this page.
    """
    held = defaultdict(dict)
    if not entries:
        return held
    ids = {pk for _, _, pk, _, _, _ in entries}
    starts = [start for start, _, _ in cursor.shown]
    last_shown = _last_positions(min([origin, *starts]), cursor.position, ids)
    by_object = defaultdict(list)
    for position, name, pk, _, digest, erased in entries:
        # A change that erased a schedule time which passed after the copy was made: not known.
        by_object[(name, pk)].append((position, None if erased and erased > cursor.since else _logged(digest)))
    beyond = []
    for (name, pk), logged in by_object.items():
        last = last_shown.get((name, pk))
        if cursor.unlogged_top is not None and logged[0][0] <= cursor.unlogged_top:
            base = None  # a page that showed what no range names may have shown it, with this change
        elif last is None:
            base = 0
        else:
            base = next((page_top for start, end, page_top in cursor.shown if start < last <= end), None)
        if base is None:
            held[name][pk] = None
            continue
        later = [digest for position, digest in logged if position > base]
        if later:
            held[name][pk] = None if None in later else later[0]
        else:
            beyond.append((name, pk))
    if beyond:
        # Every change in this page was in the copy already: it is as it is now, unless changed after.
        end = entries[-1][0]
        rows = (
            ChangeLog.objects.filter(id__gt=end, object_id__in={pk for _, pk in beyond})
            .order_by("id")
            .values_list("collection", "object_id", "digest_before")
        )
        first_after = {}
        for name, pk, digest in rows:
            first_after.setdefault((name, pk), _logged(digest))
        for name, pk in beyond:
            held[name][pk] = first_after.get((name, pk), CURRENT)
    return held


def _logged(digest):
    """A digest the log holds, as the client's copy: the log hashes the default language's form, so
    for a copy in another language it says nothing (None: the object is sent)."""
    return digest if languages.is_default(languages.active()) else None


def _last_positions(start, end, ids):
    """{(name, id): last position in (start, end]} for these object ids."""
    if end <= start:
        return {}
    rows = (
        ChangeLog.objects.filter(id__gt=start, id__lte=end, object_id__in=ids)
        .values("collection", "object_id")
        .annotate(last=Max("id"))
        .order_by()
        .values_list("collection", "object_id", "last")
    )
    return {(name, pk): last for name, pk, last in rows}


def _held_at(cursor, origin, window, held):
    """How objects changed only by a schedule looked to the client: {name: {id: digest or None}} into `held`.

    Nothing about them was logged since the delta began, so today's rows, read as at a past
    moment, are the rows the public saw then. The client's copy was made at `since`, or, if the
    previous response showed the object, when that was made: where the two differ, it is not known.
    """
    for name, ids in window.items():
        saved = set(
            ChangeLog.objects.filter(collection=name, object_id__in=ids, id__gt=origin).values_list(
                "object_id", flat=True
            )
        )
        held[name].update(dict.fromkeys(ids & saved))
        unsaved = ids - saved
        if not unsaved or cursor.made_at is None:
            held[name].update(dict.fromkeys(unsaved))
            continue
        with as_public_at(cursor.since):
            then = public_digests(name, unsaved, languages.active())
        with as_public_at(max(cursor.made_at, cursor.since)):
            shown = public_digests(name, unsaved, languages.active())
        held[name].update({pk: digest if shown[pk] == digest else None for pk, digest in then.items()})


def _load(changed, held):
    """(upserted, deleted) for {name: {id: logged as exposed}}; `held` as in `_delta_page`."""
    upserted, deleted = _empty(), {c.name: [] for c in collections()}
    for collection in collections():
        ids = changed.get(collection.name)
        if not ids:
            continue
        found = documents.by_id(collection.name, sorted(ids, key=str), "detail")  # only what the public sees
        copies = held.get(collection.name, {})
        same = {
            pk for pk, data in found.items()
            if copies.get(pk) is CURRENT or (copies.get(pk) and representation.digest(data) == copies[pk])
        }
        upserted[collection.name] = [data for pk, data in found.items() if pk not in same]
        gone = set(ids) - found.keys()
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
