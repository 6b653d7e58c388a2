import contextlib
import hashlib
import io

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ImageFile

from drills.media import verify
from drills.media.verify import verify_poster, verify_upload
from tests.drills.media import corpus
from tests.drills.media.corpus import CORPUS

ACCEPTED = [case for case in CORPUS if case.expected_kind]
REFUSED = [case for case in CORPUS if case.expected_kind is None]


def by_name(cases):
    return pytest.mark.parametrize("case", cases, ids=[case.name for case in cases])


def upload(case):
    # The browser's content type is whatever the uploader's machine guessed; it must not matter.
    return SimpleUploadedFile(case.filename, case.content_factory(), content_type="image/jpeg")


def limits(case):
    return {"max_bytes": case.max_bytes} if case.max_bytes else {}


def test_corpus_has_at_least_22_cases_with_unique_names():
    names = [case.name for case in CORPUS]

    assert len(names) >= 22
    assert len(set(names)) == len(names)


@by_name(ACCEPTED)
def test_accepted_file_is_identified_by_its_bytes_not_its_name(case):
    found = verify_upload(upload(case), **limits(case))

    assert (found.kind, found.mime_type, found.extension) == (case.expected_kind, case.mime_type, case.extension)


@by_name([case for case in ACCEPTED if case.size])
def test_accepted_visual_file_reports_its_displayed_pixel_size(case):
    found = verify_upload(upload(case))

    assert (found.width, found.height) == case.size


@by_name([case for case in ACCEPTED if case.expected_kind == "audio"])
def test_audio_has_no_pixel_size(case):
    found = verify_upload(upload(case))

    assert (found.width, found.height) == (None, None)


@by_name([case for case in ACCEPTED if case.duration])
def test_timed_media_reports_the_duration_it_was_made_with(case):
    found = verify_upload(upload(case))

    assert found.duration_seconds == pytest.approx(case.duration, abs=0.1)


@by_name([case for case in ACCEPTED if case.expected_kind == "image"])
def test_still_image_has_one_frame_and_no_duration(case):
    found = verify_upload(upload(case))

    assert (found.frame_count, found.duration_seconds) == (1, None)


def test_animation_reports_its_frame_count():
    found = verify_upload(io.BytesIO(corpus.animated_gif()))

    assert found.frame_count == len(corpus.ANIMATION_DURATIONS)


@by_name(REFUSED)
def test_refused_file_gets_a_message_that_says_why(case):
    with pytest.raises(ValidationError) as refusal:
        verify_upload(upload(case), **limits(case))

    assert case.reason in refusal.value.message
    assert refusal.value.code


@by_name(ACCEPTED)
def test_hash_and_size_describe_the_whole_file(case):
    content = case.content_factory()

    found = verify_upload(upload(case))

    assert found.sha256 == hashlib.sha256(content).hexdigest()
    assert found.size_bytes == len(content)


@by_name([CORPUS[0], REFUSED[-1]])
def test_file_is_rewound_after_verification_whatever_the_outcome(case):
    file = upload(case)
    file.seek(7)

    with contextlib.suppress(ValidationError):
        verify_upload(file)

    assert file.tell() == 0


def test_plain_binary_file_object_without_a_size_is_accepted():
    file = io.BytesIO(corpus.photo_jpeg())

    found = verify_upload(file)

    assert (found.kind, found.size_bytes) == ("image", len(corpus.photo_jpeg()))


@pytest.mark.parametrize("factory", [corpus.photo_jpeg, corpus.mp4_h264, corpus.mp3, corpus.ogg_opus])
def test_django_file_opened_from_disk_is_verified(factory, tmp_path):
    path = tmp_path / "upload.bin"
    path.write_bytes(factory())

    with path.open("rb") as handle:
        found = verify_upload(File(handle))

    assert found.size_bytes == len(factory())


class HugeUpload(io.BytesIO):
    size = 10 * 1024**3

    def read(self, *args):
        raise AssertionError("an oversized upload must be refused before it is read")


def test_oversized_file_is_refused_before_any_byte_is_read():
    with pytest.raises(ValidationError) as refusal:
        verify_upload(HugeUpload())

    assert refusal.value.message == ("The file is 10 GB; the limit is 50 MB. Compress it or upload a shorter clip.")


class SizedUpload(io.BytesIO):
    def __init__(self, size):
        super().__init__(b"")
        self.size = size


MB = 1024 * 1024


@pytest.mark.parametrize(
    ("size", "said"),
    [
        (50 * MB + 1, "52,428,801 bytes; the limit is 52,428,800 bytes (50 MB)"),
        (50 * MB + 20_000, "50.02 MB; the limit is 50 MB"),
        (int(50.3 * MB), "50.3 MB; the limit is 50 MB"),
        (73 * MB, "73 MB; the limit is 50 MB"),
    ],
)
def test_the_size_refusal_gives_a_size_that_reads_larger_than_the_limit(size, said):
    with pytest.raises(ValidationError) as refusal:
        verify_upload(SizedUpload(size), max_bytes=50 * MB)

    assert refusal.value.message == f"The file is {said}. Compress it or upload a shorter clip."


class UnderstatedUpload(io.BytesIO):
    size = 10


def test_a_declared_size_that_lies_does_not_get_past_the_limit():
    file = UnderstatedUpload(corpus.noisy_jpeg())

    with pytest.raises(ValidationError) as refusal:
        verify_upload(file, max_bytes=1024)

    assert refusal.value.code == "too_large"


@pytest.mark.skipif(not settings.configured, reason="needs the project's settings")
def test_byte_limit_comes_from_settings():
    from django.test import override_settings

    with override_settings(RUNCMS_MEDIA_MAX_BYTES=1024), pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(corpus.noisy_jpeg()))

    assert "the limit is 1 KB" in refusal.value.message


def test_pixel_limit_counts_every_frame_of_an_animation():
    one_frame = 64 * 48
    frames = len(corpus.ANIMATION_DURATIONS)

    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(corpus.animated_gif()), max_pixels=one_frame * (frames - 1))

    assert f"× {frames} frames" in refusal.value.message


def test_animation_exactly_at_the_pixel_limit_is_accepted():
    # Its 64 x 48 frames are below the least area a frame counts for.
    at_limit = verify.MIN_FRAME_SIDE**2 * len(corpus.ANIMATION_DURATIONS)

    found = verify_upload(io.BytesIO(corpus.animated_gif()), max_pixels=at_limit)

    assert found.kind == "animation"


ANIMATIONS = pytest.mark.parametrize("factory", [corpus.animated_gif, corpus.animated_webp, corpus.animated_png])


@ANIMATIONS
def test_animation_over_the_frame_limit_is_refused_with_the_limit_in_the_message(factory):
    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(factory()), max_frames=2)

    assert refusal.value.code == "too_many_frames"
    assert "more than 2 frames" in refusal.value.message


@ANIMATIONS
def test_animation_exactly_at_the_frame_limit_is_accepted(factory):
    found = verify_upload(io.BytesIO(factory()), max_frames=len(corpus.ANIMATION_DURATIONS))

    assert found.frame_count == len(corpus.ANIMATION_DURATIONS)


@pytest.mark.skipif(not settings.configured, reason="needs the project's settings")
def test_frame_limit_comes_from_settings():
    from django.test import override_settings

    with override_settings(RUNCMS_MEDIA_MAX_FRAMES=2), pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(corpus.animated_gif()))

    assert refusal.value.code == "too_many_frames"


def test_frames_are_counted_no_further_than_one_past_the_limit():
    counted = verify._frame_extents(corpus.gif_with_120000_tiny_frames(), "gif", 1000)

    assert len(counted) == 1001


def test_animation_over_the_frame_limit_is_refused_before_pillow_reads_it(monkeypatch):
    def pillow_must_not_open(*args, **kwargs):
        raise AssertionError("Pillow opened a file that its frame count already refuses")

    monkeypatch.setattr(verify.Image, "open", pillow_must_not_open)

    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(corpus.gif_with_120000_tiny_frames()))

    assert refusal.value.code == "too_many_frames"


def test_each_tiny_frame_counts_as_at_least_64_by_64_pixels_toward_the_limit():
    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(corpus.tiny_frames_gif(100)), max_pixels=100 * 64 * 64 - 1)

    assert refusal.value.code == "too_many_pixels"
    assert "1 × 1 pixels (counted as 64 × 64) × 100 frames" in refusal.value.message


def test_gif_frames_reaching_past_the_declared_screen_count_at_the_size_pillow_decodes_them():
    # A 1 x 1 screen, then six 3000 x 3000 frames that Pillow decodes on a 3000 x 3000 canvas.
    content = corpus.gif_with_frames_larger_than_its_screen()

    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(content))

    assert refusal.value.code == "too_many_pixels"
    assert "3000 × 3000 pixels × 7 frames" in refusal.value.message


def test_tiny_frames_within_the_limit_at_64_by_64_each_are_accepted():
    found = verify_upload(io.BytesIO(corpus.tiny_frames_gif(100)), max_pixels=100 * 64 * 64)

    assert found.frame_count == 100


def test_pillow_bomb_check_refuses_even_when_our_limit_is_higher():
    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(corpus.png_20000_square()), max_pixels=10**10)

    assert refusal.value.code == "too_many_pixels"


def test_verification_refuses_to_run_if_truncated_images_are_allowed(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    with pytest.raises(ImproperlyConfigured):
        verify_upload(io.BytesIO(corpus.truncated_jpeg()))


def test_script_split_across_two_reads_is_still_found(monkeypatch):
    content = corpus.jpeg_with_script_in_comment()
    monkeypatch.setattr(verify, "SCAN_CHUNK_BYTES", content.index(b"<script") + 3)

    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(content))

    assert refusal.value.code == "hidden_markup"


def test_a_long_tag_split_across_two_reads_is_still_found(monkeypatch):
    content = corpus.png_with_text('<div class="caption" title="Heel pull, ten times" onmouseover="alert(1)">')
    monkeypatch.setattr(verify, "SCAN_CHUNK_BYTES", content.index(b"onmouseover"))

    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(content))

    assert refusal.value.code == "hidden_markup"


def test_zero_padding_after_the_end_of_a_jpeg_is_tolerated():
    content = corpus.photo_jpeg() + b"\x00" * 64

    found = verify_upload(io.BytesIO(content))

    assert found.kind == "image"


@pytest.mark.parametrize("factory", [corpus.photo_jpeg, corpus.still_webp, corpus.png_16bit])
def test_still_image_is_accepted_as_a_poster(factory):
    found = verify_poster(io.BytesIO(factory()))

    assert found.kind == "image"


@pytest.mark.parametrize("factory", [corpus.animated_gif, corpus.animated_webp, corpus.mp4_h264, corpus.mp3])
def test_poster_that_is_not_a_still_image_is_refused(factory):
    with pytest.raises(ValidationError) as refusal:
        verify_poster(io.BytesIO(factory()))

    assert refusal.value.code == "poster_not_still"
    assert "still JPEG, PNG or WebP" in refusal.value.message


def test_still_gif_is_an_image_but_not_a_poster():
    still_gif = corpus.gif_with_appended_html().split(b"<html>")[0]

    with pytest.raises(ValidationError) as refusal:
        verify_poster(io.BytesIO(still_gif))

    assert verify_upload(io.BytesIO(still_gif)).kind == "image"
    assert refusal.value.code == "poster_not_still"


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    case=st.sampled_from([case for case in ACCEPTED if case.name != "jpeg with gps"]),
    cut=st.floats(0.0, 1.0),
    damage=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8),
)
def test_damaged_file_is_accepted_or_refused_but_never_crashes(case, cut, damage):
    content = bytearray(case.content_factory())
    for where, value in damage:
        content[int(where * (len(content) - 1))] = value
    content = content[: max(1, int(cut * len(content)))] if cut < 0.9 else content

    try:
        found = verify_upload(io.BytesIO(bytes(content)))
    except ValidationError as refusal:
        assert refusal.message and refusal.code
    else:
        assert found.kind in ("image", "animation", "video", "audio")


def test_wav_missing_only_its_last_sample_is_refused():
    content = corpus.wav()[:-2]

    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(content))

    assert refusal.value.code == "corrupt"
    assert "truncated" in refusal.value.message


def test_wav_whose_recorder_never_filled_in_the_data_size_is_accepted():
    # Written to a pipe, a recorder cannot go back, and leaves the data size at all ones.
    content = bytearray(corpus.wav())
    data = content.index(b"data")
    content[data + 4 : data + 8] = b"\xff\xff\xff\xff"

    found = verify_upload(io.BytesIO(bytes(content)))

    assert found.duration_seconds == pytest.approx(corpus.CLIP_SECONDS, abs=0.01)


@pytest.mark.parametrize(
    "factory",
    [corpus.faststart_mp4_cut_at_80_percent, corpus.webm_cut_in_half, corpus.mp3_cut_in_half, corpus.wav_cut_in_half],
)
def test_truncation_refusal_tells_how_much_is_missing(factory):
    with pytest.raises(ValidationError) as refusal:
        verify_upload(io.BytesIO(factory()))

    assert "of the 1.0 s it says it lasts" in refusal.value.message
