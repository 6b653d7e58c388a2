"""The admin of every publishable model: workflow filter, status badges and times, publish and
unpublish actions, the preview link, warnings about pages that lose an item, and revisions
with undo and recovery (runcms.admin.history)."""

from datetime import timedelta
from urllib.parse import urlencode

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from runcms.admin.concurrency import ConcurrencyAdminMixin
from runcms.admin.dates import list_time
from runcms.admin.drafts import DraftAdminMixin
from runcms.admin.history import HistoryAdminMixin
from runcms.admin.review import ReviewAdminMixin
from runcms.admin.roles import PublishPermissionMixin
from runcms.admin.slugs import OldSlugInline
from runcms.admin.widgets import SafeAutocompleteMixin
from runcms.drafts import draft_of
from runcms.formats import admin_time
from runcms.links import public_url
from runcms.preview import make_draft_preview_token, make_preview_token
from runcms.publishing import Status, WorkflowState


def preview_link(url, token):
    """The change form's context for a preview link: `url` opened with the preview `token`, and until when."""
    return {
        "preview_url": f"{url}?{urlencode({'preview': token})}",
        "preview_expires": timezone.now() + timedelta(seconds=settings.RUNCMS_PREVIEW_MAX_AGE),
    }


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
    DraftAdminMixin, HistoryAdminMixin, ReviewAdminMixin, PublishPermissionMixin, ConcurrencyAdminMixin,
    SafeAutocompleteMixin, VersionAdmin,
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
        return preview_link(url, token)

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
