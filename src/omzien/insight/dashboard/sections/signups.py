"""(d) Sign-ups for activities: not yet counted (they come with the neighbourhood agenda)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from omzien.insight.dashboard.disclosure import Section
from omzien.insight.dashboard.period import Filters


def signups_section(filters: Filters) -> Section:
    return Section(
        "aanmeldingen",
        _("Aanmeldingen voor activiteiten"),
        _("Hoeveel inwoners zich aanmelden voor activiteiten in de buurt."),
        "",
        note=_("Deze cijfers komen zodra de buurtagenda er is."),
    )
