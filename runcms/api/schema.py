"""OpenAPI for the API's shared behaviour: error bodies, 304, 429, and the caching headers."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence a developer can act on.")


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


_HEADERS = [
    OpenApiParameter(
        "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
        description="The ETag of a copy you hold: if it is still current the answer is 304 with no body.",
    ),
    OpenApiParameter(
        "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], required=True,
        description="Version of this response; send it back as If-None-Match.",
    ),
    OpenApiParameter(
        "Cache-Control", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], required=True,
        description="`public, no-cache`: keep a copy, but revalidate it with If-None-Match before each use. "
        "`private, no-store` on drafts opened with a preview token.",
    ),
    OpenApiParameter(
        "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429], required=True,
        description="Seconds to wait before the next request.",
    ),
    OpenApiParameter(
        "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[301], required=True,
        description="The address of the item under its current slug.",
    ),
]

_PREVIEW = OpenApiParameter(
    "preview", OpenApiTypes.STR,
    description="A signed, expiring preview token an editor shared: opens that one draft. "
    "Responses to it are never stored by shared caches, and the draft's media URLs in them carry the token, "
    "which the media server asks for.",
)


class ApiSchema(AutoSchema):
    """Adds the answers every endpoint can give to what drf-spectacular finds by itself."""

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), *_HEADERS]
        if self._opens_drafts():
            parameters.append(_PREVIEW)
        return parameters

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            free_text = schema.get("type") == "string" and not schema.keys() & {"enum", "pattern"}
            if parameter["in"] == "query" and free_text:
                # The site refuses NUL in query strings (runcms.nul_guard): say so, so clients know.
                schema["pattern"] = "^[^\\x00]*$"
        return parameters

    def get_description(self):
        # Docstrings are written for this code's developers; API texts are given with extend_schema.
        if self._opens_drafts():
            return (
                "An old slug answers 301 with the current address in Location. "
                "A draft is a 404, unless `preview` carries a valid preview token for it."
            )
        return ""

    def _opens_drafts(self):
        return "{slug}" in self.path

    def error_responses(self):
        responses = {"429": error("Too many requests from this address: wait as long as Retry-After says.")}
        if self._is_list_view():
            responses["400"] = error("A filter value is not valid, e.g. an `updated_since` that is not ISO 8601.")
            responses["404"] = error("There is no such page of the list.")
        elif "{" in self.path:
            responses["301"] = error("An old slug: the item moved to the slug in Location.")
            responses["404"] = error("Nothing is published under this address.")
        return responses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        if "200" in responses and not responses["200"].get("description"):
            responses["200"]["description"] = "The list page, or the item, as it is published now."
        for code, response in self.error_responses().items():
            responses.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        responses.setdefault(
            "304",
            self._get_response_for_code(
                OpenApiResponse(description="Not modified: the copy named in If-None-Match is current."), "304"
            ),
        )
        return responses
