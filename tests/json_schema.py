"""A small JSON Schema check for the tests' own schemas (jsonschema is not installed).

It knows the keywords tests/schemas/ use: type, properties, required, additionalProperties,
items, enum, pattern, format (uuid, uri, email, date) and local $ref; any other keyword in a
schema is an error, so a schema never silently asks for more than is checked.
"""

import re
import uuid
from datetime import date
from urllib.parse import urlsplit

KNOWN = {
    "$schema",
    "$defs",
    "$ref",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "pattern",
    "format",
}
TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def errors(instance, schema, root=None, path="$"):
    """Every way `instance` fails `schema`, as "path: reason" lines; [] when it conforms."""
    root = root or schema
    unknown = set(schema) - KNOWN
    if unknown:
        return [f"{path}: schema keyword(s) not checked here: {sorted(unknown)}"]
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return errors(instance, root["$defs"][name], root, path)
    found = []
    kind = schema.get("type")
    if kind and not _is(instance, kind):
        return [f"{path}: {instance!r} is not of type {kind}"]
    if "enum" in schema and instance not in schema["enum"]:
        found.append(f"{path}: {instance!r} is not one of {schema['enum']}")
    if isinstance(instance, str):
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            found.append(f"{path}: {instance!r} does not match {schema['pattern']}")
        if "format" in schema and not _formatted(instance, schema["format"]):
            found.append(f"{path}: {instance!r} is not a valid {schema['format']}")
    if isinstance(instance, dict):
        for name in schema.get("required", []):
            if name not in instance:
                found.append(f"{path}: required field {name!r} is missing")
        properties = schema.get("properties", {})
        for name, value in instance.items():
            if name in properties:
                found += errors(value, properties[name], root, f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{path}: field {name!r} is not in the schema")
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            found += errors(item, schema["items"], root, f"{path}[{index}]")
    return found


def _is(instance, kind):
    if kind == "number":
        return isinstance(instance, int | float) and not isinstance(instance, bool)
    if kind == "integer":
        return isinstance(instance, int) and not isinstance(instance, bool)
    return isinstance(instance, TYPES[kind])


def _formatted(value, fmt):
    if fmt == "uuid":
        try:
            return str(uuid.UUID(value)) == value
        except ValueError:
            return False
    if fmt == "uri":
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)
    if fmt == "email":
        return re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None
    if fmt == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
    raise ValueError(f"format {fmt!r} is not checked here")
