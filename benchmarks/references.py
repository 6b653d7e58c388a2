"""The two references, serving the bytes runcms answered with, keyed by path and query.

A manifest (JSON, named by BENCH_MANIFEST) maps "/path?query" to the status, content type,
ETag and body file of the response. A request with the matching If-None-Match gets a
bodiless 304, as from runcms.

- `application` here: the bare-WSGI ceiling (no framework at all), under the same gunicorn settings;
- `benchmarks.floor_urls`: the framework floor, a minimal Django view behind the project's
  middleware (settings module `benchmarks.floor_settings`).
"""

import json
import os


def _load():
    with open(os.environ["BENCH_MANIFEST"], encoding="utf-8") as fh:
        manifest = json.load(fh)
    answers = {}
    for key, entry in manifest.items():
        with open(entry["file"], "rb") as body:
            answers[key] = dict(entry, body=body.read())
    return answers


ANSWERS = _load()


def find(path, query, if_none_match):
    entry = ANSWERS.get(f"{path}?{query}" if query else path)
    if entry is None:
        return None, None
    if entry.get("etag") and if_none_match == entry["etag"]:
        return 304, entry
    return 200, entry


def application(environ, start_response):
    status, entry = find(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                          environ.get("HTTP_IF_NONE_MATCH"))
    if entry is None:
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"not found"]
    etag = [("ETag", entry["etag"])] if entry.get("etag") else []
    if status == 304:
        start_response("304 Not Modified", etag)
        return []
    body = entry["body"]
    start_response("200 OK", [("Content-Type", entry["content_type"]), ("Content-Length", str(len(body))), *etag])
    return [body]
