"""Media in an S3-compatible bucket: moto's standalone S3 server, reached over HTTP like any bucket."""

import hashlib
import io
import urllib.request
from urllib.error import HTTPError

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from drills.media.storage import MediaStorageError
from drills.models import CueMedia, DrillMedia, Rendition
from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.conftest import bucket_storage, free_port
from tests.factories import image_bytes, make_drill, referenced_files, upload, upload_media
from tests.runcms.test_backup import delete_all_content, export, first_sync_page, import_

pytestmark = pytest.mark.django_db

PHOTO = image_bytes(size=(800, 600))
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def fetch(url):
    """GET `url` as a browser following a redirect to the bucket would: (status, headers, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except HTTPError as error:
        return error.code, error.headers, error.read()


def public_photo():
    media = upload_media(PHOTO)
    DrillMedia.objects.create(drill=make_drill(), media=media)
    return media


def sha256s(bucket):
    return {key: hashlib.sha256(bucket.read(key)).hexdigest() for key in bucket.names()}


# --- Upload and renditions ------------------------------------------------------------------


def test_upload_stores_the_original_and_every_rendition_in_the_bucket(bucket):
    media = upload_media(PHOTO)

    assert bucket.names() == referenced_files()
    assert bucket.read(media.file.name) == PHOTO
    for rendition in media.renditions.all():
        assert hashlib.sha256(bucket.read(rendition.file.name)).hexdigest() == rendition.sha256
    assert media.renditions.filter(format="webp").exists()


def test_every_object_in_the_bucket_is_private(bucket):
    upload_media(PHOTO)

    for key in bucket.names():
        grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"], key
        assert all(grant["Grantee"].get("URI") != ALL_USERS for grant in grants), key


# --- Serving ----------------------------------------------------------------------------------


def test_pages_and_the_api_link_to_the_site_not_to_the_bucket(bucket, client):
    media = public_photo()

    data = client.get(f"/api/v1/media/{media.pk}/").json()

    assert data["url"] == f"http://testserver/media/{media.file.name}"
    assert all(r["url"].startswith("http://testserver/media/renditions/") for r in data["renditions"])


def test_public_original_redirects_to_a_signed_bucket_url_that_serves_its_bytes_and_type(bucket, client):
    media = public_photo()

    response = client.get(media.file.url)

    assert response.status_code == 302
    assert response["Cache-Control"] == "public, max-age=150"
    assert "Signature=" in response["Location"] or "X-Amz-Signature=" in response["Location"]
    status, headers, body = fetch(response["Location"])
    assert (status, headers["Content-Type"], body) == (200, "image/jpeg", PHOTO)
    assert headers["Cache-Control"] == "public, max-age=86400"


def test_public_rendition_is_served_from_the_bucket_as_immutable(bucket, client):
    webp = public_photo().renditions.get(name="w640", format="webp")

    status, headers, body = fetch(client.get(webp.file.url)["Location"])

    assert (status, headers["Content-Type"], len(body)) == (200, "image/webp", webp.bytes)
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_drafts_file_is_not_found_through_the_site(bucket, client):
    media = upload_media(PHOTO)
    DrillMedia.objects.create(drill=make_drill(status=Status.DRAFT), media=media)

    response = client.get(media.file.url)

    assert response.status_code == 404


def test_an_editor_gets_a_drafts_file_through_a_redirect_no_cache_keeps(bucket, client, editor):
    media = upload_media(PHOTO)
    client.force_login(editor)

    response = client.get(media.file.url)

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    status, headers, body = fetch(response["Location"])
    assert (status, body) == (200, PHOTO)
    assert headers["Cache-Control"] == "private, no-store"


# --- Delete -----------------------------------------------------------------------------------


def test_deleting_media_removes_its_objects_from_the_bucket(bucket, django_capture_on_commit_callbacks):
    from drills.media.storage import delete_media

    upload_media(PHOTO)
    kept = upload_media(image_bytes(size=(640, 480), color=(10, 200, 30)))

    with django_capture_on_commit_callbacks(execute=True):
        delete_media(CueMedia.objects.exclude(pk=kept.pk).get())

    assert bucket.names() == referenced_files()
    assert kept.file.name in bucket.names()


# --- Backup -----------------------------------------------------------------------------------


def test_export_then_import_into_an_empty_bucket_restores_rows_sync_and_objects(
    bucket, s3_server, settings, client, tmp_path
):
    public_photo()
    upload_media(image_bytes(size=(500, 400), color=(0, 90, 200)), title="A draft's picture")
    sync_before, objects_before = first_sync_page(client), sha256s(bucket)
    archive = export(tmp_path / "backup.zip")
    bucket.client.create_bucket(Bucket=f"{bucket.name}-restored")
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(s3_server, f"{bucket.name}-restored")}
    bucket.name = f"{bucket.name}-restored"
    delete_all_content()

    import_(archive)

    assert first_sync_page(client) == sync_before
    assert sha256s(bucket) == objects_before  # originals and renditions, under the same names


# --- Failures -----------------------------------------------------------------------------------


@pytest.fixture
def storage_down(settings, s3_server):
    """Media storage pointed at a loopback port nothing listens on (AWS_S3_ENDPOINT_URL)."""
    from botocore.config import Config

    config = Config(connect_timeout=1, retries={"max_attempts": 1, "mode": "standard"})
    endpoint = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(endpoint, "runcms", client_config=config)}


def test_upload_while_storage_is_down_is_refused_with_a_clear_error_and_no_row(storage_down):
    with pytest.raises(MediaStorageError, match="could not be stored.*Nothing was saved"):
        upload_media(PHOTO)

    assert not CueMedia.objects.exists()
    assert not Rendition.objects.exists()


def test_admin_upload_while_storage_is_down_says_so_and_saves_nothing(storage_down, client, editor):
    client.force_login(editor)
    form = admin_form_data(client.get("/admin/drills/cuemedia/add/"))

    response = client.post(
        "/admin/drills/cuemedia/add/", {**form, "alt_text": "A heel pull", "file": upload(PHOTO)}, follow=True
    )

    assert response.status_code == 200
    assert "could not be stored" in response.content.decode()
    assert not CueMedia.objects.exists()


def test_database_failing_after_the_file_was_stored_leaves_no_object_in_the_bucket(bucket):
    def refuse_new_media_rows(execute, sql, params, many, context):
        # Django's documented hook around every query (connection.execute_wrapper).
        if sql.startswith('INSERT INTO "drills_cuemedia"'):
            raise OperationalError("the database went away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_new_media_rows), pytest.raises(OperationalError):
        upload_media(PHOTO)

    assert bucket.names() == []
    assert not CueMedia.objects.exists()


# --- Sweeping orphans -------------------------------------------------------------------------


def sweep(*args):
    out = io.StringIO()
    call_command("sweep_media_orphans", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def orphans(bucket):
    upload_media(PHOTO)
    names = ["media/0123456789abcdef0123456789abcdef.jpg", "renditions/fedcba9876543210fedcba9876543210.webp"]
    for name in names:
        bucket.client.put_object(Bucket=bucket.name, Key=name, Body=b"left behind")
    return names


def test_sweep_dry_run_lists_the_orphans_and_deletes_nothing(bucket, orphans):
    before = bucket.names()

    output = sweep("--dry-run", "--older-than", "0")

    assert bucket.names() == before
    assert all(f"would delete {name}" in output for name in orphans)
    assert "Would delete 2 orphaned media file(s)" in output


def test_sweep_deletes_only_files_no_row_points_at(bucket, orphans):
    output = sweep("--older-than", "0")

    assert bucket.names() == referenced_files()
    assert "Deleted 2 orphaned media file(s), 22" in output


def test_sweep_leaves_files_younger_than_the_age_alone(bucket, orphans):
    output = sweep()

    assert set(orphans) <= set(bucket.names())
    assert "Deleted 0 orphaned media file(s)" in output


def test_sweep_works_on_local_media_too(media_root):
    upload_media(PHOTO)
    orphan = media_root / "posters" / "00000000000000000000000000000000.jpg"
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"left behind")

    sweep("--older-than", "0")

    assert not orphan.exists()
    assert sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()) == referenced_files()


def test_sweep_refuses_a_negative_age(media_root):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="0 or more"):
        sweep("--older-than", "-1")
