"""Statistics for paired before/after scores of one intervention.

`paired_effects` takes the scores of the same participants before and after an intervention and
returns everything the "what works" pages show: the mean change with its confidence interval, the
Wilcoxon signed-rank test, the paired t-test, Cohen's d_z (and d_av) with confidence intervals,
McNemar's test for the share "eenzaam", and the Reliable Change Index per participant.

Direction: a change is ``after - before``. For the De Jong Gierveld scales a LOWER score means
less lonely, so a negative change is an improvement (``lower_is_better=True``, the default). All
signed figures (mean change, t, d) keep the ``after - before`` sign; only the words "improved" and
"worse" depend on the direction.

Everything per participant is vectorised with numpy, so one call costs about a millisecond for a
thousand pairs; only cached lookup tables (one per group size up to 50) are built with a short
loop. Sources and choices are in docs/measurement.md ("What works: the statistics").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

CONFIDENCE = 0.95
# Jacobson & Truax (1991): a change is reliable when |RCI| exceeds 1.96.
RCI_CRITICAL = 1.96
DEFAULT_MIN_N = 5
# Below this many pairs a p-value says little (MEASUREMENT.md §5.2, project rule); we still
# compute it but add a note.
FEW_FOR_TESTS_N = 10
# What SciPy's `wilcoxon` does by default (checked against SciPy 1.17, see requirements.lock):
# the exact null distribution when n <= 50 and there are no ties or zero differences; the exact
# sign-flip (permutation) distribution when there are ties or zeros and n <= 13; otherwise the
# normal approximation with the tie correction and without continuity correction
# (`correction=False` is SciPy's default). n counts the zero differences too, as in SciPy.
WILCOXON_EXACT_MAX_N = 50
WILCOXON_PERMUTATION_MAX_N = 13
# McNemar: exact binomial test while the discordant pairs are fewer than this, otherwise the
# chi-square test with Edwards' continuity correction.
MCNEMAR_EXACT_BELOW = 25

_ALPHA = 1.0 - CONFIDENCE
# Beyond this |t| the d_z interval uses the large-t limit (see noncentrality_interval).
NCT_ROOT_MAX_T = 10_000.0


class Change(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"


class WilcoxonMethod(StrEnum):
    EXACT = "exact"
    # All 2**n sign flips of the observed differences (exact given the ties), as SciPy's
    # permutation test does for n <= 13.
    EXACT_CONDITIONAL = "exact-conditional"
    NORMAL_APPROXIMATION = "normal-approximation"
    NOT_COMPUTED = "not-computed"


class McNemarMethod(StrEnum):
    EXACT_BINOMIAL = "exact-binomial"
    CHI_SQUARE_CORRECTED = "chi-square-continuity-corrected"


class NoteCode(StrEnum):
    TOO_FEW = "too_few_participants"
    DROPPED = "pairs_dropped"
    FEW_FOR_TESTS = "few_for_tests"
    NO_SPREAD = "changes_have_no_spread"
    ALL_ZERO = "all_changes_zero"
    RCI_SAMPLE_SD = "rci_uses_sample_sd"
    RCI_NO_SD = "rci_not_possible"


@dataclass(frozen=True)
class Note:
    code: NoteCode
    text: str


@dataclass(frozen=True)
class ChangeCounts:
    """How many participants went the good way, stayed equal, or went the bad way (raw scores)."""

    improved: int
    unchanged: int
    worse: int


@dataclass(frozen=True)
class MeanChange:
    mean: float
    median: float
    sd: float
    # None when all changes are equal (no spread, so no interval).
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class WilcoxonResult:
    # min(W+, W-), like SciPy's two-sided result; None when every difference is zero.
    statistic: float | None
    p_value: float | None
    method: WilcoxonMethod
    n_nonzero: int
    n_zero: int
    has_ties: bool


@dataclass(frozen=True)
class TTestResult:
    t: float
    df: int
    p_value: float


@dataclass(frozen=True)
class EffectSize:
    """Standardised mean change, signed as after - before.

    d_z = mean change / SD of the changes, 95 % CI by inverting the noncentral t distribution
    (exact when the changes are normal). hedges_g_z applies J = 1 - 3 / (4 df - 1).
    d_av = mean change / sqrt((SD_before^2 + SD_after^2) / 2) with the approximate interval of
    Algina & Keselman (2003): the same noncentrality limits, rescaled.
    """

    d_z: float
    # None only if SciPy could not evaluate the noncentral t distribution.
    ci_low: float | None
    ci_high: float | None
    hedges_g_z: float
    d_av: float | None
    d_av_ci_low: float | None
    d_av_ci_high: float | None


@dataclass(frozen=True)
class LonelyShareChange:
    """Share "eenzaam" before and after, with McNemar's test on the discordant pairs."""

    cutoff: float
    lonely_before: int
    lonely_after: int
    share_before: float
    share_after: float
    # Discordant pairs: lonely before but not after, and the other way round.
    left_lonely: int
    became_lonely: int
    # Chi-square statistic; None for the exact test.
    statistic: float | None
    p_value: float
    method: McNemarMethod


@dataclass(frozen=True, eq=False)
class ReliableChange:
    """Jacobson & Truax (1991) Reliable Change Index per participant.

    RCI = (after - before) / S_diff, S_diff = sqrt(2) * SE, SE = SD_before * sqrt(1 - r).
    `values` and `categories` follow the order of the input; pairs with a missing score get NaN
    and an empty category.
    """

    reliability: float
    sd_before: float
    sd_from_reference: bool
    standard_error: float
    s_diff: float
    # Smallest change in score points that counts as reliable (1.96 * S_diff).
    threshold_points: float
    improved: int
    unchanged: int
    worse: int
    share_improved: float
    share_unchanged: float
    share_worse: float
    values: NDArray[np.float64]
    categories: NDArray[np.str_]


@dataclass(frozen=True, eq=False)
class EffectSummary:
    n: int
    n_dropped: int
    min_n: int
    lower_is_better: bool
    # False when there are fewer than min_n pairs: then only n and reason are filled in.
    enough_data: bool
    reason: str | None
    mean_before: float | None = None
    mean_after: float | None = None
    change: MeanChange | None = None
    counts: ChangeCounts | None = None
    wilcoxon: WilcoxonResult | None = None
    t_test: TTestResult | None = None
    effect_size: EffectSize | None = None
    lonely: LonelyShareChange | None = None
    reliable_change: ReliableChange | None = None
    notes: tuple[Note, ...] = ()

    def has_note(self, code: NoteCode) -> bool:
        return any(note.code == code for note in self.notes)


BEFORE_AFTER_WARNING = gettext_lazy(
    "Let op: dit is een voor- en nameting zonder vergelijkingsgroep. "
    "Mensen doen vaak mee op een moment dat ze zich extra eenzaam voelen. "
    "Bij veel mensen gaat het daarna vanzelf wat beter, ook zonder hulp. "
    "Dat heet regressie naar het gemiddelde. "
    "Ook andere dingen kunnen de score veranderen, zoals het seizoen of nieuwe buren. "
    "En wie stopte, telt niet mee. "
    "Deze cijfers laten dus zien wat er veranderde. "
    "Ze bewijzen niet dat de activiteit de verandering veroorzaakte. "
    "Dat kan alleen door te vergelijken met een groep die niet meedeed."
)
SMALL_GROUP_WARNING = gettext_lazy(
    "De groep is klein. Dan kan toeval een groot verschil maken. Wees voorzichtig met conclusies."
)


def before_after_warning(n: int | None = None) -> str:
    """Plain-language caveat to show next to every before/after result.

    Adds a sentence about chance when n is known and below FEW_FOR_TESTS_N.
    """
    text = str(BEFORE_AFTER_WARNING)
    if n is not None and n < FEW_FOR_TESTS_N:
        text = f"{text} {SMALL_GROUP_WARNING}"
    return text


def paired_effects(
    before: Sequence[float | None] | NDArray[np.float64],
    after: Sequence[float | None] | NDArray[np.float64],
    *,
    lonely_cutoff: float,
    reliability: float,
    sd_reference: float | None = None,
    min_n: int = DEFAULT_MIN_N,
    lower_is_better: bool = True,
) -> EffectSummary:
    """Effect figures for one intervention from paired before/after scores.

    before[i] and after[i] belong to the same participant. A pair with a missing value (None,
    NaN or infinite) is dropped. "Lonely" means score >= lonely_cutoff when lower_is_better
    (score <= lonely_cutoff otherwise). reliability is the scale's reliability (e.g. Cronbach's
    alpha) for the RCI; sd_reference the SD of the before score in a norm sample — without it the
    SD of this group's before scores is used, and a note says so.
    """
    if not 0.0 <= reliability < 1.0:
        raise ValueError("reliability must be at least 0 and below 1")
    if sd_reference is not None and not (math.isfinite(sd_reference) and sd_reference > 0):
        raise ValueError("sd_reference must be a positive number")
    if min_n < 2:
        raise ValueError("min_n must be at least 2")

    raw_before = np.asarray(before, dtype=np.float64)
    raw_after = np.asarray(after, dtype=np.float64)
    if raw_before.ndim != 1 or raw_before.shape != raw_after.shape:
        raise ValueError("before and after must be flat sequences of the same length")

    paired = np.isfinite(raw_before) & np.isfinite(raw_after)
    x = raw_before[paired]
    y = raw_after[paired]
    n = int(x.size)
    n_dropped = int(raw_before.size - n)

    notes: list[Note] = []
    if n_dropped:
        notes.append(
            Note(
                NoteCode.DROPPED,
                ngettext(
                    "%(count)d deelnemer heeft geen voor- én nameting. Die telt niet mee.",
                    "%(count)d deelnemers hebben geen voor- én nameting. Die tellen niet mee.",
                    n_dropped,
                )
                % {"count": n_dropped},
            )
        )

    if n < min_n:
        reason = _(
            "Te weinig deelnemers: er zijn er %(n)d met een voor- én nameting. "
            "Voor cijfers zijn er minstens %(min_n)d nodig."
        ) % {"n": n, "min_n": min_n}
        notes.insert(0, Note(NoteCode.TOO_FEW, reason))
        return EffectSummary(
            n=n,
            n_dropped=n_dropped,
            min_n=min_n,
            lower_is_better=lower_is_better,
            enough_data=False,
            reason=reason,
            notes=tuple(notes),
        )

    if n < FEW_FOR_TESTS_N:
        notes.append(
            Note(
                NoteCode.FEW_FOR_TESTS,
                _(
                    "Er zijn minder dan %(limit)d deelnemers. Een p-waarde zegt dan weinig. "
                    "Kijk vooral naar de verandering in punten en de marge eromheen."
                )
                % {"limit": FEW_FOR_TESTS_N},
            )
        )

    d = y - x
    no_spread = bool(d.max() == d.min())
    df = n - 1
    mean = float(d.mean())
    sd = 0.0 if no_spread else float(d.std(ddof=1))

    if no_spread:
        notes.append(
            Note(
                NoteCode.NO_SPREAD,
                _(
                    "Bij iedereen veranderde de score precies evenveel. Er is dus geen "
                    "spreiding. Daarom zijn er geen marge, geen t-toets en geen effectgrootte: "
                    "die delen door de spreiding."
                ),
            )
        )
        change = MeanChange(mean=mean, median=float(np.median(d)), sd=sd, ci_low=None, ci_high=None)
        t_test = None
        effect_size = None
    else:
        standard_error = sd / math.sqrt(n)
        t_crit = float(special.stdtrit(df, 1.0 - _ALPHA / 2))
        change = MeanChange(
            mean=mean,
            median=float(np.median(d)),
            sd=sd,
            ci_low=mean - t_crit * standard_error,
            ci_high=mean + t_crit * standard_error,
        )
        t = mean / standard_error
        t_test = TTestResult(t=t, df=df, p_value=float(2.0 * special.stdtr(df, -abs(t))))
        effect_size = _effect_size(t, n, sd, x, y)

    sign = -1.0 if lower_is_better else 1.0
    good = d * sign > 0
    bad = d * sign < 0
    counts = ChangeCounts(
        improved=int(good.sum()), unchanged=int(n - good.sum() - bad.sum()), worse=int(bad.sum())
    )

    wilcoxon = _wilcoxon(d)
    if wilcoxon.method is WilcoxonMethod.NOT_COMPUTED:
        notes.append(
            Note(
                NoteCode.ALL_ZERO,
                _(
                    "Bij niemand veranderde de score. De Wilcoxon-toets kan dan niet worden "
                    "berekend."
                ),
            )
        )

    lonely = _lonely_share(x, y, lonely_cutoff, lower_is_better)

    reliable_change = _reliable_change(
        raw_before, raw_after, paired, x, reliability, sd_reference, lower_is_better, notes
    )

    return EffectSummary(
        n=n,
        n_dropped=n_dropped,
        min_n=min_n,
        lower_is_better=lower_is_better,
        enough_data=True,
        reason=None,
        mean_before=float(x.mean()),
        mean_after=float(y.mean()),
        change=change,
        counts=counts,
        wilcoxon=wilcoxon,
        t_test=t_test,
        effect_size=effect_size,
        lonely=lonely,
        reliable_change=reliable_change,
        notes=tuple(notes),
    )


def noncentrality_interval(t: float, df: int) -> tuple[float, float] | None:
    """95 % limits for the noncentrality parameter of an observed t statistic.

    The lower limit is the noncentrality for which t is the 97.5th percentile, the upper the
    one for which t is the 2.5th percentile (Steiger & Fouladi 1997; Cumming & Finch 2001).
    Found with Brent's method on SciPy's noncentral t distribution function, inside a bracket
    that must hold the answer. Above |t| = NCT_ROOT_MAX_T SciPy's function gets slow; there the
    limits are t * sqrt(chi2_q(df) / df), the large-t limit (the normal part of t no longer
    matters). Returns None if SciPy cannot evaluate the distribution.
    """
    if abs(t) > NCT_ROOT_MAX_T:
        s_a, s_b = np.sqrt(special.chdtri(df, np.array([1.0 - _ALPHA / 2, _ALPHA / 2])) / df)
        return float(min(t * s_a, t * s_b)), float(max(t * s_a, t * s_b))

    # T' = (Z + ncp) / S with S = sqrt(V / df), V ~ chi2(df). Outside S's 1e-7 quantiles and
    # |Z| > 6 the probability is negligible, so both limits lie inside this bracket.
    s_low, s_high = np.sqrt(special.chdtri(df, np.array([1.0 - 1e-7, 1e-7])) / df)
    bracket_low = min(t * s_low, t * s_high) - 6.0
    bracket_high = max(t * s_low, t * s_high) + 6.0

    def limit(probability: float) -> float:
        return float(
            optimize.brentq(
                lambda ncp: special.nctdtr(df, ncp, t) - probability,
                bracket_low,
                bracket_high,
                xtol=1e-10,
                rtol=1e-12,
            )
        )

    try:
        return limit(1.0 - _ALPHA / 2), limit(_ALPHA / 2)
    except (ValueError, RuntimeError):
        return None


def _effect_size(
    t: float, n: int, sd_change: float, x: NDArray[np.float64], y: NDArray[np.float64]
) -> EffectSize:
    df = n - 1
    root_n = math.sqrt(n)
    d_z = t / root_n
    hedges_j = 1.0 - 3.0 / (4.0 * df - 1.0)
    interval = noncentrality_interval(t, df)
    ci_low = ci_high = d_av = d_av_low = d_av_high = None
    if interval is not None:
        ci_low, ci_high = interval[0] / root_n, interval[1] / root_n

    var_before = float(x.var(ddof=1))
    var_after = float(y.var(ddof=1))
    if var_before + var_after > 0:
        d_av = float((y.mean() - x.mean()) / math.sqrt((var_before + var_after) / 2.0))
        if interval is not None:
            scale = math.sqrt(2.0 * sd_change**2 / (n * (var_before + var_after)))
            d_av_low, d_av_high = interval[0] * scale, interval[1] * scale

    return EffectSize(
        d_z=d_z,
        ci_low=ci_low,
        ci_high=ci_high,
        hedges_g_z=hedges_j * d_z,
        d_av=d_av,
        d_av_ci_low=d_av_low,
        d_av_ci_high=d_av_high,
    )


def _wilcoxon(d: NDArray[np.float64]) -> WilcoxonResult:
    """Two-sided Wilcoxon signed-rank test, zero differences dropped (Wilcoxon's method).

    Chooses the method the way SciPy's default does, so results agree with
    scipy.stats.wilcoxon(after, before).
    """
    n_total = int(d.size)
    nonzero = d[d != 0]
    m = int(nonzero.size)
    n_zero = n_total - m
    if m == 0:
        return WilcoxonResult(
            statistic=None,
            p_value=None,
            method=WilcoxonMethod.NOT_COMPUTED,
            n_nonzero=0,
            n_zero=n_zero,
            has_ties=False,
        )

    # Average ranks of |d|, doubled so they are whole numbers even with ties.
    _, inverse, tie_counts = np.unique(np.abs(nonzero), return_inverse=True, return_counts=True)
    ends = np.cumsum(tie_counts)
    doubled_ranks = (2 * ends - tie_counts + 1)[inverse].astype(np.int64)
    w_plus2 = int(doubled_ranks[nonzero > 0].sum())
    w_minus2 = m * (m + 1) - w_plus2
    statistic = min(w_plus2, w_minus2) / 2.0
    has_ties = bool((tie_counts > 1).any())

    if n_total <= WILCOXON_EXACT_MAX_N and not has_ties and n_zero == 0:
        method = WilcoxonMethod.EXACT
        cumulative = _signed_rank_cumulative_counts(m)
        total = float(2**m)
        w_plus = w_plus2 // 2
        cdf = cumulative[w_plus] / total
        sf = (2**m - (cumulative[w_plus - 1] if w_plus > 0 else 0)) / total
        p_value = min(1.0, 2.0 * min(cdf, sf))
    elif n_total <= WILCOXON_PERMUTATION_MAX_N:
        method = WilcoxonMethod.EXACT_CONDITIONAL
        null = _sign_flips(m) @ doubled_ranks
        at_most = float(np.mean(null <= w_plus2))
        at_least = float(np.mean(null >= w_plus2))
        p_value = min(1.0, 2.0 * min(at_most, at_least))
    else:
        method = WilcoxonMethod.NORMAL_APPROXIMATION
        expected = m * (m + 1) / 4.0
        tie_term = float(np.sum(tie_counts.astype(np.float64) ** 3 - tie_counts))
        se = math.sqrt((m * (m + 1) * (2 * m + 1) - tie_term / 2.0) / 24.0)
        z = (w_plus2 / 2.0 - expected) / se
        p_value = min(1.0, float(2.0 * special.ndtr(-abs(z))))

    return WilcoxonResult(
        statistic=statistic,
        p_value=p_value,
        method=method,
        n_nonzero=m,
        n_zero=n_zero,
        has_ties=has_ties,
    )


@lru_cache(maxsize=WILCOXON_EXACT_MAX_N + 1)
def _signed_rank_cumulative_counts(m: int) -> NDArray[np.int64]:
    """Cumulative number of the 2**m sign patterns with W+ <= k, for k = 0 .. m(m+1)/2.

    Built once per m (at most 50) by the usual subset-sum recursion.
    """
    counts = np.zeros(m * (m + 1) // 2 + 1, dtype=np.int64)
    counts[0] = 1
    for rank in range(1, m + 1):
        shifted = counts[:-rank].copy()
        counts[rank:] += shifted
    cumulative = np.cumsum(counts)
    cumulative.setflags(write=False)
    return cumulative


@lru_cache(maxsize=WILCOXON_PERMUTATION_MAX_N + 1)
def _sign_flips(m: int) -> NDArray[np.int64]:
    """All 2**m patterns of which differences are positive, as a 0/1 matrix."""
    patterns = (np.arange(2**m)[:, None] >> np.arange(m)) & 1
    result = patterns.astype(np.int64)
    result.setflags(write=False)
    return result


def _lonely_share(
    x: NDArray[np.float64], y: NDArray[np.float64], cutoff: float, lower_is_better: bool
) -> LonelyShareChange:
    if lower_is_better:
        lonely_x, lonely_y = x >= cutoff, y >= cutoff
    else:
        lonely_x, lonely_y = x <= cutoff, y <= cutoff
    n = x.size
    left = int(np.sum(lonely_x & ~lonely_y))
    became = int(np.sum(~lonely_x & lonely_y))
    discordant = left + became
    statistic: float | None
    if discordant < MCNEMAR_EXACT_BELOW:
        method = McNemarMethod.EXACT_BINOMIAL
        statistic = None
        if discordant == 0:
            p_value = 1.0
        else:
            p_value = min(1.0, float(2.0 * special.bdtr(min(left, became), discordant, 0.5)))
    else:
        method = McNemarMethod.CHI_SQUARE_CORRECTED
        statistic = (abs(left - became) - 1.0) ** 2 / discordant
        p_value = float(special.chdtrc(1, statistic))
    lonely_before = int(lonely_x.sum())
    lonely_after = int(lonely_y.sum())
    return LonelyShareChange(
        cutoff=cutoff,
        lonely_before=lonely_before,
        lonely_after=lonely_after,
        share_before=lonely_before / n,
        share_after=lonely_after / n,
        left_lonely=left,
        became_lonely=became,
        statistic=statistic,
        p_value=p_value,
        method=method,
    )


def _reliable_change(
    raw_before: NDArray[np.float64],
    raw_after: NDArray[np.float64],
    paired: NDArray[np.bool_],
    x: NDArray[np.float64],
    reliability: float,
    sd_reference: float | None,
    lower_is_better: bool,
    notes: list[Note],
) -> ReliableChange | None:
    if sd_reference is not None:
        sd_before = sd_reference
    elif x.max() == x.min():
        notes.append(
            Note(
                NoteCode.RCI_NO_SD,
                _(
                    "Iedereen had dezelfde score bij de voormeting. Zonder spreiding is niet te "
                    "zeggen welke verandering betrouwbaar is. Geef de spreiding van een "
                    "normgroep op."
                ),
            )
        )
        return None
    else:
        sd_before = float(x.std(ddof=1))
        notes.append(
            Note(
                NoteCode.RCI_SAMPLE_SD,
                _(
                    "De grens voor een betrouwbare verandering gebruikt de spreiding van de "
                    "voormeting in deze groep. De spreiding uit een grote normgroep is beter."
                ),
            )
        )

    standard_error = sd_before * math.sqrt(1.0 - reliability)
    # sqrt(2) * SE, written so that round numbers stay exact (r = 0.5 gives S_diff = SD).
    s_diff = sd_before * math.sqrt(2.0 * (1.0 - reliability))
    values = np.full(raw_before.shape, np.nan)
    values[paired] = (raw_after[paired] - raw_before[paired]) / s_diff

    if lower_is_better:
        improved_mask, worse_mask = values <= -RCI_CRITICAL, values >= RCI_CRITICAL
    else:
        improved_mask, worse_mask = values >= RCI_CRITICAL, values <= -RCI_CRITICAL
    categories = np.select(
        [improved_mask, worse_mask, paired],
        [Change.IMPROVED.value, Change.WORSE.value, Change.UNCHANGED.value],
        default="",
    )
    n = int(paired.sum())
    improved = int(improved_mask.sum())
    worse = int(worse_mask.sum())
    unchanged = n - improved - worse
    return ReliableChange(
        reliability=reliability,
        sd_before=sd_before,
        sd_from_reference=sd_reference is not None,
        standard_error=standard_error,
        s_diff=s_diff,
        threshold_points=RCI_CRITICAL * s_diff,
        improved=improved,
        unchanged=unchanged,
        worse=worse,
        share_improved=improved / n,
        share_unchanged=unchanged / n,
        share_worse=worse / n,
        values=values,
        categories=categories,
    )
