"""Draft changes in the admin (runcms.drafts): editing a public item saves a draft, which the change
form loads; "Publish draft" (now or at a time, publishers only), "Discard draft", "Preview draft" and
"Compare with live"."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from runcms import drafts
from runcms.admin.compare import compare
from runcms.admin.review import schedule_error
from runcms.models import OldSlug
from runcms.review import Review, approve
from runcms.roles import WORKFLOW_FIELDS


class PublishDraftForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", "Publish now"), ("schedule", "Publish at the time below")],
        widget=forms.RadioSelect, initial="publish",
    )
    publish_at = forms.DateTimeField(
        required=False, label="publish at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Your local time; only when scheduling. Until then the public sees the live version.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "schedule" and (error := schedule_error(cleaned.get("publish_at"))):
            self.add_error("publish_at", error)
        return cleaned


class DraftAdminMixin:
    """For the admin of a publishable model: a public item's edits are kept as its draft change."""

    # --- Editing -------------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self._public_object(request, object_id)
        if obj is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        view = super().changeform_view
        return self._drafting(request, obj, lambda: view(request, object_id, form_url, extra_context))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring an old version of a public item makes it the draft, like any other edit.
        obj = self._public_object(request, object_id)
        if obj is None:
            return super().revision_view(request, object_id, version_id, extra_context)
        view = super().revision_view
        return self._drafting(request, obj, lambda: view(request, object_id, version_id, extra_context))

    def recover_view(self, request, version_id, extra_context=None):
        # A deleted item comes back as it was saved: there is no live version to keep a draft beside.
        request.runcms_recovering = True
        return super().recover_view(request, version_id, extra_context)

    def _public_object(self, request, object_id):
        if object_id is None or any(getattr(request, flag, False) for flag in ("runcms_drafting", "runcms_recovering")):
            return None
        obj = self.get_object(request, unquote(object_id))
        return obj if obj is not None and self.is_public(obj) else None

    def _drafting(self, request, obj, view):
        """Run the admin's view with the draft in the rows, then roll back and keep what was saved as the draft."""
        request.runcms_drafting, request.runcms_held_messages = True, []
        saving = request.method == "POST"
        kept = changes = live = title = None
        with transaction.atomic():
            if saving:  # one save of this item at a time
                obj = type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
                draft = drafts.DraftChange.objects.of(obj).select_for_update().first()
                live = drafts.content(drafts.serialize(obj))
            else:
                draft = drafts.draft_of(obj)
            try:
                with transaction.atomic():
                    if draft is not None:
                        drafts.apply(draft)
                    response = view()
                    if hasattr(response, "render") and not response.is_rendered:
                        response.render()  # while the rows hold the draft
                    saved = getattr(request, "runcms_draft_saved", None)
                    if saved is not None and not self.is_public(saved):
                        # A publisher took it offline: an ordinary edit of an item the public does not see.
                        if draft is not None:
                            draft.delete()
                        saved = None
                        for args in request.runcms_held_messages:
                            super().message_user(request, *args)
                    else:
                        kept = drafts.serialize(saved) if saved is not None else None
                        title = str(saved)
                        changes = getattr(request, "runcms_workflow_changes", None)
                        raise drafts.RolledBack
            except drafts.RolledBack:
                pass
            if kept is not None:
                self._keep_draft(request, obj, title, kept, live, draft)
            if changes:
                self._change_live_schedule(request, obj, changes)
            if kept is not None and getattr(request, "runcms_released", None):
                OldSlug.objects.filter(
                    content_type__model=obj._meta.model_name, content_type__app_label=obj._meta.app_label,
                    object_id=obj.pk, slug__in=request.runcms_released,
                ).delete()
                released = ", ".join(f"“{slug}”" for slug in request.runcms_released)
                messages.success(request, f"Released the old address {released}: another item may take it now.")
        return response

    def _keep_draft(self, request, obj, title, kept, live, draft):
        name = self.opts.verbose_name
        if getattr(request, "runcms_restored", None) is not None:
            for args in request.runcms_held_messages:  # "Restored “…” to its version of …", then what became of it
                super().message_user(request, *args)
        if drafts.content(kept) == live:
            if draft is not None:
                draft.delete()
            messages.info(request, f"Your version of the {name} “{obj}” is the live version: no draft is kept.")
            return
        publisher = self.has_publish_permission(request)
        was_scheduled = draft is not None and draft.publish_at is not None
        draft = drafts.store(obj, title, request.user, kept, draft, keep_schedule=publisher)
        messages.success(
            request,
            f"Saved as a draft of the live {name} “{draft.object_repr}”. The app and the site keep showing "
            "the live version until a publisher publishes the draft.",
        )
        if was_scheduled and draft.publish_at is None:
            messages.warning(request, "The draft's schedule is cancelled: a publisher must approve the changed draft.")

    def _change_live_schedule(self, request, obj, changes):
        # When the public sees the item is a publisher's to set, on the live item at once.
        with drafts.revision(request.user, "Changed when it is public"):
            for name, value in changes.items():
                setattr(obj, name, value)
            obj.updated_by = request.user
            obj.save()
        # The draft's content is as current as before: only when the public sees it changed.
        drafts.DraftChange.objects.of(obj).update(based_on=obj.updated_at)
        messages.info(request, f"The live {self.opts.verbose_name}'s {', '.join(changes)} changed at once.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if getattr(request, "runcms_drafting", False):
            request.runcms_draft_saved = form.instance
            # Releasing an old address is not a change to the item's content: it takes effect at once.
            request.runcms_released = [  # by slug: a deleted row has no id any more
                old.slug for formset in formsets if formset.model is OldSlug for old in formset.deleted_objects
            ]
            if self.has_publish_permission(request):
                request.runcms_workflow_changes = {
                    name: form.cleaned_data[name] for name in WORKFLOW_FIELDS if name in form.changed_data
                }

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # "… was changed successfully" is not true of a draft: the draft's own message replaces it.
        if getattr(request, "runcms_drafting", False) and level == messages.SUCCESS:
            request.runcms_held_messages.append((message, level, *args))
            return
        super().message_user(request, message, level, *args, **kwargs)

    def get_queryset(self, request):
        # The list's badge says which live items have a draft waiting: one subquery, not a query per row.
        return super().get_queryset(request).annotate(has_draft=drafts.exists_for(self.model))

    def delete_model(self, request, obj):
        drafts.DraftChange.objects.of(obj).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        drafts.DraftChange.objects.for_model(self.model).filter(object_id__in=queryset.values("pk")).delete()
        super().delete_queryset(request, queryset)

    # --- What the change form says -------------------------------------------------------------

    def draft_context(self, request, obj):
        if not self.is_public(obj):
            return {}
        draft = drafts.draft_of(obj)
        publisher = self.has_publish_permission(request)
        return {
            "editing_live": True,
            "draft": draft,
            "draft_is_stale": draft is not None and draft.based_on is not None and obj.updated_at > draft.based_on,
            "may_publish_draft": draft is not None and publisher,
            "may_discard_draft": draft is not None and (publisher or draft.created_by_id == request.user.pk),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = None if getattr(request, "runcms_drafting", False) else self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {**(extra_context or {}), **self.draft_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- Publish, discard, compare -------------------------------------------------------------

    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        views = [("publish", self.publish_draft_view), ("discard", self.discard_draft_view),
                 ("compare", self.compare_view)]
        own = [
            path(f"<path:object_id>/draft/{action}/", self.admin_site.admin_view(view), name=f"{name}_draft_{action}")
            for action, view in views
        ]
        return [*own, *super().get_urls()]

    def _draft_target(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404(f"No {self.opts.verbose_name} with this id.")
        draft = drafts.draft_of(obj)
        if draft is None:
            messages.info(request, f"“{obj}” has no draft change: you are looking at the live version.")
        return obj, draft

    def _change_url(self, request, obj):
        opts = self.opts
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return request.build_absolute_uri(url)

    def publish_draft_view(self, request, object_id):
        if not self.has_publish_permission(request):
            raise PermissionDenied("Only a publisher publishes a draft.")
        obj, draft = self._draft_target(request, object_id)
        if draft is None:
            return redirect(self._change_url(request, obj))
        form = PublishDraftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            moment = form.cleaned_data["publish_at"] if form.cleaned_data["decision"] == "schedule" else None
            try:
                when = self._release(request, obj, draft, moment)
            except (ValueError, IntegrityError) as error:
                messages.error(request, f"The draft was not published: {error}")
            else:
                messages.success(request, f"The draft of “{draft.object_repr}” is {when}.")
            return redirect(self._change_url(request, obj))
        return self._draft_page(request, obj, draft, form, f"Publish the draft of “{draft.object_repr}”",
                                "admin/runcms/publish_draft.html")

    def _release(self, request, obj, draft, moment):
        if Review.objects.of(obj).awaiting().filter(draft_change=True).exists():
            # The draft was waiting for review: publishing it is approving it, and its author is told.
            approve(obj, request.user, "", self._change_url(request, obj), publish_at=moment)
        elif moment is None:
            drafts.publish(draft, request.user)
        else:
            drafts.schedule(draft, request.user, moment)
        return drafts.release_text(moment)

    def discard_draft_view(self, request, object_id):
        obj, draft = self._draft_target(request, object_id)
        if draft is None:
            return redirect(self._change_url(request, obj))
        if not (self.has_publish_permission(request) or draft.created_by_id == request.user.pk):
            raise PermissionDenied("Only its author or a publisher discards a draft.")
        if request.method == "POST":
            with transaction.atomic():
                Review.objects.of(obj).awaiting().filter(draft_change=True).delete()
                drafts.discard(draft, request.user)
            messages.success(request, f"Discarded the draft of “{obj}”: the live version stays as it is.")
            return redirect(self._change_url(request, obj))
        return self._draft_page(request, obj, draft, None, f"Discard the draft of “{obj}”?",
                                "admin/runcms/discard_draft.html")

    def compare_view(self, request, object_id):
        obj, draft = self._draft_target(request, object_id)
        if draft is None:
            return redirect(self._change_url(request, obj))
        return self._draft_page(request, obj, draft, None, f"Compare the draft of “{obj}” with the live version",
                                "admin/runcms/compare_draft.html", changes=compare(obj, draft))

    def _draft_page(self, request, obj, draft, form, title, template, **context):
        return TemplateResponse(request, template, {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": obj, "title": title, "form": form, "draft": draft,
            "change_url": self._change_url(request, obj), **self.preview_context(request, obj), **context,
        })
