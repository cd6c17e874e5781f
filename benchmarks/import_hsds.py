"""`omzien import-hsds` of a synthetic file of 100 000 full HSDS services: time and peak memory,
then the API's `/services?search=...&per_page=20` on the imported data.

Run: .venv/bin/python benchmarks/import_hsds.py [--services 100000] [--repeat 200]
Targets: the import within 120 s and under 300 MB peak RSS (SQLite); the API well within 50 ms
p95. The import runs as its own process (the real command), so its peak RSS is measured alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ACTIVITIES = [
    "Koffieochtend",
    "Wandelgroep",
    "Maatjesproject",
    "Taalcafé",
    "Repair café",
    "Samen eten",
    "Luisterlijn",
    "Buurtmoestuin",
    "Computerhulp",
    "Zangkoor",
    "Klusjesdienst",
    "Rouwgroep",
    "Beweegclub",
    "Mantelzorgcafé",
    "Vrijwilligerspunt",
]
PLACES = [
    "Binnenstad",
    "Brandevoort",
    "Mierlo-Hout",
    "Rijpelberg",
    "Stiphout",
    "Dierdonk",
    "Warande",
]
SENTENCES = [
    "Samen koffie drinken en een praatje maken.",
    "Een vrijwilliger komt bij u thuis op bezoek.",
    "Iedere week wandelen we een uur door de wijk.",
    "U leert nieuwe mensen kennen in een ontspannen sfeer.",
    "Hulp bij formulieren, de computer of de telefoon.",
    "Voor iedereen die zich wel eens alleen voelt.",
    "Aanmelden is niet nodig; u bent welkom.",
]
NAMESPACE = uuid.UUID("0f1b6c52-6d1e-4b8e-9a3a-5c2f1d7e8a90")


def uid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(map(str, parts))))


def synthetic_service(
    number: int, organizations: int, terms: list[dict[str, Any]]
) -> dict[str, Any]:
    rng = random.Random(number)  # noqa: S311 - synthetic data, not security
    org = number % organizations
    service_id = uid("service", number)
    location_id = uid("location", number)
    activity, place = rng.choice(ACTIVITIES), rng.choice(PLACES)
    chosen = rng.sample(terms, 2)
    return {
        "id": service_id,
        "organization_id": uid("organization", org),
        "name": f"{activity} {place} {number}",
        "description": " ".join(rng.sample(SENTENCES, 3)),
        "url": f"https://example.org/diensten/{number}",
        "email": f"info{org}@example.org",
        "status": "active",
        "application_process": "Bel of mail ons, of kom gewoon langs.",
        "fees_description": rng.choice(["Gratis.", "Een kleine bijdrage voor de koffie."]),
        "eligibility_description": "Voor inwoners van Helmond.",
        "minimum_age": rng.choice([0, 18, 55]),
        "maximum_age": 120,
        "assured_date": "2025-01-15",
        "last_modified": "2025-01-15T10:00:00Z",
        "phones": [{"id": uid("phone", number), "number": f"0492 {100000 + number % 900000}"}],
        "schedules": [
            {
                "id": uid("schedule", number),
                "freq": "WEEKLY",
                "byday": rng.choice(["MO", "TU,TH", "WE", "FR"]),
                "opens_at": "10:00:00",
                "closes_at": "12:00:00",
            }
        ],
        "service_areas": [
            {"id": uid("area", number), "name": "Nederland" if number % 20 == 0 else "GM0794"}
        ],
        "service_at_locations": [
            {
                "id": uid("sal", number),
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "organization_id": uid("organization", org),
                    "name": f"Buurthuis {place}",
                    "latitude": 51.48 + rng.uniform(-0.03, 0.03),
                    "longitude": 5.66 + rng.uniform(-0.05, 0.05),
                    "addresses": [
                        {
                            "id": uid("address", number),
                            "address_1": f"Dorpsstraat {number % 200 + 1}",
                            "city": "Helmond",
                            "state_province": "Noord-Brabant",
                            "postal_code": "5701 AB",
                            "country": "NL",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "languages": [{"id": uid("language", number), "name": "Nederlands", "code": "nl"}],
        "cost_options": [
            {"id": uid("cost", number), "option": "Per keer", "currency": "EUR", "amount": 2.5}
        ],
        "attributes": [
            {
                "id": uid("attribute", number, term["id"]),
                "link_type": "service_characteristic",
                "link_entity": "service",
                "taxonomy_term": term,
            }
            for term in chosen
        ],
        "organization": {
            "id": uid("organization", org),
            "name": f"Stichting Omzien {org}",
            "description": "Een organisatie in de buurt.",
            "email": f"info{org}@example.org",
            "website": f"https://example.org/{org}",
        },
    }


def write_file(path: Path, services: int) -> None:
    import django

    django.setup()
    from omzien.directory.models import TaxonomyTerm
    from omzien.interop.hsds import taxonomy_term_to_hsds

    terms = [taxonomy_term_to_hsds(t) for t in TaxonomyTerm.objects.select_related("taxonomy")]
    organizations = max(1, services // 10)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for number in range(services):
            handle.write(",\n" if number else "\n")
            handle.write(
                json.dumps(synthetic_service(number, organizations, terms), ensure_ascii=False)
            )
        handle.write("\n]\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="omzien-bench-hsds-"))
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    env.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    env["DEBUG"] = "false"  # DEBUG keeps every query in memory; production does not
    env.setdefault("OMZIEN_LOG_LEVEL", "WARNING")
    env.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from benchmarks.timing import TABLE_HEADER, machine, measure

    call_command("migrate", verbosity=0)
    data = tmp / "services.json"
    started = time.perf_counter()
    write_file(data, args.services)
    print(f"Machine: {machine()}")
    print(f"Database: {connection.vendor}")
    print(
        f"Generated {args.services} services: {data.stat().st_size / 1e6:.0f} MB "
        f"in {time.perf_counter() - started:.1f} s"
    )
    connection.close()

    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "omzien", "import-hsds", str(data), "--quiet-warnings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout[-2000:])
    if result.returncode:
        print(result.stderr[-4000:])
        raise SystemExit("the import failed")
    print(f"omzien import-hsds: {seconds:.1f} s, peak RSS {peak_mb:.0f} MB")

    from omzien.directory.models import Service
    from omzien.directory.search import get_backend

    assert Service.objects.count() == args.services, "every service must have been imported"
    started = time.perf_counter()
    get_backend().rebuild()
    print(f"(of which the search index rebuild alone: {time.perf_counter() - started:.1f} s)")

    from omzien.directory.vocabularies import taxonomy_id

    support_kind = str(taxonomy_id("support_kind"))
    client = Client()
    url = "/api/v1/services"
    for params in ({"search": "koffieochtend", "per_page": 20}, {"per_page": 20}):
        response = client.get(url, params)
        assert response.status_code == 200, response.content[:500]
        assert response.json()["contents"], "the benchmark must measure real results"
    rows = [
        measure("GET /api/v1/ (baseline)", lambda: client.get("/api/v1/"), args.repeat),
        measure(
            "GET /services?per_page=20",
            lambda: client.get(url, {"per_page": 20}),
            args.repeat,
        ),
        measure(
            "GET /services?search=koffieochtend&per_page=20",
            lambda: client.get(url, {"search": "koffieochtend", "per_page": 20}),
            args.repeat,
        ),
        measure(
            "GET /services?search=samen koffie&per_page=20",
            lambda: client.get(url, {"search": "samen koffie", "per_page": 20}),
            args.repeat,
        ),
        measure(
            "GET /services?search=wandelgroep&taxonomy_id=(soort steun)&per_page=20",
            lambda: client.get(
                url, {"search": "wandelgroep", "taxonomy_id": support_kind, "per_page": 20}
            ),
            args.repeat,
        ),
    ]
    print(TABLE_HEADER)
    for timing in rows:
        print(timing.row(rows[0]))


if __name__ == "__main__":
    main()
