"""Deeply nested JSON and huge numbers give a clear 400 (API) or a one-line error (command).

Python's JSON reader raises RecursionError for arrays nested some thousands deep, and a
ValueError for an integer of more than 4 300 digits; both gave a 500 on the API and a
traceback from `omzien import-hsds`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from omzien.cases.models import Signal
from omzien.directory import models as directory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hsds"
DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_IN_A_FIELD = b'{"answers": ' + DEEP + b"}"
HUGE_NUMBER = b'{"answers": [' + b"7" * 5000 + b"]}"


def assert_invalid_json(response: Any) -> None:
    assert response.status_code == 400
    answer = json.loads(response.content)
    assert answer["status"] == 400 and answer["error"] == "invalid_json"
    assert answer["nl"] and answer["en"]
    assert answer.get("parameters") == ["body"]


@pytest.mark.parametrize("content", [DEEP, DEEP_IN_A_FIELD, HUGE_NUMBER])
def test_scoring_a_scale_with_unreadable_json_gets_a_clear_400(raw_client, content):
    response = raw_client.post(
        "/api/v1/scales/djg6/score", content, content_type="application/json"
    )
    assert_invalid_json(response)


@pytest.mark.parametrize(
    "content",
    [DEEP, b'{"description": ' + DEEP + b"}", b'{"description": ' + b"9" * 5000 + b"}"],
)
def test_sending_a_signal_with_unreadable_json_gets_a_clear_400(
    raw_client, welfare_a, partner_key, content
):
    response = raw_client.post(
        "/api/v1/signals",
        content,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_key}",
    )
    assert_invalid_json(response)
    assert not Signal.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b'[{"name": ' + DEEP + b"}]", "te diep genest"),
        (b'[{"id": "x", "name": ' + b"1" * 5000 + b"}]", "te veel cijfers"),
    ],
)
def test_import_hsds_refuses_unreadable_json_in_one_line(tmp_path, content, message):
    path = tmp_path / "diensten.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as failure:
        call_command("import_hsds", str(path))
    assert "\n" not in str(failure.value)
    assert not directory.Service.objects.exists()


def test_a_data_package_with_a_deeply_nested_descriptor_is_refused_in_one_line(tmp_path):
    package = tmp_path / "package"
    shutil.copytree(FIXTURES / "csv", package)
    (package / "datapackage.json").write_bytes(b'{"resources": ' + DEEP + b"}")
    with pytest.raises(CommandError, match="te diep genest"):
        call_command("import_hsds", str(package))


def test_the_command_prints_one_line_and_exits_non_zero(tmp_path, capsys):
    from omzien.__main__ import main

    path = tmp_path / "diensten.json"
    path.write_bytes(DEEP)
    with pytest.raises(SystemExit) as stopped:
        main(["omzien", "import-hsds", str(path)])
    assert stopped.value.code != 0
    error = capsys.readouterr().err
    assert "Traceback" not in error
    assert "te diep genest" in error and len(error.strip().splitlines()) == 1
