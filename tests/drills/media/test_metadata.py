"""Rule 6: a served original carries no location, camera serial, owner or comment, only what
shows it correctly (orientation, colour profile), and its pixels are the uploaded pixels.

Files are made with Pillow, mutagen and PyAV carrying what phones and cameras write, uploaded
through the same path as the admin's, fetched through the media view and read back with the
same libraries.
"""

import hashlib
import io
import struct
import tempfile

import av
import mutagen
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from mutagen.id3 import COMM, TPE1, TXXX
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus
from mutagen.wave import WAVE
from PIL import ExifTags, Image, ImageDraw, PngImagePlugin

from drills.media import storage
from drills.media.verify import verify_upload
from drills.models import Cue, CueMedia, DrillMedia
from tests.admin_forms import admin_form_data
from tests.api.replica import delta_sync, full_sync
from tests.drills.media import corpus
from tests.factories import make_drill, stored_files, upload_media

pytestmark = pytest.mark.django_db

OWNER = "Jane Doe"
SERIAL = "SN-0042-7731"
COMMENT = "Shot in the back garden, 12 Elm Street"
LOCATION = "+52.3750+004.8900/"
# Bytes none of which may be left anywhere in a served file.
SECRETS = [OWNER.encode(), SERIAL.encode(), b"Elm Street", b"52.375", b"jane@example.com", b"Spy Camera"]
PROFILE = corpus.swapped_primaries_profile()


# --- Files as phones and cameras write them -------------------------------------------------------


def picture(size=(96, 64), mode="RGB"):
    image = Image.new(mode, size, (30, 90, 160, 255)[: len(mode)])
    draw = ImageDraw.Draw(image)
    for x in range(size[0]):
        draw.line([(x, 0), (x, size[1])], fill=(x * 255 // size[0], 120, 200, 200)[: len(mode)])
    draw.ellipse((10, 10, 40, 40), fill=(255, 255, 255, 255)[: len(mode)])
    return image


def private_exif(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Spy Camera Co", "Tracker 3000"
    exif[ExifTags.Base.Artist] = OWNER
    exif[ExifTags.Base.ImageDescription] = COMMENT
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    camera = exif.get_ifd(ExifTags.IFD.Exif)
    camera[ExifTags.Base.BodySerialNumber] = SERIAL
    camera[ExifTags.Base.CameraOwnerName] = OWNER
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (52.0, 22.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (4.0, 53.0, 24.0)
    return exif.tobytes()


def iptc_segment():
    """A Photoshop APP13 block holding the IPTC by-line, as photo agencies' tools write it."""
    by_line = b"\x1c\x02\x50" + struct.pack(">H", len(OWNER)) + OWNER.encode()
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(by_line)) + by_line + b"\x00" * (len(by_line) & 1)
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def private_jpeg(orientation=6):
    buffer = io.BytesIO()
    picture().save(
        buffer, "JPEG", quality=90, exif=private_exif(orientation), icc_profile=PROFILE,
        xmp=corpus.ORDINARY_XMP.encode(), comment=COMMENT.encode(),
    )
    data = buffer.getvalue()
    return data[:2] + iptc_segment() + data[2:]


def private_png():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", OWNER)
    info.add_text("Comment", COMMENT, zip=True)
    info.add_itxt("XML:com.adobe.xmp", corpus.ORDINARY_XMP)
    info.add(b"tIME", struct.pack(">HBBBBB", 2026, 5, 1, 10, 0, 0))
    buffer = io.BytesIO()
    picture(mode="RGBA").save(buffer, "PNG", pnginfo=info, exif=private_exif(), icc_profile=PROFILE, dpi=(144, 144))
    return buffer.getvalue()


def private_webp(orientation=8):
    buffer = io.BytesIO()
    picture().save(
        buffer, "WEBP", quality=80, exif=private_exif(orientation), xmp=corpus.ORDINARY_XMP.encode(),
        icc_profile=PROFILE,
    )
    return buffer.getvalue()


def private_gif():
    frames = [picture().convert("P"), picture((96, 64)).rotate(180).convert("P")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200], loop=0,
                   comment=COMMENT.encode())
    data = buffer.getvalue()
    # An XMP application extension, as image editors add it, after the screen and its colours.
    start = 13 + 3 * (2 << (data[10] & 7))
    text = f"Owner: {OWNER}".encode()
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes([len(text)]) + text + b"\x00"
    return data[:start] + xmp + data[start:]


def tagged_mp3():
    buffer = io.BytesIO(corpus.mp3())
    audio = MP3(buffer)
    audio.tags.add(TPE1(encoding=3, text=[OWNER]))
    audio.tags.add(COMM(encoding=3, lang="eng", desc="", text=[COMMENT]))
    audio.tags.add(TXXX(encoding=3, desc="GPS", text=[LOCATION]))
    audio.save(buffer, v1=2)  # an ID3v1 tag at the end as well
    return buffer.getvalue()


def tagged_m4a():
    buffer = io.BytesIO(corpus.m4a())
    audio = MP4(buffer)
    audio["\xa9ART"], audio["\xa9cmt"] = [OWNER], [COMMENT]
    audio["covr"] = [MP4Cover(private_jpeg(orientation=None), imageformat=MP4Cover.FORMAT_JPEG)]
    audio.save(buffer)
    return buffer.getvalue()


def tagged_ogg():
    buffer = io.BytesIO(corpus.ogg_opus())
    audio = OggOpus(buffer)
    audio["artist"], audio["comment"], audio["location"] = [OWNER], [COMMENT], [LOCATION]
    audio.save(buffer)
    return buffer.getvalue()


def tagged_wav():
    data = corpus.wav()
    info = b"INFO" + b"IART" + struct.pack("<I", len(OWNER) + 1) + OWNER.encode() + b"\x00" * 2
    data += b"LIST" + struct.pack("<I", len(info)) + info
    return data[:4] + struct.pack("<I", len(data) - 8) + data[8:]


def tagged_video(container, codec, rotation=0, codec_tag=None):
    with tempfile.NamedTemporaryFile(suffix=f".{container}") as target:
        options = {"movflags": "use_metadata_tags"} if container == "mp4" else {}
        with av.open(target.name, "w", format=container, options=options) as output:
            output.metadata.update({"artist": OWNER, "comment": COMMENT, "location": LOCATION, "title": SERIAL})
            extra = {"deadline": "realtime", "cpu-used": "8"} if "vpx" in codec else {}
            stream = output.add_stream(codec, rate=25, options=extra)
            stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
            stream.metadata.update({"handler_name": f"{OWNER}'s phone", "title": COMMENT})
            if codec_tag:
                stream.codec_context.codec_tag = codec_tag
            if rotation:
                stream.set_display_rotation(rotation)
            for index in range(25):
                output.mux(stream.encode(av.VideoFrame.from_image(Image.new("RGB", (64, 48), (index * 10, 90, 200)))))
            output.mux(stream.encode())
        return target.read()


# --- Reading what is served -----------------------------------------------------------------------


def public(media):
    DrillMedia.objects.create(drill=make_drill(), media=media)
    return media


def public_cue(media):
    Cue.objects.create(drill=make_drill(), text="Keep your hips level", audio=media)
    return media


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def open_image(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def frames_of(data):
    image = Image.open(io.BytesIO(data))
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(image.convert("RGBA").tobytes())
    return frames


def png_chunk_types(data):
    types, pos = [], 8
    while pos < len(data):
        length, chunk_type = struct.unpack_from(">I4s", data, pos)
        types.append(chunk_type.decode())
        pos += 12 + length
    return types


def riff_chunk_types(data):
    types, pos = [], 12
    while pos + 8 <= len(data):
        chunk_type, size = struct.unpack_from("<4sI", data, pos)
        types.append(chunk_type.decode())
        pos += 8 + size + (size & 1)
    return types


def packets(data):
    with av.open(io.BytesIO(data)) as container:
        return [(bytes(packet), packet.pts) for packet in container.demux(video=0) if packet.size]


def assert_no_secrets(data):
    assert [secret for secret in SECRETS if secret in data] == []


# --- Photos ---------------------------------------------------------------------------------------


def test_served_jpeg_has_no_gps_serial_owner_comment_xmp_or_iptc(client):
    media = public(upload_media(private_jpeg()))

    data = served(client, media.file.url)

    image = open_image(data)
    exif = image.getexif()
    assert dict(exif) == {ExifTags.Base.Orientation: 6}
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo) and not exif.get_ifd(ExifTags.IFD.Exif)
    assert not {"xmp", "comment", "photoshop"} & set(image.info)
    assert_no_secrets(data)


def test_served_jpeg_keeps_orientation_colour_profile_and_the_very_same_pixels(client):
    original = private_jpeg()
    media = public(upload_media(original))

    data = served(client, media.file.url)

    assert open_image(data).getexif()[ExifTags.Base.Orientation] == 6
    assert open_image(data).info["icc_profile"] == PROFILE
    assert open_image(data).tobytes() == open_image(original).tobytes()
    assert (media.width, media.height) == (64, 96)  # shown upright, as before


def test_size_hash_etag_and_api_describe_the_served_bytes(client):
    media = public(upload_media(private_jpeg()))

    response = client.get(media.file.url)
    data = b"".join(response.streaming_content)
    api = client.get(f"/api/v1/media/{media.pk}/").json()

    assert len(data) < len(private_jpeg())
    assert (api["bytes"], api["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert response["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert response["Content-Length"] == str(len(data))


def test_a_photo_uploaded_in_the_admin_is_served_without_its_metadata(client, editor):
    client.force_login(editor)
    form = admin_form_data(client.get("/admin/drills/cuemedia/add/"))
    photo = SimpleUploadedFile("holiday.jpg", private_jpeg(), content_type="image/jpeg")

    response = client.post("/admin/drills/cuemedia/add/", {**form, "alt_text": "A runner", "file": photo})

    assert response.status_code == 302
    media = public(CueMedia.objects.get())
    client.logout()
    data = served(client, media.file.url)
    assert dict(open_image(data).getexif()) == {ExifTags.Base.Orientation: 6}
    assert (media.size_bytes, media.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert_no_secrets(data)


def test_a_photo_without_metadata_is_stored_byte_for_byte(client):
    buffer = io.BytesIO()
    picture().save(buffer, "JPEG", quality=90, icc_profile=PROFILE)
    media = public(upload_media(buffer.getvalue()))

    assert served(client, media.file.url) == buffer.getvalue()


def test_served_png_has_no_text_exif_or_time_and_keeps_profile_density_and_pixels(client):
    original = private_png()
    media = public(upload_media(original, filename="logo.png"))

    data = served(client, media.file.url)

    image = open_image(data)
    assert png_chunk_types(data) == ["IHDR", "iCCP", "pHYs", "IDAT", "IEND"]
    assert image.text == {} and not image.getexif()
    assert (image.info["icc_profile"], image.info["dpi"]) == (PROFILE, open_image(original).info["dpi"])
    assert image.tobytes() == open_image(original).tobytes()
    assert_no_secrets(data)


def test_served_webp_keeps_only_orientation_and_profile(client):
    original = private_webp()
    media = public(upload_media(original, filename="photo.webp"))

    data = served(client, media.file.url)

    image = open_image(data)
    assert riff_chunk_types(data) == ["VP8X", "ICCP", "VP8 ", "EXIF"]
    assert dict(image.getexif()) == {ExifTags.Base.Orientation: 8}
    assert "xmp" not in image.info and image.info["icc_profile"] == PROFILE
    assert image.tobytes() == open_image(original).tobytes()
    assert struct.unpack_from("<I", data, 4)[0] == len(data) - 8
    assert_no_secrets(data)


def test_served_gif_loses_comments_and_xmp_and_keeps_its_animation(client):
    original = private_gif()
    media = public(upload_media(original, filename="loop.gif"))

    data = served(client, media.file.url)

    image = Image.open(io.BytesIO(data))
    assert "comment" not in image.info and "xmp" not in image.info
    assert image.info["loop"] == 0
    assert frames_of(data) == frames_of(original)
    assert_no_secrets(data)


def test_poster_of_a_video_is_served_without_gps_or_camera_details(client):
    media = public(upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=private_jpeg(orientation=None)))

    data = served(client, media.poster.url)

    image = open_image(data)
    assert not image.getexif() and not {"xmp", "comment", "photoshop"} & set(image.info)
    assert image.info["icc_profile"] == PROFILE
    assert_no_secrets(data)


# --- Audio and video --------------------------------------------------------------------------------


def test_served_mp3_has_no_id3_tags_and_plays_as_long(client):
    media = public_cue(upload_media(tagged_mp3(), filename="cue.mp3"))

    data = served(client, media.file.url)

    assert MP3(io.BytesIO(data)).tags is None
    assert b"TAG" not in data[-128:]
    seconds = [verify_upload(ContentFile(content)).duration_seconds for content in (data, tagged_mp3())]
    assert seconds[0] == seconds[1]
    assert_no_secrets(data)


def test_served_m4a_has_no_tags_and_no_cover_art(client):
    media = public_cue(upload_media(tagged_m4a(), filename="cue.m4a"))

    data = served(client, media.file.url)

    assert not MP4(io.BytesIO(data)).tags
    with av.open(io.BytesIO(data)) as container:
        assert [stream.type for stream in container.streams] == ["audio"]
        assert not {"artist", "comment", "encoder"} & set(container.metadata)
    assert_no_secrets(data)


def test_served_ogg_has_no_vorbis_comments(client):
    media = public_cue(upload_media(tagged_ogg(), filename="cue.ogg"))

    data = served(client, media.file.url)

    assert dict(OggOpus(io.BytesIO(data)).tags) == {}
    assert_no_secrets(data)


def test_served_wav_keeps_only_its_format_and_samples(client):
    media = public_cue(upload_media(tagged_wav(), filename="cue.wav"))

    data = served(client, media.file.url)

    assert riff_chunk_types(data) == ["fmt ", "data"]
    assert WAVE(io.BytesIO(data)).tags is None
    assert_no_secrets(data)


@pytest.mark.parametrize(("container", "codec"), [("mp4", "libx264"), ("webm", "libvpx-vp9")])
def test_served_video_has_no_container_or_stream_tags(client, container, codec):
    original = tagged_video(container, codec)
    media = public(upload_media(original, filename=f"clip.{container}", poster=corpus.photo_jpeg()))

    data = served(client, media.file.url)

    with av.open(io.BytesIO(data)) as video:
        # What the formats require (brands; the muxing application, without its version).
        assert set(video.metadata) <= {"major_brand", "minor_version", "compatible_brands", "encoder"}
        tags = [value for stream in video.streams for value in stream.metadata.values()]
        assert not [value for value in tags if OWNER in value or COMMENT in value]
    assert_no_secrets(data)


@pytest.mark.parametrize(("container", "codec"), [("mp4", "libx264"), ("webm", "libvpx-vp9")])
def test_served_video_keeps_its_rotation_length_and_packets(client, container, codec):
    original = tagged_video(container, codec, rotation=90)
    media = public(upload_media(original, filename=f"clip.{container}", poster=corpus.photo_jpeg()))

    data = served(client, media.file.url)

    with av.open(io.BytesIO(data)) as video:
        assert next(video.decode(video=0)).rotation == 90
    assert packets(data) == packets(original)
    assert (media.width, media.height, media.duration_seconds) == (48, 64, 1.0)


def test_served_hevc_video_keeps_the_hvc1_tag_safari_needs(client):
    original = tagged_video("mp4", "libx265", codec_tag="hvc1")
    media = public(upload_media(original, filename="clip.mp4", poster=corpus.photo_jpeg()))

    data = served(client, media.file.url)

    with av.open(io.BytesIO(data)) as video:
        assert video.streams.video[0].codec_context.codec_tag == "hvc1"
    assert_no_secrets(data)


# --- Media stored before uploads were cleaned ----------------------------------------------------


def stored_before_cleaning(content, poster=None, **fields):
    """Media as uploads were stored before: verified, and its bytes kept as they came."""
    found = verify_upload(ContentFile(content))
    media = CueMedia(
        kind=found.kind, mime_type=found.mime_type, width=found.width, height=found.height,
        duration_seconds=found.duration_seconds, frame_count=found.frame_count, size_bytes=found.size_bytes,
        sha256=found.sha256, alt_text="Runner lying face down pulling one heel to the hip", **fields,
    )
    media.file.save(f"upload.{found.extension}", ContentFile(content), save=False)
    if poster:
        media.poster.save("poster.jpg", ContentFile(poster), save=False)
    media.save()
    storage.make_renditions(media)
    return media


def strip(*args, **options):
    out = io.StringIO()
    call_command("strip_media_metadata", *args, stdout=out, verbosity=1, **options)
    return out.getvalue()


def test_command_cleans_a_photo_stored_before_uploads_were_cleaned(client, django_capture_on_commit_callbacks):
    media = public(stored_before_cleaning(private_jpeg()))
    assert SECRETS[0] in served(client, media.file.url)

    with django_capture_on_commit_callbacks(execute=True):
        output = strip()

    media.refresh_from_db()
    data = served(client, media.file.url)
    assert dict(open_image(data).getexif()) == {ExifTags.Base.Orientation: 6}
    assert open_image(data).tobytes() == open_image(private_jpeg()).tobytes()
    assert_no_secrets(data)
    assert "Removed metadata from 1 of 1 media item(s)" in output


def test_cleaned_original_gets_a_new_name_size_hash_and_etag_and_the_old_file_goes(
    client, media_root, django_capture_on_commit_callbacks
):
    media = public(stored_before_cleaning(private_jpeg()))
    old_name, old_sha256 = media.file.name, media.sha256
    renditions = sorted(media.renditions.values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        strip()

    media.refresh_from_db()
    response = client.get(media.file.url)
    data = b"".join(response.streaming_content)
    api = client.get(f"/api/v1/media/{media.pk}/").json()
    assert media.file.name != old_name and media.sha256 != old_sha256
    assert (api["bytes"], api["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert response["ETag"] == f'"{media.sha256}"'
    assert stored_files(media_root) == sorted([media.file.name, *renditions])


def test_sync_sends_the_cleaned_media_to_apps(client, django_capture_on_commit_callbacks):
    media = public(stored_before_cleaning(private_jpeg()))
    replica, token = full_sync(client)
    before = replica["media"][str(media.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        strip()
    _, pages = delta_sync(client, replica, token)

    media.refresh_from_db()
    after = replica["media"][str(media.pk)]
    assert [obj["id"] for page in pages for obj in page["upserted"]["media"]] == [str(media.pk)]
    assert (after["sha256"], after["bytes"]) == (media.sha256, media.size_bytes) != (before["sha256"], before["bytes"])
    assert after["url"] != before["url"]


def test_command_cleans_a_video_poster_and_audio_tags(client, django_capture_on_commit_callbacks):
    video = public(stored_before_cleaning(corpus.mp4_h264(), poster=private_jpeg(orientation=None)))
    audio = public_cue(stored_before_cleaning(tagged_mp3()))
    old_poster = video.poster.name

    with django_capture_on_commit_callbacks(execute=True):
        strip()

    video.refresh_from_db()
    audio.refresh_from_db()
    assert video.poster.name != old_poster
    assert_no_secrets(served(client, video.poster.url))
    assert MP3(io.BytesIO(served(client, audio.file.url))).tags is None


def test_dry_run_names_what_would_change_and_stores_nothing(media_root):
    media = stored_before_cleaning(private_jpeg())
    upload_media()  # clean already
    files = stored_files(media_root)

    output = strip(dry_run=True)

    media.refresh_from_db()
    assert "Would remove metadata from 1 of 2 media item(s)" in output
    assert stored_files(media_root) == files
    assert media.sha256 == hashlib.sha256(private_jpeg()).hexdigest()


def test_running_the_command_again_changes_nothing(media_root, django_capture_on_commit_callbacks):
    for content in (private_jpeg(), private_png(), tagged_video("webm", "libvpx-vp9"), tagged_m4a()):
        stored_before_cleaning(content, poster=corpus.photo_jpeg() if content[:4] == b"\x1a\x45\xdf\xa3" else None)
    with django_capture_on_commit_callbacks(execute=True):
        strip()
    files = stored_files(media_root)

    output = strip()

    assert "Removed metadata from 0 of 4 media item(s)" in output
    assert stored_files(media_root) == files


def test_an_unreadable_file_is_reported_and_the_others_are_still_cleaned(client, django_capture_on_commit_callbacks):
    lost = stored_before_cleaning(corpus.photo_jpeg(), title="Lost photo")
    lost.file.storage.delete(lost.file.name)
    media = public(stored_before_cleaning(private_jpeg()))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError, match="Lost photo"):
        strip()

    media.refresh_from_db()
    assert_no_secrets(served(client, media.file.url))


def test_mutagen_finds_no_tags_in_any_served_audio(client):
    files = {"cue.mp3": tagged_mp3(), "cue.m4a": tagged_m4a(), "cue.ogg": tagged_ogg(), "cue.wav": tagged_wav()}
    media = [public_cue(upload_media(content, filename=name)) for name, content in files.items()]

    found = [mutagen.File(io.BytesIO(served(client, item.file.url))) for item in media]

    assert [dict(audio.tags or {}) for audio in found] == [{}, {}, {}, {}]
