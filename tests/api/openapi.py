"""Check a JSON value against a schema of the served OpenAPI 3.0 document, strictly.

Stricter than a validator needs to be, so a schema that says too little fails too: an
object must carry exactly the properties its schema lists, and null only where `nullable`.
"""

import re
from datetime import datetime
from uuid import UUID


def served_schema(client):
    """The OpenAPI document the API serves, parsed."""
    return client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


TYPES = {"string": str, "integer": int, "number": int | float, "boolean": bool, "array": list, "object": dict}


def problems(document, schema, value, where="$"):
    """A list of "where: what is wrong"; empty when `value` keeps to `schema`."""
    if "$ref" in schema:
        return problems(document, resolve(document, schema["$ref"]), value, where)
    if "oneOf" in schema:
        matching = [part for part in schema["oneOf"] if not problems(document, part, value, where)]
        if len(matching) != 1:
            return [f"{where}: {value!r} matches {len(matching)} of oneOf, not exactly 1"]
    if value is None and "oneOf" in schema:
        return []
    if value is None:
        return [] if schema.get("nullable") else [f"{where}: null, but not nullable"]
    found = []
    for part in schema.get("allOf", []):
        found += problems(document, part, value, where)
    kind = schema.get("type")
    if kind and (not isinstance(value, TYPES[kind]) or (kind in ("integer", "number") and isinstance(value, bool))):
        return [*found, f"{where}: {value!r} is not of type {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        found += _format_problems(schema, value, where)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(document, schema["items"], item, f"{where}[{index}]")
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        if set(value) != set(properties):
            found.append(f"{where}: has {sorted(value)}, the schema lists {sorted(properties)}")
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: required {name} is missing")
        for name, field in properties.items():
            if name in value:
                found += problems(document, field, value[name], f"{where}.{name}")
    return found


def _format_problems(schema, value, where):
    checks = {
        "uuid": lambda v: str(UUID(v)) == v,
        "date-time": lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")).tzinfo is not None,
        "uri": lambda v: re.match(r"^https?://[^/\s]+", v) is not None,
    }
    check = checks.get(schema.get("format"))
    try:
        good = check is None or check(value)
    except ValueError:
        good = False
    return [] if good else [f"{where}: {value!r} is not a {schema['format']}"]


def resolve(document, ref):
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def response_schema(document, path, status="200"):
    return document["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
