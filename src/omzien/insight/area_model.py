"""The neighbourhood model: which characteristics of buurten go together with loneliness.

A transparent ridge regression over buurten (never over persons): the share of lonely residents
per buurt (RIVM estimate) explained by CBS key figures of the same buurt, of the same area
classification. Everything is plain numpy so each step can be read and checked:

1. predictors are standardised (mean 0, standard deviation 1), so each weight reads as
   "percentage points of loneliness per standard deviation of this characteristic";
2. the ridge penalty is chosen by k-fold cross-validation from a fixed grid;
3. the error of the model is estimated with *nested* cross-validation (the penalty is chosen
   again inside every training part), and set against a baseline that predicts the mean;
4. the uncertainty of every weight comes from a bootstrap over buurten (fixed seed);
5. every buurt gets a prediction from a model that did not see it (cross-validation), so the
   difference with the measured share is honest.

Associations, not causes; and figures of areas say nothing about the people living there
(ecological fallacy). The page says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

import numpy as np
from numpy.typing import NDArray

from omzien.insight.area_figures import area_names
from omzien.insight.figures import SOURCE_KWB, SOURCE_RIVM
from omzien.insight.models import AreaFigure, AreaLevel

Array = NDArray[np.float64]

MIN_AREAS = 10
FOLDS = 5
BOOTSTRAP = 1000
SEED = 20240501
CONFIDENCE = 0.95
# Penalties tried; relative to the sum of squares of standardised predictors (n per column).
ALPHAS: tuple[float, ...] = tuple(float(a) for a in np.logspace(-3, 3, 25))
# A predictor known for fewer than this share of the buurten is left out.
MIN_COVERAGE = 0.8


@dataclass(frozen=True)
class Predictor:
    indicator: str
    label: Any
    unit: str


# Shares rather than counts, so big and small buurten compare; what the KWB mapping gives.
PREDICTORS: tuple[Predictor, ...] = (
    Predictor("share_65_plus", gettext_lazy("Aandeel 65-plussers"), "percent"),
    Predictor(
        "share_single_person_households",
        gettext_lazy("Aandeel eenpersoonshuishoudens"),
        "percent",
    ),
    Predictor("average_income_per_resident", gettext_lazy("Gemiddeld inkomen per inwoner"), "euro"),
    Predictor(
        "share_low_income_households",
        gettext_lazy("Aandeel huishoudens met een laag inkomen"),
        "percent",
    ),
    Predictor(
        "share_households_social_minimum",
        gettext_lazy("Aandeel huishoudens rond het sociaal minimum"),
        "percent",
    ),
    Predictor("population_density", gettext_lazy("Inwoners per km²"), "per_km2"),
    Predictor(
        "share_origin_outside_europe",
        gettext_lazy("Aandeel met herkomst buiten Europa"),
        "percent",
    ),
    Predictor(
        "share_non_western_migration",
        gettext_lazy("Aandeel met niet-westerse migratieachtergrond"),
        "percent",
    ),
)


# --- the statistics (pure) -----------------------------------------------------------------------


def standardise(
    x: Array, mean: Array | None = None, sd: Array | None = None
) -> tuple[Array, Array, Array]:
    """Columns to z-scores; with `mean`/`sd` given, with those (of the training part)."""
    if mean is None:
        mean = x.mean(axis=0)
    if sd is None:
        sd = x.std(axis=0)
        sd = np.where(sd > 0, sd, 1.0)
    return (x - mean) / sd, mean, sd


def ridge(z: Array, y: Array, alpha: float) -> tuple[float, Array]:
    """Intercept and weights of ridge regression on standardised predictors.

    Minimises ||y - b0 - Z b||² + alpha·n·||b||²; the intercept is not penalised, so it is the
    mean of y (Z is centred). Scaling alpha by n keeps one grid usable for any number of buurten.
    """
    n, p = z.shape
    centred = y - y.mean()
    gram = z.T @ z + alpha * n * np.eye(p)
    weights = np.linalg.solve(gram, z.T @ centred)
    return float(y.mean()), weights


def fit_predict(x_train: Array, y_train: Array, x_test: Array, alpha: float) -> Array:
    """Standardise on the training part only, fit, and predict the test part."""
    z_train, mean, sd = standardise(x_train)
    z_test, _, _ = standardise(x_test, mean, sd)
    intercept, weights = ridge(z_train, y_train, alpha)
    return intercept + z_test @ weights


def fold_ids(n: int, k: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """A fold number (0..k-1) for each of n items, in random order, sizes differing by ≤ 1."""
    k = max(2, min(k, n))
    ids = np.arange(n) % k
    return rng.permutation(ids).astype(np.int64)


def cv_predictions(x: Array, y: Array, alpha: float, folds: NDArray[np.int64]) -> Array:
    predictions = np.empty_like(y)
    for fold in np.unique(folds):
        test = folds == fold
        predictions[test] = fit_predict(x[~test], y[~test], x[test], alpha)
    return predictions


def choose_alpha(
    x: Array, y: Array, folds: NDArray[np.int64], alphas: Sequence[float] = ALPHAS
) -> float:
    """The penalty with the smallest cross-validated squared error; on a tie, the larger."""
    best_alpha, best_error = alphas[-1], np.inf
    for alpha in alphas:
        error = float(np.mean((cv_predictions(x, y, alpha, folds) - y) ** 2))
        if error <= best_error * (1 + 1e-12):
            best_alpha, best_error = alpha, min(error, best_error)
    return float(best_alpha)


def rmse(errors: Array) -> float:
    return float(np.sqrt(np.mean(errors**2)))


def mae(errors: Array) -> float:
    return float(np.mean(np.abs(errors)))


@dataclass
class Fit:
    """Everything the page shows, in numbers."""

    n: int
    alpha: float
    intercept: float
    weights: Array  # per standard deviation of each predictor
    low: Array  # bootstrap percentile interval
    high: Array
    means: Array
    sds: Array
    cv_predicted: Array  # each buurt predicted by a model that did not see it
    cv_rmse: float
    cv_mae: float
    baseline_rmse: float
    baseline_mae: float
    folds: int
    bootstrap: int
    seed: int


def analyse(
    x: Array,
    y: Array,
    *,
    alphas: Sequence[float] = ALPHAS,
    k: int = FOLDS,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
) -> Fit:
    """Fit the model, estimate its error by nested cross-validation, bootstrap its weights."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(y)
    rng = np.random.default_rng(seed)

    outer = fold_ids(n, k, rng)
    predicted = np.empty(n)
    baseline = np.empty(n)
    for fold in np.unique(outer):
        test = outer == fold
        x_train, y_train = x[~test], y[~test]
        inner = fold_ids(len(y_train), k, rng)
        alpha = choose_alpha(x_train, y_train, inner, alphas)
        predicted[test] = fit_predict(x_train, y_train, x[test], alpha)
        baseline[test] = y_train.mean()

    alpha = choose_alpha(x, y, fold_ids(n, k, rng), alphas)
    z, means, sds = standardise(x)
    intercept, weights = ridge(z, y, alpha)

    # Bootstrap over buurten with the chosen penalty, in the units of the full data.
    draws = np.empty((bootstrap, x.shape[1]))
    for b in range(bootstrap):
        sample = rng.integers(0, n, size=n)
        zb = z[sample]
        zb = zb - zb.mean(axis=0)
        _, draws[b] = ridge(zb, y[sample], alpha)
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail], axis=0)

    return Fit(
        n=n,
        alpha=alpha,
        intercept=intercept,
        weights=weights,
        low=low,
        high=high,
        means=means,
        sds=sds,
        cv_predicted=predicted,
        cv_rmse=rmse(predicted - y),
        cv_mae=mae(predicted - y),
        baseline_rmse=rmse(baseline - y),
        baseline_mae=mae(baseline - y),
        folds=len(np.unique(outer)),
        bootstrap=bootstrap,
        seed=seed,
    )


# --- the data and the result for the page --------------------------------------------------------


@dataclass
class WeightRow:
    indicator: str
    label: str
    unit: str
    weight: float
    low: float
    high: float
    mean: float
    sd: float

    @property
    def direction(self) -> str:
        """'up' or 'down' when the whole interval is on one side of zero, else 'unclear'."""
        if self.low > 0:
            return "up"
        if self.high < 0:
            return "down"
        return "unclear"


@dataclass
class AreaPrediction:
    code: str
    name: str
    measured: float
    margin_low: float | None
    margin_high: float | None
    predicted: float

    @property
    def residual(self) -> float:
        return self.measured - self.predicted


@dataclass
class ModelResult:
    indicator: str
    municipality: str
    period: int | None = None
    area_year: int | None = None
    predictor_period: int | None = None
    n_target: int = 0
    n: int = 0
    too_few: bool = True
    fit: Fit | None = None
    weights: list[WeightRow] = field(default_factory=list)
    areas: list[AreaPrediction] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (label, reason)
    any_generated: bool = False

    @property
    def beats_baseline(self) -> bool:
        return bool(self.fit and self.fit.cv_rmse < self.fit.baseline_rmse)


def _newest(queryset: Any, field_name: str) -> int | None:
    values = list(queryset.values_list(field_name, flat=True).distinct())
    return max(values) if values else None


def neighbourhood_model(
    municipality: str,
    indicator: str = "lonely",
    *,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
) -> ModelResult:
    """Gather the buurten of a gemeente with both figures and fit the model (if enough)."""
    result = ModelResult(indicator=indicator, municipality=municipality)
    prefix = "BU" + municipality[2:]
    targets = AreaFigure.objects.filter(
        source=SOURCE_RIVM,
        indicator=indicator,
        area_level=AreaLevel.NEIGHBOURHOOD,
        area_code__startswith=prefix,
        value__isnull=False,
    )
    result.period = _newest(targets, "period")
    if result.period is None:
        return result
    targets = targets.filter(period=result.period)
    # Only buurten of one classification can be joined; take the newest that has CBS figures.
    characteristics = AreaFigure.objects.filter(
        source=SOURCE_KWB,
        area_level=AreaLevel.NEIGHBOURHOOD,
        area_code__startswith=prefix,
        indicator__in=[p.indicator for p in PREDICTORS],
    )
    years = sorted(set(targets.values_list("area_year", flat=True)), reverse=True)
    result.area_year = next(
        (y for y in years if characteristics.filter(area_year=y).exists()), years[0]
    )
    targets = targets.filter(area_year=result.area_year)
    characteristics = characteristics.filter(area_year=result.area_year)
    result.predictor_period = _newest(characteristics, "period")
    if result.predictor_period is not None:
        characteristics = characteristics.filter(period=result.predictor_period)

    target_rows = {f.area_code: f for f in targets}
    result.n_target = len(target_rows)
    values: dict[str, dict[str, float]] = {p.indicator: {} for p in PREDICTORS}
    any_generated = any(f.is_generated for f in target_rows.values())
    for figure in characteristics:
        any_generated = any_generated or figure.is_generated
        if figure.value is not None:
            values[figure.indicator][figure.area_code] = figure.value
    result.any_generated = any_generated

    codes = sorted(target_rows)
    used: list[Predictor] = []
    for predictor in PREDICTORS:
        known = values[predictor.indicator]
        if not known:
            continue  # not in these tables at all: nothing to say
        coverage = sum(code in known for code in codes) / max(len(codes), 1)
        if coverage < MIN_COVERAGE:
            result.dropped.append(
                (str(predictor.label), str(gettext_lazy("voor te veel buurten onbekend")))
            )
            continue
        used.append(predictor)
    if not used:
        result.n = 0  # no buurt has both figures
        return result
    codes = [c for c in codes if all(c in values[p.indicator] for p in used)]
    kept: list[Predictor] = []
    for predictor in used:
        column = [values[predictor.indicator][c] for c in codes]
        if len(set(column)) <= 1:
            result.dropped.append((str(predictor.label), str(gettext_lazy("in elke buurt gelijk"))))
        else:
            kept.append(predictor)
    result.n = len(codes)
    if result.n < MIN_AREAS or not kept:
        return result

    x = np.array([[values[p.indicator][c] for p in kept] for c in codes], dtype=float)
    y = np.array([target_rows[c].value for c in codes], dtype=float)
    fit = analyse(x, y, bootstrap=bootstrap, seed=seed)
    result.too_few = False
    result.fit = fit
    result.weights = sorted(
        (
            WeightRow(
                p.indicator,
                str(p.label),
                p.unit,
                float(fit.weights[i]),
                float(fit.low[i]),
                float(fit.high[i]),
                float(fit.means[i]),
                float(fit.sds[i]),
            )
            for i, p in enumerate(kept)
        ),
        key=lambda w: -abs(w.weight),
    )
    names = area_names(AreaLevel.NEIGHBOURHOOD, codes, result.area_year or 0)
    result.areas = [
        AreaPrediction(
            code=c,
            name=names.get(c, c),
            measured=float(y[i]),
            margin_low=target_rows[c].margin_low,
            margin_high=target_rows[c].margin_high,
            predicted=float(fit.cv_predicted[i]),
        )
        for i, c in enumerate(codes)
    ]
    return result
