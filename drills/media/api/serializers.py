"""How cue media looks in API v1: the original, its renditions and focal point (see PRODUCT.md, "API v1 contract")."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from drills.media.api import examples
from drills.models import CueMedia, Rendition
from runcms.api.fields import FileUrlField, TextLanguageField, TextLanguagesField
from runcms.api.help_texts import ID, UPDATED


class RenditionSerializer(serializers.ModelSerializer):
    url = FileUrlField(source="file", help_text="Absolute URL of the file. Its name never changes for other bytes.")

    class Meta:
        model = Rendition
        fields = ["name", "width", "height", "format", "url", "bytes", "sha256"]
        extra_kwargs = {
            "name": {"help_text": "Size name, e.g. `w640` (640 pixels wide) or `thumb` (square crop)."},
            "width": {"help_text": "Width in pixels."},
            "height": {"help_text": "Height in pixels."},
            "format": {"help_text": "`webp`, or the `jpeg`/`png` fallback for clients without WebP."},
            "bytes": {"help_text": "File size in bytes."},
            "sha256": {"help_text": "SHA-256 of the file, hex: verify a download and cache it by content."},
        }


class FocalPointSerializer(serializers.Serializer):
    x = serializers.FloatField(source="focal_x", help_text="0 = left edge, 1 = right edge.")
    y = serializers.FloatField(source="focal_y", help_text="0 = top edge, 1 = bottom edge.")


class ReadyMediaListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        return [item for item in super().to_representation(data) if item is not None]


@extend_schema_serializer(examples=examples.MEDIA_EXAMPLES)
class MediaSerializer(serializers.ModelSerializer):
    """Cue media: a photo, animation, video or audio cue, with renditions sized for phones and pages."""

    id = serializers.UUIDField(read_only=True, help_text=ID)
    bytes = serializers.IntegerField(source="size_bytes", help_text="Size of the original file in bytes.")
    url = FileUrlField(source="file", help_text="Absolute URL of the original file (media has no page of its own).")
    poster = FileUrlField(help_text="Video only: absolute URL of the still shown before it plays; else null.")
    renditions = serializers.SerializerMethodField(
        help_text="Resized copies, smallest first: WebP and a JPEG/PNG fallback in several widths. "
        "Empty for audio."
    )
    placeholder = serializers.SerializerMethodField(
        help_text="A tiny blurred image as a data: URI to show while the real one loads; null when there is none."
    )
    focal_point = FocalPointSerializer(source="*", help_text="The point that crops must keep, from 0 to 1.")
    published_at = serializers.DateTimeField(
        source="created_at",
        help_text="When it entered the media library. Media has no schedule of its own: "
        "it is public exactly while something published uses it.",
    )

    language = TextLanguageField()
    languages = TextLanguagesField()

    class Meta:
        model = CueMedia
        list_serializer_class = ReadyMediaListSerializer
        fields = [
            "id", "kind", "title", "alt_text", "caption", "credit", "licence", "width", "height",
            "duration_seconds", "mime_type", "bytes", "sha256", "url", "poster", "renditions", "placeholder",
            "dominant_color", "focal_point", "language", "languages", "updated_at", "published_at",
        ]
        extra_kwargs = {
            "kind": {"help_text": "`image`, `animation`, `video` or `audio`."},
            "title": {"help_text": "Library title; may be empty."},
            "alt_text": {"help_text": "Text alternative for screen readers; always set for images and animations."},
            "caption": {"help_text": "Caption to show with it; may be empty."},
            "credit": {"help_text": "Who made it; may be empty."},
            "licence": {"help_text": "Licence, e.g. `CC BY 4.0`; may be empty."},
            "width": {"help_text": "Width of the original in pixels; null for audio."},
            "height": {"help_text": "Height of the original in pixels; null for audio."},
            "duration_seconds": {"help_text": "Length of a video or audio in seconds; null for still images."},
            "mime_type": {"help_text": "Content type of the original, e.g. `image/jpeg`."},
            "sha256": {"help_text": "SHA-256 of the original file, hex."},
            "dominant_color": {"help_text": "Main colour as `#rrggbb`, for a background while loading; may be empty."},
            "updated_at": {"help_text": UPDATED},
        }

    def to_representation(self, media):
        # Media whose renditions a job is still building is not shown yet: null where one is
        # embedded (an author's photo, a step's picture), left out of a list (a gallery).
        if media.renditions_pending:
            return None
        return super().to_representation(media)

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, media):
        return RenditionSerializer(media.sized_renditions(thumb=None), many=True, context=self.context).data

    @extend_schema_field({"type": "string", "nullable": True})
    def get_placeholder(self, media):
        return media.placeholder or None
