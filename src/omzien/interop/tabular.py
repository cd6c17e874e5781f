"""The HSDS tabular format: a Frictionless data package (datapackage.json + one CSV per table),
as a folder or a .zip. Reading and writing files only; what the rows mean is in the hsds package.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

from omzien.interop import hsds
from omzien.interop.hsds_schemas import load_schema, tabular_row_schema

DESCRIPTOR = "datapackage.json"
MAX_ZIP_BYTES = 2 * 1024**3  # unpacked; a bigger archive is refused before reading it
MAX_ZIP_MEMBERS = 1000
# GeoJSON extents can be long; csv's default limit (128 kB) would call them errors.
csv.field_size_limit(16 * 1024 * 1024)


class PackageError(Exception):
    """The package cannot be read; the message says why, in Dutch."""

    def __init__(self, message: str, file: str = "") -> None:
        super().__init__(message)
        self.file = file


class PackageSource:
    """A folder or a zip archive holding a data package."""

    label: str

    def exists(self, name: str) -> bool:
        raise NotImplementedError

    @contextmanager
    def open_text(self, name: str) -> Iterator[IO[str]]:
        raise NotImplementedError
        yield  # pragma: no cover

    def close(self) -> None:
        pass


class DirectorySource(PackageSource):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.label = root.name

    def _path(self, name: str) -> Path | None:
        candidate = (self.root / name).resolve()
        # Paths in datapackage.json stay inside the package.
        if self.root not in candidate.parents and candidate != self.root:
            return None
        return candidate

    def exists(self, name: str) -> bool:
        path = self._path(name)
        return path is not None and path.is_file()

    @contextmanager
    def open_text(self, name: str) -> Iterator[IO[str]]:
        path = self._path(name)
        if path is None:
            raise PackageError(_("Dit pad valt buiten het pakket."), name)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield handle


class ZipSource(PackageSource):
    def __init__(self, path: Path) -> None:
        self.label = path.name
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise PackageError(_("Dit is geen geldig zip-bestand."), path.name) from exc
        members = self.archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP_BYTES:
            self.archive.close()
            raise PackageError(_("Het zip-bestand is te groot om in te lezen."), path.name)
        names = {m.filename for m in members if not m.is_dir()}
        # datapackage.json at the top, or in the one folder the archive holds.
        self.prefix = ""
        if DESCRIPTOR not in names:
            tops = {name.split("/", 1)[0] for name in names if "/" in name}
            if len(tops) == 1 and f"{next(iter(tops))}/{DESCRIPTOR}" in names:
                self.prefix = f"{next(iter(tops))}/"
        self.names = names

    def _name(self, name: str) -> str:
        return str(PurePosixPath(self.prefix + name))

    def exists(self, name: str) -> bool:
        return ".." not in PurePosixPath(name).parts and self._name(name) in self.names

    @contextmanager
    def open_text(self, name: str) -> Iterator[IO[str]]:
        if not self.exists(name):
            raise PackageError(_("Dit bestand staat niet in het zip-bestand."), name)
        with (
            self.archive.open(self._name(name)) as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle,
        ):
            yield handle

    def close(self) -> None:
        self.archive.close()


def open_package(path: Path) -> PackageSource:
    if path.is_dir():
        return DirectorySource(path)
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return ZipSource(path)
    raise PackageError(_("Dit is geen map en geen zip-bestand met een datapakket."), path.name)


def read_descriptor(source: PackageSource) -> list[tuple[str, str]]:
    """(resource name, CSV path) for every resource in datapackage.json."""
    if not source.exists(DESCRIPTOR):
        raise PackageError(
            _("datapackage.json ontbreekt. Een HSDS-datapakket heeft dit bestand nodig."),
            DESCRIPTOR,
        )
    try:
        with source.open_text(DESCRIPTOR) as handle:
            descriptor = json.load(handle)
    except UnicodeDecodeError as exc:
        raise PackageError(_("datapackage.json is geen tekstbestand (UTF-8)."), DESCRIPTOR) from exc
    except json.JSONDecodeError as exc:
        raise PackageError(
            _("datapackage.json is geen geldige JSON (regel %(line)s, kolom %(col)s: %(msg)s).")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
            DESCRIPTOR,
        ) from exc
    except (RecursionError, ValueError) as exc:
        # Nesting deeper than Python's reader follows, or an integer of thousands of digits.
        raise PackageError(
            _(
                "datapackage.json kan niet worden gelezen: het is te diep genest of er staat een "
                "getal met te veel cijfers in."
            ),
            DESCRIPTOR,
        ) from exc
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise PackageError(_("datapackage.json heeft geen lijst “resources”."), DESCRIPTOR)
    found: list[tuple[str, str]] = []
    for index, resource in enumerate(resources, start=1):
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str) or not path:
            raise PackageError(
                _("Resource %(n)s in datapackage.json heeft geen “path”.") % {"n": index},
                DESCRIPTOR,
            )
        name = resource.get("name") if isinstance(resource.get("name"), str) else ""
        found.append((name or PurePosixPath(path).stem, path))
    return found


def entity_for(resource_name: str, path: str) -> str | None:
    """Which HSDS object a resource holds, by its name or else by its file name."""
    if resource_name in hsds.ENTITIES:
        return resource_name
    table = hsds.BY_TABLE.get(PurePosixPath(path).stem)
    return table.name if table else None


@contextmanager
def csv_rows(
    source: PackageSource, path: str
) -> Iterator[tuple[list[str], Iterator[tuple[int, dict[str, str]]]]]:
    """The header and the rows (with their line number in the file, the header being 1)."""
    try:
        with source.open_text(path) as handle:
            reader = csv.reader(handle)
            try:
                header = next(reader)
            except StopIteration:
                raise PackageError(
                    _("Het bestand is leeg; er staat geen kopregel in."), path
                ) from None
            header = [name.strip() for name in header]

            def rows() -> Iterator[tuple[int, dict[str, str]]]:
                for cells in reader:
                    if not any(cell.strip() for cell in cells):
                        continue
                    yield reader.line_num, dict(zip(header, cells, strict=False))

            yield header, rows()
    except UnicodeDecodeError as exc:
        raise PackageError(
            _("Dit is geen tekstbestand in UTF-8 (misschien een binair bestand)."), path
        ) from exc
    except csv.Error as exc:
        raise PackageError(
            _("Dit is geen geldig CSV-bestand: %(msg)s") % {"msg": exc}, path
        ) from exc


_INTEGER = re.compile(r"^[+-]?\d+$")


def typed_row(entity: str, raw: dict[str, str]) -> dict[str, Any]:
    """A CSV row with the JSON types the HSDS schema gives; empty cells are left out."""
    properties = tabular_row_schema(entity)["properties"]
    row: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None or value == "":
            continue
        kind = properties.get(name, {}).get("type")
        if kind in ("number", "integer"):
            text = value.strip()
            try:
                row[name] = int(text) if _INTEGER.match(text) else float(text)
            except ValueError:
                row[name] = value  # the schema check reports it
        elif kind == "boolean":
            row[name] = {"true": True, "false": False}.get(value.strip().lower(), value)
        else:
            row[name] = value
    return row


def columns(entity: str) -> list[str]:
    return list(tabular_row_schema(entity)["properties"])


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- writing -------------------------------------------------------------------------------------


_FRICTIONLESS_TYPES = {
    "string": "string",
    "number": "number",
    "integer": "integer",
    "boolean": "boolean",
}


def descriptor_for(entities: list[str]) -> dict[str, Any]:
    """A datapackage.json for our CSV files, derived from the vendored HSDS schemas."""
    resources = []
    for entity in entities:
        schema = tabular_row_schema(entity)
        source = load_schema(f"{entity}.json")
        fields = []
        for name, spec in schema["properties"].items():
            field: dict[str, Any] = {
                "name": name,
                "type": spec.get("datapackage_type")
                or _FRICTIONLESS_TYPES.get(spec.get("type", ""), "string"),
            }
            if spec.get("format") in ("uuid", "email", "uri"):
                field["format"] = spec["format"]
            if spec.get("description"):
                field["description"] = spec["description"]
            field["constraints"] = {"required": name in schema["required"]}
            if "enum" in spec:
                field["constraints"]["enum"] = spec["enum"]
            fields.append(field)
        resources.append(
            {
                "name": entity,
                "path": f"{hsds.ENTITIES[entity].table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": source.get("description", ""),
                "schema": {"fields": fields, "primaryKey": "id"},
            }
        )
    return {
        "name": "omzien_sociale_kaart",
        "title": "Omzien: sociale kaart (Open Referral HSDS 3.1)",
        "profile": "tabular-data-package",
        "version": hsds.HSDS_VERSION,
        "homepage": "https://openreferral.org/",
        "resources": resources,
    }
