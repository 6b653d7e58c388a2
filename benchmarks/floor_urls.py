"""The framework floor: one minimal Django view answering with runcms's bytes (see references.py)."""

from django.http import HttpResponse, HttpResponseNotFound, HttpResponseNotModified
from django.urls import re_path

from benchmarks.references import find


def floor_view(request):
    status, entry = find(request.path, request.META.get("QUERY_STRING", ""), request.headers.get("If-None-Match"))
    if entry is None:
        return HttpResponseNotFound("not found")
    response = HttpResponseNotModified() if status == 304 else HttpResponse(
        entry["body"], content_type=entry["content_type"]
    )
    if entry.get("etag"):
        response["ETag"] = entry["etag"]
    return response


urlpatterns = [re_path(r"", floor_view)]
