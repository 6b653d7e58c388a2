"""API v1 endpoint of cue media: the media published items use, by id."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound

from drills.media.api.filters import MediaFilter
from drills.media.api.serializers import MediaSerializer
from drills.models import CueMedia
from runcms.api.views import ContentViewSet, json_response


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
