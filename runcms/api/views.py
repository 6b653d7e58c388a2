"""Base viewsets of API v1: read-only, public, throttled, cached, in the contract's error format."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from runcms import documents
from runcms.api.caching import ConditionalGetMixin
from runcms.api.errors import exception_handler
from runcms.api.fields import PREVIEW_TOKEN
from runcms.api.pagination import Pagination
from runcms.api.schema import ApiSchema
from runcms.api.throttling import AnonymousRateThrottle
from runcms.links import public_url
from runcms.preview import preview_allows, visible_queryset
from runcms.slugs import SlugMoved, get_by_slug


class PublicApiMixin(ConditionalGetMixin):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    schema = ApiSchema()

    def get_exception_handler(self):
        return exception_handler


class ListViewSet(PublicApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    pagination_class = Pagination


def json_response(data, request):
    """A 200 of JSON bytes made of published documents, with their links on the request's public base."""
    return HttpResponse(documents.served_bytes(data, request), content_type="application/json")


class ContentViewSet(PublicApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published items: a paged list, and a detail by slug, served from published documents.

    The detail follows an old slug with a 301 to the current one (rule 5), and opens a
    draft for a valid `?preview=` token (rendered by the live serializers). Subclasses name
    the `model`, whose queryset has `for_api()` (detail) and `for_api_list()` (lists)
    loading methods for the live serializers.
    """

    model = None
    list_serializer_class = None
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = Pagination

    def get_queryset(self):
        if self.action == "retrieve":
            return visible_queryset(self.model.objects.all(), self.request).for_api()
        return self.list_queryset().for_api_list()

    def list_queryset(self):
        """What the list shows, in order, before filters; nothing loaded."""
        return self.model.objects.published().order_by(*self.model._meta.ordering, "pk")

    @property
    def collection(self):
        return documents.served(self.model)

    def list(self, request, *args, **kwargs):
        name = self.collection
        if name is None:
            return super().list(request, *args, **kwargs)
        queryset = documents.with_documents(self.filter_queryset(self.list_queryset()), name, "summary")
        rows = self.paginate_queryset(queryset.values_list("pk", "_document"))
        paginator = self.paginator
        head = documents.dumps(
            {
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
            }
        )
        results = b",".join(documents.complete(name, rows, "summary"))
        return json_response(head[:-1] + b',"results":[' + results + b"]}", request)

    def document(self, instance):
        """The detail document of `instance` (from a queryset `with_documents` annotated, or None), or a 404."""
        found = documents.complete(self.collection, [(instance.pk, instance._document)], "detail") if instance else []
        if not found:
            raise Http404("Not found.")
        return json_response(found[0], self.request)

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def retrieve(self, request, *args, **kwargs):
        if self.collection is not None and "preview" not in request.query_params:
            published = self.model.objects.published().only("pk", "slug")
            try:
                instance = get_by_slug(documents.with_documents(published, self.collection, "detail"), kwargs["slug"])
            except SlugMoved as moved:
                return self.moved(request, moved.current_slug)
            return self.document(instance)
        try:
            instance = get_by_slug(self.get_queryset(), kwargs[self.lookup_field])
        except SlugMoved as moved:
            return self.moved(request, moved.current_slug)
        context = self.get_serializer_context()
        token = request.query_params.get("preview")
        if preview_allows(token, self.model, instance.pk):
            context[PREVIEW_TOKEN] = token  # its media URLs carry the token (FileUrlField)
        return Response(self.get_serializer(instance, context=context).data)

    def moved(self, request, slug):
        path = reverse(f"api:{self.basename}-detail", kwargs={self.lookup_field: slug})
        query = request.META.get("QUERY_STRING")
        location = public_url(path + (f"?{query}" if query else ""), request)
        return Response({"detail": f"Moved to {location}"}, status=301, headers={"Location": location})


class IndexView(PublicApiMixin, APIView):
    """GET /api/v1/: the address of every collection, the sync, the schema and the docs."""

    routes = ()  # (prefix, basename) of each registered collection

    @extend_schema(exclude=True)
    def get(self, request):
        def absolute(name):
            return public_url(reverse(name), request)

        links = {prefix: absolute(f"api:{basename}-list") for prefix, basename in self.routes}
        links.update(sync=absolute("api:sync"), schema=absolute("api:schema"), docs=absolute("api-docs"))
        return Response(links)
