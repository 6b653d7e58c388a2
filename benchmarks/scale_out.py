"""Two app servers behind nginx share everything: prints PASS/FAIL per check, exits 1 on a failure.

    python -m benchmarks.scale_out [--database-url postgres://...] [--redis redis://...]

Starts moto's S3 server, two gunicorn app servers and nginx on loopback (benchmarks/cluster.py),
on the PostgreSQL database and Redis given (the database is created if missing and gets the
demo content), then checks that an edit saved through one server is served by the other at
once, that an admin session survives switching servers, that media uploaded through one is
served by the other (from the bucket, privately), and that the API throttle counts across both.
"""

import argparse
import http.client
import io
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.cluster import HOST, Browser, Checks, Cluster, Stop, cluster_arguments, form_fields, log, upstream

THROTTLE = 20  # API requests a minute per client address, for the throttle check


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    return cluster_arguments(parser).parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run_dir = Path(args.run_dir or tempfile.mkdtemp(prefix="runcms-scale-out-"))
    checks = Checks()
    try:
        with Cluster(database_url=args.database_url, redis_url=args.redis, run_dir=run_dir,
                     extra_env={"API_ANON_RATE": f"{THROTTLE}/minute"}) as cluster:
            a, b = cluster.app_servers
            log(f"logs in {run_dir}")
            editor = Browser()
            check_session(checks, cluster, editor, a, b)
            check_edit(checks, editor, a, b)
            check_media(checks, cluster, editor, a, b)
            check_throttle(checks, cluster)
    except Stop as stop:
        print(f"FAIL  the cluster could not run: {stop}", flush=True)
        return 2
    return checks.exit_status()


def check_session(checks, cluster, editor, a, b):
    logged_in = editor.log_in(a.url)
    checks.check("admin login through app server A", logged_in.status == 302, f"status {logged_in.status}")
    on_b = editor.request(f"{b.url}/admin/")
    checks.check("the session is valid on app server B", on_b.status == 200 and "Log out" in on_b.text,
                 f"status {on_b.status}")
    answers = [editor.request(f"{cluster.url}/admin/") for _ in range(4)]
    both = {upstream(answer) for answer in answers}
    checks.check("through nginx, every admin page of the session answers, from both servers",
                 all(answer.status == 200 for answer in answers) and len(both) == 2, f"served by {sorted(both)}")


def check_edit(checks, editor, a, b):
    drill = editor.request(f"{b.url}/api/v1/drills/?page_size=1").json()["results"][0]
    change_url = f"/admin/drills/drill/{drill['id']}/change/"
    fields = form_fields(editor.request(f"{a.url}{change_url}").text, "drill_form")
    marker = secrets.token_hex(4)
    fields["title"] = [f"{fields['title'][0].split(' (edit ')[0]} (edit {marker})"]
    fields["_save"] = [""]
    started = time.monotonic()
    saved = editor.post_form(f"{a.url}{change_url}", fields, referer=f"{a.url}{change_url}")
    checks.check("an edit saved through app server A", saved.status == 302, f"status {saved.status}")
    api = editor.request(f"{b.url}/api/v1/drills/{drill['slug']}/")
    page = Browser().request(f"{b.url}/drills/{drill['slug']}/")
    seconds = time.monotonic() - started
    checks.check("app server B serves the edit at once, in the API and on the page",
                 marker in api.text and marker in page.text, f"{seconds * 1000:.0f} ms after the save")


def jpeg():
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 400), (30, 110, 200))
    ImageDraw.Draw(picture).ellipse((200, 80, 440, 320), fill="white")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def check_media(checks, cluster, editor, a, b):
    add_url = "/admin/drills/cuemedia/add/"
    fields = form_fields(editor.request(f"{a.url}{add_url}").text, "cuemedia_form")
    fields.update({"alt_text": ["A runner pulling the heel to the hip"], "_continue": [""]})
    content = jpeg()
    uploaded = editor.post_form(f"{a.url}{add_url}", fields, referer=f"{a.url}{add_url}",
                                files={"file": ("heel-pull.jpg", content, "image/jpeg")})
    location = uploaded.headers.get("Location", "")
    checks.check("media uploaded through app server A", uploaded.status == 302 and "/change/" in location,
                 f"status {uploaded.status}")
    change_page = editor.request(f"{b.url}{location}").text
    found = re.search(r"/media/(media/[0-9a-f]{32}\.jpg)", change_page)
    if not checks.check("app server B shows the new media item in the admin", bool(found)):
        return
    name = found.group(1)
    stored = cluster.s3_client().get_object(Bucket="runcms-media", Key=name)["Body"].read()
    checks.check("the file is in the S3 bucket, byte for byte", stored == content)
    grants = cluster.s3_client().get_object_acl(Bucket="runcms-media", Key=name)["Grants"]
    checks.check("the object is private in the bucket (no public-read grant)",
                 [grant["Permission"] for grant in grants] == ["FULL_CONTROL"])
    redirect = editor.request(f"{b.url}/media/{name}")
    served = Browser().request(redirect.headers.get("Location", "http://invalid/")) if redirect.status == 302 else None
    checks.check("app server B serves it to the editor: a redirect to a signed URL with its bytes",
                 served is not None and served.status == 200 and served.body == content,
                 f"status {redirect.status}, then {served.status if served else '-'}")
    anonymous = Browser().request(f"{b.url}/media/{name}")
    checks.check("not yet used by anything public, it is not found for anyone else", anonymous.status == 404,
                 f"status {anonymous.status}")


def check_throttle(checks, cluster):
    """From an address of its own (127.0.0.2), so the other checks' API calls do not count."""
    statuses, served_by = [], set()
    for number in range(1, THROTTLE + 2):
        connection = http.client.HTTPConnection(HOST, cluster.port, timeout=10, source_address=("127.0.0.2", 0))
        connection.request("GET", f"/api/v1/drills/?page_size={number}")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
        served_by.add(response.getheader("X-Upstream"))
        connection.close()
    checks.check(f"the API throttle ({THROTTLE}/minute) counts across both servers: the {THROTTLE + 1}st is a 429",
                 statuses[:-1] == [200] * THROTTLE and statuses[-1] == 429 and len(served_by) == 2,
                 f"statuses {statuses}, served by {sorted(served_by)}")


if __name__ == "__main__":
    sys.exit(main())
