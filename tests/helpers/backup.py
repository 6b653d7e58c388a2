"""Backups in tests: an empty site to import into, and the two commands as an operator runs them."""

import io

from django.core.management import call_command

from runcms.backup import content_models
from runcms.models import ChangeLog


def delete_all_content():
    """What a new database holds after `migrate`: no content, and no sync journal."""
    # Reverse order: each model is deleted before the ones it protects (categories, media, authors).
    for model in reversed(content_models()):
        model.objects.all().delete()
    ChangeLog.objects.all().delete()


def empty_media_root(settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path / name
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def export(path):
    call_command("export_content", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return path


def import_(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_content", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
