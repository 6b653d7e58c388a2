"""The results as JSON and as a Markdown table (pure functions, unit-tested)."""

COLUMNS = [
    ("endpoint", "endpoint"),
    ("status", "status"),
    ("bytes", "bytes"),
    ("queries", "queries"),
    ("req/s", "rps"),
    ("p50 ms", "p50_ms"),
    ("p99 ms", "p99_ms"),
    ("floor req/s", "floor_rps"),
    ("ceiling req/s", "ceiling_rps"),
    ("% of ceiling", "share_of_ceiling"),
    ("worker peak MiB", "worker_peak_mib"),
]
RIGHT_ALIGNED = {key for _, key in COLUMNS} - {"endpoint"}


def _cell(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|")


def share(rps, ceiling_rps):
    """req/s as a percentage of the bare-WSGI ceiling's, or None."""
    if not rps or not ceiling_rps:
        return None
    return 100.0 * rps / ceiling_rps


def rows(results):
    """One flat row per endpoint from the run's results; a load other than the run's is named."""
    connections = results.get("run", {}).get("connections")
    out = []
    for name, entry in results["endpoints"].items():
        load = entry.get("load") or {}
        floor = (entry.get("floor") or {}).get("rps")
        ceiling = (entry.get("ceiling") or {}).get("rps")
        label = entry.get("label", name)
        if load.get("connections") and load["connections"] != connections:
            label += f" ({load['connections']} connections, {load['duration']} s)"
        out.append({
            "endpoint": label,
            "status": entry.get("status"),
            "bytes": entry.get("bytes"),
            "queries": entry.get("queries"),
            "rps": load.get("rps"),
            "p50_ms": load.get("p50_ms"),
            "p99_ms": load.get("p99_ms"),
            "floor_rps": floor,
            "ceiling_rps": ceiling,
            "share_of_ceiling": share(load.get("rps"), ceiling),
            "worker_peak_mib": entry.get("worker_peak_mib"),
        })
    return out


def markdown_table(table_rows):
    head = "| " + " | ".join(title for title, _ in COLUMNS) + " |"
    rule = "| " + " | ".join("---:" if key in RIGHT_ALIGNED else "---" for _, key in COLUMNS) + " |"
    body = ["| " + " | ".join(_cell(row.get(key)) for _, key in COLUMNS) + " |" for row in table_rows]
    return "\n".join([head, rule, *body])


def markdown(results):
    """The whole report: what was run, then the table."""
    run = results["run"]
    lines = [
        f"# runcms API benchmark, {run['started_at']}",
        "",
        f"{run['mode']}; {run['content']}; gunicorn `{' '.join(run['gunicorn_args'])}`; "
        f"wrk {run['connections']} connections, {run['warmup']} s warm-up, {run['duration']} s per endpoint; "
        f"load average {run['load_before']} before, {run['load_after']} after; {run['cpus']} CPUs.",
        "",
        markdown_table(rows(results)),
        "",
        "*floor*: the same bytes from a minimal Django view through the project's middleware; "
        "*ceiling*: the same bytes from a bare WSGI app under the same gunicorn settings. "
        "Queries: the second request, in-process. Worker peak: the largest VmHWM of the gunicorn "
        "workers after the endpoint's load. An endpoint whose single request takes over a second is "
        "loaded with one connection per worker, for at least three such requests, and no warm-up.",
        "",
    ]
    return "\n".join(lines)
