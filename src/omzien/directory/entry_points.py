"""Plain-language ways into the sociale kaart, each a ready-made search."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EntryPoint:
    slug: str  # the `onderwerp` of the topic page's address
    title: str | Promise
    text: str | Promise
    params: tuple[tuple[str, str], ...]  # the filters the tile sets: (URL parameter, code)
    # What fits the topic best, as (URL parameter, code): on the topic page, services with
    # more of these come first. The tile's own filters count too.
    fits: tuple[tuple[str, str], ...] = ()

    @property
    def query_string(self) -> str:
        return urlencode((("onderwerp", self.slug), *self.params))

    @property
    def ranking_terms(self) -> tuple[tuple[str, str], ...]:
        return tuple(dict.fromkeys(self.params + self.fits))


ENTRY_POINTS = (
    EntryPoint(
        "eenzaam",
        _("Ik voel me eenzaam"),
        _("Iemand om mee te praten, of mensen om te ontmoeten."),
        (("probleem", "emotional_loneliness"), ("probleem", "social_loneliness")),
        (("steun", "personal_contact"), ("steun", "meeting"), ("doelgroep", "living_alone")),
    ),
    EntryPoint(
        "praten",
        _("Iemand om mee te praten"),
        _("Een maatje, bezoek aan huis of een luisterend oor aan de telefoon."),
        (("steun", "personal_contact"),),
        (("vorm", "individual"), ("waar", "at_home"), ("probleem", "emotional_loneliness")),
    ),
    EntryPoint(
        "samen",
        _("Samen iets doen"),
        _("Koffie, wandelen, zingen, eten: samen met anderen."),
        (("steun", "meeting"), ("vorm", "group")),
        (("steun", "occupation"), ("probleem", "social_loneliness")),
    ),
    EntryPoint(
        "hulp-in-huis",
        _("Hulp in huis"),
        _("Boodschappen, vervoer, formulieren en klusjes."),
        (("steun", "practical"),),
        (("waar", "at_home"), ("probleem", "practical_barriers")),
    ),
    EntryPoint(
        "mantelzorg",
        _("Ik zorg voor iemand"),
        _("Steun en ontspanning voor mantelzorgers."),
        (("doelgroep", "informal_carers"),),
        (("steun", "personal_contact"), ("steun", "meeting"), ("probleem", "prevention")),
    ),
    EntryPoint(
        "vrijwilligerswerk",
        _("Iets betekenen voor anderen"),
        _("Vrijwilligerswerk en een plek waar u nodig bent."),
        (("steun", "valued_role"),),
        (("probleem", "social_loneliness"), ("vorm", "group")),
    ),
)
BY_SLUG = {entry.slug: entry for entry in ENTRY_POINTS}
