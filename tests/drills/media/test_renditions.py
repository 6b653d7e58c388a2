import base64
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, JpegImagePlugin

from drills.media.renditions import (
    RENDITION_WIDTHS,
    THUMBNAIL_SIZE,
    WEBP_MAX_SIDE,
    build_renditions,
    image_size_after_orientation,
)
from drills.media.verify import verify_upload
from tests.drills.media import corpus

MAGENTA = (255, 0, 255)


def jpeg(size, colour=(90, 140, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    return io.BytesIO(buffer.getvalue())


def png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return io.BytesIO(buffer.getvalue())


def decode(rendition):
    image = Image.open(io.BytesIO(rendition.content))
    image.load()
    return image


def named(renditions, name):
    return {file.format: file for file in renditions.files if file.name == name}


def close_to(actual, expected, tolerance=12):
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


ALL_IMAGES = [
    corpus.photo_jpeg,
    corpus.still_webp,
    corpus.exif_rotated_portrait,
    corpus.jpeg_with_gps,
    corpus.cmyk_jpeg,
    corpus.png_16bit,
    corpus.palette_png_with_transparency,
    corpus.png_with_icc_profile,
    corpus.animated_webp,
    corpus.animated_gif,
    corpus.animated_png,
    corpus.jpeg_with_script_in_comment,
]
each_image = pytest.mark.parametrize("factory", ALL_IMAGES, ids=[factory.__name__ for factory in ALL_IMAGES])


def test_each_width_gets_a_webp_and_a_jpeg_of_the_declared_size():
    renditions = build_renditions(jpeg((2000, 1000)))

    for width in RENDITION_WIDTHS:
        files = named(renditions, f"w{width}")
        assert set(files) == {"webp", "jpeg"}
        for file in files.values():
            assert (file.width, file.height) == (width, round(width / 2))
            assert decode(file).size == (file.width, file.height)
            assert decode(file).format == file.format.upper()


def test_images_are_never_upscaled():
    renditions = build_renditions(jpeg((700, 500)))

    assert {file.name for file in renditions.files} == {"w640", "w320", "thumb"}


def test_image_narrower_than_every_width_gets_one_rendition_at_its_own_width():
    renditions = build_renditions(jpeg((200, 100)))

    assert [(file.name, decode(file).size) for file in renditions.files if file.name != "thumb"] == [
        ("w200", (200, 100)),
        ("w200", (200, 100)),
    ]


@settings(max_examples=25, deadline=None)
@given(width=st.integers(1, 1800), height=st.integers(1, 1800))
def test_every_declared_size_is_the_real_size_and_never_larger_than_the_original(width, height):
    renditions = build_renditions(png(Image.new("RGB", (width, height), (10, 20, 30))))

    for file in renditions.files:
        assert decode(file).size == (file.width, file.height)
        assert file.width <= width and file.height <= height


def test_image_too_tall_for_webp_is_narrowed_until_it_fits():
    renditions = build_renditions(png(Image.new("RGB", (400, 40000), (10, 20, 30))))

    for file in renditions.files:
        assert decode(file).size == (file.width, file.height)
        assert file.height <= WEBP_MAX_SIDE
    assert {file.width for file in renditions.files if file.name != "thumb"} == {400 * WEBP_MAX_SIDE // 40000}


@settings(max_examples=60, deadline=None)
@given(
    factory=st.sampled_from([corpus.photo_jpeg, corpus.palette_png_with_transparency, corpus.animated_gif]),
    damage=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_any_damaged_image_that_passes_verification_can_be_rendered(factory, damage):
    content = bytearray(factory())
    for position, value in damage:
        content[position % len(content)] = value
    try:
        verify_upload(io.BytesIO(content))
    except ValidationError:
        return

    renditions = build_renditions(io.BytesIO(content))

    assert all(decode(file).size == (file.width, file.height) for file in renditions.files)


def test_transparent_image_falls_back_to_png_and_keeps_its_alpha():
    renditions = build_renditions(io.BytesIO(corpus.palette_png_with_transparency()))

    for name in ("w64", "thumb"):
        assert set(named(renditions, name)) == {"webp", "png"}
        for file in named(renditions, name).values():
            assert decode(file).convert("RGBA").getpixel((0, 0))[3] == 0


def test_rgba_image_with_no_transparent_pixel_falls_back_to_jpeg():
    opaque = Image.new("RGBA", (400, 300), (20, 40, 60, 255))

    renditions = build_renditions(png(opaque))

    assert set(named(renditions, "w320")) == {"webp", "jpeg"}


def test_source_with_gps_exif_really_carries_it():
    assert b"Exif" in corpus.jpeg_with_gps()
    assert Image.open(io.BytesIO(corpus.jpeg_with_gps())).getexif().get_ifd(0x8825)


@each_image
def test_no_rendition_carries_exif_gps_or_camera_details(factory):
    renditions = build_renditions(io.BytesIO(factory()))

    for file in renditions.files:
        assert b"Exif" not in file.content
        assert b"Spy Camera Co" not in file.content
        assert not decode(file).getexif()


@each_image
def test_no_rendition_embeds_an_icc_profile_or_comment(factory):
    renditions = build_renditions(io.BytesIO(factory()))

    for file in renditions.files:
        info = decode(file).info
        assert "icc_profile" not in info and "comment" not in info
        assert b"<script" not in file.content


@each_image
def test_renditions_are_8_bit_rgb_or_rgba(factory):
    renditions = build_renditions(io.BytesIO(factory()))

    assert {decode(file).mode for file in renditions.files} <= {"RGB", "RGBA"}


def test_exif_orientation_is_applied_before_resizing():
    renditions = build_renditions(io.BytesIO(corpus.exif_rotated_portrait()))

    upright = decode(named(renditions, f"w{corpus.PORTRAIT_SIZE[0]}")["jpeg"])
    assert upright.size == corpus.PORTRAIT_SIZE
    assert close_to(upright.getpixel((5, 5)), corpus.ORIENTATION_MARK)


def test_size_after_orientation_swaps_the_sides_of_a_rotated_photo():
    assert image_size_after_orientation(io.BytesIO(corpus.exif_rotated_portrait())) == corpus.PORTRAIT_SIZE


def test_cmyk_jpeg_becomes_rgb_with_the_same_colour():
    renditions = build_renditions(io.BytesIO(corpus.cmyk_jpeg()))

    image = decode(named(renditions, "w64")["jpeg"])
    assert image.mode == "RGB"
    assert close_to(image.getpixel((32, 24)), (255, 0, 0))


def test_16_bit_png_is_scaled_to_8_bits_not_clipped():
    renditions = build_renditions(io.BytesIO(corpus.png_16bit()))

    assert close_to(decode(named(renditions, "w64")["jpeg"]).getpixel((32, 24)), (128, 128, 128), tolerance=2)


def test_embedded_icc_profile_is_converted_to_srgb():
    # The file's pixels are pure red, but its profile says that red channel is green.
    renditions = build_renditions(io.BytesIO(corpus.png_with_icc_profile()))

    assert close_to(decode(named(renditions, "w64")["webp"]).getpixel((32, 24)), (0, 255, 0))


@pytest.mark.parametrize("factory", [corpus.animated_webp, corpus.animated_gif, corpus.animated_png])
def test_webp_rendition_of_an_animation_keeps_every_frame_and_its_timing(factory):
    renditions = build_renditions(io.BytesIO(factory()))

    animation = decode(named(renditions, "w64")["webp"])
    durations = []
    for index in range(animation.n_frames):
        animation.seek(index)
        animation.load()  # Pillow reads a WebP frame's duration as it decodes it
        durations.append(animation.info["duration"])
    assert durations == list(corpus.ANIMATION_DURATIONS)


def test_fallback_and_thumbnail_of_an_animation_are_its_first_frame():
    renditions = build_renditions(io.BytesIO(corpus.animated_gif()))

    for image in (decode(named(renditions, "w64")["jpeg"]), decode(named(renditions, "thumb")["webp"])):
        assert getattr(image, "n_frames", 1) == 1
        assert close_to(image.getpixel((10, 10)), (255, 0, 0))


def test_thumbnail_is_square_and_centred_on_the_focal_point():
    image = Image.new("RGB", (2000, 800), (128, 128, 128))
    image.paste(MAGENTA, (1150, 350, 1250, 450))  # a 100 px square centred on (0.6, 0.5)

    renditions = build_renditions(png(image), focal_point=(0.6, 0.5))

    thumb = decode(named(renditions, "thumb")["jpeg"])
    assert thumb.size == (THUMBNAIL_SIZE, THUMBNAIL_SIZE)
    assert close_to(thumb.getpixel((THUMBNAIL_SIZE // 2, THUMBNAIL_SIZE // 2)), MAGENTA)
    assert close_to(thumb.getpixel((20, THUMBNAIL_SIZE // 2)), (128, 128, 128))


def test_thumbnail_window_stays_inside_the_image_at_an_edge():
    image = Image.new("RGB", (2000, 800), (128, 128, 128))
    image.paste(MAGENTA, (1960, 0, 2000, 800))  # a stripe along the right edge

    renditions = build_renditions(png(image), focal_point=(1.0, 0.5))

    thumb = decode(named(renditions, "thumb")["jpeg"])
    assert close_to(thumb.getpixel((THUMBNAIL_SIZE - 1, 5)), MAGENTA)
    assert close_to(thumb.getpixel((0, 5)), (128, 128, 128))


def test_thumbnail_of_a_small_image_is_as_big_as_its_short_side():
    renditions = build_renditions(jpeg((200, 100)))

    assert decode(named(renditions, "thumb")["jpeg"]).size == (100, 100)


def test_placeholder_is_a_small_webp_data_uri_that_decodes():
    noisy = Image.merge("RGB", [Image.effect_noise((1200, 900), 120)] * 3)

    placeholder = build_renditions(png(noisy)).placeholder

    prefix = "data:image/webp;base64,"
    assert len(placeholder) <= 1024 and placeholder.startswith(prefix)
    assert Image.open(io.BytesIO(base64.b64decode(placeholder.removeprefix(prefix)))).width <= 16


def test_dominant_colour_is_the_colour_covering_most_of_the_image():
    image = Image.new("RGB", (800, 600), (200, 30, 40))
    image.paste((20, 40, 200), (0, 0, 200, 150))

    dominant = build_renditions(png(image)).dominant_color

    assert close_to(bytes.fromhex(dominant.removeprefix("#")), (200, 30, 40), tolerance=6)


def test_dominant_colour_ignores_transparent_pixels():
    dominant = build_renditions(io.BytesIO(corpus.palette_png_with_transparency())).dominant_color

    assert dominant == "#ff0000"


def test_rendition_file_describes_its_own_bytes():
    renditions = build_renditions(jpeg((400, 300)))

    for file in renditions.files:
        assert file.sha256 == hashlib.sha256(file.content).hexdigest()
        assert (file.mime_type, file.extension) == {
            "webp": ("image/webp", "webp"),
            "jpeg": ("image/jpeg", "jpg"),
            "png": ("image/png", "png"),
        }[file.format]


def test_large_jpeg_is_decoded_at_reduced_scale(monkeypatch):
    decoded_sizes = []
    original_draft = JpegImagePlugin.JpegImageFile.draft

    def recording_draft(self, mode, size):
        result = original_draft(self, mode, size)
        decoded_sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", recording_draft)

    renditions = build_renditions(jpeg((4000, 3000)))

    assert decoded_sizes == [(2000, 1500)]
    assert decode(named(renditions, "w1600")["jpeg"]).size == (1600, 1200)


def test_image_file_is_rewound_after_building():
    file = jpeg((400, 300))

    build_renditions(file)

    assert file.tell() == 0


def test_a_large_png_costs_at_most_two_and_a_half_times_its_pixels_in_memory():
    """Measured in a fresh process by the benchmark's own code: the growth of RSS while
    verifying and rendering, against the decoded pixel buffer (width x height x 4 bytes).
    Each full-size copy of the pixels used to add a buffer's worth (4 or 5 in all)."""
    import multiprocessing

    from benchmarks.renditions import measure, photo_like

    size = (4000, 4000)
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(1) as pool:
        data = pool.apply(photo_like, (size, "PNG"))
    with spawn.Pool(1) as pool:
        _, rss_before, rss_peak, _, _ = pool.apply(measure, (data, 1))

    buffer = size[0] * size[1] * 4 / (1024 * 1024)
    assert rss_peak - rss_before <= 2.5 * buffer, f"{rss_peak - rss_before:.0f} MB for {buffer:.0f} MB of pixels"
