"""Content built once for a whole module or class of tests, and shared by them.

Building rich content (media with renditions, the change journal's work on every save) is
most of what many tests cost. `shared_scene` makes a builder a fixture that runs once per
module (or class) inside a transaction rolled back when the module ends. Each test still
runs in its own savepoint inside it (pytest-django's `django_db`, as Django's
`TestCase.setUpTestData` does), so a test may write: what it changes is undone after it,
and the next test finds the scene as it was built.

Only for tests marked `django_db` without `transaction=True`: a transactional test (a live
server) empties the tables, which cannot happen inside the scene's transaction.
"""

import shutil
from os import link

import pytest
from django.db import transaction
from django.test.utils import override_settings

# The media folder of each scene being shared, innermost last (conftest's `media_root` starts from it).
scene_media_roots = []


def shared_scene(scope="module"):
    """A fixture, named after the decorated builder, that calls it once per `scope` and returns what it returns."""

    def decorator(build):
        @pytest.fixture(scope=scope, name=build.__name__)
        def fixture(django_db_setup, django_db_blocker, tmp_path_factory):
            root = tmp_path_factory.mktemp(f"{build.__name__}-media")
            media = override_settings(MEDIA_ROOT=root)
            media.enable()
            scene_media_roots.append(root)
            atomic = transaction.atomic()
            try:
                with django_db_blocker.unblock():
                    atomic.__enter__()
                try:
                    with django_db_blocker.unblock():
                        built = build()
                    yield built
                finally:
                    with django_db_blocker.unblock():
                        transaction.set_rollback(True)
                        atomic.__exit__(None, None, None)
            finally:
                scene_media_roots.remove(root)
                media.disable()

        fixture.__doc__ = build.__doc__
        return fixture

    return decorator


def copy_scene_media(target):
    """The files of the innermost scene being shared, linked into `target` (a test's own MEDIA_ROOT)."""
    if scene_media_roots:
        shutil.copytree(scene_media_roots[-1], target, copy_function=link, dirs_exist_ok=True)


def make_editor():
    """The superuser "editor" that conftest's `editor` fixture makes, for a scene (which cannot use
    function fixtures); a class sharing the scene overrides `editor` with `fresh(scene's editor)`."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("editor", "editor@example.com", "correct horse battery")


def fresh(item):
    """A scene's row read again from the database, as this test's savepoint holds it: never an instance
    an earlier test changed in memory."""
    return type(item).objects.get(pk=item.pk)


def fresh_all(scene):
    """Every row of a scene's namespace (`types.SimpleNamespace`), read again (`fresh`)."""
    return type(scene)(**{name: fresh(item) for name, item in vars(scene).items()})
