"""All sections of the dashboard in the order shown, a table found by its key, and the caveats
that go with every figure. The dashboard, the CSV downloads and the council report use these."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from omzien.insight.dashboard.areas import area_map
from omzien.insight.dashboard.disclosure import Section, Table
from omzien.insight.dashboard.period import Filters
from omzien.insight.dashboard.sections.area import area_section
from omzien.insight.dashboard.sections.effects import effects_section
from omzien.insight.dashboard.sections.first_contact import first_contact_section
from omzien.insight.dashboard.sections.offering import offering_section
from omzien.insight.dashboard.sections.reach import reach_section
from omzien.insight.dashboard.sections.referrals import referrals_section
from omzien.insight.dashboard.sections.signals import signals_section
from omzien.insight.dashboard.sections.signups import signups_section
from omzien.measurement.statistics import BEFORE_AFTER_WARNING


def _effects_url() -> str:
    return reverse("effects_overview")


SECTION_KEYS = (
    "meldingen",
    "eerste-contact",
    "verwijzingen",
    "aanmeldingen",
    "aanbod",
    "bereik",
    "effecten",
    "wijkcijfers",
)


def build_sections(
    filters: Filters, only: Iterable[str] | None = None, *, detailed_effects: bool = False
) -> list[Section]:
    """Every section of the dashboard (or only the named ones), in the order shown.

    `detailed_effects` adds the "what works" figures per intervention (the council report).
    """
    wanted = set(only) if only is not None else set(SECTION_KEYS)
    builders: dict[str, Callable[[], Section]] = {
        "meldingen": lambda: signals_section(filters),
        "eerste-contact": lambda: first_contact_section(filters),
        "verwijzingen": lambda: referrals_section(filters),
        "aanmeldingen": lambda: signups_section(filters),
        "aanbod": lambda: offering_section(filters, reverse("offering_overview")),
        "bereik": lambda: reach_section(filters, area_map()),
        "effecten": lambda: effects_section(filters, _effects_url(), detailed=detailed_effects),
        "wijkcijfers": lambda: area_section(filters, reverse("areas_overview")),
    }
    return [builders[key]() for key in SECTION_KEYS if key in wanted]


TABLE_SECTIONS = {
    "meldingen-per-maand": "meldingen",
    "meldingen-per-melder": "meldingen",
    "eerste-contact": "eerste-contact",
    "verwijzingen-samenvatting": "verwijzingen",
    "verwijzingen-status": "verwijzingen",
    "verwijzingen-resultaat": "verwijzingen",
    "aanbod": "aanbod",
    "bereik": "bereik",
    "effecten": "effecten",
    "wijkcijfers": "wijkcijfers",
}


def find_table(filters: Filters, key: str) -> Table | None:
    section_key = TABLE_SECTIONS.get(key)
    if section_key is None:
        return None
    for section in build_sections(filters, only=[section_key]):
        for table in section.tables:
            if table.key == key:
                return table
    return None


def caveats() -> list[str]:
    return [
        str(BEFORE_AFTER_WARNING),
        _(
            "De cijfers van het meldpunt gaan over wat is vastgelegd. Meer meldingen kan ook "
            "betekenen dat meer mensen het meldpunt kennen, niet dat er meer eenzaamheid is."
        ),
        _(
            "De vragenlijsten zijn gemaakt voor onderzoek bij groepen, niet om één persoon te "
            "beoordelen."
        ),
    ]
