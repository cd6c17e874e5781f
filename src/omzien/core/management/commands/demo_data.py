from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Load realistic, clearly fictional demo data and the demo accounts. "
        "Safe to run again. Refused in production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OMZIEN_ALLOW_DEMO_DATA:
            raise CommandError(
                "Demo data is switched off here (OMZIEN_ALLOW_DEMO_DATA): never in production."
            )
        # Each part of Omzien may have a `demo` module with a load() that returns lines to print;
        # they run in the order of INSTALLED_APPS, so areas and accounts come first.
        # A demo module may also have account_lines(), printed last (accounts: the demo logins);
        # looked up by name, so core imports no app above it.
        lines: list[str] = []
        modules = []
        for config in apps.get_app_configs():
            if not config.name.startswith("omzien."):
                continue
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            modules.append(module)
            lines.extend(module.load())
        last = [line for m in modules if hasattr(m, "account_lines") for line in m.account_lines()]
        for line in [*lines, "", *last]:
            self.stdout.write(line)
