"""The OpenAPI schema: valid, every field typed and described, and the API keeps to it (schemathesis)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from drills.models import DrillMedia
from tests.api.content import rich_article, rich_drill, rich_program, small_media
from tests.api.openapi import problems, served_schema

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_a_single_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_every_field_of_every_object_is_typed_and_described(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    untyped = []
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            typed = "type" in spec or "$ref" in spec or "allOf" in spec or "oneOf" in spec
            if not typed or not spec.get("description"):
                untyped.append(f"{name}.{field}")
    assert untyped == []


def object_components(schema):
    return {name: c for name, c in schema["components"]["schemas"].items() if "properties" in c}


def test_every_field_is_required_and_read_only_as_every_response_carries_it(client):
    schema = served_schema(client)

    for name, component in object_components(schema).items():
        assert set(component["required"]) == set(component["properties"]), name
        assert all(field.get("readOnly") for field in component["properties"].values()), name


def test_every_object_has_an_example_that_keeps_to_its_schema(client):
    schema = served_schema(client)

    for name, component in object_components(schema).items():
        assert "example" in component, name
        assert problems(schema, component, component["example"], name) == []


def test_every_operation_answers_with_examples(client):
    schema = served_schema(client)

    for path, operations in schema["paths"].items():
        for code, response in operations["get"]["responses"].items():
            for content in response.get("content", {}).values():
                assert content.get("examples"), f"{path} {code}"
                for example in content["examples"].values():
                    assert problems(schema, content["schema"], example["value"], f"{path} {code}") == []


def test_every_parameter_is_described(client):
    schema = served_schema(client)

    undescribed = [
        f"{path} {parameter['name']}"
        for path, operations in schema["paths"].items()
        for parameter in operations["get"].get("parameters", [])
        if not parameter.get("description")
    ]
    assert undescribed == []


def test_published_at_may_be_null_as_in_a_preview_of_a_draft(client):
    schema = served_schema(client)["components"]["schemas"]

    for name in ("Drill", "DrillSummary", "Program", "ProgramSummary", "Article", "ArticleSummary"):
        assert schema[name]["properties"]["published_at"].get("nullable"), name
        assert "preview" in schema[name]["properties"]["published_at"]["description"], name


def test_details_document_the_nul_guard_and_only_slugs_move(client):
    paths = served_schema(client)["paths"]

    for path in ("/api/v1/drills/{slug}/", "/api/v1/programs/{slug}/", "/api/v1/articles/{slug}/"):
        assert {"301", "400", "404"} <= set(paths[path]["get"]["responses"]), path
    media = paths["/api/v1/media/{id}/"]["get"]["responses"]
    assert "400" in media and "301" not in media


def test_page_size_starts_at_1_and_has_no_maximum_since_a_larger_one_is_capped(client):
    parameters = served_schema(client)["paths"]["/api/v1/drills/"]["get"]["parameters"]

    page_size = next(p for p in parameters if p["name"] == "page_size")

    assert page_size["schema"]["minimum"] == 1 and "maximum" not in page_size["schema"]
    assert "treated as 100" in page_size["description"]


def test_every_optional_query_parameter_says_an_empty_value_counts_as_absent(client):
    paths = served_schema(client)["paths"]

    for path, operations in paths.items():
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("allowEmptyValue") is True, f"{path} {parameter['name']}"


def test_public_operations_require_no_authentication(client):
    schema = served_schema(client)

    assert "security" not in schema
    assert [path for path, ops in schema["paths"].items() if "security" in ops["get"]] == []


def test_every_operation_documents_the_servers_414_for_an_over_long_address(client):
    paths = served_schema(client)["paths"]

    assert [path for path, operations in paths.items() if "414" not in operations["get"]["responses"]] == []


def test_the_main_objects_come_with_examples(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    drill = schema["paths"]["/api/v1/drills/{slug}/"]["get"]["responses"]["200"]["content"]["application/json"]
    media = schema["paths"]["/api/v1/media/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]

    assert drill["examples"] and media["examples"]


@pytest.fixture
def wsgi_app():
    """Django's WSGI app, inside the test's transaction.

    Like Django's test client, keep connections open between requests: closing them
    would end the transaction the test data lives in.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_keeps_to_its_schema_and_never_fails(wsgi_app, settings):
    """schemathesis, every check, valid and invalid requests for every operation, through WSGI.

    Configured by the project's schemathesis.toml, as `st run` is from the project folder.
    """
    drill = rich_drill(slug="heel-pull")
    drill.slug = "heel-pull-on-box"
    drill.save()  # "heel-pull" is now an old slug, which answers 301
    rich_program(slug="pull-basics")
    rich_article(slug="the-pull")
    DrillMedia.objects.create(drill=drill, media=small_media())
    config = SchemathesisConfig.from_path(settings.BASE_DIR / "schemathesis.toml")
    config.projects.default.checks.update(included_check_names=["all"])
    api = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app, config=config)

    for result in api.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            keeps_to_schema(result.ok(), mode)()


def keeps_to_schema(operation, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        # The WSGI test client does not unzip; gzip has its own test.
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    return run


def test_the_sync_operation_documents_its_token(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    sync = schema["paths"]["/api/v1/sync/"]["get"]

    assert sync["operationId"] == "sync" and sync["summary"]
    assert "token" in {parameter["name"] for parameter in sync["parameters"] if parameter["in"] == "query"}
