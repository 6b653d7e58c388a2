"""Running wrk and reading its report (the parsing is pure, and unit-tested)."""

import re
import shutil
import subprocess

WRK_MISSING = "wrk not found: apt-get install -y wrk (or your system's package of wrk), then run this again"

_UNITS_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_TIME = r"([\d.]+)(us|ms|s|m|h)"


class WrkError(RuntimeError):
    pass


def wrk_path():
    path = shutil.which("wrk")
    if not path:
        raise WrkError(WRK_MISSING)
    return path


def command(url, *, duration, connections, threads=2, headers=(), timeout=30):
    argv = [wrk_path(), f"-t{max(1, min(threads, connections))}", f"-c{connections}", f"-d{duration}s",
            f"--timeout={timeout}s", "--latency"]
    for header in headers:
        argv += ["-H", header]
    return [*argv, url]


def run(url, *, duration, connections, headers=()):
    """Load `url` for `duration` seconds; the parsed report."""
    argv = command(url, duration=duration, connections=connections, headers=headers)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=False)
    if done.returncode != 0:
        raise WrkError(f"wrk failed ({done.returncode}) on {url}: {done.stderr.strip() or done.stdout.strip()}")
    return parse(done.stdout)


def _ms(value, unit):
    return float(value) * _UNITS_TO_MS[unit]


def parse(text):
    """The figures of a `wrk --latency` report: req/s, latency percentiles in ms, requests, errors."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    total = re.search(r"^\s*(\d+) requests in " + _TIME, text, re.M)
    if not rps or not total:
        raise WrkError(f"cannot read this wrk report:\n{text}")
    result = {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)),
        "seconds": _ms(total.group(2), total.group(3)) / 1000,
        "errors": 0,
        "non_2xx_3xx": 0,
    }
    for percentile in ("50", "75", "90", "99"):
        found = re.search(rf"^\s*{percentile}(?:\.0+)?%\s+{_TIME}", text, re.M)
        result[f"p{percentile}_ms"] = _ms(*found.groups()) if found else None
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if errors:
        result["errors"] = sum(int(n) for n in errors.groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if bad:
        result["non_2xx_3xx"] = int(bad.group(1))
    return result
