"""A case or participant belongs to a district through its neighbourhood: the district filter
and the map from neighbourhoods to the newest districts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from omzien.areas.models import District, Neighbourhood
from omzien.cases.models import Case
from omzien.insight.dashboard.period import Filters, newest_districts


@dataclass(frozen=True)
class AreaMap:
    # neighbourhood id -> district code (of the neighbourhood's own classification year)
    district_of: dict[int, str]
    # the newest classification's districts: code -> name, in name order
    districts: dict[str, str]


def area_map() -> AreaMap:
    district_of = dict(Neighbourhood.objects.values_list("id", "district__code"))
    return AreaMap(district_of, {d.code: d.name for d in newest_districts()})


def neighbourhood_ids(district: District) -> list[int]:
    """Every neighbourhood in the district, of any classification year (matched by the code:
    cases keep the neighbourhood of the year they were received in)."""
    return list(
        Neighbourhood.objects.filter(district__code=district.code).values_list("id", flat=True)
    )


def person_filter(filters: Filters, prefix: str = "") -> Q:
    """District and age of a case or a participant (prefix "" or "participant__")."""
    condition = Q()
    if filters.district is not None:
        condition &= Q(**{f"{prefix}neighbourhood_id__in": neighbourhood_ids(filters.district)})
    if filters.age_group is not None:
        condition &= Q(**{f"{prefix}age_group": filters.age_group})
    return condition


def case_filter(filters: Filters) -> Q:
    """For signals and referrals: only those of cases in the district and age group.

    An IN over a subquery of case ids rather than a join: the database collects the few
    matching case ids once, and the signals or referrals are read from their own index.
    """
    if filters.district is None and filters.age_group is None:
        return Q()
    return Q(case_id__in=Case.objects.filter(person_filter(filters)).order_by().values("id"))
