"""A damaged cell in an .xlsx gives a clear message, never a 500, and stores nothing.

The workbooks are made with openpyxl and then damaged inside the zip, as an attacker (or a
broken export tool) would: a shared-string index that points past the list of strings, and a
date cell whose value is not a date.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from openpyxl import Workbook

from omzien.directory.models import Service
from omzien.interop import views

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Naam", "Omschrijving", "Telefoon"])
    sheet.append(["Koffieochtend", "Samen koffie drinken.", "0492 123456"])
    sheet.append(["Luisterlijn", "Bel als u wilt praten.", "0900 0767"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def damaged(edit: Callable[[str], str]) -> bytes:
    """The workbook with its first sheet's XML changed by `edit`."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == SHEET:
                changed = edit(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), "the edit found nothing to change"
                data = changed.encode("utf-8")
            target.writestr(item, data)
    return buffer.getvalue()


def shared_string_out_of_range(xml: str) -> str:
    # The second row's name points to shared string number 9999, which does not exist.
    return re.sub(r'<c r="A2"[^>]*>.*?</c>', '<c r="A2" t="s"><v>9999</v></c>', xml)


def date_that_is_no_date(xml: str) -> str:
    # An ISO date cell (t="d") whose value is not a date.
    return re.sub(
        r'<c r="C2"[^>]*>.*?</c>', '<c r="C2" t="d"><v>de dertigste februari</v></c>', xml
    )


def date_that_does_not_exist(xml: str) -> str:
    # Shaped like an ISO date, but there is no 30 February.
    return re.sub(r'<c r="C3"[^>]*>.*?</c>', '<c r="C3" t="d"><v>2024-02-30</v></c>', xml)


BROKEN = {
    "shared string out of range": (
        lambda: damaged(shared_string_out_of_range),
        "verwijst naar een tekst",
    ),
    "text in a date cell": (lambda: damaged(date_that_is_no_date), "waarde die niet klopt"),
    "a date that does not exist": (
        lambda: damaged(date_that_does_not_exist),
        "waarde die niet klopt",
    ),
}


@pytest.fixture(autouse=True)
def _uploads_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "upload_dir", lambda: tmp_path)


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_damaged_cell_is_named_on_the_upload_page(raw_client, administrator, kind):
    make, message = BROKEN[kind]
    raw_client.force_login(administrator)
    response = raw_client.post(
        "/beheer/import/", {"file": SimpleUploadedFile("diensten.xlsx", make())}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "regel" in html
    assert not Service.objects.exists()
    assert not any(Path(views.upload_dir()).glob("*.json"))


@pytest.mark.parametrize("kind", list(BROKEN))
def test_the_command_refuses_a_damaged_cell_in_one_line(tmp_path, kind):
    make, message = BROKEN[kind]
    path = tmp_path / "diensten.xlsx"
    path.write_bytes(make())
    with pytest.raises(CommandError, match=message) as failure:
        call_command("import_spreadsheet", str(path))
    assert "\n" not in str(failure.value)
    assert not Service.objects.exists()


def test_the_undamaged_workbook_reads_fine(raw_client, administrator):
    raw_client.force_login(administrator)
    response = raw_client.post(
        "/beheer/import/", {"file": SimpleUploadedFile("diensten.xlsx", workbook_bytes())}
    )
    assert response.status_code == 302
