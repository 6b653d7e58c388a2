"""Turning content changes into webhook events: published, updated, unpublished, deleted.

Changes come from the change journal (`runcms.changelog`): every logged change, read in
position order from where the last run stopped, and every scheduled publish or unpublish
time that passed since the last check (time alone changes what is public: rule 2). For each
object concerned, how the public sees it now (its published document's digest, "" when
not public) is compared with how the endpoints were last told (`Announcement`):

    not public → public       published
    public → public, changed  updated
    public → not public       unpublished, or deleted when the row is gone

Nothing happens when they are the same, so a change is announced once however many
times it is looked at. Both sources run under a lock on the one `Cursor` row.
"""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone

from runcms import changelog, documents, jobs
from runcms.models import ChangeLog
from runcms.representation import digest
from runcms.webhooks.models import Announcement, Cursor, Delivery, Endpoint, Event
from runcms.webhooks.purge import keep_cdn_purge_endpoint, stale_urls

BATCH = 500
# The "digest before" of an object whose unpublish time passed with no announcement: public, as it was.
WAS_PUBLIC = "?"


def content_committed(names):
    jobs.enqueue("runcms.webhooks.tasks.dispatch_changes")


def _cursor():
    """The cursor row, locked. A migration makes it at the journal's newest position; should it be
    gone (a database emptied with its journal), it starts again from the beginning."""
    cursor = Cursor.objects.select_for_update().filter(pk=1).first()
    if cursor is None:
        try:
            with transaction.atomic():
                Cursor.objects.create(pk=1, position=0, checked_at=timezone.now())
        except IntegrityError:
            pass  # made by another run meanwhile
        cursor = Cursor.objects.select_for_update().get(pk=1)
    return cursor


def dispatch_changes():
    """Make the events of every change logged since the last run; return the new deliveries' ids."""
    made = []
    while True:
        with transaction.atomic():
            cursor = _cursor()
            rows = list(
                ChangeLog.objects.filter(id__gt=cursor.position)
                .order_by("id")
                .values_list("id", "collection", "object_id", "digest_before")[:BATCH]
            )
            if not rows:
                return made
            changed = defaultdict(dict)  # {collection: {id: (position, digest before the first change)}}
            for position, name, pk, before in rows:
                first = changed[name].get(pk, (None, before))[1]
                changed[name][pk] = (position, first)
            made += _announce(changed)
            cursor.position = rows[-1][0]
            cursor.save(update_fields=["position"])


def check_schedules(now=None):
    """Make the events of the publish and unpublish times that passed since the last check, up to `now`."""
    now = now or timezone.now()
    with transaction.atomic():
        cursor = _cursor()
        if now <= cursor.checked_at:
            return []
        position = changelog.last_position()
        changed = defaultdict(dict)
        for model in changelog.scheduled_models():
            for field, before in (("publish_at", ""), ("unpublish_at", WAS_PUBLIC)):
                passed = model._base_manager.filter(**{f"{field}__gt": cursor.checked_at, f"{field}__lte": now})
                pks = list(passed.values_list("pk", flat=True))
                own = changelog.collection_of(model)
                for name, ids in changelog.affected(model, pks).items():
                    for pk in ids:
                        # Without an announcement: a publish time says it was not public before, an
                        # unpublish time that it was; for what they show (media), it is not known.
                        changed[name].setdefault(pk, (position, before if name == own else None))
        made = _announce(changed)
        cursor.checked_at = now
        cursor.save(update_fields=["checked_at"])
    return made


def _announce(changed):
    """Compare each object's public state with its announcement, record the events as deliveries."""
    keep_cdn_purge_endpoint()
    endpoints = list(Endpoint.objects.filter(active=True))
    if not endpoints:
        # Nobody listens: nothing is announced. What they were told no longer holds either.
        Announcement.objects.all().delete()
        return []
    deliveries = []
    for name, objects in changed.items():
        announced = {
            a.object_id: a
            for a in Announcement.objects.filter(collection=name, object_id__in=list(objects))
        }
        now_public = {pk: digest(body) for pk, body in documents.by_id(name, list(objects), "detail").items()}
        model = _model(name)
        existing = set(model._base_manager.filter(pk__in=list(objects)).values_list("pk", flat=True))
        slugs = _slugs(model, now_public)
        for pk, (position, logged_before) in objects.items():
            announcement = announced.get(pk)
            before = announcement.digest if announcement else logged_before
            after = now_public.get(pk, "")
            event = _event(before, after, pk in existing)
            told_slug = announcement.slug if announcement else ""
            slug = slugs.get(pk) or told_slug or None
            _remember(name, pk, announcement, after, slug or "")
            if event:
                payload = {
                    "event": event, "type": name, "id": str(pk), "slug": slug, "position": position,
                    "occurred_at": timezone.now().isoformat(), "urls": stale_urls(name, model, pk, [slug, told_slug]),
                }
                deliveries += [
                    Delivery(endpoint=endpoint, event=event, collection=name, object_id=pk, payload=payload)
                    for endpoint in endpoints
                    if endpoint.wants(name, event)
                ]
    now = timezone.now()
    for delivery in deliveries:
        delivery.payload["delivery"] = str(delivery.id)
        delivery.next_attempt_at = now
    Delivery.objects.bulk_create(deliveries)
    return [delivery.pk for delivery in deliveries]


def _event(before, after, exists):
    """The event from how the public saw an object (digest; "" not at all; None not known) to now."""
    if after:
        if not before:
            return Event.PUBLISHED if before == "" else Event.UPDATED
        return Event.UPDATED if before != after else None
    if before == "":
        return None
    if not exists:
        return Event.DELETED
    return Event.UNPUBLISHED if before else None


def _remember(name, pk, announcement, digest_now, slug):
    if announcement is None:
        Announcement.objects.create(collection=name, object_id=pk, digest=digest_now, slug=slug)
    elif digest_now or announcement.digest:
        if not digest_now and not _model(name)._base_manager.filter(pk=pk).exists():
            announcement.delete()
            return
        announcement.digest, announcement.slug = digest_now, slug
        announcement.save(update_fields=["digest", "slug"])


def _model(name):
    return next(c.model for c in changelog.collections() if c.name == name)


def _slugs(model, pks):
    if not pks or not any(f.name == "slug" for f in model._meta.concrete_fields):
        return {}
    return dict(model._base_manager.filter(pk__in=list(pks)).values_list("pk", "slug"))

