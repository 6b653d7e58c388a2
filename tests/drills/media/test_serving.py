import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone

from drills.models import Cue, DrillMedia
from runcms.preview import make_preview_token
from runcms.publishing import Status
from tests.drills.media import corpus
from tests.factories import image_bytes, make_drill, make_program, upload_media

pytestmark = pytest.mark.django_db

PHOTO = image_bytes(size=(800, 600))


def in_gallery(media, **drill_fields):
    DrillMedia.objects.create(drill=make_drill(**drill_fields), media=media)
    return media


def public_photo():
    return in_gallery(upload_media(PHOTO))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def rendition(media, name="w640", format="webp"):
    return media.renditions.get(name=name, format=format)


# --- Public media ---------------------------------------------------------------------------


def test_public_original_is_served_with_its_type_tag_and_a_day_of_caching(client):
    media = public_photo()

    response = client.get(media.file.url)

    assert response.status_code == 200
    assert body(response) == PHOTO
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["ETag"] == f'"{media.sha256}"'
    assert response["Content-Length"] == str(len(PHOTO))


def test_public_rendition_is_cached_for_a_year_as_immutable(client):
    media = public_photo()
    webp = rendition(media)

    response = client.get(webp.file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{webp.sha256}"'
    assert len(body(response)) == webp.bytes


def test_content_type_comes_from_the_bytes_not_the_uploaded_name(client):
    media = in_gallery(upload_media(corpus.mp4_h264(), filename="clip.png", poster=PHOTO))

    response = client.get(media.file.url)

    assert response["Content-Type"] == "video/mp4"


def test_poster_of_a_public_video_is_served_as_an_image(client):
    media = in_gallery(upload_media(corpus.webm_vp9(), filename="clip.webm", poster=image_bytes(format="PNG")))

    response = client.get(media.poster.url)

    assert (response.status_code, response["Content-Type"]) == (200, "image/png")


def test_audio_of_a_cue_in_a_published_drill_is_served(client):
    media = upload_media(corpus.mp3(), filename="cue.mp3")
    Cue.objects.create(drill=make_drill(), text="Keep your hips level", audio=media)

    response = client.get(media.file.url)

    assert (response.status_code, response["Content-Type"]) == (200, "audio/mpeg")


def test_program_cover_is_public_with_its_program(client):
    media = upload_media()
    make_program(cover=media)

    assert client.get(rendition(media, "thumb").file.url).status_code == 200


def test_media_used_by_a_draft_and_a_published_drill_is_public(client):
    media = in_gallery(upload_media(), status=Status.DRAFT)
    in_gallery(media)

    assert client.get(media.file.url).status_code == 200


# --- Rule 1: nothing of a draft ------------------------------------------------------------


def urls_of(media):
    return [media.file.url, *(r.file.url for r in media.renditions.all())]


@pytest.mark.parametrize(
    "drill_fields",
    [
        {"status": Status.DRAFT},
        {"publish_at": timezone.now() + timedelta(days=1)},
        {"unpublish_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_no_file_of_media_used_only_by_an_unpublished_drill_is_served(client, drill_fields):
    media = in_gallery(upload_media(), **drill_fields)

    responses = [client.get(url) for url in urls_of(media)]

    assert len(responses) == 1 + media.renditions.count()
    assert {response.status_code for response in responses} == {404}
    assert {response["Cache-Control"] for response in responses} == {"no-store"}


def test_poster_of_a_draft_video_is_not_served(client):
    media = in_gallery(upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=PHOTO), status=Status.DRAFT)

    assert client.get(media.poster.url).status_code == 404


def test_media_attached_to_nothing_is_not_served(client):
    media = upload_media()

    assert {client.get(url).status_code for url in urls_of(media)} == {404}


def test_a_draft_file_answers_exactly_like_a_name_that_does_not_exist(client):
    media = in_gallery(upload_media(), status=Status.DRAFT)
    made_up = media.file.url.replace(media.file.name.split("/")[1][:8], "00000000")

    draft, unknown = client.get(media.file.url), client.get(made_up)

    assert (draft.status_code, draft.content, sorted(draft.headers.items())) == (
        unknown.status_code, unknown.content, sorted(unknown.headers.items()),
    )


@pytest.mark.parametrize(
    "guess",
    [
        "/media/media/{id}.jpg",
        "/media/{id}",
        "/media/renditions/{id}.webp",
        "/media/renditions/{id}/w640.webp",
        "/media/posters/{id}.jpg",
    ],
)
def test_urls_guessed_from_a_draft_media_id_are_not_found(client, guess):
    media = in_gallery(upload_media(), status=Status.DRAFT)

    assert client.get(guess.format(id=media.pk)).status_code == 404
    assert client.get(guess.format(id=media.pk.hex)).status_code == 404


def test_a_stray_file_in_media_root_that_no_media_owns_is_not_served(client, media_root):
    (media_root / "media").mkdir(exist_ok=True)
    (media_root / "media" / "stray.html").write_bytes(b"<script>alert(1)</script>")
    public_photo()

    assert client.get("/media/media/stray.html").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/../tests/settings.py",
        "/media/media/..%2f..%2fmanage.py",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/" + "a" * 5000,
        "/media/renditions/",
        "/media/media/%ff%fe.jpg",
    ],
)
def test_hostile_paths_are_not_found_never_an_error(client, path):
    public_photo()

    assert client.get(path).status_code == 404


def test_a_nul_in_a_media_path_is_a_bad_request(client):
    public_photo()

    assert client.get("/media/media/x%00.jpg").status_code == 400


def test_only_get_and_head_are_allowed(client):
    media = public_photo()

    assert client.post(media.file.url).status_code == 405
    assert client.delete(media.file.url).status_code == 405


def test_editor_sees_a_draft_file_in_the_admin_without_it_entering_any_shared_cache(client, editor):
    media = in_gallery(upload_media(), status=Status.DRAFT)
    client.force_login(editor)

    response = client.get(rendition(media, "thumb").file.url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]


def test_signed_in_reader_who_is_not_staff_gets_no_draft_file(client, django_user_model):
    media = in_gallery(upload_media(), status=Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("reader", password="a long passphrase"))

    assert client.get(media.file.url).status_code == 404


def test_with_remote_storage_the_app_serves_no_media(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    media = public_photo()

    assert client.get(media.file.url).status_code == 404


def test_serving_a_file_takes_a_fixed_small_number_of_queries(client, django_assert_max_num_queries):
    url = rendition(public_photo()).file.url

    with django_assert_max_num_queries(2):
        response = client.get(url)

    assert response.status_code == 200


# --- A file a browser renders as a page runs nothing -----------------------------------------

SANDBOXED = {"sandbox", "default-src 'none'", "frame-ancestors 'none'"}


def policy(response):
    return {directive.strip() for directive in response["Content-Security-Policy"].split(";")}


@pytest.mark.parametrize("headers", [{}, {"Range": "bytes=0-9"}], ids=["whole file", "range"])
def test_a_served_file_is_sandboxed_and_may_load_nothing(client, headers):
    media = public_photo()

    response = client.get(media.file.url, headers=headers)

    assert response.status_code in (200, 206)
    assert policy(response) == SANDBOXED
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_304_carries_the_sandbox_too_as_browsers_update_their_copy_with_its_headers(client):
    media = public_photo()

    response = client.get(media.file.url, headers={"If-None-Match": f'"{media.sha256}"'})

    assert response.status_code == 304
    assert policy(response) == SANDBOXED


def test_a_name_that_is_not_found_is_answered_sandboxed_too(client):
    response = client.get("/media/media/unknown.jpg")

    assert response.status_code == 404
    assert policy(response) == SANDBOXED


# --- HTTP details: conditional requests, ranges, HEAD, compression --------------------------


def test_matching_etag_answers_304_without_a_body(client):
    media = public_photo()

    response = client.get(media.file.url, headers={"If-None-Match": f'"{media.sha256}"'})

    assert response.status_code == 304
    assert body(response) == b""
    assert response["ETag"] == f'"{media.sha256}"'


def test_stale_etag_gets_the_file(client):
    media = public_photo()

    assert client.get(media.file.url, headers={"If-None-Match": '"old"'}).status_code == 200


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-9", 0, 9), ("bytes=100-", 100, None), ("bytes=-50", -50, None), ("bytes=10-999999999", 10, None)],
)
def test_a_single_byte_range_answers_206_with_those_bytes(client, header, start, end):
    media = public_photo()
    size = len(PHOTO)
    expected = PHOTO[start : None if end is None else end + 1]
    first = start % size

    response = client.get(media.file.url, headers={"Range": header})

    assert response.status_code == 206
    assert body(response) == expected
    assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{size}"
    assert response["Content-Length"] == str(len(expected))


def test_range_of_an_audio_file_lets_a_player_seek(client):
    media = upload_media(corpus.mp3(), filename="cue.mp3")
    Cue.objects.create(drill=make_drill(), text="Level hips", audio=media)
    with media.file.open("rb") as stored:  # the upload without its tags
        content = stored.read()

    response = client.get(media.file.url, headers={"Range": "bytes=1000-1999"})

    assert (response.status_code, body(response)) == (206, content[1000:2000])
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=-0"])
def test_a_range_beyond_the_end_answers_416_with_the_real_size(client, header):
    media = public_photo()

    response = client.get(media.file.url, headers={"Range": header})

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PHOTO)}"


@pytest.mark.parametrize(
    "header",
    ["bytes=0-1,5-9", "items=0-9", "bytes=9-0", "bytes=", "bytes=-", "bytes=abc", "bytes=" + "9" * 5000 + "-"],
)
def test_ranges_we_do_not_serve_get_the_whole_file(client, header):
    media = public_photo()

    response = client.get(media.file.url, headers={"Range": header})

    assert (response.status_code, body(response)) == (200, PHOTO)


def test_range_for_an_older_copy_gets_the_whole_new_file(client):
    media = public_photo()

    response = client.get(media.file.url, headers={"Range": "bytes=0-9", "If-Range": '"older"'})

    assert (response.status_code, body(response)) == (200, PHOTO)


def test_range_for_the_same_copy_gets_the_range(client):
    media = public_photo()

    response = client.get(media.file.url, headers={"Range": "bytes=0-9", "If-Range": f'"{media.sha256}"'})

    assert (response.status_code, body(response)) == (206, PHOTO[:10])


def test_media_is_not_gzipped_so_ranges_stay_byte_exact(client):
    media = public_photo()

    response = client.get(media.file.url, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})

    assert not response.has_header("Content-Encoding")
    assert body(response) == PHOTO[:100]


def test_head_answers_the_headers_without_the_body(client):
    media = public_photo()

    response = client.head(media.file.url)

    assert (response.status_code, response.content) == (200, b"")
    assert response["Content-Length"] == str(len(PHOTO))
    assert response["Content-Type"] == "image/jpeg"


def test_unknown_media_id_in_a_random_looking_name_is_not_found(client):
    public_photo()

    assert client.get(f"/media/media/{uuid.uuid4().hex}.jpg").status_code == 404


# --- Preview links: API clients carry the token in the URL ----------------------------------


def draft_video():
    """A draft drill whose gallery video (original, poster, renditions) nothing public uses."""
    media = upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=PHOTO)
    draft = make_drill(status=Status.DRAFT)
    DrillMedia.objects.create(drill=draft, media=media)
    return draft, media


def with_token(url, token):
    return f"{url}?{urlencode({'preview': token})}"


def test_a_preview_token_in_the_url_serves_the_drafts_own_files_privately(client):
    draft, media = draft_video()
    token = make_preview_token(draft)

    responses = [client.get(with_token(url, token)) for url in [*urls_of(media), media.poster.url]]

    assert len(responses) == 2 + media.renditions.count()
    assert {response.status_code for response in responses} == {200}
    assert {response["Cache-Control"] for response in responses} == {"private, no-store"}


def test_a_preview_token_in_the_url_serves_a_public_file_without_a_shared_cache(client):
    media = public_photo()
    draft = make_drill(status=Status.DRAFT)
    DrillMedia.objects.create(drill=draft, media=media)

    response = client.get(with_token(rendition(media).file.url, make_preview_token(draft)))

    assert (response.status_code, response["Cache-Control"]) == (200, "private, no-store")


def test_a_preview_token_of_an_item_that_does_not_use_the_media_serves_nothing(client):
    _, media = draft_video()
    other_draft, published_program = make_drill(status=Status.DRAFT), make_program()

    for item in (other_draft, published_program):
        token = make_preview_token(item)
        assert {client.get(with_token(url, token)).status_code for url in urls_of(media)} == {404}


def test_an_expired_preview_token_in_the_url_serves_nothing(client, settings):
    settings.RUNCMS_PREVIEW_MAX_AGE = 60
    draft, media = draft_video()
    token = make_preview_token(draft)

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert client.get(with_token(media.file.url, token)).status_code == 404


@pytest.mark.parametrize("token", ["", "garbage", "x" * 5000, "\x00", "' OR 1=1 --", "😀", "a:b:c"])
def test_a_malformed_preview_token_in_the_url_is_not_found_never_an_error(client, token):
    _, media = draft_video()

    assert client.get(with_token(media.file.url, token)).status_code in (400, 404)
