"""The webhook jobs: making events, sending deliveries, and the periodic checks (`--beat`)."""

from runcms import jobs
from runcms.jobs import Job, app
from runcms.webhooks import delivery, events
from runcms.webhooks.models import DeliveryStatus


@app.task(base=Job)
def dispatch_changes():
    """Events of the changes logged since the last run, each sent as a job of its own."""
    for pk in events.dispatch_changes():
        jobs.enqueue(deliver, str(pk))


@app.task(base=Job)
def check_schedules():
    """Events of the publish and unpublish times that passed since the last check, without a save."""
    for pk in events.check_schedules():
        jobs.enqueue(deliver, str(pk))


@app.task(base=Job)
def deliver(delivery_id):
    sent = delivery.attempt(delivery_id)
    if sent is not None and sent.status == DeliveryStatus.PENDING and jobs.queued():
        # Tried again on time by the queue; `deliver_due` picks it up as well should this be lost.
        deliver.apply_async((delivery_id,), eta=sent.next_attempt_at)


@app.task(base=Job)
def deliver_due():
    """Send every delivery whose retry time has come."""
    for pk in delivery.due():
        jobs.enqueue(deliver, str(pk))
