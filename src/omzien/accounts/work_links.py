"""Where staff go from their account page: a link appears for the roles that may use it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from omzien.accounts.permissions import has_capability
from omzien.accounts.roles import Capability


@dataclass(frozen=True)
class WorkLink:
    capability: str
    url_name: str
    title: str | Promise
    text: str | Promise


# URL names, not reversed URLs: a part of Omzien that is not installed simply has no link.
WORK_LINKS = [
    WorkLink(
        "view_cases",
        "cases:queue",
        _("Meldpunt: casussen"),
        _("Nieuwe meldingen, uw casussen en wat te laat is."),
    ),
    WorkLink(
        "view_referrals",
        "cases:inbox",
        _("Verwijzingen naar uw organisatie"),
        _("Accepteer of wijs af, en leg vast hoe het ging."),
    ),
    WorkLink(
        "record_measurements",
        "measure_list",
        _("Metingen en verhalen"),
        _("Vragenlijsten eenzaamheid bij deelnemers, en hun verhalen."),
    ),
    WorkLink(
        "edit_directory",
        "directory_manage:dashboard",
        _("Ons aanbod op de sociale kaart"),
        _("Pas uw diensten en locaties aan."),
    ),
    WorkLink(
        "view_aggregates",
        "dashboard_home",
        _("Dashboard"),
        _("Cijfers over meldingen, verwijzingen, aanbod en effecten."),
    ),
    WorkLink(
        "manage_personas",
        "offering_personas",
        _("Persona's"),
        _("Groepen inwoners en wat zij nodig hebben."),
    ),
    WorkLink(
        "view_audit_log",
        "audit:events",
        _("Logboek"),
        _("Wie heeft wat bekeken of veranderd."),
    ),
]


def work_links(user: object) -> list[dict[str, object]]:
    links: list[dict[str, object]] = []
    for link in WORK_LINKS:
        if not has_capability(user, Capability(link.capability)):  # type: ignore[arg-type]
            continue
        links.append({"url": reverse(link.url_name), "title": link.title, "text": link.text})
    return links
