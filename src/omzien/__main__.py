"""The `omzien` command: Django's management commands under one name.

`omzien demo-data` runs the `demo_data` command: hyphens read better on the command line,
underscores are what Python modules need.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    args = list(sys.argv if argv is None else argv)
    args[0] = "omzien"
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    # Imported after DJANGO_SETTINGS_MODULE is set, so nothing reads the settings too early.
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
