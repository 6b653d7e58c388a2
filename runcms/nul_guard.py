"""Refuse NUL characters in query strings before any view sees them.

PostgreSQL cannot store or compare a NUL in text, so a `?q=%00` reaching a search (the
admin's, the API's, an autocomplete) would fail deep in the database as a 500. No
legitimate search contains one; a clear 400 is the honest answer.
"""

from django.http import HttpResponseBadRequest, JsonResponse


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            message = "The query string contains a NUL character (%00). Remove it and try again."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
