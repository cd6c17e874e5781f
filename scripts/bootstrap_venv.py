"""Create .venv with a working pip, also on a Debian machine without python3-venv's ensurepip.

`python3 -m venv` needs Debian's python3-venv package for pip. Where it is missing, the venv is
made without pip and pip is installed from its own wheel, fetched from PyPI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

PYPI_JSON = "https://pypi.org/pypi/pip/json"


def main(target: str) -> int:
    path = Path(target)
    python = path / "bin" / "python"
    if (path / "bin" / "pip").exists():
        return 0
    try:
        venv.EnvBuilder(with_pip=True, clear=False).create(path)
        return 0
    except subprocess.CalledProcessError:
        print("ensurepip is missing (Debian: python3-venv); installing pip from PyPI instead.")
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    with urllib.request.urlopen(PYPI_JSON, timeout=60) as response:  # noqa: S310 (fixed https URL)
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["filename"].endswith("-py3-none-any.whl"))
    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = Path(tmp) / wheel["filename"]
        with urllib.request.urlopen(wheel["url"], timeout=120) as response:  # noqa: S310
            wheel_path.write_bytes(response.read())
        # A pip wheel can run itself: <wheel>/pip installs pip from that same wheel.
        subprocess.run(  # noqa: S603
            [str(python), f"{wheel_path}/pip", "install", "--no-index", "-q", str(wheel_path)],
            check=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".venv"))
