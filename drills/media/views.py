"""Serve stored media files, only those of public media (rule 1).

Local files are streamed from here. Files in a private bucket (drills.media.bucket) are not
public there: once the same checks pass, this answers with a redirect to a signed URL that
expires within minutes, so a draft's file is never readable by anyone the app did not let in.
"""

import re
from dataclasses import dataclass

from csp.constants import NONE
from csp.decorators import csp
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.views.decorators.http import require_safe

from drills.models import (
    MEDIA_USES,
    CueMedia,
    Rendition,
    media_upload_to,
    poster_upload_to,
    rendition_upload_to,
)
from runcms.preview import MEDIA_COOKIE, read_preview_token

# Stored names are random, so a name is never reused for other bytes and a copy can be kept
# for a year. Originals get a day, which bounds how long a shared cache keeps serving the
# original of media that is withdrawn (apps and pages use the renditions).
RENDITION_CACHING = "public, max-age=31536000, immutable"
ORIGINAL_CACHING = "public, max-age=86400"
# A draft's file shown to an editor in the admin must not land in any shared cache.
PREVIEW_CACHING = "private, no-store"

_RENDITION_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
# Poster names end with the extension that verification found in the bytes (see
# storage.save_media), never with one the uploader chose.
_POSTER_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_RANGE = re.compile(r"bytes=(\d{0,18})-(\d{0,18})")
_CHUNK = 256 * 1024
_UNSATISFIABLE = object()


@dataclass(frozen=True)
class StoredFile:
    name: str
    media_id: object
    content_type: str
    etag: str
    caching: str


# Checks at upload refuse hidden markup, but a browser that renders a file as a page anyway
# (opened on its own, an old browser ignoring nosniff) must find nothing it may run or load:
# a sandbox with no scripts, forms or plugins, and no source allowed for anything. On every
# answer, the 304 included: a browser updates the headers of its stored copy from a 304's.
@csp({"sandbox": [True], "default-src": [NONE], "frame-ancestors": [NONE]})
@require_safe
def serve_media(request, path):
    in_bucket = hasattr(default_storage, "signed_url")
    # No stored name holds a NUL, and PostgreSQL refuses to compare with one.
    servable = (in_bucket or isinstance(default_storage, FileSystemStorage)) and "\x00" not in path
    found = _find(path) if servable else None
    if found is None:
        return _not_found(request)
    public = CueMedia.objects.public().filter(pk=found.media_id).exists()
    if public:
        # A URL holding a preview token is the editor's alone, even for a public file.
        caching = PREVIEW_CACHING if "preview" in request.GET else found.caching
    elif _may_preview(request) or _previewed_draft_uses(request, found.media_id):
        caching = PREVIEW_CACHING
    else:
        return _not_found(request)
    if in_bucket:
        return _bucket_redirect(found, caching, public=public and caching != PREVIEW_CACHING)
    try:
        size = default_storage.size(found.name)
    except OSError:
        return _not_found(request)
    return _file_response(request, found, size, caching)


def _find(path):
    if path.startswith(f"{rendition_upload_to.prefix}/"):
        rendition = Rendition.objects.filter(file=path).values("media_id", "format", "sha256").first()
        if rendition and rendition["format"] in _RENDITION_TYPES:
            return StoredFile(
                path, rendition["media_id"], _RENDITION_TYPES[rendition["format"]],
                f'"{rendition["sha256"]}"', RENDITION_CACHING,
            )
    elif path.startswith(f"{media_upload_to.prefix}/"):
        media = CueMedia.objects.filter(file=path).exclude(mime_type="").values("pk", "mime_type", "sha256").first()
        if media:
            return StoredFile(path, media["pk"], media["mime_type"], f'"{media["sha256"]}"', ORIGINAL_CACHING)
    elif path.startswith(f"{poster_upload_to.prefix}/"):
        media_id = CueMedia.objects.filter(poster=path).values_list("pk", flat=True).first()
        extension = path.rsplit(".", 1)[-1]
        if media_id and extension in _POSTER_TYPES:
            # The random name identifies these bytes for good, so it serves as the tag.
            etag = f'"{path.rsplit("/", 1)[-1]}"'
            return StoredFile(path, media_id, _POSTER_TYPES[extension], etag, ORIGINAL_CACHING)
    return None


def _may_preview(request):
    user = request.user
    return user.is_active and user.is_staff and user.has_perm("drills.view_cuemedia")


def _previewed_draft_uses(request, media_id):
    """True when a preview link's token names an item that uses this media.

    Browsers hold the token in a cookie (set by the preview page); API clients, which
    keep no cookies, get media URLs ending in `?preview=<token>` in a preview response.
    """
    tokens = {request.GET.get("preview"), request.COOKIES.get(MEDIA_COOKIE)} - {None, ""}
    return any(_opens_a_user_of(read_preview_token(token), media_id) for token in tokens)


def _opens_a_user_of(opened, media_id):
    if opened is None:
        return False
    return any(
        CueMedia.objects.filter(pk=media_id, **{f"{path}__pk": opened["id"]}).exists()
        for path, model in MEDIA_USES
        if model._meta.label_lower == opened["model"]
    )


def _not_found(request):
    # The same answer whether the name is unknown or belongs to a draft; the session is
    # consulted either way, so not even the Vary header tells them apart.
    _may_preview(request)
    response = HttpResponseNotFound("Not found", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Cookie"])
    return response


def _bucket_redirect(found, caching, *, public):
    url = default_storage.signed_url(found.name, content_type=found.content_type, caching=caching, public=public)
    response = HttpResponseRedirect(url)
    # A shared cache may keep the redirect of a public file for half the signature's life, so
    # that what it hands out still works; an editor's preview of a draft is kept nowhere.
    lifetime = default_storage.querystring_expire // 2
    response["Cache-Control"] = f"public, max-age={lifetime}" if public else PREVIEW_CACHING
    if not public:
        patch_vary_headers(response, ["Cookie"])
    return response


def _file_response(request, found, size, caching):
    byte_range = _requested_range(request, found.etag, size)
    if byte_range is _UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _with_headers(response, found, caching)
    start, end = byte_range or (0, size - 1)
    length = end - start + 1
    if request.method == "HEAD":
        response = HttpResponse(status=206 if byte_range else 200)
    else:
        response = StreamingHttpResponse(_read(found.name, start, length), status=206 if byte_range else 200)
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response = _with_headers(response, found, caching)
    # Media bytes are compressed already, and gzip would break byte ranges. GZipMiddleware
    # reads Accept-Encoding from the request as the response passes, so hide it.
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    return get_conditional_response(request, etag=found.etag, response=response)


def _with_headers(response, found, caching):
    response["Content-Type"] = found.content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = found.etag
    response["Cache-Control"] = caching
    response["Content-Disposition"] = "inline"
    return response


def _requested_range(request, etag, size):
    """(first, last) byte of a single `Range: bytes=...` request, None for the whole file.

    Several ranges, other units and malformed headers get the whole file, which HTTP allows.
    """
    header = request.headers.get("Range", "").strip()
    if not header:
        return None
    if_range = request.headers.get("If-Range", "").strip()
    if if_range and if_range != etag:
        return None  # the client's copy is of other bytes (or dated, which we do not track)
    match = _RANGE.fullmatch(header)
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # "bytes=-500": the last 500 bytes
        suffix = int(last)
        return (max(size - suffix, 0), size - 1) if suffix and size else _UNSATISFIABLE
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    if start >= size:
        return _UNSATISFIABLE
    return start, end


def _read(name, start, length):
    with default_storage.open(name, "rb") as file:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(_CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
