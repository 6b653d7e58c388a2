"""API v1 endpoints of drills, programs, cue media and taxonomy."""


from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound

from drills.api.filters import DrillFilter, MediaFilter, ProgramFilter
from drills.api.serializers import (
    CategorySerializer,
    DrillSerializer,
    DrillSummarySerializer,
    EquipmentSerializer,
    MediaSerializer,
    MuscleSerializer,
    ProgramSerializer,
    ProgramSummarySerializer,
)
from drills.models import Category, CueMedia, Drill, Equipment, Muscle, Program
from runcms.api.views import ContentViewSet, ListViewSet, json_response


@extend_schema_view(
    list=extend_schema(
        summary="Published drills", description="In title order; with `search`, best match first on PostgreSQL."
    ),
    retrieve=extend_schema(summary="One drill, in full"),
)
class DrillViewSet(ContentViewSet):
    model = Drill
    serializer_class = DrillSerializer
    list_serializer_class = DrillSummarySerializer
    filterset_class = DrillFilter
    etag_collections = ("drills",)


@extend_schema_view(
    list=extend_schema(summary="Published programs"),
    retrieve=extend_schema(summary="One program, with its drills"),
)
class ProgramViewSet(ContentViewSet):
    model = Program
    serializer_class = ProgramSerializer
    list_serializer_class = ProgramSummarySerializer
    filterset_class = ProgramFilter
    etag_collections = ("programs",)


@extend_schema_view(
    list=extend_schema(summary="Public cue media", description="Media used by at least one published item."),
    retrieve=extend_schema(summary="One piece of public cue media"),
)
class MediaViewSet(ContentViewSet):
    serializer_class = MediaSerializer
    filterset_class = MediaFilter
    etag_collections = ("media",)
    lookup_field = "id"
    lookup_value_regex = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"

    model = CueMedia

    def list_queryset(self):
        # No preview here: a draft's media is reached through the draft, never by its id (rule 1).
        return CueMedia.objects.public().order_by("-created_at", "pk")

    def get_queryset(self):
        return self.list_queryset().with_renditions()

    def public_queryset(self):
        return CueMedia.objects.public()

    def retrieve(self, request, *args, **kwargs):
        found = self.stored_detail(kwargs["id"])
        if found is None:
            raise NotFound("No public media has this id.")
        return json_response(found, request)


class TermViewSet(ListViewSet):
    """A taxonomy: only terms that some published drill uses (a draft's new term stays private)."""

    model = None

    def get_queryset(self):
        return self.model.objects.public().order_by(*self.model._meta.ordering, "pk")


@extend_schema_view(list=extend_schema(summary="Drill categories in use"))
class CategoryViewSet(TermViewSet):
    model = Category
    serializer_class = CategorySerializer
    etag_collections = ("drills",)


@extend_schema_view(list=extend_schema(summary="Muscles that published drills work"))
class MuscleViewSet(TermViewSet):
    model = Muscle
    serializer_class = MuscleSerializer
    etag_collections = ("drills",)


@extend_schema_view(list=extend_schema(summary="Equipment that published drills use"))
class EquipmentViewSet(TermViewSet):
    model = Equipment
    serializer_class = EquipmentSerializer
    etag_collections = ("drills",)
