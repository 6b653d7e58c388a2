import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import ProtectedError
from PIL import Image

from drills.media import storage
from drills.media.renditions import PLACEHOLDER_MAX_CHARS, RENDITION_WIDTHS
from drills.models import CueMedia, DrillMedia, Rendition
from tests.drills.media import corpus
from tests.factories import image_bytes, make_drill, referenced_files, stored_files, upload, upload_media

pytestmark = pytest.mark.django_db


def read(name):
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as file:
        return file.read()


def rendition_map(media):
    return {(r.name, r.format): r for r in media.renditions.all()}


# --- Creating -------------------------------------------------------------------------------


def test_file_is_stored_under_a_random_name_with_the_extension_found_in_its_bytes(media_root):
    media = upload_media(corpus.mp3(), filename="holiday-photo.jpg")

    assert media.kind == "audio"
    assert media.file.name.startswith("media/")
    assert media.file.name.endswith(".mp3")
    assert "holiday" not in media.file.name
    assert stored_files(media_root) == [media.file.name]


def test_created_media_records_what_its_bytes_say():
    content = image_bytes(size=(800, 600))

    media = upload_media(content)

    media.refresh_from_db()
    assert (media.kind, media.mime_type, media.width, media.height) == ("image", "image/jpeg", 800, 600)
    assert (media.size_bytes, media.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert media.frame_count == 1


def test_every_rendition_row_is_a_stored_file_with_those_bytes_size_and_format(media_root):
    media = upload_media(image_bytes(size=(2000, 1500)))

    renditions = list(media.renditions.all())

    assert stored_files(media_root) == sorted([media.file.name, *(r.file.name for r in renditions)])
    for rendition in renditions:
        content = read(rendition.file.name)
        assert (len(content), hashlib.sha256(content).hexdigest()) == (rendition.bytes, rendition.sha256)
        image = Image.open(io.BytesIO(content))
        assert image.size == (rendition.width, rendition.height)
        assert image.format == rendition.format.upper()


def test_each_width_has_a_webp_and_a_jpeg_and_the_thumbnail_is_square():
    media = upload_media(image_bytes(size=(2000, 1500)))

    renditions = rendition_map(media)

    for width in RENDITION_WIDTHS:
        assert (renditions[(f"w{width}", "webp")].width, renditions[(f"w{width}", "jpeg")].width) == (width, width)
        assert renditions[(f"w{width}", "webp")].height == width * 3 // 4
    assert (renditions[("thumb", "webp")].width, renditions[("thumb", "webp")].height) == (320, 320)
    assert len(renditions) == 2 * len(RENDITION_WIDTHS) + 2


def test_transparent_image_falls_back_to_png():
    media = upload_media(corpus.palette_png_with_transparency(), filename="logo.png")

    assert {r.format for r in media.renditions.all()} == {"webp", "png"}


def test_no_stored_rendition_carries_exif_gps_or_camera_details():
    media = upload_media(corpus.jpeg_with_gps())

    for rendition in media.renditions.all():
        content = read(rendition.file.name)
        assert b"Exif" not in content
        assert b"Spy Camera" not in content and b"Tracker 3000" not in content
        assert not Image.open(io.BytesIO(content)).getexif()


def test_renditions_of_an_exif_rotated_photo_are_upright():
    media = upload_media(corpus.exif_rotated_portrait(), filename="portrait.jpg")

    rendition = media.renditions.get(name=f"w{corpus.PORTRAIT_SIZE[0]}", format="jpeg")

    image = Image.open(io.BytesIO(read(rendition.file.name))).convert("RGB")
    assert image.size == corpus.PORTRAIT_SIZE
    red, green, blue = image.getpixel((5, 5))
    assert red > 200 and green < 60 and blue < 60


def test_placeholder_is_an_inline_image_under_1_kb_and_the_dominant_colour_is_set():
    media = upload_media(image_bytes(size=(800, 600), color=(200, 80, 40)))

    media.refresh_from_db()
    assert media.placeholder.startswith("data:image/webp;base64,")
    assert len(media.placeholder) <= PLACEHOLDER_MAX_CHARS
    assert media.dominant_color.startswith("#") and len(media.dominant_color) == 7


def test_animation_keeps_its_frames_in_the_stored_webp():
    media = upload_media(corpus.animated_gif(), filename="hop.gif")

    webp = media.renditions.get(name="w64", format="webp")

    assert media.kind == "animation"
    assert Image.open(io.BytesIO(read(webp.file.name))).n_frames == len(corpus.ANIMATION_DURATIONS)


def test_video_renditions_are_made_from_its_poster(media_root):
    media = upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=image_bytes(size=(640, 480)))

    assert media.kind == "video"
    assert media.poster.name.startswith("posters/") and media.poster.name.endswith(".jpg")
    assert rendition_map(media)[("w640", "webp")].height == 480
    assert stored_files(media_root) == referenced_files()


def test_audio_has_no_renditions(media_root):
    media = upload_media(corpus.ogg_opus(), filename="cue.ogg")

    assert media.renditions.count() == 0
    assert (media.placeholder, media.dominant_color) == ("", "")
    assert stored_files(media_root) == [media.file.name]


# --- Refusing: nothing stored ---------------------------------------------------------------


def assert_refused(media_root, field, reason, **kwargs):
    with pytest.raises(ValidationError) as refusal:
        storage.create_media(**kwargs)
    assert reason in " ".join(refusal.value.message_dict[field])
    assert stored_files(media_root) == []
    assert CueMedia.objects.count() == Rendition.objects.count() == 0


def test_video_without_a_poster_is_refused_and_nothing_is_stored(media_root):
    assert_refused(media_root, "poster", "A video needs a poster", file=upload(corpus.mp4_h264()))


def test_video_with_a_poster_that_is_not_a_still_image_is_refused(media_root):
    assert_refused(
        media_root, "poster", "A poster must be a still",
        file=upload(corpus.mp4_h264()), poster=upload(corpus.animated_gif()),
    )


def test_poster_on_an_image_is_refused(media_root):
    assert_refused(
        media_root, "poster", "Only a video has a poster",
        file=upload(image_bytes()), poster=upload(image_bytes()), alt_text="A runner",
    )


def test_image_without_alt_text_is_refused_and_nothing_is_stored(media_root):
    assert_refused(media_root, "alt_text", "Images need alt text", file=upload(image_bytes()), alt_text="  ")


def test_refused_bytes_are_refused_by_field(media_root):
    assert_refused(media_root, "file", "SVG can carry scripts", file=upload(corpus.svg_with_script()))


@pytest.mark.parametrize("point", [(1.5, 0.5), (-0.1, 0.5), (float("nan"), 0.5), (0.5, float("inf")), ("x", 1)])
def test_focal_point_outside_the_picture_is_refused(media_root, point):
    assert_refused(media_root, "focal_x", "two numbers from 0 to 1", file=upload(image_bytes()), focal_point=point)


class FullDisk(FileSystemStorage):
    """Local storage that runs out of space after a few files, as a real disk does."""

    room_for = 3

    def _save(self, name, content):
        if len(stored_files(Path(self.location))) >= self.room_for:
            raise OSError(28, "No space left on device")
        return super()._save(name, content)


@pytest.fixture
def full_disk(settings, media_root):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullDisk"}}
    return media_root


def test_storage_failing_halfway_through_the_renditions_job_leaves_no_rendition_and_hides_the_media(full_disk):
    media = upload_media(image_bytes(size=(2000, 1500)))

    media.refresh_from_db()
    assert stored_files(full_disk) == [media.file.name]  # the upload answered once the file was stored
    assert Rendition.objects.count() == 0
    assert media.renditions_pending  # left out of the API and the pages: never a broken image


# --- Replacing, re-rendering, deleting: no orphans -----------------------------------------


def test_replacing_the_file_removes_the_old_file_and_its_renditions(media_root, django_capture_on_commit_callbacks):
    media = upload_media(image_bytes(size=(800, 600)))
    old_files = stored_files(media_root)

    with django_capture_on_commit_callbacks(execute=True):
        storage.replace_media_file(media, upload(image_bytes(size=(400, 300), format="PNG")))

    assert stored_files(media_root) == referenced_files()
    assert not set(old_files) & set(stored_files(media_root))
    media.refresh_from_db()
    assert (media.mime_type, media.width) == ("image/png", 400)
    assert rendition_map(media)[("w320", "webp")].height == 240


def test_replacement_rolled_back_by_a_later_failure_keeps_the_live_files(
    media_root, django_capture_on_commit_callbacks
):
    media = upload_media(image_bytes(size=(800, 600)))
    before = stored_files(media_root)
    renditions = sorted(rendition_map(media))

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        storage.discard_files_on_error(),
        transaction.atomic(),
    ):
        storage.replace_media_file(media, upload(image_bytes(size=(400, 300))))
        raise RuntimeError("the change log could not be written")

    assert stored_files(media_root) == before == referenced_files()
    media.refresh_from_db()
    assert media.width == 800
    assert sorted(rendition_map(media)) == renditions


def test_replacing_a_picture_with_audio_is_refused_and_changes_nothing(media_root):
    media = upload_media()
    before = stored_files(media_root)

    with pytest.raises(ValidationError) as refusal:
        storage.replace_media_file(media, upload(corpus.mp3()))

    assert "Upload an image or animation here" in refusal.value.message_dict["file"][0]
    assert stored_files(media_root) == before
    media.refresh_from_db()
    assert media.kind == "image"


def test_replacing_a_video_poster_remakes_its_renditions_and_removes_the_old_poster(
    media_root, django_capture_on_commit_callbacks
):
    media = upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=image_bytes(size=(640, 480)))
    old_poster = media.poster.name

    with django_capture_on_commit_callbacks(execute=True):
        storage.save_media(media, poster=upload(image_bytes(size=(480, 640))))

    assert old_poster not in stored_files(media_root)
    assert stored_files(media_root) == referenced_files()
    assert rendition_map(media)[("w320", "jpeg")].height == 427


def test_moving_the_focal_point_remakes_the_crops(media_root, django_capture_on_commit_callbacks):
    picture = Image.new("RGB", (800, 400), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 400, 400))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    media = upload_media(buffer.getvalue(), filename="split.png", focal_point=(0.0, 0.5))
    left_thumb = media.renditions.get(name="thumb", format="jpeg")

    media.focal_x = 1.0
    with django_capture_on_commit_callbacks(execute=True):
        storage.save_media(media)

    right_thumb = media.renditions.get(name="thumb", format="jpeg")
    red, green, blue = Image.open(io.BytesIO(read(right_thumb.file.name))).getpixel((160, 160))
    assert blue > 200 and red < 60
    assert left_thumb.file.name not in stored_files(media_root)
    assert stored_files(media_root) == referenced_files()


def test_editing_only_the_text_keeps_the_renditions():
    media = upload_media()
    renditions = set(media.renditions.values_list("pk", "file"))

    media.caption = "Keep the hips level"
    storage.save_media(media)

    assert set(media.renditions.values_list("pk", "file")) == renditions


def test_deleting_media_removes_its_file_and_every_rendition(media_root, django_capture_on_commit_callbacks):
    media = upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=image_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        storage.delete_media(media)

    assert stored_files(media_root) == []
    assert CueMedia.objects.count() == Rendition.objects.count() == 0


def test_media_in_a_gallery_cannot_be_deleted_and_keeps_its_files(media_root, django_capture_on_commit_callbacks):
    media = upload_media()
    DrillMedia.objects.create(drill=make_drill(), media=media)
    before = stored_files(media_root)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ProtectedError):
        storage.delete_media(media)

    assert stored_files(media_root) == before


def test_making_renditions_again_gives_the_same_set_and_leaves_no_old_file(
    media_root, django_capture_on_commit_callbacks
):
    media = upload_media(image_bytes(size=(1200, 900)))
    first = {key: (r.width, r.height, r.sha256) for key, r in rendition_map(media).items()}

    with django_capture_on_commit_callbacks(execute=True):
        storage.make_renditions(media)

    assert {key: (r.width, r.height, r.sha256) for key, r in rendition_map(media).items()} == first
    assert stored_files(media_root) == referenced_files()


def test_renditions_built_from_a_file_replaced_meanwhile_are_thrown_away(
    media_root, django_capture_on_commit_callbacks
):
    media = upload_media(image_bytes(size=(800, 600)))
    stale = CueMedia.objects.get(pk=media.pk)  # what a long rebuild loaded before the editor saved
    with django_capture_on_commit_callbacks(execute=True):
        storage.replace_media_file(media, upload(image_bytes(size=(500, 400))))
    current = set(media.renditions.values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        storage.make_renditions(stale)

    assert set(media.renditions.values_list("file", flat=True)) == current
    assert stored_files(media_root) == referenced_files()


# --- The rebuild command --------------------------------------------------------------------


def test_rebuild_command_twice_gives_the_same_renditions_and_no_orphans(
    media_root, django_capture_on_commit_callbacks
):
    pictures = [upload_media(image_bytes(size=(700, 500))), upload_media(corpus.animated_webp(), filename="a.webp")]
    upload_media(corpus.wav(), filename="cue.wav")
    before = {media.pk: sorted((r.name, r.format, r.sha256) for r in media.renditions.all()) for media in pictures}

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("rebuild_renditions", verbosity=0)

    after = {media.pk: sorted((r.name, r.format, r.sha256) for r in media.renditions.all()) for media in pictures}
    assert after == before
    assert stored_files(media_root) == referenced_files()


def test_rebuild_missing_only_repairs_a_lost_file_and_leaves_the_rest(media_root, django_capture_on_commit_callbacks):
    damaged, intact = upload_media(), upload_media()
    (media_root / damaged.renditions.first().file.name).unlink()
    intact_files = set(intact.renditions.values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_renditions", missing_only=True, verbosity=0)

    assert set(intact.renditions.values_list("file", flat=True)) == intact_files
    assert stored_files(media_root) == referenced_files()
    assert damaged.renditions.count() == intact.renditions.count()


def test_rebuild_reports_a_broken_source_and_still_rebuilds_the_others(media_root, capsys):
    broken, fine = upload_media(), upload_media()
    (media_root / broken.file.name).write_bytes(b"not an image any more")
    fine_files = set(fine.renditions.values_list("file", flat=True))

    with pytest.raises(CommandError) as failure:
        call_command("rebuild_renditions")

    assert str(broken.pk) in str(failure.value)
    assert set(fine.renditions.values_list("file", flat=True)).isdisjoint(fine_files)
    assert "Renditions" in capsys.readouterr().err  # the progress bar


# --- How many rendition builds run at once ------------------------------------------------


def test_a_rendition_build_waits_while_every_slot_is_taken(settings):
    import threading

    from drills.media.rendition_slots import rendition_slot

    settings.RUNCMS_RENDITION_JOBS = 1
    media = upload_media(image_bytes(size=(120, 90)))
    holding, released = threading.Event(), threading.Event()

    def another_worker_building():
        with rendition_slot():
            holding.set()
            # Long enough for the build below to have finished, had it not waited.
            released.wait(timeout=2)
            released.set()

    worker = threading.Thread(target=another_worker_building)
    worker.start()
    holding.wait()
    storage.make_renditions(media)
    finished_after_the_release = released.is_set()
    worker.join()

    # The build could only take the slot once the other let it go.
    assert finished_after_the_release
    assert media.renditions.exists()


def test_as_many_builds_as_slots_run_together(settings):
    import threading

    from drills.media.rendition_slots import rendition_slot

    settings.RUNCMS_RENDITION_JOBS = 2
    inside = threading.Barrier(2, timeout=5)

    def build():
        with rendition_slot():
            inside.wait()  # both are inside at once, or this times out

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not inside.broken
