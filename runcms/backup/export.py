"""Writing every content row and original media file to a new, signed archive."""

import contextlib
import hashlib
import io
import os
import tempfile
import zipfile
from pathlib import Path

from django.core import serializers
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from runcms.backup.archive import (
    _CHUNK,
    CONTENT,
    FILES,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    _encode,
    _NoProgress,
    sign_manifest,
)
from runcms.backup.registry import content_models, journal_models, models_by_label, stored_files


def export_content(destination, *, progress=_NoProgress):
    """Write every content row and original media file to the archive `destination`.

    Returns {model label: count}. The archive appears only once it is complete.
    """
    destination = Path(destination)
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder; give the path of the archive file to write.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist; create it or choose another path.")
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table, so an editor saving meanwhile cannot split the backup.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        content, counts = _serialize_content((*content_models(), *journal_models()))
        media_files = _media_file_names(content["objects"])
    body = _encode(content)

    # Written beside the destination and renamed into place, so a failed export leaves no half archive.
    handle, partial = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as output, zipfile.ZipFile(output, "w", allowZip64=True) as archive:
            listed = [_write_member(archive, CONTENT, io.BytesIO(body), zipfile.ZIP_DEFLATED)]
            bar = progress(total=_storage_bytes(media_files), desc="Exporting media", unit="B", unit_scale=True)
            try:
                for name in media_files:
                    with default_storage.open(name, "rb") as stored:
                        listed.append(_write_member(archive, FILES + name, stored, zipfile.ZIP_STORED, bar))
            finally:
                bar.close()
            manifest = _encode(_manifest(listed, counts))
            archive.writestr(MANIFEST, manifest, zipfile.ZIP_DEFLATED)
            archive.comment = sign_manifest(manifest)
        os.replace(partial, destination)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise
    return counts


def _serialize_content(models):
    objects, counts = [], {}
    for model in models:
        rows = serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        objects.extend(rows)
        counts[model._meta.label_lower] = len(rows)
    renditions = [row for _, files in stored_files() for row in files.derived()]
    return {"exported_at": timezone.now(), "objects": objects, "renditions": renditions}, counts


def _media_file_names(objects):
    names = []
    for label, files in stored_files():
        for row in objects:
            if row["model"] == label:
                names.extend(files.names(row["fields"]))
    return names


def _storage_bytes(names):
    total = 0
    for name in names:
        try:
            total += default_storage.size(name)
        except (FileNotFoundError, OSError) as error:
            raise BackupError(
                f"The media file {name} is missing from media storage, so the backup would be incomplete. "
                "Upload that file again in the admin (or delete the media item that uses it), then export again."
            ) from error
    return total


def _write_member(archive, name, source, compression, bar=None):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    digest, size = hashlib.sha256(), 0
    with archive.open(info, "w", force_zip64=True) as member:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            member.write(chunk)
            if bar is not None:
                bar.update(len(chunk))
    return {"path": name, "bytes": size, "sha256": digest.hexdigest()}


def _manifest(listed, counts):
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now(),
        "schema": _schema(),
        "counts": counts,
        "files": listed,
    }


def _schema():
    """The newest migration of each app whose models a backup holds, so an operator can tell which runcms made it."""
    apps = {model._meta.app_label for model in models_by_label().values()}
    applied = MigrationRecorder(connection).applied_migrations()
    latest = {}
    for app, name in sorted(applied):
        if app in apps:
            latest[app] = name
    return latest
