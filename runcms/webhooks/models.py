"""Webhook endpoints, the deliveries made to them, and what they were last told about each object."""

import secrets
import uuid

from django.conf import settings
from django.db import models

from runcms.webhooks.addresses import validate_endpoint_url


class Event(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    UNPUBLISHED = "unpublished", "Unpublished"
    DELETED = "deleted", "Deleted"


TEST_EVENT = "test"


def new_secret():
    return secrets.token_urlsafe(32)


def every_event():
    return list(Event.values)


class Endpoint(models.Model):
    name = models.CharField(max_length=200, help_text="What it is, e.g. “CDN purge” or “App backend”.")
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[validate_endpoint_url],
        help_text="Where events are sent (POST, JSON): an http or https address on the internet.",
    )
    secret = models.CharField(
        max_length=200,
        default=new_secret,
        help_text="Shared with the receiver, which checks each delivery's X-Runcms-Signature with it. "
        "Change it to revoke the old one.",
    )
    events = models.JSONField(default=every_event, help_text="The events to send.")
    collections = models.JSONField(
        "content types", default=list, blank=True, help_text="Leave all unticked for every content type."
    )
    active = models.BooleanField(default=True, help_text="Untick to stop sending without deleting the endpoint.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def wants(self, collection, event):
        return event in self.events and (not self.collections or collection in self.collections)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class Delivery(models.Model):
    """One event for one endpoint: sent until the receiver answers 2xx, or given up after
    RUNCMS_WEBHOOK_MAX_ATTEMPTS tries, each further apart."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20)
    collection = models.CharField("content type", max_length=50, blank=True)
    object_id = models.UUIDField(null=True, blank=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField("last response code", null=True, blank=True)
    last_response = models.TextField(
        blank=True, help_text=f"The start of the receiver's answer, or why it could not be reached "
        f"(at most {settings.RUNCMS_WEBHOOK_RESPONSE_CHARS} characters)."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.event} {self.collection} {self.object_id or ''}".strip()


class Announcement(models.Model):
    """How the endpoints last saw an object (its detail digest, "" while not public) and its slug,
    so that each change is announced once, as the event it is for them."""

    collection = models.CharField(max_length=50)
    object_id = models.UUIDField()
    digest = models.CharField(max_length=64, blank=True)
    slug = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["collection", "object_id"], name="unique_announcement")]

    def __str__(self):
        return f"{self.collection} {self.object_id}"


class Cursor(models.Model):
    """The one row that says how far events were made: the change-log position and the moment up to
    which scheduled times were checked. Locked while events are made, so each is made once."""

    position = models.BigIntegerField(default=0)
    checked_at = models.DateTimeField()

    def __str__(self):
        return f"position {self.position}, schedules checked to {self.checked_at:%Y-%m-%d %H:%M:%S}"
