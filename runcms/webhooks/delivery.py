"""Sending one delivery: the signed POST, its outcome in the log, and when to try again.

Each request carries

- `X-Runcms-Signature: t=<unix time>,v1=<hex>`: HMAC-SHA256, keyed with the endpoint's
  secret, of `<unix time>.` followed by the exact body bytes (see `signature`);
- `X-Runcms-Event` (published, updated, unpublished, deleted or test) and
  `X-Runcms-Delivery` (the delivery's id, the same on every retry: a receiver that saw it
  already can skip it).

Any 2xx answer delivers it; anything else (another status, a timeout, a refused connection)
is tried again after 30 s, 1 min, 2 min… (doubling, at most 6 hours apart), until
RUNCMS_WEBHOOK_MAX_ATTEMPTS tries have failed. Redirects are not followed.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from runcms.webhooks.addresses import check_host
from runcms.webhooks.models import Delivery, DeliveryStatus

FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
FIRST_TRY_GRACE = timedelta(minutes=1)
USER_AGENT = "runcms-webhooks/1"


def signature(secret, timestamp, body):
    """The X-Runcms-Signature value of `body` (bytes) sent at `timestamp` (whole seconds)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def retry_wait(attempts):
    """How long to wait after the `attempts`-th failed try: 30 s, then doubling, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def body_of(delivery):
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer like any other: not followed, so it cannot lead inside


_opener = urllib.request.build_opener(_NoRedirects)


def post(delivery):
    """Send `delivery` once: (status code or None, the start of the answer or the error)."""
    url = delivery.endpoint.url
    parts = urlsplit(url)
    try:
        check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except ValidationError as error:
        return None, " ".join(error.messages)
    body = body_of(delivery)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Runcms-Event": delivery.event,
            "X-Runcms-Delivery": str(delivery.id),
            "X-Runcms-Signature": signature(delivery.endpoint.secret, int(time.time()), body),
        },
    )
    limit = settings.RUNCMS_WEBHOOK_RESPONSE_CHARS
    try:
        with _opener.open(request, timeout=settings.RUNCMS_WEBHOOK_TIMEOUT) as response:
            return response.status, response.read(limit).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(limit).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, f"Could not reach the endpoint: {reason}"[:limit]


def attempt(delivery_id, *, now=None):
    """Try a pending delivery that is due; return it, or None when it is not pending or not due.

    The row is locked while it is sent, so a delivery is never sent twice at once (a retry
    job and the periodic sweep may both pick it up).
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        now = now or timezone.now()
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        code, answer = post(delivery)
        record(delivery, code, answer, timezone.now())
        return delivery


def record(delivery, code, answer, at):
    delivery.attempts += 1
    delivery.last_attempt_at = at
    delivery.last_status_code = code
    delivery.last_response = answer[: settings.RUNCMS_WEBHOOK_RESPONSE_CHARS]
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DELIVERED, None
    elif delivery.attempts >= settings.RUNCMS_WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = at + retry_wait(delivery.attempts)
    delivery.save()


def due(now=None):
    """Ids of the pending deliveries whose next try has come.

    A first try is left to the job queued with the delivery for `FIRST_TRY_GRACE`: only one
    whose job was lost is sent from here, not every one still waiting on a busy queue.
    """
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .exclude(attempts=0, created_at__gt=now - FIRST_TRY_GRACE)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
