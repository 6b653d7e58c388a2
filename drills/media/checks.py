"""System checks for the cue-media settings: a wrong value is reported by `manage.py check`
(and at every start) instead of surfacing as refused uploads or stuck rendition builds."""

import os

from django.conf import settings
from django.core import checks

POSITIVE_LIMITS = (
    "RUNCMS_MEDIA_MAX_BYTES",
    "RUNCMS_MEDIA_MAX_PIXELS",
    "RUNCMS_MEDIA_MAX_FRAMES",
    "RUNCMS_KEPT_UPLOAD_MAX_AGE",
)


@checks.register(checks.Tags.compatibility)
def check_media_limits(app_configs=None, **kwargs):
    """Each limit is a whole number above zero: at zero every upload would be refused."""
    errors = []
    for name in POSITIVE_LIMITS:
        value = getattr(settings, name, None)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
            errors.append(
                checks.Error(
                    f"{name} is {value!r}; it must be a whole number above 0.",
                    hint=f"Set {name} in the environment, or leave it out for the default.",
                    id="cuemedia.E001",
                )
            )
    return errors


@checks.register(checks.Tags.compatibility)
def check_request_limit(app_configs=None, **kwargs):
    """A video and its poster, each at RUNCMS_MEDIA_MAX_BYTES, must fit in one request."""
    media_max = getattr(settings, "RUNCMS_MEDIA_MAX_BYTES", None)
    request_max = getattr(settings, "RUNCMS_REQUEST_MAX_BYTES", None)
    if not isinstance(media_max, int) or not isinstance(request_max, int) or request_max >= 2 * media_max:
        return []
    return [
        checks.Warning(
            f"RUNCMS_REQUEST_MAX_BYTES ({request_max}) is less than twice RUNCMS_MEDIA_MAX_BYTES "
            f"({media_max}): a video and its poster at the upload limit would be refused.",
            hint="Raise RUNCMS_REQUEST_MAX_BYTES, or leave it out for the default.",
            id="cuemedia.W001",
        )
    ]


@checks.register(checks.Tags.compatibility)
def check_rendition_lock_dir(app_configs=None, **kwargs):
    """The rendition slot files need a folder every worker can write to."""
    folder = getattr(settings, "RUNCMS_RENDITION_LOCK_DIR", "")
    if not folder or getattr(settings, "RUNCMS_RENDITION_JOBS", 2) <= 0:
        return []
    if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
        return []
    return [
        checks.Error(
            f"RUNCMS_RENDITION_LOCK_DIR ({folder}) is not a folder this process can write to.",
            hint="Create it, or leave RUNCMS_RENDITION_LOCK_DIR empty for the system's temporary folder.",
            id="cuemedia.E002",
        )
    ]
