"""Every public page type and the admin's main forms pass the Nu HTML checker with no error.

The checker is the W3C's (vnu.jar, from the vnu-jar npm package that `make test` puts in
the virtualenv); it needs Java, which `.ci/run` installs. All pages go to one run of the
checker, since a JVM start costs more than checking a page.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.factories import make_article
from tests.helpers.pages import change_url
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


def test_public_pages_have_no_nu_checker_errors(client, tmp_path):
    site = build_site()
    draft = make_article(slug="draft", status=Status.DRAFT)
    pages = {url: client.get(url) for url in PUBLIC_PAGES}
    pages["article preview"] = client.get(f"/articles/draft/?preview={make_preview_token(draft)}")
    pages["drill preview"] = client.get(f"/drills/{site.drill.slug}/?preview={make_preview_token(site.drill)}")

    documents = {name: response.content for name, response in pages.items()}

    assert {name: r.status_code for name, r in pages.items() if r.status_code not in (200, 404)} == {}
    errors = nu_errors(documents, tmp_path)
    assert not errors, json.dumps(errors, indent=1, ensure_ascii=False)


def test_admin_main_forms_have_no_nu_checker_errors(client, editor, tmp_path):
    site = build_site()
    login_page = client.get("/admin/login/").content
    client.force_login(editor)
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
    responses = {url: client.get(url) for url in urls}

    documents = {"/admin/login/": login_page, **{url: r.content for url, r in responses.items()}}

    assert {url: r.status_code for url, r in responses.items() if r.status_code != 200} == {}
    errors = nu_errors(documents, tmp_path)
    assert not errors, json.dumps(errors, indent=1, ensure_ascii=False)


def test_nu_checker_reports_a_broken_page(tmp_path):
    broken = (
        b"<!DOCTYPE html><html><head><title>x</title></head><body>"
        b"<time datetime='2026-01-01T10:00:00.123456+00:00'>x</time><p>a</b></body></html>"
    )

    errors = nu_errors({"broken": broken}, tmp_path)

    assert len(errors["broken"]) >= 2


def test_pages_and_forms_in_several_languages_have_no_nu_checker_errors(client, editor, languages, tmp_path):
    site = build_site()
    type(site.drill).objects.filter(pk=site.drill.pk).update(title_de="Fersenzug auf der Kiste")  # the rest falls back
    public = [f"/de{url}" for url in PUBLIC_PAGES if url not in ("/no-such-page/", "/api/docs/")]
    pages = {url: client.get(url) for url in public}
    client.force_login(editor)
    forms = [change_url(site.drill), change_url(site.program), change_url(site.article), change_url(site.photo),
             change_url(site.topic), "/admin/drills/drill/?needs_translation=de"]
    pages.update({url: client.get(url) for url in forms})

    documents = {url: response.content for url, response in pages.items()}

    assert {url: r.status_code for url, r in pages.items() if r.status_code != 200} == {}
    errors = nu_errors(documents, tmp_path)
    assert not errors, json.dumps(errors, indent=1, ensure_ascii=False)
