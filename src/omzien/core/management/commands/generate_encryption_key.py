from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from omzien.core.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new Fernet key for OMZIEN_FIELD_ENCRYPTION_KEYS (put it first in the list)."

    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
