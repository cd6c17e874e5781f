"""Our own vocabularies as HSDS taxonomies, with stable ids so every installation agrees.

Seeded by a data migration; administrators can add and rename terms afterwards. Codes are
stable identifiers used in URLs (filters) and in the API (`taxonomy_term.code`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

NAMESPACE = uuid.UUID("5b0f6c1e-8c53-4d0a-9d6e-0a6f3e1c2b7d")


def stable_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


@dataclass(frozen=True)
class Vocabulary:
    key: str
    name: str
    description: str
    link_type: str  # HSDS attribute.link_type for services tagged with these terms
    terms: tuple[tuple[str, str, str], ...]  # (code, name, description)


VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary(
        "support_kind",
        "Soort steun",
        "De zeven soorten steun tegen eenzaamheid van Movisie (seed 001, paragraaf 11).",
        "service_type",
        (
            (
                "practical",
                "Praktische steun",
                "Hulp bij praktische zaken, zoals vervoer of klussen.",
            ),
            ("social_skills", "Sociale vaardigheden", "Leren contact te maken en te houden."),
            ("meeting", "Ontmoeting", "Plekken en activiteiten om anderen te ontmoeten."),
            (
                "personal_contact",
                "Persoonlijk contact",
                "Een maatje, bezoek of iemand om mee te praten.",
            ),
            (
                "valued_role",
                "Een zinvolle rol",
                "Iets betekenen voor anderen, zoals vrijwilligerswerk of werk.",
            ),
            ("occupation", "Bezigheid en afleiding", "Iets te doen hebben: hobby, sport, cursus."),
            (
                "expectations",
                "Realistische verwachtingen",
                "Anders leren kijken naar contact met anderen.",
            ),
        ),
    ),
    Vocabulary(
        "target_group",
        "Doelgroep",
        "Voor wie de dienst is, met de risicogroepen van seed 001 (paragraaf 6).",
        "audience",
        (
            ("everyone", "Iedereen", "Voor alle inwoners."),
            ("age_75_plus", "75-plussers", "Ouderen van 75 jaar en ouder."),
            ("older_adults", "Ouderen", "Ouderen in het algemeen (55+)."),
            (
                "chronic_illness",
                "Chronisch ziek of beperking",
                "Mensen met een chronische ziekte of beperking.",
            ),
            ("migration_background", "Migratieachtergrond", "Mensen met een migratieachtergrond."),
            ("living_alone", "Alleenwonenden", "Mensen die alleen wonen."),
            ("informal_carers", "Mantelzorgers", "Mensen die zorgen voor een naaste."),
            ("low_literacy", "Laaggeletterden", "Mensen die moeite hebben met lezen en schrijven."),
            ("low_income", "Laag inkomen", "Mensen met weinig geld of schulden."),
            ("youth", "Jongeren", "Jongeren en jongvolwassenen."),
            ("bereaved", "Na verlies", "Mensen die een dierbare hebben verloren."),
        ),
    ),
    Vocabulary(
        "form",
        "Vorm",
        "Groep of individueel.",
        "service_characteristic",
        (
            ("group", "In een groep", "U doet mee met anderen."),
            ("individual", "Eén op één", "Alleen u en een vrijwilliger of medewerker."),
        ),
    ),
    Vocabulary(
        "frequency",
        "Duur",
        "Eenmalig of structureel.",
        "service_characteristic",
        (
            ("one_off", "Eenmalig", "Eén keer, zoals een uitje of een gesprek."),
            ("structural", "Vast ritme", "Terugkerend, zoals elke week."),
        ),
    ),
    Vocabulary(
        "place",
        "Waar",
        "Thuis of buitenshuis.",
        "service_characteristic",
        (
            (
                "at_home",
                "Bij u thuis",
                "Iemand komt bij u thuis, of het kan per telefoon of online.",
            ),
            ("outside", "Buitenshuis", "U gaat ergens naartoe."),
        ),
    ),
    Vocabulary(
        "cost_category",
        "Kosten",
        "Gratis, gesubsidieerd of commercieel.",
        "service_characteristic",
        (
            ("free", "Gratis", "U betaalt niets."),
            (
                "subsidised",
                "Kleine bijdrage",
                "U betaalt een kleine bijdrage; de rest wordt betaald.",
            ),
            ("commercial", "Betaald", "U betaalt de volle prijs."),
        ),
    ),
    Vocabulary(
        "problem",
        "Soort probleem",
        "Het soort probleem waar de dienst bij helpt.",
        "service_characteristic",
        (
            (
                "social_loneliness",
                "Te weinig contacten",
                "Sociale eenzaamheid: te weinig mensen om u heen.",
            ),
            (
                "emotional_loneliness",
                "Een gemis",
                "Emotionele eenzaamheid: u mist een hechte band, bijvoorbeeld na verlies.",
            ),
            ("practical_barriers", "Praktische drempels", "Vervoer, geld, gezondheid of de taal."),
            (
                "prevention",
                "Voorkomen",
                "Eenzaamheid voorkomen, bijvoorbeeld bij grote veranderingen.",
            ),
        ),
    ),
    Vocabulary(
        "condition",
        "Voorwaarden",
        "Wat nodig is om mee te doen.",
        "eligibility",
        (
            (
                "referral_needed",
                "Verwijzing nodig",
                "U hebt een verwijzing nodig, bijvoorbeeld van de huisarts.",
            ),
            ("indication_needed", "Indicatie nodig", "U hebt een indicatie nodig (Wmo of Wlz)."),
            (
                "income_limit",
                "Inkomensgrens",
                "Alleen voor mensen met een inkomen onder een grens.",
            ),
            ("no_conditions", "Geen voorwaarden", "Iedereen kan meedoen."),
        ),
    ),
    Vocabulary(
        "partner_domain",
        "Domein",
        "De twaalf domeinen van partners in een lokale coalitie (seed 001, paragraaf 12).",
        "organization_domain",
        (
            ("municipality", "Gemeente", "De gemeente, algemeen en vanuit alle domeinen."),
            (
                "self_organisations",
                "Zelforganisaties",
                "Ouderenbonden, cliënten- en patiëntenorganisaties.",
            ),
            ("businesses", "Ondernemers", "Supermarkten, kappers, notarissen."),
            ("integration", "Integratie", "Azc's, VluchtelingenWerk, reclassering."),
            ("debt_poverty", "Schulden en armoede", "Kredietbank, schuldhulpverleners."),
            ("care_welfare", "Zorg en welzijn", "Zorg- en welzijnsorganisaties, (para)medici."),
            ("housing", "Woningcorporaties en bouw", "Woningcorporaties en bouw."),
            ("arts_culture", "Kunst en cultuur", "Bibliotheken, centra voor de kunsten."),
            ("faith", "Geloofsgemeenschappen", "Kerken, moskeeën en andere geloofsgemeenschappen."),
            ("sport", "Sport en bewegen", "Sportscholen en -verenigingen."),
            ("education", "Onderwijs", "Lager, middelbaar en hoger onderwijs."),
            ("finance", "Financiële sector", "Banken, verzekeraars, goededoelenfondsen."),
        ),
    ),
)

BY_KEY = {vocabulary.key: vocabulary for vocabulary in VOCABULARIES}


def taxonomy_id(key: str) -> uuid.UUID:
    return stable_id("taxonomy", key)


def term_id(key: str, code: str) -> uuid.UUID:
    return stable_id("term", key, code)


def ensure_vocabularies(taxonomy_model: Any, term_model: Any) -> None:
    """Create missing taxonomies and terms; never overwrite what administrators changed.

    Takes the models as arguments so the data migration can pass its historical models.
    """
    for vocabulary in VOCABULARIES:
        taxonomy, _ = taxonomy_model.objects.get_or_create(
            id=taxonomy_id(vocabulary.key),
            defaults={
                "name": vocabulary.name,
                "description": vocabulary.description,
                "key": vocabulary.key,
                "uri": f"https://omzien.nl/taxonomies/{vocabulary.key}",
                "version": "1",
            },
        )
        for code, name, description in vocabulary.terms:
            term_model.objects.get_or_create(
                id=term_id(vocabulary.key, code),
                defaults={
                    "taxonomy": taxonomy,
                    "code": code,
                    "name": name,
                    "description": description,
                    "language": "nl",
                },
            )
