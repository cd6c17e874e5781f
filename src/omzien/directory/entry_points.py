"""Plain-language ways into the sociale kaart, each a ready-made search."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EntryPoint:
    title: str | Promise
    text: str | Promise
    params: tuple[tuple[str, str], ...]

    @property
    def query_string(self) -> str:
        return urlencode(self.params)


ENTRY_POINTS = (
    EntryPoint(
        _("Ik voel me eenzaam"),
        _("Iemand om mee te praten, of mensen om te ontmoeten."),
        (("probleem", "emotional_loneliness"), ("probleem", "social_loneliness")),
    ),
    EntryPoint(
        _("Iemand om mee te praten"),
        _("Een maatje, bezoek aan huis of een luisterend oor aan de telefoon."),
        (("steun", "personal_contact"),),
    ),
    EntryPoint(
        _("Samen iets doen"),
        _("Koffie, wandelen, zingen, eten: samen met anderen."),
        (("steun", "meeting"), ("vorm", "group")),
    ),
    EntryPoint(
        _("Hulp in huis"),
        _("Boodschappen, vervoer, formulieren en klusjes."),
        (("steun", "practical"),),
    ),
    EntryPoint(
        _("Ik zorg voor iemand"),
        _("Steun en ontspanning voor mantelzorgers."),
        (("doelgroep", "informal_carers"),),
    ),
    EntryPoint(
        _("Iets betekenen voor anderen"),
        _("Vrijwilligerswerk en een plek waar u nodig bent."),
        (("steun", "valued_role"),),
    ),
)
