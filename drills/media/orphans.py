"""Stored media files that no row points at (orphans), found for `sweep_media_orphans`.

Uploads and deletes leave none (see drills.media.storage), but a process killed between
storing a file and committing its row, or a restore from an older database, can. A file that a
saved version of media names is no orphan: restoring that version brings it back.
"""

from django.core.files.storage import default_storage

from drills.media.versioned_files import names_in_versions
from drills.models import CueMedia, Rendition, media_upload_to, poster_upload_to, rendition_upload_to

# The folders media files are stored in; kept uploads have their own cleaner (kept_uploads).
MEDIA_FOLDERS = (media_upload_to.prefix, poster_upload_to.prefix, rendition_upload_to.prefix)


def referenced_names():
    """Every stored name a media row, a rendition or a saved version of media points at."""
    names = set(Rendition.objects.values_list("file", flat=True)) | names_in_versions()
    for file, poster in CueMedia.objects.values_list("file", "poster"):
        names.update((file, poster))
    names.discard("")
    return names


def stored_names():
    """Every file in the media folders of storage, local or bucket."""
    for folder in MEDIA_FOLDERS:
        yield from _walk(folder)


def _walk(folder):
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for child in folders:
        yield from _walk(f"{folder}/{child}")


def orphaned_files(*, older_than, now):
    """Stored media files that no row points at and that were written before `now - older_than`.

    The age spares the files of an upload in progress, which are stored before their row
    is committed (an upload that fails deletes its own files, see discard_files_on_error()).
    """
    referenced = referenced_names()
    for name in stored_names():
        if name in referenced:
            continue
        try:
            if now - default_storage.get_modified_time(name) < older_than:
                continue
        except FileNotFoundError:
            continue  # deleted meanwhile
        yield name
