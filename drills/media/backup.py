"""Cue media in a backup: the names its files may have, checking them, and its renditions.

Registered with the backup in `DrillsConfig.ready()` as the media model's stored files
(`runcms.backup.StoredFiles`). The original files and posters travel in the archive;
renditions are made again on import, under their old names where the bytes are the same.
"""

import math
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from drills.media.renditions import build_renditions
from drills.media.storage import rendition_source, renditions_missing
from drills.media.verify import verify_poster, verify_upload
from drills.models import CueMedia, Rendition
from runcms.backup.archive import CONTENT, FILES, BackupError

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


def file_names(fields):
    """The storage names a media row uses: its file, and a video's poster."""
    return [name for name in (fields.get("file"), fields.get("poster")) if isinstance(name, str) and name]


def allowed_name(name):
    return bool(_MEDIA_NAME.match(name) or _POSTER_NAME.match(name))


def archived_renditions():
    """The renditions' names and hashes, so renditions made again keep their URLs when the bytes match."""
    return [
        {"media": str(media), "name": name, "format": format, "file": file, "sha256": sha256}
        for media, name, format, file, sha256 in Rendition.objects.order_by("media", "name", "format").values_list(
            "media", "name", "format", "file", "sha256"
        )
    ]


def check_media_files(rows, extracted, entries):
    """The media files the rows name: each present, named as an upload names it, a real media
    file as an upload is checked, and what its row says it is."""
    files = {}
    for row in rows:
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


def check_archived_renditions(renditions):
    """Each archived rendition names its media, format, hash and a file named as `Rendition.file` names it."""
    for rendition in renditions:
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


def remake_renditions(renditions, written, progress):
    """Make the renditions again, under their old names (and URLs) where the bytes come out the same."""
    archived = {(r["media"], r["name"], r["format"]): r for r in renditions}
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


def put_back_renditions(written, progress):
    """Write the rendition files that storage lost, for every media item missing some."""
    media = [m for m in CueMedia.objects.prefetch_related("renditions") if renditions_missing(m)]
    bar = progress(total=len(media), desc="Making renditions", unit="media")
    try:
        made = 0
        for item in media:
            made += _put_back_renditions(item, written)
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
