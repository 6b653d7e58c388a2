"""An app developer's generated client: openapi-python-client, mypy --strict, every endpoint parsed.

The client is generated offline from the schema the live server serves; the small app in
client_app.py must type-check strictly against it and parse real lists, details, errors, a
full sync and a delta sync without an unknown field or a type the schema did not promise.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from drills.models import DrillMedia, MediaKind
from runcms.publishing import Status
from tests.api.content import rich_article, rich_drill, rich_program, small_media
from tests.factories import make_article, make_author, make_drill

pytestmark = pytest.mark.django_db(transaction=True)

APP = Path(__file__).with_name("client_app.py")


def run(*command, cwd):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def generate_client(schema_url, folder):
    (folder / "schema.yaml").write_text(httpx.get(schema_url, timeout=10).text)
    # No post hooks: they would run ruff over the generated code, which changes nothing it parses.
    (folder / "config.yaml").write_text("post_hooks: []\n")
    run(
        sys.executable, "-m", "openapi_python_client", "generate", "--path", "schema.yaml",
        "--output-path", "runcms_client", "--meta", "none", "--config", "config.yaml", "--fail-on-warning",
        cwd=folder,
    )
    shutil.copy(APP, folder / "app.py")


def test_a_generated_client_type_checks_strictly_and_parses_every_endpoint(live_server, tmp_path):
    drill = rich_drill(slug="heel-pull")  # step media, cue audio, a gallery: every nullable media filled
    DrillMedia.objects.create(drill=drill, media=small_media(kind=MediaKind.VIDEO), position=9)
    bare = make_drill(slug="bare", steps=["Lie face down."], cues=["Hips level"])  # ... and null
    rich_program(slug="pull-basics")
    rich_article(slug="the-pull")
    make_article(slug="plain", author=make_author(), sources=[{"title": "How to Run", "url": ""}])
    generate_client(f"{live_server.url}/api/v1/schema/", tmp_path)

    run(sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".mypy_cache"), "app.py", cwd=tmp_path)
    full = json.loads(run(sys.executable, "app.py", live_server.url, cwd=tmp_path))
    bare.title = "Bare drill, renamed"
    bare.save()
    drill.status = Status.DRAFT
    drill.save()
    delta = json.loads(run(sys.executable, "app.py", live_server.url, full["sync"]["token"], cwd=tmp_path))

    assert {"heel-pull", "bare"} <= set(full["lists"]["drills"]) and full["lists"]["media"] > 1
    assert all(full["lists"][terms] for terms in ["muscles", "equipment", "categories", "topics"])
    heel_pull, plain_drill = full["drills"]["heel-pull"], full["drills"]["bare"]
    assert heel_pull["steps"][0]["kind"] == "image" and heel_pull["cues"][0]["kind"] == "audio"
    assert plain_drill["steps"] == [None] and plain_drill["cues"] == [None] and plain_drill["thumbnail"] is None
    assert full["articles"]["the-pull"]["photo"] and full["articles"]["plain"]["photo"] is None
    assert full["articles"]["plain"]["sources"] == [""] and full["articles"]["plain"]["hero"] is None
    assert any(kind == "video" for kind in (m["kind"] for m in full["media"]))
    assert full["errors"][0] and full["errors"][1] == "There is no page 999 in this list."
    assert str(drill.pk) in full["sync"]["drills"] and len(full["sync"]["articles"]) == 2
    assert delta == {"upserted": {"drills": ["Bare drill, renamed"]}, "deleted": {"drills": [str(drill.pk)]}}
