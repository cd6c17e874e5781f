"""Plausible, clearly fictional services: the demo's local offer and the 100 000-service
directory the performance targets are measured on (`omzien generate-services`).

Everything is made with one seeded random generator, so a given count and seed always give the
same directory. Organisations carry "(demo)" in their name; streets are "Voorbeeldstraat".
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from omzien.areas.geo import geometry_centre
from omzien.areas.models import District
from omzien.directory import models as m
from omzien.directory.vocabularies import BY_KEY, ensure_vocabularies, term_id


@dataclass(frozen=True)
class Activity:
    name: str
    description: str
    support: tuple[str, ...]
    targets: tuple[str, ...]
    form: str
    frequency: str
    place: str
    cost: str
    problems: tuple[str, ...]
    days: tuple[str, ...]
    hours: tuple[int, int]
    amount: str | None = None
    min_age: int | None = None
    condition: str = "no_conditions"
    eligibility: str = ""


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "Koffieochtend",
        "Elke week koffie of thee drinken en een praatje maken met buren. U bent welkom, ook als u niemand kent. Een vrijwilliger ontvangt u.",
        ("meeting",),
        ("everyone", "living_alone"),
        "group",
        "structural",
        "outside",
        "free",
        ("social_loneliness",),
        ("TU", "TH"),
        (10, 12),
    ),
    Activity(
        "Samen eten",
        "Eén keer per week samen een warme maaltijd eten. Vrijwilligers koken. U eet aan tafel met andere buurtbewoners.",
        ("meeting",),
        ("living_alone", "older_adults"),
        "group",
        "structural",
        "outside",
        "subsidised",
        ("social_loneliness",),
        ("WE",),
        (17, 19),
        "4.50",
    ),
    Activity(
        "Wandelgroep",
        "Samen wandelen door de wijk, in een rustig tempo. Na afloop drinken we koffie. Goed voor lichaam en contact.",
        ("meeting", "occupation"),
        ("older_adults", "everyone"),
        "group",
        "structural",
        "outside",
        "free",
        ("social_loneliness", "prevention"),
        ("MO",),
        (10, 11),
    ),
    Activity(
        "Maatjesproject",
        "Een vaste vrijwilliger, uw maatje, komt regelmatig langs voor een gesprek of om samen iets te doen. U kiest samen wat.",
        ("personal_contact",),
        ("living_alone", "age_75_plus"),
        "individual",
        "structural",
        "at_home",
        "free",
        ("emotional_loneliness", "social_loneliness"),
        ("MO", "TU", "WE", "TH", "FR"),
        (9, 17),
    ),
    Activity(
        "Huisbezoek voor 75-plussers",
        "Een vrijwilliger komt bij u thuis op bezoek voor een gesprek over hoe het met u gaat, en wat u nodig hebt.",
        ("personal_contact", "practical"),
        ("age_75_plus",),
        "individual",
        "one_off",
        "at_home",
        "free",
        ("social_loneliness", "prevention"),
        ("MO", "TU", "WE", "TH", "FR"),
        (9, 16),
        None,
        75,
    ),
    Activity(
        "Taalcafé",
        "Oefen Nederlands in een ontspannen sfeer. U praat met vrijwilligers en andere deelnemers over gewone dingen.",
        ("social_skills", "meeting"),
        ("migration_background", "low_literacy"),
        "group",
        "structural",
        "outside",
        "free",
        ("practical_barriers", "social_loneliness"),
        ("TU",),
        (19, 21),
    ),
    Activity(
        "Repair Café",
        "Neem iets kapots mee en repareer het samen met handige vrijwilligers. Of kom helpen als u handig bent.",
        ("valued_role", "meeting"),
        ("everyone",),
        "group",
        "structural",
        "outside",
        "free",
        ("social_loneliness",),
        ("SA",),
        (10, 13),
    ),
    Activity(
        "Mantelzorgcafé",
        "Voor mensen die zorgen voor een naaste. Even ontspannen, ervaringen delen en tips krijgen.",
        ("meeting", "expectations"),
        ("informal_carers",),
        "group",
        "structural",
        "outside",
        "free",
        ("emotional_loneliness", "prevention"),
        ("TH",),
        (14, 16),
    ),
    Activity(
        "Rouwgroep",
        "Praten over het verlies van een dierbare, met mensen die hetzelfde meemaken. Onder begeleiding van een ervaren vrijwilliger.",
        ("personal_contact", "expectations"),
        ("bereaved",),
        "group",
        "structural",
        "outside",
        "free",
        ("emotional_loneliness",),
        ("WE",),
        (14, 16),
    ),
    Activity(
        "Gesprekgroep Grip op je leven",
        "Een cursus van acht bijeenkomsten over contact maken en houden, en over wat u zelf wilt.",
        ("social_skills", "expectations"),
        ("everyone",),
        "group",
        "one_off",
        "outside",
        "subsidised",
        ("emotional_loneliness", "social_loneliness"),
        ("MO",),
        (13, 15),
        "15.00",
    ),
    Activity(
        "Boodschappenhulp",
        "Een vrijwilliger doet boodschappen met u of voor u, en drinkt daarna een kop koffie met u.",
        ("practical", "personal_contact"),
        ("age_75_plus", "chronic_illness"),
        "individual",
        "structural",
        "at_home",
        "free",
        ("practical_barriers",),
        ("TU", "FR"),
        (9, 12),
    ),
    Activity(
        "Vervoer naar activiteiten",
        "Vrijwillige chauffeurs brengen u naar activiteiten, de dokter of familie als u zelf niet kunt reizen.",
        ("practical",),
        ("age_75_plus", "chronic_illness"),
        "individual",
        "one_off",
        "outside",
        "subsidised",
        ("practical_barriers",),
        ("MO", "TU", "WE", "TH", "FR"),
        (8, 18),
        "2.50",
    ),
    Activity(
        "Computerspreekuur",
        "Hulp bij uw telefoon, tablet of computer. Zo kunt u videobellen met familie en berichten sturen.",
        ("practical", "social_skills"),
        ("older_adults", "low_literacy"),
        "individual",
        "one_off",
        "outside",
        "free",
        ("practical_barriers",),
        ("WE",),
        (10, 12),
    ),
    Activity(
        "Zingen in het buurtkoor",
        "Iedere week samen zingen. U hoeft geen noten te lezen. Plezier staat voorop.",
        ("meeting", "occupation"),
        ("everyone",),
        "group",
        "structural",
        "outside",
        "commercial",
        ("social_loneliness",),
        ("TH",),
        (19, 21),
        "7.50",
    ),
    Activity(
        "Schilderclub",
        "Schilderen en tekenen met anderen, op uw eigen niveau. Materiaal is aanwezig.",
        ("occupation", "meeting"),
        ("older_adults", "everyone"),
        "group",
        "structural",
        "outside",
        "subsidised",
        ("social_loneliness",),
        ("FR",),
        (13, 15),
        "3.00",
    ),
    Activity(
        "Jeu de boules",
        "Samen jeu de boules spelen op de baan bij het buurthuis. Ballen kunt u lenen.",
        ("occupation", "meeting"),
        ("older_adults",),
        "group",
        "structural",
        "outside",
        "free",
        ("social_loneliness",),
        ("WE", "SA"),
        (14, 16),
    ),
    Activity(
        "Buurtmoestuin",
        "Samen groente kweken en oogsten. Niemand hoeft er verstand van te hebben.",
        ("valued_role", "occupation"),
        ("everyone",),
        "group",
        "structural",
        "outside",
        "free",
        ("social_loneliness", "prevention"),
        ("SA",),
        (10, 12),
    ),
    Activity(
        "Telefooncirkel",
        "Elke ochtend belt u kort met iemand uit de cirkel. Zo weet iedereen dat het goed gaat.",
        ("personal_contact",),
        ("living_alone", "age_75_plus"),
        "group",
        "structural",
        "at_home",
        "free",
        ("social_loneliness", "prevention"),
        ("MO", "TU", "WE", "TH", "FR"),
        (9, 10),
    ),
    Activity(
        "Vrijwilligerswerk vinden",
        "Een consulent helpt u vrijwilligerswerk te vinden dat bij u past. Zo betekent u iets voor anderen.",
        ("valued_role",),
        ("everyone", "youth"),
        "individual",
        "one_off",
        "outside",
        "free",
        ("social_loneliness", "prevention"),
        ("TU", "TH"),
        (9, 12),
    ),
    Activity(
        "Welzijn op recept",
        "Via uw huisarts komt u bij een welzijnscoach. Samen zoekt u activiteiten die u plezier geven.",
        ("personal_contact", "occupation"),
        ("everyone",),
        "individual",
        "one_off",
        "outside",
        "free",
        ("emotional_loneliness", "social_loneliness"),
        ("MO", "WE"),
        (9, 12),
        None,
        18,
        "referral_needed",
        "U hebt een verwijzing van uw huisarts nodig.",
    ),
    Activity(
        "Jongerenbuddy",
        "Een jonge vrijwilliger is een tijdje uw buddy: om te praten, te sporten of gewoon samen op pad te gaan.",
        ("personal_contact",),
        ("youth",),
        "individual",
        "structural",
        "outside",
        "free",
        ("emotional_loneliness", "social_loneliness"),
        ("WE", "SA"),
        (15, 18),
        None,
        16,
    ),
    Activity(
        "Bewegen voor ouderen",
        "Rustige gymnastiek op een stoel, met muziek. Daarna koffie met de groep.",
        ("occupation", "meeting"),
        ("older_adults", "chronic_illness"),
        "group",
        "structural",
        "outside",
        "subsidised",
        ("social_loneliness", "prevention"),
        ("TU",),
        (10, 11),
        "2.00",
        55,
    ),
    Activity(
        "Thuisadministratie",
        "Een vrijwilliger helpt u met post, rekeningen en formulieren. Zo houdt u overzicht en rust.",
        ("practical",),
        ("low_income", "low_literacy"),
        "individual",
        "structural",
        "at_home",
        "free",
        ("practical_barriers",),
        ("MO", "TH"),
        (13, 16),
        None,
        None,
        "income_limit",
        "Voor mensen met een inkomen tot 130% van het sociaal minimum.",
    ),
    Activity(
        "Kaartclub",
        "Klaverjassen en andere kaartspellen. Nieuwe spelers zijn welkom; we leggen het uit.",
        ("occupation", "meeting"),
        ("older_adults",),
        "group",
        "structural",
        "outside",
        "commercial",
        ("social_loneliness",),
        ("MO",),
        (19, 22),
        "1.50",
    ),
    Activity(
        "Dagbesteding",
        "Een dag in de week samen bezig zijn, met begeleiding. Voor mensen die dat nodig hebben.",
        ("occupation", "meeting"),
        ("chronic_illness", "age_75_plus"),
        "group",
        "structural",
        "outside",
        "subsidised",
        ("social_loneliness", "practical_barriers"),
        ("MO", "WE", "FR"),
        (10, 15),
        None,
        None,
        "indication_needed",
        "U hebt een Wmo-indicatie nodig.",
    ),
    Activity(
        "Wijkrestaurant",
        "Lekker en goedkoop eten in het buurthuis, samen met anderen uit de wijk.",
        ("meeting",),
        ("everyone", "low_income"),
        "group",
        "structural",
        "outside",
        "subsidised",
        ("social_loneliness",),
        ("TH",),
        (12, 14),
        "5.00",
    ),
    Activity(
        "Fietsmaatjes",
        "Samen fietsen op een duofiets. Een vrijwilliger trapt mee en stuurt.",
        ("occupation", "personal_contact"),
        ("chronic_illness", "age_75_plus"),
        "individual",
        "structural",
        "outside",
        "free",
        ("practical_barriers", "social_loneliness"),
        ("TU", "FR"),
        (10, 12),
    ),
    Activity(
        "Ontmoetingsmiddag voor nieuwkomers",
        "Nieuw in de wijk of in Nederland? Maak kennis met buren en ontdek wat er te doen is.",
        ("meeting", "social_skills"),
        ("migration_background",),
        "group",
        "one_off",
        "outside",
        "free",
        ("social_loneliness",),
        ("SA",),
        (14, 16),
    ),
)

PROVIDER_NAMES = (
    "Buurthuis De Brug",
    "Wijkvereniging Ons Dorp",
    "Vrijwilligerscentrale",
    "Seniorenvereniging Samen Verder",
    "Kerkgemeenschap De Ark",
    "Sportclub Vitaal",
    "Leeshuis",
    "Stichting Thuis in de Wijk",
    "Taalhuis",
    "Stichting Naast Elkaar",
)
GENERIC_PLACES = (
    "Centrum",
    "Noord",
    "Oost",
    "Zuid",
    "West",
    "De Akkers",
    "De Heuvel",
    "Het Dorp",
    "Buitenveld",
    "Molenwijk",
    "Kerkwijk",
    "Parkwijk",
    "Waterkant",
    "De Velden",
    "Schoolbuurt",
)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Place:
    name: str  # e.g. "Brandevoort"
    area_code: str  # CBS district code, or "" when no areas are loaded
    latitude: float
    longitude: float


def places_from_areas() -> list[Place]:
    """Districts of the loaded municipality with the centre of their boundary."""
    places = []
    for district in District.objects.order_by("-year", "code"):
        centre = geometry_centre(district.geometry)
        if centre is None:
            continue
        # "Wijk 21 Brandevoort" -> "Brandevoort"
        parts = district.name.split(" ", 2)
        name = parts[2] if len(parts) == 3 and parts[0] == "Wijk" else district.name
        places.append(Place(name, district.code, centre[0], centre[1]))
        if len(places) >= 60:
            break
    return places


def generic_places(rng: random.Random) -> list[Place]:
    return [
        Place(name, "", 51.48 + rng.uniform(-0.04, 0.04), 5.66 + rng.uniform(-0.06, 0.06))
        for name in GENERIC_PLACES
    ]


# A DNS label: letters, digits and hyphens, at most 63 characters, no hyphen at either end.
_NOT_IN_LABEL = re.compile(r"[^a-z0-9]+")
DEMO_DOMAIN = "demo.omzien.nl"


def domain_label(text: str, max_length: int = 40) -> str:
    """A valid domain label made from a name: "Seniorenvereniging Samen Verder Helmond" gives
    "seniorenvereniging-samen-verder-helmond"; cut to `max_length` without a trailing hyphen
    (which would make the e-mail address invalid)."""
    label = _NOT_IN_LABEL.sub("-", slugify(text).lower()).strip("-")
    return label[: min(max_length, 63)].strip("-") or "demo"


def demo_email(name: str) -> str:
    """The demo address of an organisation: info@<label>.demo.omzien.nl."""
    return f"info@{domain_label(name)}.{DEMO_DOMAIN}"


def _terms() -> dict[tuple[str, str], uuid.UUID]:
    return {(v.key, code): term_id(v.key, code) for v in BY_KEY.values() for code, *_ in v.terms}


@transaction.atomic
def generate(
    count: int,
    *,
    seed: int = 794,
    places: list[Place] | None = None,
    batch_size: int = 2000,
    slug_prefix: str = "",
) -> int:
    """Create `count` services with organisations, locations, schedules, costs and attributes."""
    ensure_vocabularies(m.Taxonomy, m.TaxonomyTerm)
    rng = random.Random(seed)  # noqa: S311  (not for security: a reproducible demo)
    places = places or places_from_areas() or generic_places(rng)
    terms = _terms()
    today = timezone.localdate()
    now = timezone.now()

    organizations: list[m.Organization] = []
    locations_by_org: dict[uuid.UUID, list[m.Location]] = {}
    buffers: dict[type, list] = {}

    def add(obj: object) -> None:
        buffers.setdefault(type(obj), []).append(obj)

    def flush() -> None:
        # Parents before children, so foreign keys exist when rows arrive.
        order = (
            m.Organization,
            m.Location,
            m.Address,
            m.Service,
            m.ServiceAtLocation,
            m.Schedule,
            m.CostOption,
            m.ServiceArea,
            m.Language,
            m.Phone,
            m.Attribute,
        )
        for model in order:
            rows = buffers.pop(model, [])
            if rows:
                model.objects.bulk_create(rows, batch_size=batch_size)

    services_per_org = 12
    created = 0
    used_names: set[str] = set()
    for index in range(count):
        if index % services_per_org == 0:
            place = rng.choice(places)
            provider = rng.choice(PROVIDER_NAMES)
            number = index // services_per_org + 1
            org_name = f"{provider} {place.name}" + (f" {number}" if count > 400 else "")
            org = m.Organization(
                name=f"{org_name} (demo)",
                description=f"{provider} organiseert activiteiten in {place.name}. Fictief: demogegevens.",
                email=demo_email(org_name),
                is_trusted=rng.random() < 0.5,
            )
            organizations.append(org)
            add(org)
            locations_by_org[org.id] = []
            for n in range(rng.randint(1, 3)):
                location = m.Location(
                    organization=org,
                    name=f"{provider} {place.name}" + (f", zaal {n + 1}" if n else ""),
                    latitude=round(place.latitude + rng.uniform(-0.006, 0.006), 6),
                    longitude=round(place.longitude + rng.uniform(-0.009, 0.009), 6),
                    transportation="Bushalte op 200 meter. Parkeren voor de deur.",
                )
                add(location)
                add(
                    m.Address(
                        location=location,
                        address_1=f"Voorbeeldstraat {rng.randint(1, 180)}",
                        city="Helmond",
                        state_province="Noord-Brabant",
                        postal_code="",
                        country="NL",
                    )
                )
                locations_by_org[org.id].append(location)
        activity = rng.choice(ACTIVITIES)
        name = f"{activity.name} {place.name}"
        if name in used_names:
            name = f"{name} ({provider})"
        used_names.add(name)
        verified = today - timedelta(days=rng.choice((3, 20, 45, 90, 150, 170, 200, 260, 400)))
        service = m.Service(
            organization=org,
            name=name,
            slug=f"{slug_prefix}{slugify(name)[:80]}-{index + 1}",
            description=activity.description,
            eligibility_description=activity.eligibility or _eligibility_text(activity, rng),
            application_process=rng.choice(
                (
                    "U kunt gewoon binnenlopen.",
                    "Bel of mail ons, dan spreken we een kennismaking af.",
                    "Meld u aan via het buurthuis of bel ons.",
                )
            ),
            fees_description=_fees_text(activity),
            minimum_age=activity.min_age,
            email=org.email,
            url="",
            assured_date=verified,
            assurer_email=org.email,
            last_modified=now - timedelta(days=rng.randint(0, 400)),
            scope=m.ServiceScope.DISTRICT if place.area_code else m.ServiceScope.MUNICIPALITY,
            status=m.ServiceStatus.TEMPORARILY_CLOSED
            if rng.random() < 0.02
            else m.ServiceStatus.ACTIVE,
        )
        add(service)
        location = rng.choice(locations_by_org[org.id])
        sal = m.ServiceAtLocation(service=service, location=location)
        add(sal)
        days = activity.days if len(activity.days) <= 2 else tuple(rng.sample(activity.days, 2))
        start_hour, end_hour = activity.hours
        add(
            m.Schedule(
                service=service,
                freq=m.Schedule.Freq.WEEKLY,
                byday=",".join(days),
                wkst="MO",
                interval=1,
                opens_at=time(start_hour, 0),
                closes_at=time(end_hour, 0),
                description=_schedule_text(days, start_hour, end_hour),
                valid_from=date(today.year, 1, 1),
            )
        )
        add(
            m.CostOption(
                service=service,
                option="Per keer" if activity.amount else "Gratis",
                amount=Decimal(activity.amount) if activity.amount else Decimal("0"),
                currency="EUR",
                amount_description=_fees_text(activity),
            )
        )
        add(
            m.ServiceArea(
                service=service,
                name=place.name,
                area_code=place.area_code,
                extent_type="text" if place.area_code else "",
                description=f"Voor bewoners van {place.name} en omgeving.",
            )
        )
        add(m.Language(service=service, name="Nederlands", code="nl"))
        if activity.support == ("social_skills", "meeting") and rng.random() < 0.5:
            add(m.Language(service=service, name="Arabisch", code="ar"))
        add(
            m.Phone(
                service=service,
                number=f"0492 {rng.randint(100, 999)} {rng.randint(100, 999)}",
                type="voice",
            )
        )
        tags = [("support_kind", c) for c in activity.support]
        tags += [("target_group", c) for c in activity.targets]
        tags += [
            ("form", activity.form),
            ("frequency", activity.frequency),
            ("place", activity.place),
            ("cost_category", activity.cost),
            ("condition", activity.condition),
        ]
        tags += [("problem", c) for c in activity.problems]
        for key, code in tags:
            add(
                m.Attribute(
                    link_id=service.id,
                    link_entity="service",
                    link_type=BY_KEY[key].link_type,
                    taxonomy_term_id=terms[(key, code)],
                    service=service,
                )
            )
        created += 1
        if created % batch_size == 0:
            flush()
    flush()
    return created


_DAY_NAMES = {
    "MO": "maandag",
    "TU": "dinsdag",
    "WE": "woensdag",
    "TH": "donderdag",
    "FR": "vrijdag",
    "SA": "zaterdag",
    "SU": "zondag",
}


def _schedule_text(days: tuple[str, ...], start: int, end: int) -> str:
    names = [_DAY_NAMES[d] for d in days]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
    return f"Elke {joined} van {start}.00 tot {end}.00 uur."


def _fees_text(activity: Activity) -> str:
    if activity.cost == "free":
        return "Gratis."
    if activity.amount:
        return f"€ {activity.amount.replace('.', ',')} per keer."
    return "Vraag naar de kosten."


def _eligibility_text(activity: Activity, rng: random.Random) -> str:
    if activity.min_age:
        return f"Voor iedereen vanaf {activity.min_age} jaar."
    return rng.choice(("Voor iedereen.", "Voor alle bewoners van de wijk.", "Iedereen is welkom."))
