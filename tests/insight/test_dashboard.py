"""The dashboard for policy officers: figures, small numbers hidden, filters, CSV, PDF, access."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zlib
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django.urls import include, path, reverse

import pytest
import time_machine

from omzien.accounts.models import User
from omzien.areas.models import District, Municipality, Neighbourhood
from omzien.audit.models import AuditEvent
from omzien.cases import norms
from omzien.cases.models import Case, Consent, Referral, Signal
from omzien.directory.models import ServiceArea
from omzien.insight import dashboard
from omzien.insight.dashboard import Filters, Period
from omzien.insight.models import AreaFigure
from omzien.measurement.models import Measurement, Participant
from omzien.urls import urlpatterns as site_urlpatterns
from tests.factories import ServiceFactory, make_case, tag

# Until the dashboard is included in omzien.urls, these tests mount it themselves.
urlpatterns = [
    path("dashboard/", include("omzien.insight.urls_dashboard")),
    *site_urlpatterns,
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=AMS)
PERSON = "Fictieve Persoon"
REPORTER = "Kapper Knip"
MUNICIPALITY_NAME = "Gemeente Voorbeeldstad"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS)  # type: ignore[misc]


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _municipality_name(settings: Any) -> None:
    settings.OMZIEN_MUNICIPALITY_NAME = MUNICIPALITY_NAME
    settings.OMZIEN_MUNICIPALITY_CODE = "GM0794"
    settings.OMZIEN_HOLIDAYS = []


@pytest.fixture
def areas(db: None) -> dict[str, Any]:
    old = Municipality.objects.create(code="GM0794", name="Voorbeeldstad", year=2022)
    new = Municipality.objects.create(code="GM0794", name="Voorbeeldstad", year=2023)
    # An older classification with a district that no longer exists.
    gone = District.objects.create(
        code="WK079499", name="Opgeheven wijk", year=2022, municipality=old
    )
    centre = District.objects.create(code="WK079401", name="Centrum", year=2023, municipality=new)
    north = District.objects.create(code="WK079402", name="Noord", year=2023, municipality=new)
    return {
        "centre": centre,
        "north": north,
        "gone": gone,
        "bu_centre": Neighbourhood.objects.create(
            code="BU07940101", name="Markt", year=2023, district=centre
        ),
        "bu_north": Neighbourhood.objects.create(
            code="BU07940201", name="Noordhoek", year=2023, district=north
        ),
    }


def _case(organisation: Any, received: dt.datetime, **fields: Any) -> Case:
    report = {
        key: fields.pop(key) for key in ("source", "reporter_kind", "age_group") if key in fields
    }
    case = make_case(organisation, **report)
    attempt = fields.pop("attempt", None)
    Case.objects.filter(pk=case.pk).update(
        received_at=received,
        first_contact_due=norms.first_contact_due(timezone_local(received)),
        first_attempt_at=attempt,
        **fields,
    )
    Signal.objects.filter(case=case).update(received_at=received)
    case.refresh_from_db()
    return case


def timezone_local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(AMS)


@pytest.fixture
def figures(frozen: None, areas: dict[str, Any], welfare_a: Any) -> dict[str, Any]:
    """A small meldpunt, offering and measurements with known figures (see each comment)."""
    centre, north = areas["bu_centre"], areas["bu_north"]
    form = {"source": "form", "reporter_kind": "professional", "age_group": "75+"}
    # March 2025, Centrum, 75+, from the form: 7 cases. Five on Monday 3 March with a first
    # attempt two working days later (within the norm) ...
    march = [
        _case(
            welfare_a,
            local(2025, 3, 3, 9, 0),
            attempt=local(2025, 3, 5, 10, 0),
            neighbourhood=centre,
            **form,
        )
        for _ in range(5)
    ]
    # ... one just after midnight on Saturday 1 March local time (still February in UTC),
    # attempt 8 working days later (late) ...
    march.append(
        _case(
            welfare_a,
            local(2025, 3, 1, 0, 30),
            attempt=local(2025, 3, 12, 10, 0),
            neighbourhood=centre,
            **form,
        )
    )
    # ... and one late on 31 March local time (already April in UTC? no: 21:30 UTC, still
    # March), attempt 7 working days later (late).
    march.append(
        _case(
            welfare_a,
            local(2025, 3, 31, 23, 30),
            attempt=local(2025, 4, 9, 10, 0),
            neighbourhood=centre,
            **form,
        )
    )
    # March 2025, Noord, 65-74, from a partner: 3 cases without an attempt, past the norm.
    partner = [
        _case(
            welfare_a,
            local(2025, 3, 10, 14, 0),
            neighbourhood=north,
            source="partner",
            reporter_kind="partner",
            age_group="65-74",
        )
        for _ in range(3)
    ]
    # April 2025: one case by phone, neighbourhood and age unknown.
    april = _case(
        welfare_a,
        local(2025, 4, 2, 11, 0),
        source="staff",
        reporter_kind="case_worker",
        age_group="",
    )
    # Before the default period (which starts in July 2024): not counted.
    _case(welfare_a, local(2024, 5, 6, 9, 0), neighbourhood=centre, **form)

    # The offering.
    meeting_75 = ServiceFactory(name="Koffie voor 75-plussers")
    tag(meeting_75, "support_kind", "meeting")
    tag(meeting_75, "target_group", "age_75_plus")
    tag(meeting_75, "target_group", "living_alone")
    buddy = ServiceFactory(name="Maatje Noord", scope="district")
    ServiceArea.objects.create(service=buddy, area_code="WK079402")
    tag(buddy, "support_kind", "meeting")
    tag(buddy, "support_kind", "personal_contact")
    tag(buddy, "target_group", "age_75_plus")
    hidden = ServiceFactory(name="Nog niet gepubliceerd", is_published=False)
    tag(hidden, "support_kind", "meeting")
    tag(hidden, "target_group", "age_75_plus")
    gone = ServiceFactory(name="Opgeheven", status="defunct")
    tag(gone, "support_kind", "meeting")
    tag(gone, "target_group", "age_75_plus")
    chores = ServiceFactory(name="Klussendienst")
    tag(chores, "support_kind", "practical")

    # Referrals sent in April 2025 for the March form cases: 6 accepted and completed with
    # "helped" (answered after 2 days), 5 declined (after 1 day), 2 not answered yet.
    consent = Consent.objects.create(case=march[0], method="verbal", scope="Verwijzen (test)")
    sent = local(2025, 4, 14, 10, 0)

    def refer(case: Case, **fields: Any) -> Referral:
        return Referral.objects.create(
            case=case,
            service=meeting_75,
            service_name=meeting_75.name,
            consent=consent,
            sent_at=sent,
            expires_at=sent + dt.timedelta(days=14),
            **fields,
        )

    for i in range(6):
        refer(
            march[i % 5],
            status="completed",
            answered_at=sent + dt.timedelta(days=2),
            outcome="helped",
        )
    for i in range(5):
        refer(march[i], status="declined", answered_at=sent + dt.timedelta(days=1))
    for i in range(2):
        refer(march[i], status="sent")

    # Participants, all registered now except one: 6 in Noord with a start and an end score at
    # the coffee mornings (paired), 2 in Centrum with only a start score at the buddy project,
    # 1 registered and measured before the period.
    def participant(code: str, neighbourhood: Neighbourhood, service: Any) -> Participant:
        return Participant.objects.create(
            organisation=welfare_a,
            code=code,
            service=service,
            neighbourhood=neighbourhood,
            age_group="65-74",
        )

    def measure(who: Participant, moment: str, day: dt.date, total: float) -> None:
        Measurement.objects.create(
            participant=who,
            service=who.service,
            organisation=welfare_a,
            scale="djg11",
            moment=moment,
            mode="staff",
            taken_on=day,
            total=total,
            category="matig_eenzaam",
            complete=True,
        )

    for i in range(6):
        who = participant(f"N{i}", north, meeting_75)
        measure(who, "start", dt.date(2025, 1, 10), 7)
        measure(who, "end", dt.date(2025, 4, 10), 4)
    for i in range(2):
        measure(participant(f"C{i}", centre, buddy), "start", dt.date(2025, 2, 1), 6)
    old = participant("OLD", centre, buddy)
    Participant.objects.filter(pk=old.pk).update(created_at=local(2023, 1, 1, 9, 0))
    measure(old, "start", dt.date(2023, 1, 1), 6)

    # Neighbourhood figures of the health monitor.
    for code, level, value in (
        ("GM0794", "municipality", 44.3),
        ("WK079401", "district", 41.0),
    ):
        AreaFigure.objects.create(
            source="rivm_50120",
            indicator="lonely",
            area_code=code,
            area_level=level,
            area_year=2022,
            period=2022,
            value=value,
            unit="percent",
        )
    return {
        "march": march,
        "partner": partner,
        "april": april,
        "services": [meeting_75, buddy, hidden, gone, chores],
    }


def default_filters(**kwargs: Any) -> Filters:
    return Filters(Period.default(), **kwargs)


def table(sections: list[dashboard.Section], key: str) -> dashboard.Table:
    for section in sections:
        for found in section.tables:
            if found.key == key:
                return found
    raise AssertionError(f"no table {key}")


def cells(found: dashboard.Table, label: str) -> list[str]:
    for row in found.rows:
        if row.label == label:
            return [cell.text for cell in row.cells]
    raise AssertionError(f"no row {label} in {[r.label for r in found.rows]}")


# --- the raw aggregates --------------------------------------------------------------------------


def test_the_default_period_is_the_last_twelve_whole_months(frozen: None) -> None:
    period = Period.default()
    assert (period.first, period.last) == (dt.date(2024, 7, 1), dt.date(2025, 6, 1))
    assert len(period.months) == 12
    assert period.start == local(2024, 7, 1, 0, 0)
    assert period.end == local(2025, 7, 1, 0, 0)


def test_signals_are_counted_per_local_month_and_source(figures: dict[str, Any]) -> None:
    counts = dashboard.signal_counts(default_filters())
    march = Period.default().month_index(dt.date(2025, 3, 1))
    assert counts.by_month == {(march, "form"): 7, (march, "partner"): 3, (march + 1, "staff"): 1}
    assert counts.by_kind == {
        ("professional", "form"): 7,
        ("partner", "partner"): 3,
        ("case_worker", "staff"): 1,
    }


def test_first_contact_counts_working_days_and_the_norm(figures: dict[str, Any]) -> None:
    months = dashboard.first_contact(default_filters())
    march = months[Period.default().month_index(dt.date(2025, 3, 1))]
    assert (march.received, march.attempted) == (10, 7)
    # 1 March (Saturday) to 12 March is 8 working days; 31 March to 9 April is 7.
    assert march.days == {2: 5, 8: 1, 7: 1}
    assert (march.within, march.late) == (5, 5)
    assert dashboard.weighted_median(march.days.items()) == 2
    april = months[Period.default().month_index(dt.date(2025, 4, 1))]
    assert (april.received, april.attempted, april.within, april.late) == (1, 0, 0, 1)


def test_first_contact_counts_local_days_across_the_daylight_saving_changes(
    areas: dict[str, Any], welfare_a: Any
) -> None:
    # Summer time starts on Sunday 29 March 2026 and ends on Sunday 25 October 2026. Each case
    # lands on another local day (or month) when the offset of the other season is used.
    with time_machine.travel(dt.datetime(2026, 12, 15, 12, 0, tzinfo=AMS), tick=False):
        # Saturday 23:30 winter time to Monday 00:30 summer time: one working day (a fixed
        # winter offset puts the contact on Sunday: none).
        _case(welfare_a, local(2026, 3, 28, 23, 30), attempt=local(2026, 3, 30, 0, 30))
        # Just after midnight on 1 April, summer time: April, contact the same day (winter
        # time puts it on Tuesday 31 March).
        _case(welfare_a, local(2026, 4, 1, 0, 30), attempt=local(2026, 4, 1, 9, 0))
        # Saturday 31 October 23:30 winter time: October, one working day to Monday (summer
        # time puts it on 1 November).
        _case(welfare_a, local(2026, 10, 31, 23, 30), attempt=local(2026, 11, 2, 9, 0))
        # Monday 26 October 23:30 winter time to Wednesday: two working days (summer time
        # puts it on Tuesday: one).
        _case(welfare_a, local(2026, 10, 26, 23, 30), attempt=local(2026, 10, 28, 9, 0))
        period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 1))
        months = dashboard.first_contact(Filters(period))

    def month(number: int) -> tuple[int, dict[int, int]]:
        figure = months[period.month_index(dt.date(2026, number, 1))]
        return figure.received, figure.days

    assert month(3) == (1, {1: 1})
    assert month(4) == (1, {0: 1})
    assert month(10) == (2, {1: 1, 2: 1})
    assert month(11) == (0, {})
    assert sum(figure.received for figure in months) == 4


def test_referrals_are_counted_with_acceptance_and_answer_time(figures: dict[str, Any]) -> None:
    counts = dashboard.referral_counts(default_filters())
    assert counts.sent == 13
    assert counts.by_status == {"completed": 6, "declined": 5, "sent": 2}
    assert counts.by_outcome == {"helped": 6}
    assert (counts.answered, counts.accepted) == (11, 6)
    assert counts.answer_days == {2.0: 6, 1.0: 5}


def test_the_offering_counts_visible_services_per_support_kind_and_target_group(
    figures: dict[str, Any],
) -> None:
    counts = dashboard.offering_counts(default_filters())
    assert counts.cells[("meeting", "age_75_plus")] == 2
    assert counts.cells[("meeting", "living_alone")] == 1
    assert counts.cells[("personal_contact", "age_75_plus")] == 1
    assert ("practical", "age_75_plus") not in counts.cells
    assert counts.per_kind == {"meeting": 2, "personal_contact": 1, "practical": 1}
    assert counts.per_group == {"age_75_plus": 2, "living_alone": 1}
    assert counts.total == 3


def test_the_offering_in_a_district_keeps_municipal_services_and_its_own(
    figures: dict[str, Any], areas: dict[str, Any]
) -> None:
    centre = dashboard.offering_counts(default_filters(district=areas["centre"]))
    assert centre.cells[("meeting", "age_75_plus")] == 1  # the district service is in Noord
    north = dashboard.offering_counts(default_filters(district=areas["north"]))
    assert north.cells[("meeting", "age_75_plus")] == 2


def test_the_offering_for_one_target_group(figures: dict[str, Any]) -> None:
    counts = dashboard.offering_counts(default_filters(target_group="living_alone"))
    assert [code for code, _name in counts.target_groups] == ["living_alone"]
    assert counts.per_kind == {"meeting": 1}
    assert counts.total == 1


def test_reach_counts_cases_and_new_participants_per_district(
    figures: dict[str, Any],
) -> None:
    result = dashboard.reach(default_filters(), dashboard.area_map())
    assert result.cases == {"WK079401": 7, "WK079402": 3, "": 1}
    assert result.participants == {"WK079402": 6, "WK079401": 2}


def test_pairs_count_participants_with_a_start_and_an_end_score(figures: dict[str, Any]) -> None:
    counts = dashboard.pair_counts(default_filters())
    meeting_75 = figures["services"][0]
    assert counts.by_scale == {"djg11": {meeting_75.pk: 6}}


def test_the_report_lists_what_works_per_intervention_from_the_effects_module(
    figures: dict[str, Any],
) -> None:
    found = dashboard.what_works_table(default_filters())
    assert found is not None
    assert cells(found, "Koffie voor 75-plussers") == ["5", "-3,0", "—"]
    assert [row.label for row in found.rows] == ["Koffie voor 75-plussers"]
    # The buddy project's two participants have no end score: no figures, only a note.
    assert "1 aanbod heeft minder dan 5 deelnemers met een voor- en nameting" in " ".join(
        found.notes
    )
    (section,) = dashboard.build_sections(default_filters(), only=["effecten"])
    assert [t.key for t in section.tables] == ["effecten"]  # the page leaves it out
    (section,) = dashboard.build_sections(
        default_filters(), only=["effecten"], detailed_effects=True
    )
    assert [t.key for t in section.tables] == ["effecten", "wat-werkt"]


def test_filters_by_district_age_and_period(figures: dict[str, Any], areas: dict[str, Any]) -> None:
    march = Period.default().month_index(dt.date(2025, 3, 1))
    by_district = dashboard.signal_counts(default_filters(district=areas["centre"]))
    assert by_district.by_month == {(march, "form"): 7}
    by_age = dashboard.signal_counts(default_filters(age_group="65-74"))
    assert by_age.by_month == {(march, "partner"): 3}
    unknown_age = dashboard.signal_counts(default_filters(age_group=""))
    assert unknown_age.by_month == {(march + 1, "staff"): 1}
    april_only = Filters(Period(dt.date(2025, 4, 1), dt.date(2025, 4, 1)))
    assert dashboard.signal_counts(april_only).by_month == {(0, "staff"): 1}
    assert dashboard.referral_counts(default_filters(district=areas["north"])).sent == 0
    assert dashboard.reach(
        default_filters(district=areas["north"]), dashboard.area_map()
    ).participants == {"WK079402": 6}


# --- protection of small numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ([(1, 1), (2, 1), (3, 1), (10, 1)], 2.5),  # even: the mean of the middle two
        ([(10, 1), (3, 1), (1, 1), (2, 1)], 2.5),  # in any order
        ([(1, 2), (3, 2)], 2.0),  # the middle two fall in different weighted values
        ([(1, 1), (4, 2), (9, 1)], 4.0),  # the middle two fall in one weighted value
        ([(1, 1), (2, 1), (3, 1), (10, 1), (11, 1)], 3.0),  # odd: the middle one
        ([(2, 5), (7, 1), (8, 1)], 2.0),
        ([(5, 0), (6, 1)], 6.0),  # a value seen no times does not count
        ([], None),
    ],
)
def test_the_weighted_median_takes_the_middle_value_or_the_mean_of_the_middle_two(
    counts: list[tuple[float, int]], median: float | None
) -> None:
    assert dashboard.weighted_median(counts) == median


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0"), (1, "<5"), (3, "<5"), (4, "<5"), (5, "5"), (7, "5"), (8, "10"), (1234, "1.235")],
)
def test_counts_of_people_are_hidden_below_five_and_rounded_to_fives(count: int, text: str) -> None:
    assert dashboard.count_cell(count).text == text


def test_a_hidden_cell_cannot_be_recovered_from_the_total() -> None:
    # 3 + 10 = 13: the total is shown as 15 and the 10 as 10, so 15 - 10 = 5 is not the 3.
    hidden, other, total = (dashboard.count_cell(n) for n in (3, 10, 13))
    assert (hidden.text, other.text, total.text) == ("<5", "10", "15")
    assert hidden.value is None


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [(5, 10, "50%"), (6, 11, "55%"), (3, 20, "—"), (18, 20, "—"), (4, 8, "—"), (0, 12, "0%")],
)
def test_percentages_need_enough_people_on_both_sides(
    numerator: int, denominator: int, text: str
) -> None:
    assert dashboard.share_cell(numerator, denominator).text == text


def test_the_tables_show_protected_figures(figures: dict[str, Any]) -> None:
    sections = dashboard.build_sections(default_filters())
    per_month = table(sections, "meldingen-per-maand")
    assert cells(per_month, "Mrt 2025") == ["5", "<5", "0", "10"]
    assert cells(per_month, "Apr 2025") == ["0", "0", "<5", "<5"]
    assert cells(per_month, "Hele periode") == ["5", "<5", "<5", "10"]
    first_contact = table(sections, "eerste-contact")
    assert cells(first_contact, "Mrt 2025") == ["10", "5", "2,0", "50%"]
    assert cells(first_contact, "Apr 2025") == ["<5", "0", "—", "—"]
    summary = table(sections, "verwijzingen-samenvatting")
    assert [row.cells[0].text for row in summary.rows] == ["15", "10", "55%", "2,0"]
    status = table(sections, "verwijzingen-status")
    assert cells(status, "Afgewezen") == ["5"]
    assert cells(status, "Verstuurd") == ["<5"]
    offering = table(sections, "aanbod")
    assert offering.columns[-1] == "Totaal"
    assert cells(offering, "Ontmoeting")[-1] == "2"  # services: exact, not hidden
    reach = table(sections, "bereik")
    assert cells(reach, "Centrum") == ["5", "<5"]
    assert cells(reach, "Noord") == ["<5", "5"]
    assert cells(reach, "Wijk onbekend") == ["<5", "0"]
    assert "Opgeheven wijk" not in reach.labels()
    effects = table(sections, "effecten")
    assert cells(effects, "De Jong Gierveld, 11 vragen") == ["1", "1", "5"]
    areas = table(sections, "wijkcijfers")
    assert cells(areas, "Eenzaam (score 3 of hoger), 18 jaar en ouder") == ["44,3%"]


def test_the_signups_section_says_it_waits_for_the_calendar(figures: dict[str, Any]) -> None:
    (section,) = dashboard.build_sections(default_filters(), only=["aanmeldingen"])
    assert section.tables == []
    assert "komen zodra de buurtagenda er is" in section.note


# --- the page ------------------------------------------------------------------------------------


HOME = "/dashboard/"


def personal_traces(figures: dict[str, Any]) -> list[str]:
    """Strings that would point at a person: names, contact details, texts, case links."""
    traces = [PERSON, REPORTER, "kapper@example.org", "0612345678", "Voorbeeldstraat", "5701AA"]
    traces.append("lijkt somber")
    for case in [*figures["march"], *figures["partner"], figures["april"]]:
        traces.append(reverse("cases:detail", args=[case.pk]))
        traces.append(f"casus {case.pk}")
        traces.append(f"Casus {case.pk}")
        traces += list(Signal.objects.filter(case=case).values_list("receipt", flat=True))
    return traces


def test_a_policy_officer_sees_the_dashboard(
    client: Any, policy_officer: User, figures: dict[str, Any]
) -> None:
    client.force_login(policy_officer)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Meldingen", "Tijd tot eerste contact", "Verwijzingen", "Aanbod", "Bereik"):
        assert f">{title}</h2>" in html
    assert "komen zodra de buurtagenda er is" in html
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "<caption" in html
    assert "&lt;5" in html
    assert "/dashboard/effecten/" in html
    assert "/dashboard/wijken/" in html or reverse_or_none("areas_overview") in html
    for trace in personal_traces(figures):
        assert trace not in html, trace


def reverse_or_none(name: str) -> str:
    try:
        return reverse(name)
    except Exception:  # noqa: BLE001 - the other page may not be installed in this tree
        return "/dashboard/wijken/"


@pytest.mark.parametrize(
    "person",
    [
        "administrator",
        "coordinator_a",
        "case_worker_a",
        "case_worker_b",
        "provider_editor",
        "outsider",
    ],
)
@pytest.mark.parametrize(
    "url", [HOME, "/dashboard/download/bereik.csv", "/dashboard/raadsrapportage.pdf"]
)
def test_everyone_else_is_refused(
    client: Any, request: pytest.FixtureRequest, person: str, url: str, areas: dict[str, Any]
) -> None:
    client.force_login(request.getfixturevalue(person))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url", [HOME, "/dashboard/download/bereik.csv", "/dashboard/raadsrapportage.pdf"]
)
def test_anonymous_visitors_go_to_the_login_page(client: Any, url: str, db: None) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_district_filter_lists_the_newest_districts_and_filters(
    client: Any, policy_officer: User, figures: dict[str, Any]
) -> None:
    client.force_login(policy_officer)
    html = client.get(HOME).content.decode()
    assert '<option value="WK079401">Centrum</option>' in html
    assert "Opgeheven wijk" not in html
    response = client.get(HOME, {"wijk": "WK079402"})
    sections = [section for section, _charts in response.context["sections"]]
    assert cells(table(sections, "meldingen-per-maand"), "Mrt 2025") == ["0", "<5", "0", "<5"]
    assert cells(table(sections, "bereik"), "Noord") == ["<5", "5"]
    assert [row.label for row in table(sections, "bereik").rows] == ["Noord", "Totaal"]


def test_the_period_filter(client: Any, policy_officer: User, figures: dict[str, Any]) -> None:
    client.force_login(policy_officer)
    response = client.get(HOME, {"van": "2025-04", "tot": "2025-05"})
    sections = [section for section, _charts in response.context["sections"]]
    per_month = table(sections, "meldingen-per-maand")
    assert per_month.labels() == ["Apr 2025", "Mei 2025"]
    assert cells(per_month, "Hele periode") == ["0", "0", "<5", "<5"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"van": "morgen"}, "Vul een maand in als jaar en maand"),
        ({"van": "2025-13"}, "Vul een maand in als jaar en maand"),
        ({"van": "1800-01"}, "Deze maand ligt te ver terug"),
        ({"tot": "2099-01"}, "Deze maand ligt in de toekomst"),
        ({"van": "2025-05", "tot": "2025-01"}, "Draai ze om"),
        ({"van": "2020-01", "tot": "2025-01"}, "hoogstens 36 maanden"),
        ({"wijk": "WK999999"}, "Kies een wijk uit de lijst"),
        ({"leeftijd": "120+"}, "Kies een leeftijd uit de lijst"),
        ({"doelgroep": "<script>"}, "Kies een doelgroep uit de lijst"),
        ({"van": "9" * 5000}, "Vul een maand in"),
    ],
)
def test_bad_filters_give_a_message_and_the_default(
    client: Any, policy_officer: User, figures: dict[str, Any], query: dict[str, str], message: str
) -> None:
    client.force_login(policy_officer)
    response = client.get(HOME, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html or message.replace("'", "&#x27;") in html
    filters = response.context["filters"]
    if {"van", "tot"} & set(query):
        assert filters.period == Period.default()
        assert "laatste 12 maanden" in html
    assert filters.district is None
    assert "<script>" not in html.split("<main", 1)[1]


# --- CSV -----------------------------------------------------------------------------------------


def test_every_table_downloads_as_csv_for_dutch_excel(
    client: Any, policy_officer: User, figures: dict[str, Any]
) -> None:
    client.force_login(policy_officer)
    html = client.get(HOME).content.decode()
    links = sorted(set(re.findall(r'href="(/dashboard/download/[a-z-]+\.csv\?[^"]*)"', html)))
    keys = {re.search(r"download/([a-z-]+)\.csv", link).group(1) for link in links}  # type: ignore[union-attr]
    assert keys == set(dashboard.TABLE_SECTIONS)
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="omzien-')
        assert response.content.startswith("\ufeff".encode())
        text = response.content.decode("utf-8-sig")
        for trace in personal_traces(figures):
            assert trace not in text, (link, trace)


def test_the_csv_has_the_protected_figures(
    client: Any, policy_officer: User, figures: dict[str, Any]
) -> None:
    client.force_login(policy_officer)
    response = client.get("/dashboard/download/meldingen-per-maand.csv")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Maand;Meldformulier;Signaleringsnetwerk;Telefoon of balie;Totaal"
    assert "Mrt 2025;5;<5;0;10" in lines
    assert "Hele periode;5;<5;<5;10" in lines
    assert any("'<5'" in line for line in lines)  # the rule, below the table
    first_contact = client.get("/dashboard/download/eerste-contact.csv")
    assert "Mrt 2025;10;5;2,0;50%" in first_contact.content.decode("utf-8-sig")
    event = AuditEvent.objects.filter(action="dashboard.export").latest("pk")
    assert event.details["format"] == "csv"
    assert event.details["table"] == "eerste-contact"
    assert event.actor == policy_officer


def test_the_csv_follows_the_filters_and_refuses_unknown_tables(
    client: Any, policy_officer: User, figures: dict[str, Any]
) -> None:
    client.force_login(policy_officer)
    response = client.get("/dashboard/download/bereik.csv", {"wijk": "WK079401"})
    text = response.content.decode("utf-8-sig")
    assert "Centrum;5;<5" in text
    assert "Noord;" not in text
    assert client.get("/dashboard/download/onbekend.csv").status_code == 404


# --- the council report --------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF made by fpdf2 with its core fonts (Latin-1 strings)."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        data = match.group(1)
        with contextlib.suppress(zlib.error):
            data = zlib.decompress(data)
        chunks.append(data)
    raw = b"\n".join(chunks)
    strings = re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", raw, re.S)
    text = b" ".join(strings).replace(rb"\(", b"(").replace(rb"\)", b")").replace(rb"\\", b"\\")
    return text.decode("latin-1")


def test_the_council_report_is_a_pdf_with_the_same_figures(
    client: Any, policy_officer: User, figures: dict[str, Any]
) -> None:
    client.force_login(policy_officer)
    response = client.get("/dashboard/raadsrapportage.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="raadsrapportage-')
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert MUNICIPALITY_NAME in text
    assert "Raadsrapportage eenzaamheid" in text
    assert "juli 2024 tot en met juni 2025" in text
    assert "<5" in text
    assert "Over deze cijfers" in text
    assert "komen zodra de buurtagenda er is" in text
    assert "zonder vergelijkingsgroep" in text
    assert "Koffie voor 75-plussers" in text  # what works per intervention
    for trace in personal_traces(figures):
        assert trace not in text, trace
        assert trace.encode() not in response.content, trace
    assert AuditEvent.objects.filter(action="dashboard.export", details__format="pdf").exists()


def test_the_council_report_follows_the_filters(
    client: Any, policy_officer: User, figures: dict[str, Any]
) -> None:
    client.force_login(policy_officer)
    response = client.get("/dashboard/raadsrapportage.pdf", {"wijk": "WK079402", "van": "2025-03"})
    text = pdf_text(response.content)
    assert "Noord" in text
    assert "maart 2025 tot en met februari 2026" not in text  # never past this month
    assert "maart 2025 tot en met juni 2025" in text


def test_the_report_writes_characters_outside_latin1_plainly(settings: Any, db: None) -> None:
    from omzien.insight.report import latin1

    assert latin1("€ 12 – “samen” … café") == 'EUR 12 - "samen" ... café'
