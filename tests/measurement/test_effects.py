"""What works per intervention: pairing, the figures per service, the pages and who sees them.

Rules under test (see omzien/measurement/effects.py and views_effects.py):
- pairing: per service and participant the earliest complete first measurement and the latest
  complete second one; incomplete, other-scale and service-less measurements never count;
- the figures are exactly statistics.paired_effects on those pairs;
- fewer than 5 pairs: no figures anywhere (page, detail, CSV);
- policy officers see every intervention; people who record measurements (provider editors,
  case workers) see the effects of their own organisation's measurements only; others 403;
  anonymous visitors the login page;
- never a participant code on a page or in the CSV; only stories that may be published.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path
from django.utils import timezone
from django.utils.formats import number_format

import pytest

from omzien import urls as root_urls
from omzien.accounts.models import Organisation, User
from omzien.audit.models import AuditEvent
from omzien.directory.models import Service
from omzien.measurement import effects as fx
from omzien.measurement.models import Measurement, Participant, Story, StoryAuthor
from omzien.measurement.statistics import paired_effects
from tests.factories import DirectoryOrganizationFactory, ServiceFactory

# Until the routes are part of the project's URLconf, mount them here the way the lead will.
urlpatterns = [
    path("dashboard/effecten/", include("omzien.measurement.urls_effects")),
    *root_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

OVERVIEW = "/dashboard/effecten/"
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=200)
END = TODAY - dt.timedelta(days=100)
FOLLOW = TODAY - dt.timedelta(days=20)
END_PAIR = ("start", "end")


# --- helpers --------------------------------------------------------------------------------------

_codes = iter(range(1, 1_000_000))


def service_of(owner: Organisation | None, name: str) -> Service:
    organization = DirectoryOrganizationFactory(name=f"Stichting {name}", owner=owner)
    return ServiceFactory(organization=organization, name=name)


def participant(organisation: Organisation, service: Service | None) -> Participant:
    return Participant.objects.create(
        organisation=organisation, code=f"ZQX-{next(_codes):05d}", service=service
    )


def measure(
    person: Participant,
    moment: str,
    total: float | None,
    taken_on: dt.date,
    *,
    scale: str = "djg11",
    complete: bool = True,
    service: Service | None | str = "same",
) -> Measurement:
    return Measurement.objects.create(
        participant=person,
        service=person.service if service == "same" else service,
        organisation=person.organisation,
        scale=scale,
        moment=moment,
        mode="staff",
        taken_on=taken_on,
        total=total,
        complete=complete,
    )


def cohort(
    organisation: Organisation,
    service: Service,
    pairs: Sequence[tuple[float, float | None]],
    *,
    scale: str = "djg11",
    second: str = "end",
    start: dt.date = START,
) -> list[Participant]:
    """One participant per pair: a start score and (unless None) a second score."""
    people = []
    for before, after in pairs:
        person = participant(organisation, service)
        measure(person, "start", before, start, scale=scale)
        if after is not None:
            measure(person, second, after, FOLLOW if second == "follow_up" else END, scale=scale)
        people.append(person)
    return people


def random_pairs(n: int, seed: int, change: float = -1.5) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        before = float(rng.randint(2, 11))
        after = float(min(11, max(0, round(before + change + rng.gauss(0, 1.7)))))
        pairs.append((before, after))
    return pairs


def effect_for(effects: list[fx.InterventionEffect], service: Service) -> fx.InterventionEffect:
    return next(e for e in effects if e.service_id == service.pk)


def get(client: Client, user: User | None, url: str):  # type: ignore[no-untyped-def]
    if user is not None:
        client.force_login(user)
    return client.get(url)


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


# --- pairing --------------------------------------------------------------------------------------


def test_pairs_the_earliest_start_with_the_latest_end(provider_org: Organisation) -> None:
    service = service_of(provider_org, "Koffieochtend")
    person = participant(provider_org, service)
    measure(person, "start", 9, START + dt.timedelta(days=5))
    measure(person, "start", 8, START)  # earliest start: this one
    measure(person, "end", 6, END)
    measure(person, "end", 2, END + dt.timedelta(days=10))  # latest end: this one
    measure(person, "end", 7, END - dt.timedelta(days=10))

    pairs = fx.pair_scores(fx.measurement_rows("djg11", END_PAIR), END_PAIR)

    assert pairs == {service.pk: ([8.0], [2.0])}


def test_on_the_same_day_the_order_of_recording_decides(provider_org: Organisation) -> None:
    service = service_of(provider_org, "Koffieochtend")
    person = participant(provider_org, service)
    measure(person, "start", 7, START)
    measure(person, "start", 10, START)  # recorded later: not the first start
    measure(person, "end", 4, END)
    measure(person, "end", 3, END)  # recorded later: the last end

    assert fx.pair_scores(fx.measurement_rows("djg11", END_PAIR), END_PAIR) == {
        service.pk: ([7.0], [3.0])
    }


def test_only_complete_measurements_on_the_chosen_scale_with_a_service_count(
    provider_org: Organisation,
) -> None:
    service = service_of(provider_org, "Koffieochtend")
    person = participant(provider_org, service)
    measure(person, "start", 4, START - dt.timedelta(days=30), complete=False)  # one item missing
    measure(person, "start", 9, START)
    measure(person, "end", 1, END + dt.timedelta(days=5), complete=False)
    measure(person, "end", 5, END + dt.timedelta(days=6), scale="djg6")
    measure(person, "end", 0, END + dt.timedelta(days=7), service=None)
    measure(person, "end", 6, END)
    measure(person, "follow_up", 2, FOLLOW)  # another moment: not part of start -> end

    assert fx.pair_scores(fx.measurement_rows("djg11", END_PAIR), END_PAIR) == {
        service.pk: ([9.0], [6.0])
    }


def test_a_participant_without_usable_end_counts_as_dropped_and_one_without_start_not_at_all(
    provider_org: Organisation,
) -> None:
    service = service_of(provider_org, "Koffieochtend")
    cohort(provider_org, service, random_pairs(6, seed=1))
    dropped = participant(provider_org, service)
    measure(dropped, "start", 8, START)
    wrong_date = participant(provider_org, service)  # end dated before the start: no pair
    measure(wrong_date, "start", 8, START)
    measure(wrong_date, "end", 2, START - dt.timedelta(days=1))
    only_end = participant(provider_org, service)
    measure(only_end, "end", 1, END)

    effect = effect_for(fx.intervention_effects("djg11"), service)

    assert effect.summary.n == 6
    assert effect.summary.n_dropped == 2
    assert effect.started == 8


def test_each_service_is_paired_on_its_own(provider_org: Organisation) -> None:
    first = service_of(provider_org, "Koffieochtend")
    second = service_of(provider_org, "Wandelclub")
    person = participant(provider_org, first)
    measure(person, "start", 8, START)
    measure(person, "end", 5, END)
    # The same participant later measured in another intervention (the measurement's service).
    measure(person, "start", 7, END, service=second)
    measure(person, "end", 3, FOLLOW, service=second)

    pairs = fx.pair_scores(fx.measurement_rows("djg11", END_PAIR), END_PAIR)

    assert pairs == {first.pk: ([8.0], [5.0]), second.pk: ([7.0], [3.0])}


def test_a_start_in_one_service_and_an_end_in_another_is_no_pair(
    provider_org: Organisation,
) -> None:
    first = service_of(provider_org, "Koffieochtend")
    second = service_of(provider_org, "Wandelclub")
    person = participant(provider_org, first)
    measure(person, "start", 8, START)
    measure(person, "end", 2, END, service=second)

    pairs = fx.pair_scores(fx.measurement_rows("djg11", END_PAIR), END_PAIR)

    assert list(pairs) == [first.pk]
    assert pairs[first.pk][0] == [8.0] and math.isnan(pairs[first.pk][1][0])


def test_a_period_selects_the_participants_who_started_in_it(provider_org: Organisation) -> None:
    service = service_of(provider_org, "Koffieochtend")
    period = fx.Period(START - dt.timedelta(days=10), START + dt.timedelta(days=10))
    inside = participant(provider_org, service)
    measure(inside, "start", 9, START)
    measure(inside, "end", 4, END)  # after the period: still counts
    earlier = participant(provider_org, service)  # first started before the period
    measure(earlier, "start", 10, period.first - dt.timedelta(days=1))
    measure(earlier, "start", 8, START)
    measure(earlier, "end", 1, END)
    later = participant(provider_org, service)
    measure(later, "start", 7, period.last + dt.timedelta(days=1))
    measure(later, "end", 2, END)

    rows = fx.measurement_rows("djg11", END_PAIR, period)

    assert fx.pair_scores(rows, END_PAIR, period) == {service.pk: ([9.0], [4.0])}


def test_only_the_given_organisations_measurements_count(
    provider_org: Organisation, welfare_a: Organisation
) -> None:
    ours = service_of(provider_org, "Koffieochtend")
    theirs = service_of(welfare_a, "Maatjes")
    cohort(provider_org, ours, random_pairs(5, seed=2))
    cohort(welfare_a, theirs, random_pairs(5, seed=3))

    scoped = fx.intervention_effects("djg11", organisation_ids={provider_org.pk})

    assert [e.service_id for e in scoped] == [ours.pk]
    assert fx.intervention_effects("djg11", organisation_ids=set()) == []
    assert len(fx.intervention_effects("djg11")) == 2


def test_all_services_take_two_queries(
    provider_org: Organisation, django_assert_num_queries: Any
) -> None:
    for number in range(6):
        cohort(provider_org, service_of(provider_org, f"Activiteit {number}"), random_pairs(5, 9))
    with django_assert_num_queries(2):  # the measurements, then the services' names
        effects = fx.intervention_effects("djg11")
    assert len(effects) == 6


# --- the figures ----------------------------------------------------------------------------------


def assert_same(actual, expected) -> None:  # type: ignore[no-untyped-def]
    assert actual.n == expected.n and actual.n_dropped == expected.n_dropped
    assert actual.enough_data == expected.enough_data
    assert actual.mean_before == pytest.approx(expected.mean_before)
    assert actual.mean_after == pytest.approx(expected.mean_after)
    assert actual.change == expected.change
    assert actual.counts == expected.counts
    assert actual.wilcoxon == expected.wilcoxon
    assert actual.t_test == expected.t_test
    assert actual.effect_size == expected.effect_size
    assert actual.lonely == expected.lonely
    assert actual.reliable_change.improved == expected.reliable_change.improved
    assert actual.reliable_change.worse == expected.reliable_change.worse
    assert actual.reliable_change.s_diff == pytest.approx(expected.reliable_change.s_diff)


def test_the_figures_are_paired_effects_on_the_same_pairs(
    provider_org: Organisation, welfare_a: Organisation
) -> None:
    helps = service_of(provider_org, "Koffieochtend")
    same = service_of(welfare_a, "Belcirkel")
    helps_pairs = random_pairs(23, seed=11, change=-2.0)
    same_pairs = random_pairs(14, seed=12, change=0.0)
    cohort(provider_org, helps, helps_pairs)
    cohort(welfare_a, same, same_pairs)

    found = fx.intervention_effects("djg11", ("start", "end"))

    assert [e.service_name for e in found] == ["Belcirkel", "Koffieochtend"]
    for service, pairs in ((helps, helps_pairs), (same, same_pairs)):
        expected = paired_effects(
            [b for b, _ in pairs],
            [a for _, a in pairs],
            lonely_cutoff=3,
            reliability=0.8,
            sd_reference=3.0,
        )
        assert_same(effect_for(found, service).summary, expected)
    assert effect_for(found, helps).summary.change.mean < -1  # a real, different result
    assert effect_for(found, helps).provider_name == "Stichting Koffieochtend"


def test_the_follow_up_comparison_pairs_start_with_follow_up(provider_org: Organisation) -> None:
    service = service_of(provider_org, "Koffieochtend")
    pairs = random_pairs(7, seed=4)
    people = cohort(provider_org, service, pairs, second="follow_up")
    for person in people:  # end measurements must not be used
        measure(person, "end", 11, END)

    effect = fx.intervention_effects("djg11", ("start", "follow_up"))[0]

    expected = paired_effects(
        [b for b, _ in pairs],
        [a for _, a in pairs],
        lonely_cutoff=3,
        reliability=0.8,
        sd_reference=3.0,
    )
    assert_same(effect.summary, expected)


def test_each_scale_uses_its_own_cut_off_and_ucla_has_none(provider_org: Organisation) -> None:
    service = service_of(provider_org, "Koffieochtend")
    cohort(provider_org, service, [(2, 1), (2, 2), (3, 1), (4, 2), (1, 1)], scale="djg6")
    cohort(provider_org, service, [(7, 5), (6, 6), (8, 4), (9, 7), (5, 5)], scale="ucla3")

    djg6 = fx.intervention_effects("djg6")[0]
    ucla3 = fx.intervention_effects("ucla3")[0]

    assert fx.lonely_cutoff("djg11") == 3 and fx.lonely_cutoff("djg6") == 2
    assert fx.lonely_cutoff("ucla3") is None
    assert djg6.summary.lonely is not None
    assert (djg6.summary.lonely.lonely_before, djg6.summary.lonely.lonely_after) == (4, 2)
    assert ucla3.summary.enough_data and ucla3.summary.lonely is None
    assert not ucla3.has_lonely_rule
    # No reference SD for these scales: the group's own SD, with the note that says so.
    assert not djg6.summary.reliable_change.sd_from_reference


def test_fewer_than_five_pairs_give_no_figures(provider_org: Organisation) -> None:
    service = service_of(provider_org, "Koffieochtend")
    cohort(provider_org, service, [(9, 2), (8, 1), (10, 3), (7, 2), (6, None), (9, None)])

    summary = fx.intervention_effects("djg11")[0].summary

    assert summary.n == 4 and not summary.enough_data
    assert summary.change is None and summary.wilcoxon is None and summary.lonely is None
    assert "Te weinig deelnemers" in (summary.reason or "")


def test_the_rci_settings_can_be_changed() -> None:
    assert fx.scale_rules("djg11").reliability == 0.8
    assert fx.scale_rules("djg11").sd_reference == 3.0
    with override_settings(OMZIEN_RCI_RELIABILITY={"djg11": 0.9}, OMZIEN_RCI_SD={"djg11": None}):
        rules = fx.scale_rules("djg11")
        assert (rules.reliability, rules.sd_reference) == (0.9, None)
    with override_settings(OMZIEN_RCI_SD={"djg6": 2.5}):
        assert fx.scale_rules("djg6").sd_reference == 2.5


@pytest.mark.parametrize(
    ("setting", "scale"),
    [
        ({"OMZIEN_RCI_RELIABILITY": {"djg11": 1.0}}, "djg11"),
        ({"OMZIEN_RCI_RELIABILITY": {"djg11": "0.8"}}, "djg11"),
        ({"OMZIEN_RCI_SD": {"djg6": -1}}, "djg6"),
        ({"OMZIEN_RCI_SD": {"unknown": 3}}, "djg11"),
        ({"OMZIEN_RCI_SD": 3.0}, "djg11"),
    ],
)
def test_wrong_rci_settings_are_refused(setting: dict[str, Any], scale: str) -> None:
    with override_settings(**setting), pytest.raises(ImproperlyConfigured):
        fx.scale_rules(scale)


def test_scales_without_a_total_and_unknown_comparisons_are_refused() -> None:
    with pytest.raises(ValueError):
        fx.intervention_effects("direct")
    with pytest.raises(ValueError):
        fx.intervention_effects("djg11", ("end", "start"))


# --- pages: who sees what -------------------------------------------------------------------------


@pytest.fixture
def world(provider_org: Organisation, welfare_a: Organisation) -> dict[str, Service]:
    """The provider's service with figures, one suppressed, and a welfare organisation's one."""
    own = service_of(provider_org, "Koffieochtend Samen")
    small = service_of(provider_org, "Kleine Kring")
    other = service_of(welfare_a, "Maatjes Welzijn")
    cohort(provider_org, own, random_pairs(12, seed=21, change=-2.0))
    cohort(provider_org, small, [(9, 2), (8, 1), (10, 3), (7, 2)])
    cohort(welfare_a, other, random_pairs(8, seed=22))
    return {"own": own, "small": small, "other": other}


def detail_url(service: Service) -> str:
    return f"{OVERVIEW}{service.pk}/"


def test_a_policy_officer_sees_every_intervention(
    client: Client, policy_officer: User, world: dict[str, Service]
) -> None:
    response = get(client, policy_officer, OVERVIEW)

    assert response.status_code == 200
    html = response.content.decode()
    for service in world.values():
        assert service.name in html
    assert "alleen de metingen die uw eigen organisatie" not in html
    for service in world.values():
        assert get(client, None, detail_url(service)).status_code == 200


def test_a_provider_editor_sees_only_the_effects_of_its_own_measurements(
    client: Client, provider_editor: User, world: dict[str, Service]
) -> None:
    response = get(client, provider_editor, OVERVIEW)

    assert response.status_code == 200
    html = response.content.decode()
    assert world["own"].name in html and world["small"].name in html
    assert world["other"].name not in html
    assert "alleen de metingen die uw eigen organisatie" in html
    assert get(client, None, detail_url(world["own"])).status_code == 200
    assert get(client, None, detail_url(world["other"])).status_code == 404
    assert get(client, None, f"{OVERVIEW}{uuid.uuid4()}/").status_code == 404
    exported = csv_rows(get(client, None, f"{OVERVIEW}?format=csv").content)
    names = {row[0] for row in exported[1:] if row}
    assert world["own"].name in names and world["other"].name not in names


def test_a_case_worker_sees_only_their_own_organisations_effects(
    client: Client, case_worker_a: User, case_worker_b: User, world: dict[str, Service]
) -> None:
    html = get(client, case_worker_a, OVERVIEW).content.decode()
    assert world["other"].name in html and world["own"].name not in html
    assert get(client, None, detail_url(world["own"])).status_code == 404

    other_client = Client()
    html_b = get(other_client, case_worker_b, OVERVIEW).content.decode()
    assert world["other"].name not in html_b
    assert "nog geen metingen" in html_b


@pytest.mark.parametrize("person", ["outsider", "administrator"])
def test_people_without_either_capability_get_403(
    client: Client, person: str, request: pytest.FixtureRequest, world: dict[str, Service]
) -> None:
    user = request.getfixturevalue(person)
    assert get(client, user, OVERVIEW).status_code == 403
    assert get(client, None, f"{OVERVIEW}?format=csv").status_code == 403
    assert get(client, None, detail_url(world["own"])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, world: dict[str, Service]
) -> None:
    for url in (OVERVIEW, f"{OVERVIEW}?format=csv", detail_url(world["own"])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_a_service_that_does_not_exist_is_404_also_for_policy_officers(
    client: Client, policy_officer: User
) -> None:
    assert get(client, policy_officer, f"{OVERVIEW}{uuid.uuid4()}/").status_code == 404
    assert get(client, None, f"{OVERVIEW}niet-een-id/").status_code == 404


# --- pages: what is shown -------------------------------------------------------------------------


def row_html(html: str, name: str) -> str:
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    return next(row for row in rows if name in row)


def test_the_table_shows_the_figures_and_suppresses_small_groups(
    client: Client, policy_officer: User, world: dict[str, Service]
) -> None:
    html = get(client, policy_officer, OVERVIEW).content.decode()

    own = row_html(html, world["own"].name)
    effect = effect_for(fx.intervention_effects("djg11"), world["own"])
    change = effect.summary.change
    assert change is not None and change.ci_low is not None
    shown = number_format(round(abs(change.mean), 1), 1)
    assert shown in own and "punten" in own
    assert "12 met voor- en nameting" in own
    small = row_html(html, world["small"].name)
    assert "Te weinig deelnemers" in small
    assert "punten" not in small and "%" not in small
    # 8 pairs: figures, but no p-values.
    other = row_html(html, world["other"].name)
    assert "punten" in other and "Te weinig deelnemers voor een toets" in other


def test_the_forest_plot_has_one_dot_per_intervention_with_figures(
    client: Client, policy_officer: User, world: dict[str, Service]
) -> None:
    html = get(client, policy_officer, OVERVIEW).content.decode()

    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, flags=re.S)
    assert svg is not None
    assert 'aria-labelledby="forest-title forest-desc"' in svg.group(0)
    assert svg.group(0).count("<circle") == 2  # "own" and "other"; "small" is suppressed
    assert world["small"].name not in svg.group(0)
    assert "style=" not in html.split("<main", 1)[1]


def test_the_forest_plot_axis_runs_between_round_ticks_around_every_margin(
    client: Client, policy_officer: User, world: dict[str, Service]
) -> None:
    html = get(client, policy_officer, OVERVIEW).content.decode()
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, flags=re.S)
    assert svg is not None
    ticks = re.findall(
        r'<text x="([\d.]+)" y="\d+" text-anchor="middle"[^>]*>([^<]+)</text>', svg[0]
    )
    positions = [float(x) for x, _label in ticks]
    values = [
        float(label.replace("−", "-").replace("+", "").replace(",", ".")) for _x, label in ticks
    ]
    # Round, evenly spaced values with zero among them, drawn at evenly spaced places.
    steps = {round(b - a, 6) for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0}
    assert 0.0 in values
    gaps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
    assert max(gaps) - min(gaps) < 0.25
    # The axis line runs from the first tick to the last, and every dot and margin lies on it.
    axis = re.search(r'<line x1="(\d+)" x2="(\d+)" y1="(\d+)" y2="\3" stroke="#505050"', svg[0])
    assert axis is not None
    left, right = float(axis[1]), float(axis[2])
    assert abs(positions[0] - left) < 0.1 and abs(positions[-1] - right) < 0.1
    drawn = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg[0])]
    drawn += [float(x) for x in re.findall(r'<line x1="([\d.]+)" x2="[\d.]+" y1="[\d.]+"', svg[0])]
    drawn += [float(x) for x in re.findall(r'<line x1="[\d.]+" x2="([\d.]+)" y1="[\d.]+"', svg[0])]
    assert drawn and all(left <= x <= right for x in drawn)


def test_the_csv_has_the_same_rows_and_no_figures_for_small_groups(
    client: Client, policy_officer: User, world: dict[str, Service]
) -> None:
    response = get(client, policy_officer, f"{OVERVIEW}?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response.content)
    header, body = rows[0], [row for row in rows[1:] if len(row) == len(rows[0])]
    by_name = {row[0]: row for row in body}
    assert set(by_name) == {s.name for s in world.values()}
    small = by_name[world["small"].name]
    assert small[header.index("deelnemers met beide metingen")] == "4"
    assert all(cell == "" for cell in small[9:-1])
    assert "Te weinig deelnemers" in small[-1]
    own = by_name[world["own"].name]
    effect = effect_for(fx.intervention_effects("djg11"), world["own"])
    mean = own[header.index("gemiddelde verandering")]
    assert float(mean.replace(",", ".")) == pytest.approx(effect.summary.change.mean, abs=0.006)
    assert own[header.index("wilcoxon p")] != ""
    other = by_name[world["other"].name]
    assert other[header.index("wilcoxon p")] == ""  # 8 pairs: no p-values
    event = AuditEvent.objects.get(action="effects.export")
    assert event.details["scale"] == "djg11" and event.details["services"] == 3


def test_no_participant_code_appears_anywhere(
    client: Client, policy_officer: User, provider_editor: User, world: dict[str, Service]
) -> None:
    codes = list(Participant.objects.values_list("code", flat=True))
    assert len(codes) == 24
    pages = []
    for user in (policy_officer, provider_editor):
        viewer = Client()
        viewer.force_login(user)
        pages.append(viewer.get(OVERVIEW).content)
        pages.append(viewer.get(f"{OVERVIEW}?format=csv").content)
        for service in world.values():
            response = viewer.get(detail_url(service))
            if response.status_code == 200:
                pages.append(response.content)
    assert len(pages) == 2 * 2 + 3 + 2
    for content in pages:
        text = content.decode("utf-8-sig")
        assert "ZQX-" not in text
        assert not any(code in text for code in codes)


def test_the_detail_page_warns_shows_figures_and_only_publishable_stories(
    client: Client, policy_officer: User, world: dict[str, Service], provider_org: Organisation
) -> None:
    own = world["own"]
    Story.objects.create(
        service=own,
        organisation=provider_org,
        author=StoryAuthor.PARTICIPANT,
        text="Ik ga nu elke week naar de koffieochtend.",
        may_publish=True,
    )
    Story.objects.create(
        service=own,
        organisation=provider_org,
        author=StoryAuthor.WORKER,
        text="Vertrouwelijk: dit mag niet naar buiten.",
        may_publish=False,
    )

    html = get(client, policy_officer, detail_url(own)).content.decode()

    assert "regressie naar het gemiddelde" in html
    assert "bewijzen niet" in html
    assert "Ik ga nu elke week naar de koffieochtend." in html
    assert "Vertrouwelijk" not in html
    assert "Betrouwbaar minder eenzaam" in html
    assert "12" in html
    small = get(client, None, detail_url(world["small"])).content.decode()
    assert "Te weinig deelnemers" in small
    assert "Betrouwbaar minder eenzaam" not in small


def test_stories_of_another_organisation_are_not_shown_to_a_provider(
    client: Client, provider_editor: User, world: dict[str, Service], welfare_a: Organisation
) -> None:
    Story.objects.create(
        service=world["own"],
        organisation=welfare_a,
        author=StoryAuthor.WORKER,
        text="Verhaal van een andere organisatie.",
        may_publish=True,
    )

    html = get(client, provider_editor, detail_url(world["own"])).content.decode()

    assert "Verhaal van een andere organisatie." not in html


def test_the_filters_choose_scale_comparison_and_period(
    client: Client, policy_officer: User, provider_org: Organisation
) -> None:
    service = service_of(provider_org, "Wandelclub")
    cohort(provider_org, service, random_pairs(6, seed=5), scale="djg6")
    client.force_login(policy_officer)

    assert "Wandelclub" not in client.get(OVERVIEW).content.decode()  # default: DJG-11
    assert "Wandelclub" in client.get(f"{OVERVIEW}?schaal=djg6").content.decode()
    # No follow-up yet: the six who started are counted, without figures.
    follow_up = client.get(f"{OVERVIEW}?schaal=djg6&vergelijking=follow-up").content.decode()
    row = row_html(follow_up, "Wandelclub")
    assert "0 met voor- en nameting" in row and "6 begonnen" in row
    assert "Te weinig deelnemers" in row
    month = START.strftime("%Y-%m")
    after = (START + dt.timedelta(days=40)).strftime("%Y-%m")
    assert "Wandelclub" in client.get(f"{OVERVIEW}?schaal=djg6&van={month}").content.decode()
    assert "Wandelclub" not in client.get(f"{OVERVIEW}?schaal=djg6&van={after}").content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("schaal=direct", "Kies een vragenlijst uit de lijst."),
        ("vergelijking=x", "Kies een vergelijking uit de lijst."),
        ("van=gisteren", "bijvoorbeeld 2025-01"),
        ("van=2999-01", "in de toekomst"),
        ("van=2025-06&tot=2025-01", "Draai ze om"),
    ],
)
def test_a_wrong_filter_gives_a_message_not_an_error(
    client: Client, policy_officer: User, world: dict[str, Service], query: str, message: str
) -> None:
    response = get(client, policy_officer, f"{OVERVIEW}?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert world["own"].name in html  # the defaults are shown


def test_numbers_are_finite_in_the_table(policy_officer: User, world: dict[str, Service]) -> None:
    for effect in fx.intervention_effects("djg11"):
        if effect.enough_data:
            assert effect.summary.change is not None
            assert math.isfinite(effect.summary.change.mean)


def test_shares_and_changes_are_rounded_not_cut_off() -> None:
    from omzien.measurement import views_effects

    assert views_effects._percent(2 / 3) == "67%"
    assert views_effects._signed(-2.68) == "−2,7"
    assert views_effects._signed(-0.04) == "0,0"
    assert views_effects._p(0.0149) == "0,015"
    assert views_effects._p(0.0004) == "< 0,001"


def test_a_long_forest_plot_shows_the_largest_interventions_and_says_so(
    client: Client,
    policy_officer: User,
    world: dict[str, Service],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from omzien.measurement import views_effects

    monkeypatch.setattr(views_effects, "PLOT_MAX_ROWS", 1)

    html = get(client, policy_officer, OVERVIEW).content.decode()

    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, flags=re.S)
    assert svg is not None and svg.group(0).count("<circle") == 1
    assert world["own"].name in svg.group(0)  # 12 pairs: more than "other" (8)
    assert "met de meeste deelnemers" in html
    assert world["other"].name in row_html(html, world["other"].name)  # still in the table
