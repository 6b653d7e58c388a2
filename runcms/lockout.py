"""What the admin login answers once django-axes has locked a username out for an address.

Axes counts failed logins per username and client address (LOGIN_FAILURE_LIMIT); this
page says what happened, for how long, and who can lift it.
"""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse


def locked_out(request, original_response=None, credentials=None):
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    # 429, as axes itself answers: a client that retries learns to wait.
    return TemplateResponse(request, "admin/locked_out.html", context, status=429).render()
