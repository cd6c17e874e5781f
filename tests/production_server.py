"""Omzien under gunicorn with the production settings, for tests that need the real thing.

Used by the invitation journey (tests/browser/) and the two-servers test: one environment
builder and one starter, so both run what a deployment runs.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_environment(folder: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The production settings on plain http on the loopback interface (the one switch
    production.py offers for that), with fresh secrets and nothing of this process's settings."""
    from cryptography.fernet import Fernet

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OMZIEN_", "DATABASE_", "CACHE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "omzien.conf.production",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "OMZIEN_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "OMZIEN_BASE_URL": "https://omzien.proef.example",
            "OMZIEN_VAR_DIR": str(folder),
            "OMZIEN_STATIC_ROOT": str(folder / "static"),
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_URL": "dummy://",
            "OMZIEN_LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


def start_gunicorn(
    env: dict[str, str], port: int, log: Path, workers: int = 2
) -> subprocess.Popen[bytes]:
    """Start gunicorn and wait until /healthz answers (a minute at most)."""
    out = open(log, "ab")  # noqa: SIM115 - closed with the process by the caller's terminate
    process = subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            str(GUNICORN),
            "omzien.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=out,
    )
    out.close()  # the child keeps its own copy of the file descriptor
    deadline = time.monotonic() + 60
    while True:
        try:
            url = f"http://127.0.0.1:{port}/healthz"
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.terminate()
            raise RuntimeError(log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)
