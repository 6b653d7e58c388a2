"""The API benchmark: runcms under gunicorn, loaded with wrk, beside two references.

    .venv/bin/python -m benchmarks.api [--redis [URL]] [--duration 10] [--endpoints drill_list,...]

Seeds PostgreSQL with the benchmark set (2,000 drills, 1,000 articles, 20 programs; bulk
creation, renditions made once for a few images), starts gunicorn with production
settings on 127.0.0.1, and for each endpoint reports req/s, p50/p99, bytes, SQL queries
per request (in-process, second request) and the workers' peak memory, beside the same
bytes served by a minimal Django view through the project's middleware (the framework
floor) and by a bare WSGI app (the ceiling), all under the same gunicorn settings.
Writes <output>/api-<time>[-redis][-no-answer-cache].json and .md. See the README, "Benchmarks".
"""

import argparse
import datetime as dt
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks import project, report, seed, servers, wrk

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/runcms_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results"
PUBLIC_BASE_URL = "http://localhost"  # absolute URLs (and so bytes and ETags) do not depend on the port

# name: (label, path, expected status); {delta_token} is filled in once the set is seeded.
ENDPOINTS = {
    "drill_list": ("drill list (20)", "/api/v1/drills/?page_size=20", 200),
    "drill_detail": ("drill detail", "/api/v1/drills/drill-1000/", 200),
    "article_list": ("article list (20)", "/api/v1/articles/?page_size=20", 200),
    "article_detail": ("article detail", "/api/v1/articles/article-0500/", 200),
    "program_detail": ("program detail", "/api/v1/programs/program-10/", 200),
    "sync_full": ("full sync (first page)", "/api/v1/sync/", 200),
    "sync_delta": ("delta sync (one edit)", "/api/v1/sync/?token={delta_token}", 200),
    "drill_list_304": ("drill list, 304", "/api/v1/drills/?page_size=20", 304),
    "article_page": ("public article page", "/articles/article-0500/", 200),
}
EDITED_DRILL = "drill-0002"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Stop(Exception):
    """A problem the user can fix; the message says how."""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.api", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
                        help="PostgreSQL database to seed and serve from, created if missing "
                        f"(default {DEFAULT_DATABASE_URL})")
    parser.add_argument("--redis", nargs="?", const=DEFAULT_REDIS_URL, metavar="URL",
                        help=f"set CACHE_URL to this Redis (default {DEFAULT_REDIS_URL}) instead of local memory")
    parser.add_argument("--no-answer-cache", action="store_true",
                        help="keep no API answers (RUNCMS_API_CACHE=false): every request reads the database")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up load before each (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--workers", type=int, default=servers.WORKERS, help="gunicorn sync workers (default 2)")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS),
                        help="comma-separated subset of: " + ", ".join(ENDPOINTS))
    parser.add_argument("--no-references", action="store_true", help="skip the floor and ceiling servers")
    parser.add_argument("--keep-db", action="store_true",
                        help="keep the seeded database (and its media) for the next run, which then skips seeding")
    parser.add_argument("--reseed", action="store_true", help="empty a kept benchmark database and seed it again")
    parser.add_argument("--drills", type=int, default=2000)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="folder for results (default benchmarks/results/)")
    args = parser.parse_args(argv)
    args.endpoints = [name.strip() for name in args.endpoints.split(",") if name.strip()]
    unknown = [name for name in args.endpoints if name not in ENDPOINTS]
    if unknown:
        parser.error(f"unknown endpoint {', '.join(unknown)}; choose from {', '.join(ENDPOINTS)}")
    if "drill_list_304" in args.endpoints and "drill_list" not in args.endpoints:
        args.endpoints.insert(0, "drill_list")  # the 304 sends back the list's ETag
    if args.drills < 1000 or args.articles < 500:
        parser.error("--drills must be at least 1000 and --articles at least 500 (the endpoints name drill-1000 "
                     "and article-0500)")
    if min(args.duration, args.connections, args.workers) < 1 or args.warmup < 0:
        parser.error("--duration, --connections and --workers must be positive, --warmup at least 0")
    return args


# --- environment and database -------------------------------------------------------------------


def server_env(args, database_url, media_root, static_root):
    """The production settings every process of the run gets (real environment variables of the project)."""
    return {
        "DJANGO_SETTINGS_MODULE": project.SETTINGS_MODULE,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "600",
        "CACHE_URL": args.redis or "locmemcache://",
        # Plain HTTP on loopback: no redirect to HTTPS. Everything else stays as in production.
        "SECURE_SSL_REDIRECT": "false",
        # Every request comes from one address: the throttle still runs, but never refuses.
        "API_ANON_RATE": "1000000/second",
        "RUNCMS_PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        # --no-answer-cache: every request reads the database and joins the stored documents.
        "RUNCMS_API_CACHE": "false" if args.no_answer_cache else "true",
    }


def check_tools(args):
    wrk.wrk_path()
    servers.gunicorn_path()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise Stop("the benchmark runs on PostgreSQL: pass --database-url postgres://user@host:5432/name")
    if args.redis:
        import redis

        try:
            redis.Redis.from_url(args.redis, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            raise Stop(f"Redis at {args.redis} does not answer ({error}): start it, or run without --redis") from error


def ensure_database(database_url):
    """Create the database if it does not exist; True when this run created it."""
    import psycopg
    from psycopg import sql

    url = urllib.parse.urlsplit(database_url)
    name = url.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.OperationalError as error:
        raise Stop(f"cannot reach PostgreSQL at {url.hostname}:{url.port or 5432} ({error}): start it, or pass "
                   "--database-url for a server whose user may create databases") from error


def drop_database(database_url):
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    url = urllib.parse.urlsplit(database_url)
    admin_url = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(url.path.lstrip("/"))))


def prepare_database(args):
    from django.core.management import call_command
    from django.db import connection

    log("migrating and collecting static files")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    found = seed.counts()
    if args.reseed and found["Drill"]:
        if found["Drill"] != args.drills and not connection.settings_dict["NAME"].startswith(("runcms_bench", "bench")):
            raise Stop("--reseed empties the database; refusing on one that does not look like a benchmark database")
        log("emptying the database (--reseed)")
        call_command("flush", verbosity=0, interactive=False)
        found = seed.counts()
    if found["Drill"] == args.drills and found["Article"] == args.articles:
        log(f"reusing the seeded database {found} (--reseed to start again)")
        return found
    if any(found.values()):
        raise Stop(f"database {connection.settings_dict['NAME']} holds other content {found}: point --database-url "
                   "at another database, or pass --reseed if it is an earlier benchmark database")
    return seed.seed(drills=args.drills, articles=args.articles)


# --- in-process work: the sync token, query counts ------------------------------------------------


def full_sync_and_edit(client):
    """Follow a full sync to its end (timed), then edit one drill: the delta sync's token and change."""
    token, pages, size, objects = None, 0, 0, 0
    started = time.monotonic()
    while True:
        response = client.get("/api/v1/sync/" + (f"?token={urllib.parse.quote(token)}" if token else ""))
        if response.status_code != 200:
            raise Stop(f"the full sync answered {response.status_code}: {response.content[:300]!r}")
        body = json.loads(response.content)
        pages, size = pages + 1, size + len(response.content)
        objects += sum(len(items) for items in body["upserted"].values())
        token = body["token"]
        if not body["has_more"]:
            break
    seconds = time.monotonic() - started
    drill = project.models()["Drill"].objects.get(slug=EDITED_DRILL)
    drill.title = drill.title.split(" (edited")[0] + f" (edited {dt.datetime.now(dt.UTC):%H:%M:%S})"
    drill.save()
    return token, {"pages": pages, "objects": objects, "bytes": size, "seconds_in_process": round(seconds, 3)}


def count_queries(client, path, headers):
    """SQL queries of the second of two identical requests, and the first's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    with CaptureQueriesContext(connection) as first:
        client.get(path, **extra)
    with CaptureQueriesContext(connection) as second:
        response = client.get(path, **extra)
    return len(second.captured_queries), len(first.captured_queries), response.status_code


# --- measuring -------------------------------------------------------------------------------------


def fetch(url, headers, timeout=300):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def drain(server):
    """Wait until the requests wrk left queued when it stopped are done (they would slow the next run).

    A sync worker still answers every request it accepted; a request to a path no
    reference knows (404) or to the health check queues behind them.
    """
    started = time.monotonic()
    fetch(server.url + "/healthz", {}, timeout=900)
    waited = time.monotonic() - started
    if waited > 2:
        log(f"    waited {waited:.0f} s for the requests still queued")
    return waited


SLOW_REQUEST_SECONDS = 1.0


def load_plan(first_request_seconds, args):
    """(warm-up, connections, duration) for an endpoint whose first request took this long.

    A request slower than SLOW_REQUEST_SECONDS (the full sync's first page) gets as many
    connections as there are workers, for at least three such requests: with 16, every
    request would wait behind 7 others, none would finish within 10 s (0 req/s), and the
    queue would take minutes to drain. Sync workers answer one request at a time, so
    throughput is the same; the latency is then a request's own, without the queue.
    """
    if first_request_seconds <= SLOW_REQUEST_SECONDS:
        return args.warmup, args.connections, args.duration
    connections = min(args.connections, args.workers)
    return 0, connections, max(args.duration, math.ceil(3 * first_request_seconds))


def load(server, path, headers, args, *, plan=None):
    """wrk's figures for `path`; `plan` is (warm-up, connections, duration), by default the options'."""
    warmup, connections, duration = plan or (args.warmup, args.connections, args.duration)
    url = server.url + path
    header_lines = [f"{name}: {value}" for name, value in headers.items()]
    if warmup:
        wrk.run(url, duration=warmup, connections=connections, headers=header_lines)
        drain(server)
    result = wrk.run(url, duration=duration, connections=connections, headers=header_lines)
    result.update(warmup=warmup, connections=connections, duration=duration)
    result["drain_seconds"] = round(drain(server), 1)
    if result["errors"] or result["non_2xx_3xx"]:
        log(f"    warning: {result['errors']} socket errors, {result['non_2xx_3xx']} answers not 2xx/3xx "
            "(a timeout is a request slower than wrk's --timeout)")
    return result


def measure(args, env, plan, run_dir):
    """Load each endpoint on runcms, then the same bytes on the floor and the ceiling."""
    results = {}
    runcms = servers.Server("runcms", project.WSGI_APPLICATION, env=env, cwd=ROOT, workers=args.workers,
                            log_path=run_dir / "gunicorn-runcms.log")
    with runcms:
        log(f"runcms: gunicorn (pid {runcms.process.pid}, workers {runcms.workers}) on {runcms.url}")
        manifest = {}
        for name, (label, path, expected, headers) in plan.items():
            if name == "drill_list_304":
                headers = {"If-None-Match": results["drill_list"]["etag"]}
                plan[name] = (label, path, expected, headers)
            started = time.monotonic()
            status, response_headers, body = fetch(runcms.url + path, headers)
            seconds = time.monotonic() - started
            if status != expected:
                raise Stop(f"{label}: {path} answered {status}, not {expected}: {body[:300]!r}; "
                           f"see {runcms.log_path}")
            (run_dir / f"{name}.body").write_bytes(body)
            results[name] = {
                "label": label, "path": path, "status": status, "bytes": len(body),
                "etag": response_headers.get("ETag"), "content_type": response_headers.get("Content-Type"),
                "first_request_seconds": round(seconds, 3),
            }
            if status == 200:
                key = path
                manifest[key] = {"file": str(run_dir / f"{name}.body"), "content_type": results[name]["content_type"],
                                 "etag": results[name]["etag"] if name == "drill_list" else None}
            # Loaded at once, so the workers' peak after it counts no endpoint measured later.
            results[name]["load_plan"] = load_plan(results[name]["first_request_seconds"], args)
            warmup, connections, duration = results[name]["load_plan"]
            log(f"  runcms  {label}: {warmup} s warm-up + {duration} s, {connections} connections")
            results[name]["load"] = load(runcms, path, headers, args, plan=results[name]["load_plan"])
            peak = runcms.worker_peak_kib()
            results[name]["worker_peak_mib"] = round(peak / 1024, 1) if peak else None
            log(f"    {results[name]['load']['rps']:.0f} req/s, p50 {results[name]['load']['p50_ms']:.1f} ms, "
                f"worker peak {results[name]['worker_peak_mib']} MiB")

    if args.no_references:
        return results
    manifest_path = run_dir / "manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2))
    references = [
        ("floor", "django.core.wsgi:get_wsgi_application()", {"DJANGO_SETTINGS_MODULE": "benchmarks.floor_settings"}),
        ("ceiling", "benchmarks.references:application", {}),
    ]
    for kind, app, extra in references:
        server = servers.Server(kind, app, env={**env, **extra, "BENCH_MANIFEST": str(manifest_path)}, cwd=ROOT,
                                workers=args.workers, log_path=run_dir / f"gunicorn-{kind}.log")
        with server:
            for name, (label, path, expected, headers) in plan.items():
                status, _, body = fetch(server.url + path, headers)
                if status != expected or (status == 200 and len(body) != results[name]["bytes"]):
                    raise Stop(f"the {kind} answered {status} with {len(body)} bytes for {path}; see {server.log_path}")
                log(f"  {kind:7} {label}")
                results[name][kind] = load(server, path, headers, args, plan=results[name]["load_plan"])
                results[name][kind]["worker_peak_mib"] = round((server.worker_peak_kib() or 0) / 1024, 1)
    return results


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below, as on Ctrl-C
    started_at = dt.datetime.now(dt.UTC)
    database_name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    mode = f"Redis cache ({args.redis})" if args.redis else "no shared cache (answers kept in each worker)"
    if args.no_answer_cache:
        mode += ", no answers kept (RUNCMS_API_CACHE=false)"
    stamp = started_at.strftime("%Y%m%d-%H%M%S") + ("-redis" if args.redis else "")
    stamp += "-no-answer-cache" if args.no_answer_cache else ""
    run_dir = args.output / f"api-{stamp}"
    media_root = args.output / f"media-{database_name}"
    created = False
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=False).stdout.strip()  # at the start: the code that was measured
    try:
        check_tools(args)
        run_dir.mkdir(parents=True, exist_ok=True)
        env = server_env(args, args.database_url, media_root, args.output / "static")
        os.environ.update(env)
        import django

        django.setup()
        created = ensure_database(args.database_url)
        log(f"database {database_name} ({'created' if created else 'exists'}); {mode}")
        load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
        prepare_database(args)

        from django.test import Client

        client = Client()
        plan, full_sync = {}, None
        if "sync_delta" in args.endpoints:
            log("following a full sync to its end in-process, then editing one drill")
            delta_token, full_sync = full_sync_and_edit(client)
        for name in args.endpoints:
            label, path, expected = ENDPOINTS[name]
            if name == "sync_delta":
                path = path.format(delta_token=urllib.parse.quote(delta_token))
            plan[name] = (label, path, expected, {})

        results = measure(args, {**os.environ, **env}, plan, run_dir)
        log("counting queries in-process (second request)")
        for name, (_, path, _, headers) in plan.items():
            results[name]["queries"], results[name]["queries_first"], _ = count_queries(client, path, headers)

        output = {
            "run": {
                "started_at": started_at.strftime("%Y-%m-%d %H:%M UTC"),
                "mode": mode,
                "content": f"{args.drills} drills, {args.articles} articles, {seed.counts()['Program']} programs",
                "database": database_name,
                "gunicorn_args": servers.gunicorn_args(args.workers),
                "connections": args.connections, "warmup": args.warmup, "duration": args.duration,
                "load_before": load_before, "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
                "cpus": os.cpu_count(),
                "wrk": subprocess.run([wrk.wrk_path(), "-v"], capture_output=True, text=True).stdout.split("\n")[0],
                "commit": commit,
                "full_sync": full_sync,
            },
            "endpoints": results,
        }
        text = report.markdown(output)
        if full_sync:
            text += (f"\nFull sync of the set, followed to its end in-process: {full_sync['pages']} pages, "
                     f"{full_sync['objects']} objects, {full_sync['bytes']:,} bytes, "
                     f"{full_sync['seconds_in_process']} s.\n")
        (args.output / f"api-{stamp}.json").write_text(json.dumps(output, indent=2) + "\n")
        (args.output / f"api-{stamp}.md").write_text(text)
        print("\n" + text)
        log(f"wrote {args.output / f'api-{stamp}.md'} and .json (bodies and server logs in {run_dir})")
        return 0
    except (Stop, wrk.WrkError, RuntimeError) as error:
        print(f"benchmark stopped: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("benchmark interrupted", file=sys.stderr)
        return 130
    finally:
        servers.stop_all()
        if created and not args.keep_db:
            log(f"dropping the database {database_name} and its media (--keep-db keeps them)")
            drop_database(args.database_url)
            shutil.rmtree(media_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
