"""An editor opens a draft drill or program through the signed preview link on its change form."""

import re

import pytest

from runcms.publishing import Status
from tests.factories import make_drill, make_program

pytestmark = pytest.mark.django_db


def preview_link(client, obj):
    page = client.get(f"/admin/drills/{obj._meta.model_name}/{obj.pk}/change/").content.decode()
    return re.search(r'<a href="([^"]+)"[^>]*>Open preview</a>', page)[1].replace("&amp;", "&")


@pytest.mark.parametrize(
    "make, path",
    [
        (lambda: make_drill(slug="heel-pull", title="Heel pull draft", status=Status.DRAFT), "/drills/heel-pull/"),
        (lambda: make_program(slug="pull-week", title="Pull week draft", status=Status.DRAFT), "/programs/pull-week/"),
    ],
    ids=["drill", "program"],
)
def test_a_drafts_change_page_links_a_preview_that_opens_it_without_login(client, editor, make, path):
    draft = make()
    client.force_login(editor)
    link = preview_link(client, draft)
    client.logout()

    response = client.get(link)

    assert link.startswith(f"http://testserver{path}?preview=")
    assert response.status_code == 200
    assert draft.title in response.content.decode()


def test_a_tampered_preview_link_is_a_404(client, editor):
    draft = make_drill(status=Status.DRAFT)
    client.force_login(editor)
    link = preview_link(client, draft)
    client.logout()

    response = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))

    assert response.status_code == 404


def test_a_drafts_preview_link_opens_no_other_draft(client, editor):
    draft = make_drill(status=Status.DRAFT)
    other = make_drill(slug="other-draft", status=Status.DRAFT)
    client.force_login(editor)
    token = preview_link(client, draft).split("?preview=")[1]
    client.logout()

    response = client.get(f"/drills/{other.slug}/?preview={token}")

    assert response.status_code == 404


def test_the_preview_link_uses_the_public_base_url(client, editor, settings):
    settings.RUNCMS_PUBLIC_BASE_URL = "https://runcms.example"
    draft = make_drill(slug="heel-pull", status=Status.DRAFT)
    client.force_login(editor)

    link = preview_link(client, draft)

    assert link.startswith("https://runcms.example/drills/heel-pull/?preview=")
