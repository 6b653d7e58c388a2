"""Decide from its bytes what an uploaded cue-media file really is, or refuse it.

The file name and the browser's content type are chosen by whoever uploads, so
neither is read here. The first bytes pick one container; a real decoder for that
container must then read the whole thing. Nothing is written anywhere: the caller
stores the file only after `verify_upload()` returns.
"""

import hashlib
import io
import re
import struct
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

import av
import mutagen
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from mutagen.mp3 import MP3, BitrateMode
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE
from PIL import ExifTags, Image, ImageFile

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
# 40 s of animation at 25 frames a second. Each frame costs a decode and a resize per
# rendition whatever its size, so a file of thousands of 1 x 1 frames is slow however few
# pixels it has: past the limit, and below a minimum area per frame, time is what counts.
DEFAULT_MAX_FRAMES = 1000
MIN_FRAME_SIDE = 64
ACCEPTED = "Upload a JPEG, PNG, WebP or GIF image, an MP4 or WebM video, or MP3, M4A, Ogg or WAV audio."

_IMAGE_FORMATS = {  # container -> (Pillow format, mime type, extension)
    "jpeg": ("JPEG", "image/jpeg", "jpg"),
    "png": ("PNG", "image/png", "png"),
    "webp": ("WEBP", "image/webp", "webp"),
    "gif": ("GIF", "image/gif", "gif"),
}
# Codecs a current browser can play; anything else would upload fine and then
# show a broken player to readers.
_VIDEO_CODECS = {"mp4": {"h264", "hevc", "av1", "vp9"}, "webm": {"vp8", "vp9", "av1"}}
_AUDIO_CODECS = {
    "mp4": {"aac"},
    "webm": {"opus", "vorbis"},
    "mp3": {"mp3", "mp3float"},
    "ogg": {"opus", "vorbis"},
    "wav": {"pcm_s16le", "pcm_s24le", "pcm_u8", "pcm_f32le"},
}
_AUDIO_TYPES = {  # container -> (mime type, extension, mutagen classes)
    "mp4": ("audio/mp4", "m4a", [MP4]),
    "webm": ("audio/webm", "webm", []),
    "mp3": ("audio/mpeg", "mp3", [MP3]),
    "ogg": ("audio/ogg", "ogg", [OggOpus, OggVorbis]),
    "wav": ("audio/wav", "wav", [WAVE]),
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
# Markup a browser could run or follow if it ever rendered the file as a page, searched in
# every upload so a polyglot (bytes that are both an image and a web page) cannot slip
# through: a dangerous element; an element of any name with an event handler or an
# attribute that loads or navigates; a javascript: URL, with the tabs and newlines
# browsers skip inside one. Each needs a run of exact bytes (a tag name then a space,
# `/` or `>`; an attribute name then `=`), so the random-looking bytes of compressed
# media do not match by chance: none in 512 MB of random bytes.
_DANGEROUS_TAGS = (
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "html", "body", "meta", "link", "base", "form", "template", "portal",
)
_DANGEROUS_ATTRIBUTES = ("on[a-z]{3,30}", "href", "src", "srcdoc", "srcset", "action", "formaction", "data")
# Searched in lowercased bytes: one literal first character per pattern lets the regex
# engine skip ahead, where IGNORECASE or an alternation of first characters made it 10 to
# 30 times slower (a second for a 50 MB video).
_MARKUP = (
    re.compile(
        rb"<(?:(?:%b)[\s/>]|[a-z][a-z0-9-]{0,30}[\s/][^<>]{0,200}?\b(?:%b)\s{0,10}=|\?php)"
        % ("|".join(_DANGEROUS_TAGS).encode(), "|".join(_DANGEROUS_ATTRIBUTES).encode())
    ),
    re.compile(rb"[\t\n\r]{0,8}".join(bytes([c]) for c in b"javascript:")),
)
# Longer than any match above: kept from each read to the next, so a match split between two is found.
_MARKUP_OVERLAP = 512
# How much of an upload is read at once while it is hashed and scanned for markup. Public so
# a test can make a match fall across two reads; any value above _MARKUP_OVERLAP works.
SCAN_CHUNK_BYTES = 1024 * 1024
# How far the media may stop short of the length its header declares (see _refuse_if_cut_short).
_CUT_SLACK_MIN_SECONDS = 0.1
_CUT_SLACK_MAX_SECONDS = 0.25
_CUT_SLACK_SHARE = 0.05


@dataclass(frozen=True)
class VerifiedMedia:
    kind: str
    mime_type: str
    extension: str
    width: int | None
    height: int | None
    duration_seconds: float | None
    frame_count: int | None
    sha256: str
    size_bytes: int


def verify_upload(
    file, *, max_bytes: int | None = None, max_pixels: int | None = None, max_frames: int | None = None
) -> VerifiedMedia:
    if max_bytes is None:
        max_bytes = _setting("RUNCMS_MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES)
    if max_pixels is None:
        max_pixels = _setting("RUNCMS_MEDIA_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    if max_frames is None:
        max_frames = _setting("RUNCMS_MEDIA_MAX_FRAMES", DEFAULT_MAX_FRAMES)
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ImproperlyConfigured("PIL.ImageFile.LOAD_TRUNCATED_IMAGES is on, so truncated uploads would be accepted.")
    try:
        _check_size(_size_of(file), max_bytes)
        file.seek(0)
        container = _sniff(file.read(4096))
        sha256, size, has_markup = _scan(file, max_bytes)
        file.seek(0)
        if container in _IMAGE_FORMATS:
            found = _inspect_image(file, container, max_pixels, max_frames, has_markup)
        else:
            _refuse_markup(has_markup)
            found = _inspect_timed_media(file, container, max_pixels)
        return VerifiedMedia(**found, sha256=sha256, size_bytes=size)
    finally:
        file.seek(0)


def verify_poster(file, *, max_bytes: int | None = None, max_pixels: int | None = None) -> VerifiedMedia:
    media = verify_upload(file, max_bytes=max_bytes, max_pixels=max_pixels)
    if media.kind != "image" or media.extension not in ("jpg", "png", "webp"):
        found = {"image": f"a {media.extension.upper()} image", "animation": "an animation"}.get(media.kind, media.kind)
        raise ValidationError(
            f"A poster must be a still JPEG, PNG or WebP image; this file is {found}. "
            "Export one frame of the video as a JPEG and use that.",
            code="poster_not_still",
        )
    return media


def _setting(name, default):
    # Lets the module run (and be tested) before a settings module exists.
    return getattr(settings, name, default) if settings.configured else default


def _size_of(file):
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    file.seek(0, io.SEEK_END)
    return file.tell()


def _check_size(size, max_bytes):
    if size == 0:
        raise ValidationError("This file is empty (0 bytes). Choose the file again.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"The file is {_sizes_that_differ(size, max_bytes)}. Compress it or upload a shorter clip.",
            code="too_large",
        )


def _sizes_that_differ(size, limit):
    """"X; the limit is Y", with as many decimals as it takes for X to read larger than Y
    (never "50 MB; the limit is 50 MB"), and in bytes when even three are not enough."""
    for decimals in (1, 2, 3):
        shown, limit_shown = _human_size(size, decimals), _human_size(limit, decimals)
        if shown != limit_shown:
            return f"{shown}; the limit is {limit_shown}"
    return f"{size:,} bytes; the limit is {limit:,} bytes ({_human_size(limit)})"


def _human_size(n, decimals=1):
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.{decimals}f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n:,} bytes"


def _scan(file, max_bytes):
    """Hash the whole file and look for markup, without holding it all in memory."""
    digest, size, tail, has_markup = hashlib.sha256(), 0, b"", False
    file.seek(0)
    while chunk := file.read(SCAN_CHUNK_BYTES):
        size += len(chunk)
        # The declared size may be wrong for a plain file object; the bytes decide.
        _check_size(size, max_bytes)
        digest.update(chunk)
        has_markup = has_markup or _has_markup(tail + chunk)
        tail = chunk[-_MARKUP_OVERLAP:]
    _check_size(size, max_bytes)
    return digest.hexdigest(), size, has_markup


def _has_markup(data):
    lowered = data.lower()
    return any(pattern.search(lowered) for pattern in _MARKUP)


def _refuse(message, code="unsupported_type"):
    raise ValidationError(message, code=code)


def _refuse_markup(has_markup):
    if has_markup:
        _refuse(
            "This file has HTML or script hidden inside it, which a browser could run. "
            "Export the media again from a photo, video or audio app and re-upload.",
            code="hidden_markup",
        )


def _sniff(head):
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[4:8] == b"ftyp":
        return _sniff_iso_media(head[8:12])
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return "webm"
        _refuse("This is a Matroska (MKV) video. Export it as MP4 (H.264) or WebM and re-upload.")
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"ID3") or _is_mpeg_audio_frame(head):
        return "mp3"
    _refuse_known_type(head)
    _refuse(f"This file type is not recognised. {ACCEPTED}")


def _sniff_iso_media(brand):
    if brand == b"qt  ":
        _refuse("This is a QuickTime (MOV) video. Export it as MP4 (H.264) and re-upload.")
    if brand in _HEIF_BRANDS:
        _refuse("This is a HEIC or AVIF photo, which many browsers cannot show. Export it as JPEG and re-upload.")
    return "mp4"


def _is_mpeg_audio_frame(head):
    # Frame sync is 11 set bits; layer bits 00 would be ADTS AAC, not MP3.
    return len(head) > 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 != 0


def _refuse_known_type(head):
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:4096] and text.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")):
        _refuse("This looks like an SVG drawing. SVG can carry scripts, so upload a PNG or WebP export instead.")
    if text.startswith(b"<"):  # HTML, XML or a bare <script>: all markup a browser may run
        _refuse(
            "This file is HTML or XML (a web page or script), not media, whatever its name says. "
            "Upload the original photo, video or audio file."
        )
    signatures = [
        ((b"%PDF-",), "This is a PDF document. Export the page you need as a PNG or JPEG image and upload that."),
        (
            (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"#!"),
            "This is a program (an executable or script), not a media file. Upload a photo, video or audio file.",
        ),
        ((b"PK\x03\x04",), "This is a ZIP archive or an Office document. Upload the media files inside it one by one."),
        ((b"BM",), "BMP images are not accepted. Save the image as PNG or JPEG and re-upload."),
        ((b"II*\x00", b"MM\x00*"), "TIFF images are not accepted. Save the image as JPEG or PNG and re-upload."),
        ((b"8BPS",), "This is a Photoshop document. Export it as PNG or JPEG and re-upload."),
        ((b"fLaC",), "FLAC audio is not accepted. Export it as MP3, M4A or Ogg and re-upload."),
    ]
    for prefixes, message in signatures:
        if head.startswith(prefixes):
            _refuse(message)
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        _refuse("AVI videos are not accepted. Export it as MP4 (H.264) and re-upload.")
    if b"\x00" not in head and _looks_like_text(head):
        _refuse(f"This is a text file, not media. {ACCEPTED}")


def _looks_like_text(head):
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off by the 4 KB window is still text.
        return error.start >= len(head) - 3
    return True


@contextmanager
def _refused_unless_decodable(message):
    try:
        yield
    except ValidationError:
        raise
    except Exception as error:
        # Decoders fed hostile bytes fail in many ways (OSError, SyntaxError,
        # struct.error, IndexError, av.FFmpegError, mutagen errors...). Each
        # of them means the same thing to the editor: this file cannot be read.
        raise ValidationError(message, code="corrupt") from error


def _inspect_image(file, container, max_pixels, max_frames, has_markup):
    data = file.read()
    end = _IMAGE_ENDS[container](data)
    if end is not None and data[end:].strip(b"\x00"):
        _refuse(
            f"The image has data after the end of the image ({len(data) - end} bytes), which can hide "
            "a script or another file. Export the image again and re-upload.",
            code="trailing_data",
        )
    _refuse_markup(has_markup)
    pillow_format, mime_type, extension = _IMAGE_FORMATS[container]
    with (
        _refused_unless_decodable(
            "The image is truncated or corrupt and cannot be read. Export it again and re-upload."
        ),
        _pixel_bombs_refused(max_pixels),
    ):
        extents = _frame_extents(data, container, max_frames)
        _check_frames(len(extents), max_frames)
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.verify()
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            width, height = image.size
            # Pillow's count can differ from the structure's (an APNG declares its own).
            frames = getattr(image, "n_frames", 1)
            _check_frames(frames, max_frames)
            _check_pixels(*_canvas((width, height), extents), frames, max_pixels)
            duration_ms = 0
            if container == "jpeg":
                # Every byte is still decoded (a cut-off file is still refused), but libjpeg
                # scales by 1/8 as it goes: 50 megapixels cost 3 MB here, not 200.
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            for index in range(frames):
                image.seek(index)
                image.load()
                duration_ms += image.info.get("duration", 0) or 0
            if image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8):
                width, height = height, width
    animated = frames > 1
    return {
        "kind": "animation" if animated else "image",
        "mime_type": mime_type,
        "extension": extension,
        "width": width,
        "height": height,
        "duration_seconds": duration_ms / 1000 if animated and duration_ms else None,
        "frame_count": frames,
    }


@contextmanager
def _pixel_bombs_refused(max_pixels):
    # Pillow has its own limit, checked as soon as a header is read; above it
    # the size is not even known, so the message can only give our limit.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(
                f"The image has too many pixels to process safely; the limit is "
                f"{_megapixels(max_pixels)} megapixels. Resize it and re-upload.",
                code="too_many_pixels",
            ) from error


def _check_frames(frames, max_frames):
    if frames <= max_frames:
        return
    raise ValidationError(
        f"The animation has more than {max_frames:,} frames, the limit (it would take too long to "
        "process). Shorten it or lower its frame rate and re-upload.",
        code="too_many_frames",
    )


def _check_pixels(width, height, frames, max_pixels):
    # Decoding and resizing a frame has a cost of its own, so a tiny frame counts as a
    # MIN_FRAME_SIDE square; otherwise 1 x 1 frames could come by the million.
    smallest = MIN_FRAME_SIDE * MIN_FRAME_SIDE
    total = max(width * height, smallest) * frames
    if total <= max_pixels:
        return
    tiny = width * height < smallest
    size = f"{width} × {height} pixels" + (f" (counted as {MIN_FRAME_SIDE} × {MIN_FRAME_SIDE})" if tiny else "")
    size += f" × {frames} frames" if frames > 1 else ""
    advice = "Use fewer frames" if tiny else "Use fewer or smaller frames" if frames > 1 else "Resize it"
    raise ValidationError(
        f"The image is {size} = {_megapixels(total)} megapixels; the limit is "
        f"{_megapixels(max_pixels)} megapixels. {advice} and re-upload.",
        code="too_many_pixels",
    )


def _megapixels(pixels):
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _jpeg_end(data):
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xD9:
            return pos + 2
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack_from(">H", data, pos + 2)
        pos += 2 + length
        if marker == 0xDA:
            # Entropy-coded data after a start-of-scan runs to the next real marker.
            pos = _next_jpeg_marker(data, pos)
            if pos is None:
                return None
    return None


def _next_jpeg_marker(data, pos):
    while (pos := data.find(b"\xff", pos)) != -1 and pos + 1 < len(data):
        following = data[pos + 1]
        if following == 0xFF:
            pos += 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        else:
            return pos
    return None


def _png_end(data):
    pos = 8
    while pos + 8 <= len(data):
        length, chunk_type = struct.unpack_from(">I4s", data, pos)
        pos += 12 + length
        if chunk_type == b"IEND":
            return pos
    return None


def _gif_end(data):
    if len(data) < 13:
        return None
    pos = 13 + _gif_colour_table_size(data[10])
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:
            return pos + 1
        if block == 0x21:
            pos += 2
        elif block == 0x2C and pos + 10 < len(data):
            pos += 11 + _gif_colour_table_size(data[pos + 9])
        else:
            return None
        while pos < len(data) and data[pos]:
            pos += 1 + data[pos]
        pos += 1
    return None


def _gif_colour_table_size(flags):
    return 3 * (2 << (flags & 7)) if flags & 0x80 else 0


def _webp_end(data):
    (riff_size,) = struct.unpack_from("<I", data, 4)
    return 8 + riff_size + (riff_size & 1)


_IMAGE_ENDS = {"jpeg": _jpeg_end, "png": _png_end, "gif": _gif_end, "webp": _webp_end}


def _frame_extents(data, container, limit):
    """One item per frame, read from the container's own structure before Pillow reads any:
    a GIF frame's right and bottom edge, None for other formats. Reading stops at limit + 1
    frames, so a file of 100,000 frames is refused as fast as one of 1,001."""
    return list(islice(_FRAME_READERS[container](data), limit + 1))


def _canvas(size, extents):
    # A GIF frame reaching past the screen its header declares makes Pillow enlarge the
    # canvas, and decode that frame and every later one at the larger size.
    edges = [edge for edge in extents if edge] + [size]
    return max(right for right, _ in edges), max(bottom for _, bottom in edges)


def _gif_frames(data):
    """Yield each frame's (right, bottom) edge, reading the blocks as Pillow does (it skips stray bytes too)."""
    pos = 13 + _gif_colour_table_size(data[10]) if len(data) >= 13 else len(data)
    while pos < len(data) and data[pos] != 0x3B:
        block = data[pos]
        if block == 0x21:
            pos += 2
        elif block == 0x2C and pos + 10 < len(data):
            left, top, width, height = struct.unpack_from("<4H", data, pos + 1)
            yield left + width, top + height
            pos += 11 + _gif_colour_table_size(data[pos + 9])  # descriptor, palette, LZW code size
        else:
            pos += 1
            continue
        while pos < len(data) and data[pos]:  # data sub-blocks, up to an empty one
            pos += 1 + data[pos]
        pos += 1


def _webp_frames(data):
    pos, animated = 12, False
    while pos + 8 <= len(data):
        chunk_type, size = struct.unpack_from("<4sI", data, pos)
        if chunk_type == b"ANMF":
            animated = True
            yield None
        pos += 8 + size + (size & 1)
    if not animated:
        yield None


def _png_frames(data):
    pos, animated = 8, False
    while pos + 8 <= len(data):
        length, chunk_type = struct.unpack_from(">I4s", data, pos)
        if chunk_type == b"fcTL":
            animated = True
            yield None
        if chunk_type == b"IEND":
            break
        pos += 12 + length
    if not animated:
        yield None


def _one_frame(data):
    yield None


_FRAME_READERS = {"jpeg": _one_frame, "png": _png_frames, "gif": _gif_frames, "webp": _webp_frames}


def _inspect_timed_media(file, container, max_pixels):
    if container in ("mp4", "webm"):
        with (
            _refused_unless_decodable(
                "The video or audio is truncated or corrupt and cannot be played. Export it again and re-upload."
            ),
            av.open(file, format=container) as media,
        ):
            if any(s for s in media.streams.video if not _is_cover_art(s)):
                return _inspect_video(media, container, max_pixels)
    file.seek(0)
    return _inspect_audio(file, container)


def _is_cover_art(stream):
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _inspect_video(media, container, max_pixels):
    stream = next(s for s in media.streams.video if not _is_cover_art(s))
    _refuse_unplayable_codec("video", stream, _VIDEO_CODECS[container], "Export it as MP4 (H.264)")
    width, height = stream.codec_context.width, stream.codec_context.height
    if width * height > max_pixels:
        _refuse(
            f"The video is {width} × {height} pixels; the limit is {_megapixels(max_pixels)} "
            "megapixels per frame. Export it at 1080p and re-upload.",
            code="too_many_pixels",
        )
    frame, seconds = _read_to_the_end(media, stream)
    if frame is None:
        _refuse("The video has no pictures that can be decoded. Export it again and re-upload.", "corrupt")
    _refuse_if_cut_short("video", seconds, _declared_seconds(media))
    if abs(frame.rotation) in (90, 270):  # a phone held upright records sideways
        width, height = height, width
    return {
        "kind": "video",
        "mime_type": f"video/{container}",
        "extension": container,
        "width": width,
        "height": height,
        "duration_seconds": seconds,
        "frame_count": stream.frames or None,
    }


def _inspect_audio(file, container):
    mime_type, extension, tag_readers = _AUDIO_TYPES[container]
    with _refused_unless_decodable(
        "The audio is truncated or corrupt and cannot be played. Export it again and re-upload."
    ):
        found = mutagen.File(file, options=tag_readers) if tag_readers else None
        file.seek(0)
        declared = _declared_audio_seconds(file, container, found)
        file.seek(0)
        with av.open(file, format=container) as media:
            if not media.streams.audio:
                _refuse(f"This file has no sound or pictures that can be played. {ACCEPTED}", "corrupt")
            stream = media.streams.audio[0]
            _refuse_unplayable_codec("audio", stream, _AUDIO_CODECS[container], "Export it as MP3 or AAC (M4A)")
            frame, seconds = _read_to_the_end(media, stream)
            if frame is None:
                _refuse("The audio has no sound that can be decoded. Export it again and re-upload.", "corrupt")
            if container not in ("mp3", "wav"):
                declared = _declared_seconds(media)
        _refuse_if_cut_short("audio", seconds, declared)
    return {
        "kind": "audio",
        "mime_type": mime_type,
        "extension": extension,
        "width": None,
        "height": None,
        "duration_seconds": seconds,
        "frame_count": None,
    }


def _refuse_unplayable_codec(kind, stream, playable, export_as):
    codec = stream.codec_context.name
    if codec not in playable:
        _refuse(
            f"The {kind} uses the {codec} codec, which web browsers cannot play. {export_as} and re-upload.",
            code="unsupported_codec",
        )


def _read_to_the_end(media, stream):
    """Demux every packet of the file; decode only the first frame of `stream`.

    A file cut off mid-upload usually still opens and its first frame decodes,
    while its header or index still claims the full length. Only reading to the
    end shows where the media really stops. Packets are not decoded (fast) and
    each is dropped once its timestamps are noted (memory stays flat).
    Returns the first frame and the seconds of media actually present.
    """
    first_frame, start, end = None, None, None
    for packet in media.demux():
        if first_frame is None and packet.stream.index == stream.index:
            # The last packet of each stream is an empty one that flushes the decoder.
            first_frame = next(iter(packet.decode()), None)
        when = packet.pts if packet.pts is not None else packet.dts
        if when is None or packet.time_base is None or _is_cover_art(packet.stream):
            continue
        begin = when * packet.time_base
        finish = (when + max(packet.duration or 0, 0)) * packet.time_base
        start = begin if start is None else min(start, begin)
        end = finish if end is None else max(end, finish)
    if end is None:
        return first_frame, None
    # Audio encoders put priming samples before zero; players drop them.
    return first_frame, float(end - max(start, 0))


def _declared_seconds(media):
    # For MP4 and WebM this is the length written in the header or index.
    return media.duration / av.time_base if media.duration is not None else None


def _declared_audio_seconds(file, container, found):
    if container == "mp3":
        # Without a Xing/VBRI header both FFmpeg and mutagen only guess the length
        # from the file size, which says nothing about a cut.
        if found is not None and found.info.bitrate_mode != BitrateMode.UNKNOWN:
            return found.info.length
        return None
    if container == "wav":
        _refuse_cut_wav(file)
    return None


def _refuse_cut_wav(file):
    """Compare the data chunk's declared size with the bytes actually present.

    FFmpeg quietly shortens a WAV whose data chunk runs past the end of the file,
    so only the header shows the cut; PCM has no frames, so the check is exact.
    """
    size_of_file = file.seek(0, io.SEEK_END)
    file.seek(12)
    byte_rate = None
    for _ in range(64):  # real files have a handful of chunks; a hostile one could have millions
        header = file.read(8)
        if len(header) < 8:
            return
        chunk_id, size = struct.unpack("<4sI", header)
        if chunk_id == b"data":
            # Recorders writing to a pipe cannot go back to fill in the size, and leave 0 or all ones.
            if size == 0 or size >= 0x7FFFFFFF or not byte_rate:
                return
            present = max(size_of_file - file.tell(), 0)
            _refuse_if_cut_short("audio", min(present, size) / byte_rate, size / byte_rate, slack=0)
            return
        if chunk_id == b"fmt ":
            (byte_rate,) = struct.unpack_from("<I", file.read(16), 8)
            size -= 16
        file.seek(size + (size & 1), io.SEEK_CUR)


def _refuse_if_cut_short(kind, seconds, declared, slack=None):
    if declared is None:
        return
    seconds = seconds or 0.0
    if slack is None:
        # Header and packets of a whole file agree to within a frame or two; a
        # cut-off upload loses far more. The slack keeps a missing last-packet
        # duration or encoder padding from refusing a good short clip.
        slack = max(_CUT_SLACK_MIN_SECONDS, min(_CUT_SLACK_MAX_SECONDS, declared * _CUT_SLACK_SHARE))
    if declared - seconds > slack:
        _refuse(
            f"The {kind} is truncated or corrupt: it stops after {seconds:.1f} s of the {declared:.1f} s "
            "it says it lasts, so the end of the file is missing (the upload or export was probably cut off). "
            "Export it again and re-upload the complete file.",
            code="corrupt",
        )
