"""Our own vocabularies as HSDS taxonomies, with stable ids so every installation agrees.

Seeded by a data migration; administrators can add and rename terms afterwards. Codes are
stable identifiers used in URLs (filters) and in the API (`taxonomy_term.code`).

Each term has two names. `name` is the professional term (Movisie's, the policy's): staff pages,
reviews, imports and the HSDS API use it. Residents read the `resident_name` on the public pages
(filters, cards, the service page), written at B1 level; where the professional name is already
plain ("Ontmoeting", "Gratis") there is none and the name is shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

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
    # What residents read on the public pages where `name` is not plain enough: the heading of
    # the filter, and per term code its label. A code without one shows the term's name.
    resident_name: str = ""
    resident_terms: Mapping[str, str] = field(default_factory=dict)

    def resident_term(self, code: str, name: str) -> str:
        """The label residents read for a term of this vocabulary."""
        return self.resident_terms.get(code) or name


VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary(
        "support_kind",
        gettext_noop("Soort steun"),
        "De zeven soorten steun tegen eenzaamheid van Movisie (seed 001, paragraaf 11).",
        "service_type",
        (
            (
                "practical",
                gettext_noop("Praktische steun"),
                "Hulp bij praktische zaken, zoals vervoer of klussen.",
            ),
            (
                "social_skills",
                gettext_noop("Sociale vaardigheden"),
                "Leren contact te maken en te houden.",
            ),
            (
                "meeting",
                gettext_noop("Ontmoeting"),
                "Plekken en activiteiten om anderen te ontmoeten.",
            ),
            (
                "personal_contact",
                gettext_noop("Persoonlijk contact"),
                "Een maatje, bezoek of iemand om mee te praten.",
            ),
            (
                "valued_role",
                gettext_noop("Een zinvolle rol"),
                "Iets betekenen voor anderen, zoals vrijwilligerswerk of werk.",
            ),
            (
                "occupation",
                gettext_noop("Bezigheid en afleiding"),
                "Iets te doen hebben: hobby, sport, cursus.",
            ),
            (
                "expectations",
                gettext_noop("Realistische verwachtingen"),
                "Anders leren kijken naar contact met anderen.",
            ),
        ),
        resident_terms={
            "practical": gettext_noop("Hulp bij dagelijkse dingen"),
            "social_skills": gettext_noop("Leren contact maken"),
            "personal_contact": gettext_noop("Iemand om mee te praten"),
            "valued_role": gettext_noop("Iets betekenen voor anderen"),
            "occupation": gettext_noop("Hobby, sport of cursus"),
            "expectations": gettext_noop("Anders kijken naar contact"),
        },
    ),
    Vocabulary(
        "target_group",
        gettext_noop("Doelgroep"),
        "Voor wie de dienst is, met de risicogroepen van seed 001 (paragraaf 6).",
        "audience",
        (
            ("everyone", gettext_noop("Iedereen"), "Voor alle inwoners."),
            ("age_75_plus", gettext_noop("75-plussers"), "Ouderen van 75 jaar en ouder."),
            ("older_adults", gettext_noop("Ouderen"), "Ouderen in het algemeen (55+)."),
            (
                "chronic_illness",
                gettext_noop("Chronisch ziek of beperking"),
                "Mensen met een chronische ziekte of beperking.",
            ),
            (
                "migration_background",
                gettext_noop("Migratieachtergrond"),
                "Mensen met een migratieachtergrond.",
            ),
            ("living_alone", gettext_noop("Alleenwonenden"), "Mensen die alleen wonen."),
            (
                "informal_carers",
                gettext_noop("Mantelzorgers"),
                "Mensen die zorgen voor een naaste.",
            ),
            (
                "low_literacy",
                gettext_noop("Laaggeletterden"),
                "Mensen die moeite hebben met lezen en schrijven.",
            ),
            ("low_income", gettext_noop("Laag inkomen"), "Mensen met weinig geld of schulden."),
            ("youth", gettext_noop("Jongeren"), "Jongeren en jongvolwassenen."),
            ("bereaved", gettext_noop("Na verlies"), "Mensen die een dierbare hebben verloren."),
            # Risk groups the seeds name besides section 6 of seed 001: its own table of national
            # services (autism, a psychiatric background), seed 002 (students, status holders)
            # and seed 003 (single parents).
            ("autism", gettext_noop("Autisme"), "Mensen met autisme."),
            (
                "psychiatric_background",
                gettext_noop("Psychiatrische achtergrond"),
                "Mensen met een psychiatrische aandoening, nu of in het verleden.",
            ),
            (
                "students",
                gettext_noop("Studenten (mbo, hbo, wo)"),
                "Studenten in het mbo, het hbo of aan de universiteit.",
            ),
            (
                "status_holders",
                gettext_noop("Statushouders"),
                "Vluchtelingen met een verblijfsvergunning die in de gemeente zijn komen wonen.",
            ),
            (
                "single_parents",
                gettext_noop("Alleenstaande ouders"),
                "Ouders die de zorg voor hun kinderen alleen dragen.",
            ),
        ),
        resident_name=gettext_noop("Voor wie"),
        resident_terms={
            "age_75_plus": gettext_noop("75 jaar en ouder"),
            "chronic_illness": gettext_noop("Langdurig ziek of een beperking"),
            "migration_background": gettext_noop("Uit een ander land"),
            "living_alone": gettext_noop("Mensen die alleen wonen"),
            "informal_carers": gettext_noop("Zorgen voor een naaste (mantelzorg)"),
            "low_literacy": gettext_noop("Moeite met lezen en schrijven"),
            "low_income": gettext_noop("Weinig geld"),
            "bereaved": gettext_noop("Na het verlies van een dierbare"),
            "autism": gettext_noop("Mensen met autisme"),
            "psychiatric_background": gettext_noop("Psychische problemen (nu of vroeger)"),
            "students": gettext_noop("Studenten"),
            "status_holders": gettext_noop("Nieuw in Nederland met een verblijfsvergunning"),
        },
    ),
    Vocabulary(
        "form",
        gettext_noop("Vorm"),
        "Groep of individueel.",
        "service_characteristic",
        (
            ("group", gettext_noop("In een groep"), "U doet mee met anderen."),
            (
                "individual",
                gettext_noop("Eén op één"),
                "Alleen u en een vrijwilliger of medewerker.",
            ),
        ),
        resident_name=gettext_noop("Groep of één op één"),
    ),
    Vocabulary(
        "frequency",
        gettext_noop("Duur"),
        "Eenmalig of structureel.",
        "service_characteristic",
        (
            ("one_off", gettext_noop("Eenmalig"), "Eén keer, zoals een uitje of een gesprek."),
            ("structural", gettext_noop("Vast ritme"), "Terugkerend, zoals elke week."),
        ),
        resident_name=gettext_noop("Hoe vaak"),
        resident_terms={
            "one_off": gettext_noop("Eén keer"),
            "structural": gettext_noop("Op vaste momenten"),
        },
    ),
    Vocabulary(
        "place",
        gettext_noop("Waar"),
        "Thuis of buitenshuis.",
        "service_characteristic",
        (
            (
                "at_home",
                gettext_noop("Bij u thuis"),
                "Iemand komt bij u thuis, of het kan per telefoon of online.",
            ),
            ("outside", gettext_noop("Buitenshuis"), "U gaat ergens naartoe."),
        ),
    ),
    Vocabulary(
        "cost_category",
        gettext_noop("Kosten"),
        "Gratis, gesubsidieerd of commercieel.",
        "service_characteristic",
        (
            ("free", gettext_noop("Gratis"), "U betaalt niets."),
            (
                "subsidised",
                gettext_noop("Kleine bijdrage"),
                "U betaalt een kleine bijdrage; de rest wordt betaald.",
            ),
            ("commercial", gettext_noop("Betaald"), "U betaalt de volle prijs."),
        ),
    ),
    Vocabulary(
        "problem",
        gettext_noop("Soort probleem"),
        "Het soort probleem waar de dienst bij helpt.",
        "service_characteristic",
        (
            (
                "social_loneliness",
                gettext_noop("Te weinig contacten"),
                "Sociale eenzaamheid: te weinig mensen om u heen.",
            ),
            (
                "emotional_loneliness",
                gettext_noop("Een gemis"),
                "Emotionele eenzaamheid: u mist een hechte band, bijvoorbeeld na verlies.",
            ),
            (
                "practical_barriers",
                gettext_noop("Praktische drempels"),
                "Vervoer, geld, gezondheid of de taal.",
            ),
            (
                "prevention",
                gettext_noop("Voorkomen"),
                "Eenzaamheid voorkomen, bijvoorbeeld bij grote veranderingen.",
            ),
        ),
        resident_name=gettext_noop("Helpt bij"),
        resident_terms={
            "emotional_loneliness": gettext_noop("Iemand missen"),
            "practical_barriers": gettext_noop("Vervoer, geld of taal zit in de weg"),
            "prevention": gettext_noop("Eenzaamheid voorkomen"),
        },
    ),
    Vocabulary(
        "condition",
        gettext_noop("Voorwaarden"),
        "Wat nodig is om mee te doen.",
        "eligibility",
        (
            (
                "referral_needed",
                gettext_noop("Verwijzing nodig"),
                "U hebt een verwijzing nodig, bijvoorbeeld van de huisarts.",
            ),
            (
                "indication_needed",
                gettext_noop("Indicatie nodig"),
                "U hebt een indicatie nodig (Wmo of Wlz).",
            ),
            (
                "income_limit",
                gettext_noop("Inkomensgrens"),
                "Alleen voor mensen met een inkomen onder een grens.",
            ),
            ("no_conditions", gettext_noop("Geen voorwaarden"), "Iedereen kan meedoen."),
        ),
        resident_terms={
            "referral_needed": gettext_noop("Alleen met een verwijzing"),
            "indication_needed": gettext_noop("Alleen na goedkeuring van de gemeente of het CIZ"),
            "income_limit": gettext_noop("Alleen bij een laag inkomen"),
            "no_conditions": gettext_noop("Iedereen kan meedoen"),
        },
    ),
    Vocabulary(
        "partner_domain",
        gettext_noop("Domein"),
        "De twaalf domeinen van partners in een lokale coalitie (seed 001, paragraaf 12).",
        "organization_domain",
        (
            (
                "municipality",
                gettext_noop("Gemeente"),
                "De gemeente, algemeen en vanuit alle domeinen.",
            ),
            (
                "self_organisations",
                gettext_noop("Zelforganisaties"),
                "Ouderenbonden, cliënten- en patiëntenorganisaties.",
            ),
            ("businesses", gettext_noop("Ondernemers"), "Supermarkten, kappers, notarissen."),
            ("integration", gettext_noop("Integratie"), "Azc's, VluchtelingenWerk, reclassering."),
            (
                "debt_poverty",
                gettext_noop("Schulden en armoede"),
                "Kredietbank, schuldhulpverleners.",
            ),
            (
                "care_welfare",
                gettext_noop("Zorg en welzijn"),
                "Zorg- en welzijnsorganisaties, (para)medici.",
            ),
            ("housing", gettext_noop("Woningcorporaties en bouw"), "Woningcorporaties en bouw."),
            (
                "arts_culture",
                gettext_noop("Kunst en cultuur"),
                "Bibliotheken, centra voor de kunsten.",
            ),
            (
                "faith",
                gettext_noop("Geloofsgemeenschappen"),
                "Kerken, moskeeën en andere geloofsgemeenschappen.",
            ),
            ("sport", gettext_noop("Sport en bewegen"), "Sportscholen en -verenigingen."),
            ("education", gettext_noop("Onderwijs"), "Lager, middelbaar en hoger onderwijs."),
            (
                "finance",
                gettext_noop("Financiële sector"),
                "Banken, verzekeraars, goededoelenfondsen.",
            ),
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

    Takes the models as arguments so the data migrations can pass their historical models;
    before migration 0006 a term has no `resident_name`, which is then left out. A resident
    name is filled in only where none is set and the term still has its seeded name: a term an
    administrator renamed keeps showing their name.
    """
    with_resident_names = any(f.name == "resident_name" for f in term_model._meta.get_fields())
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
            resident_name = vocabulary.resident_terms.get(code, "")
            defaults = {
                "taxonomy": taxonomy,
                "code": code,
                "name": name,
                "description": description,
                "language": "nl",
            }
            if with_resident_names:
                defaults["resident_name"] = resident_name
            term, created = term_model.objects.get_or_create(
                id=term_id(vocabulary.key, code), defaults=defaults
            )
            if with_resident_names and not created and resident_name:
                term_model.objects.filter(pk=term.pk, resident_name="", name=name).update(
                    resident_name=resident_name
                )
