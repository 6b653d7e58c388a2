"""Public pages kept whole, found again only while the content they were made from is current.

A page shows items of every kind (the home page, an article embedding drills), so it is
kept under the content state of all collections (see `runcms.api.caching`: the change
journal's positions and the scheduled times passed), with the public base URL, the full
path (search words, page number) and the code that renders pages. A preview is never kept.
Pages hold nothing per visitor: no user, no form, no nonce.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from runcms.api import caching
from runcms.links import public_base

PAGE_KEY = "runcms:page:1:"


def find(request):
    """The kept response for `request`, or None."""
    store = caching.answers()
    if store is None:
        return None
    state = caching.current_state()
    request.runcms_page_kept = (_key(request, state), state)
    stored = store.get(request.runcms_page_kept[0])
    if stored is None:
        return None
    caching.mark_kept(request, state, state.seconds_left(timezone.now()))
    return caching.replay(*stored)


def keep(request, response):
    """Keep a public 200 page for the requests that will find it (see `find`)."""
    key, state = getattr(request, "runcms_page_kept", (None, None))
    if key is None or response.status_code != 200 or response.streaming or not getattr(response, "is_rendered", True):
        return
    seconds = state.seconds_left(timezone.now())
    if seconds > 0:
        caching.answers().set(key, (response.content, list(response.items())), timeout=seconds)
        caching.mark_kept(request, state, seconds)


def _key(request, state):
    positions = sorted(state.positions.items())
    parts = (code_version(), public_base(request), request.get_full_path(), positions, state.passed)
    return PAGE_KEY + hashlib.sha256(repr(parts).encode()).hexdigest()


@cache
def code_version():
    # The code a page is made by: the project's own apps, their templates and views. A release
    # that changes them makes other keys.
    digest = hashlib.sha256()
    for folder in _project_app_folders():
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():  # hashed names of the stylesheet and scripts
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def _project_app_folders():
    """The top folders of the installed apps that are the project's own, each once (drills.media is in drills)."""
    root = Path(settings.BASE_DIR).resolve()
    folders = set()
    for app in apps.get_app_configs():
        folder = root / app.name.partition(".")[0]  # a library's app lives elsewhere, even in a .venv here
        if Path(app.path).resolve().is_relative_to(folder):
            folders.add(folder)
    return sorted(folders)
