"""Import the list a municipality keeps in Excel (or CSV): columns mapped onto service fields.

Reading is separate from importing, so the web page can show the first rows and let an
administrator choose per column what it holds (guessed from the header). Each row becomes an
HSDS service document that goes through the same checks as any HSDS import
(`hsds_import.Importer`), so a spreadsheet cannot bring in what an HSDS file could not.

Rows are matched to what is there already: an organization by its name, a service by its
organization and name. Ids made for new objects are derived from those names, so importing
the same sheet again updates instead of duplicating. Only the columns that are mapped and
filled in change an existing service; an empty cell leaves the field as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.areas.importers import normalise_postcode
from omzien.audit.services import record_event
from omzien.directory.models import Address, Organization, Service, TaxonomyTerm
from omzien.directory.vocabularies import BY_KEY, VOCABULARIES
from omzien.interop.hsds import Level
from omzien.interop.hsds_import import (
    Importer,
    ImportFailed,
    ImportReport,
    Issue,
    bigger_page_cache,
    rebuild_search_index,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 60
PREVIEW_ROWS = 10
NAMESPACE = uuid.UUID("c0a4e6f2-3b1d-4d8e-9a57-2f6b8e1d4c39")
TERM_PREFIX = "term:"


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in Dutch."""


@dataclass
class Sheet:
    filename: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    header_row: int = 1  # the row number of the header in the spreadsheet

    def row_number(self, index: int) -> int:
        return self.header_row + 1 + index

    def to_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "headers": self.headers,
            "rows": self.rows,
            "header_row": self.header_row,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sheet:
        return cls(
            filename=str(data["filename"]),
            headers=[str(h) for h in data["headers"]],
            rows=[[str(c) for c in row] for row in data["rows"]],
            header_row=int(data.get("header_row", 1)),
        )


# --- the fields a column can hold ----------------------------------------------------------------

FIELDS: dict[str, Any] = {
    "": gettext_lazy("— niet gebruiken —"),
    "name": gettext_lazy("Naam van de dienst (verplicht)"),
    "description": gettext_lazy("Wat is het? (beschrijving)"),
    "organization": gettext_lazy("Naam van de aanbieder"),
    "email": gettext_lazy("E-mailadres"),
    "phone": gettext_lazy("Telefoonnummer"),
    "url": gettext_lazy("Website"),
    "address": gettext_lazy("Straat en huisnummer"),
    "postcode": gettext_lazy("Postcode"),
    "city": gettext_lazy("Plaats"),
    "province": gettext_lazy("Provincie"),
    "minimum_age": gettext_lazy("Minimumleeftijd"),
    "maximum_age": gettext_lazy("Maximumleeftijd"),
    "eligibility_description": gettext_lazy("Voor wie?"),
    "fees_description": gettext_lazy("Kosten (tekst)"),
    "application_process": gettext_lazy("Hoe meldt u zich aan?"),
    "service_area": gettext_lazy("Werkgebied (bv. Nederland of de gemeente)"),
}

# Header words (lower case, without accents and punctuation) that point to a field.
_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("naam", "naamdienst", "dienst", "activiteit", "titel", "name", "aanbod"),
    "description": ("omschrijving", "beschrijving", "description", "watishet", "toelichting"),
    "organization": ("organisatie", "aanbieder", "organization", "instantie", "uitvoerder"),
    "email": ("email", "emailadres", "mail", "mailadres"),
    "phone": ("telefoon", "telefoonnummer", "tel", "telnr", "phone"),
    "url": ("website", "url", "link", "internet", "webadres", "site"),
    "address": ("adres", "straat", "straatenhuisnummer", "bezoekadres", "address"),
    "postcode": ("postcode", "zip", "postalcode"),
    "city": ("plaats", "woonplaats", "stad", "city", "vestigingsplaats"),
    "province": ("provincie", "province"),
    "minimum_age": ("minimumleeftijd", "minleeftijd", "leeftijdvanaf", "vanafleeftijd"),
    "maximum_age": ("maximumleeftijd", "maxleeftijd", "leeftijdtot", "totleeftijd"),
    "eligibility_description": ("voorwie", "doelgroepomschrijving", "voorwaarden", "eligibility"),
    "fees_description": ("kosten", "prijs", "tarief", "fees", "eigenbijdrage"),
    "application_process": ("aanmelden", "aanmelding", "hoemeldtuzichaan", "hoeaanmelden"),
    "service_area": ("werkgebied", "gebied", "regio", "servicearea"),
}


def target_choices() -> list[tuple[str, str]]:
    choices = [(key, str(label)) for key, label in FIELDS.items()]
    for vocabulary in VOCABULARIES:
        choices.append(
            (
                f"{TERM_PREFIX}{vocabulary.key}",
                _("Kenmerk: %(name)s (namen van termen)") % {"name": vocabulary.name},
            )
        )
    return choices


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def guess_mapping(headers: list[str]) -> list[str]:
    """Per column the field its header most likely names; "" when unsure. Each field once."""
    words = {word: target for target, options in _HEADER_WORDS.items() for word in options}
    for vocabulary in VOCABULARIES:
        for word in (_key(vocabulary.name), _key(vocabulary.key)):
            words.setdefault(word, f"{TERM_PREFIX}{vocabulary.key}")
    guessed: list[str] = []
    used: set[str] = set()
    for header in headers:
        target = words.get(_key(header), "")
        if target in used:
            target = ""
        if target:
            used.add(target)
        guessed.append(target)
    return guessed


def check_mapping(mapping: list[str], columns: int) -> list[str]:
    """Problems with a chosen mapping (Dutch), empty when it can be used."""
    problems = []
    known = {key for key, _label in target_choices()}
    if len(mapping) != columns:
        problems.append(_("Kies voor elke kolom wat erin staat."))
    unknown = [m for m in mapping if m not in known]
    if unknown:
        problems.append(_("Onbekende keuze: %(what)s.") % {"what": ", ".join(unknown)})
    if "name" not in mapping:
        problems.append(_("Kies welke kolom de naam van de dienst bevat."))
    chosen = [m for m in mapping if m]
    doubles = sorted({m for m in chosen if chosen.count(m) > 1})
    if doubles:
        labels = dict(target_choices())
        problems.append(
            _("Deze keuze staat bij meer dan één kolom: %(what)s.")
            % {"what": ", ".join(labels.get(d, d) for d in doubles)}
        )
    return problems


# --- reading --------------------------------------------------------------------------------------


def read_spreadsheet(data: bytes, filename: str) -> Sheet:
    """A CSV or XLSX file as a header and rows of text."""
    if not data:
        raise SpreadsheetError(_("Het bestand is leeg."))
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(
            _("Het bestand is te groot: hoogstens %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        rows = _xlsx_rows(data)
    elif name.endswith(".xls"):
        raise SpreadsheetError(
            _("Oude Excel-bestanden (.xls) kunnen niet. Sla het bestand op als .xlsx of .csv.")
        )
    else:
        rows = _csv_rows(data)
    return _sheet(filename, rows)


def _sheet(filename: str, rows: Iterator[list[str]]) -> Sheet:
    header: list[str] | None = None
    header_row = 0
    body: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if header is None:
            # The header is the first row with two or more cells: a title above the table
            # (a common habit in Excel) is passed over.
            if sum(1 for cell in cells if cell) < 2:
                continue
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise SpreadsheetError(_("Te veel kolommen: hoogstens %(n)s.") % {"n": MAX_COLUMNS})
            header, header_row = cells, number
            continue
        if not any(cells):
            continue
        if len(body) >= MAX_ROWS:
            raise SpreadsheetError(_("Te veel regels: hoogstens %(n)s.") % {"n": MAX_ROWS})
        cells = (cells + [""] * len(header))[: len(header)]
        body.append(cells)
    if header is None:
        raise SpreadsheetError(_("Er staat niets in het bestand."))
    if not body:
        raise SpreadsheetError(_("Er staan geen regels onder de kopregel."))
    headers = [h or _("kolom %(n)s") % {"n": i} for i, h in enumerate(header, start=1)]
    return Sheet(filename=filename, headers=headers, rows=body, header_row=header_row)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    if b"\x00" in data[:8192]:
        raise SpreadsheetError(_("Dit is geen CSV-bestand (het lijkt een binair bestand)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in the Netherlands saves CSV in Windows-1252 unless told otherwise.
        text = data.decode("cp1252", errors="replace")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = "excel"
        if sample.count(";") > sample.count(","):
            dialect = _Semicolon
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as exc:
        raise SpreadsheetError(_("Dit CSV-bestand klopt niet: %(msg)s") % {"msg": exc}) from exc


class _Semicolon(csv.excel):
    delimiter = ";"


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    # A heavy import (openpyxl and its XML stack), loaded only when an .xlsx file is uploaded.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # An .xlsx is a zip: refuse one that would unpack to far more than a real list of
        # services, before openpyxl reads its shared strings into memory.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(
            _("Dit is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op, of als .csv.")
        ) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(_("Het Excel-bestand is uitgepakt te groot om in te lezen."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(
            _("Dit is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op, of als .csv.")
        ) from exc
    row_number = 0
    try:
        sheet = workbook.worksheets[0]
        for row_number, row in enumerate(  # noqa: B007 - the number is for the message
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1
        ):
            yield [_cell_text(value) for value in row]
    except IndexError as exc:
        # A cell refers to a shared string that is not in the file.
        raise SpreadsheetError(
            _(
                "Regel %(row)s van het Excel-bestand verwijst naar een tekst die niet in het "
                "bestand staat: het bestand is beschadigd. Sla het opnieuw op in Excel of "
                "LibreOffice, of als .csv."
            )
            % {"row": row_number + 1}
        ) from exc
    except (ValueError, TypeError, KeyError, OverflowError, SyntaxError) as exc:
        # A date or number openpyxl cannot convert, or broken XML (ParseError is a SyntaxError).
        raise SpreadsheetError(
            _(
                "Regel %(row)s van het Excel-bestand heeft een cel met een waarde die niet klopt, "
                "bijvoorbeeld een datum die niet bestaat. Kijk die regel na en sla het bestand "
                "opnieuw op, of als .csv."
            )
            % {"row": row_number + 1}
        ) from exc
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- rows -> HSDS documents -----------------------------------------------------------------------


@dataclass
class _Known:
    organizations: dict[str, str]  # lower-case name -> id
    services: dict[tuple[str, str], str]  # (organization id or "", lower-case name) -> id
    terms: dict[str, dict[str, str]]  # vocabulary key -> lower-case name or code -> term id
    province: str


def _known(sheet: Sheet, mapping: list[str]) -> _Known:
    organizations = {
        name.strip().lower(): str(pk) for pk, name in Organization.objects.values_list("id", "name")
    }
    names = {row[mapping.index("name")].strip().lower() for row in sheet.rows}
    services: dict[tuple[str, str], str] = {}
    for pk, organization_id, name in Service.objects.values_list("id", "organization_id", "name"):
        if name.strip().lower() in names:
            services[(str(organization_id or ""), name.strip().lower())] = str(pk)
    terms: dict[str, dict[str, str]] = {}
    for pk, key, code, name in TaxonomyTerm.objects.filter(
        taxonomy__key__in=list(BY_KEY)
    ).values_list("id", "taxonomy__key", "code", "name"):
        terms.setdefault(key, {})[name.strip().lower()] = str(pk)
        if code:
            terms[key][code.lower()] = str(pk)
    province = (
        Address.objects.exclude(state_province="")
        .values_list("state_province", flat=True)
        .order_by("state_province")
        .first()
    ) or ""
    return _Known(organizations, services, terms, province)


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def documents(
    sheet: Sheet, mapping: list[str], issues: list[Issue]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """One HSDS service document per row, with the label the report uses for that row."""
    known = _known(sheet, mapping)
    for index, row in enumerate(sheet.rows):
        label = _("regel %(n)s") % {"n": sheet.row_number(index)}
        values = {target: row[i].strip() for i, target in enumerate(mapping) if target}
        document = _document(sheet, values, known, issues, label)
        if document is not None:
            yield label, document


def _document(  # noqa: C901 - one branch per column kind
    sheet: Sheet,
    values: dict[str, str],
    known: _Known,
    issues: list[Issue],
    label: str,
) -> dict[str, Any] | None:
    file = sheet.filename

    def problem(level: Level, target: str, message: str) -> None:
        issues.append(Issue(level, file, label, target, message))

    name = values.get("name", "")
    if not name:
        problem(
            Level.ERROR, "name", _("De naam van de dienst ontbreekt. Deze regel is overgeslagen.")
        )
        return None
    document: dict[str, Any] = {"name": name, "status": "active"}
    organization_id = ""
    organization_name = values.get("organization", "")
    if organization_name:
        organization_id = known.organizations.get(organization_name.lower()) or _id(
            "organization", organization_name.lower()
        )
        known.organizations.setdefault(organization_name.lower(), organization_id)
        document["organization"] = {
            "id": organization_id,
            "name": organization_name,
            "description": "",
        }
    service_id = known.services.get((organization_id, name.lower())) or _id(
        "service", organization_id, name.lower()
    )
    document["id"] = service_id
    for target in (
        "description",
        "eligibility_description",
        "fees_description",
        "application_process",
    ):
        if values.get(target):
            document[target] = values[target]
    for target in ("minimum_age", "maximum_age"):
        text = values.get(target, "")
        if not text:
            continue
        if not re.fullmatch(r"\d{1,3}", text):
            problem(
                Level.ERROR,
                target,
                _("“%(value)s” is geen leeftijd in hele jaren. Deze regel is overgeslagen.")
                % {"value": text},
            )
            return None
        document[target] = int(text)
    email = values.get("email", "")
    if email:
        if "@" not in email or " " in email:
            problem(
                Level.ERROR,
                "email",
                _("“%(value)s” is geen e-mailadres. Deze regel is overgeslagen.")
                % {"value": email},
            )
            return None
        document["email"] = email
    url = values.get("url", "")
    if url:
        if _OTHER_SCHEME.match(url):
            # javascript:, data:, mailto: ...: not made into https://javascript:..., but left
            # for the HSDS check, which leaves it out and says so.
            pass
        elif not re.match(r"^https?://", url, re.IGNORECASE):
            problem(
                Level.WARNING,
                "url",
                _("Bij “%(value)s” is https:// gezet.") % {"value": url},
            )
            url = f"https://{url}"
        document["url"] = url
    if values.get("phone"):
        document["phones"] = [{"id": _id(service_id, "phone"), "number": values["phone"]}]
    location = _location(service_id, values, known, problem)
    if location is not None:
        document["service_at_locations"] = [{"id": _id(service_id, "sal"), "location": location}]
    area = values.get("service_area", "")
    if area:
        document["service_areas"] = [{"id": _id(service_id, "area"), "name": area}]
    attributes = []
    for target, text in values.items():
        if not target.startswith(TERM_PREFIX) or not text:
            continue
        key = target.removeprefix(TERM_PREFIX)
        for part in re.split(r"[;,/|]", text):
            wanted = part.strip().lower()
            if not wanted:
                continue
            term_id = known.terms.get(key, {}).get(wanted)
            if term_id is None:
                problem(
                    Level.WARNING,
                    target,
                    _("“%(value)s” is geen term van %(vocabulary)s; die is weggelaten.")
                    % {"value": part.strip(), "vocabulary": BY_KEY[key].name},
                )
                continue
            attributes.append(
                {
                    "id": _id(service_id, "attribute", term_id),
                    "taxonomy_term_id": term_id,
                    "link_type": BY_KEY[key].link_type,
                    "link_entity": "service",
                }
            )
    if attributes:
        document["attributes"] = attributes
    return document


# A scheme other than http(s), such as "javascript:"; "example.nl:8080" is a host and a port.
_OTHER_SCHEME = re.compile(r"^\s*(?!https?:)[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)


def _location(
    service_id: str, values: dict[str, str], known: _Known, problem: Any
) -> dict[str, Any] | None:
    street, postcode, city = (values.get(k, "") for k in ("address", "postcode", "city"))
    if not (street or postcode or city):
        return None
    normalised = normalise_postcode(postcode) if postcode else None
    missing = []
    if not street:
        missing.append(_("straat en huisnummer"))
    if not city:
        missing.append(_("plaats"))
    if postcode and normalised is None:
        problem(
            Level.WARNING,
            "postcode",
            _("“%(value)s” is geen Nederlandse postcode; het adres is niet ingelezen.")
            % {"value": postcode},
        )
        return None
    if missing:
        problem(
            Level.WARNING,
            "address" if not street else "city",
            _("Het adres is niet ingelezen: %(what)s ontbreekt.") % {"what": " en ".join(missing)},
        )
        return None
    address = {
        "id": _id(service_id, "address"),
        "address_1": street,
        "city": city,
        "state_province": values.get("province") or known.province,
        "postal_code": f"{normalised[:4]} {normalised[4:]}" if normalised else "",
        "country": "NL",
        "address_type": "physical",
    }
    return {
        "id": _id(service_id, "location"),
        "location_type": "physical",
        "name": street,
        "addresses": [address],
    }


# --- importing ------------------------------------------------------------------------------------


def import_sheet(
    sheet: Sheet, mapping: list[str], *, actor: Any = None, request: Any = None
) -> ImportReport:
    """Import every row that passes the checks, all in one transaction."""
    problems = check_mapping(mapping, len(sheet.headers))
    if problems:
        raise ImportFailed(" ".join(problems), sheet.filename)
    importer = Importer()
    importer.partial = True
    importer.report.source = sheet.filename
    with transaction.atomic():
        issues: list[Issue] = []
        with bigger_page_cache():
            importer.import_documents(documents(sheet, mapping, issues), sheet.filename)
            importer.report.records_read = len(sheet.rows)
            importer.finish()
        importer.report.search_index = rebuild_search_index()
        importer.report.issues[:0] = _with_headers(issues, sheet, mapping)
        record_event(
            "directory.import_spreadsheet",
            request=request,
            actor=actor,
            object_type="spreadsheet",
            object_id=sheet.filename[:64],
            details=importer.report.counts(),
        )
    return importer.report


def _with_headers(issues: list[Issue], sheet: Sheet, mapping: list[str]) -> list[Issue]:
    """Name the spreadsheet's own column in each problem, not our field name."""
    by_target = {target: sheet.headers[i] for i, target in enumerate(mapping) if target}
    return [
        Issue(i.level, i.file, i.record, by_target.get(i.field, i.field), i.message) for i in issues
    ]
