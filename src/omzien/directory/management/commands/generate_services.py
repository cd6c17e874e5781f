from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from omzien.directory.generator import generate
from omzien.directory.search import get_backend


class Command(BaseCommand):
    help = (
        "Create a realistic synthetic directory of COUNT fictional services (for performance "
        "measurements); then rebuild the search index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=794)
        parser.add_argument("--no-index", action="store_true", help="skip the search index")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["count"]
        if not 1 <= count <= 1_000_000:
            raise CommandError("--count must be between 1 and 1 000 000.")
        started = time.perf_counter()
        created = generate(count, seed=options["seed"], slug_prefix=f"gen{options['seed']}-")
        self.stdout.write(f"Created {created} services in {time.perf_counter() - started:.1f} s.")
        if not options["no_index"]:
            started = time.perf_counter()
            indexed = get_backend().rebuild()
            self.stdout.write(
                f"Indexed {indexed} services in {time.perf_counter() - started:.1f} s."
            )
        # After a bulk load the planner knows nothing of the new rows until (auto)analyze runs;
        # without statistics PostgreSQL reads whole tables for a 20-row prefetch.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write("Statistics updated (ANALYZE).")
