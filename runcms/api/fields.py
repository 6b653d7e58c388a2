"""Serializer fields every app's API uses: absolute links and ids that never change."""

import uuid
from urllib.parse import urlencode, urlsplit

from django.core.files.storage import FileSystemStorage
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from runcms import languages
from runcms.links import public_url

# Names the ids of rows that have an integer key (taxonomy terms, authors), see StableIdField.
ID_NAMESPACE = uuid.UUID("6f0c1c7e-2f7d-4a53-9d0e-6a8f3b1d2c41")
# Serializer context key: the preview token of the draft being shown (see FileUrlField).
PREVIEW_TOKEN = "preview_token"


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the object's public page (`get_absolute_url()`)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return public_url(obj.get_absolute_url(), self.context["request"])


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class FileUrlField(serializers.Field):
    """The absolute URL of a stored file, or null when there is none.

    In a preview response (the context holds PREVIEW_TOKEN) the URL carries the token:
    the media view serves a draft's own files only to a request that holds it, and an
    app keeps no cookie. Files in a bucket are not served by that view and keep their URL.
    """

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        # An empty FileField is falsy; keep it so to_representation sees it.
        return super().get_attribute(instance) or None

    def to_representation(self, file):
        if not file:
            return None
        url = public_url(file.url, self.context["request"])
        token = self.context.get(PREVIEW_TOKEN)
        if token and isinstance(file.storage, FileSystemStorage):
            url += ("&" if urlsplit(url).query else "?") + urlencode({"preview": token})
        return url


@extend_schema_field(OpenApiTypes.UUID)
class StableIdField(serializers.Field):
    """A UUID for a row keyed by an integer, derived from the model and key: it never changes."""

    def __init__(self, **kwargs):
        super().__init__(source="pk", read_only=True, **kwargs)

    def to_representation(self, pk):
        model = self.parent.Meta.model
        return str(uuid.uuid5(ID_NAMESPACE, f"{model._meta.label_lower}:{pk}"))


@extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
class AlwaysNullField(serializers.Field):
    """For a field every object carries but this kind of object has no value for."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return None


TEXT_LANGUAGE = (
    "The language of this object's text: the one asked for (`lang` or `Accept-Language`) when it is translated "
    "into it, else the first one it falls back to."
)
TEXT_LANGUAGES = "Every language this object's text exists in, the site's default language first."


@extend_schema_field(OpenApiTypes.STR)
class TextLanguageField(serializers.Field):
    """The language the object's text is shown in, after fallback (`runcms.languages.language_of`)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, help_text=TEXT_LANGUAGE, **kwargs)

    def to_representation(self, obj):
        return languages.language_of(obj)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TextLanguagesField(serializers.Field):
    """The languages the object's text exists in (`runcms.languages.available`)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, help_text=TEXT_LANGUAGES, **kwargs)

    def to_representation(self, obj):
        return languages.available(obj)
