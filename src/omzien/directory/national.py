"""The national services of seed 001 (section 14, "Naam / Essentie / Doelgroep").

Available in every municipality, so every installation's sociale kaart shows them. The essence
and the target group are the seed's own words; codes map the target group to our vocabulary.
Contact details are left empty on purpose: the seed gives none, and guessing would mislead.
"""

from __future__ import annotations

from typing import NamedTuple


class NationalService(NamedTuple):
    name: str
    essence: str
    target_group: str  # as the seed writes it
    target_codes: tuple[str, ...]
    support_codes: tuple[str, ...]
    min_age: int | None = None
    cost: str | None = None  # cost category code, only where the seed says it
    cost_text: str = ""


NATIONAL_SERVICES: tuple[NationalService, ...] = (
    NationalService(
        "50 Plusplein",
        "Een website met in het forum onder andere een Koffiehoek voor een ‘gezellige babbel’",
        "50-plussers",
        ("older_adults",),
        ("meeting",),
        50,
    ),
    NationalService(
        "50PlusMatch",
        "Online dating voor actieve 50-plussers",
        "50-plussers",
        ("older_adults",),
        ("personal_contact",),
        50,
    ),
    NationalService(
        "50plusser.nl",
        "Een website met met onder andere een forum met een Grand Café als ontmoetingsplaats",
        "50-plussers",
        ("older_adults",),
        ("meeting",),
        50,
    ),
    NationalService(
        "Autthere",
        "Sociale app voor mensen met autisme",
        "Mensen met autisme",
        ("chronic_illness",),
        ("meeting", "social_skills"),
    ),
    NationalService(
        "De Luisterlijn",
        "In het holst van de nacht, in de vroege ochtend of op een feestdag. De Luisterlijn is dag en nacht, het hele jaar door, bereikbaar voor mensen die behoefte hebben aan een vertrouwelijk gesprek. Per mail, alle dagen van de week per chat en 24/7 per telefoon.",
        "Iedereen",
        ("everyone",),
        ("personal_contact",),
    ),
    NationalService(
        "De mensen om mij heen",
        "Een website die in eenvoudige taal en beeld mensen bewust kan maken over het belang van een netwerk.",
        "Mensen die behoefte hebben aan eenvoudige taal en beeld",
        ("low_literacy",),
        ("expectations", "social_skills"),
    ),
    NationalService(
        "De Zilverlijn",
        "De Zilverlijn is een speciale belservice voor ouderen. Als u zich aanmeldt wordt u regelmatig gebeld door onze professionele vrijwilligers. Zij bieden u een luisterend oor, een gezellig praatje of een goed gesprek. Precies waar u behoefte aan heeft.",
        "Ouderen",
        ("older_adults",),
        ("personal_contact",),
    ),
    NationalService(
        "Eenzaam.nl",
        "Eenzaamheid is je niet verbonden voelen. Je ervaart een gemis aan een hechte, emotionele band met anderen. Of je hebt minder contact met andere mensen dan je wenst. Meestal kun je er wat aan doen. Daarover gaat deze website.",
        "Iedereen",
        ("everyone",),
        ("expectations",),
    ),
    NationalService(
        "Gewoon vriendschap",
        "Vriendschapssite voor 50-plussers. Mensen leren kennen met dezelfde interesses.",
        "50-plussers",
        ("older_adults",),
        ("personal_contact", "meeting"),
        50,
    ),
    NationalService(
        "Klup",
        "De app Klup draait het om het ontmoeten van leeftijdsgenoten tijdens gezellige activiteiten. Daarnaast kun je in de Klup app connecties maken en contact houden met andere kluppers (gebruikers) in de buurt en met mensen die je hebt leren kennen tijdens de activiteiten.",
        "50-plussers",
        ("older_adults",),
        ("meeting", "occupation"),
        50,
    ),
    NationalService(
        "Korrelatie",
        "Anoniem en professioneel psychische en psychosociale hulp",
        "Iedereen",
        ("everyone",),
        ("personal_contact",),
    ),
    NationalService(
        "Max 50plusnet.nl",
        "Een website om gratis je sociale netwerk uit te breiden",
        "50-plussers",
        ("older_adults",),
        ("meeting",),
        50,
        "free",
        "Gratis",
    ),
    NationalService(
        "Mezzo Mantelzorglijn",
        "Telefoonlijn voor mantelzorgers, bijvoorbeeld wanneer zij zich eenzaam of geïsoleerd voelen en daarover willen praten.",
        "Mantelzorgers",
        ("informal_carers",),
        ("personal_contact",),
    ),
    NationalService(
        "MuseumkaartMatch",
        "Vind je ideale gezelschap voor een dagje museum!",
        "Museumliefhebbers",
        ("everyone",),
        ("meeting", "occupation"),
    ),
    NationalService(
        "NLvoorelkaar",
        "Website om oproepen te plaatsen, bijvoorbeeld bij behoefte aan gezelschap",
        "Iedereen",
        ("everyone",),
        ("practical", "valued_role"),
    ),
    NationalService(
        "NPV Advieslijn",
        "Spreekuur voor vragen vanuit christelijk perspectief, zoals vragen over eenzaamheid en alleen zijn",
        "Iedereen",
        ("everyone",),
        ("personal_contact",),
    ),
    NationalService(
        "OOPOEH",
        "Stichting OOPOEH helpt senioren aan meer beweging en gezelligheid door hen te koppelen aan een lieve oppashond in de buurt.",
        "55-plussers",
        ("older_adults",),
        ("occupation", "valued_role"),
        55,
    ),
    NationalService(
        "Praten over verlies",
        "Vertrouwelijk en anoniem praten over verlies",
        "Mensen in rouw",
        ("bereaved",),
        ("personal_contact",),
    ),
    NationalService(
        "Samenschatkaart",
        "Iedereen die zijn of haar leefwereld of die van een ander wil helpen vergroten, kan aan de slag met de Samen Schatkaart.",
        "Iedereen",
        ("everyone",),
        ("social_skills",),
    ),
    NationalService(
        "Seniorplaza.nl",
        "Website waar u mensen van vroeger kunt zoeken en nieuwe contacten kunt opdoen.",
        "50-plussers",
        ("older_adults",),
        ("meeting",),
        50,
    ),
    NationalService(
        "Vijftigplusdating",
        "Online dating voor 50-plussers",
        "50-plussers",
        ("older_adults",),
        ("personal_contact",),
        50,
    ),
    NationalService(
        "Vriendstap.nl",
        "Vriendstap.nl biedt een veilige omgeving om makkelijker mensen te kunnen ontmoeten",
        "Mensen met een psychiatrische achtergrond",
        ("chronic_illness",),
        ("meeting",),
    ),
    NationalService(
        "Wehelpen",
        "Website om oproepen te plaatsen, bijvoorbeeld bij behoefte aan gezelschap",
        "Iedereen",
        ("everyone",),
        ("practical", "valued_role"),
    ),
    NationalService(
        "Werkboek Stop eenzaamheid zelf",
        "Een 'christelijk' werkboek om voor €12,50 online in 14 weken eenzaamheid 'te lijf gaan'",
        "Iedereen",
        ("everyone",),
        ("expectations",),
        None,
        "commercial",
        "€ 12,50",
    ),
)
