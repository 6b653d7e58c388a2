from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


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


# The models of the review workflow, the translation status and draft changes live beside the
# rules that use them.
from runcms.drafts import DraftChange  # noqa: E402, F401
from runcms.review import Review  # noqa: E402, F401
from runcms.translation_status import OutdatedTranslation  # noqa: E402, F401
