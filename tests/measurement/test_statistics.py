"""Paired before/after statistics, checked against values computed independently.

SciPy's own tests (wilcoxon, ttest_rel, binomtest) are called here on the same data; the module
itself only uses SciPy's distribution functions. The d_z interval is checked with a noncentral t
distribution computed here by numerical integration, and by a coverage simulation.
"""

from __future__ import annotations

import math
import re
import time

import numpy as np
import pytest
from scipy import integrate, stats

from omzien.measurement import statistics
from omzien.measurement.statistics import (
    Change,
    McNemarMethod,
    NoteCode,
    WilcoxonMethod,
    before_after_warning,
    noncentrality_interval,
    paired_effects,
)

# DJG-11 scores (0-11, lower = less lonely). Changes: -4 0 -3 -3 0 +1 -2 0 -3 0 +1 -4, so four
# zero differences and ties at |1|, |3| and |4|. n = 12: SciPy uses its exact sign-flip test.
TIES_BEFORE = [9, 8, 10, 6, 7, 5, 11, 4, 8, 9, 3, 6]
TIES_AFTER = [5, 8, 7, 3, 7, 6, 9, 4, 5, 9, 4, 2]

# n = 30 with ties and four zeros: SciPy uses the normal approximation.
MEDIUM_BEFORE = [10, 4, 4, 6, 10, 3, 4, 7, 4, 6, 5, 2, 2, 2, 8, 11, 11, 8, 11, 6, 7, 8, 6, 4, 9,
                 5, 7, 2, 4, 2]  # fmt: skip
MEDIUM_AFTER = [9, 5, 6, 7, 11, 0, 5, 4, 4, 1, 1, 0, 0, 1, 10, 10, 11, 4, 9, 6, 3, 7, 4, 2, 8,
                2, 7, 4, 0, 0]  # fmt: skip

# n = 20, all absolute changes different and none zero: SciPy uses the exact distribution.
NO_TIES_CHANGES = [-1, 2, -3, -4, 5, -6, -7, -8, 9, -10, -11, -12, 13, -14, -15, -16, -17, 18,
                   -19, -20]  # fmt: skip
NO_TIES_BEFORE = [40 + (i * 7) % 13 for i in range(20)]
NO_TIES_AFTER = [b + c for b, c in zip(NO_TIES_BEFORE, NO_TIES_CHANGES, strict=True)]


def effects(before, after, **kwargs):
    kwargs.setdefault("lonely_cutoff", 3)
    kwargs.setdefault("reliability", 0.8)
    return paired_effects(before, after, **kwargs)


def large_sample(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    before = rng.integers(0, 12, n).astype(float)
    after = np.clip(before + rng.integers(-4, 3, n), 0, 11)
    return before, after


def nct_cdf_by_quadrature(t: float, df: int, ncp: float) -> float:
    """P(T <= t) for a noncentral t, T = (Z + ncp) / sqrt(V / df), by numerical integration.

    For t > 0: T <= t exactly when Z + ncp <= 0, or V >= df * ((Z + ncp) / t) ** 2, so
    P = integral of phi(z) * (1 if z + ncp <= 0 else chi2.sf(df * ((z + ncp) / t) ** 2)) dz,
    a smooth integrand even for huge t. t < 0 follows from symmetry, t = 0 is Phi(-ncp).
    """
    if t == 0:
        return float(stats.norm.cdf(-ncp))
    if t < 0:
        return 1.0 - nct_cdf_by_quadrature(-t, df, -ncp)

    def integrand(z: float) -> float:
        inner = 1.0 if z + ncp <= 0 else stats.chi2.sf(df * ((z + ncp) / t) ** 2, df)
        return float(stats.norm.pdf(z) * inner)

    points = [-ncp] if -12 < -ncp < 12 else None
    value, _ = integrate.quad(integrand, -12, 12, points=points, epsabs=1e-14, limit=400)
    return value


# --- Wilcoxon signed-rank -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "method"),
    [
        (TIES_BEFORE, TIES_AFTER, WilcoxonMethod.EXACT_CONDITIONAL),
        (MEDIUM_BEFORE, MEDIUM_AFTER, WilcoxonMethod.NORMAL_APPROXIMATION),
        (NO_TIES_BEFORE, NO_TIES_AFTER, WilcoxonMethod.EXACT),
        (*large_sample(2024, 60), WilcoxonMethod.NORMAL_APPROXIMATION),
        (*large_sample(7, 1000), WilcoxonMethod.NORMAL_APPROXIMATION),
    ],
    ids=["n12-ties-zeros", "n30-ties-zeros", "n20-no-ties", "n60", "n1000"],
)
def test_wilcoxon_matches_scipy_default(before, after, method) -> None:
    summary = effects(before, after)
    expected = stats.wilcoxon(after, before)

    assert summary.wilcoxon is not None
    assert summary.wilcoxon.method == method
    assert summary.wilcoxon.statistic == pytest.approx(float(expected.statistic), abs=1e-9)
    assert summary.wilcoxon.p_value == pytest.approx(float(expected.pvalue), rel=1e-9)


def test_wilcoxon_drops_zero_differences_and_reports_ties() -> None:
    summary = effects(TIES_BEFORE, TIES_AFTER)

    assert summary.wilcoxon is not None
    assert summary.wilcoxon.n_zero == 4
    assert summary.wilcoxon.n_nonzero == 8
    assert summary.wilcoxon.has_ties
    # Ranks of |d| = 1 1 2 3 3 3 4 4 -> 1.5 1.5 3 5 5 5 7.5 7.5; the two +1 changes give W+ = 3.
    assert summary.wilcoxon.statistic == 3.0


def test_wilcoxon_with_a_zero_in_a_group_of_14_uses_the_normal_approximation() -> None:
    changes = [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 11, 12, -13, 0]
    before = [20] * 14
    after = [20 + c for c in changes]

    summary = effects(before, after)
    expected = stats.wilcoxon(after, before)

    assert summary.wilcoxon is not None
    assert summary.wilcoxon.method == WilcoxonMethod.NORMAL_APPROXIMATION
    assert summary.wilcoxon.p_value == pytest.approx(float(expected.pvalue), rel=1e-9)


def test_wilcoxon_agrees_with_scipy_on_many_random_groups() -> None:
    rng = np.random.default_rng(11)
    for size in [5, 6, 9, 13, 14, 25, 50, 51, 120]:
        for integer_scores in (True, False):
            if integer_scores:
                before = rng.integers(0, 12, size).astype(float)
                after = np.clip(before + rng.integers(-4, 3, size), 0, 11)
            else:
                before = rng.normal(6, 2, size)
                after = before + rng.normal(-0.5, 1, size)
            summary = effects(before, after)
            expected = stats.wilcoxon(after, before)
            assert summary.wilcoxon is not None
            assert summary.wilcoxon.statistic == pytest.approx(float(expected.statistic))
            assert summary.wilcoxon.p_value == pytest.approx(float(expected.pvalue), rel=1e-9)


# --- Mean change and paired t-test ------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [(TIES_BEFORE, TIES_AFTER), (MEDIUM_BEFORE, MEDIUM_AFTER), (NO_TIES_BEFORE, NO_TIES_AFTER)],
)
def test_t_test_and_mean_change_interval_match_scipy(before, after) -> None:
    summary = effects(before, after)
    expected = stats.ttest_rel(after, before)
    interval = expected.confidence_interval(0.95)
    changes = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)

    assert summary.t_test is not None
    assert summary.change is not None
    assert summary.t_test.t == pytest.approx(float(expected.statistic), rel=1e-12)
    assert summary.t_test.df == int(expected.df)
    assert summary.t_test.p_value == pytest.approx(float(expected.pvalue), rel=1e-9)
    assert summary.change.mean == pytest.approx(changes.mean())
    assert summary.change.median == pytest.approx(float(np.median(changes)))
    assert summary.change.ci_low == pytest.approx(float(interval.low), rel=1e-9)
    assert summary.change.ci_high == pytest.approx(float(interval.high), rel=1e-9)


def test_lower_score_after_gives_negative_change_counted_as_improvement() -> None:
    summary = effects(TIES_BEFORE, TIES_AFTER)

    assert summary.change is not None and summary.change.mean < 0
    assert summary.counts is not None
    assert (summary.counts.improved, summary.counts.unchanged, summary.counts.worse) == (6, 4, 2)
    assert summary.mean_before == pytest.approx(np.mean(TIES_BEFORE))
    assert summary.mean_after == pytest.approx(np.mean(TIES_AFTER))


def test_higher_is_better_swaps_improved_and_worse() -> None:
    summary = effects(TIES_BEFORE, TIES_AFTER, lower_is_better=False)

    assert summary.counts is not None
    assert (summary.counts.improved, summary.counts.unchanged, summary.counts.worse) == (2, 4, 6)
    # The signed figures do not depend on the direction.
    assert summary.change is not None and summary.change.mean < 0


# --- Effect sizes -----------------------------------------------------------------------------


def test_d_z_and_hedges_g_by_hand() -> None:
    summary = effects(MEDIUM_BEFORE, MEDIUM_AFTER)
    changes = np.asarray(MEDIUM_AFTER, dtype=float) - np.asarray(MEDIUM_BEFORE, dtype=float)
    d_z = changes.mean() / changes.std(ddof=1)

    assert summary.effect_size is not None
    assert summary.effect_size.d_z == pytest.approx(d_z, rel=1e-12)
    assert summary.effect_size.hedges_g_z == pytest.approx(d_z * (1 - 3 / (4 * 29 - 1)), rel=1e-12)


def test_d_z_interval_solves_the_noncentral_t_computed_by_quadrature() -> None:
    summary = effects(MEDIUM_BEFORE, MEDIUM_AFTER)
    assert summary.effect_size is not None and summary.t_test is not None
    t, df, root_n = summary.t_test.t, summary.t_test.df, math.sqrt(30)
    assert summary.effect_size.ci_low is not None and summary.effect_size.ci_high is not None
    ncp_low = summary.effect_size.ci_low * root_n
    ncp_high = summary.effect_size.ci_high * root_n

    assert nct_cdf_by_quadrature(t, df, ncp_low) == pytest.approx(0.975, abs=1e-6)
    assert nct_cdf_by_quadrature(t, df, ncp_high) == pytest.approx(0.025, abs=1e-6)
    # And they are the crossing points, not just any solution: a step outwards or inwards
    # lands on the other side of 0.975 / 0.025.
    assert (
        nct_cdf_by_quadrature(t, df, ncp_low - 0.01)
        > 0.975
        > nct_cdf_by_quadrature(t, df, ncp_low + 0.01)
    )
    assert (
        nct_cdf_by_quadrature(t, df, ncp_high - 0.01)
        > 0.025
        > nct_cdf_by_quadrature(t, df, ncp_high + 0.01)
    )
    assert summary.effect_size.ci_low < summary.effect_size.d_z < summary.effect_size.ci_high


@pytest.mark.parametrize(
    ("t", "df"),
    [(3.66393, 39), (-2.1, 4), (0.0, 9), (25.0, 999), (100.0, 1), (1000.0, 4), (-5000.0, 29)],
)
def test_noncentrality_interval_by_quadrature(t: float, df: int) -> None:
    # (3.66393, 39) is the worked example of real-statistics.com ("Confidence interval for
    # effect size"), which gives 5.779139 for the upper limit from Excel's goal seek; numerical
    # integration gives 5.7647, so the published figure is off in the second decimal.
    # (1000, 4): SciPy's nctdtrinc misses the upper limit here (1669.36 instead of 1669.08).
    interval = noncentrality_interval(t, df)

    assert interval is not None
    low, high = interval
    assert nct_cdf_by_quadrature(t, df, low) == pytest.approx(0.975, abs=1e-6)
    assert nct_cdf_by_quadrature(t, df, high) == pytest.approx(0.025, abs=1e-6)


@pytest.mark.parametrize(("t", "df"), [(20_000.0, 1), (20_000.0, 4), (-50_000.0, 999)])
def test_noncentrality_interval_for_huge_t_uses_the_limit_and_stays_accurate(t, df) -> None:
    started = time.perf_counter()
    interval = noncentrality_interval(t, df)
    elapsed = time.perf_counter() - started

    assert interval is not None
    low, high = interval
    assert nct_cdf_by_quadrature(t, df, low) == pytest.approx(0.975, abs=1e-6)
    assert nct_cdf_by_quadrature(t, df, high) == pytest.approx(0.025, abs=1e-6)
    assert elapsed < 0.1


def test_nearly_equal_changes_do_not_stall_the_effect_size() -> None:
    before = [6.0] * 1000
    after = [4.0] * 999 + [3.999]

    started = time.perf_counter()
    summary = effects(before, after)
    elapsed = time.perf_counter() - started

    assert summary.effect_size is not None
    assert summary.effect_size.ci_low is not None and summary.effect_size.ci_high is not None
    assert summary.effect_size.ci_low < summary.effect_size.d_z < summary.effect_size.ci_high
    assert elapsed < 1.0


def test_effect_size_interval_is_left_out_when_scipy_cannot_evaluate_it(monkeypatch) -> None:
    monkeypatch.setattr(statistics.special, "nctdtr", lambda df, ncp, t: math.nan)

    summary = effects(MEDIUM_BEFORE, MEDIUM_AFTER)

    assert summary.effect_size is not None
    assert summary.effect_size.d_z < 0
    assert summary.effect_size.ci_low is None and summary.effect_size.d_av_ci_low is None
    assert summary.effect_size.d_av is not None


def test_d_z_interval_covers_the_true_effect_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(5)
    n, delta, runs = 8, -0.5, 4000
    changes = rng.normal(delta, 1.0, size=(runs, n))
    t = changes.mean(axis=1) / (changes.std(axis=1, ddof=1) / math.sqrt(n))
    covered = 0
    for t_value in t:
        interval = noncentrality_interval(float(t_value), n - 1)
        assert interval is not None
        low, high = interval
        covered += low / math.sqrt(n) <= delta <= high / math.sqrt(n)

    assert 0.94 <= covered / runs <= 0.96


def test_d_av_and_its_interval_by_hand() -> None:
    summary = effects(MEDIUM_BEFORE, MEDIUM_AFTER)
    before = np.asarray(MEDIUM_BEFORE, dtype=float)
    after = np.asarray(MEDIUM_AFTER, dtype=float)
    var_b, var_a = before.var(ddof=1), after.var(ddof=1)
    var_d = (after - before).var(ddof=1)
    assert summary.effect_size is not None and summary.t_test is not None
    interval = noncentrality_interval(summary.t_test.t, 29)
    assert interval is not None
    low, high = interval
    scale = math.sqrt(2 * var_d / (30 * (var_b + var_a)))

    assert summary.effect_size.d_av == pytest.approx(
        (after.mean() - before.mean()) / math.sqrt((var_b + var_a) / 2), rel=1e-12
    )
    assert summary.effect_size.d_av_ci_low == pytest.approx(low * scale, rel=1e-12)
    assert summary.effect_size.d_av_ci_high == pytest.approx(high * scale, rel=1e-12)


# --- Edge cases: no spread, all zero, too few ------------------------------------------------


def test_equal_changes_have_no_spread_so_no_t_test_and_no_effect_size() -> None:
    before = [5, 6, 7, 8, 9, 10]
    after = [3, 4, 5, 6, 7, 8]

    summary = effects(before, after)

    assert summary.enough_data
    assert summary.change is not None
    assert summary.change.mean == -2.0
    assert summary.change.sd == 0.0
    assert summary.change.ci_low is None and summary.change.ci_high is None
    assert summary.t_test is None
    assert summary.effect_size is None
    assert summary.has_note(NoteCode.NO_SPREAD)
    # The rank test still works: all ranks tie, SciPy uses its exact sign-flip test.
    expected = stats.wilcoxon(after, before)
    assert summary.wilcoxon is not None
    assert summary.wilcoxon.method == WilcoxonMethod.EXACT_CONDITIONAL
    assert summary.wilcoxon.p_value == pytest.approx(float(expected.pvalue))
    assert summary.counts is not None and summary.counts.improved == 6


def test_no_change_at_all_gives_no_wilcoxon_and_says_why() -> None:
    before = [4, 6, 8, 3, 9, 7]

    summary = effects(before, before)

    assert summary.enough_data
    assert summary.wilcoxon is not None
    assert summary.wilcoxon.method == WilcoxonMethod.NOT_COMPUTED
    assert summary.wilcoxon.p_value is None and summary.wilcoxon.statistic is None
    assert summary.has_note(NoteCode.ALL_ZERO)
    assert summary.has_note(NoteCode.NO_SPREAD)
    assert summary.lonely is not None and summary.lonely.p_value == 1.0


def test_four_participants_give_no_figures_at_all() -> None:
    summary = effects([9, 8, 7, 6], [5, 6, 7, 2])

    assert not summary.enough_data
    assert summary.n == 4
    assert summary.reason is not None and "te weinig deelnemers" in summary.reason.lower()
    assert summary.has_note(NoteCode.TOO_FEW)
    for figure in (
        summary.mean_before,
        summary.mean_after,
        summary.change,
        summary.counts,
        summary.wilcoxon,
        summary.t_test,
        summary.effect_size,
        summary.lonely,
        summary.reliable_change,
    ):
        assert figure is None


def test_five_participants_give_figures() -> None:
    before, after = [9, 8, 7, 6, 10], [5, 6, 7, 2, 9]

    summary = effects(before, after)

    assert summary.enough_data and summary.reason is None
    assert summary.n == 5
    assert summary.t_test is not None
    assert summary.t_test.p_value == pytest.approx(float(stats.ttest_rel(after, before).pvalue))
    assert summary.wilcoxon is not None and summary.effect_size is not None
    assert summary.lonely is not None and summary.reliable_change is not None
    assert summary.has_note(NoteCode.FEW_FOR_TESTS)


@pytest.mark.parametrize(
    ("changes", "median"),
    [([1, 2, 3, 10, 0, 12], 2.5), ([1, 2, 3, 10, 0], 2.0), ([-4, -1, -1, -3, -2, -2, 0, 5], -1.5)],
)
def test_the_median_change_of_an_even_group_is_the_mean_of_the_middle_two(
    changes: list[int], median: float
) -> None:
    before = [20] * len(changes)
    after = [b + c for b, c in zip(before, changes, strict=True)]

    summary = effects(before, after)

    assert summary.change is not None
    assert summary.change.median == median


def test_pairs_with_a_missing_score_are_dropped_and_counted() -> None:
    before = [9, None, 8, 7, 6, 10, float("nan"), 5]
    after = [5, 4, 6, 7, 2, 9, 3, None]

    summary = effects(before, after)

    assert summary.n == 5
    assert summary.n_dropped == 3
    assert summary.has_note(NoteCode.DROPPED)
    assert summary.change is not None
    assert summary.change.mean == pytest.approx(np.mean([-4, -2, 0, -4, -1]))


def test_missing_scores_can_push_a_group_below_the_minimum() -> None:
    summary = effects([9, 8, 7, 6, None], [5, 6, 7, 2, 9])

    assert not summary.enough_data
    assert summary.n == 4 and summary.n_dropped == 1


def test_custom_minimum() -> None:
    assert not effects(TIES_BEFORE, TIES_AFTER, min_n=13).enough_data
    assert effects(TIES_BEFORE, TIES_AFTER, min_n=12).enough_data


@pytest.mark.parametrize(
    "kwargs",
    [{"reliability": 1.0}, {"reliability": -0.1}, {"sd_reference": 0.0}, {"min_n": 1}],
)
def test_invalid_settings_are_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        effects(TIES_BEFORE, TIES_AFTER, **kwargs)


def test_before_and_after_must_have_the_same_length() -> None:
    with pytest.raises(ValueError):
        effects([1, 2, 3, 4, 5], [1, 2, 3, 4])


# --- Share lonely and McNemar -------------------------------------------------------------


def test_share_lonely_with_exact_mcnemar_matches_binomtest() -> None:
    # Cutoff 6: lonely before 9 of 12, after 6; four left the group, one joined it.
    summary = effects(TIES_BEFORE, TIES_AFTER, lonely_cutoff=6)

    lonely = summary.lonely
    assert lonely is not None
    assert (lonely.lonely_before, lonely.lonely_after) == (9, 6)
    assert lonely.share_before == pytest.approx(9 / 12)
    assert lonely.share_after == pytest.approx(6 / 12)
    assert (lonely.left_lonely, lonely.became_lonely) == (4, 1)
    assert lonely.method == McNemarMethod.EXACT_BINOMIAL
    assert lonely.statistic is None
    assert lonely.p_value == pytest.approx(stats.binomtest(1, 5, 0.5).pvalue)
    assert lonely.p_value == pytest.approx(0.375)


def test_mcnemar_switches_to_corrected_chi_square_from_25_discordant_pairs() -> None:
    # 30 go from 8 to 2 (leave "eenzaam"), 5 from 2 to 8, 5 stay at 8.
    before = [8] * 30 + [2] * 5 + [8] * 5
    after = [2] * 30 + [8] * 5 + [8] * 5

    lonely = effects(before, after, lonely_cutoff=3).lonely

    assert lonely is not None
    assert lonely.method == McNemarMethod.CHI_SQUARE_CORRECTED
    statistic = (abs(30 - 5) - 1) ** 2 / 35
    assert lonely.statistic == pytest.approx(statistic)
    assert lonely.p_value == pytest.approx(float(stats.chi2.sf(statistic, 1)), rel=1e-9)


@pytest.mark.parametrize(
    ("discordant", "method"),
    [
        (24, McNemarMethod.EXACT_BINOMIAL),
        (25, McNemarMethod.CHI_SQUARE_CORRECTED),
    ],
)
def test_mcnemar_boundary(discordant: int, method: McNemarMethod) -> None:
    left = discordant - 3
    before = [8] * left + [1] * 3 + [8] * 4
    after = [1] * left + [8] * 3 + [8] * 4

    lonely = effects(before, after).lonely

    assert lonely is not None
    assert lonely.method == method
    if method == McNemarMethod.EXACT_BINOMIAL:
        assert lonely.p_value == pytest.approx(stats.binomtest(3, discordant, 0.5).pvalue)


# --- Reliable Change Index ----------------------------------------------------------------


def test_rci_with_reference_sd_matches_the_worked_example() -> None:
    # MEASUREMENT.md 5.2: SD 3.0 and reliability 0.80 give S_diff = 1.897; 9 -> 4 is a reliable
    # improvement (RCI -2.64), 6 -> 3 is not (-1.58).
    before = [9, 6, 2, 7, 5]
    after = [4, 3, 7, 7, 6]

    summary = effects(before, after, reliability=0.8, sd_reference=3.0)

    rci = summary.reliable_change
    assert rci is not None
    s_diff = math.sqrt(2) * 3.0 * math.sqrt(1 - 0.8)
    assert rci.s_diff == pytest.approx(s_diff)
    assert rci.s_diff == pytest.approx(1.897, abs=5e-4)
    assert rci.threshold_points == pytest.approx(3.72, abs=5e-3)
    assert rci.sd_from_reference
    assert rci.values[0] == pytest.approx(-2.64, abs=5e-3)
    assert rci.values[1] == pytest.approx(-1.58, abs=5e-3)
    np.testing.assert_allclose(rci.values, (np.array(after) - np.array(before)) / s_diff)
    assert list(rci.categories) == [
        Change.IMPROVED,
        Change.UNCHANGED,
        Change.WORSE,
        Change.UNCHANGED,
        Change.UNCHANGED,
    ]
    assert (rci.improved, rci.unchanged, rci.worse) == (1, 3, 1)
    assert (rci.share_improved, rci.share_unchanged, rci.share_worse) == (0.2, 0.6, 0.2)
    assert not summary.has_note(NoteCode.RCI_SAMPLE_SD)


def test_rci_exactly_at_the_limit_counts_as_reliable() -> None:
    # SD 1 and reliability 0.5 give S_diff = 1, so a change of -1.96 is exactly on the limit.
    summary = effects([1.96, 5, 5, 5, 0], [0, 5, 5, 5, 1.96], reliability=0.5, sd_reference=1.0)

    rci = summary.reliable_change
    assert rci is not None
    assert rci.s_diff == 1.0
    assert rci.values[0] == -1.96
    assert rci.categories[0] == Change.IMPROVED
    assert rci.categories[-1] == Change.WORSE


def test_rci_uses_the_sample_sd_of_the_before_scores_without_a_reference() -> None:
    summary = effects(TIES_BEFORE, TIES_AFTER, reliability=0.85)

    rci = summary.reliable_change
    assert rci is not None
    sd = float(np.std(TIES_BEFORE, ddof=1))
    assert rci.sd_before == pytest.approx(sd)
    assert not rci.sd_from_reference
    assert rci.s_diff == pytest.approx(math.sqrt(2) * sd * math.sqrt(0.15))
    assert summary.has_note(NoteCode.RCI_SAMPLE_SD)


def test_rci_direction_follows_the_scale() -> None:
    before, after = [9, 6, 2, 7, 5], [4, 3, 7, 7, 6]

    rci = effects(before, after, sd_reference=3.0, lower_is_better=False).reliable_change

    assert rci is not None
    assert rci.categories[0] == Change.WORSE
    assert rci.categories[2] == Change.IMPROVED


def test_rci_keeps_input_order_and_marks_dropped_pairs() -> None:
    before = [9, None, 6, 2, 7, 5]
    after = [4, 3, 3, 7, 7, 6]

    rci = effects(before, after, sd_reference=3.0).reliable_change

    assert rci is not None
    assert math.isnan(rci.values[1])
    assert rci.categories[1] == ""
    assert rci.categories[0] == Change.IMPROVED
    assert rci.improved + rci.unchanged + rci.worse == 5


def test_rci_without_spread_before_and_without_reference_is_not_computed() -> None:
    summary = effects([6, 6, 6, 6, 6], [2, 5, 6, 7, 3])

    assert summary.reliable_change is None
    assert summary.has_note(NoteCode.RCI_NO_SD)
    assert summary.t_test is not None


# --- Warning text -------------------------------------------------------------------------


def test_warning_explains_regression_to_the_mean_and_the_missing_comparison_group() -> None:
    text = before_after_warning()

    assert "regressie naar het gemiddelde" in text
    assert "vergelijkingsgroep" in text
    assert "bewijzen niet" in text
    # B1: short sentences.
    sentences = [s for s in re.split(r"[.!?]\s*", text) if s]
    assert max(len(sentence.split()) for sentence in sentences) <= 15


def test_warning_adds_a_line_about_chance_for_small_groups() -> None:
    assert "toeval" in before_after_warning(n=6)
    assert "toeval" not in before_after_warning(n=40)
    assert "toeval" not in before_after_warning()


# --- Speed --------------------------------------------------------------------------------


def test_two_hundred_interventions_of_a_thousand_pairs_are_fast() -> None:
    rng = np.random.default_rng(99)
    before = rng.integers(0, 12, size=(200, 1000)).astype(float)
    after = np.clip(before + rng.integers(-4, 3, size=(200, 1000)), 0, 11)
    after[:, ::97] = np.nan  # some missing after-measurements

    started = time.perf_counter()
    summaries = [
        paired_effects(b, a, lonely_cutoff=3, reliability=0.8)
        for b, a in zip(before, after, strict=True)
    ]
    elapsed = time.perf_counter() - started

    print(f"\n200 interventions x 1000 pairs: {elapsed:.3f} s")
    assert all(s.enough_data and s.n == 1000 - 11 for s in summaries)
    # The target is 2 s for everything; 5 s leaves room for a busy test machine.
    assert elapsed < 5.0


# --- Rules that mutation testing found unguarded (docs/testing.md) --------------------------


def test_the_reliable_change_figures_follow_jacobson_and_truax():
    """SE = SD * sqrt(1 - r), S_diff = sqrt(2) * SE, reliable from 1.96 * S_diff points."""
    summary = effects(TIES_BEFORE, TIES_AFTER, reliability=0.8, sd_reference=3.0)
    rci = summary.reliable_change
    assert rci is not None
    assert rci.reliability == 0.8 and rci.sd_before == 3.0 and rci.sd_from_reference
    assert rci.standard_error == pytest.approx(3.0 * math.sqrt(0.2))
    assert rci.s_diff == pytest.approx(math.sqrt(2) * rci.standard_error)
    assert rci.threshold_points == pytest.approx(1.96 * rci.s_diff)
    # S_diff 1.897, so the threshold is 3.72 points: the changes of -4 (twice) count.
    assert (rci.improved, rci.unchanged, rci.worse) == (2, 10, 0)


def test_reliable_change_on_a_scale_where_higher_is_better():
    before = [5, 5, 5, 5, 5, 5]
    after = [10, 9, 6, 4, 1, 0]  # changes +5 +4 +1 -1 -4 -5
    summary = effects(
        before, after, reliability=0.8, sd_reference=3.0, lower_is_better=False, min_n=2
    )
    rci = summary.reliable_change
    assert rci is not None
    assert (rci.improved, rci.unchanged, rci.worse) == (2, 2, 2)


def test_on_a_scale_where_higher_is_better_a_score_at_the_cutoff_counts_as_lonely():
    before = [3, 3, 5, 6, 2]
    after = [4, 3, 3, 6, 2]
    summary = effects(before, after, lonely_cutoff=3, lower_is_better=False, min_n=2)
    lonely = summary.lonely
    assert lonely is not None and lonely.cutoff == 3
    assert (lonely.lonely_before, lonely.lonely_after) == (3, 3)  # 3, 3, 2 and 3, 3, 2
    assert (lonely.left_lonely, lonely.became_lonely) == (1, 1)


def test_mcnemar_never_gives_a_p_value_above_one():
    before = [5, 5, 1, 1, 5, 1]
    after = [1, 1, 5, 5, 5, 1]  # two left loneliness, two became lonely
    lonely = effects(before, after, lonely_cutoff=3, min_n=2).lonely
    assert lonely is not None and lonely.method is McNemarMethod.EXACT_BINOMIAL
    assert lonely.p_value == 1.0


@pytest.mark.parametrize(
    "changes",
    [
        [1, -1, 2, -2, 3, -3],  # exact distribution, symmetric
        [1, -1, 1, -1, 2, -2, 2, -2],  # ties
        [float(c) for c in range(-30, 31) if c != 0],  # normal approximation, symmetric
    ],
)
def test_wilcoxon_never_gives_a_p_value_above_one(changes):
    before = [20.0] * len(changes)
    after = [20.0 + c for c in changes]
    result = effects(before, after, min_n=2).wilcoxon
    assert result is not None and result.p_value is not None
    assert result.p_value == pytest.approx(1.0) and result.p_value <= 1.0


def test_wilcoxon_p_value_when_most_changes_are_increases_matches_scipy():
    changes = [-c for c in NO_TIES_CHANGES]  # mostly increases: the upper tail decides
    before = NO_TIES_BEFORE
    after = [b + c for b, c in zip(before, changes, strict=True)]
    result = effects(before, after).wilcoxon
    expected = stats.wilcoxon(after, before, method="exact")
    assert result is not None and result.method is WilcoxonMethod.EXACT
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert result.statistic == pytest.approx(expected.statistic)


def test_wilcoxon_counts_a_tie_of_two_as_a_tie():
    before = [10, 10, 10, 10, 10, 10]
    after = [11, 12, 13, 15, 16, 4]  # |changes| 1 2 3 5 6 6: one tie of two
    result = effects(before, after, min_n=2).wilcoxon
    assert result is not None and result.has_ties


def test_wilcoxon_without_any_change_reports_no_changes_and_no_ties():
    result = effects([4, 5, 6], [4, 5, 6], min_n=2).wilcoxon
    assert result is not None
    assert (result.statistic, result.p_value) == (None, None)
    assert (result.n_nonzero, result.n_zero, result.has_ties) == (0, 3, False)


def test_the_boundaries_of_the_arguments_are_allowed():
    assert effects(TIES_BEFORE, TIES_AFTER, reliability=0.0).reliable_change is not None
    assert effects([1, 2], [2, 4], min_n=2).enough_data


def test_before_and_after_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        effects([1, 2, 3], [1, 2])


def test_too_few_pairs_say_why_first_and_keep_the_settings():
    summary = effects([1, 2, None], [2, 3, 4], min_n=5, lower_is_better=False)
    assert summary.enough_data is False
    assert (summary.n, summary.n_dropped, summary.min_n) == (2, 1, 5)
    assert summary.lower_is_better is False
    assert summary.notes[0].code is NoteCode.TOO_FEW
    assert summary.notes[0].text == summary.reason
    assert "minstens 5" in summary.notes[0].text


def test_the_few_for_tests_note_starts_below_its_limit():
    limit = statistics.FEW_FOR_TESTS_N
    before, after = large_sample(7, limit)
    assert not effects(before, after).has_note(NoteCode.FEW_FOR_TESTS)
    assert effects(before[:-1], after[:-1]).has_note(NoteCode.FEW_FOR_TESTS)
    assert "De groep is klein" in before_after_warning(limit - 1)
    assert before_after_warning(limit) == before_after_warning()


def test_changes_without_spread_report_their_median_and_zero_spread():
    summary = effects([5, 6, 7, 8, 9], [3, 4, 5, 6, 7])
    assert summary.change is not None
    assert (summary.change.mean, summary.change.median, summary.change.sd) == (-2.0, -2.0, 0.0)
    assert summary.has_note(NoteCode.NO_SPREAD)


def test_every_note_has_a_text_for_the_page():
    cases = [
        effects([1, 2, None], [2, 3, 4], min_n=5),
        effects([5, 6, 7, 8, 9, None], [3, 4, 5, 6, 7, 1]),
        effects([4, 5, 6], [4, 5, 6], min_n=2),
        effects([5, 5, 5, 5, 5], [4, 5, 6, 3, 5]),
        effects(TIES_BEFORE, TIES_AFTER),
    ]
    codes = set()
    for summary in cases:
        for note in summary.notes:
            assert isinstance(note.text, str) and len(note.text) > 20, note
            codes.add(note.code)
    assert codes == set(NoteCode)
