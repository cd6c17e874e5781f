"""Personas: groups of residents with shared needs, in the vocabularies of the sociale kaart.

Den Haag described such groups per district and matched the offering to their needs (seed
003); `white_spots` does that match. Policy officers and administrators keep the personas
(`Capability.MANAGE_PERSONAS`); every change goes through the functions below, which check the
codes against the vocabularies and write an audit event (no personal data: a persona describes
a group, never a person).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.audit.services import record_event
from omzien.directory.models import TaxonomyTerm
from omzien.directory.vocabularies import BY_KEY
from omzien.insight.models import AreaFigure, Persona
from omzien.insight.white_spots import (
    CHARACTERISTIC_KEYS,
    LONELINESS_INDICATOR,
    SIZE_INDICATORS,
)

# Refusal of a code that is not in the vocabulary (also used by the form).
UNKNOWN_CODE = gettext_lazy(
    "'%(code)s' is geen bekende code voor %(vocabulary)s. Kies uit de lijst."
)
NAME_MAX_LENGTH = Persona._meta.get_field("name").max_length or 120
DESCRIPTION_MAX_LENGTH = 2000


@dataclass
class PersonaData:
    name: str
    description: str = ""
    target_groups: list[str] = field(default_factory=list)
    support_kinds: list[str] = field(default_factory=list)
    characteristics: dict[str, list[str]] = field(default_factory=dict)
    size_indicator: str = ""


# -- the defaults --------------------------------------------------------------------------------

# Groups that run a higher risk of loneliness (seed 001, section 6; seed 003), with the kinds
# of support of Movisie's seven active elements that fit them. Size indicators are CBS key
# figures per district that the import reads (see `white_spots.SIZE_INDICATORS`); CBS has no
# figure for carers, young people or widowed people per district here, so those use a proxy
# (all residents; single-person households) and the pages name the figure used.
# Names and descriptions are data in Dutch, editable afterwards, so they are not translated.
DEFAULT_PERSONAS: tuple[PersonaData, ...] = (
    PersonaData(
        "Alleenwonende 75-plusser met weinig netwerk",
        (
            "Woont alleen, is 75 jaar of ouder en ziet weinig mensen. Gaat minder makkelijk de "
            "deur uit. Heeft baat bij iemand die langskomt, een plek om anderen te ontmoeten "
            "en hulp bij praktische dingen zoals vervoer."
        ),
        ["age_75_plus", "living_alone"],
        ["personal_contact", "meeting", "practical"],
        {},
        "residents_75_plus",
    ),
    PersonaData(
        "Mantelzorger die vastloopt",
        (
            "Zorgt veel voor een naaste en heeft weinig tijd voor zichzelf en voor anderen. "
            "Heeft baat bij praktische hulp, iemand om mee te praten en steun om de zorg vol "
            "te houden."
        ),
        ["informal_carers"],
        ["practical", "personal_contact", "expectations"],
        {},
        "residents",
    ),
    PersonaData(
        "Nieuwkomer die de taal nog leert",
        (
            "Woont nog niet lang in Nederland en spreekt de taal nog niet goed. Kent weinig "
            "mensen in de buurt. Heeft baat bij contact met buurtbewoners, oefenen met de taal "
            "en iets kunnen betekenen voor anderen."
        ),
        ["migration_background", "low_literacy"],
        ["social_skills", "meeting", "valued_role"],
        {},
        "residents_origin_outside_europe",
    ),
    PersonaData(
        "Jongere die zich buitengesloten voelt",
        (
            "Is tussen 15 en 25 jaar, voelt zich niet gezien en hoort er niet bij. Praat er "
            "niet snel over. Heeft baat bij leeftijdsgenoten, iets leuks om te doen en leren "
            "hoe je contact maakt."
        ),
        ["youth"],
        ["meeting", "occupation", "social_skills"],
        {},
        "residents",
    ),
    PersonaData(
        "Weduwe of weduwnaar na verlies",
        (
            "Heeft de partner verloren en mist een hechte band. Het sociale leven ging vaak "
            "samen met de partner. Heeft baat bij iemand om mee te praten, lotgenoten en "
            "realistische verwachtingen over nieuw contact."
        ),
        ["bereaved"],
        ["personal_contact", "meeting", "expectations"],
        {"problem": ["emotional_loneliness"]},
        "single_person_households",
    ),
    PersonaData(
        "Oudere met migratieachtergrond",
        (
            "Is ouder, kwam jaren geleden naar Nederland en ziet de kinderen minder. Algemene "
            "activiteiten voelen niet altijd als iets voor hem of haar. Heeft baat bij "
            "ontmoeting met mensen met dezelfde achtergrond en persoonlijk contact."
        ),
        # Not "older_adults" too: any offering for older people would then count.
        ["migration_background"],
        ["meeting", "personal_contact"],
        {},
        "residents_origin_outside_europe",
    ),
    PersonaData(
        "Persoon met weinig geld en schulden",
        (
            "Heeft weinig geld of schulden en schaamt zich daarvoor. Meedoen kost vaak geld. "
            "Heeft baat bij gratis of goedkope activiteiten, praktische hulp en een zinvolle "
            "rol."
        ),
        ["low_income"],
        ["practical", "meeting", "valued_role"],
        {"cost_category": ["free", "subsidised"]},
        "share_low_income_households",
    ),
)


def ensure_default_personas() -> list[Persona]:
    """Create the default personas that are missing (by name); never change existing ones,
    which policy officers may have adapted. Returns the personas created."""
    existing = set(Persona.objects.values_list("name", flat=True))
    created = []
    for data in DEFAULT_PERSONAS:
        if data.name in existing:
            continue
        validate_persona(data)
        created.append(
            Persona.objects.create(
                name=data.name,
                description=data.description,
                target_groups=list(data.target_groups),
                support_kinds=list(data.support_kinds),
                characteristics={k: list(v) for k, v in data.characteristics.items()},
                size_indicator=data.size_indicator,
            )
        )
    return created


def demo_personas() -> list[str]:
    """For `omzien demo-data`: the default personas, as lines to print."""
    created = ensure_default_personas()
    return [
        f"Personas: {len(DEFAULT_PERSONAS)} default personas ({len(created)} new), "
        f"{Persona.objects.count()} in total."
    ]


# -- validation ----------------------------------------------------------------------------------


def vocabulary_terms(key: str) -> dict[str, str]:
    """code -> current name of the terms of one of our vocabularies (administrators may add
    and rename terms, so the database is asked, not vocabularies.py)."""
    return {
        code: _(name)
        for code, name in TaxonomyTerm.objects.filter(taxonomy__key=key)
        .order_by("name")
        .values_list("code", "name")
        if code
    }


def vocabulary_name(key: str) -> str:
    vocabulary = BY_KEY.get(key)
    return _(vocabulary.name) if vocabulary else key


def size_indicator_choices() -> dict[str, str]:
    """Indicators a persona may use for its size: the documented ones and any other count or
    share in the area figures, except the loneliness figures (those rank, they are no group)."""
    choices = {code: str(label) for code, label in SIZE_INDICATORS.items()}
    for indicator in (
        AreaFigure.objects.filter(unit__in=("count", "percent"))
        .exclude(indicator__contains=LONELINESS_INDICATOR)
        .order_by("indicator")
        .values_list("indicator", flat=True)
        .distinct()
    ):
        choices.setdefault(indicator, indicator)
    return choices


def validate_persona(data: PersonaData, instance: Persona | None = None) -> None:
    """Raise ValidationError (per field, in plain Dutch) when the persona is not usable."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    name = data.name.strip()
    if not name:
        add("name", _("Geef de persona een naam."))
    elif len(name) > NAME_MAX_LENGTH:
        add(
            "name",
            _("De naam is te lang. Gebruik hoogstens %(n)d tekens.") % {"n": NAME_MAX_LENGTH},
        )
    else:
        taken = Persona.objects.filter(name__iexact=name)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            add("name", _("Er is al een persona met deze naam. Kies een andere naam."))
    if len(data.description) > DESCRIPTION_MAX_LENGTH:
        add(
            "description",
            _("De beschrijving is te lang. Gebruik hoogstens %(n)d tekens.")
            % {"n": DESCRIPTION_MAX_LENGTH},
        )

    for field_name, key, missing in (
        ("target_groups", "target_group", _("Kies minstens één doelgroep.")),
        ("support_kinds", "support_kind", _("Kies minstens één soort steun.")),
    ):
        codes = getattr(data, field_name)
        if not codes:
            add(field_name, missing)
            continue
        known = vocabulary_terms(key)
        for code in codes:
            if code not in known:
                add(field_name, _unknown(code, key))

    for key, codes in data.characteristics.items():
        if key not in CHARACTERISTIC_KEYS:
            add(
                "characteristics",
                _("'%(key)s' is geen kenmerk dat een persona kan hebben.") % {"key": key},
            )
            continue
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            add("characteristics", _("Kenmerken moeten een lijst met codes zijn."))
            continue
        known = vocabulary_terms(key)
        for code in codes:
            if code not in known:
                add(f"characteristic_{key}", _unknown(code, key))

    if data.size_indicator and data.size_indicator not in size_indicator_choices():
        add(
            "size_indicator",
            _("'%(code)s' is geen bekend cijfer voor de grootte van de groep. Kies uit de lijst.")
            % {"code": data.size_indicator},
        )
    if errors:
        raise ValidationError(errors)


def _unknown(code: str, key: str) -> str:
    return UNKNOWN_CODE % {"code": code, "vocabulary": vocabulary_name(key).lower()}


def _clean(data: PersonaData) -> PersonaData:
    return PersonaData(
        name=" ".join(data.name.split()),
        description=data.description.strip(),
        target_groups=list(dict.fromkeys(data.target_groups)),
        support_kinds=list(dict.fromkeys(data.support_kinds)),
        characteristics={
            key: list(dict.fromkeys(codes))
            for key, codes in sorted(data.characteristics.items())
            if codes
        },
        size_indicator=data.size_indicator.strip(),
    )


# -- changes -------------------------------------------------------------------------------------


def _details(persona: Persona) -> dict[str, Any]:
    return {
        "target_groups": persona.target_groups,
        "support_kinds": persona.support_kinds,
        "characteristics": persona.characteristics,
        "size_indicator": persona.size_indicator,
    }


@transaction.atomic
def create_persona(data: PersonaData, *, request: HttpRequest | None = None) -> Persona:
    data = _clean(data)
    validate_persona(data)
    persona = Persona.objects.create(
        name=data.name,
        description=data.description,
        target_groups=data.target_groups,
        support_kinds=data.support_kinds,
        characteristics=data.characteristics,
        size_indicator=data.size_indicator,
    )
    record_event("persona.create", request=request, obj=persona, details=_details(persona))
    return persona


@transaction.atomic
def update_persona(
    persona: Persona, data: PersonaData, *, request: HttpRequest | None = None
) -> Persona:
    data = _clean(data)
    validate_persona(data, instance=persona)
    persona.name = data.name
    persona.description = data.description
    persona.target_groups = data.target_groups
    persona.support_kinds = data.support_kinds
    persona.characteristics = data.characteristics
    persona.size_indicator = data.size_indicator
    persona.save(
        update_fields=[
            "name",
            "description",
            "target_groups",
            "support_kinds",
            "characteristics",
            "size_indicator",
        ]
    )
    record_event("persona.update", request=request, obj=persona, details=_details(persona))
    return persona


@transaction.atomic
def delete_persona(persona: Persona, *, request: HttpRequest | None = None) -> None:
    record_event("persona.delete", request=request, obj=persona, details=_details(persona))
    persona.delete()


def persona_data(persona: Persona) -> PersonaData:
    return PersonaData(
        name=persona.name,
        description=persona.description,
        target_groups=list(persona.target_groups or []),
        support_kinds=list(persona.support_kinds or []),
        characteristics={k: list(v) for k, v in (persona.characteristics or {}).items()},
        size_indicator=persona.size_indicator,
    )
