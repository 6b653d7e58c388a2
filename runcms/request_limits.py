"""How large a request may be, and the page that says so when one is larger.

Django refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE of form text (files aside) with
RequestDataTooBig, and streams files to disk without any limit of its own. The upload
handler below refuses, before reading a byte of it, a multipart body larger than
RUNCMS_REQUEST_MAX_BYTES (room for a media file and its poster at their own limit, plus
the form). Either refusal used to reach the editor as a bare "Bad Request (400)";
`bad_request` (the site's handler400) answers it with what was sent, what the limit is
and what to do, as 413 Payload Too Large.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.template.response import TemplateResponse
from django.views import defaults

_TOO_BIG = "Request body exceeded RUNCMS_REQUEST_MAX_BYTES."


class RequestSizeLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: refuses a body over the limit by its declared length."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.RUNCMS_REQUEST_MAX_BYTES:
            raise RequestDataTooBig(_TOO_BIG)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def human_size(n):
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n:,} bytes"


def refusal(request, exception):
    """The sentence that explains `exception` (a request refused for its size or its number of
    fields or files), or None for any other bad request."""
    try:
        sent = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        sent = 0
    if isinstance(exception, RequestDataTooBig) and str(exception) == _TOO_BIG:
        return (
            f"What you sent ({human_size(sent)}) is larger than the {human_size(settings.RUNCMS_REQUEST_MAX_BYTES)} "
            f"a form may send, so none of it was saved. A media file may be at most "
            f"{human_size(settings.RUNCMS_MEDIA_MAX_BYTES)}: go back, choose a smaller file (compress the photo "
            "or export a shorter clip) and save again."
        )
    if isinstance(exception, RequestDataTooBig):
        return (
            f"The text of the form is more than {human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}, the limit, "
            "so none of it was saved. Go back, shorten the longest text (or split it into two items) and save again."
        )
    if isinstance(exception, TooManyFieldsSent):
        return (
            f"The form has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields, the limit, so none of it "
            "was saved. Go back, save with fewer rows (steps, cues, program items) and add the rest afterwards."
        )
    if isinstance(exception, TooManyFilesSent):
        return (
            f"The form sends more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} files, the limit, so none of it "
            "was saved. Go back and upload fewer files at a time."
        )
    return None


def bad_request(request, exception):
    message = refusal(request, exception)
    if message is None:
        return defaults.bad_request(request, exception)
    status = 413 if isinstance(exception, RequestDataTooBig) else 400
    return TemplateResponse(
        request, "runcms/request_refused.html", {"message": message, "back": request.path}, status=status
    ).render()
