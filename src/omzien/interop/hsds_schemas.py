"""The vendored HSDS 3.1 JSON Schemas, resolved locally, and fast validation against them.

Every schema file in `hsds_schema/` is registered under the URL the HSDS documents use for it
(the 3.0 branch on GitHub), so relative `$ref`s ("phone.json") and the absolute ones in
`openapi.json` resolve to the local copies; nothing is fetched from the network.

`validate()` answers with jsonschema (Draft 2020-12) error messages. Checking 100 000 nested
services with jsonschema alone takes minutes, so a record first goes through a checker compiled
from the same schema that accepts exactly what jsonschema accepts for the keywords HSDS uses
(type, enum, required, properties, items, $ref, format). Only a record that fails it is handed
to jsonschema, which then explains what is wrong. tests/test_hsds_import.py checks that both
agree on the official examples and on damaged copies of them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"
# The URLs the HSDS files themselves use; the 3.1 branch is registered too for documents that
# point there.
REMOTE_BASES = (
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/",
    "https://raw.githubusercontent.com/openreferral/specification/3.1-dev/schema/",
    "https://raw.githubusercontent.com/openreferral/specification/3.1/schema/",
)
BASE = REMOTE_BASES[0]
FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


@cache
def registry() -> Registry[Any]:
    resources: list[tuple[str, Resource[Any]]] = []
    for path in sorted(SCHEMA_DIR.rglob("*.json")):
        relative = path.relative_to(SCHEMA_DIR).as_posix()
        resource = DRAFT202012.create_resource(json.loads(path.read_text(encoding="utf-8")))
        resources.extend((base + relative, resource) for base in REMOTE_BASES)
    return Registry().with_resources(resources).crawl()


def schema_uri(name: str) -> str:
    """The registry URI of a vendored schema, e.g. "compiled/service.json"."""
    return BASE + name


def load_schema(name: str) -> dict[str, Any]:
    contents: dict[str, Any] = registry().contents(schema_uri(name))
    return contents


@cache
def validator(name: str, pointer: str = "") -> Draft202012Validator:
    """A Draft 2020-12 validator for a vendored schema, or a part of one (a JSON pointer)."""
    ref = schema_uri(name) + (f"#{pointer}" if pointer else "")
    return Draft202012Validator({"$ref": ref}, registry=registry(), format_checker=FORMAT_CHECKER)


def openapi_response_validator(path: str, method: str = "get") -> Draft202012Validator:
    """The schema the HSDS API reference gives for a successful response on `path`."""
    escaped = path.replace("~", "~0").replace("/", "~1")
    pointer = f"/paths/{escaped}/{method}/responses/200/content/application~1json/schema"
    return validator("openapi.json", pointer)


@dataclass(frozen=True)
class SchemaProblem:
    path: tuple[str | int, ...]  # where in the document, from its root
    message: str  # jsonschema's explanation (English, technical)
    validator: str  # the keyword that failed: "required", "type", "enum", ...

    @property
    def dotted(self) -> str:
        return dotted_path(self.path)


def dotted_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    """("phones", 0, "number") -> "phones[0].number"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def validate(name: str, document: Any) -> list[SchemaProblem]:
    """Every way `document` breaks the schema `name`; empty when it is valid."""
    if fast_checker(name)(document):
        return []
    return [_problem(error) for error in validator(name).iter_errors(document)]


def _problem(error: ValidationError) -> SchemaProblem:
    path = tuple(error.absolute_path)
    if error.validator == "required":
        # Point at the missing field itself, so the report names it.
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else ""
        path = (*path, missing) if missing else path
    return SchemaProblem(path, error.message, str(error.validator))


# --- the compiled checker -----------------------------------------------------------------

Check = Callable[[Any], bool]
_MISSING = object()


_STANDARD_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def _uuid_format(value: Any) -> bool:
    """jsonschema's "uuid" format: UUID() accepts it and the dashes are where they belong."""
    if not isinstance(value, str):
        return True
    if _STANDARD_UUID.match(value):
        return True  # the usual form, without building a UUID
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return all(value[position] == "-" for position in (8, 13, 18, 23))


@cache
def fast_checker(name: str) -> Check:
    return _CodeGenerator().build({"$ref": schema_uri(name)}, schema_uri(name))


# Annotation keywords (no effect on validity) and the assertions compiled here. The HSDS
# files also carry Frictionless "constraints", which JSON Schema ignores.
_KNOWN_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "format",
        "required",
        "properties",
        "items",
        "name",
        "title",
        "description",
        "example",
        "constraints",
        "core",
        "path",
        "datapackage_metadata",
        "datapackage_type",
        "tabular_required",
        "definitions",
        "$schema",
        "$id",
    }
)
_TYPE_TESTS = {
    "string": "isinstance({v}, str)",
    "number": "({v}.__class__ is int or {v}.__class__ is float or "
    "(isinstance({v}, (int, float)) and not isinstance({v}, bool)))",
    # Draft 2020-12: 1.0 is an integer too.
    "integer": "((isinstance({v}, int) and not isinstance({v}, bool)) or "
    "(isinstance({v}, float) and {v}.is_integer()))",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
}


class _CodeGenerator:
    """Writes one Python function per object schema (the subset of JSON Schema HSDS uses).

    The result accepts exactly what jsonschema accepts, about ten times faster; anything this
    generator does not know makes the function answer False, so jsonschema decides.
    """

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.names: dict[str, str] = {}
        self.namespace: dict[str, Any] = {
            "_MISSING": _MISSING,
            "_uuid": _uuid_format,
            "_formats": FORMAT_CHECKER,
        }

    def build(self, schema: Any, base: str) -> Check:
        name = self.function(schema, base, key="root")
        exec("\n\n".join(self.sources), self.namespace)  # noqa: S102 - code we generated
        check: Check = self.namespace[name]
        return check

    def _constant(self, value: Any) -> str:
        name = f"_C{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def function(self, schema: Any, base: str, key: str | None = None) -> str:
        if key is not None and key in self.names:
            return self.names[key]
        name = f"_check_{len(self.names) + len(self.sources)}_{id(schema)}"
        if key is not None:
            self.names[key] = name
        lines = [f"def {name}(v):"]
        lines += self.body(schema, base, "v", 1, 0)
        lines.append("    return True")
        self.sources.append("\n".join(lines))
        return name

    def _is_simple(self, schema: Any) -> bool:
        return isinstance(schema, dict) and not {"properties", "items", "$ref"} & set(schema)

    def body(self, schema: Any, base: str, var: str, depth: int, level: int) -> list[str]:
        pad = "    " * depth
        if schema is True or schema == {}:
            return []
        if schema is False or not isinstance(schema, dict) or set(schema) - _KNOWN_KEYWORDS:
            return [f"{pad}return False"]
        lines: list[str] = []
        if "$ref" in schema:
            target = urljoin(base, schema["$ref"])
            contents = registry().resolver(base_uri=base).lookup(schema["$ref"]).contents
            function = self.function(contents, target.split("#")[0], key=target)
            lines.append(f"{pad}if not {function}({var}): return False")
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if any(t not in _TYPE_TESTS for t in types):
                return [f"{pad}return False"]
            test = " or ".join(_TYPE_TESTS[t].format(v=var) for t in types)
            lines.append(f"{pad}if not ({test}): return False")
        if "enum" in schema:
            options = schema["enum"]
            if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
                return [f"{pad}return False"]
            constant = self._constant(frozenset(options))
            lines.append(
                f"{pad}if not isinstance({var}, str) or {var} not in {constant}: return False"
            )
        fmt = schema.get("format")
        if fmt == "uuid":
            lines.append(f"{pad}if not _uuid({var}): return False")
        elif fmt == "email":
            lines.append(f"{pad}if isinstance({var}, str) and '@' not in {var}: return False")
        elif isinstance(fmt, str) and fmt in FORMAT_CHECKER.checkers:
            lines.append(f"{pad}if not _formats.conforms({var}, {fmt!r}): return False")
        if schema.get("required"):
            test = " and ".join(f"{key!r} in {var}" for key in schema["required"])
            lines.append(f"{pad}if isinstance({var}, dict) and not ({test}): return False")
        if schema.get("properties"):
            lines.append(f"{pad}if isinstance({var}, dict):")
            inner = f"x{level}"
            for key, sub in schema["properties"].items():
                lines.append(f"{pad}    {inner} = {var}.get({key!r}, _MISSING)")
                lines.append(f"{pad}    if {inner} is not _MISSING:")
                if self._is_simple(sub):
                    checks = self.body(sub, base, inner, depth + 2, level + 1)
                    lines += checks or [f"{pad}        pass"]
                else:
                    function = self.function(sub, base)
                    lines.append(f"{pad}        if not {function}({inner}): return False")
        if "items" in schema:
            item = f"i{level}"
            lines.append(f"{pad}if isinstance({var}, list):")
            lines.append(f"{pad}    for {item} in {var}:")
            if self._is_simple(schema["items"]):
                checks = self.body(schema["items"], base, item, depth + 2, level + 1)
                lines += checks or [f"{pad}        pass"]
            else:
                function = self.function(schema["items"], base)
                lines.append(f"{pad}        if not {function}({item}): return False")
        return lines


def iter_schema_files() -> Iterator[Path]:
    yield from sorted(SCHEMA_DIR.rglob("*.json"))


# --- rows of the tabular format -------------------------------------------------------------


@cache
def tabular_row_schema(entity: str) -> dict[str, Any]:
    """The schema of one CSV row of `entity`: its flat fields, with the tabular requirements.

    Derived from the vendored object schema: arrays and nested objects have no column, and
    `tabular_required` (e.g. a service's organization_id) adds to `required`.
    """
    source = load_schema(f"{entity}.json")
    properties = {
        name: spec
        for name, spec in source["properties"].items()
        if spec.get("type") not in ("array", "object") and "$ref" not in spec
    }
    required = [name for name in source.get("required", ()) if name in properties]
    required += [name for name in source.get("tabular_required", ()) if name not in required]
    return {"type": "object", "properties": properties, "required": required}


@cache
def _row_validator(entity: str) -> tuple[Check, Draft202012Validator]:
    schema = tabular_row_schema(entity)
    return (
        _CodeGenerator().build(schema, schema_uri(f"{entity}.json")),
        Draft202012Validator(schema, format_checker=FORMAT_CHECKER),
    )


def validate_row(entity: str, row: dict[str, Any]) -> list[SchemaProblem]:
    fast, full = _row_validator(entity)
    if fast(row):
        return []
    return [_problem(error) for error in full.iter_errors(row)]
