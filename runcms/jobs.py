"""The job queue: slow work runs as Celery tasks, on a worker in production, at once without one.

With `JOBS_URL` set (a Redis URL: the broker) a task is queued once the transaction that asked
for it commits, and `celery -A runcms.jobs worker --beat` runs it, retrying a failure with
exponential backoff. Without it (the quick start, the tests) every task runs in-process, at
once, exactly where it was asked for. Either way each run is stored by django-celery-results,
so the admin shows every job's status, attempts and error.

Should the broker be unreachable when a job is queued (Redis down), the save that asked for it
still succeeds: the job is kept as an `UnsentJob` row and queued again by the worker's periodic
check (`send_unsent_jobs`, with `--beat`) once Redis is back, so no job is lost.

Tasks live in the `tasks.py` of the app that owns the work (`drills/media/tasks.py`,
`runcms/tasks.py`, `runcms/webhooks/tasks.py`); they are found by `autodiscover_tasks()`.
"""

import logging
import os

from celery import Celery, Task
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runcms.settings")

app = Celery("runcms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


class Job(Task):
    """A task retried with exponential backoff (1, 2, 4… seconds, at most ten minutes apart,
    with jitter) when it raises, and whose attempts are kept with its result."""

    autoretry_for = (Exception,)
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5
    acks_late = True  # a worker killed mid-job leaves the job on the queue for another
    reject_on_worker_lost = True

    def __call__(self, *args, **kwargs):
        # django-celery-results stores the request's `meta` with the result: the admin shows it.
        self.request.meta = {"attempts": self.request.retries + 1}
        return super().__call__(*args, **kwargs)


def queued():
    """True when tasks go to a broker for a worker; False when they run in-process at once."""
    return not app.conf.task_always_eager


def enqueue(task, *args, **kwargs):
    """Run `task(*args, **kwargs)` as a job: in-process now without a broker; on the queue once the
    current transaction commits with one (a worker must see what the transaction wrote).

    `task` is a task or its name: the module that asks for a job by name ("drills.media.tasks.
    make_renditions") need not import the job module, which imports it in turn.
    """
    name = task if isinstance(task, str) else task.name
    if not queued():
        registered(name).apply(args, kwargs)
        return
    transaction.on_commit(lambda: send(name, args, kwargs))


def registered(name):
    """The task called `name`, loading the apps' `tasks.py` modules first if they are not yet."""
    if name not in app.tasks:
        app.loader.import_default_modules()  # runs autodiscover_tasks(), as a worker does on start
    return app.tasks[name]


def send(name, args, kwargs):
    """Hand the job `name` to the broker; keep it in the database for later if the broker cannot take it."""
    from runcms.models import UnsentJob

    try:
        app.send_task(name, args, kwargs)
    except Exception as error:  # whatever the broker's trouble, the job must not be lost
        logger.warning("Job %s kept for later: the broker did not take it (%s)", name, error)
        UnsentJob.objects.create(task=name, args=list(args), kwargs=kwargs, error=str(error)[:1000])


@app.task(base=Job)
def send_unsent_jobs():
    """Queue the jobs the broker could not take when they were asked for, oldest first; return how many."""
    from runcms.models import UnsentJob

    sent = 0
    while True:
        with transaction.atomic():
            # Locked and skipped by a concurrent run, so each is queued once.
            batch = list(UnsentJob.objects.select_for_update(skip_locked=True)[:100])
            if not batch:
                return sent
            for job in batch:
                try:
                    app.send_task(job.task, job.args, job.kwargs)
                except Exception as error:  # still unreachable: kept for the next check
                    job.error = str(error)[:1000]
                    job.save(update_fields=["error"])
                    return sent
                job.delete()
                sent += 1
