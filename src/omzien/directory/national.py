"""The national services of seed 001 (section 14, "Naam / Essentie / Doelgroep").

Available in every municipality, so every installation's sociale kaart shows them: `migrate`
loads them (`directory.services.national`), and an upgrade updates them in place. The essence
and the target group are the seed's own words; codes map the target group to our vocabulary.

Contact details only where a public source states them, with the source beside each value.
A phone number is never guessed: without a source the service shows its website only, or
nothing, and the page offers the municipality's own line as "or call us".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# The day the contact details below were compared with their sources (`assured_date`).
CHECKED_ON = datetime.date(2026, 12, 7)


@dataclass(frozen=True)
class NationalService:
    name: str
    essence: str
    target_group: str  # as the seed writes it
    target_codes: tuple[str, ...]
    support_codes: tuple[str, ...]
    min_age: int | None = None
    cost: str | None = None  # cost category code, only where the seed says it
    cost_text: str = ""
    website: str = ""
    phone: str = ""
    phone_text: str = ""  # when the number answers (or what it costs), as the source says
    hours: str = ""  # when the service can be reached, as the source says


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
        # "de datingsite 50plusmatch (www.50plusmatch.nl/kbo-pcob)":
        # https://www.perssupport.nl/persbericht/0c2690b8-7745-47b5-bf31-3d2041c75d52/seniorenorganisatie-kbo-pcob-start-datingsite
        website="https://www.50plusmatch.nl",
    ),
    NationalService(
        "50plusser.nl",
        "Een website met met onder andere een forum met een Grand Café als ontmoetingsplaats",
        "50-plussers",
        ("older_adults",),
        ("meeting",),
        50,
        # Its own pages, e.g. http://www.50plusser.nl/?page=vandaag&p=prikbord&hereandnow_id=152714
        website="http://www.50plusser.nl",
    ),
    NationalService(
        "Autthere",
        "Sociale app voor mensen met autisme",
        "Mensen met autisme",
        ("autism",),
        ("meeting", "social_skills"),
    ),
    NationalService(
        "De Luisterlijn",
        "In het holst van de nacht, in de vroege ochtend of op een feestdag. De Luisterlijn is dag en nacht, het hele jaar door, bereikbaar voor mensen die behoefte hebben aan een vertrouwelijk gesprek. Per mail, alle dagen van de week per chat en 24/7 per telefoon.",
        "Iedereen",
        ("everyone",),
        ("personal_contact",),
        # "Meer informatie ... op de website deluisterlijn.nl":
        # https://www.omroepzeeland.nl/nieuws/122850/De-Luisterlijn-wil-er-gewoon-zijn-voor-een-ander
        website="https://www.deluisterlijn.nl",
        # "De Luisterlijn is dag en nacht bereikbaar voor een vertrouwelijk gesprek. Bel 088 0767
        # 000.": https://www.omroeppenm.nl/nieuws/de-luisterlijn-telefonische-hulpdienst
        # "Het nummer (088 0767 000) is 24 uur per dag bereikbaar.":
        # https://www.nrc.nl/nieuws/2021/07/27/coronablog-27-juli-a4052478
        # "dag en nacht bereikbaar ... per telefoon (088-0767 000), chat of mail" (ANP):
        # https://www.zeelandnet.nl/nieuws/luisterlijn-voert-nog-heel-veel-gesprekken-en-zoekt-vrijwilligers
        phone="088 0767 000",
        phone_text="Dag en nacht, het hele jaar door",
        # The same sources, and seed 001: "24/7 per telefoon", chat and mail every day.
        hours="Telefoon: dag en nacht, het hele jaar door. Chat en mail: elke dag.",
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
        # No contact details: the number once given for sign-up (0800-1325, Nationaal
        # Ouderenfonds, https://www.maxvandaag.nl/sessies/themas/familie-relatie/apg-adopteert-zilverlijn-van-nationaal-ouderenfonds/)
        # is not shown, because written questions in parliament of February 2022 say the
        # Zilverlijn stopped on 1 March 2022:
        # https://www.tweedekamer.nl/kamerstukken/kamervragen/detail?did=2022D07233&id=2022Z03461
    ),
    NationalService(
        "Eenzaam.nl",
        "Eenzaamheid is je niet verbonden voelen. Je ervaart een gemis aan een hechte, emotionele band met anderen. Of je hebt minder contact met andere mensen dan je wenst. Meestal kun je er wat aan doen. Daarover gaat deze website.",
        "Iedereen",
        ("everyone",),
        ("expectations",),
        # The address is the service's name in seed 001, section 14 ("deze website").
        website="https://eenzaam.nl",
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
        # Now MIND Korrelatie, whose own pages are on mindkorrelatie.nl:
        # https://mindkorrelatie.nl/voorwaarden/privacy-statement
        website="https://mindkorrelatie.nl",
        # "telefonisch bereikbaar op werkdagen ... via telefoonnummer 0900-1450":
        # https://www.emea.nl/persberichten/korrelatie-overleeft-roerig-jaar-met-ruim-23000-klantcontacten-6266/
        # and "MIND Korrelatie ... 0900 1450":
        # https://mentaalkabaal.wixsite.com/blog/post/5-telefoonnummers-voor-mentale-rust
        # The hours are left out: the sources give different ones (9-18, later until 21 on
        # working days: https://zorgkrant.nl/ggz/13168-hulplijn-mind-korrelatie-heeft-openingstijden-verruimd).
        phone="0900 1450",
        phone_text="Op werkdagen",
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
        # "www.50plusnet.nl, de website voor 50-plussers":
        # https://www.emea.nl/persberichten/virtuele-ontmoetingsplek-50plusnet-slaat-aan-6171/
        website="https://www.50plusnet.nl",
    ),
    NationalService(
        "Mezzo Mantelzorglijn",
        "Telefoonlijn voor mantelzorgers, bijvoorbeeld wanneer zij zich eenzaam of geïsoleerd voelen en daarover willen praten.",
        "Mantelzorgers",
        ("informal_carers",),
        ("personal_contact",),
        # No contact details: Mezzo is now MantelzorgNL, of which the Mantelzorglijn is part
        # (https://www.nd.nl/nieuws/nederland/998580/mantelzorger-heeft-recht-op-hulp-mantelzorg-kun-je-voor-je-gevo,
        # http://mantelzorgaaenhunze.com/cmah/h/174/0/17851/Nieuws/De-Mantelzorglijn--kan-veel-voor-u-betekenen).
        # The only number found (0900 20 20 496, https://www.mezzo.nl/artikel/mantelzorglijn-is-er-ook-voor-steunpunten-mantelzorg)
        # dates from 2014, before the new name; no page of MantelzorgNL stating one was found.
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
        # The NPV's own site: https://www.npvzorg.nl/over-ons/verantwoording/missie/
        website="https://www.npvzorg.nl",
        # "Achter de NPV-Advieslijn staan 24 uur per dag, 7 dagen per week, experts voor je
        # klaar": https://www.nd.nl/nieuws/partnercontent/1036191/soms-is-respectvol-terugtreden-juist-zorg-voor-het-leven
        # No source found that states the number: none is shown.
        hours="24 uur per dag, 7 dagen per week",
    ),
    NationalService(
        "OOPOEH",
        "Stichting OOPOEH helpt senioren aan meer beweging en gezelligheid door hen te koppelen aan een lieve oppashond in de buurt.",
        "55-plussers",
        ("older_adults",),
        ("occupation", "valued_role"),
        55,
        # The foundation's own pages: https://www.oopoeh.nl/stichting-oopoeh-in-het-kort/
        website="https://www.oopoeh.nl",
        # "Senioren (55+) ... kunnen zich kosteloos en vrijblijvend aanmelden via oopoeh.nl of
        # gratis bellen naar (0800) 8011" (March 2024):
        # https://groningerkrant.nl/provincie/oopoeh-helpt-groningse-senioren-aan-een-oppashond/
        phone="0800 8011",
        phone_text="Gratis",
    ),
    NationalService(
        "Praten over verlies",
        "Vertrouwelijk en anoniem praten over verlies",
        "Mensen in rouw",
        ("bereaved",),
        ("personal_contact",),
        # A chat, no phone line: "Op deze site kun je alle dagen van de week chatten ... Weer
        # bereikbaar van 16:00 tot 22:00": https://pratenoververlies.nl/hoe-werkt-het/ and
        # "elke dag, van 16.00 uur tot 22.00 uur":
        # https://www.perssupport.nl/persbericht/116436/chatsite-pratenoververlies-nl-ook-geopend-tijdens-de-feestdagen
        website="https://pratenoververlies.nl",
        hours="Chat: elke dag van 16.00 tot 22.00 uur",
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
        # The address is the service's name in seed 001, section 14.
        website="https://seniorplaza.nl",
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
        ("psychiatric_background",),
        ("meeting",),
        # The address is the service's name in seed 001, section 14.
        website="https://vriendstap.nl",
    ),
    NationalService(
        "Wehelpen",
        "Website om oproepen te plaatsen, bijvoorbeeld bij behoefte aan gezelschap",
        "Iedereen",
        ("everyone",),
        ("practical", "valued_role"),
        # Its own pages: https://www.wehelpen.nl/wat-is-het/nieuws/wehelpen-op-basis-van-wederkerigheid/
        website="https://www.wehelpen.nl",
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
