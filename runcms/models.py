from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from reversion.models import Version

from runcms import languages


class OldSlug(models.Model):
    """A slug an item used to have, so shared links and app bookmarks keep working (rule 5)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.UUIDField(db_index=True)
    slug = models.SlugField(max_length=200)
    retired_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="unique_old_slug_per_type"),
        ]

    def __str__(self):
        return self.slug


class ChangeLog(models.Model):
    """One API object that may look different since the previous entry: the offline sync's journal.

    Written by `runcms.changelog` from model signals, in the transaction of the change. The `id` is
    the position a sync token remembers. An entry outlives its object, so it is also the
    tombstone of a deleted one.
    """

    collection = models.CharField(max_length=40)
    object_id = models.UUIDField()
    # Whether a client may already hold the object (it was public at some point), recorded
    # while the rows that tell are still there: a deleted drill, a detached photo.
    exposed = models.BooleanField(default=False)
    # SHA-256 of the object as the public saw it just before this change (`changelog.representation_digests`),
    # empty when the public could not see it, null when not known: a delta compares it with the
    # object now and sends the object only when a client's copy differs.
    digest_before = models.CharField(max_length=64, null=True, blank=True)
    # A publish or unpublish time that had passed and this change erased: a client whose copy is
    # older cannot be told what that moment changed by the schedules stored now.
    erased_moment = models.DateTimeField(null=True, blank=True)
    logged_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["collection", "id"], name="changelog_position"),
            # Also answers "was this object logged after position N?" (`runcms.documents`) from the index.
            models.Index(fields=["collection", "object_id", "id"], name="changelog_object_position"),
        ]

    def __str__(self):
        return f"{self.id}: {self.collection} {self.object_id}"


class Document(models.Model):
    """One API object as the public sees it, rendered once and served as stored JSON (`runcms.documents`).

    Valid while nothing about the object was logged after `position`, no schedule has passed
    since it was rendered (`valid_until`) and its serializers' code is the one that rendered it
    (`shape`). Absolute URLs in it start with a placeholder, replaced by the public base URL.
    """

    collection = models.CharField(max_length=40)
    object_id = models.UUIDField()
    language = models.CharField(max_length=15)  # the language it was asked for (its text may fall back)
    summary = models.TextField()  # the list form, JSON
    detail = models.TextField()  # the detail and sync form, JSON
    digest = models.CharField(max_length=64)  # SHA-256 of `detail`: its content hash
    shape = models.CharField(max_length=64)  # fingerprint of the serializers that rendered it
    position = models.BigIntegerField()  # the change-log position it was rendered at
    rendered_at = models.DateTimeField()
    # The next scheduled publish or unpublish time after `rendered_at`, when there was one.
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "object_id", "language"], name="one_document_per_object_and_language"
            ),
        ]

    def __str__(self):
        return f"{self.collection} {self.object_id} [{self.language}]"


class UnsentJob(models.Model):
    """A job the broker could not take when it was asked for (Redis unreachable): kept here and
    queued again by the worker's periodic check (`runcms.jobs.send_unsent_jobs`) once it can be."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    error = models.TextField(blank=True, help_text="Why the broker refused it the last time.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.task


class DraftQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def for_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def due(self, now=None):
        return self.filter(publish_at__lte=now or timezone.now())


class DraftChange(models.Model):
    """The pending changes to one public item: what it will look like once the draft is published."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.UUIDField()
    object_repr = models.CharField(max_length=200, help_text="The draft's title.")
    # [{"model": "drills.step", "object_id": "…", "format": "json", "data": "<django-reversion's serialization>"}]
    versions = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # The live item's `updated_at` when the draft was started: a later one means the live rows changed since.
    based_on = models.DateTimeField(null=True, blank=True)
    publish_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When the draft goes live by itself; empty: not scheduled."
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DraftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_draft_change_per_item"),
        ]

    def __str__(self):
        return f"Draft of {self.object_repr}"

    @property
    def model(self):
        return self.content_type.model_class()

    def live(self, lock=False):
        rows = self.model._default_manager.filter(pk=self.object_id)
        return (rows.select_for_update(of=("self",)) if lock else rows).first()

    def stored_versions(self):
        """The draft's rows as unsaved django-reversion `Version`s, the item itself first."""
        return [
            Version(
                content_type=ContentType.objects.get_by_natural_key(*entry["model"].split(".")),
                object_id=entry["object_id"], format=entry["format"], serialized_data=entry["data"],
                db="default", object_repr="",
            )
            for entry in self.versions
        ]


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class ReviewQuerySet(models.QuerySet):
    def awaiting(self):
        """Submissions no publisher has decided on yet: the review queue."""
        return self.filter(decided_at__isnull=True)

    def of(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def awaiting_ids(self, model):
        """Ids of the items of `model` awaiting review, as a subquery."""
        return self.awaiting().filter(content_type=ContentType.objects.get_for_model(model)).values("object_id")


class Review(models.Model):
    """One submission of an item for review, and what a publisher decided."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.UUIDField(db_index=True)
    object_repr = models.CharField(max_length=200, help_text="The item's title when it was submitted.")
    message = models.TextField(blank=True, help_text="What changed and what the reviewer should look at.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    comment = models.TextField(blank=True, help_text="The reviewer's words to the author.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text="The languages whose text the submitted change touched, e.g. “en de”."
    )
    # A submission of a draft change to a live item (runcms.drafts), not of an item never published.
    draft_change = models.BooleanField(
        default=False, help_text="Changes to a live item: approving publishes the draft, the rest stays live."
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="review_item")]

    def __str__(self):
        return f"{self.object_repr} ({self.get_outcome_display() or 'awaiting review'})"

    @property
    def language_names(self):
        return ", ".join(languages.name(code) for code in self.languages.split())

    @property
    def item(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


# The translation status's model lives beside the rules that use it.
from runcms.translation_status import OutdatedTranslation  # noqa: E402, F401
