"""Refuse NUL characters in addresses and query strings before any view sees them.

PostgreSQL cannot store or compare a NUL in text, so a `?q=%00` reaching a search (the
admin's, the API's, an autocomplete), or an `/admin/drills/drill/%00/history/` reaching
a lookup, would fail deep in the database as a 500. No legitimate address contains one;
a clear 400 is the honest answer.
"""

from django.http import HttpResponseBadRequest, JsonResponse


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return self.refuse(request, "The address contains a NUL character (%00). Remove it and try again.")
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return self.refuse(request, "The query string contains a NUL character (%00). Remove it and try again.")
        return self.get_response(request)

    @staticmethod
    def refuse(request, message):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
