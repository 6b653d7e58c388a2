"""Writing a checked archive into the site, or putting back what a restored site's storage lost.

Into an empty site everything is restored in one transaction; files it stored are deleted
again if anything fails. Into a site that already holds exactly the archive's content, only
missing media files and renditions are put back and nothing else changes.
"""

import contextlib
import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Max

from runcms.backup.archive import (
    _CHUNK,
    BackupError,
    _encode,
    _NoProgress,
    describe_counts,
)
from runcms.backup.checks import _check_archive, _check_free_space
from runcms.backup.export import _serialize_content
from runcms.backup.registry import content_models, journal_models, models_by_label, stored_files
from runcms.models import ChangeLog, Document
from runcms.publishing import Publishable


@dataclass
class ImportResult:
    restored: bool  # False when the site already held exactly this archive's content
    counts: dict
    files: int
    renditions: int = 0
    unknown_editors: set = field(default_factory=set)


def import_content(source, *, progress=_NoProgress):
    """Restore the archive `source` into an empty site; nothing is written unless all of it checks out.

    Importing an archive whose content is already here changes nothing (it only puts back
    missing media files and renditions). Raises BackupError, having changed nothing.
    """
    with tempfile.TemporaryDirectory(prefix="runcms-import-") as scratch:
        checked = _check_archive(Path(source), Path(scratch), progress)
        if _site_has_content():
            if _current_rows() != _comparable(_content_rows(checked.rows)):
                raise BackupError(_not_empty_message())
            return _repair(checked, progress)
        if any(model._default_manager.exists() for model in journal_models()):
            # Its apps hold sync tokens that the archive's journal would contradict.
            raise BackupError(
                "This site has no content now, but it had some: apps have synced with it, and its sync journal "
                "would clash with the archive's. Nothing was changed. Restore into a new, empty database: point "
                "DATABASE_URL at it, run `manage.py migrate`, then import again."
            )
        _check_storage_is_free(checked.files)
        if isinstance(default_storage, FileSystemStorage):
            _make_media_folder(Path(default_storage.location))
            size = sum(Path(copy).stat().st_size for copy, _ in checked.files.values())
            _check_free_space(default_storage.location, size, "for the media files", "MEDIA_ROOT")
        return _restore(checked, progress)


def _make_media_folder(folder):
    """A new site's MEDIA_ROOT may not exist yet: make it, as the first upload would."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            f"The media folder {folder} (MEDIA_ROOT) does not exist and cannot be created: {error.strerror}. "
            "Nothing was imported. Create that folder, writable by the user that runs the import, or point "
            "MEDIA_ROOT at one that is, then import again."
        ) from error


def _site_has_content():
    return any(model._default_manager.exists() for model in content_models())


def _not_empty_message():
    counts = describe_counts({model._meta.label_lower: model._default_manager.count() for model in content_models()})
    return (
        f"This site already has content ({counts}) that differs from the archive, and an import only "
        "restores into an empty site. Nothing was changed. Restore into a new, empty database: point "
        "DATABASE_URL at it (and MEDIA_ROOT or the bucket at empty media storage), run `manage.py migrate`, "
        "then import again."
    )


def _current_rows():
    content, _ = _serialize_content(content_models())
    return _comparable(content["objects"])


def _content_rows(rows):
    journal = {model._meta.label_lower for model in journal_models()}
    return [row for row in rows if row["model"] not in journal]


def _comparable(rows):
    """Rows as JSON data keyed by (model, pk), with many-to-many lists in a fixed order."""
    rows = json.loads(_encode(rows))
    many = {
        label: {f.name for f in model._meta.many_to_many} for label, model in models_by_label().items()
    }
    return {
        (row["model"], str(row["pk"])): {
            name: sorted(map(str, value)) if name in many[row["model"]] else value
            for name, value in row["fields"].items()
        }
        for row in rows
    }


def _check_storage_is_free(files):
    for name, (_, sha256) in files.items():
        if default_storage.exists(name) and _stored_sha256(name) != sha256:
            raise BackupError(
                f"Media storage already holds a different file at {name}. Nothing was changed. Restore into "
                "empty media storage (a new MEDIA_ROOT folder or bucket)."
            )


def _stored_sha256(name):
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        while chunk := stored.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _restore(checked, progress):
    try:
        return _write(checked, progress)
    except (DatabaseError, ValidationError) as error:
        # Checked as far as it can be without writing; what is left is the database's own
        # verdict (a duplicate slug, say, in an edited archive). Everything was rolled back.
        raise BackupError(
            f"The archive's content could not be stored in this database ({error}). Nothing was imported; "
            "the archive was probably edited, or exported by an incompatible runcms version."
        ) from error


def _write(checked, progress):
    with _removed_on_error() as written, transaction.atomic():
        _put_files(checked.files, written, progress)
        journal = [item for item in checked.objects if type(item.object) in journal_models()]
        content = [item for item in checked.objects if type(item.object) not in journal_models()]
        # The journal first, so the entries that saving the content logs come after it.
        _restore_journal(journal)
        journal_end = ChangeLog.objects.aggregate(end=Max("id"))["end"] or 0
        # All rows first, then the many-to-many links, which may point at any of them.
        # (save() forgets an object's links once it has run, so they are taken first.)
        links = [(item.object, item.m2m_data or {}) for item in content]
        for item in content:
            item.save(save_m2m=False)
        for instance, m2m in links:
            for name, values in m2m.items():
                getattr(instance, name).set(values)
        _reset_sequences(content_models())
        made = sum(files.remake(checked.renditions, written, progress) for _, files in stored_files())
        _record_revisions(content)
        # Saving the rows logged them again; the restored journal already tells their story,
        # and a journal that ends where the backup's ended lets newer tokens be told apart.
        ChangeLog.objects.filter(id__gt=journal_end).delete()
        # Rendered documents of an earlier site would be checked against the restored journal's positions.
        Document.objects.all().delete()
    return ImportResult(True, checked.counts, len(checked.files), made, checked.unknown_editors)


def _repair(checked, progress):
    """The content is already here: put back missing files and renditions, change nothing else."""
    missing = {
        name: value for name, value in checked.files.items()
        if not default_storage.exists(name)
    }
    _check_storage_is_free({n: v for n, v in checked.files.items() if n not in missing})
    with _removed_on_error() as written, transaction.atomic():
        _put_files(missing, written, progress)
        made = sum(files.put_back(written, progress) for _, files in stored_files())
    return ImportResult(False, checked.counts, len(missing), made, checked.unknown_editors)


@contextlib.contextmanager
def _removed_on_error():
    written = []
    try:
        yield written
    except BaseException:
        for name in written:
            with contextlib.suppress(Exception):
                default_storage.delete(name)
        raise


def _put_files(files, written, progress):
    bar = progress(total=len(files), desc="Restoring media files", unit="file")
    try:
        for name, (path, _) in files.items():
            if default_storage.exists(name):
                bar.update(1)
                continue  # the very same bytes, checked before
            with open(path, "rb") as content:
                stored = default_storage.save(name, File(content, name=name))
            written.append(stored)
            if stored != name:
                raise BackupError(
                    f"Media storage stored {name} as {stored}, so its address would change. Nothing was imported. "
                    "Restore into empty media storage."
                )
            bar.update(1)
    finally:
        bar.close()


def _restore_journal(journal):
    """Put back the sync journal with its positions (the site's own is empty: checked before)."""
    for item in journal:
        item.save()
    _reset_sequences(journal_models())


def _reset_sequences(models):
    # Rows came with their integer ids, so the database's counters must move past them.
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _record_revisions(objects):
    """A first revision of each restored item, so its history starts with the restored state."""
    comment = "Restored from a backup (manage.py import_content)."
    for item in objects:
        instance = item.object
        if isinstance(instance, Publishable) and reversion.is_registered(type(instance)):
            with reversion.create_revision():
                reversion.set_comment(comment)
                reversion.add_to_revision(instance)
