"""Sociale kaart at scale: search API and HTML result page against the bare full-text query.

    .venv/bin/python benchmarks/kaart.py --count 100000            # SQLite file in var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/omzien_bench \
        .venv/bin/python benchmarks/kaart.py --count 100000         # PostgreSQL

Creates the directory once with `generate-services` (kept for the next run; --fresh to redo),
then runs a fixed list of realistic queries, with and without filters, four ways:
- baseline: the bare full-text query (every match of any of the query's stems with its rank,
  straight from the database's index: FTS5 MATCH with bm25, or tsvector @@ with ts_rank);
- the search backend: planning the query, matching per group and place, ranking
  (`ranked_documents`, what the pages and the API start from);
- API: GET /api/v1/services?search=...&per_page=20 through Django's test client;
- HTML: GET /kaart/?q=...&filters, the result page with facet counts.
Targets (issue 3): API p95 <= 50 ms, HTML p95 <= 150 ms, at 100 000 services on SQLite.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "koffie",
    "koffieochtend",
    "ochtend",
    "maatje",
    "buddy",
    "wandelen",
    "wandelgroep",
    "samen eten",
    "eten",
    "taalcafé",
    "taal",
    "rouw",
    "verlies",
    "mantelzorg",
    "mantelzorger",
    "zingen",
    "koor",
    "boodschappen",
    "vervoer",
    "computer",
    "tablet",
    "bezoek",
    "huisbezoek",
    "gesprekken",
    "gesprek",
    "eenzaam",
    "alleen",
    "ouderen",
    "75-plussers",
    "jongeren",
    "bewegen",
    "gym",
    "schilderen",
    "kaarten",
    "klaverjassen",
    "moestuin",
    "tuin",
    "vrijwilligerswerk",
    "repair",
    "fietsen",
    "duofiets",
    "dagbesteding",
    "administratie",
    "luisterlyn",
    "koffieochtnd",
    "wandlen",
    "nieuwkomers",
    "brandevoort",
    "stiphout",
    "koffie brandevoort",
    "maatje thuis",
    "samen koffie drinken",
]
FILTERS = [
    "",
    "steun=meeting",
    "doelgroep=older_adults",
    "kosten=free&vorm=group",
    "steun=personal_contact&waar=at_home",
    "dag=TU",
]


def bare_query(query: str) -> None:
    from django.db import connection

    from omzien.search.text import STOP_WORDS, query_words, stem

    words = query_words(query)
    stems = sorted({stem(word) for word in ([w for w in words if w not in STOP_WORDS] or words)})
    if not stems:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid, rank FROM search_fts WHERE search_fts MATCH %s AND rank MATCH %s",
                [" OR ".join(f'"{s}"' for s in stems), "bm25(-0.002, -0.00002, -0.0000002)"],
            )
        else:
            ors = " | ".join(f"'{s}'" for s in stems)
            cursor.execute(
                "SELECT id, ts_rank(document, %s::tsquery) FROM search_searchdocument "
                "WHERE document @@ %s::tsquery",
                [ors, ors],
            )
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="passes over the query list")
    parser.add_argument("--fresh", action="store_true", help="recreate the directory")
    args = parser.parse_args()

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{bench_dir}/kaart-{args.count}.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    os.environ.setdefault("OMZIEN_LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from benchmarks.timing import TABLE_HEADER, machine, measure
    from omzien.directory.filters import FACET_PARAMS
    from omzien.directory.models import Service
    from omzien.directory.search import get_backend
    from omzien.directory.vocabularies import term_id

    call_command("migrate", verbosity=0)
    existing = Service.objects.count()
    if args.fresh or existing < args.count:
        if existing:
            Service.objects.all().delete()
        call_command("generate_services", count=args.count, seed=1)
    total = Service.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as after any bulk load: the planner needs statistics

    client = Client(HTTP_HOST="127.0.0.1")
    backend = get_backend()
    combos = list(itertools.product(QUERIES, FILTERS))
    repeat = max(1, args.repeat)
    n = len(combos) * repeat
    cycle = itertools.cycle(combos)

    def baseline() -> None:
        # The bare full-text query: every document with any of the query's stems, with its rank,
        # straight from the database's index, nothing else.
        query, _ = next(cycle)
        bare_query(query)

    def ranked() -> None:
        query, _ = next(cycle)
        backend.ranked_documents(query)

    def api_filter(extra: str) -> str:
        # The API takes HSDS parameters: our facet terms become taxonomy_term_id.
        parts = []
        for pair in filter(None, extra.split("&")):
            param, code = pair.split("=")
            key = FACET_PARAMS.get(param)
            if key:
                parts.append(f"taxonomy_term_id={term_id(key, code)}")
        return "&".join(parts)

    def api() -> None:
        query, extra = next(cycle)
        response = client.get(f"/api/v1/services?search={query}&per_page=20&{api_filter(extra)}")
        assert response.status_code == 200, response.status_code

    def html() -> None:
        query, extra = next(cycle)
        response = client.get(f"/kaart/?q={query}&{extra}")
        assert response.status_code == 200, response.status_code

    # Without and with filters: the API takes HSDS parameters, so its filters are taxonomy terms.
    results = [
        measure("bare full-text query (baseline)", baseline, n, warmup=20),
        measure("search backend: plan, match per group, rank", ranked, n, warmup=20),
        measure("search API /api/v1/services?search=", api, n, warmup=20),
        measure("HTML result page /kaart/ with facets", html, n, warmup=20),
    ]
    print(f"Machine: {machine()}")
    print(
        f"Database: {connection.vendor}, {total} services; "
        f"{len(QUERIES)} queries x {len(FILTERS)} filter sets"
    )
    print(TABLE_HEADER)
    for timing in results:
        print(timing.row(results[0]))


if __name__ == "__main__":
    main()
