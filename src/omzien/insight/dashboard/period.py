"""The dashboard's filters: the period in whole months (`core.months.Period`), the district, the
age group and the target group, with their names in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext as _

from omzien.areas.models import District
from omzien.cases.models import AgeGroup
from omzien.core.months import Period
from omzien.directory.models import TaxonomyTerm

MAX_MONTHS = 36


def month_label(day: dt.date, *, two_lines: bool = False) -> str:
    text = dateformat.format(day, "M Y")
    return text.replace(" ", "\n", 1) if two_lines else text


AGE_UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Filters:
    period: Period
    district: District | None = None
    # None: every age; "": age not known; otherwise an AgeGroup code.
    age_group: str | None = None
    # A code of the target_group vocabulary, "" for every target group.
    target_group: str = ""

    def describe(self) -> list[tuple[str, str]]:
        """The chosen filters in words, for the page, the CSV and the report."""
        age = _("alle leeftijden")
        if self.age_group is not None:
            age = age_labels().get(self.age_group, self.age_group)
        return [
            (_("Periode"), self.period.label),
            (_("Wijk"), self.district.name if self.district else _("hele gemeente")),
            (_("Leeftijd (meldpunt en deelnemers)"), age),
            (
                _("Doelgroep (aanbod)"),
                target_group_label(self.target_group) if self.target_group else _("alle"),
            ),
        ]


def age_labels() -> dict[str, str]:
    return {str(code): str(label) for code, label in AgeGroup.choices}


def newest_districts() -> list[District]:
    """The districts of the newest loaded CBS classification."""
    year = District.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return []
    return list(District.objects.filter(year=year).order_by("name"))


def target_groups() -> list[tuple[str, str]]:
    return list(
        TaxonomyTerm.objects.filter(taxonomy__key="target_group")
        .exclude(code="")
        .order_by("name")
        .values_list("code", "name")
    )


def target_group_label(code: str) -> str:
    name = (
        TaxonomyTerm.objects.filter(taxonomy__key="target_group", code=code)
        .values_list("name", flat=True)
        .first()
    )
    return _(name) if name else code
