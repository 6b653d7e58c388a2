"""History with undo, and recovery of deleted items, for every model admin (django-reversion).

`HistoryAdmin` is django-reversion's VersionAdmin with the house rules: a save or a restore over
someone else's newer save is refused (ConcurrencyAdminMixin); only versions of this model, of
this item, are restored; "Recover deleted" lists only what is deleted and never reverts a live
item; a version whose unique name or address another item has taken is refused with a message
that says what to do; after a restore the message says what came back; and recovering an item
links it again to the content that used it, where the editor may change that content.
"""

import reversion
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from runcms.admin.concurrency import ConcurrencyAdminMixin
from runcms.publishing import Publishable, WorkflowState
from runcms.roles import may_publish
from runcms.slugs import SlugHistory, retired_by_another


def latest_versions(model, *, deleted):
    """The latest version of each item of `model` that no longer exists (`deleted`), or that does.

    django-reversion's `get_deleted()` compares `object_id` (str(pk), a UUID with dashes)
    with the primary key cast to text, which SQLite stores as 32 hex digits without
    dashes: every live item looked deleted there, and "recovering" one reverted it.
    Comparing with the ids as Python writes them works on every database.
    """
    live = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)]
    versions = Version.objects.get_for_model(model)
    versions = versions.exclude(object_id__in=live) if deleted else versions.filter(object_id__in=live)
    latest = versions.values("object_id").annotate(latest_pk=Max("pk")).values("latest_pk")
    return Version.objects.filter(pk__in=latest)


def version_label(version):
    """ "its version of 2026-12-01 10:00 by alice", as the history lists it."""
    revision = version.revision
    by = f" by {revision.user.get_username()}" if revision.user else ""
    return f"its version of {timezone.localtime(revision.date_created):%Y-%m-%d %H:%M}{by}"


class HistoryAdminMixin:
    """Put before the other mixins of a VersionAdmin (see `HistoryAdmin`): its refusals run first."""

    def get_version(self, version_id):
        """The version `version_id` of this admin's model, or None (another model's, or none at all)."""
        return Version.objects.get_for_model(self.model).select_related("revision__user").filter(pk=version_id).first()

    # --- Recover deleted ---------------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if request.method == "POST" else None
        if obj is not None:
            self._keep_a_version(request, [obj])
        return super().delete_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "action" in request.POST:
            to_python = self.model._meta.pk.to_python
            try:
                selected = [to_python(pk) for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)]
            except ValidationError:
                # Django's action would fail on it inside the database (a 500).
                return self._refuse(
                    request,
                    f"The selection holds something that is not a {self.opts.verbose_name}; nothing was changed. "
                    "Select the items again.",
                )
            if request.POST["action"] == "delete_selected" and "post" in request.POST:
                # Confirmed; before VersionAdmin's own revision opens, which would drop a version
                # of an item deleted inside it.
                chosen = self.get_queryset(request)
                if request.POST.get("select_across") != "1":
                    chosen = chosen.filter(pk__in=selected)
                self._keep_a_version(request, chosen)
        return super().changelist_view(request, extra_context)

    def _keep_a_version(self, request, queryset):
        """Save a version of each item that has none (demo content, an import): without one,
        a deleted item could not be recovered."""
        if not self.has_delete_permission(request):
            return
        unsaved = [obj for obj in queryset if not Version.objects.get_for_object(obj).exists()]
        if unsaved:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("Saved as it was just before it was deleted.")
                for obj in unsaved:
                    reversion.add_to_revision(obj)

    def recoverlist_view(self, request, extra_context=None):
        # reversion's own view, listing only what is deleted (see latest_versions).
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
                request, latest_versions(self.model, deleted=True).select_related("revision")
            ),
            **(extra_context or {}),
        }
        template = self.recover_list_template or self._reversion_get_template_list("recover_list.html")
        return render(request, template, context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = self.get_version(version_id)
        refusal = self._recover_refusal(version)
        if refusal:
            return self._refuse(request, refusal)
        request.runcms_restored = (version, "recover")
        return super().recover_view(request, version_id, extra_context)

    def _recover_refusal(self, version):
        name = self.opts.verbose_name
        if version is None:
            return f"There is no saved version of a {name} with this number, so nothing was recovered."
        current = self.model._default_manager.filter(pk=version.object_id).first()
        if current is not None:
            # Recovering an item that still exists would silently revert it to this old version.
            return (
                f"“{current}” has not been deleted, so there is nothing to recover. "
                "To go back to an older version, open it and use its History."
            )
        return self._clash_refusal(version) or self.restore_refusal(version, recover=True)

    # --- History: restoring an older version -------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        version = self.get_version(version_id)
        refusal = self._revert_refusal(request, version, unquote(object_id))
        if refusal:
            return self._refuse(request, refusal)
        request.runcms_restored = (version, "revert")
        return super().revision_view(request, object_id, version_id, extra_context)

    def _revert_refusal(self, request, version, object_id):
        name = self.opts.verbose_name
        if self.get_object(request, object_id) is None:
            if not Version.objects.get_for_model(self.model).filter(object_id=object_id).exists():
                raise Http404(f"No {name} with this id.")
            # Its history would bring it back with only the right to change, not to add.
            plural = self.opts.verbose_name_plural
            return f"This {name} has been deleted. Bring it back from “Recover deleted {plural}”."
        if version is None or version.object_id != object_id:
            return f"This {name} has no saved version with this number, so nothing was restored."
        return self._clash_refusal(version) or self.restore_refusal(version, recover=False)

    def restore_refusal(self, version, *, recover):
        """Why `version` cannot be restored (recovered), as a message for the editor, or None. For subclasses."""
        return None

    def _clash_refusal(self, version):
        """A version whose unique name or address another item has taken since cannot come back as it was.

        Without this check the restore fails deep inside the database, and django-reversion
        reports it as a puzzling "missing dependency".
        """
        try:
            data = version.field_dict
        except RevertError as error:
            return str(error)
        for field in self.model._meta.concrete_fields:
            value = data.get(field.attname)
            if not field.unique or field.primary_key or value in (None, ""):
                continue
            holder = self.model._default_manager.filter(**{field.attname: value}).exclude(pk=version.object_id).first()
            if holder:
                what = "address" if field.name == "slug" else field.verbose_name
                return (
                    f"This version used the {what} “{value}”, which “{holder}” has now. "
                    f"Change the {what} of “{holder}” first, then restore this version."
                )
        slug = data.get("slug")
        # An old address of another item stays with it (rule 5), unless an editor releases it.
        restored = self.model(pk=version.object_id, slug=slug) if slug and issubclass(self.model, SlugHistory) else None
        holder = restored and retired_by_another(restored)
        if holder:
            return (
                f"This version used the address “{slug}”, which is an old address of “{holder}” and leads there. "
                f"Release it from “{holder}” first (under “Old addresses”), then restore this version."
            )
        return None

    def _refuse(self, request, message):
        messages.error(request, message)
        return redirect(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")

    # --- After a restore ---------------------------------------------------------------------

    def response_change(self, request, obj):
        restored = getattr(request, "runcms_restored", None)
        if restored is None:
            return super().response_change(request, obj)
        version, how = restored
        notes = self.after_restore(request, obj, version, recover=how == "recover")
        verb = "Recovered" if how == "recover" else "Restored"
        joint = "as it was in" if how == "recover" else "to"
        self.message_user(
            request, " ".join([f"{verb} “{obj}” {joint} {version_label(version)}.", *notes]), messages.SUCCESS
        )
        opts = self.opts
        return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", obj.pk)

    def after_restore(self, request, obj, version, *, recover):
        """Work after a restore has been saved, in its transaction; returns sentences for the message.

        A recovered item is linked again to the content whose latest version used it.
        """
        return relink(request.user, obj) if recover else []


def relink(user, obj):
    """Link a recovered `obj` again to the publishable items whose latest saved version used it.

    Deleting `obj` removed those links (a drill's muscles, an article's topics, a program's cover).
    Items the public sees are linked again only for a user who may publish them: anyone else
    would change live content by recovering. Returns sentences saying what was done.
    """
    linked, left = [], []
    for relation in type(obj)._meta.related_objects:
        model, field = relation.related_model, relation.field
        if not (issubclass(model, Publishable) and field.editable and _linkable(relation)):
            continue
        may_change = user.has_perm(f"{model._meta.app_label}.{get_permission_codename('change', model._meta)}")
        for item in _items_that_used(model, field, obj):
            public = item.workflow_state(timezone.now()) in (WorkflowState.LIVE, WorkflowState.SCHEDULED)
            if not may_change or (public and not may_publish(user, model)):
                left.append(item)
            elif relation.many_to_many:
                getattr(item, field.name).add(obj)
                linked.append(item)
            elif getattr(item, field.attname) is None:
                setattr(item, field.name, obj)
                item.save(update_fields=[field.name, "updated_at"])
                linked.append(item)
    notes = []
    if linked:
        notes.append(f"Linked again to {_names(linked)}.")
    if left:
        notes.append(f"Not linked again to {_names(left)}: ask a publisher, who may change them.")
    return notes


def _linkable(relation):
    # A link row of its own (a gallery item) is the content's to restore; a required link
    # (a drill's category) protects the item from deletion.
    if relation.many_to_many:
        return relation.through._meta.auto_created
    return relation.field.null


def _items_that_used(model, field, obj):
    pk = str(obj.pk)
    found = []
    # The text filter only narrows the search; the versions' data decides.
    versions = latest_versions(model, deleted=False).filter(serialized_data__contains=pk)
    for version in versions.iterator():
        try:
            value = version.field_dict.get(field.name if field.many_to_many else field.attname)
        except RevertError:
            continue
        values = value if field.many_to_many else [value]
        if pk in {str(v) for v in values or ()}:
            found.append(version.object_id)
    return list(model._default_manager.filter(pk__in=found).exclude(**{field.name: obj}))


def _names(items):
    return ", ".join(f"{item._meta.verbose_name} “{item}”" for item in items)


class HistoryAdmin(HistoryAdminMixin, ConcurrencyAdminMixin, VersionAdmin):
    """A ModelAdmin with history, undo and recovery; for models without a publishing workflow."""

