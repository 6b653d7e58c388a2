"""A soak through nginx: mixed API and page traffic, zero 5xx, worker memory flat. PASS/FAIL, exit 1 on a failure.

    python -m benchmarks.soak [--seconds 60] [--connections 32] [--database-url ...] [--redis ...]

Starts the cluster of benchmarks/cluster.py (two gunicorn app servers behind nginx, moto's S3
server, the PostgreSQL database and Redis given), warms it up, then runs wrk for --seconds at
--connections over a mix of API lists, details, the sync and public pages, counting every
answer by status, and samples each gunicorn worker's resident memory as it goes.
"""

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import servers, wrk
from benchmarks.cluster import Browser, Checks, Stop, cluster_arguments, cluster_from, log

# Each wrk thread picks paths at random and counts answers by status class; done() adds them up.
WRK_SCRIPT = """
local paths = {%s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {0, 0, 0, 0, 0} end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function response(status, headers, body)
  local class = math.floor(status / 100)
  if class >= 1 and class <= 5 then counts[class] = counts[class] + 1 end
end
function done(summary, latency, requests)
  local total = {0, 0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for i = 1, 5 do total[i] = total[i] + c[i] end
  end
  io.write(string.format("STATUS 2xx=%%d 3xx=%%d 4xx=%%d 5xx=%%d\\n", total[2], total[3], total[4], total[5]))
end
"""
MEMORY_GROWTH_LIMIT_MIB = 20  # per worker, from the end of the warm-up to the end of the soak


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warm-up", type=int, default=10, help="seconds of the same traffic before measuring")
    return cluster_arguments(parser).parse_args(argv)


def traffic_paths(base):
    """A mix of what apps and readers ask for, from the demo content."""
    browser = Browser()
    drills = browser.request(f"{base}/api/v1/drills/").json()["results"]
    articles = browser.request(f"{base}/api/v1/articles/").json()["results"]
    media = browser.request(f"{base}/api/v1/media/").json()["results"]
    paths = ["/api/v1/drills/", "/api/v1/articles/", "/api/v1/programs/", "/api/v1/media/", "/api/v1/sync/",
             "/api/v1/drills/?search=hamstring", "/", "/drills/", "/articles/", "/feed/", "/sitemap.xml"]
    paths += [f"/api/v1/drills/{d['slug']}/" for d in drills] + [f"/drills/{d['slug']}/" for d in drills]
    paths += [f"/api/v1/articles/{a['slug']}/" for a in articles] + [f"/articles/{a['slug']}/" for a in articles]
    paths += [f"/api/v1/media/{m['id']}/" for m in media[:5]]
    return paths


def rss_mib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def workers(cluster):
    return {pid: server.name for server in cluster.app_servers for pid in servers.children(server.process.pid)}


def run_wrk(url, script, seconds, connections):
    argv = wrk.command(url, duration=seconds, connections=connections, threads=4)
    argv[-1:-1] = ["-s", str(script)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120, check=False)
    if done.returncode:
        raise Stop(f"wrk failed: {done.stderr or done.stdout}")
    return done.stdout


def main(argv=None):
    args = parse_args(argv)
    run_dir = Path(args.run_dir or tempfile.mkdtemp(prefix="runcms-soak-"))
    checks = Checks()
    try:
        wrk.wrk_path()
    except wrk.WrkError as error:
        print(f"FAIL  {error}")
        return 2
    try:
        with cluster_from(args, run_dir, extra_env={"API_ANON_RATE": "1000000/minute"}) as cluster:
            paths = traffic_paths(cluster.url)
            script = run_dir / "mixed.lua"
            script.write_text(WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
            log(f"{len(paths)} paths; warming up for {args.warm_up} s")
            run_wrk(cluster.url, script, args.warm_up, args.connections)
            before = {pid: rss_mib(pid) for pid in workers(cluster)}
            samples = []
            stop = threading.Event()

            def sample():
                while not stop.wait(10):
                    samples.append({pid: rss_mib(pid) for pid in before})

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            log(f"soak: {args.seconds} s at {args.connections} connections through nginx")
            report = run_wrk(cluster.url, script, args.seconds, args.connections)
            stop.set()
            sampler.join()
            after = {pid: rss_mib(pid) for pid in before}
            print(report, flush=True)
            judge(checks, report, before, samples, after, workers(cluster))
    except Stop as stop_reason:
        print(f"FAIL  the soak could not run: {stop_reason}", flush=True)
        return 2
    return checks.exit_status()


def judge(checks, report, before, samples, after, workers_now):
    figures = wrk.parse(report)
    status_line = next((line for line in report.splitlines() if line.startswith("STATUS ")), "")
    counts = dict(part.split("=") for part in status_line.split()[1:])
    checks.check("every request answered (no socket errors or timeouts)", figures["errors"] == 0,
                 f"{figures['requests']} requests, {figures['rps']:.0f}/s, p99 {figures['p99_ms']:.0f} ms")
    checks.check("zero 5xx", counts.get("5xx") == "0", status_line)
    checks.check("no 4xx either (every path exists, the throttle is out of the way)", counts.get("4xx") == "0",
                 status_line)
    checks.check("no worker was restarted or died", set(workers_now) == set(before),
                 f"{len(before)} workers before, {len(workers_now)} after")
    growth = {pid: (after[pid] or 0) - (before[pid] or 0) for pid in before}
    timeline = " → ".join(f"{sum(v or 0 for v in sample.values()):.0f}" for sample in [before, *samples, after])
    checks.check(f"worker memory flat (each grew at most {MEMORY_GROWTH_LIMIT_MIB} MiB)",
                 all(value <= MEMORY_GROWTH_LIMIT_MIB for value in growth.values()),
                 f"growth per worker MiB: {', '.join(f'{v:+.1f}' for v in growth.values())}; "
                 f"all workers' RSS MiB every 10 s: {timeline}")


if __name__ == "__main__":
    started = time.monotonic()
    status = main()
    log(f"done in {time.monotonic() - started:.0f} s")
    sys.exit(status)
