import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ModelAdmin

from articles.models import Article, Author
from drills.models import Cue, CueMedia, DrillMedia, Rendition, Step
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.drills.media.corpus import CORPUS
from tests.factories import image_bytes, make_drill, make_program, referenced_files, stored_files, upload, upload_media
from tests.helpers.pages import admin_url, change_url, page_text

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/drills/cuemedia/add/"
LIST_URL = "/admin/drills/cuemedia/"
POSTER = image_bytes(size=(640, 480))


def database_state():
    return (
        sorted(CueMedia.objects.values_list("pk", "file", "poster", "focal_x", "focal_y", "kind")),
        sorted(Rendition.objects.values_list("pk", "file")),
        LogEntry.objects.count(),
    )


def kept_files(media_root):
    return [name for name in stored_files(media_root) if name.startswith("kept-uploads/")]


def field_errors(response, field):
    return [str(error) for error in response.context["adminform"].form.errors.get(field, [])]


def post_add_form(client, file, **fields):
    form = admin_form_data(client.get(ADD_URL))
    return client.post(ADD_URL, {**form, "alt_text": "Runner pulling a heel to the hip", "file": file, **fields})


# --- The corpus through the real add form ---------------------------------------------------


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_every_corpus_file_uploaded_through_the_admin_is_accepted_or_refused_with_nothing_left_behind(
    signed_in, media_root, settings, case
):
    if case.max_bytes:
        settings.RUNCMS_MEDIA_MAX_BYTES = case.max_bytes
    poster = {"poster": upload(POSTER, "poster.jpg")} if case.expected_kind == "video" else {}
    before = database_state()

    response = post_add_form(signed_in, upload(case.content_factory(), case.filename), **poster)

    if case.expected_kind is None:
        assert response.status_code == 200
        assert any(case.reason in error for error in field_errors(response, "file")), field_errors(response, "file")
        assert stored_files(media_root) == []
        assert database_state() == before
    else:
        assert response.status_code == 302, field_errors(response, "file")
        media = CueMedia.objects.get()
        assert (media.kind, media.mime_type) == (case.expected_kind, case.mime_type)
        assert stored_files(media_root) == referenced_files()


def test_video_without_a_poster_is_refused_by_the_admin_with_nothing_left_behind(signed_in, media_root):
    from tests.drills.media import corpus

    before = database_state()

    response = post_add_form(signed_in, upload(corpus.mp4_h264(), "clip.mp4"))

    assert response.status_code == 200
    assert "A video needs a poster" in " ".join(field_errors(response, "poster"))
    # The video itself passed: only its temporary copy is kept, for the try with a poster.
    assert "clip.mp4 kept" in page_text(response)
    assert stored_files(media_root) == kept_files(media_root)
    assert len(kept_files(media_root)) == 1
    assert database_state() == before


def test_image_without_alt_text_is_refused_with_a_message_on_the_alt_text(signed_in, media_root):
    response = post_add_form(signed_in, upload(image_bytes()), alt_text="")

    assert "Images need alt text" in " ".join(field_errors(response, "alt_text"))
    # Only the temporary copy kept for the next try (see the tests of kept files below).
    assert stored_files(media_root) == kept_files(media_root)
    assert CueMedia.objects.count() == 0


def test_add_form_without_a_file_asks_for_one(signed_in, media_root):
    form = admin_form_data(signed_in.get(ADD_URL))

    response = signed_in.post(ADD_URL, {**form, "alt_text": "A runner"})

    assert field_errors(response, "file") == ["Choose a photo, animation, video or audio file to upload."]


@pytest.mark.parametrize("value", ["2", "-0.1", "abc", "nan", "inf", "1e309", "", "0.5; DROP TABLE"])
def test_focal_point_outside_the_picture_is_a_form_error_and_stores_nothing(signed_in, media_root, value):
    response = post_add_form(signed_in, upload(image_bytes()), focal_x=value)

    assert response.status_code == 200
    assert field_errors(response, "focal_x")
    assert stored_files(media_root) == kept_files(media_root)


@pytest.mark.parametrize(
    "name",
    ["../../../../etc/passwd.jpg", "a" * 1000 + ".jpg", "photo.jpg.html", "фото бег.jpg", "photo", ".htaccess"],
)
def test_any_uploaded_file_name_is_replaced_by_a_random_one(signed_in, media_root, name):
    response = post_add_form(signed_in, upload(image_bytes(), name))

    assert response.status_code == 302
    media = CueMedia.objects.get()
    assert re.fullmatch(r"media/[0-9a-f]{32}\.jpg", media.file.name)


def test_an_upload_spooled_to_a_temporary_file_is_verified_and_stored_the_same_way(signed_in, media_root, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    content = image_bytes(size=(800, 600))

    response = signed_in.post(ADD_URL, {
        **admin_form_data(signed_in.get(ADD_URL)), "alt_text": "A runner", "file": upload(content),
    })

    media = CueMedia.objects.get()
    assert response.status_code == 302
    assert (media_root / media.file.name).read_bytes() == content
    assert stored_files(media_root) == referenced_files()


def test_uploading_a_poster_and_ticking_clear_at_once_is_refused(signed_in, media_root):
    from tests.drills.media import corpus

    media = upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=POSTER)
    form = admin_form_data(signed_in.get(change_url(media)))
    before = stored_files(media_root)

    response = signed_in.post(change_url(media), {**form, "poster": upload(POSTER), "poster-clear": "on"})

    assert response.status_code == 200
    assert field_errors(response, "poster")
    assert stored_files(media_root) == before


def test_clearing_the_poster_of_a_video_is_refused(signed_in, media_root):
    from tests.drills.media import corpus

    media = upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=POSTER)
    form = admin_form_data(signed_in.get(change_url(media)))

    response = signed_in.post(change_url(media), {**form, "poster-clear": "on"})

    assert "A video needs a poster" in " ".join(field_errors(response, "poster"))
    media.refresh_from_db()
    assert media.poster


def test_a_failure_after_the_files_are_stored_leaves_no_file_behind(signed_in, media_root, monkeypatch):
    def change_log_down(*args, **kwargs):
        raise RuntimeError("the change log is unavailable")

    monkeypatch.setattr(ModelAdmin, "log_addition", change_log_down)

    with pytest.raises(RuntimeError):
        post_add_form(signed_in, upload(image_bytes(size=(800, 600))))

    assert stored_files(media_root) == []
    assert CueMedia.objects.count() == 0


# --- Saving through the admin: renditions made and remade, no orphans ------------------------


def test_uploading_through_the_admin_makes_the_renditions(signed_in, media_root):
    response = post_add_form(signed_in, upload(image_bytes(size=(800, 600))), focal_x="0.25", focal_y="0.75")

    media = CueMedia.objects.get()
    assert response.status_code == 302
    assert (media.focal_x, media.focal_y) == (0.25, 0.75)
    assert media.renditions.filter(name="thumb").count() == 2
    assert stored_files(media_root) == referenced_files()


def test_replacing_the_file_in_the_admin_leaves_only_the_new_files(
    signed_in, media_root, django_capture_on_commit_callbacks
):
    media = upload_media(image_bytes(size=(800, 600)))
    old = set(stored_files(media_root))
    form = admin_form_data(signed_in.get(change_url(media)))

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(change_url(media), {**form, "file": upload(image_bytes(size=(500, 400)), "b.png")})

    assert response.status_code == 302
    assert stored_files(media_root) == referenced_files()
    assert old.isdisjoint(stored_files(media_root))
    media.refresh_from_db()
    assert media.width == 500


def test_moving_the_focal_point_in_the_admin_remakes_the_renditions(
    signed_in, media_root, django_capture_on_commit_callbacks
):
    media = upload_media(image_bytes(size=(800, 600)))
    old_renditions = set(media.renditions.values_list("file", flat=True))
    form = admin_form_data(signed_in.get(change_url(media)))

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(change_url(media), {**form, "focal_x": "0.9"})

    assert old_renditions.isdisjoint(media.renditions.values_list("file", flat=True))
    assert stored_files(media_root) == referenced_files()


def test_deleting_in_the_admin_removes_the_renditions_and_keeps_the_original_for_recovery(
    signed_in, media_root, django_capture_on_commit_callbacks
):
    media = upload_media()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(admin_url(media, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert stored_files(media_root) == [media.file.name] == referenced_files()  # its saved version names it
    assert Rendition.objects.count() == 0


def test_deleting_several_from_the_library_removes_every_file(
    signed_in, media_root, django_capture_on_commit_callbacks
):
    from tests.drills.media import corpus

    chosen = [upload_media(), upload_media(corpus.mp3(), filename="cue.mp3")]
    kept = upload_media()

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            LIST_URL, {"action": "delete_selected", "_selected_action": [m.pk for m in chosen], "post": "yes"}
        )

    assert list(CueMedia.objects.all()) == [kept]
    assert stored_files(media_root) == referenced_files()


def test_media_in_a_gallery_cannot_be_deleted_from_the_admin_and_keeps_its_files(signed_in, media_root):
    media = upload_media()
    DrillMedia.objects.create(drill=make_drill(title="Heel pull"), media=media)
    before = stored_files(media_root)

    response = signed_in.post(admin_url(media, "delete"), {"post": "yes"})

    assert response.status_code == 200
    assert "Cannot delete cue media" in page_text(response)
    assert stored_files(media_root) == before


# --- The library and the change form --------------------------------------------------------


def test_library_lists_each_item_with_its_thumbnail(signed_in):
    media = upload_media(title="Heel to hip")
    thumb = media.renditions.get(name="thumb", format="jpeg")

    response = signed_in.get(LIST_URL)

    assert f'src="{thumb.file.url}"' in response.content.decode()
    assert "Heel to hip" in page_text(response)


def test_library_filters_by_kind(signed_in):
    from tests.drills.media import corpus

    upload_media(title="A photo")
    upload_media(corpus.mp3(), filename="cue.mp3", title="A spoken cue")

    response = signed_in.get(LIST_URL, {"kind__exact": "audio"})

    assert "A spoken cue" in page_text(response)
    assert "A photo" not in page_text(response)


@pytest.mark.parametrize(("field", "term"), [("alt_text", "heel"), ("caption", "hips level"), ("title", "box")])
def test_library_searches_alt_text_caption_and_title(signed_in, field, term):
    upload_media(**{"title": "Other", "alt_text": "Something else", field: f"The {term} one"})
    upload_media(title="Unrelated", alt_text="A stretch")

    response = signed_in.get(LIST_URL, {"q": term})

    assert response.context["cl"].result_count == 1


def test_library_page_takes_the_same_number_of_queries_for_many_items(signed_in, django_assert_max_num_queries):
    upload_media()
    with django_assert_max_num_queries(100) as few:
        signed_in.get(LIST_URL)
    for _ in range(4):
        upload_media()

    with django_assert_max_num_queries(len(few)):
        signed_in.get(LIST_URL)


def test_image_form_shows_the_picture_with_the_focal_point_picker(signed_in):
    media = upload_media(image_bytes(size=(800, 600)))
    picture = media.renditions.get(name="w640", format="webp")

    content = signed_in.get(change_url(media)).content.decode()

    assert "data-focal-picker" in content
    assert f'src="{picture.file.url}"' in content
    assert "drills/admin/focal-point.js" in content
    assert " style=" not in content.split('id="cuemedia_form"')[1].split("</form>")[0].replace("hidden", "")


def test_video_form_has_a_player_with_its_poster(signed_in):
    from tests.drills.media import corpus

    media = upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=POSTER)

    content = signed_in.get(change_url(media)).content.decode()

    assert re.search(rf'<video class="runcms-player" controls preload="metadata" poster="{media.poster.url}"', content)
    assert f'<source src="{media.file.url}" type="video/mp4">' in content


def test_audio_form_has_a_player(signed_in):
    from tests.drills.media import corpus

    media = upload_media(corpus.mp3(), filename="cue.mp3")

    content = signed_in.get(change_url(media)).content.decode()

    assert f'<audio class="runcms-player" controls preload="metadata" src="{media.file.url}">' in content
    assert "data-focal-picker" not in content


def test_used_by_lists_every_drill_step_cue_program_and_article_using_it(signed_in):
    media = upload_media()
    gallery_drill = make_drill(title="Heel pull in the gallery")
    DrillMedia.objects.create(drill=gallery_drill, media=media)
    step_drill = make_drill(title="Drill with the step", status=Status.DRAFT)
    Step.objects.create(drill=step_drill, text="Lie face down on the mat", media=media)
    Cue.objects.create(drill=make_drill(title="Drill with the cue"), text="Keep your hips level", audio=media)
    make_program(title="Pull week", cover=media)
    author = Author.objects.create(name="Jane Coach", slug="jane", photo=media)
    article = Article.objects.create(slug="pull", title="The pull", summary="s", author=author, body="b", hero=media)
    article.embedded_media.add(media)

    used_by = page_text(signed_in.get(change_url(media))).split("Used by", 1)[1]

    for expected in [
        "Heel pull in the gallery", "Drill with the step", "Lie face down on the mat", "Drill with the cue",
        "Keep your hips level", "Pull week", "The pull", "Jane Coach",
    ]:
        assert expected in used_by
    assert f"/admin/drills/drill/{gallery_drill.pk}/change/" in used_by
    assert f"/admin/articles/article/{article.pk}/change/" in used_by or "The pull" in used_by
    assert "Not live" in used_by and "Live" in used_by


def test_unused_media_says_so(signed_in):
    media = upload_media()

    assert "Not used yet" in page_text(signed_in.get(change_url(media)))


# --- Picking media without leaving the drill form ------------------------------------------


def test_drill_form_offers_to_add_media_in_a_popup_from_the_gallery_steps_and_cues(signed_in):
    content = signed_in.get("/admin/drills/drill/add/").content.decode()

    for field in ("id_media_links-__prefix__-media", "id_steps-__prefix__-media", "id_cues-__prefix__-audio"):
        assert f'id="add_{field}"' in content
    assert "/admin/drills/cuemedia/add/?_to_field=id&amp;_popup=1" in content


def test_media_added_in_a_popup_is_handed_back_to_the_drill_form(signed_in, media_root):
    url = f"{ADD_URL}?_to_field=id&_popup=1"
    form = admin_form_data(signed_in.get(url))

    response = signed_in.post(url, {**form, "alt_text": "A runner", "file": upload(image_bytes())})

    media = CueMedia.objects.get()
    assert response.status_code == 200
    assert "admin/popup_response.html" in [template.name for template in response.templates]
    assert str(media.pk) in response.content.decode()


def test_cue_audio_autocomplete_offers_only_audio(signed_in):
    from tests.drills.media import corpus

    upload_media(title="Pull photo")
    audio = upload_media(corpus.mp3(), filename="cue.mp3", title="Pull spoken")

    response = signed_in.get(
        "/admin/autocomplete/", {"app_label": "drills", "model_name": "cue", "field_name": "audio", "term": "pull"}
    )

    assert [result["id"] for result in response.json()["results"]] == [str(audio.pk)]


def autocomplete(client, model_name, field_name, term=""):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "drills", "model_name": model_name, "field_name": field_name, "term": term},
    )
    return {result["id"] for result in response.json()["results"]}


def one_of_each_kind():
    from tests.drills.media import corpus

    return {
        "image": upload_media(title="Pull photo"),
        "animation": upload_media(corpus.animated_gif(), filename="hop.gif", title="Pull animation"),
        "video": upload_media(corpus.mp4_h264(), filename="clip.mp4", poster=POSTER, title="Pull video"),
        "audio": upload_media(corpus.mp3(), filename="cue.mp3", title="Pull spoken"),
    }


@pytest.mark.parametrize("model_name", ["drillmedia", "step"])
def test_gallery_and_step_autocompletes_offer_pictures_and_videos_but_no_audio(signed_in, model_name):
    media = one_of_each_kind()

    offered = autocomplete(signed_in, model_name, "media", "pull")

    assert offered == {str(media[kind].pk) for kind in ("image", "animation", "video")}


def test_the_library_search_still_finds_every_kind(signed_in):
    media = one_of_each_kind()

    page = signed_in.get(LIST_URL, {"q": "pull"}).content.decode()

    assert all(str(item.pk) in page for item in media.values())


def test_audio_chosen_for_the_gallery_is_refused_with_a_message_on_the_row(signed_in):
    from tests.drills.media import corpus

    audio = upload_media(corpus.mp3(), filename="cue.mp3", title="Spoken cue")
    drill = make_drill(title="Heel pull")
    url = change_url(drill)
    form = admin_form_data(signed_in.get(url))
    new_row = {key.replace("__prefix__", "0"): value for key, value in form.items() if "media_links-__prefix__" in key}

    response = signed_in.post(
        url, {**form, **new_row, "media_links-TOTAL_FORMS": "1", "media_links-0-media": str(audio.pk)}
    )

    assert response.status_code == 200
    gallery = next(inline.formset for inline in response.context["inline_admin_formsets"]
                   if inline.formset.prefix == "media_links")
    errors = [str(error) for form in gallery.forms for error in form.errors.get("media", [])]
    assert any("This is audio, and the gallery shows photos, animations and videos" in error for error in errors)
    assert not DrillMedia.objects.filter(drill=drill).exists()


# A NUL is refused before the admin sees it (tests/security/test_nul_characters.py).
@pytest.mark.parametrize("term", ["%", "' OR 1=1 --", "x" * 5000])
def test_hostile_autocomplete_terms_answer_normally(signed_in, term):
    upload_media(title="Pull photo")

    response = signed_in.get(
        "/admin/autocomplete/", {"app_label": "drills", "model_name": "step", "field_name": "media", "term": term}
    )

    assert response.status_code == 200


# --- A file kept while the form is shown again ----------------------------------------------


def test_a_photo_refused_for_missing_alt_text_is_kept_and_saved_with_the_next_try(
    signed_in, media_root, django_capture_on_commit_callbacks
):
    content = image_bytes(size=(800, 600))
    response = post_add_form(signed_in, upload(content, "heel-to-hip.jpg"), alt_text="")

    assert "heel-to-hip.jpg kept — choose another to replace it." in page_text(response)
    assert len(kept_files(media_root)) == 1
    form = admin_form_data(response)
    assert form["file-kept"]

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(ADD_URL, {**form, "alt_text": "Runner pulling a heel to the hip"})

    assert response.status_code == 302
    media = CueMedia.objects.get()
    assert (media_root / media.file.name).read_bytes() == content
    assert media.renditions.exists()
    assert kept_files(media_root) == []
    assert stored_files(media_root) == referenced_files()


def test_a_forged_or_expired_kept_reference_opens_nothing_and_asks_for_the_file(signed_in, media_root, settings):
    response = post_add_form(signed_in, upload(image_bytes()), alt_text="")
    form = admin_form_data(response)

    forged = signed_in.post(ADD_URL, {**form, "file-kept": form["file-kept"][:-2] + "xx", "alt_text": "A runner"})
    settings.RUNCMS_KEPT_UPLOAD_MAX_AGE = -1
    expired = signed_in.post(ADD_URL, {**form, "alt_text": "A runner"})

    for response in (forged, expired):
        assert response.status_code == 200
        assert "no longer kept" in " ".join(field_errors(response, "file"))
    assert CueMedia.objects.count() == 0


def test_a_file_refused_by_its_own_checks_is_not_kept(signed_in, media_root):
    response = post_add_form(signed_in, upload(b"<html><script>alert(1)</script></html>"), alt_text="")

    assert "kept" not in page_text(response)
    assert kept_files(media_root) == []


def test_choosing_another_file_replaces_the_kept_one(signed_in, media_root):
    first = post_add_form(signed_in, upload(image_bytes(), "first.jpg"), alt_text="")
    kept_before = kept_files(media_root)

    second = signed_in.post(ADD_URL, {
        **admin_form_data(first), "file": upload(image_bytes(size=(640, 480)), "second.jpg"), "alt_text": "",
    })

    assert "second.jpg kept" in page_text(second)
    assert len(kept_files(media_root)) == 1
    assert kept_files(media_root) != kept_before


def test_old_kept_files_are_removed_by_the_next_keep_and_by_the_command(signed_in, media_root, settings):
    from django.core.management import call_command

    post_add_form(signed_in, upload(image_bytes(), "old.jpg"), alt_text="")
    settings.RUNCMS_KEPT_UPLOAD_MAX_AGE = 0
    post_add_form(signed_in, upload(image_bytes(), "new.jpg"), alt_text="")
    assert len(kept_files(media_root)) == 1

    call_command("clean_kept_uploads")

    assert kept_files(media_root) == []


def test_the_kept_picture_is_shown_to_editors_only(signed_in, client, media_root):
    response = post_add_form(signed_in, upload(image_bytes(), "heel.jpg"), alt_text="")
    url = re.search(r'src="(/admin/drills/cuemedia/kept/[^"]+/)"', response.content.decode())[1]

    shown = signed_in.get(url)
    signed_in.logout()
    anonymous = signed_in.get(url)

    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    assert anonymous.status_code == 302


def test_a_file_just_over_the_size_limit_is_refused_with_two_different_sizes(signed_in, media_root, settings):
    from tests.drills.media import corpus

    content = corpus.noisy_jpeg()  # some tens of KB: rounded to 0.1 KB, one byte less reads the same
    settings.RUNCMS_MEDIA_MAX_BYTES = len(content) - 1

    response = post_add_form(signed_in, upload(content))

    [error] = field_errors(response, "file")
    found = re.fullmatch(r"The file is (.+); the limit is (.+)\. Compress it or upload a shorter clip\.", error)
    assert found and found[1] != found[2]
    assert stored_files(media_root) == []
