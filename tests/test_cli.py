from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OMZIEN = Path(sys.executable).parent / "omzien"


def test_the_omzien_command_lists_the_project_commands() -> None:
    result = subprocess.run(  # noqa: S603
        [str(OMZIEN), "help"], capture_output=True, text=True, timeout=60, check=True
    )
    for command in ("demo_data", "import_areas", "worker", "migrate", "runserver"):
        assert command in result.stdout


def test_hyphenated_command_names_work() -> None:
    result = subprocess.run(  # noqa: S603
        [str(OMZIEN), "generate-encryption-key"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip()) == 44
