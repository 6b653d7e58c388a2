"""German pages and translated admin forms pass the Nu HTML checker with no error.

Apart from tests/pages/test_nu_checker.py, whose module shares one site for all its tests: this
one builds its own, with German text.
"""

import json

import pytest

from tests.helpers.pages import change_url
from tests.helpers.site import build_site
from tests.pages.test_nu_checker import PUBLIC_PAGES, nu_errors

pytestmark = pytest.mark.django_db


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
