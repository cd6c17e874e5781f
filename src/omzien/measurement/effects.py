"""What works per intervention: paired before/after effects for every service with measurements.

`intervention_effects()` reads the scores of one scale in ONE query, pairs them per service and
participant in Python (dictionaries, no query per service), and hands each service's pairs to
`statistics.paired_effects`. It returns aggregates only: no participant ids or codes leave this
module.

The pairing rule (docs/measurement.md, "What works per intervention"):

- Only complete measurements (every item answered, ``complete=True``) with a total count.
- Per service and participant: the EARLIEST measurement at the first moment (by the date it was
  taken, then by the order of recording) and the LATEST at the second moment. A participant who
  filled in the start twice is counted once, with their first start; one who had two end
  measurements counts with the last.
- The second measurement may not be dated before the first (a typing error in a date); such a
  participant has no pair.
- A participant with a first but no usable second measurement counts as dropped out
  (`EffectSummary.n_dropped`, with a note). A participant with only the second measurement does
  not count at all: without a start we do not know where they began.
- The service is the measurement's own (denormalised) service; measurements without one are not
  about an intervention and are left out.
- A period selects a cohort: participants whose first measurement (as chosen above) was taken
  in the period. Their second measurement may fall after the period.

The "lonely" cut-off per scale comes from scales.py (the first category that counts as lonely:
DJG-11 from 3, DJG-6 from 2); UCLA-3 has none, so it gets no share "eenzaam". The reliability and
reference SD for the Reliable Change Index are ASSUMPTIONS until a source is read (MEASUREMENT.md
§5.2, §7 point 5); they can be set with OMZIEN_RCI_RELIABILITY and OMZIEN_RCI_SD.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from omzien.core.months import Period
from omzien.directory.models import Service
from omzien.measurement import scales
from omzien.measurement.models import Measurement, Moment
from omzien.measurement.statistics import DEFAULT_MIN_N, EffectSummary, paired_effects

# (participant id, service id or its text, moment, total, taken_on as a date or ISO text, pk)
Row = tuple[int, Any, str, Any, dt.date, int]

# Scales with a total score; the direct question has only a category and cannot be paired.
EFFECT_SCALES: tuple[str, ...] = ("djg11", "djg6", "ucla3")

# Which two moments are compared, by the key used in URLs and CSV files.
COMPARISONS: dict[str, tuple[str, str]] = {
    "eind": (Moment.START, Moment.END),
    "follow-up": (Moment.START, Moment.FOLLOW_UP),
}
COMPARISON_LABELS = {
    "eind": _("Start en eind"),
    "follow-up": _("Start en follow-up"),
}

# ASSUMED values (no source read yet; MEASUREMENT.md §5.2 uses SD 3.0 and r 0.80 for DJG-11 as
# an illustration "with assumed values"). DJG-6 and UCLA-3: assumed reliabilities, no reference
# SD (the group's own before-SD is used, and the page says so). Change them in settings:
# OMZIEN_RCI_RELIABILITY = {"djg11": 0.8, ...}; OMZIEN_RCI_SD = {"djg11": 3.0, "djg6": None}.
RCI_RELIABILITY_DEFAULTS: dict[str, float] = {"djg11": 0.80, "djg6": 0.70, "ucla3": 0.72}
RCI_SD_DEFAULTS: dict[str, float | None] = {"djg11": 3.0, "djg6": None, "ucla3": None}


@dataclass(frozen=True)
class ScaleRules:
    scale: str
    lonely_cutoff: float | None
    reliability: float
    sd_reference: float | None
    lower_is_better: bool = True


@dataclass(frozen=True, eq=False)
class InterventionEffect:
    """The effect figures of one service (intervention) on one scale and comparison."""

    service_id: uuid.UUID
    service_name: str
    provider_name: str
    scale: str
    compare: tuple[str, str]
    rules: ScaleRules
    summary: EffectSummary

    @property
    def enough_data(self) -> bool:
        return self.summary.enough_data

    @property
    def started(self) -> int:
        """Participants with a first measurement in the selection (pairs plus drop-outs)."""
        return self.summary.n + self.summary.n_dropped

    @property
    def has_lonely_rule(self) -> bool:
        return self.rules.lonely_cutoff is not None


def lonely_cutoff(scale_code: str) -> float | None:
    """The lowest total that counts as lonely, from the scale's categories; None without one."""
    scale = scales.get_scale(scale_code)
    if scale is None or scale.total_range is None:
        return None
    first_lonely = scale.lonely_from_value()
    for category in scale.categories:
        if category.code == first_lonely:
            return float(category.low)
    return None


def _setting_dict(name: str) -> dict[str, object]:
    raw = getattr(settings, name, {})
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"{name} must be a dict of scale code to number.")
    unknown = set(raw) - set(EFFECT_SCALES)
    if unknown:
        raise ImproperlyConfigured(f"{name} names unknown scales: {', '.join(sorted(unknown))}.")
    return raw


def scale_rules(scale_code: str) -> ScaleRules:
    """Cut-off, reliability and reference SD for a scale, with the settings applied."""
    if scale_code not in EFFECT_SCALES:
        raise ValueError(f"no effects for scale {scale_code!r}")
    reliability = _setting_dict("OMZIEN_RCI_RELIABILITY").get(
        scale_code, RCI_RELIABILITY_DEFAULTS[scale_code]
    )
    if (
        isinstance(reliability, bool)
        or not isinstance(reliability, int | float)
        or not 0.0 <= reliability < 1.0
    ):
        raise ImproperlyConfigured(
            f"OMZIEN_RCI_RELIABILITY[{scale_code!r}] must be a number from 0 to below 1."
        )
    sd = _setting_dict("OMZIEN_RCI_SD").get(scale_code, RCI_SD_DEFAULTS[scale_code])
    if sd is not None and (
        isinstance(sd, bool)
        or not isinstance(sd, int | float)
        or not (math.isfinite(sd) and sd > 0)
    ):
        raise ImproperlyConfigured(
            f"OMZIEN_RCI_SD[{scale_code!r}] must be a positive number or None."
        )
    return ScaleRules(
        scale=scale_code,
        lonely_cutoff=lonely_cutoff(scale_code),
        reliability=float(reliability),
        sd_reference=None if sd is None else float(sd),
    )


def _check_compare(compare: Iterable[str]) -> tuple[str, str]:
    pair = tuple(compare)
    if pair not in COMPARISONS.values():
        raise ValueError(f"unknown comparison {pair!r}")
    return pair[0], pair[1]


def _dates_as_text() -> bool:
    """SQLite stores dates as ISO text: reading them as text skips a per-row converter."""
    return connection.vendor == "sqlite"


def measurement_rows(
    scale: str,
    compare: tuple[str, str],
    period: Period | None = None,
    organisation_ids: Collection[int] | None = None,
    service_ids: Collection[uuid.UUID] | None = None,
) -> list[Row]:
    """The one query: (participant, service, moment, total, taken_on, pk) of usable rows.

    Speed: the service id comes as text (cast in SQL), because turning 500 000 ids into UUID
    objects costs Django's converter about a second; the few distinct ids are converted after
    grouping. On SQLite the date comes as its stored ISO text ("2025-03-01", which sorts like
    the date) for the same reason; on PostgreSQL as a date (the driver's own fast conversion).
    """
    first, second = compare
    queryset = Measurement.objects.filter(
        scale=scale, complete=True, total__isnull=False, service__isnull=False
    )
    if organisation_ids is not None:
        queryset = queryset.filter(organisation_id__in=list(organisation_ids))
    if service_ids is not None:
        queryset = queryset.filter(service_id__in=list(service_ids))
    first_q, second_q = Q(moment=first), Q(moment=second)
    if period is not None:
        # Safe to push down: a first measurement after the period can never be the earliest of
        # someone in the period, and a second before the period is before their first.
        # First measurements before the period are still needed: they decide the cohort.
        first_q &= Q(taken_on__lte=period.last)
        second_q &= Q(taken_on__gte=period.first)
    queryset = (
        queryset.filter(first_q | second_q)
        .order_by()
        .annotate(service_text=Cast("service_id", output_field=CharField()))
    )
    date_field = "taken_on"
    if _dates_as_text():
        queryset = queryset.annotate(taken_text=Cast("taken_on", output_field=CharField()))
        date_field = "taken_text"
    return list(
        queryset.values_list("participant_id", "service_text", "moment", "total", date_field, "pk")
    )


def pair_scores(
    rows: Sequence[Row],
    compare: tuple[str, str],
    period: Period | None = None,
) -> dict[uuid.UUID, tuple[list[float], list[float]]]:
    """Per service: before and after scores, one pair per participant (NaN: no after score).

    `rows` as `measurement_rows` gives them, in any order; the service may be a UUID or its text.
    One pass, no sorting: keep the earliest first and the latest second measurement (date, then
    primary key) per service and participant. Nearly always a participant is measured in one
    service only; then the participant id alone is the key, which halves the time. When someone
    was measured in two services at the same moment, the pass is redone with (service,
    participant) keys.
    """
    first = compare[0]
    by_participant = _latest_and_earliest_by_participant(rows, first)
    if by_participant is not None:
        starts, ends = by_participant
    else:
        starts, ends = _latest_and_earliest_by_service(rows, first)

    grouped: dict[object, tuple[list[float], list[float]]] = {}
    nan = math.nan
    low: object = None
    high: object = None
    if period is not None and starts:
        # The rows' dates are dates or ISO text (see measurement_rows); compare like with like.
        as_text = isinstance(next(iter(starts.values()))[0], str)
        low = period.first.isoformat() if as_text else period.first
        high = period.last.isoformat() if as_text else period.last
    for key, (taken, _pk, before, service) in starts.items():
        if low is not None and not low <= taken <= high:
            continue
        end = ends.get(key)
        usable = end is not None and end[3] == service and end[0] >= taken
        after = end[2] if usable and end is not None else nan
        lists = grouped.get(service)
        if lists is None:
            lists = grouped[service] = ([], [])
        lists[0].append(before)
        lists[1].append(after)
    return {_as_uuid(service): lists for service, lists in grouped.items()}


# Per key: (taken_on, pk, total, service).
Chosen = dict[Any, tuple[Any, int, Any, Any]]


def _latest_and_earliest_by_participant(
    rows: Sequence[Row], first: str
) -> tuple[Chosen, Chosen] | None:
    """The fast pass, keyed by participant; None when a participant has two services."""
    starts: Chosen = {}
    ends: Chosen = {}
    for participant, service, moment, total, taken, pk in rows:
        if moment == first:
            current = starts.get(participant)
            if current is None:
                starts[participant] = (taken, pk, total, service)
            elif current[3] != service:
                return None
            elif taken < current[0] or (taken == current[0] and pk < current[1]):
                starts[participant] = (taken, pk, total, service)
        else:
            current = ends.get(participant)
            if current is None:
                ends[participant] = (taken, pk, total, service)
            elif current[3] != service:
                return None
            elif taken > current[0] or (taken == current[0] and pk > current[1]):
                ends[participant] = (taken, pk, total, service)
    # A participant who started in one service and ended in another has no pair in either; the
    # service check in pair_scores sees to that, as the general pass would.
    return starts, ends


def _latest_and_earliest_by_service(rows: Sequence[Row], first: str) -> tuple[Chosen, Chosen]:
    """The general pass, keyed by (service, participant)."""
    starts: Chosen = {}
    ends: Chosen = {}
    for participant, service, moment, total, taken, pk in rows:
        key = (service, participant)
        if moment == first:
            current = starts.get(key)
            if current is None or taken < current[0] or (taken == current[0] and pk < current[1]):
                starts[key] = (taken, pk, total, service)
        else:
            current = ends.get(key)
            if current is None or taken > current[0] or (taken == current[0] and pk > current[1]):
                ends[key] = (taken, pk, total, service)
    return starts, ends


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def intervention_effects(
    scale: str = "djg11",
    compare: Iterable[str] = (Moment.START, Moment.END),
    period: Period | None = None,
    organisation_ids: Collection[int] | None = None,
    *,
    service_ids: Collection[uuid.UUID] | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> list[InterventionEffect]:
    """The effect figures of every service with at least one participant who started.

    organisation_ids: only measurements recorded by these organisations (None: all of them).
    Services are sorted by name. A service with fewer than `min_n` pairs gets a summary without
    figures ("te weinig deelnemers"), never the figures themselves.
    """
    rules = scale_rules(scale)
    pair = _check_compare(compare)
    if organisation_ids is not None and not organisation_ids:
        return []
    rows = measurement_rows(scale, pair, period, organisation_ids, service_ids)
    per_service = pair_scores(rows, pair, period)
    if not per_service:
        return []
    names = {
        pk: (name, provider or "")
        for pk, name, provider in Service.objects.filter(pk__in=list(per_service)).values_list(
            "pk", "name", "organization__name"
        )
    }
    cutoff = math.inf if rules.lonely_cutoff is None else rules.lonely_cutoff
    effects = []
    for service_id, (before, after) in per_service.items():
        name, provider = names.get(service_id, ("", ""))
        summary = paired_effects(
            before,
            after,
            lonely_cutoff=cutoff,
            reliability=rules.reliability,
            sd_reference=rules.sd_reference,
            min_n=min_n,
            lower_is_better=rules.lower_is_better,
        )
        if rules.lonely_cutoff is None and summary.lonely is not None:
            # The scale has no cut-off: paired_effects needs a number, so it got infinity; the
            # share "eenzaam" it computed means nothing and is dropped here.
            summary = _without_lonely(summary)
        effects.append(
            InterventionEffect(
                service_id=service_id,
                service_name=name,
                provider_name=provider,
                scale=scale,
                compare=pair,
                rules=rules,
                summary=summary,
            )
        )
    effects.sort(key=lambda e: (e.service_name.casefold(), str(e.service_id)))
    return effects


def _without_lonely(summary: EffectSummary) -> EffectSummary:
    return replace(summary, lonely=None)


def measured_service_ids(organisation_ids: Collection[int] | None) -> set[uuid.UUID]:
    """Services with at least one measurement by these organisations (None: any)."""
    queryset = Measurement.objects.filter(service__isnull=False)
    if organisation_ids is not None:
        queryset = queryset.filter(organisation_id__in=list(organisation_ids))
    return set(queryset.order_by().values_list("service_id", flat=True).distinct())
