"""The publishing workflow shared by every publishable model: draft -> published, with a schedule.

`PublishableQuerySet.published()` is the one place that knows what "public" means.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from runcms.formats import admin_time

# The range a schedule may use; see Publishable._check_schedule_range.
SCHEDULE_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
SCHEDULE_LATEST = datetime(2201, 1, 1, tzinfo=UTC)

# Set by `as_public_at()`: the moment ClockNow stands for instead of the present.
_public_moment = ContextVar("runcms_public_moment", default=None)


class ClockNow(models.Expression):
    """The current time, read when the query runs, not when it is built.

    Like `django.db.models.functions.Now()`, a queryset built at import time (a
    viewset's class-level `queryset`) never freezes the clock, so scheduled items go
    live on time without a save. Unlike `Now()`, the instant comes from the app
    server's clock: the whole request then agrees on one notion of "now" (the API's
    `published()` and the sync token's issue time), and tests can move time.
    """

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection):
        now = _public_moment.get() or timezone.now()
        return compiler.compile(Value(now, output_field=models.DateTimeField()))


@contextmanager
def as_public_at(moment):
    """Evaluate `published()` (and all that shows only public items) as at `moment`, with today's rows.

    Sync uses it to tell what an object looked like to a client that synced at `moment`
    when nothing about the object has been saved since.
    """
    reset = _public_moment.set(moment)
    try:
        yield
    finally:
        _public_moment.reset(reset)


# Each publishable model's Meta.default_permissions: Django's four, and publishing (runcms.roles).
PUBLISHABLE_PERMISSIONS = ("add", "change", "delete", "view", "publish")


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class WorkflowState(models.TextChoices):
    """Where an item is in its workflow: the status alone cannot tell live from scheduled or expired."""

    DRAFT = "draft", "Draft"
    LIVE = "live", "Live"
    SCHEDULED = "scheduled", "Scheduled"
    EXPIRED = "expired", "Expired"


class PublishableQuerySet(models.QuerySet):
    # Each state takes "now" when the query runs (`ClockNow`), or the moment `at`.

    def published(self, at=None):
        """Items the public may see at `at` (default: now, evaluated when the query runs).

        Live from `publish_at` inclusive, gone from `unpublish_at` inclusive.
        """
        now = ClockNow() if at is None else at
        return self.filter(
            Q(status=Status.PUBLISHED),
            Q(publish_at__isnull=True) | Q(publish_at__lte=now),
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
        )

    def scheduled(self, at=None):
        """Published items whose publish time is still to come."""
        now = ClockNow() if at is None else at
        return self.filter(status=Status.PUBLISHED, publish_at__gt=now)

    def expired(self, at=None):
        """Published items that went live and whose unpublish time has come."""
        now = ClockNow() if at is None else at
        return self.filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=now), status=Status.PUBLISHED, unpublish_at__lte=now
        )

    def drafts(self):
        return self.filter(status=Status.DRAFT)


class Publishable(models.Model):
    """Abstract base: UUID id, workflow status and schedule, timestamps and the last editor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Drafts are never shown to the public, in the app or on the web.",
    )
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        db_index=True,
        help_text="Leave empty to publish as soon as the status is Published. "
        "A future time schedules it: it goes live by itself at that moment.",
    )
    unpublish_at = models.DateTimeField(
        "unpublish at",
        null=True,
        blank=True,
        db_index=True,
        help_text="Optional. At this moment it disappears from the app and the site by itself.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Once seen by the public, the first publication date never moves again; until then it
        # follows the schedule, and an item the public will never see as it stands has none (sync
        # tells apps to drop only what they may have seen).
        now = timezone.now()
        if self.first_published_at is None or self.first_published_at > now:
            due = self.first_public_moment(now)
            if self.first_published_at != due:
                self.first_published_at = due
                if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "first_published_at"}
        super().save(*args, **kwargs)

    def first_public_moment(self, now):
        """When the public first sees this item as it stands, from `now` on: None if it never will.

        Live now: from `publish_at` (a past one backdates it) or now. Scheduled: from `publish_at`,
        unless it is withdrawn by then. A draft, or an item whose end has already come, is never seen.
        """
        if self.is_live_at(now):
            return self.publish_at or now
        if self.publish_at and self.publish_at > now and self.is_live_at(self.publish_at):
            return self.publish_at
        return None

    @property
    def published_at(self):
        """When the public first could (or will) see it; None for a never-published draft."""
        return self.first_published_at

    @property
    def is_live(self):
        return self.is_live_at(timezone.now())

    def workflow_state(self, at):
        """The item's `WorkflowState` at `at`, read from the instance, by the rules of the querysets above."""
        if self.status == Status.DRAFT:
            return WorkflowState.DRAFT
        if self.publish_at and self.publish_at > at:
            return WorkflowState.SCHEDULED
        if self.unpublish_at and self.unpublish_at <= at:
            return WorkflowState.EXPIRED
        return WorkflowState.LIVE

    def is_live_at(self, moment):
        """Whether `published()` lets this item through at `moment`, read from the instance."""
        return (
            self.status == Status.PUBLISHED
            and (self.publish_at is None or self.publish_at <= moment)
            and (self.unpublish_at is None or self.unpublish_at > moment)
        )

    def clean(self):
        super().clean()
        self._check_schedule_range()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError(
                {
                    "unpublish_at": "The unpublish time must be after the publish time "
                    f"({admin_time(self.publish_at)}). "
                    "Move it later, or clear one of them."
                }
            )

    def _check_schedule_range(self):
        # A year such as 9999 is a typing slip, and near the ends of the calendar converting a
        # local time to UTC overflows (a 500 instead of a message).
        errors = {}
        for name in ("publish_at", "unpublish_at"):
            moment = getattr(self, name)
            if moment and not SCHEDULE_EARLIEST <= moment < SCHEDULE_LATEST:
                label = self._meta.get_field(name).verbose_name
                errors[name] = (
                    f"The “{label}” time must be between the years {SCHEDULE_EARLIEST.year} and "
                    f"{SCHEDULE_LATEST.year - 1}. Check the year, or leave it empty."
                )
        if errors:
            raise ValidationError(errors)


@receiver(pre_save, dispatch_uid="runcms.publishing.keep_first_publication")
def _keep_first_publication(sender, instance, raw=False, using=None, **kwargs):
    """A raw save never takes back a first publication that has passed.

    Restoring a revision (django-reversion) saves raw, skipping `save()`: a draft revision
    of a published item would put `first_published_at` back to None, so sync would stop
    telling apps to drop it, and publishing it again would move `published_at`.
    """
    if raw and isinstance(instance, Publishable):
        keep_passed_moment(instance, "first_published_at", using)


def keep_passed_moment(instance, field, using=None):
    """Before a raw save of `instance`: keep the stored moment in `field` if it has passed."""
    rows = type(instance)._base_manager.using(using).filter(pk=instance.pk, **{f"{field}__lte": timezone.now()})
    stored = rows.values_list(field, flat=True).first()
    if stored is not None:
        setattr(instance, field, stored)


def schedule_constraint(model_name):
    """The database's own guard for the schedule, so no code path can store an impossible one."""
    return models.CheckConstraint(
        condition=Q(publish_at__isnull=True)
        | Q(unpublish_at__isnull=True)
        | Q(unpublish_at__gt=models.F("publish_at")),
        name=f"{model_name}_unpublish_after_publish",
        violation_error_message="The unpublish time must be after the publish time.",
    )
