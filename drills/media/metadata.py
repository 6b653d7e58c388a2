"""Take out of an original what readers must not get: where, when and by whom it was made.

Phones and cameras write GPS position, serial numbers, owner names and comments into
photos, videos and audio; the public is served the original as well as its renditions.
What shows the media correctly stays: the EXIF orientation (alone, in a minimal EXIF
block), the colour profile, transparency, animation and playback structure. Pixels and
samples are never decoded or encoded again: images are rewritten block by block, audio
tags are removed with mutagen, and video is copied packet by packet into a new container.

Every function here is given bytes that `drills.media.verify` has verified, and its output is
verified again before it is stored (see `storage.check_media`).
"""

import io
import struct
import tempfile
import zlib

import av
import mutagen.apev2
import mutagen.id3
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from PIL import ExifTags, Image

# EXIF orientations other than "upright as stored"; any other value is ignored by browsers.
_TURNED = range(2, 9)


def strip_metadata(file, extension):
    """A copy of `file` (verified media with this extension) without private metadata,
    or None when it carries none and can be stored as it is."""
    file.seek(0)
    try:
        if extension in _REMUXED:
            remuxed = _remux(file, extension)
            if _same_bytes(remuxed, file):
                remuxed.close()
                return None
            return remuxed
        data = file.read()
        cleaned = _STRIPPERS[extension](data)
        return None if cleaned == data else ContentFile(cleaned)
    finally:
        file.seek(0)


def _same_bytes(first, second, chunk=1024 * 1024):
    first.seek(0)
    second.seek(0)
    try:
        while (block := first.read(chunk)) == second.read(chunk):
            if not block:
                return True
        return False
    finally:
        first.seek(0)
        second.seek(0)


# --- Orientation ------------------------------------------------------------------------------


def _orientation(data):
    # As Pillow reads it, which is what verification (the stored width and height) and the
    # renditions went by: from the EXIF, else from the XMP.
    with Image.open(io.BytesIO(data)) as image:
        value = image.getexif().get(ExifTags.Base.Orientation)
    return value if value in _TURNED else None


def _orientation_exif(orientation):
    """A TIFF-structured EXIF block holding only the orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return exif.tobytes().removeprefix(b"Exif\x00\x00")


# --- JPEG: marker segments ---------------------------------------------------------------------


def _strip_jpeg(data):
    orientation = _orientation(data)
    out, pos = [data[:2]], 2
    while pos + 1 < len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"JPEG marker expected at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            break  # anything after the end of the image (zero padding) goes
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[pos : pos + 2])
            pos += 2
            continue
        if orientation and marker != 0xE0:
            # Where the EXIF block usually sits: first, after a JFIF header if there is one.
            out.append(_jpeg_segment(0xE1, b"Exif\x00\x00" + _orientation_exif(orientation)))
            orientation = None
        (length,) = struct.unpack_from(">H", data, pos + 2)
        end = pos + 2 + length
        kept = _kept_jpeg_segment(marker, data[pos + 4 : end])
        if kept is not None:
            out.append(kept)
        pos = end
        if marker == 0xDA:  # entropy-coded data runs to the next marker that is not a restart
            following = _next_jpeg_marker(data, pos)
            out.append(data[pos:following])
            pos = following
    return b"".join(out)


def _kept_jpeg_segment(marker, body):
    if marker == 0xE0:
        if not body.startswith(b"JFIF\x00") or len(body) < 14:
            return None  # JFXX and others: thumbnails of the picture, maybe before a crop
        # A JFIF header can carry a thumbnail too; keep version, units and density only.
        return _jpeg_segment(0xE0, body[:12] + b"\x00\x00")
    if marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00"):
        return _jpeg_segment(marker, body)
    if marker == 0xEE and body.startswith(b"Adobe"):  # how to read the colours (YCCK, CMYK)
        return _jpeg_segment(marker, body)
    if 0xE0 <= marker <= 0xEF or marker == 0xFE:
        return None  # EXIF, XMP, IPTC/Photoshop, FlashPix, MPF, maker data; comments
    return _jpeg_segment(marker, body)


def _jpeg_segment(marker, body):
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def _next_jpeg_marker(data, pos):
    while (pos := data.find(b"\xff", pos)) != -1 and pos + 1 < len(data):
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        elif following == 0xFF:
            pos += 1
        else:
            return pos
    return len(data)


# --- PNG: chunks -------------------------------------------------------------------------------

# What decoding and showing the picture needs: structure, palette and transparency, colour
# (gamma, primaries, ICC profile, HDR), pixel density, background, and APNG animation.
_PNG_KEPT = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"cICP", b"mDCV", b"cLLI", b"pHYs", b"bKGD", b"acTL", b"fcTL", b"fdAT",
}


def _strip_png(data):
    orientation = _orientation(data) or _png_exif_orientation(data)
    out = [data[:8]]
    for chunk_type, chunk in _png_chunks(data):
        if chunk_type in _PNG_KEPT:
            out.append(chunk)
        if chunk_type == b"IHDR" and orientation:
            out.append(_png_chunk(b"eXIf", _orientation_exif(orientation)))
        if chunk_type == b"IEND":
            break
    return b"".join(out)


def _png_chunks(data):
    pos = 8
    while pos + 12 <= len(data):
        length, chunk_type = struct.unpack_from(">I4s", data, pos)
        yield chunk_type, data[pos : pos + 12 + length]
        pos += 12 + length


def _png_exif_orientation(data):
    # Pillow reads an eXIf chunk placed after the pixels only once it decodes them.
    for chunk_type, chunk in _png_chunks(data):
        if chunk_type == b"eXIf":
            exif = Image.Exif()
            exif.load(chunk[8:-4])
            value = exif.get(ExifTags.Base.Orientation)
            return value if value in _TURNED else None
    return None


def _png_chunk(chunk_type, body):
    return struct.pack(">I", len(body)) + chunk_type + body + struct.pack(">I", zlib.crc32(chunk_type + body))


# --- GIF: blocks -------------------------------------------------------------------------------

# Application extensions that change how the animation plays or looks: looping, the colour profile.
_GIF_APPLICATIONS_KEPT = (b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012")


def _strip_gif(data):
    pos = 13 + _gif_colour_table_size(data[10])
    out = [data[:pos]]
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:
            out.append(b"\x3b")
            break
        if block == 0x21:  # extension: label, then data sub-blocks
            end = _gif_sub_blocks_end(data, pos + 2)
            label = data[pos + 1]
            application = data[pos + 3 : pos + 14] if data[pos + 2 : pos + 3] == b"\x0b" else b""
            # Graphic control (frame timing, transparency) and the applications above stay;
            # comments, plain text and other applications (XMP) go.
            if label == 0xF9 or (label == 0xFF and application in _GIF_APPLICATIONS_KEPT):
                out.append(data[pos:end])
            pos = end
        elif block == 0x2C:  # image: descriptor, colour table, LZW code size, data sub-blocks
            start = pos
            pos += 11 + _gif_colour_table_size(data[pos + 9])
            pos = _gif_sub_blocks_end(data, pos)
            out.append(data[start:pos])
        else:
            pos += 1  # a stray byte, skipped as decoders do
    return b"".join(out)


def _gif_sub_blocks_end(data, pos):
    while pos < len(data) and data[pos]:
        pos += 1 + data[pos]
    if pos >= len(data):
        raise ValueError("GIF data runs past the end of the file")
    return pos + 1


def _gif_colour_table_size(flags):
    return 3 * (2 << (flags & 7)) if flags & 0x80 else 0


# --- WebP: RIFF chunks -------------------------------------------------------------------------

_WEBP_KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def _strip_webp(data):
    orientation = _orientation(data)
    chunks = []
    for chunk_type, chunk in _riff_chunks(data):
        if chunk_type in _WEBP_KEPT:
            chunks.append(chunk)
        elif chunk_type == b"EXIF" and orientation:
            chunks.append(_riff_chunk(b"EXIF", _orientation_exif(orientation)))
            orientation = None
    if chunks and chunks[0][:4] == b"VP8X":
        has_exif = any(chunk[:4] == b"EXIF" for chunk in chunks)
        flags = chunks[0][8] & ~(_VP8X_EXIF | _VP8X_XMP) | (_VP8X_EXIF if has_exif else 0)
        chunks[0] = chunks[0][:8] + bytes([flags]) + chunks[0][9:]
    return _riff(data[8:12], chunks)


def _riff_chunks(data):
    pos = 12
    while pos + 8 <= len(data):
        chunk_type, size = struct.unpack_from("<4sI", data, pos)
        end = pos + 8 + size + (size & 1)
        yield chunk_type, data[pos:end]
        pos = end


def _riff_chunk(chunk_type, body):
    return chunk_type + struct.pack("<I", len(body)) + body + b"\x00" * (len(body) & 1)


def _riff(form, chunks):
    body = form + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# --- Audio ---------------------------------------------------------------------------------------

# The format, the samples and the sample count: INFO lists (artist, comment), ID3 and
# broadcast-wave chunks (originator, date) go.
_WAV_KEPT = {b"fmt ", b"fact", b"data"}


def _strip_wav(data):
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        chunk_type, size = struct.unpack_from("<4sI", data, pos)
        end = pos + 8 + size + (size & 1)
        if chunk_type == b"data" and (end > len(data) or size == 0 or size >= 0x7FFFFFFF):
            # A recorder that could not go back to write the size: the samples run to the end.
            chunks.append(data[pos:])
            break
        if chunk_type in _WAV_KEPT:
            chunks.append(data[pos:end])
        pos = end
    return _riff(b"WAVE", chunks)


def _strip_mp3(data):
    buffer = io.BytesIO(data)
    mutagen.id3.delete(buffer)  # the first ID3v2 at the start, ID3v1 at the end
    # Tools that do not look for an existing tag put theirs in front of it.
    while buffer.getvalue().startswith(b"ID3") and buffer.getbuffer().nbytes < len(data):
        size_before = buffer.getbuffer().nbytes
        mutagen.id3.delete(buffer, delete_v1=False)
        if buffer.getbuffer().nbytes == size_before:
            break
    mutagen.apev2.delete(buffer)
    return buffer.getvalue()


def _strip_ogg(data):
    buffer = io.BytesIO(data)
    # Vorbis comments (artist, location, cover art as METADATA_BLOCK_PICTURE); the encoder's
    # vendor string, which the format requires, stays.
    mutagen.File(buffer, options=[OggOpus, OggVorbis]).delete(buffer)
    return buffer.getvalue()


_STRIPPERS = {
    "jpg": _strip_jpeg, "png": _strip_png, "gif": _strip_gif, "webp": _strip_webp,
    "wav": _strip_wav, "mp3": _strip_mp3, "ogg": _strip_ogg,
}


# --- Video, and audio in MP4 or WebM: a new container ---------------------------------------------

# extension -> (demuxer, muxer). The muxers write no tag unless given one, and with
# "bitexact" not even their own version, so the same input always gives the same bytes.
_REMUXED = {"mp4": ("mp4", "mp4"), "m4a": ("mp4", "ipod"), "webm": ("webm", "webm")}


def _remux(file, extension):
    """Copy the video and audio packets into a new container with no metadata: titles, dates,
    GPS (tags, and GPS or telemetry tracks), cover art, chapters, attachments and data tracks
    are left behind. Stream layout (codec setup, rotation) travels with the packets."""
    demuxer, muxer = _REMUXED[extension]
    options = {"fflags": "+bitexact"}
    if muxer != "webm":
        options["movflags"] = "+faststart"  # the index first, so playback starts before the download ends
    # A named file: moving the index to the front means FFmpeg reopens what it wrote.
    temp_dir = settings.FILE_UPLOAD_TEMP_DIR if settings.configured else None
    # Not closed here: it is what the caller stores (closing deletes it).
    target = tempfile.NamedTemporaryFile(suffix=f".{extension}", dir=temp_dir)  # noqa: SIM115
    try:
        with (
            av.open(file, format=demuxer) as source,
            av.open(target.name, "w", format=muxer, options=options) as output,
        ):
            copied = {
                stream.index: _copy_stream(stream, output, keep_tag=muxer != "webm")
                for stream in source.streams
                if stream.type in ("video", "audio") and not stream.disposition & av.stream.Disposition.attached_pic
            }
            _copy_packets(source, copied, output)
        target.seek(0)
        return File(target, name=f"clean.{extension}")
    except BaseException:
        target.close()
        raise


def _copy_stream(stream, output, *, keep_tag):
    copy = output.add_stream_from_template(stream)
    if keep_tag:
        # PyAV lets the muxer choose, which turns HEVC's "hvc1" into "hev1": Safari plays only the first.
        copy.codec_context.codec_tag = stream.codec_context.codec_tag
    if stream.type == "video" and stream.average_rate:
        # Written as WebM's default frame duration: without it the frames' durations are lost.
        copy.codec_context.framerate = stream.average_rate
    return copy


def _copy_packets(source, copied, output):
    # Each packet waits for the next of its stream: a container that stores no durations
    # (WebM without a default duration) would otherwise lose the last frame's, and with it
    # a little of the length, each time the file is copied.
    held, last_duration = {}, {}
    for packet in source.demux(*(source.streams[index] for index in copied)):
        if packet.dts is None:  # the empty packet that ends each stream
            continue
        index = packet.stream.index
        previous = held.get(index)
        if previous is not None:
            if not previous.duration and packet.dts > previous.dts:
                previous.duration = packet.dts - previous.dts
            last_duration[index] = previous.duration
            _mux(output, previous, copied[index])
        held[index] = packet
    for index, packet in held.items():
        if not packet.duration and last_duration.get(index):
            packet.duration = last_duration[index]
        _mux(output, packet, copied[index])


def _mux(output, packet, stream):
    packet.stream = stream
    output.mux(packet)
