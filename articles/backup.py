"""Back up all content to one archive, and restore it into an empty site.

The archive is a ZIP file holding:

- ``content.json``: every content row (drafts included) as Django's serializer writes
  it, so ids, slugs, old slugs, timestamps and publishing state come back exactly;
  plus the names of the rendition files, so their URLs stay the same when the
  renditions made again are the same bytes.
- ``files/<name>``: the original media files and video posters, byte for byte.
  Renditions are not stored: they are made again from the originals.
- ``manifest.json``: the format version and the size and SHA-256 of every other file.
  The ZIP comment holds an HMAC of the manifest keyed with SECRET_KEY, so the hashes
  cannot be recomputed after an edit by anyone who lacks the key.

An import checks the whole archive before it writes anything, then restores in one
transaction; files it stored are deleted again if anything fails. It reads only archives
signed with this site's SECRET_KEY (or one of SECRET_KEY_FALLBACKS): a restored site
needs the exporting site's key anyway, since it signs the apps' sync tokens.

This module lives in `articles` because articles is the app that knows every content
type (it imports drills, which imports runcms).
"""

import contextlib
import hashlib
import io
import json
import math
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from articles.models import Article, Author, Source, Topic
from drills.media import verify_poster, verify_upload
from drills.models import (
    Category,
    Cue,
    CueMedia,
    Drill,
    DrillMedia,
    Equipment,
    Muscle,
    Program,
    ProgramItem,
    Rendition,
    Step,
)
from drills.renditions import build_renditions
from drills.services import rendition_source, renditions_missing
from runcms.models import ChangeLog, OldSlug
from runcms.publishing import Publishable

FORMAT = "runcms-backup"
VERSION = 1
MANIFEST = "manifest.json"
CONTENT = "content.json"
FILES = "files/"
# The ZIP comment signs the manifest with the site's SECRET_KEY; older runcms wrote a plain hash.
_SIGNATURE = b"runcms-backup manifest hmac-sha256="
_COMMENT = re.compile(rb"^runcms-backup manifest hmac-sha256=([0-9a-f]{64})$")
_UNSIGNED_COMMENT = re.compile(rb"^runcms-backup manifest sha256=[0-9a-f]{64}$")
_SIGNING_SALT = "articles.backup.manifest"
# Stored names exactly as the upload fields make them (drills.models.UnguessableName, with the
# extension that verification found): nothing that could climb out of the media folder, land
# among the renditions, or make a web server read the file as a page or a configuration.
_MEDIA_NAME = re.compile(r"^media/[0-9a-f]{32}\.([a-z0-9]{2,4})$")
_POSTER_NAME = re.compile(r"^posters/[0-9a-f]{32}\.([a-z0-9]{2,4})$")
# Rendition names as `Rendition.file`'s upload_to makes them, by format.
_RENDITION_NAME = re.compile(r"^renditions/[0-9a-f]{32}\.(webp|jpg|png)$")
_RENDITION_EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# How far a duration measured now may differ from the recorded one (decoder versions round differently).
_DURATION_TOLERANCE = 0.01
_CHUNK = 1024 * 1024
# What an archive may hold, checked against the ZIP's own directory before anything is inflated:
# content.json and the manifest up to these sizes, and each media file up to RUNCMS_MEDIA_MAX_BYTES.
CONTENT_MAX_BYTES = 256 * 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
_MEMBER_NAME = re.compile(r"^files/(?:media|posters)/[0-9a-f]{32}\.[a-z0-9]{2,4}$")
# Room left over when checking free disk space, for renditions and whatever else the disk holds.
_SPARE_BYTES = 64 * 1024 * 1024

# Every content model, in an order where each one's foreign keys point backwards.
# Renditions are not in the archive: they are derived, and made again on import.
CONTENT_MODELS = (
    Category,
    Muscle,
    Equipment,
    Topic,
    CueMedia,
    Author,
    Drill,
    Step,
    Cue,
    DrillMedia,
    Program,
    ProgramItem,
    Article,
    Source,
    OldSlug,
)
# The sync journal travels too, with its positions: an app's sync token from before the
# backup then still gets every change since, deletions included, from the restored site.
JOURNAL_MODELS = (ChangeLog,)
_BY_LABEL = {model._meta.label_lower: model for model in (*CONTENT_MODELS, *JOURNAL_MODELS)}


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why and what to do."""


class _NoProgress:
    def __init__(self, *args, **kwargs):
        pass

    def update(self, n=1):
        pass

    def close(self):
        pass


@dataclass
class ImportResult:
    restored: bool  # False when the site already held exactly this archive's content
    counts: dict
    files: int
    renditions: int = 0
    unknown_editors: set = field(default_factory=set)


def describe_counts(counts):
    """{model label: count} in words, e.g. "5 drills, 1 program", leaving out the zeros."""
    parts = []
    for label, count in counts.items():
        model = _BY_LABEL.get(label)
        if model is not None and count:
            parts.append(f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}")
    return ", ".join(parts) or "no content"


# --- Export ---------------------------------------------------------------------------------


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
        content, counts = _serialize_content((*CONTENT_MODELS, *JOURNAL_MODELS))
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
    renditions = [
        {"media": str(media), "name": name, "format": format, "file": file, "sha256": sha256}
        for media, name, format, file, sha256 in Rendition.objects.order_by("media", "name", "format").values_list(
            "media", "name", "format", "file", "sha256"
        )
    ]
    return {"exported_at": timezone.now(), "objects": objects, "renditions": renditions}, counts


def _media_file_names(objects):
    label = CueMedia._meta.label_lower
    names = []
    for row in objects:
        if row["model"] == label:
            names.extend(name for name in (row["fields"]["file"], row["fields"]["poster"]) if name)
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
    """The newest migration of each content app, so an operator can tell which runcms made it."""
    applied = MigrationRecorder(connection).applied_migrations()
    latest = {}
    for app, name in sorted(applied):
        if app in ("drills", "articles", "runcms"):
            latest[app] = name
    return latest


def _json_default(value):
    if isinstance(value, datetime | date | time):
        # Full precision: DjangoJSONEncoder would cut microseconds, and timestamps must round-trip.
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _encode(data):
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=1, sort_keys=True).encode()


# --- Import ---------------------------------------------------------------------------------


@dataclass
class _Checked:
    """An archive that passed every check, with its files extracted to a temporary folder."""

    objects: list  # Django DeserializedObject, unsaved
    rows: list  # the same rows as plain data, for comparing with the database
    renditions: list
    files: dict  # storage name -> (path of the extracted copy, sha256)
    counts: dict
    unknown_editors: set


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
        if any(model._default_manager.exists() for model in JOURNAL_MODELS):
            # Its apps hold sync tokens that the archive's journal would contradict.
            raise BackupError(
                "This site has no content now, but it had some: apps have synced with it, and its sync journal "
                "would clash with the archive's. Nothing was changed. Restore into a new, empty database: point "
                "DATABASE_URL at it, run `manage.py migrate`, then import again."
            )
        _check_storage_is_free(checked.files)
        if isinstance(default_storage, FileSystemStorage):
            size = sum(Path(copy).stat().st_size for copy, _ in checked.files.values())
            _check_free_space(default_storage.location, size, "for the media files", "MEDIA_ROOT")
        return _restore(checked, progress)


def _check_archive(path, scratch, progress):
    if not path.is_file():
        raise BackupError(f"There is no archive at {path}. Check the path.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            f"{path} is not a readable backup archive: it is truncated, damaged, or not a ZIP file ({error}). "
            "Nothing was imported. Use an intact copy of the archive, e.g. copy it again from where backups are kept."
        ) from error
    with archive:
        manifest = _read_manifest(archive, path)
        entries = _check_listing(archive, manifest)
        _check_free_space(scratch, entries[CONTENT]["bytes"], f"to read {CONTENT}", "TMPDIR")
        content_copy = _extract(archive, entries[CONTENT], scratch, _NoProgress())
        content = _parse_json(content_copy.read_bytes(), CONTENT)
        rows, renditions = _check_content_shape(content)
        media_entries = _used_media_members(rows, entries)
        size = sum(entry["bytes"] for entry in media_entries)
        _check_free_space(scratch, size, "to check the archive's media files", "TMPDIR")
        bar = progress(total=size, desc="Checking archive", unit="B", unit_scale=True)
        try:
            extracted = {entry["path"]: _extract(archive, entry, scratch, bar) for entry in media_entries}
        finally:
            bar.close()
    unknown_editors = _map_editors(rows)
    objects = _deserialize(rows)
    _check_references(rows)
    _validate(objects)
    files = _check_media_files(rows, extracted, entries)
    counts = dict.fromkeys(_BY_LABEL, 0)
    for row in rows:
        counts[row["model"]] += 1
    return _Checked(objects, rows, renditions, files, counts, unknown_editors)


def _read_manifest(archive, path):
    try:
        if archive.getinfo(MANIFEST).file_size > MANIFEST_MAX_BYTES:
            raise BackupError(
                f"The {MANIFEST} of {path} is {archive.getinfo(MANIFEST).file_size} bytes, more than a backup's "
                f"manifest may be ({MANIFEST_MAX_BYTES}). Nothing was imported."
            )
        raw = archive.read(MANIFEST)
    except KeyError as error:
        raise BackupError(
            f"{path} has no {MANIFEST}: it was not written by `manage.py export_content`, or it was damaged. "
            "Nothing was imported."
        ) from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _damaged(MANIFEST, error) from error
    _check_signature(raw, archive.comment, path)
    manifest = _parse_json(raw, MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a runcms backup ({MANIFEST} does not say “{FORMAT}”). Nothing was imported.")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{path} is a runcms backup of format version {manifest.get('version')!r}; this runcms reads version "
            f"{VERSION}. Nothing was imported. Import it with the runcms version that exported it, or a newer one."
        )
    if not isinstance(manifest.get("files"), list):
        raise BackupError(f"The {MANIFEST} of {path} has no list of files. Nothing was imported.")
    return manifest


def sign_manifest(raw, secret_key=None):
    """The ZIP comment that signs the manifest bytes `raw` with SECRET_KEY (or `secret_key`)."""
    secret = settings.SECRET_KEY if secret_key is None else secret_key
    return _SIGNATURE + salted_hmac(_SIGNING_SALT, raw, secret=secret, algorithm="sha256").hexdigest().encode()


def _check_signature(raw, comment, path):
    # The manifest holds the hash of every other member, so its signature covers the whole archive.
    if _COMMENT.match(comment) is None:
        old = _UNSIGNED_COMMENT.match(comment) is not None
        raise BackupError(
            f"{path} is not signed"
            + (": it was exported by an older runcms, before backups were signed, or was edited since. "
               if old else ": it was not written by `manage.py export_content`, or it was repacked. ")
            + "Nothing was imported. Use an archive exported by this runcms version."
        )
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(comment, sign_manifest(raw, key)) for key in keys):
        raise BackupError(
            f"The signature of {path} does not match: it was not made by this site or edited since, or it is "
            "damaged. Nothing was imported. If it is an intact backup of another site (the one you are "
            "restoring), set SECRET_KEY to that site's key and import again: the restored site needs that key "
            "anyway, because it signs the apps' sync tokens."
        )


def _check_listing(archive, manifest):
    """The manifest and the ZIP's directory must agree on every member and its size, and list only
    what a backup holds, within the size limits; all of it read before anything is inflated."""
    entries = {}
    for entry in manifest["files"]:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("bytes"), int)
            and isinstance(entry.get("sha256"), str)
        ):
            raise BackupError(f"The {MANIFEST} lists a file without its path, size and SHA-256. Nothing was imported.")
        name = entry["path"]
        if name in entries:
            raise BackupError(f"The {MANIFEST} lists {name} twice. Nothing was imported.")
        if name != CONTENT and not _MEMBER_NAME.match(name):
            raise BackupError(
                f"The {MANIFEST} lists {name!r}, which is not allowed in a backup (it holds {CONTENT} and the "
                f"media files under {FILES}, named as uploads are). Nothing was imported."
            )
        entries[name] = entry
    if CONTENT not in entries:
        raise BackupError(f"The archive's {MANIFEST} does not list {CONTENT}. Nothing was imported.")
    present = {}
    for info in archive.infolist():
        if info.filename in present:
            raise BackupError(f"The archive holds {info.filename} twice. Nothing was imported.")
        present[info.filename] = info
    unlisted = sorted(set(present) - set(entries) - {MANIFEST})
    if unlisted:
        raise BackupError(
            f"The archive holds {unlisted[0]}, which its manifest does not list: it was changed after it was "
            "exported. Nothing was imported. Use an intact copy of the archive."
        )
    media_limit = getattr(settings, "RUNCMS_MEDIA_MAX_BYTES", 50 * 1024 * 1024)
    for name, entry in entries.items():
        if name not in present:
            raise BackupError(
                f"{name} is listed in the manifest but missing from the archive: the archive is incomplete. "
                "Nothing was imported. Use an intact copy of the archive."
            )
        if present[name].file_size != entry["bytes"]:
            raise BackupError(
                f"{name} is {present[name].file_size} bytes in the archive, but its manifest says {entry['bytes']}: "
                "the archive is damaged or was changed after export. Nothing was imported."
            )
        if name == CONTENT and entry["bytes"] > CONTENT_MAX_BYTES:
            raise BackupError(
                f"{CONTENT} is {entry['bytes']} bytes, more than a backup's content may be ({CONTENT_MAX_BYTES}). "
                "Nothing was imported."
            )
        if name != CONTENT and entry["bytes"] > media_limit:
            raise BackupError(
                f"{name} is {entry['bytes']} bytes, more than this site accepts (RUNCMS_MEDIA_MAX_BYTES = "
                f"{media_limit}). Nothing was imported. Raise the limit for the import, then import again."
            )
    return entries


def _used_media_members(rows, entries):
    """The manifest entries of the files the media rows name; a member that no row uses is refused."""
    label = CueMedia._meta.label_lower
    used = {
        FILES + name
        for row in rows if row["model"] == label
        for name in (row["fields"].get("file"), row["fields"].get("poster")) if isinstance(name, str) and name
    }
    unused = sorted(set(entries) - used - {CONTENT})
    if unused:
        raise BackupError(
            f"The archive holds {unused[0]}, which no media item in {CONTENT} uses: it was changed after export. "
            "Nothing was imported."
        )
    return [entries[name] for name in sorted(used) if name in entries]


def _check_free_space(folder, needed, purpose, setting):
    free = shutil.disk_usage(folder).free
    if free < needed + _SPARE_BYTES:
        raise BackupError(
            f"The import needs {_megabytes(needed + _SPARE_BYTES)} of free disk space in {folder} {purpose}, but "
            f"only {free} bytes are free. Nothing was imported. Free some space, or point {setting} at a folder "
            "on a larger disk, then import again."
        )


def _megabytes(size):
    return f"{math.ceil(size / (1024 * 1024))} MB"


def _extract(archive, entry, scratch, bar):
    """Copy one member to the scratch folder, checking its size and hash on the way."""
    name = entry["path"]
    target = scratch / hashlib.sha256(name.encode()).hexdigest()
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(name) as member, open(target, "wb") as copy:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > entry["bytes"]:
                    break
                digest.update(chunk)
                copy.write(chunk)
                bar.update(len(chunk))
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as error:
        raise _damaged(name, error) from error
    if size != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
        raise BackupError(
            f"{name} in the archive is damaged or was changed after export: its size or SHA-256 does not match "
            "the manifest. Nothing was imported. Use an intact copy of the archive."
        )
    return target


def _damaged(name, error):
    return BackupError(
        f"{name} cannot be read from the archive: it is truncated or damaged ({error}). Nothing was imported. "
        "Use an intact copy of the archive."
    )


def _parse_json(raw, name):
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{name} in the archive is not valid JSON ({error}). Nothing was imported.") from error


def _check_content_shape(content):
    problem = None
    if not isinstance(content, dict) or not isinstance(content.get("objects"), list):
        problem = "it has no list of objects"
    elif not isinstance(content.get("renditions", []), list):
        problem = "its renditions are not a list"
    else:
        for row in content["objects"]:
            if not (isinstance(row, dict) and isinstance(row.get("fields"), dict) and "pk" in row):
                problem = "an object has no pk or fields"
            elif row.get("model") not in _BY_LABEL:
                problem = f"it holds objects of type {row.get('model')!r}, which this runcms does not back up"
            if problem:
                break
    if problem:
        raise BackupError(f"{CONTENT} in the archive is not runcms content: {problem}. Nothing was imported.")
    for rendition in content.get("renditions", []):
        if not (isinstance(rendition, dict) and all(isinstance(rendition.get(k), str) for k in
                                                    ("media", "name", "format", "file", "sha256"))):
            raise BackupError(
                f"{CONTENT} lists a rendition without its media, name, format, file and hash. Nothing was imported."
            )
        named = _RENDITION_NAME.match(rendition["file"])
        if not (named and named[1] == _RENDITION_EXTENSIONS.get(rendition["format"])
                and _SHA256.match(rendition["sha256"])):
            raise BackupError(
                f"{CONTENT} lists a rendition of media {rendition['media']} with the file name "
                f"{rendition['file']!r} (format {rendition['format']!r}), which is not allowed. Nothing was imported."
            )
    return content["objects"], content.get("renditions", [])


def _map_editors(rows):
    """Keep "updated by" for editors who exist here by username; others become empty."""
    User = get_user_model()
    names = {
        tuple(row["fields"]["updated_by"])
        for row in rows
        if isinstance(row["fields"].get("updated_by"), list)
    }
    known = {
        name for name in names if len(name) == 1 and User._default_manager.filter(**{User.USERNAME_FIELD: name[0]})
        .exists()
    }
    for row in rows:
        editor = row["fields"].get("updated_by")
        if editor is not None and tuple(editor) not in known:
            row["fields"]["updated_by"] = None
    return {name[0] for name in names - known if name}


def _deserialize(rows):
    try:
        return list(serializers.deserialize("python", rows, handle_forward_references=False))
    except Exception as error:  # the deserializer wraps some errors, not all
        raise BackupError(
            f"{CONTENT} in the archive does not fit this runcms ({error}). It was exported by a different version "
            "of runcms, or edited. Nothing was imported."
        ) from error


def _check_references(rows):
    """Every foreign key and many-to-many value must point at a row in the archive."""
    present = {(row["model"], str(row["pk"])) for row in rows}
    for row in rows:
        model = _BY_LABEL[row["model"]]
        for model_field in model._meta.get_fields():
            if not (model_field.concrete and model_field.is_relation) or model_field.name not in row["fields"]:
                continue
            target = model_field.related_model._meta.label_lower
            if target not in _BY_LABEL:
                continue
            value = row["fields"][model_field.name]
            values = value if model_field.many_to_many else [value]
            for pk in values or ():
                if pk is not None and (target, str(pk)) not in present:
                    raise BackupError(
                        f"In {CONTENT}, {row['model']} {row['pk']} refers to {target} {pk}, which is not in the "
                        "archive: the archive was edited or is incomplete. Nothing was imported."
                    )


def _validate(objects):
    """Every row must pass the checks an editor's save passes: field validators, choices, clean().

    Relations are left out: they were checked against the archive's own rows, and the rows
    they point at are not in the database yet. Uniqueness is the database's to enforce.
    """
    for item in objects:
        instance = item.object
        relations = [f.name for f in instance._meta.get_fields() if f.is_relation and f.concrete]
        try:
            instance.full_clean(exclude=relations, validate_unique=False)
        except ValidationError as error:
            field_name, messages = next(iter(error.message_dict.items()))
            where = "" if field_name == NON_FIELD_ERRORS else f", field {field_name}"
            raise BackupError(
                f"In {CONTENT}, {instance._meta.verbose_name} {instance.pk}{where} is not valid: "
                f"{' '.join(messages)} Nothing was imported: the archive was edited, or exported by an "
                "incompatible runcms version."
            ) from error


def _check_media_files(rows, extracted, entries):
    """The media files the rows name: each present, named as an upload names it, a real media
    file as an upload is checked, and what its row says it is."""
    label = CueMedia._meta.label_lower
    files = {}
    for row in rows:
        if row["model"] != label:
            continue
        fields = row["fields"]
        _check_poster_rule(row["pk"], fields)
        for field_name, verify, pattern in (("file", verify_upload, _MEDIA_NAME), ("poster", verify_poster,
                                                                                   _POSTER_NAME)):
            name = fields.get(field_name)
            if not name:
                continue
            named = pattern.match(name) if isinstance(name, str) else None
            if named is None:
                raise BackupError(f"Media {row['pk']} has the file name {name!r}, which is not allowed. "
                                  "Nothing was imported.")
            member = FILES + name
            if member not in extracted:
                raise BackupError(
                    f"Media {row['pk']} uses {name}, which is not in the archive: the archive is incomplete. "
                    "Nothing was imported."
                )
            with open(extracted[member], "rb") as stored:
                try:
                    found = verify(stored)
                except ValidationError as error:
                    reason = " ".join(error.messages)
                    raise BackupError(
                        f"{member} in the archive was refused as media: {reason} Nothing was imported."
                    ) from error
            if named[1] != found.extension:
                raise BackupError(
                    f"Media {row['pk']} has the file name {name!r}, which is not allowed: the file is "
                    f"{found.mime_type}, so its name would end in .{found.extension}. Nothing was imported."
                )
            if field_name == "file":
                _check_media_facts(row["pk"], fields, found)
            files[name] = (extracted[member], entries[member]["sha256"])
    return files


def _check_poster_rule(pk, fields):
    if fields.get("kind") == "video" and not fields.get("poster"):
        problem = "is a video without a poster"
    elif fields.get("kind") != "video" and fields.get("poster"):
        problem = f"is {fields.get('kind')!r} media with a poster, which only a video has"
    else:
        return
    raise BackupError(f"In {CONTENT}, media {pk} {problem}. Nothing was imported.")


def _check_media_facts(pk, fields, found):
    """What the row says about its file must be what the bytes are: the site serves and renders by it."""
    facts = {
        "kind": found.kind,
        "mime_type": found.mime_type,
        "width": found.width,
        "height": found.height,
        "duration_seconds": found.duration_seconds,
        "frame_count": found.frame_count,
        "size_bytes": found.size_bytes,
        "sha256": found.sha256,
    }
    for name, actual in facts.items():
        recorded = fields.get(name)
        if name == "duration_seconds" and isinstance(recorded, int | float) and actual is not None:
            same = math.isclose(recorded, actual, abs_tol=_DURATION_TOLERANCE)
        else:
            same = recorded == actual
        if not same:
            raise BackupError(
                f"In {CONTENT}, media {pk} says its {name} is {recorded!r}, but its file's is {actual!r}. "
                "Nothing was imported: the archive was edited."
            )


def _site_has_content():
    return any(model._default_manager.exists() for model in CONTENT_MODELS)


def _not_empty_message():
    counts = ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model in CONTENT_MODELS
        if (count := model._default_manager.count())
    )
    return (
        f"This site already has content ({counts}) that differs from the archive, and an import only "
        "restores into an empty site. Nothing was changed. Restore into a new, empty database: point "
        "DATABASE_URL at it (and MEDIA_ROOT or the bucket at empty media storage), run `manage.py migrate`, "
        "then import again."
    )


def _current_rows():
    content, _ = _serialize_content(CONTENT_MODELS)
    return _comparable(content["objects"])


def _content_rows(rows):
    journal = {model._meta.label_lower for model in JOURNAL_MODELS}
    return [row for row in rows if row["model"] not in journal]


def _comparable(rows):
    """Rows as JSON data keyed by (model, pk), with many-to-many lists in a fixed order."""
    rows = json.loads(_encode(rows))
    many = {
        label: {f.name for f in model._meta.many_to_many} for label, model in _BY_LABEL.items()
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
        journal = [item for item in checked.objects if type(item.object) in JOURNAL_MODELS]
        content = [item for item in checked.objects if type(item.object) not in JOURNAL_MODELS]
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
        _reset_sequences(CONTENT_MODELS)
        made = _remake_renditions(checked, written, progress)
        _record_revisions(content)
        # Saving the rows logged them again; the restored journal already tells their story,
        # and a journal that ends where the backup's ended lets newer tokens be told apart.
        ChangeLog.objects.filter(id__gt=journal_end).delete()
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
        media = [m for m in CueMedia.objects.prefetch_related("renditions") if renditions_missing(m)]
        bar = progress(total=len(media), desc="Making renditions", unit="media")
        try:
            made = 0
            for item in media:
                made += _put_back_renditions(item, written)
                bar.update(1)
        finally:
            bar.close()
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
    _reset_sequences(JOURNAL_MODELS)


def _reset_sequences(models):
    # Rows came with their integer ids, so the database's counters must move past them.
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _remake_renditions(checked, written, progress):
    """Make the renditions again, under their old names (and URLs) where the bytes come out the same."""
    archived = {(r["media"], r["name"], r["format"]): r for r in checked.renditions}
    media = list(CueMedia.objects.all())
    made = 0
    bar = progress(total=len(media), desc="Making renditions", unit="media")
    try:
        for item in media:
            rows = []
            for rendition in _build_renditions(item):
                old = archived.get((str(item.pk), rendition.name, rendition.format))
                same = old is not None and old["sha256"] == rendition.sha256
                rows.append(_store_rendition(Rendition(media=item), rendition, old["file"] if same else None, written))
            Rendition.objects.bulk_create(rows)
            made += len(rows)
            bar.update(1)
    finally:
        bar.close()
    return made


def _put_back_renditions(media, written):
    """Write the rendition files of `media` that storage lost, under the names its rows record.

    Only the lost files are written and only their rows can change (when the bytes made
    now differ from the recorded ones, the file gets a new name); every other rendition
    keeps its file and URL. The placeholder and dominant colour stay as they are.
    """
    rows = list(media.renditions.all())
    lost = [row for row in rows if not default_storage.exists(row.file.name)] if rows else None
    made = {(rendition.name, rendition.format): rendition for rendition in _build_renditions(media)}
    if lost is None:  # none were ever recorded
        fresh = [_store_rendition(Rendition(media=media), rendition, None, written) for rendition in made.values()]
        Rendition.objects.bulk_create(fresh)
        return len(fresh)
    for row in lost:
        rendition = made.get((row.name, row.format))
        if rendition is None:
            raise BackupError(
                f"The {row.name} {row.format} rendition of media {media.pk} is missing from media storage, and "
                "this runcms no longer makes that rendition. Nothing was changed. Run `manage.py "
                "rebuild_renditions --missing-only` to make that media's renditions afresh."
            )
        same = rendition.sha256 == row.sha256
        _store_rendition(row, rendition, row.file.name if same else None, written)
        if not same:
            row.save(update_fields=["file", "width", "height", "bytes", "sha256"])
    return len(lost)


def _build_renditions(media):
    source = rendition_source(media)
    if source is None:
        return []
    try:
        with source.open("rb") as image_file:
            return build_renditions(image_file, focal_point=(media.focal_x, media.focal_y)).files
    except Exception as error:  # Pillow raises many kinds; any of them means the same here
        raise BackupError(
            f"The renditions of media {media.pk} could not be made from {source.name} "
            f"({type(error).__name__}: {error}). Nothing was imported or changed: the archive was edited, or "
            "this runcms cannot render that file."
        ) from error


def _store_rendition(row, rendition, name, written):
    """Store `rendition`'s bytes as `row`'s file: under `name` if given and free, else under a new random name."""
    content = ContentFile(rendition.content)
    if name and _RENDITION_NAME.match(name) and not default_storage.exists(name):
        stored = default_storage.save(name, content)
        written.append(stored)
        if stored != name:
            raise BackupError(
                f"Media storage stored {name} as {stored}, so its address would change. Nothing was changed."
            )
        row.file.name = stored
    else:
        row.file.save(f"{rendition.name}.{rendition.extension}", content, save=False)
        written.append(row.file.name)
    row.name, row.format = rendition.name, rendition.format
    row.width, row.height = rendition.width, rendition.height
    row.bytes, row.sha256 = len(rendition.content), rendition.sha256
    return row


def _record_revisions(objects):
    """A first revision of each restored item, so its history starts with the restored state."""
    comment = "Restored from a backup (manage.py import_content)."
    for item in objects:
        instance = item.object
        if isinstance(instance, Publishable) and reversion.is_registered(type(instance)):
            with reversion.create_revision():
                reversion.set_comment(comment)
                reversion.add_to_revision(instance)

