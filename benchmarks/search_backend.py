"""The sociale kaart search backend on N synthetic services, against the bare full-text match.

Run: .venv/bin/python benchmarks/search_backend.py [--count 100000] [--repeat 5]
     [--covering-index]
Uses a throwaway SQLite file, or DATABASE_URL when set (that database is filled and left; a
second run only tops it up to --count and rebuilds the index).

Measured per query, over a fixed list of 60 realistic queries: `apply()` + `count()` + the
first 20 services, ordered by rank, name and id (as directory.selectors does) and by rank alone.
Queries matching 10 000 services or more are also reported apart, since the cost of an exact
count and of ranking grows with the number of matches. The baseline is the bare full-text match
count of the same query in the same run (FTS5 MATCH on SQLite, `@@` on the GIN index on
PostgreSQL): the search cannot be cheaper than that.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ACTIVITIES = [
    "Koffieochtend",
    "Wandelgroep",
    "Maatjesproject",
    "Taalcafé",
    "Buurtmaaltijd",
    "Repair Café",
    "Mantelzorgcafé",
    "Computerles",
    "Klaverjasclub",
    "Zangkoor",
    "Breiclub",
    "Moestuin",
    "Bewegen",
    "Telefooncirkel",
    "Huisbezoek",
    "Rouwgroep",
    "Schuldhulpmaatje",
    "Voorleesproject",
    "Jeu de boules",
    "Fietsmaatje",
    "Samen eten",
    "Inloopspreekuur",
    "Digicafé",
    "Tekenles",
    "Muziekmiddag",
    "Bingo",
    "Stoelyoga",
    "Klussendienst",
    "Boodschappendienst",
    "Vervoersdienst",
    "Luisterlijn",
    "Buddyhulp",
    "Ontmoetingsplek",
    "Creatief atelier",
    "Filmmiddag",
    "Geheugentraining",
    "Valpreventie",
    "Dansmiddag",
    "Kookworkshop",
    "Biljartclub",
    "Senioren fitness",
    "Vrijwilligerscentrale",
    "Thuisadministratie",
    "Ommetje",
    "Theetuin",
    "Zwemmen",
    "Schilderclub",
    "Buurtkamer",
    "Handwerkcafé",
    "Welkomstgesprek",
]
QUALIFIERS = [
    "voor 75-plussers",
    "voor mantelzorgers",
    "voor jongeren",
    "voor nieuwkomers",
    "voor alleenwonenden",
    "voor ouderen",
    "in de wijk",
    "voor iedereen",
    "voor weduwen en weduwnaars",
    "voor mensen met dementie",
    "",
    "",
]
PLACES = [
    "Eindhoven",
    "Tilburg",
    "Breda",
    "Den Bosch",
    "Oss",
    "Uden",
    "Veghel",
    "Boxtel",
    "Best",
    "Veldhoven",
    "Valkenswaard",
    "Nuenen",
    "Son",
    "Waalre",
    "Oisterwijk",
    "Goirle",
    "Dongen",
    "Oosterhout",
    "Roosendaal",
    "Bergen op Zoom",
    "Brandevoort",
    "Mierlo-Hout",
    "Stiphout",
    "Dierdonk",
    "Rijpelberg",
    "de Binnenstad",
    "Helmond-Noord",
    "Warande",
    "Suytkade",
    "Westwijk",
    "Mierlo",
    "Helmond-Oost",
    "Brouwhuis",
    "Rijpelberg-Zuid",
    "de Stiepel",
]
VENUE_KINDS = [
    "Wijkcentrum",
    "Buurthuis",
    "Dorpshuis",
    "Bibliotheek",
    "Zorgcentrum",
    "Gemeenschapshuis",
    "Kerkzaal",
    "Sportpark",
    "Theehuis",
    "Ontmoetingscentrum",
]
CITIES = ["Helmond", "Mierlo", "Geldrop", "Deurne", "Asten", "Someren", "Laarbeek", "Gemert"]
# Descriptions are filled-in templates, so that, as in real descriptions written by hundreds of
# providers, a few words are everywhere ("koffie", "samen") and most are in a few per cent.
TEMPLATES = [
    "Elke {day}{daypart} {together} in {venue}.",
    "Voor {group} die {need}.",
    "Een {helper} komt bij u thuis voor {visit}.",
    "U bent welkom zonder aanmelding; {drink} staat klaar.",
    "We {do} onder begeleiding van {guide}.",
    "De activiteit is in {venue} in {place}.",
    "Kosten: {cost}.",
    "{transport}",
    "Samen met {partner} organiseren wij {event}.",
    "{group_cap} ontmoeten elkaar en {exchange}.",
    "Na afloop is er {drink}.",
    "U kunt {help} krijgen van {helper_plural}.",
    "Het gebouw is {access}.",
    "Nieuwe deelnemers zijn altijd welkom, ook als u {need}.",
]
SLOTS: dict[str, list[str]] = {
    "day": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "daypart": ["ochtend", "middag", "avond"],
    "together": [
        "drinken we samen koffie",
        "wandelen we een uur",
        "koken en eten we samen",
        "zingen we bekende liedjes",
        "sjoelen en kaarten we",
        "tekenen en schilderen we",
        "breien en haken we",
        "praten we over het nieuws",
        "fietsen we door de omgeving",
        "spelen we spelletjes",
        "bewegen we op muziek",
        "knutselen we",
        "lezen we voor uit de krant",
        "werken we in de moestuin",
        "repareren we kapotte spullen",
        "oefenen we Nederlands",
        "leren we omgaan met de computer",
        "doen we geheugenspelletjes",
        "kijken we een film",
        "dansen we",
    ],
    "venue": [
        "het wijkcentrum",
        "de bibliotheek",
        "het buurthuis",
        "de kerkzaal",
        "het dorpshuis",
        "de sporthal",
        "het zorgcentrum",
        "de moskee",
        "het gemeenschapshuis",
        "de speeltuin",
        "het park",
        "de kantine van de voetbalclub",
        "het theehuis",
        "het verzorgingshuis",
        "de buurtkamer",
    ],
    "group": [
        "ouderen",
        "75-plussers",
        "mantelzorgers",
        "jongeren",
        "nieuwkomers",
        "statushouders",
        "alleenstaande ouders",
        "mensen met dementie",
        "weduwen en weduwnaars",
        "mensen met een beperking",
        "buurtbewoners",
        "inwoners",
        "studenten",
        "gepensioneerden",
        "vrijwilligers",
    ],
    "need": [
        "zich eenzaam voelen",
        "weinig mensen kennen",
        "net verhuisd zijn",
        "een dierbare hebben verloren",
        "graag nieuwe mensen ontmoeten",
        "de taal willen leren",
        "zorgen voor een naaste",
        "moeite hebben met geldzaken",
        "niet meer zelf autorijden",
        "slecht ter been zijn",
        "thuis zitten na hun pensioen",
        "behoefte hebben aan een luisterend oor",
    ],
    "helper": [
        "vrijwilliger",
        "maatje",
        "buddy",
        "ouderenadviseur",
        "wijkverpleegkundige",
        "sociaal werker",
        "buurtcoach",
        "student",
        "ervaringsdeskundige",
    ],
    "helper_plural": [
        "vrijwilligers",
        "buurtgenoten",
        "het wijkteam",
        "de ouderenadviseur",
        "studenten",
        "de thuiszorg",
    ],
    "visit": [
        "een kop koffie en een gesprek",
        "een wandeling",
        "hulp bij de administratie",
        "een spelletje",
        "gezelschap",
        "hulp met de computer of tablet",
        "boodschappen",
        "een ritje naar de huisarts",
    ],
    "drink": ["koffie en thee", "soep", "een hapje en een drankje", "limonade", "koffie"],
    "do": [
        "bewegen",
        "zwemmen",
        "schilderen",
        "zingen",
        "fietsen",
        "tuinieren",
        "koken",
        "oefenen voor balans en kracht",
        "yoga doen",
        "jeu de boules spelen",
    ],
    "guide": [
        "een fysiotherapeut",
        "een ervaren vrijwilliger",
        "een kunstenaar",
        "een dirigent",
        "een kok",
        "een sportleraar",
        "een tuinman",
    ],
    "place": [],  # filled from PLACES
    "cost": [
        "gratis",
        "vijf euro per keer",
        "een kleine bijdrage",
        "gratis met de stadspas",
        "twee euro inclusief koffie",
    ],
    "transport": [
        "Vervoer kan worden geregeld.",
        "De buurtbus stopt voor de deur.",
        "Er is parkeergelegenheid.",
        "Een vrijwilliger kan u ophalen.",
        "",
    ],
    "partner": [
        "de bibliotheek",
        "de huisarts",
        "de kerk",
        "het wijkteam",
        "de woningcorporatie",
        "de Zonnebloem",
        "de KBO",
        "het Rode Kruis",
    ],
    "event": [
        "een kerstdiner",
        "een uitje",
        "een zomerfeest",
        "een filmavond",
        "een high tea",
        "een wandeltocht",
        "een kookworkshop",
    ],
    "group_cap": [
        "Mantelzorgers",
        "Buurtgenoten",
        "Lotgenoten",
        "Ouderen",
        "Nieuwkomers",
        "Jongeren",
    ],
    "exchange": [
        "wisselen ervaringen uit",
        "helpen elkaar",
        "praten over wat hen bezighoudt",
        "maken samen plannen",
    ],
    "help": [
        "hulp bij klussen",
        "hulp bij formulieren",
        "een luisterend oor",
        "advies over geld",
        "hulp bij rouwverwerking",
    ],
    "access": [
        "toegankelijk voor rolstoelen en rollators",
        "met de lift bereikbaar",
        "gelijkvloers",
        "helaas niet rolstoeltoegankelijk",
    ],
}
ELIGIBILITY = [
    "Voor inwoners van Helmond.",
    "Voor 75-plussers die alleen wonen.",
    "Voor mantelzorgers en hun naasten.",
    "Voor iedereen die zich eenzaam voelt.",
    "Voor jongeren van 16 tot 27 jaar.",
    "",
]
APPLICATION = [
    "Bel het wijkteam.",
    "Aanmelden via de website of telefonisch.",
    "Kom gewoon langs, aanmelden is niet nodig.",
    "Via de huisarts of de praktijkondersteuner.",
    "",
]
ORG_KINDS = ["Stichting", "Vereniging", "Welzijn", "Buurtvereniging", "Zorggroep", "Kerk"]
ORG_NAMES = [
    "De Zonnebloem",
    "Onder Ons",
    "Samen Sterk",
    "De Horst",
    "Lavans",
    "Het Anker",
    "Vitalis",
    "De Brug",
    "Goed Idee",
    "Zij aan Zij",
    "Noaberschap",
    "De Boog",
]
SYNONYMS = [
    "maatje, buddy",
    "eenzaam, alleen",
    "koffie, bakkie",
    "ouderen, senioren",
    "computer, digitaal",
    "rouw, verlies",
]

# Queries matching this many services or more are reported apart: their cost grows with it.
COMMON = 10_000

QUERIES = [
    "koffie",
    "koffieochtend",
    "ochtend",
    "wandelen",
    "wandelgroep",
    "wandelgroep ouderen",
    "maatje",
    "buddy",
    "eenzaam",
    "eenzaamheid",
    "taalcafe",
    "nederlands leren",
    "mantelzorg",
    "mantelzorgers",
    "luisterlijn",
    "luisterlyn",
    "gesprekken",
    "gesprek thuis",
    "bewegen",
    "bewegen ouderen",
    "schuldhulp",
    "geldzaken",
    "rouw",
    "verlies dierbare",
    "computer",
    "computerles tablet",
    "repair cafe",
    "moestuin",
    "tuinieren",
    "zingen",
    "koor",
    "muziek",
    "creatief",
    "breien",
    "klaverjassen",
    "bingo",
    "samen eten",
    "maaltijd",
    "vervoer",
    "boodschappen",
    "klussen",
    "vrijwilligers",
    "huisbezoek",
    "telefooncirkel",
    "jongeren",
    "75-plussers",
    "nieuwkomers",
    "buurthuis",
    "brandevoort",
    "mierlo hout",
    "dementie",
    "zwemmen",
    "yoga",
    "valpreventie",
    "film",
    "koffie brandevoort",
    "wandelen mierlo",
    "gratis",
    "rolstoel",
    "wijkteam",
]


def description(rng: random.Random) -> str:
    sentences = []
    for template in rng.sample(TEMPLATES, rng.randint(2, 5)):
        values = {
            key: rng.choice(SLOTS[key] or PLACES) for key in SLOTS if "{" + key + "}" in template
        }
        sentences.append(template.format(**values))
    return " ".join(sentence for sentence in sentences if sentence)


def create_services(count: int, seed: int) -> None:
    from django.db import transaction

    from omzien.directory.models import (
        Address,
        Attribute,
        Location,
        Organization,
        Service,
        ServiceAtLocation,
        Synonym,
        TaxonomyTerm,
    )

    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    terms = list(TaxonomyTerm.objects.values_list("id", flat=True))
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            Organization(name=f"{rng.choice(ORG_KINDS)} {rng.choice(ORG_NAMES)} {i}")
            for i in range(max(1, count // 50))
        )
        locations = Location.objects.bulk_create(
            Location(name=f"{rng.choice(VENUE_KINDS)} {rng.choice(ORG_NAMES)}")
            for _ in range(max(1, count // 100))
        )
        Address.objects.bulk_create(
            Address(
                location=location,
                address_1=f"Kerkstraat {i + 1}",
                city=rng.choice(CITIES),
                state_province="Noord-Brabant",
                postal_code="5701AA",
            )
            for i, location in enumerate(locations)
        )
        Synonym.objects.bulk_create(Synonym(words=words) for words in SYNONYMS)
        batch = 5000
        for start in range(0, count, batch):
            services = []
            for i in range(start, min(count, start + batch)):
                qualifier = rng.choice(QUALIFIERS)
                name = " ".join(
                    part
                    for part in (rng.choice(ACTIVITIES), qualifier, "in", rng.choice(PLACES))
                    if part
                )
                roll = rng.random()
                services.append(
                    Service(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        organization=rng.choice(organizations),
                        name=name,
                        slug=f"bench-{i}",
                        description=description(rng),
                        eligibility_description=rng.choice(ELIGIBILITY),
                        application_process=rng.choice(APPLICATION),
                        status="inactive"
                        if roll < 0.03
                        else "temporarily closed"
                        if roll < 0.05
                        else "active",
                        is_published=rng.random() > 0.02,
                    )
                )
            Service.objects.bulk_create(services)
            Attribute.objects.bulk_create(
                Attribute(
                    link_id=service.id,
                    link_entity="service",
                    taxonomy_term_id=term,
                    service=service,
                )
                for service in services
                for term in rng.sample(terms, 2)
            )
            ServiceAtLocation.objects.bulk_create(
                ServiceAtLocation(service=service, location=rng.choice(locations))
                for service in services
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--seed", type=int, default=794)
    parser.add_argument(
        "--covering-index",
        action="store_true",
        help="first add an index on directory_service (id, status, is_published), to measure "
        "what it would save (an experiment: the directory app owns that table)",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="omzien-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    os.environ.setdefault("OMZIEN_LOG_LEVEL", "WARNING")
    # DEBUG would keep every query in memory and time that too.
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.timing import TABLE_HEADER, Timing, machine, measure
    from omzien.directory.models import Service
    from omzien.directory.search import get_backend
    from omzien.directory.search.backends.base import SearchInfo
    from omzien.directory.search.backends.common import IndexBackend
    from omzien.directory.search.backends.postgres import tsquery
    from omzien.directory.search.backends.sqlite_fts5 import match_expression

    call_command("migrate", verbosity=0)
    backend = get_backend()
    assert isinstance(backend, IndexBackend)
    existing = Service.objects.count()
    if existing < args.count:
        started = time.perf_counter()
        create_services(args.count - existing, args.seed + existing)
        print(f"Created {args.count - existing} services in {time.perf_counter() - started:.1f} s.")
    with connection.cursor() as cursor:
        if args.covering_index:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS bench_service_id_visible "
                "ON directory_service (id, status, is_published)"
            )
        # Statistics as a running installation has them (autovacuum would gather them later).
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    indexed = backend.rebuild()
    rebuild_seconds = time.perf_counter() - started

    visible = Service.objects.filter(is_published=True, status__in=["active", "temporarily closed"])

    def search(query: str, *order: str) -> tuple[int, list[Any]]:
        found, _ = backend.apply(visible, query)
        return found.count(), list(found.order_by(*order)[:20])

    def bare(query: str) -> int:
        groups = backend.plan(query, SearchInfo(query=query))
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s",
                    [match_expression(groups)],
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM search_searchdocument WHERE document @@ %s::tsquery",
                    [tsquery(groups)],
                )
            return int(cursor.fetchone()[0])

    # As directory.selectors orders today, and by rank alone (which SQLite's FTS5 answers from
    # the index, stopping after the page).
    by_rank_name = ("-search_rank", "name", "id")
    by_rank = ("-search_rank",)
    # Per query: its number of matches and its samples per measurement.
    runs: list[tuple[str, int, dict[str, list[float]]]] = []
    for query in QUERIES:
        calls: dict[str, Callable[[], object]] = {
            "baseline": partial(bare, query),
            "name": partial(search, query, *by_rank_name),
            "rank": partial(search, query, *by_rank),
            "suggest": partial(backend.suggest, query[:4]),
        }
        timings = {key: measure(query, call, args.repeat).samples_ms for key, call in calls.items()}
        runs.append((query, search(query, *by_rank)[0], timings))

    def timing(name: str, key: str, common: bool | None = None) -> Timing:
        """All samples of one measurement; common: only queries with 10 000+ matches or not."""
        return Timing(
            name,
            [
                sample
                for _, count, timings in runs
                if common is None or (count >= COMMON) == common
                for sample in timings[key]
            ],
        )

    counts = sorted(count for _, count, _ in runs)
    typical = sum(1 for count in counts if count < COMMON)
    print(f"Machine: {machine()}")
    print(f"Database: {connection.vendor}, {args.count} services, {indexed} indexed", end="")
    print(", with covering index" if args.covering_index else "")
    print(f"rebuild(): {rebuild_seconds:.1f} s")
    print(f"Queries: {len(QUERIES)}, each run {args.repeat} times (after 3 warm-up runs)")
    print(
        f"Matches per query: median {counts[len(counts) // 2]}, max {counts[-1]}; "
        f"{len(counts) - typical} queries with {COMMON:,} or more"
    )
    print(TABLE_HEADER)
    baseline = timing("bare full-text match count (baseline)", "baseline")
    for row in (
        baseline,
        timing("apply() + count() + first 20 by rank, name, id", "name"),
        timing(f"  the {typical} queries with < {COMMON:,} matches", "name", common=False),
        timing(f"  the {len(counts) - typical} queries with {COMMON:,}+ matches", "name", True),
        timing("apply() + count() + first 20 by rank alone", "rank"),
        timing(f"  the {typical} queries with < {COMMON:,} matches", "rank", common=False),
        timing(f"  the {len(counts) - typical} queries with {COMMON:,}+ matches", "rank", True),
        timing("suggest(first 4 letters)", "suggest"),
    ):
        if row.samples_ms:
            print(row.row(baseline))
    print("\nSlowest queries (p95 ms by rank, name, id; matches):")
    slowest = sorted(runs, key=lambda run: -Timing(run[0], run[2]["name"]).p95)
    for query, count, timings in slowest[:8]:
        print(f"  {query!r}: {Timing(query, timings['name']).p95:.1f} ms, {count} matches")


if __name__ == "__main__":
    main()
