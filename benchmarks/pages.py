"""Foundation pages: home page and login page against /healthz (the baseline) in one run.

Run: .venv/bin/python benchmarks/pages.py [--repeat 300]
Uses Django's test client on the configured database (default: a throwaway SQLite file).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="omzien-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    os.environ.setdefault("OMZIEN_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from benchmarks.timing import TABLE_HEADER, machine, measure

    call_command("migrate", verbosity=0)
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")

    baseline = measure("GET /healthz (baseline)", lambda: client.get("/healthz"), args.repeat)
    assert client.get("/").status_code == 200, "the benchmark must measure real pages"
    rows = [
        baseline,
        measure("GET / (home page)", lambda: client.get("/"), args.repeat),
        measure("GET /accounts/login/", lambda: client.get("/accounts/login/"), args.repeat),
    ]
    print(f"Machine: {machine()}")
    print(f"Database: {django.db.connection.vendor}")
    print(TABLE_HEADER)
    for timing in rows:
        print(timing.row(baseline))


if __name__ == "__main__":
    main()
