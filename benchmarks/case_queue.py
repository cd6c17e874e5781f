"""Meldpunt case queue at scale: GET /meldpunt/ with 100 000 cases, against /healthz.

    .venv/bin/python benchmarks/case_queue.py                         # SQLite file in var/bench/
    .venv/bin/python benchmarks/case_queue.py --database postgres     # db omzien_bench_cases

Creates the cases once (kept for the next run; --fresh to redo): five welfare organisations,
the measured case worker's organisation holding 40 % of the cases, each case with one signal,
personal fields really encrypted, a realistic spread of states (most closed), urgencies, workers
and dates over three years; open cases are recent, some are past their norm. Then it runs
ANALYZE (VACUUM ANALYZE on PostgreSQL) and times each queue URL --repeat times with Django's
test client as a logged-in case worker: the default tab, every other tab, filters, page 1 and
a deep page.
Target (issue 4): p95 <= 300 ms at 100 000 cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = "postgres://postgres@127.0.0.1:5432/omzien_bench_cases"
ORGS = 5
WORKERS_PER_ORG = 15
OWN_SHARE = 0.4
# Share of cases per final state: most cases are closed, the open ones are recent.
STATE_WEIGHTS = {
    "received": 3,
    "intake": 5,
    "contact_made": 4,
    "conversation_held": 5,
    "referred": 8,
    "closed": 75,
}


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _receipt(pk: int) -> str:
    code = f"B{pk:09d}"
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def _create(count: int, seed: int = 4) -> None:
    from django.db import transaction

    from omzien.accounts.models import Membership, Organisation, User
    from omzien.accounts.roles import OrganisationType, PartnerDomain, Role
    from omzien.cases import norms
    from omzien.cases.models import Case, Signal

    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    started = time.perf_counter()
    orgs = []
    workers: dict[int, list[int]] = {}
    for n in range(ORGS):
        org, _ = Organisation.objects.get_or_create(
            name=f"Welzijn bench {n}",
            defaults={"type": OrganisationType.WELFARE, "domain": PartnerDomain.CARE_WELFARE},
        )
        orgs.append(org)
        workers[org.pk] = []
        for w in range(WORKERS_PER_ORG):
            user, _ = User.objects.get_or_create(
                email=f"consulent{w}@bench{n}.example.org",
                defaults={"full_name": f"Consulent {w} van organisatie {n}"},
            )
            role = Role.CASE_COORDINATOR if w == 0 else Role.CASE_WORKER
            Membership.objects.get_or_create(user=user, organisation=org, role=role)
            workers[org.pk].append(user.pk)
    now = dt.datetime.now(dt.UTC)
    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    batch = 2000
    made = 0
    while made < count:
        cases = []
        size = min(batch, count - made)
        for _ in range(size):
            org = orgs[0] if rng.random() < OWN_SHARE else rng.choice(orgs[1:])
            state = rng.choices(states, weights)[0]
            if state == "closed":
                received = now - dt.timedelta(days=rng.uniform(7, 3 * 365))
            else:
                received = now - dt.timedelta(days=rng.expovariate(1 / 30))
            due = norms.first_contact_due(received)
            case = Case(
                organisation=org,
                state=state,
                urgency=rng.choices(["untriaged", "normal", "high", "urgent"], [1, 7, 2, 1])[0],
                source=rng.choices(["form", "staff", "partner"], [6, 3, 1])[0],
                person_name=f"Fictieve Persoon {made}",
                person_phone=f"06{rng.randint(10000000, 99999999)}",
                person_address=f"Voorbeeldstraat {rng.randint(1, 300)}",
                person_postcode=f"57{rng.randint(0, 9):02d}AB",
                person_lookup=f"{rng.getrandbits(256):064x}",
                age_group=rng.choice(["", "18-64", "65-74", "75+"]),
                received_at=received,
                first_contact_due=due,
            )
            if state != "received":
                case.assigned_to_id = rng.choice(workers[org.pk])
                if state != "intake" or rng.random() < 0.7:
                    case.first_attempt_at = received + dt.timedelta(days=rng.uniform(0.1, 6))
            if state in ("referred", "closed") and rng.random() < 0.8:
                case.referred_at = received + dt.timedelta(days=rng.uniform(5, 30))
                case.checkup_due = norms.checkup_due(case.referred_at)
            if state == "closed":
                case.closed_at = received + dt.timedelta(days=rng.uniform(1, 90))
                case.closing_reason = rng.choice(
                    ["helped", "no_help_wanted", "unreachable", "passed_on", "duplicate"]
                )
            cases.append(case)
            made += 1
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            Signal.objects.bulk_create(
                Signal(
                    case=case,
                    receipt=_receipt(case.pk),
                    received_at=case.received_at,
                    source=case.source,
                    reporter_kind="resident",
                    reporter_email="melder@example.org",
                    description="Komt bijna nooit buiten. (benchmark)",
                    indicators=["rarely_goes_out"],
                )
                for case in cases
            )
        print(f"  {made} / {count} cases", end="\r", flush=True)
    print(f"\nCreated {count} cases in {time.perf_counter() - started:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--fresh", action="store_true", help="recreate the cases")
    args = parser.parse_args()

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if args.database == "postgres":
        _ensure_postgres_database(PG_URL)
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{bench_dir}/cases-{args.count}.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    os.environ.setdefault("OMZIEN_LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from benchmarks.timing import TABLE_HEADER, machine, measure
    from omzien.accounts.models import Membership
    from omzien.cases.models import Case, Signal

    call_command("migrate", verbosity=0)
    existing = Case.objects.count()
    if args.fresh or existing < args.count:
        if existing:
            Signal.objects.all().delete()
            Case.objects.all().delete()
        _create(args.count)
    total = Case.objects.count()
    # Fresh statistics, also for indexes added since the data was made; on PostgreSQL also the
    # visibility map autovacuum keeps in a running system (index-only counts depend on it).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    worker = (
        Membership.objects.filter(organisation__name="Welzijn bench 0", role="case_worker")
        .select_related("user", "organisation")
        .order_by("user__email")
        .first()
    )
    assert worker is not None
    own = Case.objects.filter(organisation=worker.organisation)
    receipt = (
        Signal.objects.filter(case__organisation=worker.organisation, case__state="intake")
        .values_list("receipt", flat=True)
        .first()
    )
    closed_pages = own.filter(state="closed").count() // 25
    open_pages = own.exclude(state="closed").count() // 25
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(worker.user)

    urls = [
        ("/meldpunt/ (all open, page 1)", "/meldpunt/"),
        ("all open, last page", f"/meldpunt/?pagina={open_pages + 1}"),
        ("new", "/meldpunt/?weergave=nieuw"),
        ("mine", "/meldpunt/?weergave=mijn"),
        ("overdue", "/meldpunt/?weergave=te-laat"),
        ("closed, page 1", "/meldpunt/?weergave=afgesloten"),
        ("closed, deep page", f"/meldpunt/?weergave=afgesloten&pagina={closed_pages * 9 // 10}"),
        ("open + urgency urgent", "/meldpunt/?urgentie=urgent"),
        ("open + state intake", "/meldpunt/?status=intake"),
        ("open + worker", f"/meldpunt/?consulent={worker.user.pk}"),
        ("open + unassigned", "/meldpunt/?consulent=geen"),
        ("closed + urgency high", "/meldpunt/?weergave=afgesloten&urgentie=high"),
        ("receipt code search", f"/meldpunt/?nummer={receipt}"),
    ]
    for _name, url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        # A real list, not an empty page.
        assert re.search(rb'href="/meldpunt/casussen/\d+/"', response.content), url
    results = [measure("GET /healthz (baseline)", lambda: client.get("/healthz"), args.repeat)]
    for name, url in urls:
        results.append(measure(name, lambda url=url: client.get(url), args.repeat))
    everything = [s for timing in results[1:] for s in timing.samples_ms]
    from benchmarks.timing import Timing

    results.append(Timing("all queue requests together", everything))

    print(f"Machine: {machine()}")
    print(
        f"Database: {connection.vendor}, {total} cases, {own.count()} in the case worker's "
        f"organisation; {args.repeat} requests per row"
    )
    print(TABLE_HEADER)
    for timing in results:
        print(timing.row(results[0]))


if __name__ == "__main__":
    main()
