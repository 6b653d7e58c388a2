"""OpenAPI for the API's shared behaviour: error bodies, 304, 429, the caching headers, and response-only objects."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

ERROR_EXAMPLES = {
    "301": "Moved to https://runcms.example.com/api/v1/drills/heel-pull-on-box/",
    "400": "updated_since: Enter an ISO 8601 date and time, e.g. 2026-05-01T12:00:00Z.",
    "404": "No drill is published at “heel-pull”.",
    "410": "This sync token is more than 90 days old. Do a full sync: discard the local copy and call "
    "GET /api/v1/sync/ without a token.",
    "429": "Request was throttled. Expected available in 42 seconds.",
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(f"Error {code}", value={"detail": detail}, status_codes=[code], response_only=True)
        for code, detail in ERROR_EXAMPLES.items()
    ]
)
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

PATH_PARAMETERS = {
    "slug": "The item's slug, as in its `slug` field. An old slug answers 301 with the current address.",
    "id": "The media's `id` (UUID).",
}

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
            if parameter["in"] == "path" and parameter["name"] in PATH_PARAMETERS:
                parameter["description"] = PATH_PARAMETERS[parameter["name"]]
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
            responses["400"] = error(
                "A filter value is not valid, e.g. an `updated_since` that is not ISO 8601, or a query "
                "parameter holds a NUL character."
            )
            responses["404"] = error("There is no such page of the list.")
        elif "{" in self.path:
            responses["400"] = error("A query parameter holds a NUL character.")
            if self._opens_drafts():
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


def response_only_objects(result, generator, request, public):
    """Postprocessing hook: the API only answers, and every object always carries all its fields.

    So every field is required and read-only (generated clients then make none optional),
    and every object schema shows an example: the first operation example that holds one.
    """
    components = result.get("components", {}).get("schemas", {})
    for component in components.values():
        properties = component.get("properties")
        if not properties:
            continue
        component["required"] = sorted(properties)
        for name, field in properties.items():
            if "$ref" in field:  # OpenAPI 3.0 ignores what stands beside a $ref
                properties[name] = field = {"allOf": [{"$ref": field.pop("$ref")}], **field}
            field["readOnly"] = True
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                for content in response.get("content", {}).values():
                    for example in content.get("examples", {}).values():
                        _lend_examples(components, content["schema"], example.get("value"))
    return result


def _lend_examples(components, schema, value):
    """Give each object schema met along `value` an example, the part of `value` it describes."""
    if value is None:
        return
    if "$ref" in schema:
        component = components[schema["$ref"].rsplit("/", 1)[-1]]
        if component.get("type") == "object" or "properties" in component:
            component.setdefault("example", value)
        _lend_examples(components, component, value)
    for part in schema.get("allOf", []):
        _lend_examples(components, part, value)
    if isinstance(value, list) and "items" in schema:
        for item in value:
            _lend_examples(components, schema["items"], item)
    if isinstance(value, dict):
        for name, field in schema.get("properties", {}).items():
            _lend_examples(components, field, value.get(name))
