"""What works per intervention at scale: all intervention effects from 500 000 measurements.

    .venv/bin/python benchmarks/effects.py                         # SQLite file in var/bench/
    .venv/bin/python benchmarks/effects.py --database postgres     # db omzien_bench_effects

Creates the data once with bulk_create (kept for the next run; --fresh to redo): 250 services
(interventions) of one provider, participants spread over them, and --count DJG-11
measurements: every participant a start, most an end, a quarter a follow-up; 3 % incomplete
(no total). Each service gets its own true effect, so the statistics do real work. Then it runs
ANALYZE (VACUUM ANALYZE on PostgreSQL) and times, --repeat times each:

- baseline: the bare `values_list` fetch of the same rows (`effects.measurement_rows`, the
  query `intervention_effects` runs, without pairing or statistics);
- for comparison: the same `values_list` without the text casts (UUID and date objects);
- `intervention_effects("djg11", start→end)` for all services (the issue's target: <= 2 s);
- the same for start→follow-up, and for one provider organisation (organisation_ids);
- the detail of one service (service_ids), as the detail page asks for it;
- the pages end to end with Django's test client as a policy officer: the overview (table of
  250 interventions and the forest plot), its CSV file and one detail page.

Target (issue 5): all intervention effects from 500 000 measurements in <= 2 s, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = "postgres://postgres@127.0.0.1:5432/omzien_bench_effects"
SERVICES = 250
BATCH = 5000
# Per participant: start always; end 90 %; follow-up 25 % -> about 2.15 measurements each.
END_SHARE = 0.9
FOLLOW_UP_SHARE = 0.25
INCOMPLETE_SHARE = 0.03


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _clip(value: float) -> float:
    return float(min(11, max(0, round(value))))


def _create(count: int, seed: int = 5) -> None:
    from django.db import transaction

    from omzien.accounts.models import Organisation
    from omzien.accounts.roles import OrganisationType, PartnerDomain
    from omzien.directory.models import Organization, Service
    from omzien.measurement.models import Measurement, Participant

    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    started = time.perf_counter()
    owner, _ = Organisation.objects.get_or_create(
        name="Aanbieder bench",
        defaults={"type": OrganisationType.PROVIDER, "domain": PartnerDomain.CARE_WELFARE},
    )
    other, _ = Organisation.objects.get_or_create(
        name="Welzijn bench",
        defaults={"type": OrganisationType.WELFARE, "domain": PartnerDomain.CARE_WELFARE},
    )
    organization = Organization.objects.create(name="Aanbieder bench", owner=owner)
    services = Service.objects.bulk_create(
        Service(organization=organization, name=f"Activiteit {n:03d}", slug=f"bench-effect-{n}")
        for n in range(SERVICES)
    )
    effects = {s.pk: rng.gauss(-1.0, 0.8) for s in services}
    today = dt.datetime.now(dt.UTC).date()
    per_participant = 1 + END_SHARE + FOLLOW_UP_SHARE
    participants_needed = int(count / per_participant) + 1
    made = 0
    code = 0
    while made < count:
        batch: list[Participant] = []
        for _ in range(min(BATCH, participants_needed)):
            code += 1
            service = rng.choice(services)
            organisation = owner if code % 5 else other
            batch.append(
                Participant(organisation=organisation, code=f"B-{code:08d}", service=service)
            )
        with transaction.atomic():
            Participant.objects.bulk_create(batch)
            rows: list[Measurement] = []
            for participant in batch:
                start_day = today - dt.timedelta(days=rng.randint(120, 1000))
                before = _clip(rng.gauss(6.0, 2.5))
                plan = [("start", start_day, before)]
                if rng.random() < END_SHARE:
                    after = _clip(before + effects[participant.service_id] + rng.gauss(0, 1.8))
                    plan.append(("end", start_day + dt.timedelta(days=rng.randint(60, 110)), after))
                if rng.random() < FOLLOW_UP_SHARE:
                    later = _clip(before + effects[participant.service_id] / 2 + rng.gauss(0, 2))
                    plan.append(("follow_up", start_day + dt.timedelta(days=115), later))
                for moment, day, total in plan:
                    complete = rng.random() >= INCOMPLETE_SHARE
                    rows.append(
                        Measurement(
                            participant=participant,
                            service_id=participant.service_id,
                            organisation=participant.organisation,
                            scale="djg11",
                            moment=moment,
                            mode="staff",
                            taken_on=min(day, today),
                            total=total if complete else None,
                            category="",
                            complete=complete,
                        )
                    )
            rows = rows[: count - made]
            Measurement.objects.bulk_create(rows, batch_size=BATCH)
            made += len(rows)
        print(f"  {made} / {count} measurements", end="\r", flush=True)
    print(f"\nCreated {count} measurements in {time.perf_counter() - started:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--fresh", action="store_true", help="recreate the measurements")
    args = parser.parse_args()

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if args.database == "postgres":
        _ensure_postgres_database(PG_URL)
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{bench_dir}/effects-{args.count}.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    os.environ.setdefault("OMZIEN_LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, include, path, reverse

    from benchmarks.timing import TABLE_HEADER, machine, measure
    from omzien.accounts.models import Membership, Organisation, User
    from omzien.accounts.roles import OrganisationType, PartnerDomain, Role
    from omzien.directory.models import Service
    from omzien.measurement import effects
    from omzien.measurement.models import Measurement, Participant

    call_command("migrate", verbosity=0)
    existing = Measurement.objects.count()
    if args.fresh or existing != args.count:
        if existing or Participant.objects.exists():
            Measurement.objects.all().delete()
            Participant.objects.all().delete()
            Service.objects.filter(slug__startswith="bench-effect-").delete()
        _create(args.count)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    total = Measurement.objects.count()
    end_pair = ("start", "end")
    follow_pair = ("start", "follow_up")
    provider = Organisation.objects.get(name="Aanbieder bench")
    one_service = Service.objects.filter(slug="bench-effect-7").values_list("pk", flat=True)[0]
    rows = effects.measurement_rows("djg11", end_pair)

    try:
        overview = reverse("effects_overview")
    except NoReverseMatch:  # not yet in the project's URLconf: mount it as the lead will
        from omzien import urls as root_urls

        globals()["urlpatterns"] = [
            path("dashboard/effecten/", include("omzien.measurement.urls_effects")),
            *root_urls.urlpatterns,
        ]
        settings.ROOT_URLCONF = __name__
        overview = reverse("effects_overview")
    municipality, _ = Organisation.objects.get_or_create(
        name="Gemeente bench",
        defaults={"type": OrganisationType.MUNICIPALITY, "domain": PartnerDomain.MUNICIPALITY},
    )
    officer, _ = User.objects.get_or_create(
        email="beleid@bench.example.org", defaults={"full_name": "Beleid Bench"}
    )
    Membership.objects.get_or_create(
        user=officer, organisation=municipality, role=Role.POLICY_OFFICER
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer)
    detail = reverse("effects_detail", args=[one_service])
    for url in (overview, f"{overview}?format=csv", detail):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    all_effects = effects.intervention_effects("djg11", end_pair)
    with_figures = sum(1 for e in all_effects if e.enough_data)
    assert len(all_effects) == SERVICES and with_figures == SERVICES, (
        len(all_effects),
        with_figures,
    )
    pairs = sum(e.summary.n for e in all_effects)

    load_before = os.getloadavg()
    results = [
        measure(
            "bare values_list fetch, start+end rows (baseline)",
            lambda: effects.measurement_rows("djg11", end_pair),
            args.repeat,
            warmup=1,
        ),
        measure(
            "plain values_list, UUID and date objects (comparison)",
            lambda: list(
                Measurement.objects.filter(
                    scale="djg11",
                    complete=True,
                    total__isnull=False,
                    service__isnull=False,
                    moment__in=end_pair,
                )
                .order_by()
                .values_list("participant_id", "service_id", "moment", "total", "taken_on", "pk")
            ),
            args.repeat,
            warmup=1,
        ),
        measure(
            "intervention_effects, all services, start→end",
            lambda: effects.intervention_effects("djg11", end_pair),
            args.repeat,
            warmup=1,
        ),
        measure(
            "intervention_effects, all services, start→follow-up",
            lambda: effects.intervention_effects("djg11", follow_pair),
            args.repeat,
            warmup=1,
        ),
        measure(
            "intervention_effects, one organisation (80 %)",
            lambda: effects.intervention_effects("djg11", end_pair, organisation_ids={provider.pk}),
            args.repeat,
            warmup=1,
        ),
        measure(
            "intervention_effects, one service (detail page)",
            lambda: effects.intervention_effects("djg11", end_pair, service_ids=[one_service]),
            args.repeat,
            warmup=1,
        ),
        measure(
            "GET /dashboard/effecten/ (250 rows and the plot)",
            lambda: client.get(overview),
            args.repeat,
            warmup=1,
        ),
        measure(
            "GET /dashboard/effecten/?format=csv",
            lambda: client.get(f"{overview}?format=csv"),
            args.repeat,
            warmup=1,
        ),
        measure("GET /dashboard/effecten/<service>/", lambda: client.get(detail), args.repeat),
    ]
    load_after = os.getloadavg()
    print(f"Machine: {machine()}")
    print(f"Load average (1 min) before / after: {load_before[0]:.1f} / {load_after[0]:.1f}")
    print(
        f"Database: {connection.vendor}, {total} measurements, {len(rows)} start/end rows "
        f"fetched, {len(all_effects)} services, {pairs} pairs; {args.repeat} runs per row"
    )
    print(TABLE_HEADER)
    for timing in results:
        print(timing.row(results[0]))


if __name__ == "__main__":
    main()
