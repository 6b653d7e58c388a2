"""The database, then Redis, taken away mid-traffic; job workers killed mid-job. PASS/FAIL, exit 1 on a failure.

    python -m benchmarks.faults [--outage 8] [--database-url ...] [--redis ...]

Starts the cluster of benchmarks/cluster.py with PostgreSQL and Redis reached through TCP
proxies this script controls (the shared servers are never stopped), keeps mixed API and page
traffic going through nginx, and cuts each proxy in turn: every open connection is dropped and
new ones are refused, as when a database host goes away.

- Database gone: /healthz on each app server answers 503 within a second; requests fail fast
  (within a second) with a 503 and a clean message, never a 500, 502 or 504; once the database
  is back, every server answers again by itself, with no restart.
- Redis gone, then Redis hanging (connections open, no answer): the site keeps serving pages
  and the API (200s only, each within a second); /healthz stays 200 and says the cache is
  unavailable; it says "ok" again once Redis is back.
- Redis gone: an editor's save and upload still work; their jobs (a webhook, renditions) are
  kept in the database and run once Redis is back, the webhook delivered once.
- The job worker killed (SIGKILL, with its pool) while it builds renditions, then while it
  delivers a webhook: a new worker runs the job again (late acknowledgement, the broker's
  visibility timeout); the renditions are complete, every file in the bucket, none left over;
  the delivery is logged delivered once, at its first recorded attempt, under one delivery id.
"""

import argparse
import contextlib
import itertools
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.cluster import (
    Browser,
    Checks,
    Stop,
    WebhookReceiver,
    add_endpoint,
    cluster_arguments,
    cluster_from,
    edit_drill,
    log,
    upload_media,
)
from benchmarks.soak import traffic_paths

FAST_SECONDS = 1.0


class Traffic:
    """Client threads requesting paths through nginx in a loop, recording every answer."""

    def __init__(self, base, paths, threads=4):
        self.base, self.paths, self.threads = base, paths, threads
        self.answers = []  # (started at, path, status, seconds, body start)
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def _run(self, offset):
        browser = Browser()
        for path in itertools.islice(itertools.cycle(self.paths), offset, None):
            if self._stop.is_set():
                return
            started = time.monotonic()
            try:
                answer = browser.request(self.base + path, timeout=30)
                record = (started, path, answer.status, answer.seconds, answer.body[:1000])
            except OSError as error:
                record = (started, path, f"error: {error}", time.monotonic() - started, b"")
            with self._lock:
                self.answers.append(record)

    def __enter__(self):
        self._workers = [threading.Thread(target=self._run, args=(i * 7,), daemon=True) for i in range(self.threads)]
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=40)

    def between(self, start, end):
        with self._lock:
            return [answer for answer in self.answers if start <= answer[0] < end]


def statuses(answers):
    counts = {}
    for answer in answers:
        counts[answer[2]] = counts.get(answer[2], 0) + 1
    return dict(sorted(counts.items(), key=str))


def health(server):
    answer = Browser().request(f"{server.url}/healthz", timeout=10)
    return answer.status, answer.json() if answer.body.startswith(b"{") else {}, answer.seconds


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=8, help="seconds each outage lasts")
    return cluster_arguments(parser).parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run_dir = Path(args.run_dir or tempfile.mkdtemp(prefix="runcms-faults-"))
    checks = Checks()
    try:
        with cluster_from(args, run_dir, proxies=True, extra_env={
            "API_ANON_RATE": "1000000/minute",
            # A job whose worker died goes to another after this many seconds (default an hour).
            "RUNCMS_JOB_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        }) as cluster, WebhookReceiver(secrets.token_urlsafe(24)) as receiver:
            editor = Browser()
            editor.log_in(cluster.url)
            add_endpoint(editor, cluster.url, receiver)
            paths = traffic_paths(cluster.url)
            with Traffic(cluster.url, paths) as traffic:
                time.sleep(3)
                calm = traffic.between(0, time.monotonic())
                checks.check("before any fault, traffic through nginx is all 200s", statuses(calm).keys() == {200},
                             f"{statuses(calm)}")
                database_outage(checks, cluster, traffic, args.outage)
                jobs = JobsWhileRedisIsGone(checks, cluster, editor, receiver)
                redis_outage(checks, cluster, traffic, args.outage, "gone", cluster.redis_proxy.cut, jobs)
                redis_outage(checks, cluster, traffic, args.outage, "hanging", cluster.redis_proxy.hang)
                if cluster.job_worker:
                    worker_killed_building_renditions(checks, cluster, editor)
                    worker_killed_delivering_a_webhook(checks, cluster, editor, receiver)
    except Stop as stop:
        print(f"FAIL  the fault drill could not run: {stop}", flush=True)
        return 2
    return checks.exit_status()


def database_outage(checks, cluster, traffic, outage):
    log(f"cutting PostgreSQL off for {outage:.0f} s")
    cut_at = time.monotonic()
    cluster.database_proxy.cut()
    for server in cluster.app_servers:
        status, body, seconds = health(server)
        checks.check(f"database gone: /healthz on {server.name} answers 503 within {FAST_SECONDS:.0f} s",
                     status == 503 and seconds < FAST_SECONDS, f"{status} {body} in {seconds * 1000:.0f} ms")
    time.sleep(outage)
    back_at = time.monotonic()
    cluster.database_proxy.restore()
    log("PostgreSQL is reachable again")
    during = traffic.between(cut_at + 0.5, back_at)  # those already under way when it went may have finished
    failed = [answer for answer in during if answer[2] != 200]
    checks.check("database gone: requests fail with a 503 (kept answers may still be 200s), never 500/502/504",
                 bool(failed) and all(answer[2] in (200, 503) for answer in during), f"{statuses(during)}")
    slowest = max((answer[3] for answer in failed), default=0)
    checks.check(f"database gone: they fail fast (each within {FAST_SECONDS:.0f} s)", slowest < FAST_SECONDS,
                 f"slowest failure {slowest * 1000:.0f} ms")
    api = [answer for answer in failed if answer[1].startswith("/api/")]
    pages = [answer for answer in failed if not answer[1].startswith("/api/")]
    clean = all(answer[4].startswith(b'{"detail": "The service cannot reach its database') for answer in api) and all(
        b"The site is unavailable for a moment" in answer[4] for answer in pages
    )
    checks.check("database gone: the error says what is wrong, as JSON in the API and as a page elsewhere", clean,
                 f"{len(api)} API answers like {api[0][4][:90].decode() if api else '-'}; "
                 f"{len(pages)} pages saying \"The site is unavailable for a moment\"")
    recovered = wait_until(lambda: all(health(server)[0] == 200 for server in cluster.app_servers), 30)
    checks.check("database back: /healthz is 200 on every server again, without a restart", recovered,
                 f"after {time.monotonic() - back_at:.1f} s")
    time.sleep(2)
    settled = time.monotonic()
    time.sleep(3)
    after = traffic.between(settled, time.monotonic())
    checks.check("database back: traffic is all 200s again", bool(after) and statuses(after).keys() == {200},
                 f"{statuses(after)}")


def redis_outage(checks, cluster, traffic, outage, how, fault, jobs=None):
    log(f"Redis {how} for {outage:.0f} s")
    cut_at = time.monotonic()
    fault()
    for server in cluster.app_servers:
        status, body, seconds = health(server)
        checks.check(f"Redis {how}: /healthz on {server.name} stays 200 and reports the cache unavailable",
                     status == 200 and body.get("cache") == "unavailable", f"{status} {body}")
    if jobs and cluster.job_worker:
        jobs.while_gone()
    time.sleep(max(0, outage - (time.monotonic() - cut_at)))
    during = traffic.between(cut_at, time.monotonic())
    slowest = max((answer[3] for answer in during), default=0)
    checks.check(f"Redis {how}: the site keeps serving pages and the API (all 200s, each within "
                 f"{FAST_SECONDS * 2:.0f} s)",
                 bool(during) and statuses(during).keys() == {200} and slowest < FAST_SECONDS * 2,
                 f"{statuses(during)}, slowest {slowest * 1000:.0f} ms")
    back_at = time.monotonic()
    cluster.redis_proxy.restore()
    log("Redis is reachable again")
    recovered = wait_until(lambda: all(health(server)[1].get("cache") == "ok" for server in cluster.app_servers), 30)
    checks.check("Redis back: /healthz reports the cache ok again", recovered,
                 f"after {time.monotonic() - back_at:.1f} s")
    if jobs and cluster.job_worker:
        jobs.once_back()


VISIBILITY_TIMEOUT = 10


def picture(width, height, kind="JPEG"):
    """A picture whose renditions take the worker a moment (a large PNG is not decoded reduced)."""
    import io

    from PIL import Image

    bands = [Image.linear_gradient("L").resize((width, height)), Image.effect_noise((width, height), 8),
             Image.radial_gradient("L").resize((width, height))]
    buffer = io.BytesIO()
    Image.merge("RGB", bands).save(buffer, format=kind, **({"compress_level": 1} if kind == "PNG" else {}))
    return buffer.getvalue()


def newest_media(cluster):
    return cluster.sql("SELECT id, renditions_pending FROM drills_cuemedia ORDER BY created_at DESC LIMIT 1")[0]


def renditions_of(cluster, media_id):
    return cluster.sql("SELECT name, format, file, bytes FROM drills_rendition WHERE media_id = %s", media_id)


def drill_ids(cluster):
    return [row[0] for row in cluster.sql("SELECT id::text FROM drills_drill ORDER BY slug")]


class JobsWhileRedisIsGone:
    """An editor saves and uploads while Redis is gone; their jobs wait and run once it is back."""

    def __init__(self, checks, cluster, editor, receiver):
        self.checks, self.cluster, self.editor, self.receiver = checks, cluster, editor, receiver

    def while_gone(self):
        checks, cluster = self.checks, self.cluster
        self.drill = drill_ids(cluster)[0]
        started = time.monotonic()
        saved = edit_drill(self.editor, cluster.url, self.drill, f"Saved while Redis was gone {time.time():.0f}")
        uploaded = upload_media(self.editor, cluster.url, "while-redis-was-gone.jpg", picture(800, 600))
        seconds = time.monotonic() - started
        self.media = newest_media(cluster)[0]
        kept = cluster.sql("SELECT task, count(*) FROM runcms_unsentjob GROUP BY 1 ORDER BY 1")
        checks.check("Redis gone: an editor's save and upload through nginx still work",
                     saved.status == 302 and uploaded.status == 302,
                     f"statuses {saved.status}, {uploaded.status}, both in {seconds:.1f} s")
        checks.check("Redis gone: their jobs are kept in the database (UnsentJob), not lost",
                     {task for task, _count in kept} >= {"drills.media.tasks.make_renditions",
                                                         "runcms.webhooks.tasks.dispatch_changes"}, f"{kept}")
        time.sleep(2)
        checks.check("Redis gone: the jobs wait (no webhook sent, renditions not built)",
                     not self.receiver.events(id=self.drill) and newest_media(cluster)[1] is True)

    def once_back(self):
        checks, cluster = self.checks, self.cluster
        back = time.monotonic()
        delivered = self.receiver.wait_for(60, event="updated", id=self.drill)
        built = wait_until(lambda: cluster.sql(
            "SELECT renditions_pending FROM drills_cuemedia WHERE id = %s", self.media)[0][0] is False, 60)
        waited = time.monotonic() - back
        time.sleep(5)
        positions = [record["position"] for record in self.receiver.events(event="updated", id=self.drill)]
        checks.check("Redis back: the kept jobs ran by themselves: the edit's webhook delivered once, the renditions "
                     "built", bool(delivered) and len(positions) == len(set(positions)) and built,
                     f"within {waited:.1f} s; {len(renditions_of(cluster, self.media))} renditions; the worker "
                     f"exited by itself {cluster.worker_restarts} time(s) so far and was started again")
        left = cluster.sql("SELECT count(*) FROM runcms_unsentjob")[0][0]
        checks.check("Redis back: no job is left kept", left == 0, f"{left} left")


def kill_worker_when(cluster, started, what):
    """SIGKILL the job worker (and its pool) once its log shows `what` started; True when it did in time."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if started():
            cluster.kill_job_worker()
            log(f"job worker killed (SIGKILL, with its pool) while it was {what}")
            return True
        time.sleep(0.05)
    return False


def worker_killed_building_renditions(checks, cluster, editor):
    content = picture(6000, 4000, "PNG")
    log(f"uploading a {len(content) / 1e6:.0f} MB PNG, 6000 × 4000; killing the worker once it builds renditions")
    marker = "Task drills.media.tasks.make_renditions["
    before = cluster.job_log().count(marker)
    upload = threading.Thread(target=upload_media, args=(editor, cluster.url, "large.png", content, "image/png"))
    upload.start()
    killed = kill_worker_when(cluster, lambda: cluster.job_log().count(marker) > before, "building renditions")
    upload.join(timeout=120)
    media, pending = newest_media(cluster)
    half = renditions_of(cluster, media)
    checks.check("worker killed mid-job: it was building the renditions (none saved yet)",
                 killed and pending is True and not half, f"renditions_pending {pending}, {len(half)} renditions")
    cluster.start_job_worker()
    started = time.monotonic()
    built = wait_until(lambda: cluster.sql(
        "SELECT renditions_pending FROM drills_cuemedia WHERE id = %s", media)[0][0] is False, 90)
    renditions = renditions_of(cluster, media)
    bucket = cluster.s3_client()
    sizes = {}
    for _name, _format, file, _bytes in renditions:
        with contextlib.suppress(Exception):
            sizes[file] = bucket.head_object(Bucket="runcms-media", Key=file)["ContentLength"]
    complete = bool(renditions) and all(sizes.get(file) == size for _n, _f, file, size in renditions)
    unique = len({(name, format) for name, format, _file, _size in renditions}) == len(renditions)
    checks.check("worker killed mid-job: a new worker ran the job again, the renditions are complete",
                 built and complete and unique,
                 f"after {time.monotonic() - started:.1f} s; {len(renditions)} renditions, each in the bucket "
                 f"with its size: {complete}")
    swept = cluster.manage("sweep_media_orphans", "--older-than", "0").strip().splitlines()
    rows = {row[0] for row in cluster.sql("SELECT file FROM drills_rendition")}
    stored = {item["Key"] for page in bucket.get_paginator("list_objects_v2").paginate(
        Bucket="runcms-media", Prefix="renditions/") for item in page.get("Contents", [])}
    checks.check("worker killed mid-job: nothing half-done is left: the bucket's renditions are exactly the rows'",
                 stored == rows, f"{len(stored)} files, {len(rows)} rows; sweep_media_orphans: "
                 f"{swept[-1] if swept else '-'}")


def worker_killed_delivering_a_webhook(checks, cluster, editor, receiver):
    drill = drill_ids(cluster)[1]
    before = len(receiver.events())
    receiver.holding = True  # the receiver keeps the worker waiting for its answer
    saved = edit_drill(editor, cluster.url, drill, f"Edited before the worker was killed {time.time():.0f}")
    log("killing the worker once it is delivering a webhook (the receiver holds the answer)")
    killed = kill_worker_when(cluster, lambda: len(receiver.events()) > before, "delivering a webhook")
    receiver.holding = False
    receiver.release.set()
    held = sorted({record["delivery"] for record in receiver.events()[before:]})
    at_kill = cluster.sql("SELECT status, attempts, count(*) FROM webhooks_delivery WHERE id::text = ANY(%s) "
                          "GROUP BY 1, 2", held)
    checks.check("worker killed while delivering a webhook: the half-done attempt is not logged",
                 saved.status == 302 and killed and at_kill == [("pending", 0, len(held))],
                 f"{len(held)} delivery(ies) under way; delivery log {at_kill}")
    cluster.start_job_worker()
    started = time.monotonic()
    done = wait_until(lambda: cluster.sql("SELECT count(*) FROM webhooks_delivery WHERE id::text = ANY(%s) "
                                          "AND status = 'delivered'", held)[0][0] == len(held), 90)
    seconds = time.monotonic() - started
    time.sleep(3)
    after = cluster.sql("SELECT status, attempts, count(*) FROM webhooks_delivery WHERE id::text = ANY(%s) "
                        "GROUP BY 1, 2", held)
    twice = cluster.sql("SELECT count(*) FROM (SELECT 1 FROM webhooks_delivery GROUP BY endpoint_id, object_id, "
                        "event, payload->>'position' HAVING count(*) > 1) AS logged_twice")[0][0]
    received = receiver.events()[before:]
    checks.check("worker killed while delivering a webhook: a new worker delivered it, logged once as delivered "
                 "at its first recorded attempt, no event logged twice",
                 done and after == [("delivered", 1, len(held))] and twice == 0
                 and set(held) <= {record["delivery"] for record in received},
                 f"after {seconds:.1f} s; delivery log {after}; the receiver got "
                 f"{len([r for r in received if r['delivery'] in held])} requests with the id(s) under way: the one "
                 "cut off is sent again under its id, which a receiver that saw it skips")


if __name__ == "__main__":
    sys.exit(main())
