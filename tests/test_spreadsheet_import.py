"""The spreadsheet import: reading CSV and XLSX, guessing columns, importing rows with the HSDS
checks, the pages for administrators (and who may not use them), and the command."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

import pytest
from openpyxl import Workbook

from omzien.accounts.models import User
from omzien.audit.models import AuditEvent
from omzien.directory.models import Organization, Service, ServiceScope
from omzien.directory.vocabularies import term_id
from omzien.interop import spreadsheet, views
from omzien.interop.hsds import Level
from omzien.interop.hsds_import import ImportFailed
from tests.factories import DirectoryOrganizationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Naam",
    "Omschrijving",
    "Aanbieder",
    "E-mail",
    "Telefoon",
    "Website",
    "Adres",
    "Postcode",
    "Plaats",
    "Soort steun",
    "Min. leeftijd",
    "Werkgebied",
]
ROWS = [
    [
        "Koffieochtend",
        "Samen koffie drinken.",
        "Stichting Samen",
        "koffie@example.org",
        "0492 123456",
        "www.example.org/koffie",
        "Markt 1",
        "5701ab",
        "Helmond",
        "Ontmoeting, Persoonlijk contact",
        "55",
        "Helmond",
    ],
    [
        "Luisterlijn",
        "Bel als u wilt praten.",
        "",
        "",
        "0900 0767",
        "",
        "",
        "",
        "",
        "",
        "",
        "Nederland",
    ],
]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ";") -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Diensten van de gemeente"])  # a title above the table
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- reading ---------------------------------------------------------------------------------------


def test_csv_with_semicolons_and_windows_encoding() -> None:
    data = csv_bytes(
        [["Café de Zon", "Gezellig", "Stichting Zon", "", "", "", "", "", "", "", "", ""]]
    )
    sheet = spreadsheet.read_spreadsheet(data.decode("utf-8").encode("cp1252"), "lijst.csv")
    assert sheet.headers == HEADER
    assert sheet.rows[0][0] == "Café de Zon"


def test_xlsx_is_read_from_its_header_row() -> None:
    sheet = spreadsheet.read_spreadsheet(
        xlsx_bytes([["Koffie", "Samen", "X", "", "", "", "", "", "", "", 55, ""]]), "lijst.xlsx"
    )
    assert sheet.headers == HEADER and sheet.header_row == 3
    assert sheet.rows == [["Koffie", "Samen", "X", "", "", "", "", "", "", "", "55", ""]]
    assert sheet.row_number(0) == 4


def test_an_xlsx_that_unpacks_to_too_much_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "a" * (spreadsheet.MAX_UNPACKED_BYTES + 1))
    with pytest.raises(spreadsheet.SpreadsheetError, match="te groot"):
        spreadsheet.read_spreadsheet(buffer.getvalue(), "bom.xlsx")


def test_the_columns_are_guessed_from_the_header() -> None:
    assert spreadsheet.guess_mapping(HEADER) == [
        "name",
        "description",
        "organization",
        "email",
        "phone",
        "url",
        "address",
        "postcode",
        "city",
        "term:support_kind",
        "minimum_age",
        "service_area",
    ]
    assert spreadsheet.guess_mapping(["Naam", "naam", "Iets anders"]) == ["name", "", ""]


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "leeg.csv", "leeg"),
        (b"\x00\x01\x02binary\x00", "raar.csv", "binair"),
        (b"PK\x03\x04 geen echte zip", "lijst.xlsx", "geen geldig Excel"),
        (b"\xd0\xcf\x11\xe0oud", "lijst.xls", ".xls"),
        (b"Naam;Omschrijving\n", "kop.csv", "geen regels"),
        (b"\n\n", "wit.csv", "niets"),
        (b"Alleen een titel\n\n", "titel.csv", "niets"),
        (b"x" * (spreadsheet.MAX_BYTES + 1), "groot.csv", "te groot"),
        (";".join(f"k{i}" for i in range(80)).encode() + b"\n1\n", "breed.csv", "kolommen"),
    ],
)
def test_bad_files_get_a_clear_message(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(spreadsheet.SpreadsheetError, match=message):
        spreadsheet.read_spreadsheet(data, filename)


# -- importing -------------------------------------------------------------------------------------


def read(rows: list[list[str]] = ROWS) -> spreadsheet.Sheet:
    return spreadsheet.read_spreadsheet(csv_bytes(rows), "diensten.csv")


def test_rows_become_services_with_everything_they_say() -> None:
    sheet = read()
    report = spreadsheet.import_sheet(sheet, spreadsheet.guess_mapping(sheet.headers))
    assert report.created["service"] == 2 and not report.errors
    koffie = Service.objects.get(name="Koffieochtend")
    assert koffie.organization is not None and koffie.organization.name == "Stichting Samen"
    assert koffie.email == "koffie@example.org" and koffie.minimum_age == 55
    assert koffie.url == "https://www.example.org/koffie"
    assert koffie.phones.get().number == "0492 123456"
    address = koffie.service_at_locations.get().location.addresses.get()
    assert (address.address_1, address.postal_code, address.city) == (
        "Markt 1",
        "5701 AB",
        "Helmond",
    )
    assert set(koffie.attributes.values_list("taxonomy_term_id", flat=True)) == {
        term_id("support_kind", "meeting"),
        term_id("support_kind", "personal_contact"),
    }
    assert Service.objects.get(name="Luisterlijn").scope == ServiceScope.NATIONAL
    assert koffie.slug.startswith("koffieochtend-") and koffie.is_published
    # The https:// that was added is reported, in the sheet's own words.
    assert [(w.record, w.field) for w in report.warnings] == [("regel 2", "Website")]


def test_importing_the_sheet_again_updates_instead_of_duplicating() -> None:
    sheet = read()
    mapping = spreadsheet.guess_mapping(sheet.headers)
    spreadsheet.import_sheet(sheet, mapping)
    sheet.rows[0][1] = "Nu elke week."
    report = spreadsheet.import_sheet(sheet, mapping)
    assert report.created["service"] == 0 and report.updated["service"] == 2
    assert Service.objects.count() == 2 and Organization.objects.count() == 1
    assert Service.objects.get(name="Koffieochtend").description == "Nu elke week."
    assert Service.objects.get(name="Koffieochtend").phones.count() == 1


def test_an_existing_service_keeps_what_the_sheet_leaves_empty() -> None:
    organization = DirectoryOrganizationFactory(name="Stichting Samen")
    existing = ServiceFactory(
        organization=organization,
        name="Koffieochtend",
        description="Een lange beschrijving die niet weg mag.",
        fees_description="Gratis",
    )
    rows = [
        [
            "Koffieochtend",
            "",
            "stichting samen",
            "nieuw@example.org",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    sheet = read(rows)
    report = spreadsheet.import_sheet(sheet, spreadsheet.guess_mapping(sheet.headers))
    assert report.updated["service"] == 1 and report.created["service"] == 0
    existing.refresh_from_db()
    assert existing.email == "nieuw@example.org"
    assert existing.description == "Een lange beschrijving die niet weg mag."
    assert existing.fees_description == "Gratis"
    assert Organization.objects.count() == 1


def test_faulty_rows_are_skipped_and_reported_by_row_and_column() -> None:
    rows = [
        ["", "Geen naam", "", "", "", "", "", "", "", "", "", ""],
        ["Wandelen", "", "", "geen-mail", "", "", "", "", "", "", "", ""],
        ["Zingen", "", "", "", "", "", "", "", "", "", "vijftig", ""],
        ["Tekenen", "", "", "", "", "", "Dorpsstraat 2", "1234", "Helmond", "Onbekend", "", ""],
        ["Koken", "", "", "", "", "", "", "", "", "", "", ""],
    ]
    sheet = read(rows)
    report = spreadsheet.import_sheet(sheet, spreadsheet.guess_mapping(sheet.headers))
    assert sorted(Service.objects.values_list("name", flat=True)) == ["Koken", "Tekenen"]
    assert [(e.record, e.field) for e in report.errors] == [
        ("regel 2", "Naam"),
        ("regel 3", "E-mail"),
        ("regel 4", "Min. leeftijd"),
    ]
    assert [(w.record, w.field) for w in report.warnings] == [
        ("regel 5", "Postcode"),
        ("regel 5", "Soort steun"),
    ]
    assert all(issue.file == "diensten.csv" and issue.message for issue in report.issues)
    assert AuditEvent.objects.get(action="directory.import_spreadsheet").details["errors"] == 3


def test_a_mapping_without_the_name_is_refused() -> None:
    sheet = read()
    with pytest.raises(ImportFailed, match="naam"):
        spreadsheet.import_sheet(sheet, [""] * len(sheet.headers))
    assert not Service.objects.exists()


# -- the pages -------------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_go_to_the_login_page() -> None:
    for url in ("/beheer/import/", "/beheer/import/kolommen/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["case_worker_a", "provider_editor", "outsider", "coordinator_a"])
def test_people_without_the_right_get_403(who: str, request: pytest.FixtureRequest) -> None:
    client = logged_in(request.getfixturevalue(who))
    assert client.get("/beheer/import/").status_code == 403
    upload = SimpleUploadedFile("diensten.csv", csv_bytes(ROWS))
    assert client.post("/beheer/import/", {"file": upload}).status_code == 403
    assert client.post("/beheer/import/stoppen/").status_code == 403
    assert not Service.objects.exists()


@pytest.mark.parametrize("who", ["administrator", "policy_officer"])
def test_upload_choose_columns_and_import(who: str, request: pytest.FixtureRequest) -> None:
    client = logged_in(request.getfixturevalue(who))
    page = client.get("/beheer/import/")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    upload = SimpleUploadedFile(
        "diensten.xlsx", xlsx_bytes([row[:10] + [55, ""] for row in ROWS[:1]])
    )
    response = client.post("/beheer/import/", {"file": upload})
    assert response.status_code == 302 and response["Location"] == "/beheer/import/kolommen/"
    preview = client.get("/beheer/import/kolommen/")
    html = preview.content.decode()
    assert preview.status_code == 200 and "Koffieochtend" in html
    # The guess is preselected, per column.
    assert '<option value="name" selected>' in html
    assert '<option value="term:support_kind" selected>' in html
    assert "<script>" not in html and "style=" not in html
    token = client.session[views.SESSION_KEY]
    mapping = {f"column_{i}": target for i, target in enumerate(spreadsheet.guess_mapping(HEADER))}
    result = client.post("/beheer/import/kolommen/", mapping)
    assert result.status_code == 200
    assert "Klaar met inlezen" in result.content.decode()
    assert Service.objects.get().minimum_age == 55
    # The upload is gone once it is imported.
    assert client.get("/beheer/import/kolommen/").status_code == 302
    assert not (views.upload_dir() / f"{token}.json").exists()


def test_a_bad_file_shows_the_reason_on_the_upload_page(administrator: User) -> None:
    client = logged_in(administrator)
    response = client.post(
        "/beheer/import/", {"file": SimpleUploadedFile("lijst.xlsx", b"PK\x03\x04kapot")}
    )
    assert response.status_code == 200
    assert "geen geldig Excel-bestand" in response.content.decode()
    response = client.post("/beheer/import/", {"file": SimpleUploadedFile("foto.png", b"\x89PNG")})
    assert ".xlsx- of .csv-bestand" in response.content.decode()
    assert "Kies een bestand" in client.post("/beheer/import/", {}).content.decode()


def test_a_mapping_without_the_name_shows_an_error(administrator: User) -> None:
    client = logged_in(administrator)
    client.post("/beheer/import/", {"file": SimpleUploadedFile("d.csv", csv_bytes(ROWS))})
    response = client.post("/beheer/import/kolommen/", {"column_0": "description"})
    assert response.status_code == 200
    assert "welke kolom de naam" in response.content.decode()
    assert not Service.objects.exists()


def test_stopping_throws_the_upload_away(administrator: User) -> None:
    client = logged_in(administrator)
    client.post("/beheer/import/", {"file": SimpleUploadedFile("d.csv", csv_bytes(ROWS))})
    token = client.session[views.SESSION_KEY]
    assert (views.upload_dir() / f"{token}.json").exists()
    assert client.post("/beheer/import/stoppen/").status_code == 302
    assert not (views.upload_dir() / f"{token}.json").exists()
    assert client.get("/beheer/import/kolommen/").status_code == 302


def test_an_upload_belongs_to_its_own_session(administrator: User, policy_officer: User) -> None:
    first = logged_in(administrator)
    first.post("/beheer/import/", {"file": SimpleUploadedFile("d.csv", csv_bytes(ROWS))})
    other = logged_in(policy_officer)
    assert other.get("/beheer/import/kolommen/").status_code == 302
    assert views.load_sheet("../../etc/passwd") is None


# -- the command -----------------------------------------------------------------------------------


def test_the_command_imports_with_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_bytes(csv_bytes(ROWS))
    mapping = json.dumps({"Naam": "name", "Aanbieder": "organization", "Telefoon": "phone"})
    out = io.StringIO()
    call_command("import_spreadsheet", str(path), "--mapping", mapping, stdout=out)
    assert "2 nieuw" in out.getvalue()
    koffie = Service.objects.get(name="Koffieochtend")
    assert koffie.description == "" and koffie.phones.exists()


def test_the_command_guesses_and_can_only_show(tmp_path: Path) -> None:
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    out = io.StringIO()
    call_command("import_spreadsheet", str(path), "--dry-run", stdout=out)
    assert "Soort steun -> term:support_kind" in out.getvalue()
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    "mapping, message",
    [
        ('{"Kleur": "name"}', "niet zijn"),
        ('{"Naam": "colour"}', "Onbekende keuze"),
        ('{"Omschrijving": "description"}', "naam"),
        ("[1, 2", "geen geldige JSON"),
    ],
)
def test_the_command_refuses_a_wrong_mapping(tmp_path: Path, mapping: str, message: str) -> None:
    path = tmp_path / "lijst.csv"
    path.write_bytes(csv_bytes(ROWS))
    with pytest.raises(CommandError, match=message):
        call_command("import_spreadsheet", str(path), "--mapping", mapping, stdout=io.StringIO())


def test_problems_name_their_level() -> None:
    sheet = read([["", "Zonder naam", "", "", "", "", "", "", "", "", "", ""], ROWS[0]])
    report = spreadsheet.import_sheet(sheet, spreadsheet.guess_mapping(sheet.headers))
    assert report.errors[0].level is Level.ERROR
