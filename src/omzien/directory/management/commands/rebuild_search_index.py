from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from omzien.directory.search import get_backend


class Command(BaseCommand):
    help = (
        "Rebuild the sociale kaart's search index from the database (after an import, a "
        "restore, or nightly to correct anything a missed reindex left behind)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = get_backend().rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Indexed {count} services in {elapsed:.1f} s.")
