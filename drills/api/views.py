"""API v1 endpoints of drills, programs and taxonomy."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from drills.api.filters import DrillFilter, ProgramFilter
from drills.api.serializers import (
    CategorySerializer,
    DrillSerializer,
    DrillSummarySerializer,
    EquipmentSerializer,
    MuscleSerializer,
    ProgramSerializer,
    ProgramSummarySerializer,
)
from drills.models import Category, Drill, Equipment, Muscle, Program
from runcms.api.views import ContentViewSet, ListViewSet


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


class TermViewSet(ListViewSet):
    """A taxonomy: only terms that some published item uses (a draft's new term stays private)."""

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
