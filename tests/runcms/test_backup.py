import hashlib
import io
import json
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import UnidentifiedImageError
from reversion.models import Version

from drills.models import Cue, CueMedia, Drill, DrillMedia, Rendition
from runcms.backup import checks, content_models, journal_models, sign_manifest
from runcms.backup.registry import excluded_models
from runcms.models import ChangeLog, Document, DraftChange, OldSlug, OutdatedTranslation, Review, UnsentJob
from runcms.publishing import Status
from tests.drills.media.corpus import html_page, mp3, mp4_h264, wav
from tests.factories import (
    image_bytes,
    make_article,
    make_category,
    make_drill,
    make_equipment,
    make_muscle,
    make_program,
    make_topic,
    upload_media,
)
from tests.helpers.backup import delete_all_content, empty_media_root, export, import_
from tests.helpers.scenes import fresh, make_editor, shared_scene

pytestmark = pytest.mark.django_db


# --- Helpers ------------------------------------------------------------------------------------


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def media_tree(root):
    """{file name: sha256} of everything in a media folder: originals, posters and renditions."""
    return {str(path.relative_to(root)): sha256(path.read_bytes()) for path in root.rglob("*") if path.is_file()}


def database_rows():
    """Every content row with every column, and every many-to-many link, as plain data."""
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in content_models()}
    for model in content_models():
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                columns = [f.attname for f in through._meta.fields if not f.primary_key]
                rows[through._meta.label] = sorted(map(str, through.objects.values_list(*columns)))
    return rows


def first_sync_page(client):
    """What a new app receives first, without the token (it differs from one call to the next)."""
    response = client.get("/api/v1/sync/")
    assert response.status_code == 200
    data = response.json()
    data.pop("token")
    return data


def rewrite(path, change, *, reseal, secret_key=None):
    """Change an archive's members; with `reseal`, also rewrite its manifest and sign it again, as only
    someone holding the site's SECRET_KEY (or `secret_key`, a forger's guess) could."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        comment = archive.comment
    change(members)
    if reseal:
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = [
            {"path": name, "bytes": len(data), "sha256": sha256(data)}
            for name, data in members.items()
            if name != "manifest.json"
        ]
        members["manifest.json"] = json.dumps(manifest).encode()
        comment = sign_manifest(members["manifest.json"], secret_key)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.comment = comment


def first_media_member(members):
    return next(name for name in members if name.startswith("files/media/"))


def content_of(members):
    return json.loads(members["content.json"])


# --- Content --------------------------------------------------------------------------------------


@shared_scene(scope="class")
def site_of_every_kind():
    """The editor, and content of every kind they saved: drafts, a schedule, an old slug, an image, a video
    with a poster, audio (built once for the class of tests that use it)."""
    editor = make_editor()
    photo = upload_media(image_bytes(size=(800, 500)), title="Heel pull")
    clip = upload_media(mp4_h264(), filename="clip.mp4", poster=image_bytes(size=(64, 48)), alt_text="")
    voice = upload_media(mp3(), filename="cue.mp3", alt_text="")
    drill = make_drill(
        slug="heel-pull", steps=["Lie face down.", "Pull the heel to the hip."],
        cues=["Keep your hips and back level"], updated_by=editor,
    )
    drill.primary_muscles.set([make_muscle(slug="hamstrings")])
    drill.equipment.set([make_equipment(slug="mat")])
    DrillMedia.objects.create(drill=drill, media=photo, position=1)
    DrillMedia.objects.create(drill=drill, media=clip, position=2)
    cue = Cue.objects.get(drill=drill)
    cue.audio = voice
    cue.save()
    drill.slug = "face-down-heel-pull"
    drill.save()
    drill.progressions.set([make_drill(slug="banded-heel-pull", status=Status.DRAFT)])
    now = timezone.now()
    make_drill(slug="scheduled-drill", publish_at=now + timedelta(days=3))
    make_drill(slug="expired-drill", publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1))
    make_program([drill], slug="pull-strength", cover=photo)
    make_article(
        body="## The pull\n\nPull the foot under the hip.\n\n[[drill:face-down-heel-pull]]\n",
        hero=photo, topics=[make_topic(slug="running-technique")], sources=["How to Run"],
    )
    make_article(slug="draft-article", status=Status.DRAFT)
    assert OldSlug.objects.filter(slug="heel-pull").exists()
    return editor


@shared_scene()
def archived_site():
    """A little content exported to an archive, then deleted with its files: an empty site to import it into."""
    photo = upload_media(image_bytes(size=(400, 250)))
    DrillMedia.objects.create(drill=make_drill(slug="heel-pull"), media=photo)
    upload_media(wav(), filename="cue.wav", alt_text="")
    root = Path(django_settings.MEDIA_ROOT)
    path = export(root.parent / f"{root.name}-backup.zip")
    delete_all_content()
    shutil.rmtree(root)  # the files too: the rows' deletion would remove them only once it commits
    root.mkdir()
    return path


@pytest.fixture
def small_archive(archived_site, tmp_path):
    """An exported archive of a little content (this test's own copy, to damage at will), and an empty site."""
    return Path(shutil.copy(archived_site, tmp_path / "backup.zip"))


def assert_site_is_empty(media_root):
    assert not any(model.objects.exists() for model in content_models())
    assert not Rendition.objects.exists()
    assert media_tree(media_root) == {}


# --- Round trip ---------------------------------------------------------------------------------


class TestRoundTripOfASiteOfEveryKind:
    """Tests of content of every kind (`site_of_every_kind`), built once for the class in a transaction rolled
    back after it; each test changes it in its own savepoint."""

    @pytest.fixture
    def site(self, site_of_every_kind):
        """Content of every kind, as it was built."""

    @pytest.fixture
    def editor(self, site_of_every_kind):
        """The editor who saved the content (the scene's own user, fresh from the database)."""
        return fresh(site_of_every_kind)

    def test_export_then_import_into_an_empty_site_restores_the_sync_output_rows_and_media_bytes(
        self, site, client, settings, tmp_path, media_root
    ):
        sync_before, rows_before, files_before = first_sync_page(client), database_rows(), media_tree(media_root)
        assert all(sync_before["upserted"][name] for name in ("drills", "programs", "articles", "media"))
        archive = export(tmp_path / "backup.zip")
        restored_root = empty_media_root(settings, tmp_path, "restored")
        delete_all_content()

        import_(archive)

        assert first_sync_page(client) == sync_before
        assert database_rows() == rows_before  # ids, slugs, old slugs, timestamps, drafts, schedules
        assert media_tree(restored_root) == files_before  # originals, posters and renditions, byte for byte

    def test_import_twice_changes_nothing_the_second_time(self, site, settings, tmp_path):
        archive = export(tmp_path / "backup.zip")
        restored_root = empty_media_root(settings, tmp_path, "restored")
        delete_all_content()
        import_(archive)
        rows, files = database_rows(), media_tree(restored_root)

        output, _ = import_(archive)

        assert "already restored" in output
        assert database_rows() == rows
        assert media_tree(restored_root) == files

    def test_an_apps_sync_token_from_before_the_backup_gets_every_change_since_from_the_restored_site(
        self, site, client, settings, tmp_path
    ):
        token = client.get("/api/v1/sync/").json()["token"]
        edited = Drill.objects.get(slug="face-down-heel-pull")
        edited.title = "Face-down heel pull, slowly"
        edited.save()
        gone = make_drill(slug="short-lived")
        gone_id = str(gone.pk)
        client.get("/api/v1/sync/")  # the app may have seen it
        gone.delete()
        journal = list(ChangeLog.objects.order_by("id").values())
        archive = export(tmp_path / "backup.zip")
        empty_media_root(settings, tmp_path, "restored")
        delete_all_content()
        import_(archive)

        changes = client.get("/api/v1/sync/", {"token": token}).json()

        assert "Face-down heel pull, slowly" in [drill["title"] for drill in changes["upserted"]["drills"]]
        assert gone_id in changes["deleted"]["drills"]
        assert list(ChangeLog.objects.order_by("id").values()) == journal  # as it was, positions and all

    def test_import_keeps_editors_who_exist_and_says_which_do_not(self, site, settings, tmp_path, editor):
        archive = export(tmp_path / "backup.zip")
        empty_media_root(settings, tmp_path, "restored")
        delete_all_content()
        editor.delete()

        output, _ = import_(archive)

        assert "No user here is called editor" in output

    def test_video_keeps_its_poster_and_audio_keeps_its_duration(self, site, settings, tmp_path):
        media_before = list(CueMedia.objects.order_by("pk").values("id", "poster", "duration_seconds", "kind"))
        archive = export(tmp_path / "backup.zip")
        empty_media_root(settings, tmp_path, "restored")
        delete_all_content()

        import_(archive)

        assert list(CueMedia.objects.order_by("pk").values("id", "poster", "duration_seconds", "kind")) == media_before


def test_export_then_import_carries_every_language(languages, client, settings, tmp_path):
    drill = make_drill(slug="heel-pull", title="Heel pull", title_de="Fersenzug", steps=["Lie face down."])
    drill.steps.update(text_zh_hans="俯卧。")
    german_before = client.get("/api/v1/drills/heel-pull/", {"lang": "de"}).json()
    archive = export(tmp_path / "backup.zip")
    empty_media_root(settings, tmp_path, "restored")
    delete_all_content()

    import_(archive)

    restored = Drill.objects.get(slug="heel-pull")
    assert (restored.title_en, restored.title_de) == ("Heel pull", "Fersenzug")
    assert restored.steps.get().text_zh_hans == "俯卧。"
    assert client.get("/api/v1/drills/heel-pull/", {"lang": "de"}).json() == german_before


def test_import_into_a_site_with_other_content_is_refused_and_changes_nothing(small_archive, media_root, settings):
    make_drill(slug="an-editors-new-drill")
    rows, files = database_rows(), media_tree(settings.MEDIA_ROOT)

    refusal = r"already has content \(1 category, 1 drill\).*only restores into an empty site"
    with pytest.raises(CommandError, match=refusal):
        import_(small_archive)

    assert database_rows() == rows
    assert media_tree(settings.MEDIA_ROOT) == files


def test_import_into_an_emptied_site_that_apps_have_synced_with_is_refused(small_archive):
    drill = make_drill(slug="made-and-deleted")
    drill.delete()  # leaves entries in this site's sync journal
    drill.category.delete()

    with pytest.raises(CommandError, match="sync journal"):
        import_(small_archive)

    assert not any(model.objects.exists() for model in content_models())


def test_restored_items_start_their_history_with_a_restore_revision(small_archive):
    import_(small_archive)

    versions = Version.objects.get_for_object(Drill.objects.get(slug="heel-pull"))
    assert [version.revision.get_comment() for version in versions] == [
        "Restored from a backup (manage.py import_content)."
    ]


def test_restored_site_gives_new_rows_fresh_ids(small_archive):
    import_(small_archive)

    added = make_drill(slug="added-after-the-restore", category=make_category(), steps=["One more step."])

    assert added.steps.count() == 1


def test_export_and_import_show_progress(small_archive, tmp_path):
    _, progress = import_(small_archive)

    assert "Checking archive" in progress and "Making renditions" in progress and "100%" in progress
    err = io.StringIO()
    call_command("export_content", str(tmp_path / "again.zip"), stdout=io.StringIO(), stderr=err)
    assert "Exporting media" in err.getvalue() and "100%" in err.getvalue()


def test_export_refuses_when_a_media_file_is_missing_and_leaves_no_archive(media_root, tmp_path):
    photo = upload_media(image_bytes(size=(400, 250)))
    DrillMedia.objects.create(drill=make_drill(), media=photo)
    (media_root / photo.file.name).unlink()

    with pytest.raises(CommandError, match="missing from media storage"):
        export(tmp_path / "backup.zip")

    assert list(tmp_path.glob("backup.zip*")) == [] and list(tmp_path.glob(".backup.zip*")) == []


def test_every_model_of_the_content_apps_is_backed_up_except_derived_and_editorial_state():
    models = {m._meta.label for app in ("drills", "articles", "runcms") for m in apps.get_app_config(app).get_models()}
    # Outdated-translation marks are derived from revisions, which a restored site starts without;
    # unsent jobs belong to this site's broker, not to its content; drafts are pending edits.
    derived = {Rendition, Document, Review, OutdatedTranslation, UnsentJob, DraftChange}
    left_out = {model._meta.label for model in derived}

    assert models - left_out == {model._meta.label for model in (*content_models(), *journal_models())}
    assert set(excluded_models()) == {*derived, *apps.get_app_config("webhooks").get_models()}


def test_each_content_model_comes_after_the_models_its_foreign_keys_point_at():
    order = content_models()

    for position, model in enumerate(order):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in order and field.related_model is not model:
                assert order.index(field.related_model) < position, (model, field.name)


# --- Refused archives ---------------------------------------------------------------------------


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path):
    path.write_bytes(hashlib.sha512(b"not an archive").digest() * 100)


def _flip_media_byte(members):
    name = first_media_member(members)
    data = bytearray(members[name])
    data[len(data) // 2] ^= 0x01
    members[name] = bytes(data)


def _change_a_title(members):
    members["content.json"] = members["content.json"].replace(b'"Heel pull"', b'"Heel pulL"', 1)


def _remove_media_file(members):
    del members[first_media_member(members)]


def _add_unlisted_file(members):
    members["files/media/extra.png"] = image_bytes(format="PNG")


def _edit_manifest(members):
    members["manifest.json"] = members["manifest.json"].replace(b'"version": 1', b'"version": 1 ')


def _future_version(members):
    manifest = json.loads(members["manifest.json"])
    manifest["version"] = 2
    members["manifest.json"] = json.dumps(manifest).encode()


def _broken_json(members):
    members["content.json"] = members["content.json"][:-40]


def _html_as_media(members):
    members[first_media_member(members)] = html_page()


def _path_outside_media(members):
    old = first_media_member(members)
    members["files/../../settings.py"] = members.pop(old)
    members["content.json"] = members["content.json"].replace(
        old.removeprefix("files/").encode(), b"../../settings.py"
    )


def _edit(model, *, where=None, **fields):
    """A damage that sets `fields` on the first `model` row of content.json whose fields match `where`."""
    def damage(members):
        content = content_of(members)
        row = next(row for row in content["objects"]
                   if row["model"] == model and (where or {}).items() <= row["fields"].items())
        row["fields"].update(fields)
        members["content.json"] = json.dumps(content).encode()
    damage.__name__ = f"_{model.split('.')[1]}_with_" + "_".join(f"{name}={value}" for name, value in fields.items())
    return damage


def _media_row(members, kind):
    return next(row for row in content_of(members)["objects"]
                if row["model"] == "drills.cuemedia" and row["fields"]["kind"] == kind)


def _rename_media_file(new_name):
    def damage(members):
        old = _media_row(members, "image")["fields"]["file"]
        members["files/" + new_name] = members.pop("files/" + old)
        members["content.json"] = members["content.json"].replace(old.encode(), new_name.encode())
    damage.__name__ = f"_media_file_named_{new_name}"
    return damage


def _rendition_named_as_an_original(members):
    content = content_of(members)
    content["renditions"][0]["file"] = _media_row(members, "image")["fields"]["file"]
    members["content.json"] = json.dumps(content).encode()


def _dangling_reference(members):
    content = content_of(members)
    content["objects"] = [row for row in content["objects"] if row["model"] != "drills.category"]
    members["content.json"] = json.dumps(content).encode()


def _unknown_model(members):
    content = content_of(members)
    content["objects"].append({"model": "auth.user", "pk": 1, "fields": {"username": "intruder"}})
    members["content.json"] = json.dumps(content).encode()


@pytest.mark.parametrize(
    ("damage", "reseal", "message"),
    [
        (_truncate, None, "truncated"),
        (_garbage, None, "not a readable backup archive"),
        (_flip_media_byte, False, "damaged or was changed after export"),
        (_change_a_title, False, "damaged or was changed after export"),
        (_remove_media_file, False, "missing from the archive"),
        (_add_unlisted_file, False, "which its manifest does not list"),
        (_edit_manifest, False, "not made by this site or edited since"),
        (_future_version, True, "format version 2"),
        (_broken_json, True, "not valid JSON"),
        (_html_as_media, True, "refused as media"),
        (_path_outside_media, True, "not allowed"),
        (_dangling_reference, True, "which is not in the archive"),
        (_unknown_model, True, "does not back up"),
        (_edit("drills.drill", slug="Bad Slug/<x>"), True, r"drill \S+, field slug is not valid: Enter a valid “slug”"),
        (_edit("drills.drill", status="hacked"), True, r"drill \S+, field status is not valid: Value 'hacked' is not"),
        (_edit("drills.drill", reps=5000), True, r"drill \S+, field reps is not valid: .* less than or equal to 1000"),
        (_edit("drills.cuemedia", where={"kind": "image"}, mime_type="text/html"), True,
         "mime_type is 'text/html', but its file's is 'image/"),
        (_edit("drills.cuemedia", where={"kind": "audio"}, kind="image", width=100, height=100, alt_text="A tone",
               alt_text_en="A tone"),  # the default language's text is in its own column
         True,
         "kind is 'image', but its file's is 'audio'"),
        (_edit("drills.cuemedia", where={"kind": "image"}, poster="posters/0123456789abcdef0123456789abcdef.jpg"),
         True, "with a poster, which only a video has"),
        (_rename_media_file("media/evil.html"), True, "not allowed"),
        (_rename_media_file("media/.htaccess"), True, "not allowed"),
        (_rename_media_file("renditions/0123456789abcdef0123456789abcdef.jpg"), True, "not allowed"),
        (_rendition_named_as_an_original, True, "not allowed"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else None,
)
def test_damaged_or_changed_archive_is_refused_and_nothing_is_written(small_archive, settings, damage, reseal,
                                                                      message):
    if reseal is None:
        damage(small_archive)
    else:
        rewrite(small_archive, damage, reseal=reseal)

    with pytest.raises(CommandError, match=message) as refusal:
        import_(small_archive)

    assert "Nothing was imported" in str(refusal.value)
    assert_site_is_empty(settings.MEDIA_ROOT)


def test_archive_edited_and_resealed_without_the_sites_secret_key_is_refused(small_archive, settings):
    rewrite(small_archive, _change_a_title, reseal=True, secret_key="a forger's guess at the key")

    with pytest.raises(CommandError, match="not made by this site or edited since") as refusal:
        import_(small_archive)

    assert "SECRET_KEY" in str(refusal.value) and "Nothing was imported" in str(refusal.value)
    assert_site_is_empty(settings.MEDIA_ROOT)


def test_archive_with_plain_recomputed_hashes_and_no_signature_is_refused(small_archive, settings):
    def reseal_with_a_plain_hash(members):
        _change_a_title(members)
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = [
            {"path": name, "bytes": len(data), "sha256": sha256(data)}
            for name, data in members.items() if name != "manifest.json"
        ]
        members["manifest.json"] = json.dumps(manifest).encode()

    rewrite(small_archive, reseal_with_a_plain_hash, reseal=False)
    with zipfile.ZipFile(small_archive, "a") as archive:
        archive.comment = b"runcms-backup manifest sha256=" + sha256(archive.read("manifest.json")).encode()

    with pytest.raises(CommandError, match="not signed"):
        import_(small_archive)

    assert_site_is_empty(settings.MEDIA_ROOT)


def test_archive_from_a_site_with_another_secret_key_imports_once_that_key_is_set(
    small_archive, settings
):
    exporting_key = settings.SECRET_KEY
    settings.SECRET_KEY = "the restored site's own, different key"
    with pytest.raises(CommandError, match="SECRET_KEY"):
        import_(small_archive)

    settings.SECRET_KEY = exporting_key
    output, _ = import_(small_archive)

    assert "Restored from" in output


def test_archive_signed_with_a_retired_key_imports_while_that_key_is_a_fallback(small_archive, settings):
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the key that replaced it"

    output, _ = import_(small_archive)

    assert "Restored from" in output


def test_a_failure_while_making_renditions_is_a_clear_error_and_nothing_is_written(
    small_archive, settings, monkeypatch
):
    def unreadable(*args, **kwargs):
        raise UnidentifiedImageError("cannot identify image file")

    monkeypatch.setattr("drills.media.backup.build_renditions", unreadable)

    with pytest.raises(CommandError, match=r"renditions of media \S+ could not be made .*UnidentifiedImageError"):
        import_(small_archive)

    assert_site_is_empty(settings.MEDIA_ROOT)


# --- Oversized archives --------------------------------------------------------------------------


def _add_member(path, name, data, *, compression=zipfile.ZIP_STORED):
    """Add a member listed in a re-signed manifest, as someone holding the key could."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    manifest = json.loads(members.pop("manifest.json"))
    manifest["files"].append({"path": name, "bytes": len(data), "sha256": sha256(data)})
    raw = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
        archive.writestr(name, data, compression)
        archive.writestr("manifest.json", raw)
        archive.comment = sign_manifest(raw)


@pytest.fixture
def extracted(monkeypatch):
    """The archive members the import inflated, by name."""
    names = []
    extract = checks.extract_member

    def spy(archive, entry, *args):
        names.append(entry["path"])
        return extract(archive, entry, *args)

    monkeypatch.setattr(checks, "extract_member", spy)
    return names


def test_a_listed_member_no_row_uses_is_refused_before_it_is_inflated(small_archive, settings, extracted):
    zeros = bytes(16 * 1024 * 1024)  # a few KB deflated; the audit's had 1 GiB
    _add_member(small_archive, "files/media/0123456789abcdef0123456789abcdef.jpg", zeros,
                compression=zipfile.ZIP_DEFLATED)

    with pytest.raises(CommandError, match="which no media item in content.json uses") as refusal:
        import_(small_archive)

    assert "files/media/0123456789abcdef0123456789abcdef.jpg" not in extracted
    assert "Nothing was imported" in str(refusal.value)
    assert_site_is_empty(settings.MEDIA_ROOT)


def test_a_listed_member_that_is_not_content_or_media_is_refused_before_anything_is_inflated(
    small_archive, extracted
):
    _add_member(small_archive, "junk.bin", bytes(1024), compression=zipfile.ZIP_DEFLATED)

    with pytest.raises(CommandError, match="junk.bin.*not allowed in a backup"):
        import_(small_archive)

    assert extracted == []


def test_a_member_larger_than_its_manifest_says_is_refused_before_it_is_inflated(small_archive, extracted):
    def understate_the_content_size(members):
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = [
            {"path": name, "bytes": 10 if name == "content.json" else len(data), "sha256": sha256(data)}
            for name, data in members.items() if name != "manifest.json"
        ]
        members["manifest.json"] = json.dumps(manifest).encode()

    rewrite(small_archive, understate_the_content_size, reseal=False)
    with zipfile.ZipFile(small_archive, "a") as archive:
        archive.comment = sign_manifest(archive.read("manifest.json"))

    with pytest.raises(CommandError, match="content.json is .* bytes in the archive, but its manifest says 10"):
        import_(small_archive)

    assert extracted == []


def test_content_larger_than_the_limit_is_refused_before_it_is_inflated(small_archive, monkeypatch, extracted):
    monkeypatch.setattr(checks, "CONTENT_MAX_BYTES", 1000)

    with pytest.raises(CommandError, match=r"content.json is \d+ bytes, more than a backup's content may be"):
        import_(small_archive)

    assert extracted == []


def test_an_archive_too_big_for_the_free_disk_space_is_refused_with_a_clear_message(
    small_archive, settings, monkeypatch
):
    real_disk_usage = shutil.disk_usage

    def nearly_full(path):  # the disk as the operating system reports it, with 1000 bytes left
        usage = real_disk_usage(path)
        return type(usage)(usage.total, usage.total - 1000, 1000)

    monkeypatch.setattr(shutil, "disk_usage", nearly_full)

    with pytest.raises(CommandError, match="needs .* of free disk space .* only 1000 bytes are free"):
        import_(small_archive)

    assert_site_is_empty(settings.MEDIA_ROOT)


def test_import_into_a_media_folder_that_does_not_exist_yet_creates_it(small_archive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "new-site" / "media"

    import_(small_archive)

    assert CueMedia.objects.count() == 2
    assert all((settings.MEDIA_ROOT / media.file.name).is_file() for media in CueMedia.objects.all())


def test_import_into_a_media_folder_that_cannot_be_created_says_what_to_create(small_archive, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"

    with pytest.raises(CommandError, match=r"media folder .*a-file/media \(MEDIA_ROOT\) does not exist and cannot "
                       r"be created: .* Nothing was imported\. Create that folder"):
        import_(small_archive)

    assert not any(model.objects.exists() for model in content_models())


def test_missing_archive_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no archive at"):
        import_(tmp_path / "nowhere.zip")


# --- Repair -------------------------------------------------------------------------------------


def api_renditions(client):
    """{media id: [rendition as the API gives it]} for every public media item."""
    response = client.get("/api/v1/media/", {"page_size": 100})
    assert response.status_code == 200
    return {media["id"]: media["renditions"] for media in response.json()["results"]}


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, sha256(body)


def test_reimport_puts_a_lost_rendition_back_under_its_name_and_leaves_the_others(
    small_archive, client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_(small_archive)
    before = api_renditions(client)
    lost = Rendition.objects.order_by("pk").first().file.name
    (settings.MEDIA_ROOT / lost).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        output, _ = import_(small_archive)

    assert "0 media files and 1 renditions" in output
    assert api_renditions(client) == before  # names, URLs, sizes and hashes unchanged
    for rendition in (r for renditions in before.values() for r in renditions):
        assert fetch(client, rendition["url"]) == (200, rendition["sha256"])
    with django_capture_on_commit_callbacks(execute=True):
        again, _ = import_(small_archive)
    assert "nothing changed" in again


def test_reimport_gives_a_lost_rendition_that_comes_out_different_a_new_name_and_keeps_the_others(
    small_archive, client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_(small_archive)
    lost = Rendition.objects.order_by("pk").first()
    old_name = lost.file.name
    (settings.MEDIA_ROOT / old_name).unlink()
    Rendition.objects.filter(pk=lost.pk).update(sha256="0" * 64)  # as if made by another encoder version
    others = list(Rendition.objects.exclude(pk=lost.pk).order_by("pk").values())

    with django_capture_on_commit_callbacks(execute=True):
        import_(small_archive)

    lost.refresh_from_db()
    assert lost.file.name != old_name and lost.sha256 != "0" * 64
    assert fetch(client, lost.file.url) == (200, lost.sha256)
    assert list(Rendition.objects.exclude(pk=lost.pk).order_by("pk").values()) == others
