"""Published documents: each API object rendered once, when it changes, and served as stored JSON.

Every collection registered with the change journal (`runcms.changelog.register`) has a
`Document` per object the public can see and language it is asked in, holding its list form (`summary`) and its detail
form (`detail`, also what the sync sends). Lists, details and the sync read them with the
query that finds the objects, and join their bytes without serialising anything.

A document is valid while

- nothing about its object was logged after the change-log position it was rendered at
  (every change that alters an object as the API shows it is logged, related rows included);
- no scheduled publish or unpublish time has passed since it was rendered (`valid_until`:
  time alone changes what is public, rule 2);
- the serializers that rendered it are the ones running now (`shape`, a hash of their code).

Validity is checked in the query that reads a document, so a stale one is never served,
whatever order writers and readers commit in. A missing or stale document is rendered on
the spot by the live serializers and stored (`complete`); `manage.py rebuild_documents`
renders them all ahead (after a deploy that changes a serializer), and a system check
says how many are stale.

Absolute URLs in a document start with a placeholder (`MARKER`), put back by the public
base URL of the request (`RUNCMS_PUBLIC_BASE_URL`, or the request's scheme and host) when
a response is served. PostgreSQL cannot store a NUL character, so no text typed by an
editor can look like the placeholder.
"""

import hashlib
import inspect
import sys
from functools import cache

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from runcms import changelog, languages, representation
from runcms.links import public_base
from runcms.models import ChangeLog, Document
from runcms.replicas import reading_connection
from runcms.representation import MARKER_JSON, digest, dumps

# Raise it when documents must be rendered again for a reason their serializers' code does not show.
DOCUMENT_VERSION = 1
FORMS = ("summary", "detail")


def served(model):
    """The collection `model` is published under, when its API reads documents; else None."""
    return changelog.collection_of(model)


# --- Shape --------------------------------------------------------------------------------------


@cache
def shape(name):
    """A hash of the code of the serializers that render collection `name` (and DOCUMENT_VERSION)."""
    collection = _collection(name)
    modules = set()
    for serializer in (collection.serializer, collection.summary):
        modules |= _modules(serializer)
    digest = hashlib.sha256(str(DOCUMENT_VERSION).encode())
    for module in sorted(modules):
        try:
            digest.update(inspect.getsource(sys.modules[module]).encode())
        except (OSError, TypeError):  # no source (a frozen build): the module's name stands in
            digest.update(module.encode())
    return digest.hexdigest()


def _modules(serializer_class, seen=None):
    """The modules defining `serializer_class`, its bases and every serializer nested in it."""
    seen = set() if seen is None else seen
    if serializer_class in seen:
        return set()
    seen.add(serializer_class)
    modules = {cls.__module__ for cls in serializer_class.__mro__ if not cls.__module__.startswith("rest_framework")}
    for field in serializer_class().fields.values():
        nested = getattr(field, "child", field)
        modules.add(type(nested).__module__)
        if isinstance(nested, serializers.BaseSerializer):
            modules |= _modules(type(nested), seen)
    return {module for module in modules if not module.startswith(("rest_framework", "drf_spectacular"))}


def _collection(name):
    return next(c for c in changelog.collections() if c.name == name)


# --- Reading ------------------------------------------------------------------------------------


def valid(name, now=None, language=None):
    """The documents of collection `name` in `language` (default: the active one) that may be served at `now`."""
    now = now or timezone.now()
    logged_after = ChangeLog.objects.filter(
        collection=name, object_id=OuterRef("object_id"), id__gt=OuterRef("position")
    )
    return Document.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now),
        ~Exists(logged_after),
        collection=name,
        language=language or languages.active(),
        shape=shape(name),
        rendered_at__lte=now,
    )


def with_documents(queryset, name, form, now=None, language=None):
    """`queryset` with each object's valid document of `form` as `_document` (None when there is none)."""
    documents = valid(name, now, language).filter(object_id=OuterRef("pk")).values(form)[:1]
    return queryset.annotate(_document=Subquery(documents))


def complete(name, rows, form):
    """The JSON bytes of `form` for each (id, document or None) of `rows`, in order.

    The missing ones are rendered now and stored; an object the public can no longer see
    (unpublished since `rows` were read) is left out.
    """
    rows = list(rows)
    missing = [pk for pk, document in rows if document is None]
    rendered = render(name, missing) if missing else {}
    found = []
    for pk, document in rows:
        if document is not None:
            found.append(document.encode())
        elif pk in rendered:
            found.append(rendered[pk][form])
    return found


def by_id(name, ids, form):
    """{id: JSON bytes of `form`} of these ids of collection `name` the public can see: stored or rendered now.

    In the order of `ids`, however many were stored: a response lists them the same way either way.
    """
    ids = list(ids)
    if not ids:
        return {}
    stored = dict(valid(name).filter(object_id__in=ids).values_list("object_id", form))
    missing = [pk for pk in ids if pk not in stored]
    found = {pk: document.encode() for pk, document in stored.items()}
    if missing:
        found.update({pk: forms[form] for pk, forms in render(name, missing).items()})
    return {pk: found[pk] for pk in ids if pk in found}


def served_bytes(data, request):
    """`data` (document bytes, or a response made of them) with every link on the request's public base."""
    if MARKER_JSON not in data:
        return data
    base = public_base(request).rstrip("/")
    return data.replace(MARKER_JSON, b'"' + dumps(base)[1:-1])


def combined(querysets):
    """(sql, params) of one query selecting the first value of each of these one-value querysets."""
    compiled = [queryset.query.sql_with_params() for queryset in querysets]
    sql = "SELECT " + ", ".join(f"({part})" for part, _ in compiled)
    return sql, [param for _, part_params in compiled for param in part_params]


def one_row(querysets):
    """The first value of each of these one-value querysets, read in a single query."""
    if not querysets:
        return ()
    sql, params = combined(querysets)
    with reading_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())


def next_schedule_time(now):
    """The earliest publish or unpublish time after `now` of any scheduled item, or None."""
    upcoming = [
        model.objects.filter(**{f"{field}__gt": now}).order_by(field).values(field)[:1]
        for model in changelog.scheduled_models()
        for field in ("publish_at", "unpublish_at")
    ]
    return min((as_datetime(moment) for moment in one_row(upcoming) if moment is not None), default=None)


def as_datetime(moment):
    """A datetime read by a raw query (`one_row`), aware. SQLite's are naive (or text), in the database's time zone."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, connections[DEFAULT_DB_ALIAS].timezone)


# --- Rendering ----------------------------------------------------------------------------------


def render(name, ids):
    """Render the documents of these ids of collection `name` that the public can see now, in the active
    language, and store them.

    Returns {id: {"summary": bytes, "detail": bytes}}.
    """
    collection = _collection(name)
    language = languages.active()
    # Read before the objects: a change logged after this may not be in what they show.
    position = changelog.last_position()
    now = timezone.now()
    valid_until = next_schedule_time(now)
    objects = list(collection.visible().filter(pk__in=list(ids)))
    rendered = representation.render(collection, objects, language=language)
    _store(name, rendered, position, now, valid_until, language)
    return rendered


def _store(name, rendered, position, now, valid_until, language):
    if not rendered:
        return
    rows = [
        Document(
            collection=name,
            object_id=pk,
            language=language,
            summary=forms["summary"].decode(),
            detail=forms["detail"].decode(),
            digest=digest(forms["detail"]),
            shape=shape(name),
            position=position,
            rendered_at=now,
            valid_until=valid_until,
        )
        for pk, forms in rendered.items()
    ]
    try:
        with transaction.atomic():
            Document.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["collection", "object_id", "language"],
                update_fields=["summary", "detail", "digest", "shape", "position", "rendered_at", "valid_until"],
            )
    except DatabaseError:
        # A read-only replica, a lock timeout: the response is right without the stored copy.
        pass


def rebuild(names=None, batch=200, progress=None):
    """Render and store the documents of every object the public can see now; drop those of the others.

    Returns how many were rendered. `progress(count)` is called after each batch.
    """
    total = 0
    for collection in changelog.collections():
        if names and collection.name not in names:
            continue
        ids = list(collection.visible().order_by("pk").values_list("pk", flat=True))
        Document.objects.filter(collection=collection.name).exclude(object_id__in=ids).delete()
        Document.objects.filter(collection=collection.name).exclude(language__in=languages.enabled()).delete()
        for start in range(0, len(ids), batch):
            part = ids[start : start + batch]
            for code in languages.enabled():
                with translation.override(code):
                    render(collection.name, part)
            total += len(part)
            if progress:
                progress(len(part))
    return total


def stale_count():
    """How many stored documents were rendered by serializers other than today's."""
    return sum(
        Document.objects.filter(collection=c.name).exclude(shape=shape(c.name)).count()
        for c in changelog.collections()
    )


def refresh(names=None, batch=200):
    """Render the documents of the objects the public can see now that have no valid one; return how many."""
    total = 0
    for collection in changelog.collections():
        if names and collection.name not in names:
            continue
        stale = (
            collection.model.objects.filter(pk__in=collection.visible().values("pk"))
            .exclude(pk__in=valid(collection.name).values("object_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ids = list(stale)
        for start in range(0, len(ids), batch):
            total += len(render(collection.name, ids[start : start + batch]))
    return total
