"""The review queue on the admin's dashboard: what awaits the publisher reading it."""

from django import template
from django.urls import NoReverseMatch, reverse

from runcms.review import Review
from runcms.roles import may_publish

register = template.Library()

QUEUE_LENGTH = 20


@register.inclusion_tag("admin/runcms/review_queue.html", takes_context=True)
def review_queue(context):
    user = context["request"].user
    waiting = Review.objects.awaiting().select_related("content_type", "submitted_by").order_by("submitted_at")
    rows = []
    for review in waiting:
        model = review.content_type.model_class()
        if model is None or not may_publish(user, model):
            continue
        opts = model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[review.object_id])
        except NoReverseMatch:
            continue
        kind = f"changes to live {opts.verbose_name}" if review.draft_change else opts.verbose_name
        rows.append({"review": review, "kind": kind, "url": url})
        if len(rows) == QUEUE_LENGTH:
            break
    permissions = user.get_all_permissions()
    publisher = user.is_superuser or any(name.split(".")[1].startswith("publish_") for name in permissions)
    return {"rows": rows, "shown": publisher}
