"""Every API error is `{"detail": "..."}` with the right status code, as the contract says."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.views import defaults
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from runcms.api.caching import NotModified
from runcms.links import public_url


def exception_handler(exc, context):
    if isinstance(exc, NotModified):
        return Response(status=304)  # no body, not even {"detail"}
    response = drf_exception_handler(exc, context)  # also sets Retry-After on 429
    if response is not None:
        response.data = {"detail": message(response.data)}
    return response


def message(data):
    """One sentence from DRF's and django-filter's nested error structures."""
    if isinstance(data, dict):
        parts = []
        for key, value in data.items():
            text = message(value)
            parts.append(text if key in ("detail", "non_field_errors") else f"{key}: {text}")
        return " ".join(parts)
    if isinstance(data, list | tuple):
        return " ".join(message(item) for item in data)
    return str(data)


def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/ answer in the API's format rather than with an HTML page.

    This catch-all matches every address under /api/, so CommonMiddleware never sees the
    404 it would turn into a redirect to the address with a trailing slash: do it here.
    """
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/", getattr(request, "urlconf", None))
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            location = public_url(request.get_full_path(force_append_slash=True), request)
            return JsonResponse({"detail": f"Moved to {location}"}, status=301, headers={"Location": location})
    return JsonResponse(
        {
            "detail": "There is nothing at this address. "
            "The index of API v1 addresses is /api/v1/; the schema is /api/v1/schema/."
        },
        status=404,
    )


# How long a client should wait before trying again when the database does not answer.
RETRY_AFTER_SECONDS = 10


def server_error(request):
    """A 500 under /api/ in the API's format too; elsewhere the site's own error page.

    A database that cannot be reached is not a bug: a 503 with Retry-After says so, so that
    load balancers, apps and crawlers come back rather than count an error.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return _database_unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on our side. It has been logged; try again in a moment."}, status=500
        )
    return defaults.server_error(request)


def _database_unavailable(request):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service cannot reach its database just now. Try again in a few seconds."}, status=503
        )
    else:
        response = HttpResponse(loader.render_to_string("500.html", {"unavailable": True}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
