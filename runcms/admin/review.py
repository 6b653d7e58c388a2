"""The review workflow in the admin (runcms.review): "Submit for review" on a draft, the review
page where a publisher approves (now or at a time) or asks for changes, the "review" list
filter, and the state of the review on the change form."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from runcms.drafts import DraftChange
from runcms.publishing import SCHEDULE_EARLIEST, SCHEDULE_LATEST, Status
from runcms.review import Outcome, Review, approve, current_review, request_changes, submit


class AwaitingReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("awaiting", "Awaiting review")]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(pk__in=Review.objects.awaiting_ids(queryset.model))
        return queryset


class SubmitForm(forms.Form):
    message = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Optional: what changed, and what the reviewer should look at.",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", "Approve and publish now"), ("schedule", "Approve and publish at the time below"),
                 ("changes", "Request changes")],
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        required=False, label="publish at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Your local time; only when scheduling.",
    )
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="The author sees it on the item's page. Required when you request changes.",
    )

    def clean(self):
        cleaned = super().clean()
        decision, publish_at = cleaned.get("decision"), cleaned.get("publish_at")
        if decision == "changes" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what should change: the author sees this comment.")
        if decision == "schedule" and (error := schedule_error(publish_at)):
            self.add_error("publish_at", error)
        return cleaned


def schedule_error(moment):
    """What is wrong with `moment` as the time something goes live (None: nothing), for a form's field."""
    if moment is None:
        return "Choose when it goes live, or publish it now."
    if not SCHEDULE_EARLIEST <= moment < SCHEDULE_LATEST:
        return "Check the year: that time is out of range."
    if moment <= timezone.now():
        return "That time has passed. Choose a later one, or publish now."
    return None


class ReviewAdminMixin:
    def get_list_filter(self, request):
        return (*super().get_list_filter(request), AwaitingReviewFilter)

    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path("<path:object_id>/submit/", self.admin_site.admin_view(self.submit_view), name=f"{name}_submit"),
            path("<path:object_id>/review/", self.admin_site.admin_view(self.review_view), name=f"{name}_review"),
            *super().get_urls(),
        ]

    def review_context(self, request, obj):
        """What the change form shows of the review, and which review buttons it offers."""
        review = current_review(obj)
        awaiting = review is not None and review.decided_at is None
        # A draft never published, or the draft change of a live item (runcms.drafts; media has no status).
        submittable = getattr(obj, "status", None) == Status.DRAFT or DraftChange.objects.of(obj).exists()
        return {
            "review": review,
            "may_submit": not awaiting and submittable and self.has_change_permission(request, obj),
            "may_review": awaiting and self.has_publish_permission(request),
            "review_changes_requested": review is not None and review.outcome == Outcome.CHANGES_REQUESTED,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {**(extra_context or {}), **self.review_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _review_target(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with this id.")
        return obj

    def _change_url(self, request, obj):
        opts = self.opts
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return request.build_absolute_uri(url)

    def submit_view(self, request, object_id):
        obj = self._review_target(request, object_id)
        if not self.review_context(request, obj)["may_submit"]:
            raise PermissionDenied(
                "Only a draft, or a draft change of a live item, that you may change and that is not already "
                "waiting can be submitted for review."
            )
        form = SubmitForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                submit(obj, request.user, form.cleaned_data["message"], self._change_url(request, obj))
            except ValueError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"“{obj}” is waiting for review. Publishers have been told.")
            return redirect(self._change_url(request, obj))
        return self._page(request, obj, form, "Submit for review", "admin/runcms/submit_for_review.html")

    def review_view(self, request, object_id):
        obj = self._review_target(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied("Only a publisher reviews.")
        review = current_review(obj)
        if review is None or review.decided_at is not None:
            messages.error(request, f"“{obj}” is not waiting for review.")
            return redirect(self._change_url(request, obj))
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return self._decide(request, obj, form.cleaned_data)
        return self._page(
            request, obj, form, f"Review “{obj}”", "admin/runcms/review.html",
            review=review, **self.preview_context(request, obj),
        )

    def _decide(self, request, obj, data):
        url = self._change_url(request, obj)
        try:
            if data["decision"] == "changes":
                request_changes(obj, request.user, data["comment"], url)
                messages.success(request, f"Sent “{obj}” back to its author with your comment.")
            else:
                publish_at = data["publish_at"] if data["decision"] == "schedule" else None
                approve(obj, request.user, data["comment"], url, publish_at=publish_at)
                messages.success(request, f"Approved “{obj}”: it is {'scheduled' if publish_at else 'live'}.")
        except ValueError as error:
            messages.error(request, str(error))
        return redirect(url)

    def _page(self, request, obj, form, title, template, **context):
        return TemplateResponse(request, template, {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": obj, "title": title, "form": form,
            "change_url": self._change_url(request, obj), **context,
        })
