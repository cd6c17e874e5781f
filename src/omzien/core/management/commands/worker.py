from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background task worker (e-mail, imports, clean-ups). Stop with Ctrl+C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="stop after this many tasks (for tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--max-tasks", str(options["max_tasks"])] if options["max_tasks"] else []
        call_command(
            "db_worker", "--interval", str(options["interval"]), "--queue-name", "*", *extra
        )
