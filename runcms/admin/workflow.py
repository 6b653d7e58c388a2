"""The admin of every publishable model: workflow filter, status badges and times, publish and
unpublish actions, the preview link, warnings about pages that lose an item, and revisions
with undo and recovery by django-reversion."""

from datetime import timedelta
from urllib.parse import urlencode

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

from runcms.admin.concurrency import ConcurrencyAdminMixin
from runcms.admin.dates import list_time
from runcms.admin.drafts import DraftAdminMixin
from runcms.admin.review import ReviewAdminMixin
from runcms.admin.roles import PublishPermissionMixin
from runcms.admin.slugs import OldSlugInline
from runcms.admin.widgets import SafeAutocompleteMixin
from runcms.drafts import draft_of
from runcms.formats import admin_time
from runcms.links import public_url
from runcms.preview import make_draft_preview_token, make_preview_token
from runcms.publishing import Status, WorkflowState
from runcms.slugs import retired_by_another


class WorkflowFilter(admin.SimpleListFilter):
    """Where an item is in its workflow, by the rule of `published()` (the status alone
    cannot tell a live item from a scheduled or an expired one)."""

    title = "workflow"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return WorkflowState.choices

    def queryset(self, request, queryset):
        if self.value() == WorkflowState.DRAFT:
            return queryset.drafts()
        if self.value() == WorkflowState.LIVE:
            return queryset.published()
        if self.value() == WorkflowState.SCHEDULED:
            return queryset.scheduled()
        if self.value() == WorkflowState.EXPIRED:
            return queryset.expired()
        return queryset


class PublishableAdmin(
    DraftAdminMixin,
    ReviewAdminMixin, PublishPermissionMixin, ConcurrencyAdminMixin, SafeAutocompleteMixin, VersionAdmin
):
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
        # The status badges on the list, the preview link on the form, and inlines that stack on a phone.
        css = {"all": ("runcms/admin/admin.css",)}
        js = ("runcms/admin/narrow-inlines.js",)

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        state = obj.workflow_state(timezone.now())
        when = ""
        if state == WorkflowState.SCHEDULED:
            when = f"Goes live {admin_time(obj.publish_at)}"
        elif state == WorkflowState.EXPIRED:
            when = f"Gone since {admin_time(obj.unpublish_at)}"
        # The times are in their own columns; the badge repeats them on hover.
        badge = format_html(
            '<span class="runcms-status runcms-status-{}" title="{}">{}</span>', state.value, when, state.label
        )
        if getattr(obj, "has_draft", False):  # annotated by DraftAdminMixin.get_queryset
            return format_html('{} <span class="runcms-status runcms-status-draft-change">draft change</span>', badge)
        return badge

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
        # A public item with a draft change previews the draft (runcms.draft_preview).
        draft = draft_of(obj) if self.is_public(obj) else None
        token = make_draft_preview_token(draft) if draft is not None else make_preview_token(obj)
        return {
            "preview_url": f"{url}?{urlencode({'preview': token})}",
            "preview_expires": timezone.now() + timedelta(seconds=settings.RUNCMS_PREVIEW_MAX_AGE),
        }

    # Times wrap between the date and the time only, so every column fits beside the filters.
    @admin.display(description="publish at", ordering="publish_at")
    def publish_time(self, obj):
        return list_time(obj.publish_at)

    @admin.display(description="unpublish at", ordering="unpublish_at")
    def unpublish_time(self, obj):
        return list_time(obj.unpublish_at)

    @admin.display(description="updated", ordering="updated_at")
    def last_update(self, obj):
        if obj.updated_by is None:
            return list_time(obj.updated_at)
        return format_html("{} by {}", list_time(obj.updated_at), obj.updated_by.get_username())

    def save_model(self, request, obj, form, change):
        was_live = change and type(obj)._default_manager.published().filter(pk=obj.pk).exists()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if was_live and not obj.is_live:
            self.warn_about_live_users(request, obj, "is no longer public")
        elif obj.is_live and obj.unpublish_at:
            self.warn_about_live_users(
                request, obj, f"is unpublished at {admin_time(obj.unpublish_at)}"
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

    @admin.action(description="Publish selected items now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "Published {count} item(s).")

    @admin.action(description="Unpublish selected items (back to draft)", permissions=["publish"])
    def unpublish_now(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "Moved {count} item(s) back to draft.")
