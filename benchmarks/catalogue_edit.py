"""The first search after a provider's edit: full catalogue rebuild (before) against applying
just the changed service (after).

    .venv/bin/python benchmarks/catalogue_edit.py --count 20000      # SQLite file in var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omzien_bench \\
        .venv/bin/python benchmarks/catalogue_edit.py --count 20000  # PostgreSQL

Uses the directory of benchmarks/kaart.py (`generate-services --seed 1`, kept between runs).
Each sample edits one random service through `update_service` (as the provider's editor's form
does; the reindex follows on commit) and then times one search with facets
(`search_services`), the first one to see the edit. "before" makes the reindex bump the
catalogue's generation as it used to (every process rebuilds); "after" is the change log. The
baseline is the same search with nothing changed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30, help="edits per way")
    args = parser.parse_args()

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{bench_dir}/kaart-{args.count}.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    os.environ.setdefault("OMZIEN_LOG_LEVEL", "WARNING")
    os.environ["OMZIEN_CATALOGUE_MAX_AGE"] = "3600"  # only the edits make it change
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from unittest import mock

    from django.core.management import call_command
    from django.db import connection

    from benchmarks.timing import TABLE_HEADER, Timing, machine, measure
    from omzien.accounts.models import User
    from omzien.directory import catalogue, services
    from omzien.directory.filters import SearchParams
    from omzien.directory.models import Service
    from omzien.directory.search import get_backend
    from omzien.directory.selectors import search_services
    from omzien.search.models import SearchDocument

    call_command("migrate", verbosity=0)
    if Service.objects.count() < args.count:
        Service.objects.all().delete()
        call_command("generate_services", count=args.count, seed=1)
    if SearchDocument.objects.count() < args.count:
        get_backend().rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Service.objects.count()
    editor, _ = User.objects.get_or_create(email="bench-editor@example.org")
    ids = list(Service.objects.values_list("id", flat=True))
    pick = random.Random(794)  # noqa: S311
    params = {"query": "koffie", "terms": {"support_kind": ["meeting"]}}

    def search() -> None:
        search_services(SearchParams(**params))  # type: ignore[arg-type]

    def edit() -> None:
        service = Service.objects.get(id=pick.choice(ids))
        data = services.service_data(service)
        edited = "Samen koffie drinken, ook op zaterdag."
        data.description = edited if data.description != edited else "Samen koffie drinken."
        services.update_service(service, data, editor, assure=False)

    def first_search_after_edit(name: str) -> Timing:
        samples = []
        for _ in range(args.repeat):
            edit()
            timing = measure(name, search, repeat=1, warmup=0)
            samples.extend(timing.samples_ms)
        return Timing(name, samples)

    catalogue.bump()
    catalogue.get_catalogue()
    baseline = measure("same search, nothing changed (baseline)", search, repeat=args.repeat)
    with mock.patch.object(catalogue, "services_changed", lambda ids: catalogue.bump()):
        before = first_search_after_edit("first search after an edit: full rebuild (before)")
    catalogue.get_catalogue()
    after = first_search_after_edit("first search after an edit: changed service applied (after)")

    print(f"\n{machine()}; {connection.vendor}; {total} services; query 'koffie' + one facet\n")
    print(TABLE_HEADER)
    for timing in (baseline, before, after):
        print(timing.row(baseline))


if __name__ == "__main__":
    main()
