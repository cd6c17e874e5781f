"""The spreadsheet import: upload, choose what each column holds, import, read the report.

For the municipality's administrators and reviewers only (see `may_import`). Between the steps
the parsed rows wait in a private file named by a random token that only this session knows;
every page is a plain form, so it all works without JavaScript.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from omzien.accounts.permissions import AnyUser, has_capability, organisation_ids
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.interop import spreadsheet
from omzien.interop.forms import MappingForm, UploadForm
from omzien.interop.hsds_import import ImportFailed

SESSION_KEY = "interop_spreadsheet"
UPLOAD_TTL_SECONDS = 24 * 3600
_TOKEN_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def may_import(user: AnyUser) -> bool:
    """Who edits the whole directory (scope: all organisations), or reviews it."""
    return organisation_ids(user, Capability.EDIT_DIRECTORY) is None or has_capability(
        user, Capability.REVIEW_DIRECTORY
    )


def import_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the login page; others without the right get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- the parsed upload between the steps ----------------------------------------------------------


def upload_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / "omzien-spreadsheet-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _path(token: str) -> Path | None:
    if not token or set(token) - _TOKEN_CHARS:
        return None
    return upload_dir() / f"{token}.json"


def store_sheet(sheet: spreadsheet.Sheet) -> str:
    _remove_old_uploads()
    token = secrets.token_urlsafe(24)
    path = _path(token)
    assert path is not None
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(sheet.to_dict(), handle, ensure_ascii=False)
    return token


def load_sheet(token: str) -> spreadsheet.Sheet | None:
    path = _path(token)
    if path is None or not path.is_file():
        return None
    try:
        return spreadsheet.Sheet.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def forget_sheet(request: HttpRequest) -> None:
    token = request.session.pop(SESSION_KEY, "")
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def _remove_old_uploads() -> None:
    limit = time.time() - UPLOAD_TTL_SECONDS
    for old in upload_dir().glob("*.json"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            continue


# --- the pages ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@import_access
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            sheet = spreadsheet.read_spreadsheet(upload_file.read(), upload_file.name)
        except spreadsheet.SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            forget_sheet(request)
            request.session[SESSION_KEY] = store_sheet(sheet)
            return redirect("interop:preview")
    return render(request, "interop/upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
@import_access
def preview(request: HttpRequest) -> HttpResponse:
    sheet = load_sheet(request.session.get(SESSION_KEY, ""))
    if sheet is None:
        messages.info(request, _("Kies eerst een bestand."))
        return redirect("interop:upload")
    guess = spreadsheet.guess_mapping(sheet.headers)
    form = MappingForm(
        sheet.headers, request.POST if request.method == "POST" else None, guess=guess
    )
    if form.is_bound and form.is_valid():
        try:
            report = spreadsheet.import_sheet(
                sheet, form.mapping(), actor=request.user, request=request
            )
        except ImportFailed as exc:
            form.add_error(None, exc.message)
        else:
            forget_sheet(request)
            return render(
                request,
                "interop/result.html",
                {
                    "report": report,
                    "sheet": sheet,
                    "errors": report.errors,
                    "warnings": report.warnings,
                    "notes": report.notes,
                },
            )
    columns = [
        {"header": header, "field": form[f"column_{index}"]}
        for index, header in enumerate(sheet.headers)
    ]
    rows = sheet.rows[: spreadsheet.PREVIEW_ROWS]
    record_event(
        "directory.import_spreadsheet.preview",
        request=request,
        object_type="spreadsheet",
        object_id=sheet.filename[:64],
        details={"rows": len(sheet.rows), "columns": len(sheet.headers)},
    )
    return render(
        request,
        "interop/preview.html",
        {
            "sheet": sheet,
            "form": form,
            "columns": columns,
            "rows": [(sheet.row_number(i), row) for i, row in enumerate(rows)],
            "total_rows": len(sheet.rows),
        },
    )


@require_POST
@import_access
def cancel(request: HttpRequest) -> HttpResponse:
    forget_sheet(request)
    messages.info(request, _("Het bestand is weggegooid. Er is niets ingelezen."))
    return redirect("interop:upload")
