"""An uploaded file kept while its form is shown again, so the editor need not choose it twice.

When the media form is refused for another reason (missing alt text, say), the file that
passed verification is stored under a temporary random name and the form carries a signed
reference to it (django.core.signing) in a hidden field. Submitted again without a new file,
the form takes the kept file back, and it is verified again like any upload. Nothing a
browser sends can name another stored file: only a reference signed here opens one.

Kept files live under `kept-uploads/`, which is never served. One is deleted once the form
that kept it saves, when it is replaced, and by age: every keep removes those older than
RUNCMS_KEPT_UPLOAD_MAX_AGE, and so does `manage.py clean_kept_uploads`.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

logger = logging.getLogger(__name__)

FOLDER = "kept-uploads"
_SALT = "drills.kept-upload"
DEFAULT_MAX_AGE = 6 * 3600


def max_age():
    return getattr(settings, "RUNCMS_KEPT_UPLOAD_MAX_AGE", DEFAULT_MAX_AGE)


class KeptUpload(File):
    """A kept file, read back from storage; `name` is the name the editor's file had."""

    def __init__(self, token, stored_name, original_name, mime_type):
        self.token = token
        self.stored_name = stored_name
        self.mime_type = mime_type
        super().__init__(None, name=original_name)

    @property
    def file(self):
        # Opened on first use only: rendering the form again needs the name, not the bytes.
        if self._file is None:
            self._file = default_storage.open(self.stored_name, "rb")
        return self._file

    @file.setter
    def file(self, value):
        self._file = value

    @property
    def size(self):
        return default_storage.size(self.stored_name)

    def close(self):
        if self._file is not None:
            self._file.close()


def keep(upload, mime_type):
    """Store `upload` (already verified) under a temporary name; return it as a KeptUpload."""
    remove_expired()
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else "bin"
    extension = extension if extension.isalnum() and len(extension) <= 5 else "bin"
    upload.seek(0)
    stored_name = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}.{extension}", upload)
    upload.seek(0)
    original_name = (upload.name or "upload").rsplit("/", 1)[-1][:200]
    token = signing.dumps({"n": stored_name, "o": original_name, "t": mime_type}, salt=_SALT, compress=True)
    return KeptUpload(token, stored_name, original_name, mime_type)


def open_kept(token):
    """The KeptUpload a signed reference names, or None if it is forged, too old or gone."""
    if not token:
        return None
    try:
        found = signing.loads(token, salt=_SALT, max_age=max_age())
        stored_name, original_name, mime_type = found["n"], found["o"], found["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not stored_name.startswith(f"{FOLDER}/") or not default_storage.exists(stored_name):
        return None
    return KeptUpload(token, stored_name, original_name, mime_type)


def discard(kept):
    kept.close()
    try:
        default_storage.delete(kept.stored_name)
    except Exception:
        logger.exception("Could not delete kept upload %s", kept.stored_name)


def remove_expired(now=None):
    """Delete kept files older than the maximum age; return how many were deleted."""
    now = now or timezone.now()
    try:
        _, names = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    removed = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if now - default_storage.get_modified_time(path) > timedelta(seconds=max_age()):
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed
