"""API v1 of drills, programs, cue media and taxonomy: serializers, filters, viewsets, sync registration."""

from drills.api.views import (
    CategoryViewSet,
    DrillViewSet,
    EquipmentViewSet,
    MediaViewSet,
    MuscleViewSet,
    ProgramViewSet,
)

# (URL prefix, viewset, route name) for runcms/urls.py.
ROUTES = [
    ("drills", DrillViewSet, "drill"),
    ("programs", ProgramViewSet, "program"),
    ("media", MediaViewSet, "media"),
    ("muscles", MuscleViewSet, "muscle"),
    ("equipment", EquipmentViewSet, "equipment"),
    ("categories", CategoryViewSet, "category"),
]
