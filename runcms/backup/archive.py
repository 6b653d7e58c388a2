"""The archive format: its members, the signed manifest, the names it may hold, the models it carries.

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

Also the two things export, checks and restore all use: BackupError, and a progress
bar that shows nothing.
"""

import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from runcms.backup.registry import models_by_label

FORMAT = "runcms-backup"
VERSION = 1
MANIFEST = "manifest.json"
CONTENT = "content.json"
FILES = "files/"
# The ZIP comment signs the manifest with the site's SECRET_KEY; older runcms wrote a plain hash.
_SIGNATURE = b"runcms-backup manifest hmac-sha256="
_COMMENT = re.compile(rb"^runcms-backup manifest hmac-sha256=([0-9a-f]{64})$")
_UNSIGNED_COMMENT = re.compile(rb"^runcms-backup manifest sha256=[0-9a-f]{64}$")
# Named when backup lived in articles; kept, so archives signed before the move still import.
_SIGNING_SALT = "articles.backup.manifest"
# How much of a file is read or written at a time.
_CHUNK = 1024 * 1024

class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why and what to do."""


class _NoProgress:
    def __init__(self, *args, **kwargs):
        pass

    def update(self, n=1):
        pass

    def close(self):
        pass


def describe_counts(counts):
    """{model label: count} in words, e.g. "5 drills, 1 program", leaving out the zeros."""
    parts = []
    for label, count in counts.items():
        model = models_by_label().get(label)
        if model is not None and count:
            parts.append(f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}")
    return ", ".join(parts) or "no content"


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


def _json_default(value):
    if isinstance(value, datetime | date | time):
        # Full precision: DjangoJSONEncoder would cut microseconds, and timestamps must round-trip.
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _encode(data):
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=1, sort_keys=True).encode()
