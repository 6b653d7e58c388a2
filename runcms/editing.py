"""Admin behaviour shared by every publishable model (workflow columns and actions,
revisions with undo by django-reversion), and by every model admin: refusing a save,
or a restore, that would overwrite someone else's newer save (rule 3)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.fields import BLANK_CHOICE_DASH
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

from runcms.links import public_url
from runcms.models import OldSlug
from runcms.preview import make_preview_token
from runcms.publishing import ClockNow, Status
from runcms.slugs import retired_by_another


class _KnownValuesOnly:
    """Autocomplete widgets that re-render a refused form without crashing.

    Django's autocomplete widget looks the submitted values up to show them again; a
    hostile value ("abc" for a number, a malformed UUID) would raise there and turn the
    form's clear error into a 500. Values the target field cannot even parse are dropped
    from the redisplay; the form still reports them as invalid.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        parsable = []
        for item in value:
            try:
                target.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            parsable.append(item)
        groups = super().optgroups(name, parsable, attr)
        if not self.allow_multiple_selected:
            # Valid HTML: a required single select starts with an empty choice, and no
            # option is empty (Django's widget writes <option value=""></option>).
            if self.is_required:
                groups.insert(0, (None, [self.create_option(name, "", "", False, 0)], 0))
            for _group, options, _index in groups:
                for option in options:
                    if option["value"] == "" and not option["label"]:
                        option["label"] = BLANK_CHOICE_DASH[0][1]
        return groups


class SafeAutocompleteSelect(_KnownValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KnownValuesOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For ModelAdmin and inlines: autocomplete fields with the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _short_time(moment):
    if moment is None:
        return None  # the admin's "-"
    local = timezone.localtime(moment)
    # Wraps between the date and the time only.
    return format_html(
        '<time datetime="{}"><span class="nowrap">{}</span> <span class="nowrap">{}</span></time>',
        local.replace(microsecond=0).isoformat(), f"{local:%Y-%m-%d}", f"{local:%H:%M}",
    )


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
        user = getattr(current, "updated_by", None)
        return cls(_token(current.updated_at), user.get_username() if user else "Someone", current.updated_at)


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
        saved = f"{current.who} saved this {name} at {timezone.localtime(current.when):%Y-%m-%d %H:%M:%S}"
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


class WorkflowFilter(admin.SimpleListFilter):
    """Where an item is in its workflow, by the rule of `published()` (the status alone
    cannot tell a live item from a scheduled or an expired one)."""

    title = "workflow"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("live", "Live"), ("scheduled", "Scheduled"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        now = ClockNow()
        published = queryset.filter(status=Status.PUBLISHED)
        if self.value() == "draft":
            return queryset.drafts()
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return published.filter(publish_at__gt=now)
        if self.value() == "expired":
            return published.filter(Q(publish_at__isnull=True) | Q(publish_at__lte=now), unpublish_at__lte=now)
        return queryset


class OldSlugInline(GenericTabularInline):
    """An item's old addresses, which redirect to it; deleting one releases it for another item (rule 5)."""

    model = OldSlug
    ct_field, ct_fk_field = "content_type", "object_id"
    fields = ("slug", "retired_at")
    readonly_fields = ("slug", "retired_at")
    ordering = ("-retired_at",)
    extra = 0
    verbose_name = "old address"
    verbose_name_plural = "old addresses (their links lead here; delete one to let another item use it)"

    def has_add_permission(self, request, obj=None):
        return False  # an address becomes old when the slug changes

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view") or self._may(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        # Whoever may change the item's slug may release its old ones.
        return self._may(request, "change")

    def _may(self, request, action):
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


class PublishableAdmin(ConcurrencyAdminMixin, SafeAutocompleteMixin, VersionAdmin):
    list_display = ("__str__", "status_badge", "publish_time", "unpublish_time", "last_update")
    list_select_related = ("updated_by",)
    list_filter = (WorkflowFilter,)
    date_hierarchy = "updated_at"
    actions = ["publish_now", "unpublish_now"]
    readonly_fields = ("first_published_at", "updated_at", "updated_by")
    workflow_fieldset = (
        "Publishing",
        {
            "fields": (
                "status", "publish_at", "unpublish_at", "first_published_at", "updated_at", "updated_by",
                "loaded_version",
            ),
            "description": "Published items appear in the app and on the site from “publish at” "
            "(now if empty) until “unpublish at” (forever if empty).",
        },
    )

    class Media:
        # The status badges on the list, and the preview link on the form.
        css = {"all": ("runcms/admin/admin.css",)}

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        now = timezone.now()
        when = ""
        if obj.status == Status.DRAFT:
            label = "Draft"
        elif obj.publish_at and obj.publish_at > now:
            label, when = "Scheduled", f"Goes live {timezone.localtime(obj.publish_at):%Y-%m-%d %H:%M}"
        elif obj.unpublish_at and obj.unpublish_at <= now:
            label, when = "Expired", f"Gone since {timezone.localtime(obj.unpublish_at):%Y-%m-%d %H:%M}"
        else:
            label = "Live"
        # The times are in their own columns; the badge repeats them on hover.
        return format_html(
            '<span class="runcms-status runcms-status-{}" title="{}">{}</span>', label.lower(), when, label
        )

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [*inlines, OldSlugInline] if obj is not None else inlines

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = None if "preview_url" in extra_context else self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {**extra_context, **self.preview_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def preview_context(self, request, obj):
        """A signed link to the item's public page that opens it even as a draft, without a login.

        "View on site" is a 404 for a draft or a scheduled item; this link is not.
        """
        url = public_url(obj.get_absolute_url(), request)
        return {
            "preview_url": f"{url}?{urlencode({'preview': make_preview_token(obj)})}",
            "preview_expires": timezone.now() + timedelta(seconds=settings.RUNCMS_PREVIEW_MAX_AGE),
        }

    # Times on the list as "2026-06-01 12:00", as on the badge: Django's "June 1, 2026, noon"
    # is too wide for every column to fit beside the filters.
    @admin.display(description="publish at", ordering="publish_at")
    def publish_time(self, obj):
        return _short_time(obj.publish_at)

    @admin.display(description="unpublish at", ordering="unpublish_at")
    def unpublish_time(self, obj):
        return _short_time(obj.unpublish_at)

    @admin.display(description="updated", ordering="updated_at")
    def last_update(self, obj):
        if obj.updated_by is None:
            return _short_time(obj.updated_at)
        return format_html("{} by {}", _short_time(obj.updated_at), obj.updated_by.get_username())

    def save_model(self, request, obj, form, change):
        was_live = change and type(obj)._default_manager.published().filter(pk=obj.pk).exists()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if was_live and not obj.is_live:
            self.warn_about_live_users(request, obj, "is no longer public")
        elif obj.is_live and obj.unpublish_at:
            self.warn_about_live_users(
                request, obj, f"is unpublished at {timezone.localtime(obj.unpublish_at):%Y-%m-%d %H:%M}"
            )

    def delete_model(self, request, obj):
        users = self.live_users(obj)
        super().delete_model(request, obj)
        self._warn(request, obj, "was deleted", users)

    def live_users(self, obj):
        """Public items whose pages show `obj` (a program listing a drill, an article embedding it), as text."""
        return []

    def warn_about_live_users(self, request, obj, what_happened):
        self._warn(request, obj, what_happened, self.live_users(obj))

    def _warn(self, request, obj, what_happened, users):
        if users:
            self.message_user(
                request,
                f"“{obj}” {what_happened}: from then these pages show without it: {', '.join(users)}.",
                messages.WARNING,
            )

    def deleted_versions(self):
        """The latest version of each item that no longer exists: what "Recover deleted" lists.

        django-reversion's `get_deleted()` compares `object_id` (str(pk), a UUID with dashes)
        with the primary key cast to text, which SQLite stores as 32 hex digits without
        dashes: every live item looked deleted there, and "recovering" one reverted it.
        Comparing with the ids as Python writes them works on every database.
        """
        live = [str(pk) for pk in self.model._default_manager.values_list("pk", flat=True)]
        latest = (
            Version.objects.get_for_model(self.model)
            .exclude(object_id__in=live)
            .values("object_id")
            .annotate(latest_pk=Max("pk"))
            .values("latest_pk")
        )
        return Version.objects.filter(pk__in=latest)

    def recoverlist_view(self, request, extra_context=None):
        # reversion's own view, with the list of deleted items above.
        if not self.has_change_permission(request) or not self.has_add_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "module_name": capfirst(opts.verbose_name),
            "title": f"Recover deleted {opts.verbose_name_plural}",
            "deleted": self._reversion_order_version_queryset(
                request, self.deleted_versions().select_related("revision")
            ),
            **(extra_context or {}),
        }
        template = self.recover_list_template or self._reversion_get_template_list("recover_list.html")
        return render(request, template, context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        refused = self._refuse_recovering_a_live_item(request, version_id) or self._refuse_slug_clash(
            request, version_id
        )
        return refused or super().recover_view(request, version_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        refused = self._refuse_slug_clash(request, version_id)
        return refused or super().revision_view(request, object_id, version_id, extra_context)

    def _refuse_recovering_a_live_item(self, request, version_id):
        """Recovering an item that still exists would silently revert it to this old version."""
        version = Version.objects.filter(pk=version_id).first()
        current = version and self.model._default_manager.filter(pk=version.object_id).first()
        if not current:
            return None
        messages.error(
            request,
            f"“{current}” has not been deleted, so there is nothing to recover. "
            "To go back to an older version, open it and use its History.",
        )
        return redirect(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def _refuse_slug_clash(self, request, version_id):
        """A version whose address another item has taken since cannot come back as it was.

        Without this check the restore fails deep inside the database, and django-reversion
        reports it as a puzzling "missing dependency".
        """
        version = Version.objects.filter(pk=version_id).first()
        slug = version and version.field_dict.get("slug")
        holder = slug and self.model._default_manager.filter(slug=slug).exclude(pk=version.object_id).first()
        if holder:
            message = (
                f"This version used the address “{slug}”, which “{holder}” has now. "
                f"Change the slug of “{holder}” first, then restore this version."
            )
        else:
            # An old address of another item stays with it (rule 5), unless an editor releases it.
            restored = self.model(pk=version.object_id, slug=slug) if slug else None
            holder = restored and retired_by_another(restored)
            if not holder:
                return None
            message = (
                f"This version used the address “{slug}”, which is an old address of “{holder}” and leads there. "
                f"Release it from “{holder}” first (under “Old addresses”), then restore this version."
            )
        messages.error(request, message)
        return redirect(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def _set_status(self, request, queryset, status, message):
        # Save one by one so each change is a revision and reaches the sync change log.
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(message.format(count="selected"))
            count = 0
            for obj in queryset.select_for_update(of=("self",)):
                obj.status = status
                if status == Status.PUBLISHED:
                    # "Now" means now: a pending schedule or a passed expiry would keep it hidden.
                    now = timezone.now()
                    if obj.publish_at and obj.publish_at > now:
                        obj.publish_at = None
                    if obj.unpublish_at and obj.unpublish_at <= now:
                        obj.unpublish_at = None
                obj.updated_by = request.user
                obj.save()
                count += 1
                if status == Status.DRAFT:
                    self.warn_about_live_users(request, obj, "is no longer public")
        self.message_user(request, message.format(count=count), messages.SUCCESS)

    @admin.action(description="Publish selected items now", permissions=["change"])
    def publish_now(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "Published {count} item(s).")

    @admin.action(description="Unpublish selected items (back to draft)", permissions=["change"])
    def unpublish_now(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "Moved {count} item(s) back to draft.")
