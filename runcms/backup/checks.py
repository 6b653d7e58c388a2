"""Reading an archive and checking all of it, before anything is written to the site.

An import reads only archives signed with this site's SECRET_KEY (or one of
SECRET_KEY_FALLBACKS): a restored site needs the exporting site's key anyway, since it
signs the apps' sync tokens.
"""

import hashlib
import json
import math
import shutil
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from runcms.backup.archive import (
    _CHUNK,
    CONTENT,
    FILES,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    _check_signature,
    _NoProgress,
)
from runcms.backup.registry import models_by_label, stored_files

# What an archive may hold, checked against the ZIP's own directory before anything is inflated:
# content.json and the manifest up to these sizes, and each media file up to RUNCMS_MEDIA_MAX_BYTES.
CONTENT_MAX_BYTES = 256 * 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
# Room left over when checking free disk space, for renditions and whatever else the disk holds.
_SPARE_BYTES = 64 * 1024 * 1024


@dataclass
class _Checked:
    """An archive that passed every check, with its files extracted to a temporary folder."""

    objects: list  # Django DeserializedObject, unsaved
    rows: list  # the same rows as plain data, for comparing with the database
    renditions: list
    files: dict  # storage name -> (path of the extracted copy, sha256)
    counts: dict
    unknown_editors: set


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
        content_copy = extract_member(archive, entries[CONTENT], scratch, _NoProgress())
        content = _parse_json(content_copy.read_bytes(), CONTENT)
        rows, renditions = _check_content_shape(content)
        media_entries = _used_media_members(rows, entries)
        size = sum(entry["bytes"] for entry in media_entries)
        _check_free_space(scratch, size, "to check the archive's media files", "TMPDIR")
        bar = progress(total=size, desc="Checking archive", unit="B", unit_scale=True)
        try:
            extracted = {entry["path"]: extract_member(archive, entry, scratch, bar) for entry in media_entries}
        finally:
            bar.close()
    unknown_editors = _map_editors(rows)
    objects = _deserialize(rows)
    _check_references(rows)
    _validate(objects)
    files = {}
    for label, stored in stored_files():
        files.update(stored.check([row for row in rows if row["model"] == label], extracted, entries))
    counts = dict.fromkeys(models_by_label(), 0)
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
        if name != CONTENT and not _is_file_member(name):
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


def _is_file_member(name):
    """A member under FILES named as a registered model names its stored files."""
    return name.startswith(FILES) and any(files.allowed(name[len(FILES):]) for _, files in stored_files())


def _used_media_members(rows, entries):
    """The manifest entries of the files the media rows name; a member that no row uses is refused."""
    used = {
        FILES + name
        for label, files in stored_files()
        for row in rows if row["model"] == label
        for name in files.names(row["fields"])
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


def extract_member(archive, entry, scratch, bar):
    """Copy one member to the scratch folder, checking its size and hash on the way.

    Every member an import inflates goes through here: part of the interface, so a test can
    watch that a refused archive is refused before its members are inflated.
    """
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
            elif row.get("model") not in models_by_label():
                problem = f"it holds objects of type {row.get('model')!r}, which this runcms does not back up"
            if problem:
                break
    if problem:
        raise BackupError(f"{CONTENT} in the archive is not runcms content: {problem}. Nothing was imported.")
    for _, files in stored_files():
        files.check_derived(content.get("renditions", []))
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
    by_label = models_by_label()
    for row in rows:
        model = by_label[row["model"]]
        for model_field in model._meta.get_fields():
            if not (model_field.concrete and model_field.is_relation) or model_field.name not in row["fields"]:
                continue
            target = model_field.related_model._meta.label_lower
            if target not in by_label:
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
