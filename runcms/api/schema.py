"""OpenAPI for the API's shared behaviour: error bodies, 304, 429, the caching headers, and response-only objects."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

from runcms import languages

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
        "Accept-Language", OpenApiTypes.STR, OpenApiParameter.HEADER,
        description="The languages you prefer, e.g. `de, en;q=0.8`: the answer is in the first the site publishes "
        "in, else its default language. `lang` wins over it.",
    ),
    OpenApiParameter(
        "Content-Language", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], required=True,
        description="The language the answer was asked in (by `lang` or Accept-Language). Objects whose text is "
        "not translated into it fall back, and say so in their `language`.",
    ),
    OpenApiParameter(
        "Vary", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], required=True,
        description="Includes `Accept-Language`: caches keep one copy per language.",
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


def _language():
    """`?lang=`: one of the languages published now (read when the schema is made)."""
    return OpenApiParameter(
        "lang", OpenApiTypes.STR, enum=languages.enabled(),
        description="The language of the answer's text; wins over Accept-Language. Text not translated into it "
        f"falls back (see each object's `language`). Default: {languages.default()}. Another value is a 400.",
    )


# gunicorn answers 414 by itself, before the request reaches the app, to a request line (the
# address with its query) longer than its `limit_request_line`, 4094 bytes by default.
URI_TOO_LONG = OpenApiResponse(
    description="The address with its query string is longer than the server accepts (4094 bytes by default): "
    "shorten it, e.g. the `search` words. Answered by the web server, as a short HTML page."
)


class ApiSchema(AutoSchema):
    """Adds the answers every endpoint can give to what drf-spectacular finds by itself."""

    def get_auth(self):
        # Public and anonymous: no security requirement at all. drf-spectacular's `[{}]` ("no
        # authentication, optionally") makes generated clients ask for an authenticated client.
        return []

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), *_HEADERS, _language()]
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
            if parameter["in"] == "query" and not parameter.get("required"):
                # Every optional query parameter reads `name=` as if it were left out.
                parameter["allowEmptyValue"] = True
                parameter["description"] = (
                    parameter.get("description", "").rstrip() + " An empty value is the same as leaving it out."
                ).lstrip()
            if parameter["in"] == "path" and parameter["name"] in PATH_PARAMETERS:
                parameter["description"] = PATH_PARAMETERS[parameter["name"]]
            if parameter["in"] == "path" and parameter["name"] == "id":
                # The same type as the objects' `id`, so a client passes one back as it got it.
                parameter["schema"] = {"type": "string", "format": "uuid"}
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
        responses = {
            "414": URI_TOO_LONG,
            "429": error("Too many requests from this address: wait as long as Retry-After says."),
        }
        if self._is_list_view():
            responses["400"] = error(
                "A filter or paging value is not valid, e.g. an `updated_since` that is not ISO 8601, a `page_size` "
                "that is not a whole number from 1 up, a `lang` the site does not publish in, or a query parameter "
                "holds a NUL character."
            )
            responses["404"] = error("There is no such page of the list.")
        elif "{" in self.path:
            responses["400"] = error(
                "A `lang` the site does not publish in, or a query parameter holds a NUL character."
            )
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
            properties[name] = field = _strict_reference(field)
            field["readOnly"] = True
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                for content in response.get("content", {}).values():
                    for example in content.get("examples", {}).values():
                        _lend_examples(components, content["schema"], example.get("value"))
    return result


# The null that a nullable reference admits besides its object (see _strict_reference).
NULL = {"type": "object", "nullable": True, "enum": [None]}


def _strict_reference(field):
    """A field that refers to a component, written so that strict OpenAPI 3.0 validators read it as meant.

    OpenAPI 3.0 ignores what stands beside a `$ref`, so the reference goes into an `allOf`. But
    `nullable` only counts beside a `type` (OpenAPI 3.0.3), and null never matches the referenced
    object: a nullable reference is one of the object or null.
    """
    if "$ref" in field:
        field = {"allOf": [{"$ref": field.pop("$ref")}], **field}
    if field.get("nullable") and "type" not in field and len(field.get("allOf", [])) == 1:
        field = {"oneOf": [field.pop("allOf")[0], NULL], **field}
        del field["nullable"]
    return field


def _lend_examples(components, schema, value):
    """Give each object schema met along `value` an example, the part of `value` it describes."""
    if value is None:
        return
    if "$ref" in schema:
        component = components[schema["$ref"].rsplit("/", 1)[-1]]
        if component.get("type") == "object" or "properties" in component:
            component.setdefault("example", value)
        _lend_examples(components, component, value)
    for part in [*schema.get("allOf", []), *schema.get("oneOf", [])]:  # a nullable reference's null lends nothing
        _lend_examples(components, part, value)
    if isinstance(value, list) and "items" in schema:
        for item in value:
            _lend_examples(components, schema["items"], item)
    if isinstance(value, dict):
        for name, field in schema.get("properties", {}).items():
            _lend_examples(components, field, value.get(name))
