"""Validated loneliness scales as data, and one scoring function for all of them.

Each scale is a `Scale` record: its items (Dutch and English), the answers it accepts, what
each answer scores per item, the categories of the total, the missing-item rule and the
published rules with their sources. `score()` turns a list of answers into a `ScaleResult`.

Sources and their status are listed in docs/measurement.md ("## Scales").
Every rule here carries a status: "verified" (read in the source), "inferred" (follows from a
verified rule) or "project_rule" (could not be verified; a choice of this project, held in a
named setting or constant so it can be changed once the source is checked).

The scales are meant for population research, not for diagnosing one person (VZinfo,
eenzaam.nl). A score of one person is a conversation aid, never a diagnosis.

Texts are bilingual pairs (`Text`), not gettext strings: the Dutch item wording is the published
wording and must not be "translated", and API answers carry both languages at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Status = Literal["verified", "inferred", "project_rule"]
Subscale = Literal["emotional", "social"]
Keying = Literal["negative", "positive"]
AnswerValue = str | int


@dataclass(frozen=True)
class Text:
    nl: str
    en: str


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    url: str = ""


@dataclass(frozen=True)
class Rule:
    topic: str
    text: Text
    status: Status
    sources: tuple[str, ...] = ()
    setting: str = ""


@dataclass(frozen=True)
class AnswerOption:
    value: AnswerValue
    text: Text


@dataclass(frozen=True)
class Item:
    number: int  # position in this scale, from 1
    text: Text
    scores: Mapping[AnswerValue, int]  # answer value -> item score
    subscale: Subscale | None = None
    keying: Keying | None = None  # De Jong Gierveld: negatively or positively worded
    djg11_number: int | None = None  # the item's number in the 11-item scale


@dataclass(frozen=True)
class Category:
    code: str
    low: int
    high: int
    text: Text


@dataclass(frozen=True)
class IntSetting:
    """A project rule that could not be verified: a Django setting with a default."""

    name: str
    default: int
    minimum: int
    maximum: int

    def value(self) -> int:
        raw = getattr(settings, self.name, self.default)
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ImproperlyConfigured(f"{self.name} must be a whole number, not {raw!r}.")
        if not self.minimum <= raw <= self.maximum:
            raise ImproperlyConfigured(
                f"{self.name} must be from {self.minimum} to {self.maximum}, not {raw}."
            )
        return raw


@dataclass(frozen=True)
class ChoiceSetting:
    name: str
    default: str
    choices: tuple[str, ...]

    def value(self) -> str:
        raw = getattr(settings, self.name, self.default)
        if raw not in self.choices:
            raise ImproperlyConfigured(
                f"{self.name} must be one of {', '.join(self.choices)}, not {raw!r}."
            )
        return str(raw)


def _resolve(value: int | IntSetting | None) -> int | None:
    return value.value() if isinstance(value, IntSetting) else value


@dataclass(frozen=True)
class Scale:
    code: str
    name: Text
    instruction: Text | None
    items: tuple[Item, ...]
    answer_type: Literal["label", "integer"]
    answer_options: tuple[AnswerOption, ...]
    answer_forms: Mapping[str, tuple[AnswerValue, ...]]
    total_range: tuple[int, int] | None  # None: the scale has no total to report
    categories: tuple[Category, ...]
    max_missing: int | IntSetting
    subscale_max_missing: int
    rules: tuple[Rule, ...]
    sources: tuple[str, ...]
    # The first category that counts as lonely; None: the sources give no cut-off.
    lonely_from: str | ChoiceSetting | None = None
    # A subscale counts as lonely from this many unfavourable items; None: no subscales.
    subscale_lonely_from: int | IntSetting | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)

    def max_missing_value(self) -> int:
        value = _resolve(self.max_missing)
        assert value is not None
        return value

    def lonely_from_value(self) -> str | None:
        if isinstance(self.lonely_from, ChoiceSetting):
            return self.lonely_from.value()
        return self.lonely_from

    def category_for(self, raw_total: int) -> Category | None:
        for category in self.categories:
            if category.low <= raw_total <= category.high:
                return category
        return None


@dataclass(frozen=True)
class ScaleResult:
    """The score of one filled-in scale. Fields that do not apply are None.

    `complete` is True only when every item was answered. `reason` says, in Dutch and English,
    why there is no score, or why the score is based on fewer items than the scale has.
    """

    total: int | None
    emotional: int | None
    social: int | None
    category: str | None
    complete: bool
    reason: Text | None


@dataclass(frozen=True)
class AnswerProblem:
    position: int | None  # from 1; None when the problem is the list as a whole
    text: Text


class InvalidAnswers(ValueError):
    """The answers do not fit the scale: a wrong count, an unknown label or a wrong type."""

    def __init__(self, problems: Sequence[AnswerProblem]) -> None:
        super().__init__("; ".join(p.text.en for p in problems))
        self.problems = list(problems)


# ---------------------------------------------------------------------------------------------
# Sources

SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "MANUAL",
            "De Jong Gierveld, J. & Van Tilburg, T.G. (1999; web update 24-2-2022). Manual of "
            "the Loneliness Scale. Vrije Universiteit Amsterdam. hdl 1871/18954.",
            "https://home.fsw.vu.nl/tg.van.tilburg/manual_loneliness_scale_1999.html",
        ),
        Source(
            "DJGK1985",
            "De Jong Gierveld, J. & Kamphuis, F. (1985). The development of a Rasch-type "
            "loneliness scale. Applied Psychological Measurement 9(3), 289-299 (the 11-item "
            "version, as cited by the MANUAL).",
        ),
        Source(
            "DJGT2006",
            "De Jong Gierveld, J. & Van Tilburg, T. (2006). A 6-item scale for overall, "
            "emotional, and social loneliness. Research on Aging 28(5), 582-598 (the 6-item "
            "version, as cited by the MANUAL).",
        ),
        Source(
            "DJGT2008",
            "De Jong Gierveld, J. & Van Tilburg, T. (2008). De ingekorte schaal voor algemene, "
            "emotionele en sociale eenzaamheid. Tijdschrift voor Gerontologie en Geriatrie "
            "39(1), 4-15.",
            "https://tvgg-archief.nl/artikelen/de-ingekorte-schaal-voor-algemene-emotionele-en-"
            "sociale-eenzaamheid/",
        ),
        Source(
            "CUTOFF1999",
            "Van Tilburg, T.G. & De Jong Gierveld, J. (1999). Cesuurbepaling van de "
            "eenzaamheidsschaal. Tijdschrift voor Gerontologie en Geriatrie 30(4), 158-163.",
            "https://pubmed.ncbi.nlm.nih.gov/10486620/",
        ),
        Source(
            "VZINFO",
            "RIVM VZinfo, Eenzaamheid - verantwoording - methoden.",
            "https://www.vzinfo.nl/eenzaamheid/verantwoording/methoden",
        ),
        Source(
            "RIVM2016",
            "RIVM, Eenzaamheid - verantwoording (Gezondheidsmonitor 2016).",
            "https://www.rivm.nl/media/eenzaamheid/verantwoording.html",
        ),
        Source(
            "ALLECIJFERS",
            "AlleCijfers.nl, toelichting eenzaamheid (indicator GGEES2, copies the GGD/RIVM "
            "definitions).",
            "https://allecijfers.nl/toelichting/eenzaamheid/",
        ),
        Source(
            "U10",
            "Utrecht10 in Cijfers, variabele eenzaamheid (s_eenz).",
            "https://u10.buurtmonitor.nl/static/default/Variables/gezondheid/cgdgdlnhbmje2k/"
            "s_eenz.html",
        ),
        Source(
            "GERONT2020",
            "The Gerontologist 61(7), e335-e344 (2021; online 2020), Table 1: loneliness items "
            "in Dutch and English. doi 10.1093/geront/gnaa082.",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC8437504/table/T1",
        ),
        Source(
            "EENZAAM_NL",
            "Eenzaam.nl, De eenzaamheidsschaal van De Jong Gierveld (all 11 Dutch items).",
            "https://www.eenzaam.nl/over-eenzaamheid/feiten-en-cijfers-rond-eenzaamheid/"
            "de-eenzaamheidsschaal-van-de-jong-gierveld",
        ),
        Source(
            "MEETINSTR",
            "Meetinstrumentenzorg.nl, Eenzaamheidsschaal.",
            "https://meetinstrumentenzorg.nl/instrumenten/eenzaamheidsschaal/",
        ),
        Source(
            "CBS2023",
            "CBS (2023), Eenzaamheid - toelichting bij 'Lang niet iedereen met weinig sociaal "
            "contact voelt zich ook eenzaam'.",
            "https://www.cbs.nl/nl-nl/nieuws/2023/51/lang-niet-iedereen-met-weinig-sociaal-"
            "contact-voelt-zich-ook-eenzaam/eenzaamheid",
        ),
        Source(
            "CBS2020EN",
            "CBS (2020), Loneliness survey - technical explanation.",
            "https://www.cbs.nl/en-gb/news/2020/13/nearly-1-in-10-dutch-people-frequently-"
            "lonely-in-2019/loneliness-survey-technical-explanation",
        ),
        Source(
            "HUGHES2004",
            "Hughes, M.E., Waite, L.J., Hawkley, L.C. & Cacioppo, J.T. (2004). A short scale "
            "for measuring loneliness in large surveys. Research on Aging 26(6), 655-672.",
        ),
        Source(
            "GSS",
            "UK Government Statistical Service, Loneliness indicators (harmonised standard).",
            "https://gss.civilservice.gov.uk/policy-store/loneliness-indicators/",
        ),
        Source(
            "ONS",
            "ONS, Measuring loneliness: guidance for use of the national indicators on surveys.",
            "https://www.ons.gov.uk/peoplepopulationandcommunity/wellbeing/methodologies/"
            "measuringlonelinessguidanceforuseofthenationalindicatorsonsurveys",
        ),
        Source(
            "SAMEN",
            "Samen tegen eenzaamheid, Hoe meet je eenzaamheid? (the direct question).",
            "https://www.samentegeneenzaamheid.nl/blog/hoe-meet-je-eenzaamheid",
        ),
    )
}

# ---------------------------------------------------------------------------------------------
# Project rules that could not be verified: named settings (Django settings, with defaults)

DJG11_MAX_MISSING = IntSetting("OMZIEN_DJG11_MAX_MISSING", default=1, minimum=0, maximum=10)
DJG11_SUBSCALE_MIN_UNFAVOURABLE = IntSetting(
    "OMZIEN_DJG11_SUBSCALE_MIN_UNFAVOURABLE", default=3, minimum=1, maximum=5
)
DIRECT_LONELY_FROM = ChoiceSetting(
    "OMZIEN_DIRECT_LONELY_FROM",
    default="matig_eenzaam",
    choices=("matig_eenzaam", "sterk_eenzaam", "zeer_sterk_eenzaam"),
)
# A subscale is scored only when all its items are answered: verified for the 6-item version
# (MANUAL syntax), applied to the 11-item version by analogy (project rule).
SUBSCALE_MAX_MISSING = 0
# UCLA 3-item: no published missing rule was found; all three answers are needed (project rule).
UCLA3_MAX_MISSING = 0

# ---------------------------------------------------------------------------------------------
# De Jong Gierveld, 11 items

DJG_LABELS_3 = ("ja", "min of meer", "nee")
DJG_LABELS_5 = ("ja!", "ja", "min of meer", "nee", "nee!")
DJG_ANSWER_OPTIONS = (
    AnswerOption("ja!", Text("ja!", "yes!")),
    AnswerOption("ja", Text("ja", "yes")),
    AnswerOption("min of meer", Text("min of meer", "more or less")),
    AnswerOption("nee", Text("nee", "no")),
    AnswerOption("nee!", Text("nee!", "no!")),
)
# Neutral ("min of meer") counts as lonely on both kinds of items (MANUAL SPSS syntax; CBS2023).
# The 5-point split follows from that rule (inferred).
NEGATIVE_SCORES: Mapping[AnswerValue, int] = {
    "ja!": 1,
    "ja": 1,
    "min of meer": 1,
    "nee": 0,
    "nee!": 0,
}
POSITIVE_SCORES: Mapping[AnswerValue, int] = {
    "ja!": 0,
    "ja": 0,
    "min of meer": 1,
    "nee": 1,
    "nee!": 1,
}


def _djg_item(number: int, nl: str, en: str, keying: Keying) -> Item:
    return Item(
        number=number,
        text=Text(nl, en),
        scores=NEGATIVE_SCORES if keying == "negative" else POSITIVE_SCORES,
        subscale="emotional" if keying == "negative" else "social",
        keying=keying,
        djg11_number=number,
    )


DJG11_ITEMS = (
    _djg_item(
        1,
        "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes "
        "terecht kan.",
        "There is always someone I can talk to about my day-to-day problems",
        "positive",
    ),
    _djg_item(
        2,
        "Ik mis een echt goede vriend of vriendin.",
        "I miss having a really close friend",
        "negative",
    ),
    _djg_item(
        3,
        "Ik ervaar een leegte om me heen.",
        "I experience a general sense of emptiness",
        "negative",
    ),
    _djg_item(
        4,
        "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
        "There are plenty of people I can lean on when I have problems",
        "positive",
    ),
    _djg_item(
        5,
        "Ik mis gezelligheid om me heen.",
        "I miss the pleasure of the company of others",
        "negative",
    ),
    _djg_item(
        6,
        "Ik vind mijn kring van kennissen te beperkt.",
        "I find my circle of friends and acquaintances too limited",
        "negative",
    ),
    _djg_item(
        7,
        "Ik heb veel mensen op wie ik volledig kan vertrouwen.",
        "There are many people I can trust completely",
        "positive",
    ),
    _djg_item(
        8,
        "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
        "There are enough people I feel close to",
        "positive",
    ),
    _djg_item(9, "Ik mis mensen om me heen.", "I miss having people around me", "negative"),
    _djg_item(10, "Vaak voel ik me in de steek gelaten.", "I often feel rejected", "negative"),
    _djg_item(
        11,
        "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht.",
        "I can call on my friends whenever I need them",
        "positive",
    ),
)

DJG_INSTRUCTION = Text(
    "Wilt u van elk van de volgende uitspraken aangeven in hoeverre die op u, zoals u de "
    "laatste tijd bent, van toepassing is? U kunt antwoorden met nee, min of meer, ja.",
    "Please indicate for each of the following statements to what extent it applies to you, "
    "as you have been lately. You can answer no, more or less, yes.",
)

_DJG_SCORING_RULES = (
    Rule(
        "neutral_answers",
        Text(
            "Elke vraag telt 0 of 1. 'Min of meer' telt altijd als eenzaam (1). Bij een "
            "negatieve uitspraak (emotionele eenzaamheid) tellen 'ja' en 'min of meer' als 1. "
            "Bij een positieve uitspraak (sociale eenzaamheid) tellen 'nee' en 'min of meer' "
            "als 1.",
            "Each item scores 0 or 1. The neutral answer 'more or less' always counts as lonely "
            "(1): on negatively worded (emotional) items 'yes' and 'more or less' score 1; on "
            "positively worded (social) items 'no' and 'more or less' score 1.",
        ),
        "verified",
        ("MANUAL", "CBS2023", "U10"),
    ),
    Rule(
        "five_point_form",
        Text(
            "Bij 5 antwoorden (ja!, ja, min of meer, nee, nee!) telt 'ja!' als 'ja' en 'nee!' "
            "als 'nee'. Dit volgt uit de regel voor 'min of meer'; de volledige handleiding is "
            "niet gelezen.",
            "On the 5-point form (ja!, ja, min of meer, nee, nee!) 'ja!' scores as 'ja' and "
            "'nee!' as 'nee'. This follows from the neutral-answer rule; the full manual could "
            "not be read.",
        ),
        "inferred",
        ("MANUAL",),
    ),
)

DJG11 = Scale(
    code="djg11",
    name=Text(
        "Eenzaamheidsschaal van De Jong Gierveld (11 vragen)",
        "De Jong Gierveld Loneliness Scale (11 items)",
    ),
    instruction=DJG_INSTRUCTION,
    items=DJG11_ITEMS,
    answer_type="label",
    answer_options=DJG_ANSWER_OPTIONS,
    answer_forms={"3-point": DJG_LABELS_3, "5-point": DJG_LABELS_5},
    total_range=(0, 11),
    categories=(
        Category("niet_eenzaam", 0, 2, Text("niet eenzaam", "not lonely")),
        Category("matig_eenzaam", 3, 8, Text("matig eenzaam", "moderately lonely")),
        Category("ernstig_eenzaam", 9, 10, Text("ernstig eenzaam", "severely lonely")),
        Category(
            "zeer_ernstig_eenzaam", 11, 11, Text("zeer ernstig eenzaam", "very severely lonely")
        ),
    ),
    max_missing=DJG11_MAX_MISSING,
    subscale_max_missing=SUBSCALE_MAX_MISSING,
    lonely_from="matig_eenzaam",
    subscale_lonely_from=DJG11_SUBSCALE_MIN_UNFAVOURABLE,
    aliases={"min-of-meer": "min of meer"},
    sources=(
        "DJGK1985",
        "MANUAL",
        "CUTOFF1999",
        "VZINFO",
        "RIVM2016",
        "ALLECIJFERS",
        "U10",
        "GERONT2020",
        "EENZAAM_NL",
        "MEETINSTR",
    ),
    rules=(
        Rule(
            "items",
            Text(
                "11 uitspraken. De 6 negatieve uitspraken (2, 3, 5, 6, 9, 10) meten emotionele "
                "eenzaamheid; de 5 positieve uitspraken (1, 4, 7, 8, 11) meten sociale "
                "eenzaamheid.",
                "11 statements. The 6 negatively worded items (2, 3, 5, 6, 9, 10) measure "
                "emotional loneliness; the 5 positively worded items (1, 4, 7, 8, 11) measure "
                "social loneliness.",
            ),
            "verified",
            ("GERONT2020", "EENZAAM_NL", "VZINFO"),
        ),
        *_DJG_SCORING_RULES,
        Rule(
            "total",
            Text(
                "Totaal 0 tot en met 11: de som van de 11 vragen. Emotioneel 0-6, sociaal 0-5.",
                "Total 0 to 11: the sum of the 11 item scores. Emotional 0-6, social 0-5.",
            ),
            "verified",
            ("MEETINSTR", "GERONT2020"),
        ),
        Rule(
            "categories",
            Text(
                "0-2 niet eenzaam, 3-8 matig eenzaam, 9-10 ernstig eenzaam, 11 zeer ernstig "
                "eenzaam. 'Eenzaam' is een score van 3 of meer (GGD-indicator).",
                "0-2 not lonely, 3-8 moderately lonely, 9-10 severely lonely, 11 very severely "
                "lonely. 'Lonely' is a score of 3 or more (GGD indicator).",
            ),
            "verified",
            ("CUTOFF1999", "VZINFO", "RIVM2016", "ALLECIJFERS"),
        ),
        Rule(
            "missing",
            Text(
                "Er mag hoogstens 1 vraag ontbreken (instelling OMZIEN_DJG11_MAX_MISSING). Dan "
                "telt de score alleen de beantwoorde vragen; er wordt niets bijgeschat. Een "
                "subschaal krijgt alleen een score als al haar vragen beantwoord zijn. De "
                "regel uit de handleiding voor 11 vragen is niet gevonden; dit is een keuze van "
                "het project, naar de regel voor 6 vragen.",
                "At most 1 item may be missing (setting OMZIEN_DJG11_MAX_MISSING). The score is "
                "then the count over the answered items, without proration. A subscale is "
                "scored only when all its items are answered. The manual's rule for the "
                "11-item version could not be found; this is a project rule, modelled on the "
                "verified rule of the 6-item version.",
            ),
            "project_rule",
            ("MANUAL",),
            DJG11_MAX_MISSING.name,
        ),
        Rule(
            "subscale_lonely",
            Text(
                "Emotioneel of sociaal eenzaam: ongunstig op minstens 3 vragen van die subschaal "
                "(VZinfo nu). RIVM 2016 en eenzaam.nl zeggen minstens 2. Instelling "
                "OMZIEN_DJG11_SUBSCALE_MIN_UNFAVOURABLE.",
                "Emotionally or socially lonely: unfavourable on at least 3 items of that "
                "subscale (current VZinfo text). RIVM 2016 and eenzaam.nl say at least 2. "
                "Setting OMZIEN_DJG11_SUBSCALE_MIN_UNFAVOURABLE.",
            ),
            "project_rule",
            ("VZINFO", "ALLECIJFERS", "RIVM2016", "EENZAAM_NL"),
            DJG11_SUBSCALE_MIN_UNFAVOURABLE.name,
        ),
        Rule(
            "use",
            Text(
                "De schaal is gemaakt voor onderzoek in groepen. Gebruik de score van één "
                "persoon alleen als hulp bij een gesprek, niet als diagnose.",
                "The scale is meant for population research. Use one person's score only as a "
                "conversation aid, not as a diagnosis.",
            ),
            "verified",
            ("VZINFO", "ALLECIJFERS", "EENZAAM_NL"),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# De Jong Gierveld, 6 items: items 3, 4, 7, 8, 9, 10 of the 11-item scale, in that order

DJG6_FROM_DJG11 = (3, 4, 7, 8, 9, 10)

DJG6 = Scale(
    code="djg6",
    name=Text(
        "Verkorte eenzaamheidsschaal van De Jong Gierveld (6 vragen)",
        "De Jong Gierveld Loneliness Scale, short version (6 items)",
    ),
    instruction=DJG_INSTRUCTION,
    items=tuple(
        replace(DJG11_ITEMS[original - 1], number=position)
        for position, original in enumerate(DJG6_FROM_DJG11, start=1)
    ),
    answer_type="label",
    answer_options=DJG_ANSWER_OPTIONS,
    answer_forms={"3-point": DJG_LABELS_3, "5-point": DJG_LABELS_5},
    total_range=(0, 6),
    categories=(
        Category("niet_eenzaam", 0, 1, Text("niet eenzaam", "not lonely")),
        Category("matig_eenzaam", 2, 4, Text("matig eenzaam", "moderately lonely")),
        Category("sterk_eenzaam", 5, 6, Text("sterk eenzaam", "severely lonely")),
    ),
    max_missing=1,
    subscale_max_missing=SUBSCALE_MAX_MISSING,
    lonely_from="matig_eenzaam",
    subscale_lonely_from=1,
    aliases={"min-of-meer": "min of meer"},
    sources=("DJGT2006", "MANUAL", "DJGT2008", "CBS2023", "CBS2020EN"),
    rules=(
        Rule(
            "items",
            Text(
                "Vragen 3, 4, 7, 8, 9 en 10 van de schaal met 11 vragen, in die volgorde. "
                "Emotioneel: 3, 9, 10. Sociaal: 4, 7, 8. (Het CBS stelt ze in de volgorde 3, "
                "4, 7, 9, 8, 10.)",
                "Items 3, 4, 7, 8, 9 and 10 of the 11-item scale, in that order. Emotional: 3, "
                "9, 10. Social: 4, 7, 8. (CBS asks them in the order 3, 4, 7, 9, 8, 10.)",
            ),
            "verified",
            ("MANUAL", "CBS2023", "CBS2020EN"),
        ),
        *_DJG_SCORING_RULES,
        Rule(
            "total",
            Text(
                "Totaal 0 tot en met 6; emotioneel 0-3; sociaal 0-3.",
                "Total 0 to 6; emotional 0-3; social 0-3.",
            ),
            "verified",
            ("MANUAL",),
        ),
        Rule(
            "categories",
            Text(
                "0-1 niet eenzaam, 2-4 matig eenzaam, 5-6 sterk eenzaam (het CBS noemt 2-4 "
                "'enigszins eenzaam').",
                "0-1 not lonely, 2-4 moderately lonely, 5-6 severely lonely (CBS calls 2-4 "
                "'somewhat lonely').",
            ),
            "verified",
            ("MANUAL", "CBS2023", "CBS2020EN"),
        ),
        Rule(
            "subscale_lonely",
            Text(
                "Subschaal: 0 is niet eenzaam, 1-3 is eenzaam.",
                "Subscale: 0 is not lonely, 1-3 is lonely.",
            ),
            "verified",
            ("MANUAL",),
        ),
        Rule(
            "missing",
            Text(
                "Geen totaalscore als meer dan 1 vraag ontbreekt. Ontbreekt 1 vraag, dan telt "
                "de score alleen de beantwoorde vragen (niets bijgeschat). Een subschaal heeft "
                "geen score als één van haar 3 vragen ontbreekt.",
                "No total when more than 1 item is missing. With 1 item missing the total is "
                "the count over the answered items (no proration). A subscale has no score when "
                "any of its 3 items is missing.",
            ),
            "verified",
            ("MANUAL",),
        ),
        Rule(
            "lonely",
            Text(
                "Eenzaam: matig of sterk eenzaam (2 of meer).",
                "Lonely: moderately or severely lonely (2 or more).",
            ),
            "inferred",
            ("MANUAL", "CBS2023"),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# Three-item UCLA Loneliness Scale (Hughes et al. 2004)

UCLA3 = Scale(
    code="ucla3",
    name=Text(
        "UCLA-eenzaamheidsschaal met 3 vragen (Hughes e.a. 2004)",
        "Three-item UCLA Loneliness Scale (Hughes et al. 2004)",
    ),
    instruction=Text(
        "De volgende vragen gaan over uw contact met andere mensen. Zeg bij elke vraag hoe "
        "vaak u zich zo voelt.",
        "The next questions are about your relationships with others. For each one, please "
        "say how often you feel that way.",
    ),
    items=tuple(
        Item(number, Text(nl, en), scores={1: 1, 2: 2, 3: 3})
        for number, nl, en in (
            (
                1,
                "Hoe vaak heeft u het gevoel dat u gezelschap mist?",
                "How often do you feel that you lack companionship?",
            ),
            (2, "Hoe vaak voelt u zich buitengesloten?", "How often do you feel left out?"),
            (
                3,
                "Hoe vaak voelt u zich geïsoleerd van andere mensen?",
                "How often do you feel isolated from others?",
            ),
        )
    ),
    answer_type="integer",
    answer_options=(
        AnswerOption(1, Text("Bijna nooit (of nooit)", "Hardly ever (or never)")),
        AnswerOption(2, Text("Soms", "Some of the time")),
        AnswerOption(3, Text("Vaak", "Often")),
    ),
    answer_forms={"3-point": (1, 2, 3)},
    total_range=(3, 9),
    categories=(),
    max_missing=UCLA3_MAX_MISSING,
    subscale_max_missing=0,
    lonely_from=None,
    sources=("HUGHES2004", "GSS", "ONS"),
    rules=(
        Rule(
            "items",
            Text(
                "3 vragen met de antwoorden bijna nooit (1), soms (2), vaak (3).",
                "3 questions answered hardly ever (or never) (1), some of the time (2), often (3).",
            ),
            "verified",
            ("HUGHES2004", "GSS"),
        ),
        Rule(
            "translation",
            Text(
                "De Nederlandse tekst is een vertaling van Omzien. Er is geen officiële "
                "Nederlandse versie gevonden. Deze vertaling is niet getoetst.",
                "The Dutch wording is Omzien's own translation. No official Dutch version was "
                "found. This translation has not been validated.",
            ),
            "project_rule",
            (),
        ),
        Rule(
            "total",
            Text(
                "Totaal: de som van de 3 antwoorden, 3 tot en met 9. Hoger is eenzamer.",
                "Total: the sum of the 3 answers, 3 to 9. Higher is lonelier.",
            ),
            "verified",
            ("HUGHES2004",),
        ),
        Rule(
            "categories",
            Text(
                "Geen indeling: Hughes e.a. (2004) geven geen grens. De indeling 3-5 / 6-9 die "
                "sommige onderzoekers gebruiken is een gewoonte, geen regel uit de bron. ONS en "
                "GSS raden aan de verdeling van de scores te tonen.",
                "No category: Hughes et al. (2004) give no cut-off. The 3-5 / 6-9 split some "
                "researchers use is a convention, not a rule of the source. ONS and GSS "
                "recommend reporting the distribution.",
            ),
            "verified",
            ("HUGHES2004", "ONS", "GSS"),
        ),
        Rule(
            "missing",
            Text(
                "Alle 3 vragen moeten beantwoord zijn. Er is geen regel voor ontbrekende "
                "antwoorden gevonden; dit is een keuze van het project (UCLA3_MAX_MISSING = 0).",
                "All 3 items must be answered. No published missing-item rule was found; this "
                "is a project rule (UCLA3_MAX_MISSING = 0).",
            ),
            "project_rule",
            (),
            "UCLA3_MAX_MISSING",
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# The single direct question (Dutch self-rating)

DIRECT = Scale(
    code="direct",
    name=Text("Directe vraag naar eenzaamheid", "Single direct question on loneliness"),
    instruction=None,
    items=(
        Item(
            1,
            Text(
                "Als we de mensen zouden indelen in niet eenzaam, matig eenzaam, sterk eenzaam, "
                "zeer sterk eenzaam, waar zou u zich dan nu toe rekenen?",
                "If we were to classify people into not lonely, moderately lonely, strongly "
                "lonely, very strongly lonely, what would you attribute yourself to?",
            ),
            scores={
                "niet eenzaam": 0,
                "matig eenzaam": 1,
                "sterk eenzaam": 2,
                "zeer sterk eenzaam": 3,
            },
        ),
    ),
    answer_type="label",
    answer_options=(
        AnswerOption("niet eenzaam", Text("niet eenzaam", "not lonely")),
        AnswerOption("matig eenzaam", Text("matig eenzaam", "moderately lonely")),
        AnswerOption("sterk eenzaam", Text("sterk eenzaam", "strongly lonely")),
        AnswerOption("zeer sterk eenzaam", Text("zeer sterk eenzaam", "very strongly lonely")),
    ),
    answer_forms={
        "4-point": ("niet eenzaam", "matig eenzaam", "sterk eenzaam", "zeer sterk eenzaam")
    },
    total_range=None,
    categories=(
        Category("niet_eenzaam", 0, 0, Text("niet eenzaam", "not lonely")),
        Category("matig_eenzaam", 1, 1, Text("matig eenzaam", "moderately lonely")),
        Category("sterk_eenzaam", 2, 2, Text("sterk eenzaam", "strongly lonely")),
        Category("zeer_sterk_eenzaam", 3, 3, Text("zeer sterk eenzaam", "very strongly lonely")),
    ),
    max_missing=0,
    subscale_max_missing=0,
    lonely_from=DIRECT_LONELY_FROM,
    sources=("GERONT2020", "SAMEN", "CUTOFF1999", "VZINFO"),
    rules=(
        Rule(
            "items",
            Text(
                "Eén vraag; de persoon kiest zelf: niet, matig, sterk of zeer sterk eenzaam. De "
                "uitkomst is dat antwoord; er is geen score.",
                "One question; the person rates themselves: not, moderately, strongly or very "
                "strongly lonely. The result is that answer; there is no score.",
            ),
            "verified",
            ("GERONT2020", "SAMEN"),
        ),
        Rule(
            "lonely",
            Text(
                "Omzien telt 'matig eenzaam' en erger als eenzaam, net als de GGD-indicator "
                "'eenzaam' (score 3 of meer = matig eenzaam of erger op de schaal met 11 "
                "vragen). De bron zegt dit niet voor deze vraag; instelling "
                "OMZIEN_DIRECT_LONELY_FROM.",
                "Omzien counts 'moderately lonely' and worse as lonely, like the GGD indicator "
                "'lonely' (score 3 or more = moderately lonely or worse on the 11-item scale). "
                "The sources do not say this for this question; setting "
                "OMZIEN_DIRECT_LONELY_FROM.",
            ),
            "project_rule",
            ("VZINFO", "CUTOFF1999"),
            DIRECT_LONELY_FROM.name,
        ),
        Rule(
            "missing",
            Text("Zonder antwoord is er geen uitkomst.", "Without an answer there is no result."),
            "inferred",
            (),
        ),
    ),
)

SCALES: dict[str, Scale] = {s.code: s for s in (DJG11, DJG6, UCLA3, DIRECT)}


def get_scale(code: str) -> Scale | None:
    return SCALES.get(code)


# ---------------------------------------------------------------------------------------------
# Checking and scoring


def _join(positions: Sequence[int], conjunction: str) -> str:
    if len(positions) == 1:
        return str(positions[0])
    return ", ".join(str(p) for p in positions[:-1]) + f" {conjunction} {positions[-1]}"


def _list_nl(positions: Sequence[int]) -> str:
    return _join(positions, "en")


def _list_en(positions: Sequence[int]) -> str:
    return _join(positions, "and")


def _unanswered_nl(positions: Sequence[int]) -> str:
    if len(positions) == 1:
        return f"vraag {positions[0]} is niet beantwoord"
    return f"vragen {_list_nl(positions)} zijn niet beantwoord"


def _unanswered_en(positions: Sequence[int]) -> str:
    if len(positions) == 1:
        return f"item {positions[0]} was not answered"
    return f"items {_list_en(positions)} were not answered"


def _labels(values: Sequence[AnswerValue]) -> str:
    return ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values)


def _normalise_label(scale: Scale, value: str) -> str:
    label = re.sub(r"\s+", " ", value.strip().lower())
    return scale.aliases.get(label, label)


def check_answers(scale: Scale, answers: object) -> list[AnswerValue | None]:
    """The answers as the scale's own values (None for a missing item), or InvalidAnswers."""
    count = len(scale.items)
    if not isinstance(answers, list | tuple):
        raise InvalidAnswers(
            [
                AnswerProblem(
                    None,
                    Text(
                        f"Geef de antwoorden als een lijst van {count} antwoorden.",
                        f"Give the answers as a list of {count} answers.",
                    ),
                )
            ]
        )
    if len(answers) < count:
        missing = list(range(len(answers) + 1, count + 1))
        raise InvalidAnswers(
            [
                AnswerProblem(
                    missing[0],
                    Text(
                        f"Er zijn {len(answers)} antwoorden, maar de schaal heeft {count} "
                        f"vragen. Antwoord {_list_nl(missing)} ontbreekt. Geef null voor een "
                        "vraag zonder antwoord.",
                        f"There are {len(answers)} answers, but the scale has {count} items. "
                        f"Answer {_list_en(missing)} is missing. Give null for an unanswered "
                        "item.",
                    ),
                )
            ]
        )
    if len(answers) > count:
        raise InvalidAnswers(
            [
                AnswerProblem(
                    count + 1,
                    Text(
                        f"Er zijn {len(answers)} antwoorden, maar de schaal heeft {count} "
                        f"vragen. Vanaf antwoord {count + 1} is het te veel.",
                        f"There are {len(answers)} answers, but the scale has {count} items. "
                        f"Answer {count + 1} and further are too many.",
                    ),
                )
            ]
        )
    allowed = [option.value for option in scale.answer_options]
    values: list[AnswerValue | None] = []
    problems: list[AnswerProblem] = []
    for position, raw in enumerate(answers, start=1):
        if raw is None:
            values.append(None)
            continue
        if scale.answer_type == "label":
            if not isinstance(raw, str):
                problems.append(
                    AnswerProblem(
                        position,
                        Text(
                            f"Antwoord {position} moet tekst zijn: {_labels(allowed)} of null.",
                            f"Answer {position} must be text: {_labels(allowed)} or null.",
                        ),
                    )
                )
                continue
            label = _normalise_label(scale, raw)
            if label not in allowed:
                shown = raw[:40]
                problems.append(
                    AnswerProblem(
                        position,
                        Text(
                            f'Antwoord {position} ("{shown}") kennen we niet. Kies uit '
                            f"{_labels(allowed)} of null.",
                            f'Answer {position} ("{shown}") is not known. Choose from '
                            f"{_labels(allowed)} or null.",
                        ),
                    )
                )
                continue
            values.append(label)
        else:
            if isinstance(raw, bool) or not isinstance(raw, int):
                problems.append(
                    AnswerProblem(
                        position,
                        Text(
                            f"Antwoord {position} moet een heel getal zijn: {_labels(allowed)} "
                            "of null.",
                            f"Answer {position} must be a whole number: {_labels(allowed)} or "
                            "null.",
                        ),
                    )
                )
                continue
            if raw not in allowed:
                problems.append(
                    AnswerProblem(
                        position,
                        Text(
                            f"Antwoord {position} ({raw}) kan niet. Kies uit {_labels(allowed)} "
                            "of null.",
                            f"Answer {position} ({raw}) is not possible. Choose from "
                            f"{_labels(allowed)} or null.",
                        ),
                    )
                )
                continue
            values.append(raw)
    if problems:
        raise InvalidAnswers(problems)
    return values


def _subscale_name(subscale: Subscale) -> Text:
    if subscale == "emotional":
        return Text("emotionele eenzaamheid", "emotional loneliness")
    return Text("sociale eenzaamheid", "social loneliness")


def _no_score_reason(count: int, missing: Sequence[int], max_missing: int) -> Text:
    if count == 1:
        return Text(
            "Geen uitkomst: de vraag is niet beantwoord.",
            "No result: the question was not answered.",
        )
    if max_missing == 0:
        return Text(
            f"Geen score: {_unanswered_nl(missing)}. Voor deze schaal zijn alle {count} "
            "antwoorden nodig.",
            f"No score: {_unanswered_en(missing)}. This scale needs all {count} answers.",
        )
    allowed_nl = f"{max_missing} vraag" if max_missing == 1 else f"{max_missing} vragen"
    return Text(
        f"Geen score: {len(missing)} van de {count} vragen zijn niet beantwoord "
        f"({_list_nl(missing)}). Er mag hoogstens {allowed_nl} ontbreken.",
        f"No score: {len(missing)} of the {count} items were not answered "
        f"({_list_en(missing)}). At most {max_missing} may be missing.",
    )


def score(scale: Scale | str, answers: object) -> ScaleResult:
    """Score a filled-in scale. Never guesses: too many missing items give no score, with reason.

    `answers` lists one answer per item in the scale's order; None is an unanswered item.
    Raises InvalidAnswers when the answers do not fit the scale, KeyError for an unknown scale.
    """
    if isinstance(scale, str):
        scale = SCALES[scale]
    values = check_answers(scale, answers)
    count = len(scale.items)
    missing = [item.number for item, v in zip(scale.items, values, strict=True) if v is None]
    max_missing = scale.max_missing_value()

    if len(missing) > max_missing:
        return ScaleResult(
            None,
            None,
            None,
            None,
            complete=False,
            reason=_no_score_reason(count, missing, max_missing),
        )

    raw_total = sum(
        item.scores[v] for item, v in zip(scale.items, values, strict=True) if v is not None
    )
    subscores: dict[Subscale, int | None] = {}
    without_subscale: list[Subscale] = []
    for subscale in ("emotional", "social"):
        pairs = [(i, v) for i, v in zip(scale.items, values, strict=True) if i.subscale == subscale]
        if not pairs:
            subscores[subscale] = None
            continue
        absent = sum(1 for _, v in pairs if v is None)
        if absent > scale.subscale_max_missing:
            subscores[subscale] = None
            without_subscale.append(subscale)
        else:
            subscores[subscale] = sum(i.scores[v] for i, v in pairs if v is not None)

    category = scale.category_for(raw_total)
    reason = None
    if missing:
        answered = count - len(missing)
        nl = (
            f"{_unanswered_nl(missing).capitalize()}. De score telt alleen de {answered} "
            "beantwoorde vragen; er is niets bijgeschat."
        )
        en = (
            f"{_unanswered_en(missing).capitalize()}. The score counts only the {answered} "
            "answered items; nothing was estimated."
        )
        for subscale in without_subscale:
            name = _subscale_name(subscale)
            nl += f" De subschaal {name.nl} heeft geen score, omdat daar een antwoord ontbreekt."
            en += f" The {name.en} subscale has no score, because an answer is missing there."
        reason = Text(nl, en)
    return ScaleResult(
        total=raw_total if scale.total_range is not None else None,
        emotional=subscores["emotional"],
        social=subscores["social"],
        category=category.code if category else None,
        complete=not missing,
        reason=reason,
    )


def is_lonely(scale: Scale | str, result: ScaleResult) -> bool | None:
    """Whether the result counts as lonely under the scale's rule; None without a rule or score."""
    if isinstance(scale, str):
        scale = SCALES[scale]
    threshold = scale.lonely_from_value()
    if threshold is None or result.category is None:
        return None
    codes = [c.code for c in scale.categories]
    return codes.index(result.category) >= codes.index(threshold)


def subscale_lonely(scale: Scale | str, result: ScaleResult) -> tuple[bool | None, bool | None]:
    """(emotionally lonely, socially lonely) by the subscale rule; None where not scored."""
    if isinstance(scale, str):
        scale = SCALES[scale]
    threshold = _resolve(scale.subscale_lonely_from)
    if threshold is None:
        return None, None
    return (
        None if result.emotional is None else result.emotional >= threshold,
        None if result.social is None else result.social >= threshold,
    )


# ---------------------------------------------------------------------------------------------
# Description (for the API and pages)


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else {"nl": text.nl, "en": text.en}


def summary(scale: Scale) -> dict[str, Any]:
    return {
        "code": scale.code,
        "name": _text(scale.name),
        "item_count": len(scale.items),
        "total_range": list(scale.total_range) if scale.total_range else None,
    }


def describe(scale: Scale) -> dict[str, Any]:
    """Items, answers and scoring rules with their sources, with the settings in force now."""
    lonely_from = scale.lonely_from_value()
    subscale_from = _resolve(scale.subscale_lonely_from)
    return {
        **summary(scale),
        "instruction": _text(scale.instruction),
        "items": [
            {
                "number": item.number,
                "nl": item.text.nl,
                "en": item.text.en,
                "subscale": item.subscale,
                "wording": item.keying,
                "djg11_number": item.djg11_number if scale.code == "djg6" else None,
                "lonely_answers": [v for v, s in item.scores.items() if s > 0]
                if item.keying
                else None,
            }
            for item in scale.items
        ],
        "answer_type": "string" if scale.answer_type == "label" else "integer",
        "answer_options": [
            {"value": o.value, "nl": o.text.nl, "en": o.text.en} for o in scale.answer_options
        ],
        "answer_forms": {name: list(values) for name, values in scale.answer_forms.items()},
        "scoring": {
            "total_range": list(scale.total_range) if scale.total_range else None,
            "subscales": {
                name: [i.number for i in scale.items if i.subscale == name]
                for name in ("emotional", "social")
                if any(i.subscale == name for i in scale.items)
            }
            or None,
            "categories": [
                {"code": c.code, "from": c.low, "to": c.high, "nl": c.text.nl, "en": c.text.en}
                for c in scale.categories
            ]
            if scale.total_range is not None
            else [{"code": c.code, "nl": c.text.nl, "en": c.text.en} for c in scale.categories],
            "max_missing": scale.max_missing_value(),
            "subscale_max_missing": scale.subscale_max_missing if subscale_from else None,
            "lonely_from": lonely_from,
            "subscale_lonely_from": subscale_from,
        },
        "rules": [
            {
                "topic": rule.topic,
                "nl": rule.text.nl,
                "en": rule.text.en,
                "status": rule.status,
                "sources": list(rule.sources),
                "setting": rule.setting or None,
            }
            for rule in scale.rules
        ],
        "sources": [
            {"key": key, "citation": SOURCES[key].citation, "url": SOURCES[key].url or None}
            for key in scale.sources
        ],
    }
