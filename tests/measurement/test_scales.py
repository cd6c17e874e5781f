"""The loneliness scales scored by hand-worked response patterns, each tied to its source.

Sources (see docs/measurement.md, "## Scales"):
- MANUAL: De Jong Gierveld & Van Tilburg, Manual of the Loneliness Scale (1999, web 2022),
  section 8 SPSS syntax for the six-item version.
- CBS2023: CBS toelichting eenzaamheid (2023): "Als mensen 'min of meer' of 'ja' antwoorden ...
  waarbij stellingen 2, 3 en 5 omgekeerd zijn gecodeerd, krijgen ze een score '1'".
- CUTOFF1999 via VZinfo / RIVM / AlleCijfers: 0-2 niet, 3-8 matig, 9-10 ernstig, 11 zeer ernstig.
- HUGHES2004 via GSS: three items, 1 = hardly ever, 2 = some of the time, 3 = often; sum 3-9.
- GERONT2020 Table 1: the direct self-rating question.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ImproperlyConfigured

import pytest

from omzien.measurement import scales
from omzien.measurement.scales import InvalidAnswers, ScaleResult, is_lonely, score, subscale_lonely

NEGATIVE = (2, 3, 5, 6, 9, 10)  # emotional, negatively worded
POSITIVE = (1, 4, 7, 8, 11)  # social, positively worded


def djg11_answers(lonely: Collection[int], *, neutral: Collection[int] = ()) -> list[str | None]:
    """An 11-item response: the items in `lonely` answered the lonely way ('ja' on negative,
    'nee' on positive items), the items in `neutral` 'min of meer', the rest the not-lonely way."""
    answers: list[str | None] = []
    for number in range(1, 12):
        if number in neutral:
            answers.append("min of meer")
        elif number in NEGATIVE:
            answers.append("ja" if number in lonely else "nee")
        else:
            answers.append("nee" if number in lonely else "ja")
    return answers


# --- De Jong Gierveld, 11 items: the data ---------------------------------------------------


def test_the_eleven_items_are_the_published_dutch_wording_in_order():
    """EENZAAM.NL / GERONT2020 Table 1: the 11 Dutch statements in the GGD/RIVM order."""
    items = scales.DJG11.items
    assert [i.number for i in items] == list(range(1, 12))
    assert items[0].text.nl.startswith("Er is altijd wel iemand in mijn omgeving")
    assert items[1].text.nl == "Ik mis een echt goede vriend of vriendin."
    assert items[2].text.nl == "Ik ervaar een leegte om me heen."
    assert items[9].text.nl == "Vaak voel ik me in de steek gelaten."
    assert items[10].text.nl == (
        "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht."
    )
    assert items[9].text.en == "I often feel rejected"
    assert all(i.text.nl and i.text.en for i in items)


def test_six_negative_items_are_emotional_and_five_positive_items_are_social():
    """GERONT2020 Table 1 groups items 2,3,5,6,9,10 as emotional and 1,4,7,8,11 as social;
    the item texts show the emotional ones are negatively worded ("ik mis", "leegte")."""
    items = scales.DJG11.items
    assert tuple(i.number for i in items if i.keying == "negative") == NEGATIVE
    assert tuple(i.number for i in items if i.subscale == "emotional") == NEGATIVE
    assert tuple(i.number for i in items if i.keying == "positive") == POSITIVE
    assert tuple(i.number for i in items if i.subscale == "social") == POSITIVE


# --- De Jong Gierveld, 11 items: scoring ----------------------------------------------------


def test_least_lonely_pattern_scores_zero():
    """MANUAL/CBS2023: only 'ja'/'min of meer' on negative and 'nee'/'min of meer' on positive
    items score 1, so 'nee' on every negative and 'ja' on every positive item scores 0."""
    result = score("djg11", djg11_answers(set()))
    assert result == ScaleResult(0, 0, 0, "niet_eenzaam", True, None)


def test_all_yes_scores_only_the_negative_items():
    """'ja' is lonely on the 6 negative items, not lonely on the 5 positive items."""
    result = score("djg11", ["ja"] * 11)
    assert (result.total, result.emotional, result.social) == (6, 6, 0)
    assert result.category == "matig_eenzaam"


def test_all_no_scores_only_the_positive_items():
    """'nee' is lonely on the 5 positive items (reverse coded), not on the negative items."""
    result = score("djg11", ["nee"] * 11)
    assert (result.total, result.emotional, result.social) == (5, 0, 5)
    assert result.category == "matig_eenzaam"


def test_neutral_answers_count_as_lonely_on_both_kinds_of_items():
    """MANUAL syntax `count lones = lone3 lone9 lone10 (2,3) lone4 lone7 lone8 (1,2)` with
    2 = 'min of meer': neutral counts on negative AND positive items. All neutral = 11."""
    result = score("djg11", ["min of meer"] * 11)
    assert result == ScaleResult(11, 6, 5, "zeer_ernstig_eenzaam", True, None)


def test_one_neutral_answer_on_a_positive_and_one_on_a_negative_item():
    """Neutral on item 1 (positive) and item 2 (negative) each add 1 to their subscale."""
    result = score("djg11", djg11_answers(set(), neutral={1, 2}))
    assert (result.total, result.emotional, result.social) == (2, 1, 1)
    assert result.category == "niet_eenzaam"


def test_a_mixed_worked_pattern():
    """Worked by hand: 1 ja(0) 2 nee(0) 3 min of meer(1) 4 ja(0) 5 ja(1) 6 nee(0) 7 nee(1)
    8 min of meer(1) 9 ja(1) 10 nee(0) 11 ja(0) -> emotional 3 (items 3,5,9), social 2
    (items 7,8), total 5 = matig eenzaam (3-8, CUTOFF1999)."""
    answers = [
        "ja", "nee", "min of meer", "ja", "ja", "nee", "nee", "min of meer", "ja", "nee", "ja",
    ]  # fmt: skip
    result = score("djg11", answers)
    assert result == ScaleResult(5, 3, 2, "matig_eenzaam", True, None)


@pytest.mark.parametrize(
    ("total", "category"),
    [
        (0, "niet_eenzaam"),
        (2, "niet_eenzaam"),
        (3, "matig_eenzaam"),
        (8, "matig_eenzaam"),
        (9, "ernstig_eenzaam"),
        (10, "ernstig_eenzaam"),
        (11, "zeer_ernstig_eenzaam"),
    ],
)
def test_ggd_categories_at_each_boundary(total, category):
    """CUTOFF1999 as used by GGD/RIVM (VZinfo, AlleCijfers GGEES2): 0-2 niet eenzaam, 3-8 matig,
    9-10 ernstig, 11 zeer ernstig eenzaam."""
    lonely = set(range(1, total + 1))
    result = score("djg11", djg11_answers(lonely))
    assert result.total == total
    assert result.category == category
    assert result.emotional == len(lonely & set(NEGATIVE))
    assert result.social == len(lonely & set(POSITIVE))


@pytest.mark.parametrize(("total", "lonely"), [(2, False), (3, True), (9, True)])
def test_lonely_indicator_is_a_score_of_three_or_more(total, lonely):
    """VZinfo/AlleCijfers: indicator 'eenzaam' = score >= 3."""
    result = score("djg11", djg11_answers(set(range(1, total + 1))))
    assert is_lonely("djg11", result) is lonely


def test_five_point_form_splits_at_the_neutral_answer():
    """MANUAL offers ja!/ja/min-of-meer/nee/nee!. Split inferred from the neutral rule:
    negative items ja!/ja/min of meer -> 1; positive items nee!/nee/min of meer -> 1.
    Pattern: 1 ja!(0) 2 ja!(1) 3 nee!(0) 4 nee!(1) 5 ja(1) 6 nee(0) 7 ja(0) 8 nee(1)
    9 min of meer(1) 10 nee!(0) 11 ja!(0) -> emotional 3, social 2, total 5."""
    answers = ["ja!", "ja!", "nee!", "nee!", "ja", "nee", "ja", "nee", "min of meer", "nee!", "ja!"]
    result = score("djg11", answers)
    assert result == ScaleResult(5, 3, 2, "matig_eenzaam", True, None)


def test_five_point_extremes_score_like_their_three_point_answers():
    assert score("djg11", ["ja!"] * 11) == score("djg11", ["ja"] * 11)
    assert score("djg11", ["nee!"] * 11) == score("djg11", ["nee"] * 11)


def test_labels_are_read_without_case_or_extra_spaces_and_the_manuals_spelling():
    """The MANUAL writes 'min-of-meer'; GGD writes 'min of meer'. Both mean the neutral answer."""
    answers = ["  JA ", "Nee", "min-of-meer", "Min  of meer"] + ["ja"] * 7
    assert (
        score("djg11", answers).total
        == score("djg11", ["ja", "nee", "min of meer", "min of meer"] + ["ja"] * 7).total
    )


# --- De Jong Gierveld, 11 items: missing items (project rule OMZIEN_DJG11_MAX_MISSING) ------


def test_one_missing_item_still_gives_a_score_over_the_answered_items():
    """Project rule (modelled on the MANUAL's six-item syntax): at most 1 missing; SPSS `count`
    skips it, no proration. Item 11 (social) missing: social subscale has no score."""
    answers = ["min of meer"] * 10 + [None]
    result = score("djg11", answers)
    assert result.total == 10
    assert result.category == "ernstig_eenzaam"
    assert result.emotional == 6
    assert result.social is None
    assert result.complete is False
    assert result.reason is not None
    assert "11" in result.reason.nl and "niet beantwoord" in result.reason.nl
    assert "sociale eenzaamheid" in result.reason.nl
    assert "social loneliness" in result.reason.en


def test_a_missing_negative_item_removes_only_the_emotional_subscale():
    answers = djg11_answers({1, 4, 7})
    answers[1] = None  # item 2, emotional
    result = score("djg11", answers)
    assert (result.total, result.emotional, result.social) == (3, None, 3)
    assert result.category == "matig_eenzaam"


def test_two_missing_items_give_no_score_with_the_reason():
    answers = ["ja"] * 9 + [None, None]
    result = score("djg11", answers)
    assert result == ScaleResult(None, None, None, None, False, result.reason)
    assert result.reason is not None
    assert "10 en 11" in result.reason.nl
    assert "hoogstens 1 vraag" in result.reason.nl
    assert "10 and 11" in result.reason.en


def test_the_missing_rule_is_a_named_setting(settings):
    settings.OMZIEN_DJG11_MAX_MISSING = 0
    assert score("djg11", ["ja"] * 10 + [None]).total is None
    settings.OMZIEN_DJG11_MAX_MISSING = 2
    result = score("djg11", ["ja"] * 9 + [None, None])
    assert result.total == 5  # 'ja' on negative items 2, 3, 5, 6, 9; items 10 and 11 missing
    assert result.complete is False
    assert score("djg11", ["ja"] * 8 + [None] * 3).total is None


@pytest.mark.parametrize("bad", [-1, 11, "1", True, None])
def test_a_wrong_missing_setting_fails_loudly(settings, bad):
    settings.OMZIEN_DJG11_MAX_MISSING = bad
    with pytest.raises(ImproperlyConfigured):
        score("djg11", ["ja"] * 11)


# --- De Jong Gierveld, 11 items: subscale indicator (project rule, sources disagree) ---------


def test_subscale_lonely_from_three_unfavourable_items_by_default():
    """VZinfo (current) and AlleCijfers: at least 3 unfavourable items of the subscale."""
    result = score("djg11", djg11_answers({2, 3, 5, 1, 4}))  # emotional 3, social 2
    assert (result.emotional, result.social) == (3, 2)
    assert subscale_lonely("djg11", result) == (True, False)


def test_subscale_threshold_two_as_in_rivm_2016(settings):
    """RIVM 2016 and eenzaam.nl: at least 2 items. OMZIEN_DJG11_SUBSCALE_MIN_UNFAVOURABLE."""
    settings.OMZIEN_DJG11_SUBSCALE_MIN_UNFAVOURABLE = 2
    result = score("djg11", djg11_answers({2, 3, 5, 1, 4}))
    assert subscale_lonely("djg11", result) == (True, True)


def test_no_subscale_indicator_without_the_subscale_score():
    answers = djg11_answers({2, 3, 5})
    answers[0] = None
    assert subscale_lonely("djg11", score("djg11", answers)) == (True, None)


# --- De Jong Gierveld, 6 items ---------------------------------------------------------------


def test_six_items_are_items_3_4_7_8_9_10_of_the_eleven():
    """MANUAL section 8 / CBS2023: items 3, 4, 7, 8, 9, 10 of the 11-item scale."""
    items = scales.DJG6.items
    assert [i.djg11_number for i in items] == [3, 4, 7, 8, 9, 10]
    assert [i.number for i in items] == [1, 2, 3, 4, 5, 6]
    for item in items:
        assert item.text == scales.DJG11.items[item.djg11_number - 1].text
    assert [i.subscale for i in items] == [
        "emotional", "social", "social", "social", "emotional", "emotional",
    ]  # fmt: skip


def test_six_item_worked_pattern():
    """MANUAL syntax: lone3 lone9 lone10 count on (2,3) = min of meer/ja; lone4 lone7 lone8 on
    (1,2) = nee/min of meer. Answers: 3 ja(1) 4 nee(1) 7 min of meer(1) 8 ja(0) 9 min of meer(1)
    10 nee(0) -> emotional 2, social 2, total 4 = 'moderate lonely (2-4)'."""
    result = score("djg6", ["ja", "nee", "min of meer", "ja", "min of meer", "nee"])
    assert result == ScaleResult(4, 2, 2, "matig_eenzaam", True, None)


def test_six_item_scores_equal_the_same_items_scored_in_the_eleven_item_scale():
    six = ["ja!", "nee", "min of meer", "ja", "nee!", "ja"]
    eleven: list[str | None] = ["ja"] * 11
    for answer, number in zip(six, (3, 4, 7, 8, 9, 10), strict=True):
        eleven[number - 1] = answer
    per_item = [
        scales.DJG11.items[n - 1].scores[eleven[n - 1]]  # type: ignore[index]
        for n in (3, 4, 7, 8, 9, 10)
    ]
    assert score("djg6", six).total == sum(per_item)


@pytest.mark.parametrize(
    ("total", "category"),
    [
        (0, "niet_eenzaam"),
        (1, "niet_eenzaam"),
        (2, "matig_eenzaam"),
        (4, "matig_eenzaam"),
        (5, "sterk_eenzaam"),
        (6, "sterk_eenzaam"),
    ],
)
def test_six_item_categories_at_each_boundary(total, category):
    """MANUAL: `recode lones (0 thru 1=0)(2 thru 4=1)(5,6=2)` - not / moderate / severe lonely;
    CBS2023 uses the same split (niet / enigszins / sterk eenzaam)."""
    lonely_answer = ["ja", "nee", "nee", "nee", "ja", "ja"]
    not_lonely = ["nee", "ja", "ja", "ja", "nee", "nee"]
    answers = lonely_answer[:total] + not_lonely[total:]
    result = score("djg6", answers)
    assert result.total == total
    assert result.category == category


def test_six_item_one_missing_gives_a_score_and_drops_its_subscale():
    """MANUAL: `if (mlones>1) lones=-1` - one missing item still gives a total;
    `if (mlones>0) loneemos=-1` - a subscale with any missing item has no score."""
    result = score("djg6", ["ja", "nee", "nee", "nee", None, "ja"])
    assert result.total == 5
    assert result.category == "sterk_eenzaam"
    assert result.emotional is None
    assert result.social == 3
    assert result.complete is False
    assert result.reason is not None and "5" in result.reason.nl


def test_six_item_two_missing_give_no_score():
    """MANUAL: `if (mlones>1) lones=-1` - more than one missing item: no total."""
    result = score("djg6", [None, "nee", "nee", "nee", None, "ja"])
    assert result.total is None
    assert result.category is None
    assert result.emotional is None and result.social is None
    assert result.reason is not None
    assert "hoogstens 1 vraag" in result.reason.nl
    assert "At most 1" in result.reason.en


def test_six_item_missing_rule_is_not_changed_by_the_eleven_item_setting(settings):
    """The six-item rule is verified in the MANUAL, so it is a constant, not a setting."""
    settings.OMZIEN_DJG11_MAX_MISSING = 3
    assert score("djg6", [None, None, "nee", "nee", "ja", "ja"]).total is None


@pytest.mark.parametrize(("count", "lonely"), [(0, False), (1, True), (3, True)])
def test_six_item_subscale_lonely_from_one(count, lonely):
    """MANUAL: `recode loneemos (0=0)(1,2,3=1)` - 0 not lonely, 1-3 lonely."""
    answers = ["ja" if i < count else "nee" for i in range(3)]
    six = [answers[0], "ja", "ja", "ja", answers[1], answers[2]]
    result = score("djg6", six)
    assert result.emotional == count
    assert subscale_lonely("djg6", result) == (lonely, False)


# --- UCLA 3 items ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total"), [([1, 1, 1], 3), ([3, 3, 3], 9), ([1, 2, 3], 6), ([2, 2, 1], 5)]
)
def test_ucla3_total_is_the_sum_of_the_answers(answers, total):
    """HUGHES2004 (via GSS): hardly ever = 1, some of the time = 2, often = 3; sum 3-9."""
    result = score("ucla3", answers)
    assert result == ScaleResult(total, None, None, None, True, None)


def test_ucla3_has_no_category_because_the_source_gives_no_cut_off():
    """The 3-5 / 6-9 split is a convention, not a rule of Hughes et al. (2004)."""
    result = score("ucla3", [3, 3, 3])
    assert result.category is None
    assert is_lonely("ucla3", result) is None


@pytest.mark.parametrize("position", [0, 1, 2])
def test_ucla3_needs_all_three_answers(position):
    """Project rule UCLA3_MAX_MISSING = 0: no published missing-item rule was found."""
    answers: list[int | None] = [2, 2, 2]
    answers[position] = None
    result = score("ucla3", answers)
    assert result.total is None
    assert result.reason is not None
    assert f"vraag {position + 1} is niet beantwoord" in result.reason.nl
    assert "all 3 answers" in result.reason.en


@pytest.mark.parametrize("bad", ["2", 2.0, True, [2]])
def test_ucla3_refuses_answers_that_are_not_whole_numbers(bad):
    with pytest.raises(InvalidAnswers) as caught:
        score("ucla3", [1, bad, 1])
    assert [p.position for p in caught.value.problems] == [2]
    assert "heel getal" in caught.value.problems[0].text.nl


@pytest.mark.parametrize("bad", [0, 4, -1])
def test_ucla3_refuses_numbers_outside_one_to_three(bad):
    with pytest.raises(InvalidAnswers) as caught:
        score("ucla3", [bad, 1, 1])
    assert caught.value.problems[0].position == 1


def test_ucla3_dutch_wording_is_marked_as_our_translation():
    rules = {r.topic: r for r in scales.UCLA3.rules}
    assert rules["translation"].status == "project_rule"
    assert "vertaling van Omzien" in rules["translation"].text.nl


# --- The direct question --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "category", "lonely"),
    [
        ("niet eenzaam", "niet_eenzaam", False),
        ("matig eenzaam", "matig_eenzaam", True),
        ("sterk eenzaam", "sterk_eenzaam", True),
        ("zeer sterk eenzaam", "zeer_sterk_eenzaam", True),
    ],
)
def test_direct_question_result_is_the_chosen_answer(answer, category, lonely):
    """GERONT2020 Table 1: 'Als we de mensen zouden indelen in niet eenzaam, matig eenzaam, sterk
    eenzaam, zeer sterk eenzaam, waar zou u zich dan nu toe rekenen?'. Lonely from 'matig' is a
    project rule (OMZIEN_DIRECT_LONELY_FROM), by analogy with the GGD indicator (>= 3)."""
    result = score("direct", [answer])
    assert result == ScaleResult(None, None, None, category, True, None)
    assert is_lonely("direct", result) is lonely


def test_direct_question_wording_is_exact():
    item = scales.DIRECT.items[0]
    assert item.text.nl == (
        "Als we de mensen zouden indelen in niet eenzaam, matig eenzaam, sterk eenzaam, zeer "
        "sterk eenzaam, waar zou u zich dan nu toe rekenen?"
    )


def test_direct_lonely_threshold_is_a_setting(settings):
    settings.OMZIEN_DIRECT_LONELY_FROM = "sterk_eenzaam"
    assert is_lonely("direct", score("direct", ["matig eenzaam"])) is False
    assert is_lonely("direct", score("direct", ["sterk eenzaam"])) is True
    settings.OMZIEN_DIRECT_LONELY_FROM = "niet_eenzaam"
    with pytest.raises(ImproperlyConfigured):
        is_lonely("direct", score("direct", ["sterk eenzaam"]))


def test_direct_question_without_answer_has_no_result():
    result = score("direct", [None])
    assert result.category is None
    assert result.complete is False
    assert result.reason is not None and "niet beantwoord" in result.reason.nl


# --- Answers that do not fit ------------------------------------------------------------------


def test_too_few_answers_names_the_first_missing_position():
    with pytest.raises(InvalidAnswers) as caught:
        score("djg11", ["ja"] * 9)
    problem = caught.value.problems[0]
    assert problem.position == 10
    assert "10 en 11" in problem.text.nl
    assert "null" in problem.text.nl


def test_too_many_answers_names_the_first_extra_position():
    with pytest.raises(InvalidAnswers) as caught:
        score("djg6", ["ja"] * 7)
    assert caught.value.problems[0].position == 7


def test_every_wrong_answer_is_named():
    answers: list[object] = ["ja"] * 11
    answers[2] = "soms"
    answers[7] = 1
    with pytest.raises(InvalidAnswers) as caught:
        score("djg11", answers)
    assert [p.position for p in caught.value.problems] == [3, 8]
    assert "soms" in caught.value.problems[0].text.nl
    assert "tekst" in caught.value.problems[1].text.nl


@pytest.mark.parametrize("bad", ["ja", {"1": "ja"}, None, 3])
def test_answers_must_be_a_list(bad):
    with pytest.raises(InvalidAnswers) as caught:
        score("djg6", bad)
    assert caught.value.problems[0].position is None


def test_the_direct_question_refuses_a_djg_label():
    with pytest.raises(InvalidAnswers):
        score("direct", ["ja"])


# --- Descriptions ---------------------------------------------------------------------------


def test_every_rule_names_a_known_source_and_a_status():
    for scale in scales.SCALES.values():
        for rule in scale.rules:
            assert rule.status in ("verified", "inferred", "project_rule")
            assert all(key in scales.SOURCES for key in rule.sources)
        assert all(key in scales.SOURCES for key in scale.sources)


def test_description_shows_the_settings_in_force(settings):
    settings.OMZIEN_DJG11_MAX_MISSING = 0
    described = scales.describe(scales.DJG11)
    assert described["scoring"]["max_missing"] == 0
    settings_named = {r["setting"] for r in described["rules"] if r["setting"]}
    assert settings_named == {
        "OMZIEN_DJG11_MAX_MISSING",
        "OMZIEN_DJG11_SUBSCALE_MIN_UNFAVOURABLE",
    }
    assert described["items"][1]["lonely_answers"] == ["ja!", "ja", "min of meer"]
    assert described["items"][0]["lonely_answers"] == ["min of meer", "nee", "nee!"]


# --- Rules that mutation testing found unguarded (docs/testing.md) --------------------------


def test_an_incomplete_result_is_neither_lonely_nor_not_lonely():
    """No category (too many answers missing): the lonely indicator is unknown, not False."""
    result = score("djg11", ["ja"] * 9 + [None, None])
    assert result.category is None
    assert is_lonely("djg11", result) is None


def test_a_scale_without_a_cut_off_never_says_lonely():
    assert is_lonely("ucla3", score("ucla3", [3, 3, 3])) is None


def test_no_emotional_indicator_without_the_emotional_score():
    answers = djg11_answers({1, 4, 7})
    answers[1] = None  # item 2, emotional
    assert subscale_lonely("djg11", score("djg11", answers)) == (None, True)


def test_the_missing_rule_accepts_its_largest_allowed_value(settings):
    maximum = scales.DJG11.max_missing.maximum  # type: ignore[union-attr]
    settings.OMZIEN_DJG11_MAX_MISSING = maximum
    assert scales.DJG11.max_missing_value() == maximum


@pytest.mark.parametrize("bad", [-1, 11, "1"])
def test_a_wrong_setting_is_named_in_the_error(settings, bad):
    settings.OMZIEN_DJG11_MAX_MISSING = bad
    with pytest.raises(ImproperlyConfigured, match="OMZIEN_DJG11_MAX_MISSING"):
        score("djg11", ["ja"] * 11)


def test_a_wrong_direct_threshold_names_the_setting_and_its_choices(settings):
    settings.OMZIEN_DIRECT_LONELY_FROM = "heel_erg"
    with pytest.raises(ImproperlyConfigured) as raised:
        scales.DIRECT.lonely_from_value()
    message = str(raised.value)
    assert "OMZIEN_DIRECT_LONELY_FROM" in message
    assert "matig_eenzaam, sterk_eenzaam" in message and "'heel_erg'" in message


def test_the_reasons_name_the_subscale_that_is_missing():
    answers = djg11_answers({1, 4, 7})
    answers[1] = None  # item 2: emotional
    emotional = score("djg11", answers).reason
    answers = djg11_answers({2, 3, 5})
    answers[0] = None  # item 1: social
    social = score("djg11", answers).reason
    assert emotional is not None and social is not None
    assert "emotionele eenzaamheid" in emotional.nl and "emotional loneliness" in emotional.en
    assert "sociale eenzaamheid" in social.nl and "social loneliness" in social.en


def test_the_unanswered_direct_question_says_so_in_both_languages():
    result = score("direct", [None])
    assert result.reason is not None
    assert result.reason.nl == "Geen uitkomst: de vraag is niet beantwoord."
    assert result.reason.en == "No result: the question was not answered."


def test_the_reason_counts_allowed_questions_in_good_dutch(settings):
    settings.OMZIEN_DJG11_MAX_MISSING = 1
    one = score("djg11", ["ja"] * 9 + [None, None]).reason
    settings.OMZIEN_DJG11_MAX_MISSING = 2
    two = score("djg11", ["ja"] * 8 + [None] * 3).reason
    assert one is not None and two is not None
    assert "hoogstens 1 vraag ontbreken" in one.nl
    assert "hoogstens 2 vragen ontbreken" in two.nl
    assert "2, 3 en 4" not in two.nl and "9, 10 en 11" in two.nl


def test_the_description_is_the_published_contract_of_each_scale():
    """What /api/v1/scales/<code> publishes: partners score with it, so its shape is a rule."""
    djg11 = scales.describe(scales.DJG11)
    assert djg11["instruction"]["nl"].startswith("Wilt u van elk van de volgende uitspraken")
    assert djg11["instruction"]["en"].startswith("Please indicate")
    first = djg11["items"][0]
    assert first["number"] == 1 and first["subscale"] == "social"
    assert first["wording"] == "positive" and first["djg11_number"] is None
    assert djg11["answer_type"] == "string"
    assert djg11["answer_options"][0] == {"value": "ja!", "nl": "ja!", "en": "yes!"}
    scoring = djg11["scoring"]
    assert scoring["subscales"] == {"emotional": [2, 3, 5, 6, 9, 10], "social": [1, 4, 7, 8, 11]}
    assert scoring["categories"][0] == {
        "code": "niet_eenzaam",
        "from": 0,
        "to": 2,
        "nl": scoring["categories"][0]["nl"],
        "en": scoring["categories"][0]["en"],
    }
    assert scoring["subscale_max_missing"] == scales.DJG11.subscale_max_missing

    djg6 = scales.describe(scales.DJG6)
    assert [i["djg11_number"] for i in djg6["items"]] == [3, 4, 7, 8, 9, 10]

    ucla3 = scales.describe(scales.UCLA3)
    assert ucla3["answer_type"] == "integer"
    assert ucla3["items"][0]["wording"] is None and ucla3["items"][0]["lonely_answers"] is None
    assert ucla3["scoring"]["subscales"] is None
    assert ucla3["scoring"]["subscale_max_missing"] is None

    direct = scales.describe(scales.DIRECT)
    assert direct["instruction"] is None
    assert direct["scoring"]["categories"][1] == {
        "code": "matig_eenzaam",
        "nl": "matig eenzaam",
        "en": "moderately lonely",
    }
