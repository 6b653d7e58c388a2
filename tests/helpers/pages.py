"""Reading public pages and reaching admin pages in tests, written once."""

import html
import json
import re


def text_of(response):
    """The page's HTML as text."""
    return response.content.decode()


def page_text(response):
    """The page's HTML as text with its character references resolved, as a reader sees the words."""
    return html.unescape(text_of(response))


def json_ld(response):
    """The page's JSON-LD block, parsed."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', text_of(response), re.DOTALL)
    return json.loads(match[1])


def admin_url(obj, view="change"):
    """An admin page of any model instance: its change page, or another `view` of it ("delete", "history")."""
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def change_url(obj):
    """The admin change page of any model instance."""
    return admin_url(obj)


def version_url(obj, version):
    """The admin page of one saved version of `obj`, from which an editor restores it."""
    return admin_url(obj, f"history/{version.pk}")


def post_admin_form(client, obj, **changes):
    """Post `obj`'s admin change form as the editor's browser would: the form as shown, with `changes`."""
    from tests.admin_forms import admin_form_data

    url = change_url(obj)
    return client.post(url, {**admin_form_data(client.get(url)), **changes})


def save_in_admin(client, obj, **changes):
    """`post_admin_form`, which must save (the admin redirects); a form error fails the test with the page."""
    response = post_admin_form(client, obj, **changes)
    assert response.status_code == 302, page_text(response)[:3000]
    return response


def first_version(obj):
    """The oldest saved version of `obj` (django-reversion)."""
    from reversion.models import Version

    return Version.objects.get_for_object(obj).order_by("pk").first()


def publish_draft(client, obj):
    """Publish the draft change an admin save made of a live item (runcms.drafts), as a publisher would.
    Returns whether there was one."""
    from runcms.drafts import DraftChange

    if not DraftChange.objects.of(obj).exists():
        return False
    response = client.post(admin_url(obj, "draft/publish"), {"decision": "publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return True


def sign_in_to_admin(page, live_server, username="editor", password="correct horse battery"):
    """Sign in through the admin's login page in a browser (Playwright's `page`)."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
