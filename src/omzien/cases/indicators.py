"""Coded lists of the meldpunt: signals of loneliness, who reports, signalling professions.

Codes are stable (they are stored and used by partners through the API); labels may change.
The signals follow the signalling cards named in seed 001 (Coalitie Erbij, Talmalectoraat);
the partner signals are the "digital signalling network" examples of seed 002.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise
    # "observed": what a resident or professional notices; "partner": what a partner's
    # systems show (digital signalling network).
    kind: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("rarely_goes_out", _("Komt bijna nooit buiten"), "observed"),
    Indicator("few_visitors", _("Krijgt (bijna) geen bezoek"), "observed"),
    Indicator("says_lonely", _("Zegt zelf dat hij of zij eenzaam is"), "observed"),
    Indicator("lost_partner", _("Heeft kort geleden iemand verloren"), "observed"),
    Indicator("seeks_contact", _("Zoekt veel contact, wil graag blijven praten"), "observed"),
    Indicator("neglects_self", _("Verzorgt zichzelf of het huis minder"), "observed"),
    Indicator("sad_or_withdrawn", _("Lijkt somber of stil"), "observed"),
    Indicator("mail_piling_up", _("Post stapelt zich op"), "observed"),
    Indicator("curtains_closed", _("Gordijnen blijven dicht"), "observed"),
    Indicator("no_one_to_ask", _("Heeft niemand om hulp te vragen"), "observed"),
    Indicator("missed_appointments", _("Komt afspraken niet meer na"), "observed"),
    Indicator("rent_unpaid", _("Huur niet betaald"), "partner"),
    Indicator("bills_unpaid", _("Rekeningen niet betaald"), "partner"),
    Indicator("no_energy_use", _("Geen energieverbruik"), "partner"),
    Indicator("no_water_use", _("Geen waterverbruik"), "partner"),
    Indicator("account_unused", _("Bankrekening wordt niet gebruikt"), "partner"),
)
INDICATOR_CODES = frozenset(indicator.code for indicator in INDICATORS)
OBSERVED_INDICATORS = tuple(i for i in INDICATORS if i.kind == "observed")


def indicator_label(code: str) -> str:
    for indicator in INDICATORS:
        if indicator.code == code:
            return str(indicator.label)
    return code


class ReporterKind(models.TextChoices):
    RESIDENT = "resident", _("Ik maak me zorgen om iemand anders (buurtbewoner, kennis)")
    SELF = "self", _("Ik meld voor mezelf")
    FAMILY = "family", _("Ik ben familie")
    PROFESSIONAL = "professional", _("Ik zie het in mijn werk")
    BUSINESS = "business", _("Ik heb een winkel of bedrijf")
    ORGANISATION = "organisation", _("Ik meld namens een organisatie")
    PARTNER = "partner", _("Partner in het signaleringsnetwerk")
    CASE_WORKER = "case_worker", _("Ingevoerd door het meldpunt")


class Profession(models.TextChoices):
    """The signalling professions of seed 001."""

    PHARMACY = "pharmacy", _("Apotheek")
    DRIVER = "driver", _("Chauffeur of begeleider (buurtbus, Valys, vervoer)")
    VET = "vet", _("Dierenarts")
    DIETICIAN = "dietician", _("Diëtist")
    PHYSIOTHERAPIST = "physiotherapist", _("Fysiotherapeut")
    ENFORCEMENT = "enforcement", _("Gemeentelijk handhaver")
    GP = "gp", _("Huisarts")
    CARETAKER = "caretaker", _("Huismeester")
    WASTE_COLLECTOR = "waste_collector", _("Huisvuilinzamelaar")
    HAIRDRESSER = "hairdresser", _("Kapper")
    MENTOR = "mentor", _("Mentor op school")
    DISTRICT_TEAM = "district_team", _("Lid van een wijkteam")
    NEIGHBOURHOOD_RESTAURANT = "neighbourhood_restaurant", _("Wijk- of buurtrestaurant")
    PARAMEDIC = "paramedic", _("Andere (para)medische functie")
    PASTORAL = "pastoral", _("Pastoraal werker of ouderling")
    PEDICURE = "pedicure", _("Pedicure")
    PRACTICE_NURSE = "practice_nurse", _("Praktijkondersteuner huisarts")
    PSYCHOLOGIST = "psychologist", _("Psycholoog, psychiater of psychosociaal medewerker")
    SOCIAL_WORKER = "social_worker", _("Sociaal werker of welzijnswerker")
    SPORT_COACH = "sport_coach", _("Sportdocent, trainer of coach")
    STUDY_COUNSELLOR = "study_counsellor", _("Studiebegeleider")
    SUPERMARKET = "supermarket", _("Supermarkt")
    HOME_CARE = "home_care", _("Thuiszorg")
    VISITING_VOLUNTEER = "visiting_volunteer", _("Vrijwilliger bezoekdienst")
    COMMUNITY_OFFICER = "community_officer", _("Wijkagent")
    OTHER = "other", _("Anders")
