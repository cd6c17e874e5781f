"""Only http and https links: on the way in (every import, the provider's form) and on the page.

A `javascript:` or `data:` address that is rendered as a link runs in the browser of whoever
clicks it (only the CSP stopped it). Imports leave such an address out and name the record and
field; the form refuses it; the service page never renders one as a link, also when it is
already in the database.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

import pytest

from omzien.core.weblinks import is_web_url
from omzien.directory.forms import ServiceForm
from omzien.directory.models import Service, Url
from omzien.interop import spreadsheet
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hsds"
SCRIPT = "javascript:alert(document.cookie)"
DATA = "data:text/html,<script>alert(1)</script>"


def run_import(path: Path) -> str:
    out = io.StringIO()
    call_command("import_hsds", str(path), stdout=out)
    return out.getvalue()


def test_import_hsds_json_leaves_out_unsafe_links_and_names_record_and_field(tmp_path):
    document = json.loads((FIXTURES / "service_full.json").read_text(encoding="utf-8"))
    document["url"] = SCRIPT
    document["additional_urls"][0]["url"] = DATA
    path = tmp_path / "dienst.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    output = run_import(path)
    service = Service.objects.get(id=document["id"])
    assert service.url == ""
    assert not Url.objects.filter(url__startswith="data:").exists()
    warning = next(line for line in output.splitlines() if SCRIPT in line)
    assert warning.startswith("LET OP") and "dienst.json" in warning
    assert "url" in warning and "http:// of https://" in warning
    error = next(line for line in output.splitlines() if DATA[:30] in line)
    assert error.startswith("FOUT") and "additional_urls[0].url" in error


def test_import_hsds_tabular_leaves_out_unsafe_links(tmp_path):
    package = tmp_path / "package"
    shutil.copytree(FIXTURES / "csv", package)
    services_csv = package / "services.csv"
    rows = list(csv.DictReader(services_csv.open(encoding="utf-8")))
    assert rows and rows[0]["url"]
    rows[0]["url"] = SCRIPT
    with services_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    output = run_import(package)
    assert Service.objects.get(id=rows[0]["id"]).url == ""
    assert any(SCRIPT in line and "services.csv" in line for line in output.splitlines())


def test_the_spreadsheet_import_leaves_out_unsafe_links(tmp_path):
    header = "Naam;Omschrijving;Website\n"
    rows = f"Koffieochtend;Samen koffie;{SCRIPT}\nLuisterlijn;Praten;www.example.org\n"
    sheet = spreadsheet.read_spreadsheet((header + rows).encode(), "lijst.csv")
    report = spreadsheet.import_sheet(sheet, spreadsheet.guess_mapping(sheet.headers))
    assert Service.objects.get(name="Koffieochtend").url == ""
    assert Service.objects.get(name="Luisterlijn").url == "https://www.example.org"
    assert any(SCRIPT in str(issue) and "url" in str(issue) for issue in report.issues)
    assert Service.objects.filter(url__icontains="javascript").count() == 0


@pytest.mark.parametrize("value", [SCRIPT, DATA, "ftp://example.org/x", "JavaScript:alert(1)"])
def test_the_providers_form_refuses_a_link_that_is_not_http(value):
    with pytest.raises(ValidationError):
        ServiceForm.base_fields["url"].clean(value)


def test_the_providers_form_takes_a_web_address():
    assert ServiceForm.base_fields["url"].clean("www.example.org") == "https://www.example.org"


def test_an_unsafe_link_already_in_the_database_is_not_rendered_as_a_link():
    service = ServiceFactory(url=SCRIPT)
    Url.objects.create(id="00000000-0000-4000-8000-000000000001", service=service, url=DATA)
    Url.objects.create(
        id="00000000-0000-4000-8000-000000000002", service=service, url="https://example.org/ok"
    )
    response = Client().get(f"/kaart/{service.id}/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="javascript:' not in html.lower() and 'href="data:' not in html.lower()
    assert 'href="https://example.org/ok"' in html


@pytest.mark.parametrize(
    "value, safe",
    [
        ("https://example.org", True),
        ("http://example.org/pad?x=1", True),
        (SCRIPT, False),
        (DATA, False),
        ("java\tscript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("https:///no-host", False),
        ("//example.org", False),
        ("", False),
    ],
)
def test_only_http_and_https_addresses_with_a_host_are_web_links(value: Any, safe: bool):
    assert is_web_url(value) is safe
