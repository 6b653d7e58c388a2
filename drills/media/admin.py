"""The media library in the admin: upload with checks, the focal-point picker, previews and uses.

Media that live content shows keeps its text and focal point edits as a draft change
(runcms.admin.drafts), as a live drill does; a new file or poster is a publisher's, and goes
live at once with the form (its renditions cannot wait in a draft).
"""

import logging
from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from drills.media import kept_uploads, storage, versioned_files
from drills.media.picker import MediaAutocompleteView, MediaPickerSelect, thumbnail_pair
from drills.media.uses import media_uses
from drills.media.verify import verify_poster, verify_upload
from drills.models import VISUAL_KINDS, CueMedia
from runcms import drafts
from runcms.admin import ConcurrencyAdminMixin, ConcurrencyForm, HistoryAdminMixin, PublishPermissionMixin
from runcms.admin.dates import list_time
from runcms.admin.drafts import DraftAdminMixin
from runcms.admin.review import ReviewAdminMixin
from runcms.admin.translations import TranslationsAdminMixin
from runcms.admin.widgets import register_autocomplete_widget
from runcms.admin.workflow import preview_link
from runcms.links import public_url
from runcms.preview import make_draft_preview_token

logger = logging.getLogger(__name__)

KEPT_PICTURE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
# Stored names end with the extension verification found in the bytes (storage.save_media).
PICTURE_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif",
}
FILE_INPUTS = ("file", "file-kept", "poster", "poster-kept", "poster-clear")
LIVE_FILE_NOTE = {
    True: "Live content shows this media. A new file or poster goes live at once when you save, together "
    "with everything else in this form, without a draft. Text and focal point changes alone are kept as a "
    "draft until it is published.",
    False: "Live content shows this media, so only a publisher can replace its file or poster. Your changes "
    "to its text and focal point are kept as a draft until a publisher publishes it.",
}


class KeptFileWidget(AdminFileWidget):
    """The admin's file input, plus the file kept from the last try (see drills.media.kept_uploads):
    a hidden signed reference and a line naming it. Submitted without a new file, its value
    is the kept file."""

    template_name = "admin/drills/cuemedia/kept_file_input.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.kept = None  # the KeptUpload shown with the form
        self.submitted_token = ""

    def use_required_attribute(self, initial):
        return super().use_required_attribute(initial) and self.kept is None

    def kept_name(self, name):
        return f"{name}-kept"

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        self.submitted_token = data.get(self.kept_name(name)) or ""
        if value is not None:  # a new file, or False: "clear" ticked
            return value
        if self.kept is None or self.kept.token != self.submitted_token:
            self.kept = kept_uploads.open_kept(self.submitted_token)
        return self.kept

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(kept=self.kept, kept_name=self.kept_name(name))
        return context


class CueMediaForm(ConcurrencyForm):
    """Checks new files by their bytes (storage.check_media) before anything is stored, so a
    refusal is a form error next to the file and leaves storage untouched."""

    class Meta:
        model = CueMedia
        fields = ("file", "poster", "title", "alt_text", "caption", "credit", "licence", "focal_x", "focal_y")
        widgets = {"file": KeptFileWidget, "poster": KeptFileWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without them when they are read-only (media that live content shows, to a contributor).
        self.file_fields = [name for name in ("file", "poster") if name in self.fields]
        for name in self.file_fields:
            # Files are stored under a random name; the length of the uploader's name does not matter.
            self.fields[name].max_length = None
            self.fields[name].error_messages["empty"] = "This file is empty (0 bytes). Choose the file again."
        if "file" not in self.fields:
            self.media_check = self.new_file = self.new_poster = None
            return
        self.fields["file"].error_messages["required"] = "Choose a photo, animation, video or audio file to upload."
        if self.is_bound and self.data.get("file-kept") and not kept_uploads.open_kept(self.data["file-kept"]):
            hours = kept_uploads.max_age() / 3600
            self.fields["file"].error_messages["required"] = (
                f"The file chosen before is no longer kept (files are kept for {hours:g} hours). Choose it again."
            )
        self.media_check = self.new_file = self.new_poster = None

    def keep_uploads(self):
        """Keep each new file that passed its checks (see drills.media.kept_uploads), for the form shown
        again with errors, so the editor need not choose it twice; say
        plainly which must be chosen again. Kept files this form no longer needs are deleted."""
        cleaned = getattr(self, "cleaned_data", {})
        for name in self.file_fields:
            widget = self.fields[name].widget
            before = kept_uploads.open_kept(widget.submitted_token)
            value = cleaned.get(name) if name not in self.errors else None
            widget.kept = None
            if isinstance(value, kept_uploads.KeptUpload):
                widget.kept = value if self._verified(name, value) else None
            elif value and name in self.changed_data:
                verified = self._verified(name, value)
                try:
                    widget.kept = kept_uploads.keep(value, verified.mime_type) if verified else None
                except OSError:
                    logger.exception("Could not keep an upload for the media form")
                if widget.kept is None and name not in self.errors:
                    self.add_error(name, "This file could not be kept. Choose it again.")
            if before and (widget.kept is None or widget.kept.stored_name != before.stored_name):
                kept_uploads.discard(before)

    def _verified(self, name, value):
        found = getattr(self.media_check, name, None)
        if found is not None and value is (self.new_file if name == "file" else self.new_poster):
            return found
        try:
            return (verify_upload if name == "file" else verify_poster)(value)
        except ValidationError:
            return None

    def kept_files_used(self):
        """Kept files this form submitted: no longer needed once it is saved."""
        return [kept for name in self.file_fields if (kept := kept_uploads.open_kept(
            self.fields[name].widget.submitted_token
        ))]

    def clean(self):
        cleaned = super().clean()
        if "file" in self._errors or "poster" in self._errors:
            return cleaned
        self.new_file = cleaned.get("file") if "file" in self.changed_data else None
        self.new_poster = cleaned.get("poster") if "poster" in self.changed_data else None
        try:
            self.media_check = storage.check_media(self.instance, file=self.new_file, poster=self.new_poster)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(CueMedia)
class CueMediaAdmin(
    DraftAdminMixin, HistoryAdminMixin, ReviewAdminMixin, TranslationsAdminMixin, PublishPermissionMixin,
    ConcurrencyAdminMixin, VersionAdmin,
):
    form = CueMediaForm
    list_display = ("thumbnail", "title_column", "kind", "dimensions", "duration", "file_size", "updated")
    list_display_links = ("thumbnail", "title_column")
    list_filter = ("kind",)
    search_fields = ("title", "alt_text", "caption", "credit")
    list_per_page = 50
    readonly_fields = ("preview", "kind", "details", "rendition_list", "used_by")

    fieldsets = (
        (None, {"fields": ("file", "poster")}),
        ("Describe it", {"fields": ("title", "alt_text", "caption", "credit", "licence")}),
        (
            "Preview and focal point",
            {
                "fields": ("preview", ("focal_x", "focal_y")),
                "description": "Click the picture on the part that must stay in view when it is "
                "cropped, e.g. the runner’s knee. Phones show square crops around that point.",
            },
        ),
    )

    class Media:
        js = ("drills/admin/focal-point.js",)
        css = {"all": ("drills/admin/media-library.css",)}

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.is_public(obj):
            # Said next to the file: what saving a new one does to live content, or who may.
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "description": LIVE_FILE_NOTE[self.has_publish_permission(request)]})
        if obj is not None:
            fieldsets += [
                ("Details", {"fields": ("kind", "details", "rendition_list"), "classes": ("collapse",)}),
                ("Used by", {"fields": ("used_by",)}),
            ]
        return fieldsets

    def is_public(self, obj):
        # Media has no workflow of its own: the public sees it through the live content using it.
        return CueMedia.objects.public().filter(pk=obj.pk).exists()

    def get_queryset(self, request):
        # The list's thumbnails and the picker's (drills.media.picker), in one query per page.
        return super().get_queryset(request).with_thumbnails()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not self.has_publish_permission(request) and self.is_public(obj):
            return (*fields, "file", "poster")  # a new file would go live at once (LIVE_FILE_NOTE)
        return fields

    # --- Drafts: the text waits, a new file does not -------------------------------------------

    def _public_object(self, request, object_id):
        if getattr(request, "runcms_replacing_file", False):
            return None  # a publisher's new file: saved as an ordinary edit, live at once
        return super()._public_object(request, object_id)

    def _replacing_file(self, request, object_id, version=None):
        """A save (or a restored `version`) that brings another file to media live content shows goes
        live at once, so: a contributor is refused (PermissionDenied), a publisher is refused while a
        draft waits (the message is returned), and otherwise the request is marked to skip the draft."""
        if version is None and request.method != "POST":
            return None
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.is_public(obj):
            return None
        if version is not None:
            names = versioned_files.version_files(version)
            new = any(names.get(field, "") != (getattr(obj, field).name or "") for field in names)
        else:
            new = any(request.POST.get(key) or request.FILES.get(key) for key in FILE_INPUTS)
        if not new:
            return None
        if not self.has_publish_permission(request):
            raise PermissionDenied("Live content shows this media, so only a publisher can replace its file.")
        if drafts.DraftChange.objects.of(obj).exists():
            return (
                f"“{obj}” has a draft waiting. Publish or discard the draft first, then replace the file: "
                "a new file goes live at once."
            )
        request.runcms_replacing_file = True
        return None

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # A version with other files brings them back at once, as a new file would.
        refusal = self._replacing_file(request, object_id, self.get_version(version_id))
        if refusal:
            messages.error(request, refusal)
            return redirect(self._change_url(request, self.get_object(request, unquote(object_id))))
        return super().revision_view(request, object_id, version_id, extra_context)

    def preview_context(self, request, obj):
        """A link to the media's API detail as its draft has it (runcms.draft_preview); media has no page."""
        draft = drafts.draft_of(obj) if self.is_public(obj) else None
        if draft is None:
            return {}
        url = public_url(reverse("api:media-detail", args=[obj.pk]), request)
        return preview_link(url, make_draft_preview_token(draft))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = None if getattr(request, "runcms_drafting", False) else self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {**(extra_context or {}), **self.preview_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    # Kinds each media picker offers, by the field it fills: Django's autocomplete names the field
    # in its query. (A cue's audio and a program's cover say so on the field, with limit_choices_to.)
    autocomplete_kinds = {("drillmedia", "media"): VISUAL_KINDS, ("step", "media"): VISUAL_KINDS}

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        field = (request.GET.get("model_name"), request.GET.get("field_name"))
        if request.GET.get("app_label") == "drills" and field in self.autocomplete_kinds:
            queryset = queryset.filter(kind__in=self.autocomplete_kinds[field])
        return queryset, may_have_duplicates

    @admin.display(description="")
    def thumbnail(self, obj):
        webp, fallback = thumbnail_pair(obj)
        context = {"media": obj, "webp": webp, "fallback": fallback}
        return render_to_string("admin/drills/cuemedia/thumbnail.html", context)

    @admin.display(description="title", ordering="title")
    def title_column(self, obj):
        # At most two lines on the list (media-library.css); the whole title shows on hover.
        title = format_html('<span class="runcms-media-title" title="{}">{}</span>', obj, obj)
        if getattr(obj, "has_draft", False):  # annotated by DraftAdminMixin.get_queryset
            return format_html('{} <span class="runcms-status runcms-status-draft-change">draft change</span>', title)
        return title

    @admin.display(description="pixels")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "–"

    @admin.display(description="duration", ordering="duration_seconds")
    def duration(self, obj):
        return f"{obj.duration_seconds:.1f} s" if obj.duration_seconds else "–"

    @admin.display(description="size", ordering="size_bytes")
    def file_size(self, obj):
        return filesizeformat(obj.size_bytes)

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, obj):
        return list_time(obj.updated_at)

    @admin.display(description="preview")
    def preview(self, obj):
        stored = not obj._state.adding and bool(obj.file)
        # A version being restored is shown by its own picture: the renditions are of today's.
        version_picture_url = getattr(obj, "version_picture_url", "")
        renditions = obj.sized_renditions() if stored and not version_picture_url else []
        # The smallest WebP at least 640 wide: sharp enough to aim at, light to load; for a
        # smaller image, its largest JPEG or PNG.
        picture = next((r for r in renditions if r.format == "webp" and r.width >= 640), None) or next(
            (r for r in reversed(renditions) if r.format != "webp"), None
        )
        return render_to_string(
            "admin/drills/cuemedia/preview.html",
            {
                "media": obj, "stored": stored, "picture": picture, "is_timed": obj.kind in ("video", "audio"),
                "kept_picture_url": getattr(obj, "kept_picture_url", "") or version_picture_url,
            },
        )

    @admin.display(description="file")
    def details(self, obj):
        return render_to_string("admin/drills/cuemedia/details.html", {"media": obj})

    @admin.display(description="renditions")
    def rendition_list(self, obj):
        return render_to_string(
            "admin/drills/cuemedia/renditions.html",
            {"renditions": obj.renditions.order_by("name", "format"), "pending": obj.renditions_pending},
        )

    @admin.display(description="used by")
    def used_by(self, obj):
        uses = [
            {
                "role": use.role,
                # A gallery item is named after its media, which says nothing here.
                "item": use.item if str(use.item) != str(obj) else "",
                "item_url": admin_url(use.item),
                "owners": [
                    {"object": owner, "kind": owner._meta.verbose_name, "url": admin_url(owner), "live": live}
                    for owner, live in use.owners
                    if owner != use.item
                ],
                "live": next((live for owner, live in use.owners if owner == use.item), None),
            }
            for use in media_uses(obj)
        ]
        return render_to_string("admin/drills/cuemedia/used_by.html", {"uses": uses})

    def changeform_view(self, request, *args, **kwargs):
        # Anything failing after the files are stored (the change log, a revision) rolls the
        # database back; this deletes the new files with it.
        object_id = kwargs.get("object_id", args[0] if args else None)
        refusal = self._replacing_file(request, object_id) if object_id else None
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(request.get_full_path())
        try:
            with storage.discard_files_on_error():
                return super().changeform_view(request, *args, **kwargs)
        except storage.MediaStorageError as error:
            # The admin's transaction rolled back: no row, and no file (above). Back to the
            # form, which the editor fills in again once storage works.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"].form
        restored = getattr(request, "runcms_restored", None)
        if restored:
            form.instance.version_picture_url = reverse("admin:drills_cuemedia_version_picture", args=[restored[0].pk])
        if form.is_bound and form.errors:
            form.keep_uploads()
            # The focal-point picker shows the kept picture (a video's poster before the video).
            pictures = [form.fields[name].widget.kept for name in ("poster", "file") if name in form.fields]
            picture = next((kept for kept in pictures if kept and kept.mime_type in KEPT_PICTURE_TYPES), None)
            if picture:
                form.instance.kept_picture_url = reverse("admin:drills_cuemedia_kept", args=[picture.token])
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        kept = path("kept/<str:token>/", self.admin_site.admin_view(self.kept_picture), name="drills_cuemedia_kept")
        version_picture = path(
            "version/<int:version_id>/picture/",
            self.admin_site.admin_view(self.version_picture),
            name="drills_cuemedia_version_picture",
        )
        picker = path(
            "autocomplete/",
            self.admin_site.admin_view(MediaAutocompleteView.as_view(admin_site=self.admin_site)),
            name="drills_cuemedia_autocomplete",
        )
        return [kept, picker, version_picture, *super().get_urls()]

    def version_picture(self, request, version_id):
        """The picture of a saved version (a video's poster), for the form that restores it; never public."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        version = self.get_version(version_id)
        names = versioned_files.version_files(version) if version else {}
        name = names.get("poster") or names.get("file")
        content_type = PICTURE_TYPES.get((name or "").rsplit(".", 1)[-1].lower())
        if content_type is None or versioned_files.missing_files(version):
            raise Http404("This version has no stored picture.")
        response = FileResponse(default_storage.open(name), content_type=content_type)
        response["Cache-Control"] = "private, no-store"
        return response

    def restore_refusal(self, version, *, recover):
        missing = versioned_files.missing_files(version)
        if not missing:
            return None
        what = " and its ".join(missing)
        if recover:
            return (
                f"The {what} of “{version.object_repr}” is no longer stored, so it cannot be recovered. "
                "Upload the file again as a new media item."
            )
        return (
            f"The {what} of this version is no longer stored, so this version cannot be restored. "
            "Choose another version, or upload the file again."
        )

    def after_restore(self, request, obj, version, *, recover):
        notes = super().after_restore(request, obj, version, recover=recover)
        if storage.rendition_source(obj) and not getattr(request, "runcms_drafting", False):
            notes.append("Its file is that version's, and its renditions are made again from it.")
        return notes

    def kept_picture(self, request, token):
        """A picture kept for a form shown again, for its focal-point picker; never served publicly."""
        kept = kept_uploads.open_kept(token)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if kept is None or kept.mime_type not in KEPT_PICTURE_TYPES:
            raise Http404("This kept file is gone; choose the file again.")
        response = FileResponse(kept.file, content_type=kept.mime_type)
        response["Cache-Control"] = "private, no-store"
        return response

    def save_model(self, request, obj, form, change):
        if getattr(request, "runcms_drafting", False):
            # Kept as a draft (runcms.admin.drafts) and rolled back: no new file (see _replacing_file),
            # and no renditions for a focal point that is not live (they are made once it is published).
            obj.save()
            return
        # A restored version's file needs its own renditions: today's are of another file.
        restoring = getattr(request, "runcms_restored", None) is not None
        storage.save_media(
            obj, file=form.new_file, poster=form.new_poster, check=form.media_check, remake=restoring
        )
        for kept in form.kept_files_used():
            transaction.on_commit(partial(kept_uploads.discard, kept))

    def delete_model(self, request, obj):
        with transaction.atomic():
            drafts.DraftChange.objects.of(obj).delete()
            storage.delete_media(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for media in queryset:
                drafts.DraftChange.objects.of(media).delete()
                storage.delete_media(media)


register_autocomplete_widget(CueMedia, MediaPickerSelect)


def admin_url(obj):
    """The admin change page of `obj`, or "" when its model has none."""
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""
