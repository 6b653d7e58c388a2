"""Cue-media work that spans the media row, its files in storage and its renditions.

Files are written, read and deleted through Django's storage API only, so S3-compatible
storage works exactly as local files do. Two promises hold whatever fails (rule 4):

- A refused upload writes nothing: every check runs before the first byte is stored.
- No orphans and no lost files: a file that is no longer used is deleted only once the
  transaction that stopped using it commits (a rollback keeps the live file), and the
  files written by work that fails are deleted again. A file that a saved version of the
  media names stays, so that restoring the version brings it back (drills.media.versioned_files).
"""

import contextvars
import logging
import math
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from drills.media.metadata import strip_metadata
from drills.media.rendition_slots import rendition_slot
from drills.media.renditions import build_renditions
from drills.media.verify import VerifiedMedia, verify_poster, verify_upload
from drills.media.versioned_files import named_in_versions
from drills.models import CueMedia, MediaKind, Rendition
from runcms import jobs

logger = logging.getLogger(__name__)

# Kinds that can replace one another on an existing media item: a still can become an
# animation, but a cue's audio cannot become a picture behind the drills that use it.
_FAMILIES = {
    MediaKind.IMAGE: "picture",
    MediaKind.ANIMATION: "picture",
    MediaKind.VIDEO: "video",
    MediaKind.AUDIO: "audio",
}
_FAMILY_ADVICE = {
    "picture": "an image or animation",
    "video": "another video",
    "audio": "another audio file",
}

# Names written to storage by the work in progress; see `discard_files_on_error()`.
_written = contextvars.ContextVar("runcms_media_files_written", default=None)


@dataclass(frozen=True)
class MediaCheck:
    """What the checks found, so that saving does not verify the same bytes again."""

    file: VerifiedMedia | None
    poster: VerifiedMedia | None
    drop_poster: bool
    # What is stored: the upload without its private metadata (None: the upload as it is).
    clean_file: File | None = None
    clean_poster: File | None = None


# --- Checks: nothing is written ---------------------------------------------------------------


def check_media(media, *, file=None, poster=None):
    """Verify a new file and poster and what they require; raise a ValidationError by field.

    `poster=False` removes the current poster (the admin's "clear" box). On success the
    facts read from the bytes (kind, pixel size, duration, hash...) are set on `media`,
    unsaved. Nothing is stored.
    """
    errors = {}
    found_file = found_poster = clean_file = clean_poster = None
    if file is not None:
        try:
            found_file, clean_file = _verified_without_metadata(file, verify_upload)
        except ValidationError as error:
            errors["file"] = error
    elif not media.file:
        errors["file"] = ValidationError("Choose a photo, animation, video or audio file to upload.", code="required")
    if poster:
        try:
            found_poster, clean_poster = _verified_without_metadata(poster, verify_poster)
        except ValidationError as error:
            errors["poster"] = error
    if errors:
        raise ValidationError(errors)

    kind = found_file.kind if found_file else media.kind
    if found_file and not media._state.adding and _FAMILIES[media.kind] != _FAMILIES[kind]:
        errors["file"] = ValidationError(
            f"This media item is {_article(media.get_kind_display().lower())} and is used as one; "
            f"the new file is {_article(kind)}. Upload {_FAMILY_ADVICE[_FAMILIES[media.kind]]} here, "
            f"or add the {kind} as a new media item.",
            code="kind_changed",
        )
    keeps_poster = bool(media.poster) and poster is not False
    if kind == MediaKind.VIDEO and not (found_poster or keeps_poster):
        errors["poster"] = ValidationError(
            "A video needs a poster: the still image shown before it plays and in lists. "
            "Export one frame of the video as a JPEG and upload it here.",
            code="poster_required",
        )
    if kind != MediaKind.VIDEO and found_poster:
        errors["poster"] = ValidationError(
            f"Only a video has a poster, and this file is {_article(kind)}. Remove the poster.",
            code="poster_not_allowed",
        )
    if errors:
        raise ValidationError(errors)

    if found_file:
        media.kind = found_file.kind
        media.mime_type = found_file.mime_type
        media.width, media.height = found_file.width, found_file.height
        media.duration_seconds = found_file.duration_seconds
        media.frame_count = found_file.frame_count
        media.size_bytes = found_file.size_bytes
        media.sha256 = found_file.sha256
    return MediaCheck(
        found_file, found_poster, drop_poster=kind != MediaKind.VIDEO and bool(media.poster),
        clean_file=clean_file, clean_poster=clean_poster,
    )


def _verified_without_metadata(file, verify):
    """(what the bytes to store are, those bytes or None for `file` as it is): `file` verified,
    then without its private metadata (rule 6), verified again as it will be served."""
    found = verify(file)
    try:
        clean = strip_metadata(file, found.extension)
    except Exception as error:
        # Verified bytes that cannot be rewritten are rare (an odd but playable container);
        # serving them as they are could publish where and by whom they were made.
        raise ValidationError(
            "The file's hidden details (such as location, camera and owner) could not be removed, "
            "so it cannot be published. Export it again from a photo, video or audio app and re-upload.",
            code="metadata",
        ) from error
    return (found, None) if clean is None else (verify(clean), clean)


def _article(noun):
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _check_focal_point(focal_point):
    try:
        x, y = (float(value) for value in focal_point)
    except (TypeError, ValueError):
        x = y = math.nan
    if not all(math.isfinite(v) and 0 <= v <= 1 for v in (x, y)):
        raise ValidationError(
            {"focal_x": ValidationError("The focal point is two numbers from 0 to 1, e.g. (0.5, 0.5) for the centre.")}
        )
    return x, y


# --- Saving ---------------------------------------------------------------------------------


def create_media(
    file, *, poster=None, alt_text="", caption="", credit="", licence="", title="", focal_point=(0.5, 0.5)
):
    """Verify and store a new media item, all or nothing, and ask for its renditions (a job);
    a refusal raises ValidationError."""
    focal_x, focal_y = _check_focal_point(focal_point)
    media = CueMedia(
        alt_text=alt_text, caption=caption, credit=credit, licence=licence, title=title,
        focal_x=focal_x, focal_y=focal_y,
    )
    return save_media(media, file=file, poster=poster)


def replace_media_file(media, file, *, poster=None):
    """Put a new file (and poster) behind an existing media item; the old files go once this commits."""
    return save_media(media, file=file, poster=poster)


def save_media(media, *, file=None, poster=None, check=None, remake=False):
    """Save `media` with an optional new file and poster, remaking renditions (a job: see
    `drills.media.tasks`) when their source or the focal point changed, or with `remake` (a restored
    version's files). `check` is the result of `check_media()` for these same files, when the caller
    (a form) has already run it; otherwise the checks run here first."""
    if check is None:
        check = check_media(media, file=file, poster=poster)
        media.full_clean(exclude=["file", "poster"])
    with discard_files_on_error(), transaction.atomic():
        before = _stored_state(media)
        if check.file:
            _store(media.file, f"upload.{check.file.extension}", check.clean_file or _as_file(file))
        if check.poster:
            _store(media.poster, f"poster.{check.poster.extension}", check.clean_poster or _as_file(poster))
        elif check.drop_poster or poster is False:
            media.poster = ""
        remake = (
            remake or before is None or check.file or check.poster or before["poster"] != media.poster.name
            or (before["focal_x"], before["focal_y"]) != (media.focal_x, media.focal_y)
        )
        if remake and before is None and rendition_source(media):
            # A new picture has nothing to show until its renditions exist; a replaced one keeps
            # showing its old renditions until the job puts the new ones in their place.
            media.renditions_pending = True
        media.save()
        if remake:
            jobs.enqueue("drills.media.tasks.make_renditions", str(media.pk))
        if before is not None:
            unused = {before["file"], before["poster"]} - {media.file.name, media.poster.name}
            _delete_on_commit(unused)
    return media


def remake_published_focal_point(sender, instance, before, **kwargs):
    """A published draft change (runcms.drafts.draft_published) that moved the focal point: the
    renditions are made again, as `save_media` does; a draft alone leaves the live ones alone."""
    if before is not None and (before.focal_x, before.focal_y) != (instance.focal_x, instance.focal_y):
        jobs.enqueue("drills.media.tasks.make_renditions", str(instance.pk))


def _stored_state(media):
    if media._state.adding:
        return None
    # Locked, so two editors replacing the same file cannot both keep the old name as "theirs".
    return (
        CueMedia.objects.select_for_update()
        .filter(pk=media.pk)
        .values("file", "poster", "focal_x", "focal_y")
        .first()
    )


def _as_file(file):
    return file if isinstance(file, File) else File(file, name=getattr(file, "name", None) or "upload")


# --- Renditions -----------------------------------------------------------------------------


def rendition_source(media):
    """The stored image renditions are made from: the picture itself, or a video's poster."""
    if media.kind in (MediaKind.IMAGE, MediaKind.ANIMATION):
        return media.file or None
    if media.kind == MediaKind.VIDEO:
        return media.poster or None
    return None


def make_renditions(media):
    """Rebuild every rendition of `media` from its image (a video's poster); audio has none.

    Safe to run again at any time: the new files replace the old ones, which are deleted
    once this commits.
    """
    if media.kind == MediaKind.AUDIO:
        return []
    source = rendition_source(media)
    made_from = (media.file.name or "", media.poster.name or "", media.focal_x, media.focal_y)
    built = None
    if source:
        # Pillow works before the transaction opens, so (called on its own, as by the
        # rebuild command) no row stays locked while it runs.
        try:
            with rendition_slot(), source.open("rb") as image_file:
                built = build_renditions(image_file, focal_point=(media.focal_x, media.focal_y))
        except FileNotFoundError:
            if _still_stored_as(media, made_from):
                raise
            return list(Rendition.objects.filter(media_id=media.pk))
    with discard_files_on_error(), transaction.atomic():
        if not _still_stored_as(media, made_from, lock=True):
            # Deleted, or saved with another file or focal point meanwhile; that save made
            # its own renditions, which these must not replace.
            return list(Rendition.objects.filter(media_id=media.pk))
        old = Rendition.objects.filter(media=media)
        _delete_on_commit(list(old.values_list("file", flat=True)), even_if_versioned=True)  # never versioned
        old.delete()
        renditions = []
        for made in built.files if built else ():
            rendition = Rendition(
                media=media, name=made.name, format=made.format, width=made.width, height=made.height,
                bytes=len(made.content), sha256=made.sha256,
            )
            _store(rendition.file, f"{made.name}.{made.extension}", ContentFile(made.content))
            renditions.append(rendition)
        Rendition.objects.bulk_create(renditions)
        media.placeholder = built.placeholder if built else ""
        media.dominant_color = built.dominant_color if built else ""
        media.renditions_pending = False
        # Only the derived columns (an editor's concurrent change to the text stays theirs),
        # through save() so that whatever follows media changes (the sync log) sees this one.
        media.save(update_fields=["placeholder", "dominant_color", "renditions_pending", "updated_at"])
    getattr(media, "_prefetched_objects_cache", {}).pop("renditions", None)
    return renditions


def _still_stored_as(media, made_from, *, lock=False):
    rows = CueMedia.objects.select_for_update() if lock else CueMedia.objects
    return rows.filter(pk=media.pk).values_list("file", "poster", "focal_x", "focal_y").first() == made_from


def renditions_missing(media):
    """True when `media` should have renditions and some are missing, in the database or in storage."""
    if rendition_source(media) is None:
        return False
    names = [rendition.file.name for rendition in media.renditions.all()]
    return not names or not all(default_storage.exists(name) for name in names)


# --- Metadata in files stored before uploads were cleaned ----------------------------------


def strip_stored_metadata(media, *, dry_run=False):
    """Store `media`'s file and poster again without their private metadata, as an upload now
    is; return the names of the fields whose bytes changed (with `dry_run`, would change).

    The clean bytes get new names, since a stored name never stands for other bytes (caches
    keep originals for a day, apps key their copies on it); the size and hash follow, and the
    save is logged for sync. Renditions stay as they are: they never carried any metadata,
    and the pixels they are made from do not change.
    """
    stored = (media.file.name or "", media.poster.name or "")
    cleaned = {}
    for field, verify in (("file", verify_upload), ("poster", verify_poster)):
        field_file = getattr(media, field)
        if not field_file:
            continue
        with field_file.open("rb") as content:
            found, clean = _verified_without_metadata(content, verify)
        if clean is not None:
            cleaned[field] = (found, clean)
    if dry_run or not cleaned:
        return list(cleaned)
    with discard_files_on_error(), transaction.atomic():
        if CueMedia.objects.select_for_update().filter(pk=media.pk).values_list("file", "poster").first() != stored:
            return []  # replaced or deleted meanwhile: the new file went through the upload checks
        for field, (found, clean) in cleaned.items():
            _store(getattr(media, field), f"{field}.{found.extension}", clean)
        if "file" in cleaned:
            media.size_bytes, media.sha256 = cleaned["file"][0].size_bytes, cleaned["file"][0].sha256
        media.save(update_fields=["file", "poster", "size_bytes", "sha256", "updated_at"])
        # Also when a saved version names them: bytes with private metadata are never kept.
        _delete_on_commit(set(stored) - {media.file.name, media.poster.name}, even_if_versioned=True)
    return list(cleaned)


# --- Deleting -------------------------------------------------------------------------------


def delete_media_files(media):
    """Delete the media's file, poster and rendition files once the current transaction commits."""
    names = [media.file.name, media.poster.name, *Rendition.objects.filter(media=media).values_list("file", flat=True)]
    _delete_on_commit(names)


def delete_media(media):
    """Delete a media item and, once that commits, its files. Raises ProtectedError while a gallery uses it."""
    with transaction.atomic():
        delete_media_files(media)
        media.delete()


# --- Files in storage -----------------------------------------------------------------------


@contextmanager
def discard_files_on_error():
    """Delete again every file stored inside this block if the block raises.

    Wrap a transaction of your own around media work in it (the admin wraps its change
    form), so that a failure after the media work, which rolls it back, leaves no file
    behind either. A block that succeeds hands its files on to the block around it.
    """
    outer = _written.get()
    written = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        _delete_now(written)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)


class MediaStorageError(OSError):
    """Media storage (the bucket or MEDIA_ROOT) did not take a file; nothing was saved."""


STORAGE_FAILED = (
    "The file could not be stored: the media storage did not accept it (it may be down or full). "
    "Nothing was saved. Try again in a few minutes; if it keeps failing, tell whoever runs the site."
)


def _store(field_file, name, content):
    # The field's upload_to turns `name` into a random one; only its extension is kept.
    try:
        field_file.save(name, content, save=False)
    except Exception as error:
        # Any backend's failure (boto's connection and client errors, an OSError from a
        # full disk) means the same to an editor; the cause goes to the log.
        logger.exception("Media storage did not store %s", name)
        raise MediaStorageError(STORAGE_FAILED) from error
    written = _written.get()
    if written is not None:
        written.append(field_file.name)


def _delete_on_commit(names, *, even_if_versioned=False):
    names = [name for name in names if name]
    if names:
        delete = _delete_now if even_if_versioned else _delete_unless_versioned
        transaction.on_commit(partial(delete, names))


def _delete_unless_versioned(names):
    # Asked once committed: the revision saved with the change that let go of them is in by then.
    kept = named_in_versions(names)
    _delete_now([name for name in names if name not in kept])


def _delete_now(names):
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            # The database no longer points at the file: a leftover wastes space but serves nothing.
            logger.exception("Could not delete media file %s from storage", name)

