"""Refusing a save, or a restore, that would overwrite someone else's newer save (rule 3).

For every model admin; with django-reversion's VersionAdmin it covers restoring a version
and recovering a deleted item too.
"""

from dataclasses import dataclass
from datetime import datetime

import reversion
from django import forms
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from reversion.models import Version

from runcms.formats import admin_time


def _token(moment):
    return moment.isoformat() if moment else ""


@dataclass(frozen=True)
class SavedVersion:
    """What the database holds for one row: its version token (`updated_at`), and who saved it when."""

    token: str = ""  # "" when there is no such row
    who: str = "Someone"
    when: datetime | None = None

    @classmethod
    def read(cls, model, pk, *, lock=False):
        try:
            rows = model._default_manager.filter(pk=pk)
        except (ValidationError, ValueError):
            return cls()  # not an id of this model: no such row, as the admin's get_object() says
        if lock:
            # Held until the admin's transaction ends, so two saves cannot both pass the check.
            rows = rows.select_for_update(of=("self",))
        current = rows.first()
        if current is None:
            return cls()
        user = getattr(current, "updated_by", None) if hasattr(current, "updated_by_id") else _last_saved_by(current)
        return cls(_token(current.updated_at), user.get_username() if user else "Someone", current.updated_at)


def _last_saved_by(obj):
    """Who made the latest saved version of `obj`, for a model that does not record its last editor."""
    if not reversion.is_registered(type(obj)):
        return None
    latest = Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk").first()
    return latest.revision.user if latest else None


@dataclass(frozen=True)
class Restore:
    """A restore under way: django-reversion writes the old version back before it builds the
    form, so what was saved before it (`saved`) is read first (ConcurrencyAdminMixin)."""

    saved: SavedVersion
    url: str  # the restore form, to open it again
    current_url: str  # the item as it is now


class _UnlabelledHiddenInput(forms.HiddenInput):
    """A hidden input the admin's fieldset can label without pointing at it (valid HTML:
    a label's `for` must name a visible control)."""

    def id_for_label(self, id_):
        return ""


class ConcurrencyForm(forms.ModelForm):
    """Carries the `updated_at` the editor loaded and refuses the save if it changed since."""

    loaded_version = forms.CharField(widget=_UnlabelledHiddenInput, required=False)
    restore = None  # a Restore, set by ConcurrencyAdminMixin.get_form on a restore form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance._state.adding:
            self.fields["loaded_version"].initial = self._saved_version().token

    def _saved_version(self, *, lock=False):
        if self.restore is not None:
            return self.restore.saved  # the rows now hold the old version being restored
        return SavedVersion.read(type(self.instance), self.instance.pk, lock=lock)

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding or not self.instance.pk:
            return cleaned
        current = self._saved_version(lock=True)
        if self.data.get(self.add_prefix("loaded_version"), "") != current.token:
            raise forms.ValidationError(self._conflict_message(current), code="edit_conflict")
        return cleaned

    def _conflict_message(self, current):
        name = self.instance._meta.verbose_name
        if current.when is None:
            return f"This {name} was deleted after you opened it, so nothing has been saved."
        saved = f"{current.who} saved this {name} at {admin_time(current.when)}"
        if self.restore is None:
            return (
                f"{saved}, after you opened it. "
                "Your changes have not been saved, so nothing of theirs was overwritten. "
                "Your text is still in the form below: copy what you need, reload the page "
                "to see their version, and apply your changes again."
            )
        return format_html(
            "{}, after you opened this older version. It has not been restored, so nothing of theirs "
            'was overwritten. <a href="{}">See their version</a>, or <a href="{}">open this older '
            "version again</a> to restore it over their change.",
            saved, self.restore.current_url, self.restore.url,
        )


class ConcurrencyAdminMixin:
    """For every ModelAdmin: a save made from a page opened before someone else's save is
    refused (rule 3), through ConcurrencyForm. With django-reversion's VersionAdmin it covers
    restoring a version and recovering a deleted item too."""

    form = ConcurrencyForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "loaded_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        *others, (name, options) = fieldsets
        return [*others, (name, {**options, "fields": (*options["fields"], "loaded_version")})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restore = getattr(request, "runcms_restore", None)
        if restore is None:
            return form
        return type(form.__name__, (form,), {"restore": restore})

    def revision_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            self._before_restore(request, unquote(object_id))
            return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = Version.objects.filter(pk=version_id).first()
        if version is None:
            return super().recover_view(request, version_id, extra_context)
        with transaction.atomic():
            self._before_restore(request, version.object_id)
            return super().recover_view(request, version_id, extra_context)

    def _before_restore(self, request, object_id):
        opts = self.opts
        request.runcms_restore = Restore(
            saved=SavedVersion.read(self.model, object_id, lock=request.method == "POST"),
            url=request.get_full_path(),
            current_url=reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(quote(object_id),)
            ),
        )
