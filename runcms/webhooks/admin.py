"""Webhook endpoints (with a "Send test" button) and the delivery log, in the admin."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone

from runcms import changelog, jobs
from runcms.webhooks import delivery, tasks
from runcms.webhooks.models import TEST_EVENT, Delivery, DeliveryStatus, Endpoint, Event


def _collection_choices():
    return [(c.name, c.name.capitalize()) for c in changelog.collections()]


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https", help_text=Endpoint._meta.get_field("url").help_text
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, help_text="The events to send."
    )
    collections = forms.MultipleChoiceField(
        label="Content types",
        choices=_collection_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked for every content type.",
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "active", "events", "collections", "secret"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "active", "event_list", "last_delivery"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    change_form_template = "admin/webhooks/endpoint/change_form.html"

    @admin.display(description="events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    @admin.display(description="last delivery")
    def last_delivery(self, endpoint):
        last = endpoint.deliveries.order_by("-created_at").first()
        return f"{last.get_status_display()} ({last.last_status_code or '—'})" if last else "—"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/send-test/",
                self.admin_site.admin_view(self.send_test),
                name="webhooks_endpoint_send_test",
            ),
            *super().get_urls(),
        ]

    def send_test(self, request, object_id):
        """Send a "test" event now and say what the endpoint answered; it joins the delivery log."""
        endpoint = get_object_or_404(Endpoint, pk=object_id)
        change = reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
        if request.method != "POST" or not self.has_change_permission(request, endpoint):
            return redirect(change)
        test = Delivery(endpoint=endpoint, event=TEST_EVENT, next_attempt_at=timezone.now())
        test.payload = {
            "event": TEST_EVENT, "type": None, "id": None, "slug": None, "position": changelog.last_position(),
            "occurred_at": timezone.now().isoformat(), "delivery": str(test.id),
        }
        test.save()
        sent = delivery.attempt(test.pk)
        if sent.status == DeliveryStatus.DELIVERED:
            messages.success(request, f"The test event was delivered: the endpoint answered {sent.last_status_code}.")
        else:
            answer = f"answered {sent.last_status_code}" if sent.last_status_code else sent.last_response
            messages.error(
                request,
                f"The test event was not delivered: the endpoint {answer}. It will be tried again; "
                "see the delivery log.",
            )
        return redirect(change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "endpoint", "event", "collection", "object_id", "status", "attempts", "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "collection", "endpoint"]
    search_fields = ["object_id", "payload"]
    readonly_fields = [
        "id", "endpoint", "event", "collection", "object_id", "payload", "status", "attempts", "last_attempt_at",
        "last_status_code", "last_response", "next_attempt_at", "created_at",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected deliveries again now", permissions=["delete"])
    def send_again(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now())
        for pk in ids:
            jobs.enqueue(tasks.deliver, str(pk))
        messages.success(request, f"{len(ids)} deliveries will be sent again.")
