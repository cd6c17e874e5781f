"""The search concepts every installation starts with: how residents, phone-line staff and case
workers put a need into words, mapped to the kaart's kinds of support, problems and target
groups (`directory.SearchConcept`).

A query containing one of a concept's phrases also finds the services tagged with its terms
and the texts with its words (`directory.search`). Phrases are matched on their words' stems,
leaving out stop words, so "iemand om mee te praten" also matches "iemand om eens mee te
praten". Seeded by a data migration; administrators change them at /beheer/vocabulaires/.
Terms are named "vocabulary key:code" (`directory.vocabularies`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from omzien.directory.vocabularies import term_id


class ConceptSeed(NamedTuple):
    name: str
    phrases: str
    words: str = ""
    terms: tuple[str, ...] = ()


CONCEPTS: tuple[ConceptSeed, ...] = (
    ConceptSeed(
        "Iemand om mee te praten",
        "iemand om mee te praten, iemand om te praten, iemand om tegen te praten, mee praten, "
        "praten, met iemand praten, even praten, iemand spreken, een praatje, praatje maken, "
        "kletsen, babbelen, aanspraak, luisterend oor, iemand die luistert, "
        "gesprek, gesprekje, mijn verhaal kwijt, verhaal kwijt, hart luchten, luisteren, "
        "hulplijn, telefonische hulp, chatten met iemand, someone to talk to, talk",
        "praten, gesprek, luisteren, luisterend, praatje",
        ("support_kind:personal_contact",),
    ),
    ConceptSeed(
        "Een maatje of bezoek",
        "maatje, maatjes, buddy, vriend, vriendin, iemand die langskomt, langskomen, "
        "op bezoek, bezoek, bezoekje, huisbezoek, bezoek aan huis, visit, friend",
        "maatje, bezoek",
        ("support_kind:personal_contact",),
    ),
    ConceptSeed(
        "Eenzaamheid",
        "eenzaam, eenzame, eenzaamheid, ik voel me eenzaam, alleen, zo alleen, moederziel "
        "alleen, alleen zijn, niemand, ik ken niemand, geen contact, weinig contact, "
        "geïsoleerd, isolement, sociaal isolement, vereenzaming, vereenzaamd, geen vrienden, "
        "geen familie, niemand meer, niemand om me heen, in de steek gelaten, buitengesloten, "
        "erbij horen, hele dag alleen, zit alleen, lonely, loneliness, alone",
        "eenzaam, eenzaamheid",
        ("problem:social_loneliness", "problem:emotional_loneliness"),
    ),
    ConceptSeed(
        "Alleen wonen",
        "ik woon alleen, woon alleen, alleen wonen, alleenwonend, alleenwonende, alleenstaand, "
        "alleenstaande, alleen thuis, living alone",
        "",
        ("target_group:living_alone",),
    ),
    ConceptSeed(
        "Rouw en verlies",
        "weduwe, weduwen, weduwnaar, overleden, overlijden, gestorven, dood, verloren, verlies, "
        "rouw, rouwen, rouwverwerking, verdriet, afscheid, begrafenis, nabestaande, "
        "nabestaanden, overleed, sterfgeval, er niet meer is, verdriet om, grief, bereaved, "
        "widow, widower",
        "rouw, verlies, overleden",
        ("target_group:bereaved",),
    ),
    ConceptSeed(
        "Boodschappen",
        "boodschappen, boodschappen doen, boodschappendienst, supermarkt, winkelen, inkopen, "
        "eten bezorgen, groceries, shopping",
        "boodschappen",
        ("support_kind:practical",),
    ),
    ConceptSeed(
        "Post en rekeningen",
        "post, post en rekeningen, rekeningen, brieven, formulieren, formulier, administratie, "
        "papieren, papierwerk, belasting, belastingaangifte, aangifte, toeslagen, geldzaken, "
        "bank, internetbankieren, formulieren invullen, paperwork, bills",
        "administratie, formulieren, rekeningen, post",
        ("support_kind:practical",),
    ),
    ConceptSeed(
        "Weinig geld",
        "weinig geld, geldzorgen, geldproblemen, schulden, schuld, schuldhulp, armoede, "
        "krap bij kas, laag inkomen, minima, bijstand, rondkomen, klein beetje geld, money",
        "inkomen",
        ("target_group:low_income",),
    ),
    ConceptSeed(
        "Vervoer",
        "vervoer, vervoer nodig, vervoersdienst, brengen, brengen en halen, ophalen, autorijden, "
        "auto, automaatje, lift, taxi, bus, chauffeur, rolstoelbus, rolstoelvervoer, transport, "
        "ride",
        "vervoer, chauffeurs",
        ("support_kind:practical",),
    ),
    ConceptSeed(
        "Hulp in huis",
        "hulp in huis, hulp thuis, thuishulp, huishoudelijke hulp, klusjes, klussen, "
        "klusjesman, klusjesdienst, huishouden, schoonmaken, help at home",
        "",
        ("support_kind:practical",),
    ),
    ConceptSeed(
        "Mensen ontmoeten",
        "mensen ontmoeten, ontmoeten, ontmoeting, nieuwe mensen, mensen leren kennen, "
        "contact met anderen, contacten, sociale contacten, gezelligheid, gezellig, "
        "gezelschap, samen zijn, onder de mensen, de deur uit, er even uit, uit huis, "
        "buiten de deur, sociale activiteiten, ontmoetingsplek, ontmoetingsruimte, meet people",
        "ontmoeten, ontmoeting",
        ("support_kind:meeting",),
    ),
    ConceptSeed(
        "Nieuw in de buurt",
        "nieuw in de wijk, nieuw in de buurt, net verhuisd, verhuisd, nieuwe buurt, "
        "buren leren kennen, buurtgenoten, nieuw hier, kennismaken, new in town",
        "buren, nieuw",
        ("support_kind:meeting",),
    ),
    ConceptSeed(
        "Inloop",
        "inloop, inloophuis, binnenlopen, vrije inloop, buurthuis, wijkhuis, wijkcentrum, "
        "buurtkamer, huiskamer, ontmoetingscentrum, drop-in",
        "binnenlopen, inloop, buurthuis",
        ("support_kind:meeting",),
    ),
    ConceptSeed(
        "Iets te doen",
        "iets te doen, iets doen, bezigheid, hobby, tijdverdrijf, afleiding, verveling, "
        "ik verveel me, vervelen, niks te doen, niets te doen, tijdsbesteding, activiteit, "
        "activiteiten, uitje, uitjes, dagje uit, creatief bezig, club, clubje, vereniging, "
        "hobbies, activities",
        "",
        ("support_kind:occupation",),
    ),
    ConceptSeed(
        "Iets betekenen voor anderen",
        "vrijwilligerswerk, vrijwilliger worden, als vrijwilliger, iets betekenen, "
        "iets voor een ander doen, iets voor anderen doen, anderen helpen, nuttig, zinvol, "
        "nodig zijn, meedoen, participatie, vacature, vacatures, iets terug doen, "
        "helpen in de buurt, volunteer, volunteering",
        "vrijwilligerswerk",
        ("support_kind:valued_role",),
    ),
    ConceptSeed(
        "Mantelzorg",
        "mantelzorg, mantelzorger, mantelzorgers, ik zorg voor, zorgen voor, voor iemand zorgen, "
        "zorg voor mijn, zorg voor mijn partner, overbelast, respijt, respijtzorg, ontlasten, "
        "even vrij, adempauze, informele zorg, carer, caregiver",
        "mantelzorg, mantelzorgers",
        ("target_group:informal_carers",),
    ),
    ConceptSeed(
        "Dementie",
        "dementie, dement, alzheimer, vergeetachtig, geheugenproblemen, dementia",
        "dagbesteding, mantelzorg",
        ("target_group:informal_carers",),
    ),
    ConceptSeed(
        "Dagbesteding",
        "dagbesteding, dagopvang, dagactiviteiten, overdag bezig, daycare",
        "dagbesteding",
        (),
    ),
    ConceptSeed(
        "Bewegen en sport",
        "bewegen, sporten, sport, gym, gymmen, gymnastiek, stoelgym, stoelgymnastiek, fit "
        "blijven, beweegaanbod, beweegclub, fitness, conditie, yoga, tai chi, dansen, zwemmen, "
        "exercise, sports",
        "bewegen, gymnastiek, wandelen, fietsen",
        (),
    ),
    ConceptSeed(
        "Wandelen",
        "wandelen, lopen, kuieren, ommetje, blokje om, wandeling, walking, walk, hiking",
        "wandelen, wandeling",
        (),
    ),
    ConceptSeed(
        "Koffie",
        "bakkie, bakje koffie, bakske, bakske koffie, kopje koffie, kop koffie, koffiedrinken, "
        "coffee",
        "koffie",
        (),
    ),
    ConceptSeed(
        "Samen eten",
        "samen eten, maaltijd, warme maaltijd, eten met anderen, uit eten, koken, "
        "niet alleen eten, eettafel, buurtmaaltijd, maaltijden, samen koken, kookclub, "
        "aanschuiven, aanschuiftafel, eetcafe, dinner, meal, lunch",
        "eten, maaltijd, wijkrestaurant",
        (),
    ),
    ConceptSeed(
        "Taal leren",
        "nederlands leren, nederlands oefenen, taal, taalles, taalcursus, taalmaatje, "
        "taalcafe, taalhulp, nederlandse les, conversatie, dutch, language",
        "taal, taalcafe, nederlands",
        (),
    ),
    ConceptSeed(
        "Nieuw in Nederland",
        "nieuw in nederland, nieuwkomer, nieuwkomers, statushouder, statushouders, "
        "vluchteling, vluchtelingen, asielzoeker, inburgering, inburgeren, migrant, refugee",
        "nieuwkomers",
        ("target_group:migration_background",),
    ),
    ConceptSeed(
        "Computer en telefoon",
        "computer, smartphone, mobiel, tablet, ipad, laptop, internet, whatsapp, videobellen, "
        "beeldbellen, e-mail, digitaal, digid, apps, digitale vaardigheden, digitale hulp, "
        "computerhulp, internetbankieren, digicafe",
        "computer, tablet, telefoon",
        (),
    ),
    ConceptSeed(
        "Tuinieren",
        "tuinieren, tuin, moestuin, groente, groenten, kweken, planten, bloemen, natuur, "
        "gardening, garden",
        "moestuin, tuin, groente",
        (),
    ),
    ConceptSeed(
        "Zingen en muziek",
        "zingen, koor, zangkoor, muziek, muziek maken, muziekles, instrument, gitaar, piano, "
        "liedjes, zanggroep, sing, singing, choir, music",
        "zingen, koor",
        (),
    ),
    ConceptSeed(
        "Creatief",
        "schilderen, tekenen, creatief, knutselen, handwerken, handwerkclub, breien, haken, "
        "naaien, borduren, fotografie, boetseren, keramiek, kunst, art, painting, crafts",
        "schilderen, tekenen",
        (),
    ),
    ConceptSeed(
        "Spelletjes",
        "kaarten, kaartspel, kaartspellen, klaverjassen, jokeren, bridge, rummikub, sjoelen, "
        "spelletjes, spellen, spelen, games, cards",
        "kaartspellen, spellen, spelen",
        (),
    ),
    ConceptSeed(
        "Repareren",
        "kapot, kapotte, repareren, reparatie, maken laten, repaircafe, reparatiecafe, repair, fix",
        "repareer, kapots",
        (),
    ),
    ConceptSeed(
        "Somber of onrustig",
        "somber, depressief, depressie, down, verdrietig, angstig, angst, paniek, "
        "niet lekker in mijn vel, psychisch, psychische klachten, burn-out, overspannen, "
        "zelfmoord, zelfdoding, suïcide, wanhopig, niet goed in mijn vel, slecht in mijn vel, "
        "moeilijke tijd, stress, piekeren, depressed, anxious, mental health",
        "psychische, psychosociale, luisterend",
        ("support_kind:personal_contact",),
    ),
    ConceptSeed(
        "Dag en nacht",
        "s nachts, nachts, 's nachts, dag en nacht, 24 uur, 24/7, altijd bereikbaar, "
        "midden in de nacht, kan niet slapen, niet slapen",
        "nacht, bereikbaar",
        ("support_kind:personal_contact",),
    ),
    ConceptSeed(
        "Gebeld worden",
        "gebeld worden, belservice, iemand die belt, iemand die mij belt, telefonisch contact, "
        "bellen, phone call",
        "gebeld, bellen, belt, telefoon",
        ("support_kind:personal_contact",),
    ),
    ConceptSeed(
        "Ouderen",
        "ouderen, oudere, senioren, senior, bejaarden, bejaarde, 65-plussers, 65 plus, "
        "70 plus, 70-plussers, gepensioneerd, gepensioneerden, oma, opa, moeder, vader, "
        "oudere mensen, vijftigplussers, 50-plussers, 50 plus, 55 plus, 60 plus, pensioen, "
        "elderly, seniors",
        "ouderen, senioren",
        ("target_group:older_adults", "target_group:age_75_plus"),
    ),
    ConceptSeed(
        "Hoogbejaard",
        "75-plussers, 75 plus, 75-plus, 75+, 80-plussers, 80 plus, 85 plus, 90 plus, hoogbejaard",
        "",
        ("target_group:age_75_plus",),
    ),
    ConceptSeed(
        "Jongeren",
        "jongeren, jongere, jong, jongvolwassene, jongvolwassenen, tiener, tieners, student, "
        "studenten, scholier, young, youth",
        "jongeren",
        ("target_group:youth",),
    ),
    ConceptSeed(
        "Ziekte of beperking",
        "chronisch ziek, ziek, beperking, handicap, gehandicapt, rolstoel, slechtziend, "
        "slechthorend, slecht horen, slecht zien, doof, blind, niet goed ter been, "
        "slecht ter been, moeilijk lopen, rollator, scootmobiel, parkinson, reuma, disability",
        "",
        ("target_group:chronic_illness",),
    ),
    ConceptSeed(
        "Lezen en schrijven",
        "laaggeletterd, laaggeletterdheid, moeite met lezen, niet goed lezen, lezen en schrijven, "
        "moeite met schrijven, analfabeet, makkelijke taal, eenvoudige taal",
        "",
        ("target_group:low_literacy",),
    ),
    ConceptSeed(
        "Autisme",
        "autisme, autistisch, asperger, autism",
        "autisme",
        (),
    ),
    ConceptSeed(
        "Psychiatrie",
        "psychiatrisch, psychiatrische, psychiatrie, ggz, psychose",
        "psychiatrische, psychische",
        (),
    ),
    ConceptSeed(
        "Via de huisarts",
        "huisarts, huisartsenpraktijk, dokter, welzijnscoach, welzijn op recept, verwijzing, "
        "praktijkondersteuner, poh, doctor",
        "huisarts, welzijnscoach",
        ("condition:referral_needed",),
    ),
    ConceptSeed(
        "Voorlezen",
        "voorlezen, voorleesservice, iemand die voorleest, reading aloud",
        "voorlezen",
        ("support_kind:personal_contact",),
    ),
    ConceptSeed(
        "Cultuur en uitjes",
        "museum, theater, concert, film, bioscoop, cultuur, culture",
        "museum",
        ("support_kind:occupation",),
    ),
    ConceptSeed(
        "Dieren",
        "hond, honden, huisdier, huisdieren, oppashond, kat, dieren, dog, pet",
        "hond, oppashond",
        (),
    ),
    ConceptSeed(
        "Een partner vinden",
        "partner, nieuwe partner, relatie, liefde, daten, dating, single",
        "dating, relatie",
        (),
    ),
    ConceptSeed(
        "Online contact",
        "online, internet, website, app, forum, chatten, chat",
        "website, online, app, forum",
        (),
    ),
    ConceptSeed(
        "Contact leren maken",
        "contact maken, contacten leggen, sociale vaardigheden, verlegen, assertief, "
        "zelfvertrouwen, verlegenheid, sociale angst, cursus, training, weerbaarheid",
        "cursus, contact",
        ("support_kind:social_skills",),
    ),
    ConceptSeed(
        "Zelf aan de slag",
        "zelfhulp, werkboek, anders kijken, tips, informatie over eenzaamheid, self-help",
        "werkboek, eenzaamheid",
        ("support_kind:expectations",),
    ),
    ConceptSeed(
        "Lotgenoten",
        "lotgenoten, lotgenotencontact, lotgenotengroep, hetzelfde meemaken, ervaringen delen, "
        "praatgroep, gespreksgroep, steungroep, zelfhulpgroep, peer support",
        "meemaken, ervaringen",
        (),
    ),
    ConceptSeed(
        "Voorkomen",
        "preventie, voorkomen, signaleren, signalering, vroegsignalering, prevention",
        "",
        ("problem:prevention",),
    ),
    ConceptSeed(
        "Gratis",
        "gratis, kosteloos, niks kosten, free",
        "gratis",
        ("cost_category:free",),
    ),
)


def ensure_concepts(concept_model: Any, term_model: Any) -> None:
    """Create the missing seed concepts; never change one administrators may have edited.

    Takes the models as arguments so the data migration can pass its historical models.
    """
    known = set(term_model.objects.values_list("id", flat=True))
    for seed in CONCEPTS:
        concept, created = concept_model.objects.get_or_create(
            name=seed.name, defaults={"phrases": seed.phrases, "words": seed.words}
        )
        if created:
            ids = [term_id(*reference.split(":", 1)) for reference in seed.terms]
            concept.terms.set([i for i in ids if i in known])
