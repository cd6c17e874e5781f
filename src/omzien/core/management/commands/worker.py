"""`omzien worker`: the background task worker, optionally running the periodic jobs too."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from omzien.core.periodic import run_all


class Command(BaseCommand):
    help = "Run the background task worker (e-mail, imports, clean-ups). Stop with Ctrl+C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="stop after this many tasks (for tests)"
        )
        parser.add_argument(
            "--periodic",
            type=float,
            default=0,
            metavar="SECONDS",
            help="also run the periodic jobs (omzien run-periodic) every SECONDS; 0: leave to cron",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["periodic"] > 0:
            threading.Thread(
                target=_periodic_loop, args=(options["periodic"],), daemon=True, name="periodic"
            ).start()
        extra = ["--max-tasks", str(options["max_tasks"])] if options["max_tasks"] else []
        call_command(
            "db_worker", "--interval", str(options["interval"]), "--queue-name", "*", *extra
        )


def _periodic_loop(every: float) -> None:
    while True:
        run_all()
        connection.close()  # this thread's own connection; a fresh one next round
        time.sleep(every)
