"""API v1 of drills, programs and taxonomy: serializers, filters, viewsets, and the routes of the drills app.

Cue media's API is in `drills.media.api`; its viewset is routed here, with the rest of the app's.
"""

from drills.api.views import (
    CategoryViewSet,
    DrillViewSet,
    EquipmentViewSet,
    MuscleViewSet,
    ProgramViewSet,
)
from drills.media.api.views import MediaViewSet

# (URL prefix, viewset, route name) for runcms/urls.py.
ROUTES = [
    ("drills", DrillViewSet, "drill"),
    ("programs", ProgramViewSet, "program"),
    ("media", MediaViewSet, "media"),
    ("muscles", MuscleViewSet, "muscle"),
    ("equipment", EquipmentViewSet, "equipment"),
    ("categories", CategoryViewSet, "category"),
]
