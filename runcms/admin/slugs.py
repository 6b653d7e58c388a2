"""The old addresses of an item on its admin page (rule 5)."""

from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.admin import GenericTabularInline

from runcms.models import OldSlug


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
