"""Every public page type and the admin's main forms pass the Nu HTML checker with no error.

The checker is the W3C's (vnu.jar, from the vnu-jar npm package that `make test` puts in
the virtualenv); it needs Java, which `.ci/run` installs. All pages go to one run of the
checker, since a JVM start costs more than checking a page: the pages are rendered once for
the module (tests.helpers.scenes) and checked with a broken page in one run of the checker.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import make_article
from tests.helpers.pages import change_url
from tests.helpers.scenes import shared_scene
from tests.helpers.site import build_site

pytestmark = pytest.mark.django_db

VNU_JAR = Path(os.environ.get("VNU_JAR") or Path(sys.prefix) / "vnu/node_modules/vnu-jar/build/dist/vnu.jar")

PUBLIC_PAGES = [
    "/",
    "/articles/",
    "/articles/?q=pull",
    "/articles/the-pull/",
    "/drills/",
    "/drills/?category=pull",
    "/drills/?q=heel",
    "/drills/heel-pull-on-box/",
    "/drills/heel-pull-lying/",
    "/programs/pull-basics/",
    "/topics/pose-method/",
    "/no-such-page/",
    "/api/docs/",
]


def nu_errors(documents, tmp_path):
    """{name: [messages]} of what the Nu checker calls an error in each HTML document."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail(
            "The Nu HTML checker needs Java and vnu.jar: run `make test` (it installs vnu-jar into the "
            "virtualenv) and `apt-get install -y default-jre-headless`, or set VNU_JAR to a vnu.jar."
        )
    paths = {}
    for index, (name, content) in enumerate(documents.items()):
        path = tmp_path / f"page{index}.html"
        path.write_bytes(content)
        paths[path.name] = name
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, tmp_path.glob("*.html"))],
        capture_output=True, text=True, timeout=180, check=True,
    )
    errors = {}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            url = message.get("url", "")
            name = paths.get(url.rsplit("/", 1)[-1], url)
            errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


BROKEN = (
    b"<!DOCTYPE html><html><head><title>x</title></head><body>"
    b"<time datetime='2026-01-01T10:00:00.123456+00:00'>x</time><p>a</b></body></html>"
)


@shared_scene()
def rendered_pages():
    """Every page the tests check, rendered once: the public pages as a reader sees them, the admin's forms as an
    editor does. {"public" or "admin": {name: (status code, HTML)}}."""
    site = build_site()
    draft = make_article(slug="draft", status=Status.DRAFT)
    reader, editor = Client(), Client()
    public = {url: reader.get(url) for url in PUBLIC_PAGES}
    public["article preview"] = reader.get(f"/articles/draft/?preview={make_preview_token(draft)}")
    public["drill preview"] = reader.get(f"/drills/{site.drill.slug}/?preview={make_preview_token(site.drill)}")
    admin = {"/admin/login/": editor.get("/admin/login/")}
    editor.force_login(
        get_user_model().objects.create_superuser("checker", "checker@example.com", "correct horse battery")
    )
    urls = [
        "/admin/",
        "/admin/drills/drill/",
        "/admin/drills/drill/add/",
        change_url(site.drill),
        change_url(site.program),
        "/admin/drills/cuemedia/",
        "/admin/drills/cuemedia/add/",
        change_url(site.photo),
        "/admin/articles/article/",
        change_url(site.article),
        change_url(site.author),
        change_url(site.topic),
    ]
    admin.update({url: editor.get(url) for url in urls})
    return {group: {name: (r.status_code, r.content) for name, r in pages.items()}
            for group, pages in {"public": public, "admin": admin}.items()}


@pytest.fixture(scope="module")
def nu_report(rendered_pages, tmp_path_factory):
    """The checker's errors for every rendered page and a broken one, from one run of the checker."""
    documents = {name: html for pages in rendered_pages.values() for name, (_, html) in pages.items()}
    return nu_errors({**documents, "broken": BROKEN}, tmp_path_factory.mktemp("nu"))


def errors_of(report, names, rendered_pages):
    """The errors of the pages `names`, and any the checker could not tie to a page."""
    every = {name for pages in rendered_pages.values() for name in pages} | {"broken"}
    return {name: errors for name, errors in report.items() if name in names or name not in every}


def test_public_pages_have_no_nu_checker_errors(rendered_pages, nu_report):
    public = rendered_pages["public"]

    assert {name: status for name, (status, _) in public.items() if status not in (200, 404)} == {}
    errors = errors_of(nu_report, public, rendered_pages)
    assert not errors, json.dumps(errors, indent=1, ensure_ascii=False)


def test_admin_main_forms_have_no_nu_checker_errors(rendered_pages, nu_report):
    admin = rendered_pages["admin"]

    assert {url: status for url, (status, _) in admin.items() if status != 200} == {}
    errors = errors_of(nu_report, admin, rendered_pages)
    assert not errors, json.dumps(errors, indent=1, ensure_ascii=False)


def test_nu_checker_reports_a_broken_page(nu_report):
    assert len(nu_report["broken"]) >= 2
