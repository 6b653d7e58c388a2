"""Resized, re-encoded copies of a verified image, as bytes for the caller to store.

Every output is drawn from decoded pixels into a fresh file, so nothing from the
upload travels along: no EXIF (GPS, camera serial), no XMP, no comments, no ICC
profile. Colours are converted to sRGB first, which is what browsers assume for
an untagged image.
"""

import base64
import contextlib
import hashlib
import io
import math
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, ImageSequence

RENDITION_WIDTHS = (320, 640, 1024, 1600)
THUMBNAIL_SIZE = 320
PLACEHOLDER_MAX_CHARS = 1024
WEBP_MAX_SIDE = 16383

_MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
_EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}
_SWAPS_SIDES = (5, 6, 7, 8)  # EXIF orientations that turn the picture a quarter
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class RenditionFile:
    name: str
    format: str
    width: int
    height: int
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def mime_type(self) -> str:
        return _MIME_TYPES[self.format]

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.format]


@dataclass(frozen=True)
class RenditionSet:
    files: list[RenditionFile]
    placeholder: str
    dominant_color: str


def image_size_after_orientation(image_file) -> tuple[int, int]:
    try:
        with Image.open(image_file) as image:
            return _oriented_size(image)
    finally:
        image_file.seek(0)


def build_renditions(
    image_file, *, focal_point: tuple[float, float] = (0.5, 0.5), widths: tuple[int, ...] = RENDITION_WIDTHS
) -> RenditionSet:
    try:
        with Image.open(image_file) as image:
            frames, durations, loop = _decode(image, widths)
    finally:
        image_file.seek(0)
    transparent = any(_has_transparency(frame) for frame in frames)
    frames = [frame.convert("RGBA" if transparent else "RGB") for frame in frames]
    fallback = "png" if transparent else "jpeg"

    files, sizes = [], [frames[0]]
    for width, height in _target_sizes(frames[0].size, widths):
        # Each size is made from the previous, larger one: far less work than
        # going back to the full-size original every time, with no visible loss.
        frames = [frame.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0) for frame in frames]
        sizes.append(frames[0])
        files.append(RenditionFile(f"w{width}", "webp", width, height, _webp(frames, durations, loop)))
        files.append(RenditionFile(f"w{width}", fallback, width, height, _encode(frames[0], fallback)))

    thumb = _thumbnail(sizes, focal_point)
    files.append(RenditionFile("thumb", "webp", *thumb.size, _webp([thumb])))
    files.append(RenditionFile("thumb", fallback, *thumb.size, _encode(thumb, fallback)))
    smallest = sizes[-1]
    return RenditionSet(files, _placeholder(smallest), _dominant_color(smallest))


def _oriented_size(image):
    width, height = image.size
    if image.getexif().get(0x0112) in _SWAPS_SIDES:
        return height, width
    return width, height


def _decode(image, widths):
    """Every frame, upright, in 8-bit sRGB, with no metadata left on it, and no larger than
    the largest rendition and the thumbnail need.

    Memory is the cost that matters here: a 49-megapixel picture is about 200 MB of pixels,
    and every full-size copy (turned upright, converted) adds as much again. So each frame
    is shrunk as it is decoded: by libjpeg itself for a JPEG (draft mode: 1/2, 1/4 or 1/8
    scale, so it never exists at full size), otherwise by `reduce()` straight after
    decoding, before any other work, so that only one full-size copy ever exists.
    """
    width, height = _oriented_size(image)
    largest = _target_sizes((width, height), widths)[0][0]
    scale = max(largest / width, min(THUMBNAIL_SIZE, width, height) / min(width, height))
    wanted = (math.ceil(width * scale), math.ceil(height * scale))
    if image.getexif().get(0x0112) in _SWAPS_SIDES:
        wanted = wanted[::-1]
    if image.format == "JPEG":
        image.draft(image.mode, (wanted[0] + 1, wanted[1] + 1))
    icc_profile = image.info.get("icc_profile")
    durations = []
    frames = []
    for frame in ImageSequence.Iterator(image):
        frame.load()  # WebP sets a frame's duration only once it is decoded
        durations.append(frame.info.get("duration", 100))
        frames.append(_to_srgb(ImageOps.exif_transpose(_reduced(frame, wanted)), icc_profile))
    return frames, durations, image.info.get("loop", 0)


def _reduced(frame, wanted):
    """`frame` shrunk by a whole factor (pixel averages, cheap) to no less than `wanted`;
    the image itself when it is not twice as large."""
    factor = min(frame.width // wanted[0], frame.height // wanted[1])
    if factor < 2:
        return frame
    if frame.mode not in ("RGB", "RGBA", "L", "LA", "CMYK", "I", "F") or "transparency" in frame.info:
        # Palette and 1-bit pixels cannot be averaged; their 8-bit form can.
        frame = _to_8_bit(frame)
    reduced = frame.reduce(factor)
    reduced.info = dict(frame.info)  # the colour profile and orientation still apply
    if hasattr(frame, "getexif"):
        reduced.getexif().update(frame.getexif())
    return reduced


def _to_srgb(image, icc_profile):
    image = _to_8_bit(image)
    alpha = image.getchannel("A") if "A" in image.getbands() else None
    colour = image.convert("CMYK" if image.mode == "CMYK" else "L" if image.mode in ("L", "LA") else "RGB")
    # A damaged profile, or one that does not fit the pixels, should not block an
    # otherwise good photo: the pixels are then used as if they were sRGB.
    with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
        if icc_profile:
            colour = ImageCms.profileToProfile(colour, io.BytesIO(icc_profile), _SRGB, outputMode="RGB")
    clean = colour.convert("RGB")
    if alpha is not None:
        clean.putalpha(alpha)
    clean.info = {}
    return clean


def _to_8_bit(image):
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # Pillow clips to 0..255 when converting to "L"; scale 16-bit values down instead.
        return image.convert("I").point(lambda value: value / 257).convert("L")
    if image.mode == "F":
        return image.convert("L")
    if image.mode in ("P", "PA", "1", "La", "RGBa") or "transparency" in image.info:
        return image.convert("RGBA")
    return image


def _has_transparency(image):
    return image.mode == "RGBA" and image.getchannel("A").getextrema()[0] < 255


def _target_sizes(size, widths):
    width, height = size
    # WebP cannot be taller than 16383 pixels, so a very tall image is narrowed until it fits.
    widest = max(1, min(width, width * WEBP_MAX_SIDE // height))
    # Never upscale: an image narrower than every rendition gets one at its own width.
    fitting = sorted({w for w in widths if w <= widest}, reverse=True) or [widest]
    return [(w, min(WEBP_MAX_SIDE, max(1, round(w * height / width)))) for w in fitting]


def _thumbnail(sizes, focal_point):
    # sizes[0] is the decoded original; the smallest image that is still big
    # enough is the cheapest source.
    side = min(THUMBNAIL_SIZE, *sizes[0].size)
    source = next(s for s in reversed(sizes) if min(s.size) >= side)
    crop = min(source.size)
    x, y = (min(max(float(v), 0.0), 1.0) for v in focal_point)
    # Centre the square on the focal point, then slide it back inside the image.
    left = min(max(x * source.width - crop / 2, 0), source.width - crop)
    top = min(max(y * source.height - crop / 2, 0), source.height - crop)
    return source.resize((side, side), Image.Resampling.LANCZOS, box=(left, top, left + crop, top + crop))


def _webp(frames, durations=None, loop=0):
    buffer = io.BytesIO()
    if len(frames) > 1:
        frames[0].save(
            buffer,
            "WEBP",
            quality=80,
            method=4,
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=loop,
        )
    else:
        frames[0].save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue()


def _encode(image, format):
    buffer = io.BytesIO()
    if format == "jpeg":
        image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def _placeholder(image):
    for box, quality in ((16, 40), (16, 20), (12, 20), (8, 10)):
        small = image.copy()
        small.thumbnail((box, box))
        buffer = io.BytesIO()
        small.save(buffer, "WEBP", quality=quality)
        uri = "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
        if len(uri) <= PLACEHOLDER_MAX_CHARS:
            return uri
    raise AssertionError("an 8 x 8 WebP is always under 1 KB")


def _dominant_color(image):
    small = image.copy()
    small.thumbnail((64, 64))
    palette_image = small.convert("RGB").quantize(colors=8)
    indices = palette_image.tobytes()
    if small.mode == "RGBA":
        # Colour under fully or mostly transparent pixels is invisible; ignore it.
        alpha = small.getchannel("A").tobytes()
        visible = bytes(i for i, a in zip(indices, alpha, strict=True) if a >= 128)
        indices = visible or indices
    counts = [indices.count(i) for i in range(8)]
    index = counts.index(max(counts))
    red, green, blue = palette_image.getpalette()[index * 3 : index * 3 + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"
