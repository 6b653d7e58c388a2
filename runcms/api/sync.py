"""GET /api/v1/sync/: the offline apps' delta sync (see `runcms.sync`; changes come from `runcms.changelog`)."""

from django.utils.decorators import method_decorator
from drf_spectacular.drainage import get_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import APIException, ParseError
from rest_framework.views import APIView

from runcms import changelog, languages, sync
from runcms.api.schema import ApiSchema, error
from runcms.api.views import PublicApiMixin, json_response
from runcms.replicas import primary_database
from runcms.representation import dumps

FULL_SYNC = "Do a full sync: discard the local copy and call GET /api/v1/sync/ without a token."
TOKEN_EXAMPLE = "eyJwIjoxMiwidCI6IjIwMjYtMDUtMDFUMTI6MDA6MDBaIn0:1t..."


class TokenGone(APIException):
    status_code = 410
    default_code = "token_gone"


class SyncSchema(ApiSchema):
    def get_response_serializers(self):
        # Built when the schema is generated: by then every app has registered its collections.
        return {
            200: response_serializer(),
            400: error(f"The token is malformed or was not issued by this server. {FULL_SYNC}"),
            410: error(f"The token is too old, or newer than the server's content. {FULL_SYNC}"),
        }


def response_serializer():
    collections = changelog.collections()
    upserted = type(
        "SyncUpserted",
        (serializers.Serializer,),
        {
            c.name: c.serializer(many=True, help_text=f"Published {c.name} that are new or changed: "
                                 "the same objects as their detail endpoint.")
            for c in collections
        },
    )
    deleted = type(
        "SyncDeleted",
        (serializers.Serializer,),
        {
            c.name: serializers.ListField(
                child=serializers.UUIDField(), help_text=f"Ids of {c.name} to drop from the local copy."
            )
            for c in collections
        },
    )
    response = type(
        "SyncResponse",
        (serializers.Serializer,),
        {
            "token": serializers.CharField(
                help_text="Send it as `token` in the next sync. Signed: it cannot be edited.",
            ),
            "has_more": serializers.BooleanField(
                help_text="True when this is one page of a larger change: sync again at once with the new token.",
            ),
            "upserted": upserted(help_text="Objects to add or replace, by collection."),
            "deleted": deleted(
                help_text="Objects that are gone for the public (deleted, unpublished, expired, or media "
                "nothing public uses any more), by collection."
            ),
        },
    )
    return extend_schema_serializer(examples=[response_example(collections)])(response)


def response_example(collections):
    """A delta: the first example object of each collection's serializer upserted, an id deleted."""

    def objects(serializer):
        return [example.value for example in get_override(serializer, "examples", [])[:1]]

    deleted = {c.name: [] for c in collections}
    if collections:
        deleted[collections[0].name] = ["5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"]
    value = {
        "token": TOKEN_EXAMPLE,
        "has_more": False,
        "upserted": {c.name: objects(c.serializer) for c in collections},
        "deleted": deleted,
    }
    return OpenApiExample("A delta sync", value=value, response_only=True)


# Tokens are positions in the change journal: read from the primary, never a lagging replica.
@method_decorator(primary_database, name="dispatch")
class SyncView(PublicApiMixin, APIView):
    """Everything published now (no token), or only what changed since a token was issued."""

    schema = SyncSchema()
    # Each answer carries a token issued now: a kept one would tell a client it synced earlier than it did.
    cache_responses = False

    @property
    def etag_collections(self):
        return [c.name for c in changelog.collections()]

    def check_query(self, request):
        # Before the ETag: an expired token is a 410 even to a client holding its last answer.
        token = request.query_params.get("token", "").strip()
        try:
            self.cursor = sync.read_token(token) if token else None
        except sync.TokenInvalid as invalid:
            raise ParseError(f"{invalid} {FULL_SYNC}") from invalid
        except sync.TokenExpired as expired:
            raise TokenGone(f"{expired} {FULL_SYNC}") from expired
        if self.cursor is not None:
            # The token remembers the language of the client's copy; another one needs a full sync.
            held = self.cursor.language or languages.default()
            if "lang" in request.query_params and held != self.language:
                raise ParseError(f"This sync token is for “{held}”, not “{self.language}”. {FULL_SYNC}")
            self.language = held

    @extend_schema(
        operation_id="sync",
        summary="Delta sync for offline apps",
        description="Without `token`: everything published now (a full sync). With the `token` of the previous "
        "response: only what changed since, including scheduled items that went live or expired without a save. "
        "While `has_more` is true, call again at once with the new token. Apply `upserted` (add or replace by "
        "`id`) and `deleted` (drop by `id`) to the local copy, and keep the token for next time.",
        parameters=[
            OpenApiParameter(
                "token", OpenApiTypes.STR,
                description="The `token` of your previous sync response. Leave out for a full sync.",
                examples=[OpenApiExample("A token", value=TOKEN_EXAMPLE)],
            )
        ],
    )
    def get(self, request):
        page = sync.next_page(self.cursor or sync.start(self.language))
        names = [c.name for c in changelog.collections()]
        upserted = b",".join(dumps(name) + b":[" + b",".join(page.upserted[name]) + b"]" for name in names)
        deleted = dumps({name: [str(pk) for pk in page.deleted[name]] for name in names})
        head = dumps({"token": sync.make_token(page.cursor), "has_more": page.has_more})  # the token after the objects
        return json_response(head[:-1] + b',"upserted":{' + upserted + b'},"deleted":' + deleted + b"}", request)
