"""Jobs on a real Redis broker: queued once the save commits, kept in the database while Redis is
unreachable, and queued from there once it is back, each once."""

import base64
import json
import os
from urllib.parse import urlsplit

import pytest
import redis

from benchmarks.cluster import TcpProxy
from runcms import jobs
from runcms.models import UnsentJob
from runcms.tasks import refresh_documents
from runcms.webhooks.tasks import dispatch_changes
from tests.factories import make_drill

pytestmark = pytest.mark.django_db

# The tests' Redis database (CACHE_URL's host, database 15): the queue is a list in it.
_cache = urlsplit(os.environ.get("CACHE_URL", ""))
REDIS_HOST = _cache.hostname if _cache.scheme == "redis" else "127.0.0.1"
REDIS_PORT = (_cache.port or 6379) if _cache.scheme == "redis" else 6379
# Each test process's queue apart (`make test` runs several).
QUEUE = f"runcms-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:celery"


@pytest.fixture(scope="module")
def broker_proxy():
    """Redis as the job broker, reached through a proxy the tests can cut as a network would."""
    proxy = TcpProxy(REDIS_HOST, REDIS_PORT).start()
    conf = jobs.app.conf
    before = conf.broker_url, conf.task_always_eager, conf.broker_transport_options
    conf.broker_url, conf.task_always_eager = f"redis://127.0.0.1:{proxy.port}/15", False
    conf.broker_transport_options = {**before[2], "global_keyprefix": QUEUE.removesuffix("celery")}
    yield proxy
    conf.broker_url, conf.task_always_eager, conf.broker_transport_options = before
    proxy.stop()


@pytest.fixture
def broker(broker_proxy):
    queue = redis.Redis(REDIS_HOST, REDIS_PORT, db=15)
    queue.delete(QUEUE)
    broker_proxy.restore()
    yield broker_proxy
    broker_proxy.restore()
    queue.delete(QUEUE)


def queued_messages():
    """(task name, args) of every message waiting on the queue, oldest first."""
    found = []
    for raw in reversed(redis.Redis(REDIS_HOST, REDIS_PORT, db=15).lrange(QUEUE, 0, -1)):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        found.append((message["headers"]["task"], args))
    return found


def test_a_job_is_queued_once_the_transaction_that_asked_for_it_commits(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(refresh_documents, ["drills"])
        assert queued_messages() == []

    assert queued_messages() == [("runcms.tasks.refresh_documents", [["drills"]])]
    assert not UnsentJob.objects.exists()


def test_a_save_while_redis_is_unreachable_succeeds_and_keeps_its_jobs(broker, django_capture_on_commit_callbacks):
    broker.cut()

    with django_capture_on_commit_callbacks(execute=True):
        drill = make_drill(slug="heel-pull")

    drill.refresh_from_db()
    assert drill.slug == "heel-pull"
    kept = list(UnsentJob.objects.values_list("task", flat=True))
    assert sorted(kept) == ["runcms.tasks.refresh_documents", "runcms.webhooks.tasks.dispatch_changes"]
    assert all(job.error for job in UnsentJob.objects.all())


def test_kept_jobs_are_queued_once_each_when_redis_is_back(broker, django_capture_on_commit_callbacks):
    broker.cut()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(refresh_documents, ["drills", "media"])
        jobs.enqueue(dispatch_changes)
    broker.restore()

    sent = jobs.send_unsent_jobs()
    sent_again = jobs.send_unsent_jobs()

    assert (sent, sent_again) == (2, 0)
    assert queued_messages() == [
        ("runcms.tasks.refresh_documents", [["drills", "media"]]),
        ("runcms.webhooks.tasks.dispatch_changes", []),
    ]
    assert not UnsentJob.objects.exists()


def test_kept_jobs_stay_kept_while_redis_is_still_unreachable(broker, django_capture_on_commit_callbacks):
    broker.cut()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(refresh_documents, ["drills"])

    sent = jobs.send_unsent_jobs()

    assert sent == 0
    assert list(UnsentJob.objects.values_list("task", "args")) == [("runcms.tasks.refresh_documents", [["drills"]])]
    broker.restore()
    assert queued_messages() == []


def test_jobs_kept_for_later_are_listed_read_only_in_the_admin(broker, signed_in, django_capture_on_commit_callbacks):
    broker.cut()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(refresh_documents, ["drills"])

    listing = signed_in.get("/admin/runcms/unsentjob/")
    job = UnsentJob.objects.get()

    assert listing.status_code == 200
    assert "runcms.tasks.refresh_documents" in listing.content.decode()
    assert signed_in.get("/admin/runcms/unsentjob/add/").status_code == 403
    assert signed_in.post(f"/admin/runcms/unsentjob/{job.pk}/change/", {"task": "other"}).status_code == 403
