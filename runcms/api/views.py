"""Base viewsets of API v1: read-only, public, throttled, cached, in the contract's error format."""

from django.db.models import CharField, DateTimeField
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ParseError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from runcms import documents, languages
from runcms.api.caching import ConditionalGetMixin
from runcms.api.errors import exception_handler
from runcms.api.fields import PREVIEW_TOKEN
from runcms.api.language import mark_language
from runcms.api.pagination import Pagination
from runcms.api.schema import ApiSchema
from runcms.api.throttling import AnonymousRateThrottle
from runcms.links import public_url
from runcms.prepared import PreparedQuery
from runcms.preview import preview_allows, visible_queryset
from runcms.slugs import SlugMoved, get_by_slug


class PublicApiMixin(ConditionalGetMixin):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    schema = ApiSchema()

    def get_exception_handler(self):
        return exception_handler

    def dispatch(self, request, *args, **kwargs):
        # The whole answer is made in the language asked for: documents, links, errors.
        try:
            self.language, self.language_error = languages.of_request(request), None
        except languages.UnknownLanguage as unknown:
            self.language, self.language_error = languages.default(), str(unknown)
        with translation.override(self.language):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        if self.language_error:
            raise ParseError(self.language_error)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        marked = not getattr(self, "language_error", None)
        if marked:
            mark_language(response, self.language)  # before the answer is kept, with its headers
        response = super().finalize_response(request, response, *args, **kwargs)
        if marked:
            mark_language(response, self.language)  # and on a 304 made in its place (If-None-Match: *)
        return response


class ListViewSet(PublicApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    pagination_class = Pagination


def json_response(data, request):
    """A 200 of JSON bytes made of published documents, with their links on the request's public base."""
    return HttpResponse(documents.served_bytes(data, request), content_type="application/json")


# (view class, lookup field) -> the prepared query of its details (see ContentViewSet.stored_detail).
_DETAIL_QUERIES = {}
# (view class, None) -> the prepared count of its list; (view class, slice) -> of a page of it.
_LIST_QUERIES = {}
# Pages of unfiltered lists prepared at most, over all lists (a page past them is built each time).
MAX_PREPARED_PAGES = 200
PAGING = {"page", "page_size"}


def plain(queryset):
    """`queryset` with its lookups no longer rewritten per language (django-modeltranslation): its SQL then
    selects the columns in the order asked, as a prepared query reads them."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


class PreparedRows:
    """An unfiltered list's rows, (id, summary document or None), as Django's Paginator reads them:
    a count and one slice, each a prepared query (see `runcms.prepared`)."""

    ordered = True  # the list's own order, with the primary key last

    def __init__(self, view):
        self.view = view
        self.now = timezone.now()

    def count(self):
        return self._run(None)[0][0]

    def __getitem__(self, part):
        if part.stop <= part.start:
            return []  # the one page of an empty list
        to_python = self.view.model._meta.pk.to_python
        return [(to_python(pk), document) for pk, document in self._run((part.start, part.stop))]

    def _run(self, part):
        key = (type(self.view), part)
        query = _LIST_QUERIES.get(key)
        if query is None:
            query = PreparedQuery(
                lambda now, language: self._sql(now, language, part), now=DateTimeField(), language=CharField()
            )
            if len(_LIST_QUERIES) < MAX_PREPARED_PAGES:
                _LIST_QUERIES[key] = query
        return query.fetchall(now=self.now, language=languages.active())

    def _sql(self, now, language, part):
        queryset = self.view.list_queryset()
        if part is None:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
            return f"SELECT COUNT(*) FROM ({sql}) list", params
        queryset = documents.with_documents(queryset, self.view.collection, "summary", now=now, language=language)
        return plain(queryset).values_list("pk", "_document")[part[0] : part[1]].query.sql_with_params()


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
        """What the list shows, in order, before filters; nothing loaded. In the same order in every language:
        the default language's."""
        with translation.override(languages.default()):
            return self.model.objects.published().order_by(*self.model._meta.ordering, "pk")

    @property
    def collection(self):
        return documents.served(self.model)

    def list(self, request, *args, **kwargs):
        name = self.collection
        if name is None:
            return super().list(request, *args, **kwargs)
        if set(request.query_params) <= PAGING:
            rows = self.paginate_queryset(PreparedRows(self))  # the common case: no filter
        else:
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

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def public_queryset(self):
        """What a detail may show: the public items, unordered, nothing loaded."""
        return self.model.objects.published()

    def stored_detail(self, value):
        """The detail document of the public item whose lookup field is `value`: bytes, or None when there is
        no such item. One prepared query (see `runcms.prepared`), and the rendering of a missing document."""
        key = (type(self), self.lookup_field)
        if key not in _DETAIL_QUERIES:

            def build(now, language, value):
                queryset = documents.with_documents(
                    self.public_queryset(), self.collection, "detail", now=now, language=language
                )
                queryset = plain(queryset.filter(**{self.lookup_field: value})).values_list("pk", "_document")[:1]
                return queryset.query.sql_with_params()

            field = self.model._meta.get_field(self.lookup_field)
            _DETAIL_QUERIES[key] = PreparedQuery(build, now=DateTimeField(), language=CharField(), value=field)
        rows = _DETAIL_QUERIES[key].fetchall(now=timezone.now(), language=languages.active(), value=value)
        if not rows:
            return None
        pk, document = rows[0]
        found = documents.complete(self.collection, [(self.model._meta.pk.to_python(pk), document)], "detail")
        return found[0] if found else None

    def retrieve(self, request, *args, **kwargs):
        if self.collection is not None and "preview" not in request.query_params:
            found = self.stored_detail(kwargs["slug"])
            if found is not None:
                return json_response(found, request)
            try:  # an old slug, or nothing
                instance = get_by_slug(self.public_queryset(), kwargs["slug"])
            except SlugMoved as moved:
                return self.moved(request, moved.current_slug)
            found = self.stored_detail(instance.slug)  # published since the first look
            if found is None:
                raise Http404(f"No {self.model._meta.verbose_name} is published at “{kwargs['slug']}”.")
            return json_response(found, request)
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
