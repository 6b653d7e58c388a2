"""Two app servers behind nginx share everything: prints PASS/FAIL per check, exits 1 on a failure.

    python -m benchmarks.scale_out [--database-url postgres://...] [--redis redis://...]

Starts moto's S3 server, two gunicorn app servers, a Celery job worker with --beat and nginx on
loopback (benchmarks/cluster.py), on the PostgreSQL database and Redis given (the database is
created again and gets the demo content), then checks that an edit saved through one server is
served by the other at once, that an admin session survives switching servers, that media
uploaded through one is served by the other (from the bucket, privately), that a webhook
receiver on loopback gets each event exactly once (edits through both servers, and a scheduled
publish that fires without a save), and that the API throttle counts across both.
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

from benchmarks.cluster import (
    HOST,
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
    upstream,
)

THROTTLE = 20  # API requests a minute per client address, for the throttle check


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    return cluster_arguments(parser).parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run_dir = Path(args.run_dir or tempfile.mkdtemp(prefix="runcms-scale-out-"))
    checks = Checks()
    try:
        with cluster_from(args, run_dir, extra_env={"API_ANON_RATE": f"{THROTTLE}/minute"}) as cluster, \
                WebhookReceiver(secrets.token_urlsafe(24)) as receiver:
            a, b = cluster.app_servers
            log(f"logs in {run_dir}")
            editor = Browser()
            check_session(checks, cluster, editor, a, b)
            added = add_endpoint(editor, b.url, receiver)
            checks.check("a webhook endpoint added through app server B's admin", added.status == 302,
                         f"status {added.status}, receiver on {receiver.url}")
            edited = check_edit(checks, editor, a, b)
            check_media(checks, cluster, editor, a, b)
            check_webhooks(checks, cluster, editor, receiver, edited)
            check_scheduled_publish(checks, cluster, receiver)
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
    marker = secrets.token_hex(4)
    started = time.monotonic()
    saved = edit_drill(editor, a.url, drill["id"], f"{drill['title']} (edit {marker})")
    checks.check("an edit saved through app server A", saved.status == 302, f"status {saved.status}")
    api = editor.request(f"{b.url}/api/v1/drills/{drill['slug']}/")
    page = Browser().request(f"{b.url}/drills/{drill['slug']}/")
    seconds = time.monotonic() - started
    checks.check("app server B serves the edit at once, in the API and on the page",
                 marker in api.text and marker in page.text, f"{seconds * 1000:.0f} ms after the save")
    return [drill["id"]]


def jpeg():
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 400), (30, 110, 200))
    ImageDraw.Draw(picture).ellipse((200, 80, 440, 320), fill="white")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def check_media(checks, cluster, editor, a, b):
    content = jpeg()
    uploaded = upload_media(editor, a.url, "heel-pull.jpg", content)
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


def check_webhooks(checks, cluster, editor, receiver, edited):
    """Edits through both servers: the worker delivers one signed `updated` per edited drill, once."""
    a, b = cluster.app_servers
    drills = editor.request(f"{a.url}/api/v1/drills/?page_size=5").json()["results"]
    for number, drill in enumerate(drills[1:5]):
        server = (a, b)[number % 2]
        saved = edit_drill(editor, server.url, drill["id"], f"{drill['title']} (webhook {number})")
        if saved.status != 302:
            checks.check(f"an edit through {server.name} for the webhook check", False, f"status {saved.status}")
        edited.append(drill["id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(receiver.events(event="updated", id=pk) for pk in edited):
        time.sleep(0.2)
    time.sleep(8)  # four periodic checks more: time for any duplicate to show up
    counts = [len(receiver.events(event="updated", id=pk)) for pk in edited]
    checks.check(f"a webhook for each of the {len(edited)} edits (through A and B) reached the receiver",
                 all(counts), f"updated events per edited drill: {counts} (a drill also shows the titles "
                 "of its progressions, so another's edit updates it too)")
    received = receiver.events()
    events = {}  # one event: an object changed at a journal position
    for record in received:
        events.setdefault((record["type"], record["id"], record["event"], record["position"]), []).append(record)
    ids = [record["delivery"] for record in received]
    checks.check("a webhook is delivered exactly once per event: one delivery per object and position, "
                 "no delivery id twice", all(len(copies) == 1 for copies in events.values())
                 and len(ids) == len(set(ids)),
                 f"{len(received)} deliveries for {len(events)} events, {len(set(ids))} delivery ids; "
                 f"{sorted({(r['event'], r['type']) for r in received})}")
    checks.check("every delivery is signed with the endpoint's secret (HMAC verified by the receiver)",
                 bool(received) and all(record["valid"] for record in received))
    drills = [record for record in received if record["type"] == "drills"]
    purged = all(record["urls"] == [f"/drills/{record['slug']}/", f"/api/v1/drills/{record['slug']}/"]
                 for record in drills)
    checks.check("each drill's delivery lists its page and API detail, for a CDN purge", bool(drills) and purged,
                 f"e.g. {drills[0]['urls'] if drills else '-'}")
    worker_log = cluster.job_log() if cluster.job_worker else ""
    sent_by_worker = worker_log.count("Task runcms.webhooks.tasks.deliver[") // 2  # received, then succeeded
    logged = cluster.sql("SELECT status, attempts, count(*) FROM webhooks_delivery GROUP BY 1, 2")
    checks.check("the job worker sent them, and the delivery log says each was delivered at the first attempt",
                 sent_by_worker >= len(received) and logged == [("delivered", 1, len(received))],
                 f"{sent_by_worker} deliver jobs in the worker's log; delivery log {logged}")


def check_scheduled_publish(checks, cluster, receiver):
    """An article scheduled a few seconds ahead: `unpublished` when saved, `published` when the time passes."""
    a, _b = cluster.app_servers
    article = Browser().request(f"{a.url}/api/v1/articles/?page_size=1").json()["results"][0]
    publish_at = float(cluster.manage("shell", "-c", (
        "from datetime import timedelta; from django.utils import timezone; from articles.models import Article; "
        f"a = Article.objects.get(pk='{article['id']}'); a.publish_at = timezone.now() + timedelta(seconds=15); "
        "a.save(); print(a.publish_at.timestamp())"
    )).strip().splitlines()[-1])
    log(f"article {article['slug']} scheduled to publish at {time.strftime('%H:%M:%S', time.localtime(publish_at))}")
    detail = f"{a.url}/api/v1/articles/{article['slug']}/"
    hidden = Browser().request(detail).status
    receiver.wait_for(publish_at - time.time() + 30, event="published", id=article["id"])
    shown = Browser().request(detail).status
    time.sleep(6)
    unpublished = receiver.events(event="unpublished", id=article["id"])
    published = receiver.events(event="published", id=article["id"])
    late = [record["at"] - publish_at for record in published]
    checks.check("scheduling a live article ahead hides it, announced once as unpublished",
                 hidden == 404 and len(unpublished) == 1, f"API {hidden}; {len(unpublished)} unpublished event(s)")
    checks.check("the scheduled publish fires without a save: exactly one published event, after its time",
                 len(published) == 1 and all(0 <= seconds < 15 for seconds in late) and shown == 200,
                 f"{len(published)} published event(s), {', '.join(f'{s:.1f} s' for s in late)} after publish_at; "
                 f"API {shown} then")


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
