"""The home page leads residents to the parts of Omzien that this installation has."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HomeTask:
    url_name: str
    title: str | Promise
    text: str | Promise


# In the order a resident needs them; a part appears once its URL exists.
HOME_TASKS = [
    HomeTask(
        "directory:search",
        _("Hulp en activiteiten zoeken"),
        _("Zoek iemand om mee te praten, een activiteit of hulp in huis."),
    ),
    HomeTask(
        "calendar:list",
        _("Wat is er te doen in de buurt?"),
        _("Bekijk de activiteiten in uw wijk en meld u aan."),
    ),
    HomeTask(
        "cases:report",
        _("Ik maak me zorgen om iemand"),
        _("Meld het in één minuut. Een consulent neemt contact op."),
    ),
]


def home_tasks() -> list[dict[str, object]]:
    tasks: list[dict[str, object]] = []
    for task in HOME_TASKS:
        try:
            url = reverse(task.url_name)
        except NoReverseMatch:
            continue
        tasks.append({"url": url, "title": task.title, "text": task.text})
    return tasks


@dataclass(frozen=True)
class WorkLink:
    capability: str
    url_name: str
    title: str | Promise
    text: str | Promise


# Where staff go from their account page: a link appears for the roles that may use it.
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
    from omzien.accounts.permissions import has_capability
    from omzien.accounts.roles import Capability

    links: list[dict[str, object]] = []
    for link in WORK_LINKS:
        if not has_capability(user, Capability(link.capability)):  # type: ignore[arg-type]
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "title": link.title, "text": link.text})
    return links
