"""The database, then Redis, taken away mid-traffic: PASS/FAIL per check, exit 1 on a failure.

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
"""

import argparse
import itertools
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.cluster import Browser, Checks, Cluster, Stop, cluster_arguments, log
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
        with Cluster(database_url=args.database_url, redis_url=args.redis, run_dir=run_dir, proxies=True,
                     extra_env={"API_ANON_RATE": "1000000/minute"}) as cluster:
            paths = traffic_paths(cluster.url)
            with Traffic(cluster.url, paths) as traffic:
                time.sleep(3)
                calm = traffic.between(0, time.monotonic())
                checks.check("before any fault, traffic through nginx is all 200s", statuses(calm).keys() == {200},
                             f"{statuses(calm)}")
                database_outage(checks, cluster, traffic, args.outage)
                redis_outage(checks, cluster, traffic, args.outage, "gone", cluster.redis_proxy.cut)
                redis_outage(checks, cluster, traffic, args.outage, "hanging", cluster.redis_proxy.hang)
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


def redis_outage(checks, cluster, traffic, outage, how, fault):
    log(f"Redis {how} for {outage:.0f} s")
    cut_at = time.monotonic()
    fault()
    for server in cluster.app_servers:
        status, body, seconds = health(server)
        checks.check(f"Redis {how}: /healthz on {server.name} stays 200 and reports the cache unavailable",
                     status == 200 and body.get("cache") == "unavailable", f"{status} {body}")
    time.sleep(outage)
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


if __name__ == "__main__":
    sys.exit(main())
