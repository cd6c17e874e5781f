"""The neighbourhood model: ridge regression over buurten with cross-validation and bootstrap,
and the demo figures it is shown with."""

from __future__ import annotations

import numpy as np
import pytest

from omzien.areas import demo as areas_demo
from omzien.insight import area_model
from omzien.insight.area_figures import demo_area_figures
from omzien.insight.figures import SOURCE_KWB, SOURCE_RIVM, Figure, save_figures
from omzien.insight.models import AreaFigure, AreaLevel

TRUE_WEIGHTS = np.array([1.5, 2.5, -2.0, 0.0])


def synthetic(n: int, seed: int, noise: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """Buurt characteristics with a known linear relation, per standard deviation."""
    rng = np.random.default_rng(seed)
    x = np.column_stack(
        [
            rng.normal(20, 5, n),  # share 65+
            rng.normal(40, 8, n),  # single-person households
            rng.normal(30000, 4000, n),  # income
            rng.normal(10, 3, n),  # a characteristic with no relation at all
        ]
    )
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    y = 45 + z @ TRUE_WEIGHTS + rng.normal(0, noise, n)
    return x, y


# --- the statistics ------------------------------------------------------------------------------


def test_the_weights_recover_the_signs_of_a_known_relation() -> None:
    x, y = synthetic(80, seed=3)
    fit = area_model.analyse(x, y, bootstrap=400)
    assert np.sign(fit.weights[:3]).tolist() == [1.0, 1.0, -1.0]
    assert fit.weights == pytest.approx(TRUE_WEIGHTS, abs=0.6)
    # The characteristic without a relation gets an interval around zero.
    assert fit.low[3] < 0 < fit.high[3]


def test_the_cross_validated_error_beats_predicting_the_mean() -> None:
    x, y = synthetic(60, seed=5)
    fit = area_model.analyse(x, y, bootstrap=200)
    assert fit.cv_rmse < 0.6 * fit.baseline_rmse
    assert fit.cv_mae < 0.6 * fit.baseline_mae
    # Noise of 1.5 cannot be predicted away: the error is honest, not fitted to the data.
    assert 1.0 < fit.cv_rmse < 2.5


def test_without_a_relation_the_model_does_not_beat_the_mean_by_much() -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(40, 4))
    y = 45 + rng.normal(0, 2, 40)
    fit = area_model.analyse(x, y, bootstrap=200)
    assert fit.cv_rmse > 0.9 * fit.baseline_rmse
    assert all(low < 0 < high for low, high in zip(fit.low, fit.high, strict=True))


def test_the_error_is_measured_on_buurten_the_model_did_not_see() -> None:
    # Many meaningless predictors and almost no penalty: fitted on all buurten the model would
    # look nearly perfect; predicting buurten it did not see, it is worse than the mean.
    rng = np.random.default_rng(12)
    x = rng.normal(size=(30, 25))
    y = 45 + rng.normal(0, 2, 30)
    fit = area_model.analyse(x, y, alphas=(1e-3,), bootstrap=50)
    fitted = fit.intercept + area_model.standardise(x)[0] @ fit.weights
    assert area_model.rmse(fitted - y) < 0.6 * fit.baseline_rmse
    assert fit.cv_rmse > fit.baseline_rmse


def test_the_bootstrap_intervals_contain_the_true_weights() -> None:
    x, y = synthetic(120, seed=21)
    fit = area_model.analyse(x, y, bootstrap=1000)
    assert np.all(fit.low <= TRUE_WEIGHTS)
    assert np.all(fit.high >= TRUE_WEIGHTS)


def test_the_bootstrap_intervals_cover_the_truth_about_95_percent_of_the_time() -> None:
    covered = []
    for seed in range(30):
        x, y = synthetic(60, seed=100 + seed)
        fit = area_model.analyse(x, y, bootstrap=300, seed=seed)
        covered += list((fit.low <= TRUE_WEIGHTS) & (fit.high >= TRUE_WEIGHTS))
    coverage = sum(covered) / len(covered)
    assert 0.85 <= coverage <= 1.0


def test_the_same_seed_gives_the_same_intervals() -> None:
    x, y = synthetic(50, seed=8)
    first = area_model.analyse(x, y, bootstrap=200, seed=7)
    second = area_model.analyse(x, y, bootstrap=200, seed=7)
    assert np.array_equal(first.low, second.low)
    assert np.array_equal(first.cv_predicted, second.cv_predicted)


def test_the_reported_error_is_the_error_of_the_predictions_shown() -> None:
    x, y = synthetic(45, seed=2)
    fit = area_model.analyse(x, y, bootstrap=100)
    assert fit.cv_rmse == pytest.approx(float(np.sqrt(np.mean((fit.cv_predicted - y) ** 2))))
    assert fit.cv_mae == pytest.approx(float(np.mean(np.abs(fit.cv_predicted - y))))


def test_ridge_without_penalty_is_least_squares_and_a_large_penalty_shrinks_to_zero() -> None:
    x, y = synthetic(50, seed=4)
    z, _, _ = area_model.standardise(x)
    intercept, weights = area_model.ridge(z, y, 1e-10)
    design = np.column_stack([np.ones(len(y)), z])
    expected = np.linalg.lstsq(design, y, rcond=None)[0]
    assert intercept == pytest.approx(expected[0])
    assert weights == pytest.approx(expected[1:], abs=1e-6)
    _, shrunk = area_model.ridge(z, y, 1e6)
    assert np.max(np.abs(shrunk)) < 1e-4


def test_folds_are_balanced_and_cover_every_buurt() -> None:
    folds = area_model.fold_ids(23, 5, np.random.default_rng(0))
    counts = np.bincount(folds)
    assert counts.sum() == 23
    assert counts.max() - counts.min() <= 1
    assert len(counts) == 5


# --- the model on figures in the database --------------------------------------------------------


@pytest.fixture
def helmond_demo(db: None) -> list[str]:
    areas_demo.load()
    return demo_area_figures()


def test_the_demo_makes_marked_figures_for_every_wijk_and_buurt(helmond_demo: list[str]) -> None:
    lonely = AreaFigure.objects.filter(source=SOURCE_RIVM, indicator="lonely")
    assert lonely.filter(area_level=AreaLevel.DISTRICT).count() == 12
    assert lonely.filter(area_level=AreaLevel.NEIGHBOURHOOD).count() == 44
    assert lonely.filter(area_level=AreaLevel.MUNICIPALITY, area_code="GM0794").exists()
    assert not AreaFigure.objects.filter(is_generated=False).exists()
    with_value = lonely.filter(value__isnull=False)
    assert all(f.margin_low < f.value < f.margin_high for f in with_value)
    assert AreaFigure.objects.filter(source=SOURCE_KWB, indicator="share_65_plus").count() == 57
    assert "generated demo data" in helmond_demo[0]


def test_the_demo_is_the_same_every_time_and_never_duplicates(helmond_demo: list[str]) -> None:
    before = sorted(AreaFigure.objects.values_list("indicator", "area_code", "value"))
    again = demo_area_figures()
    after = sorted(AreaFigure.objects.values_list("indicator", "area_code", "value"))
    assert after == before
    assert "0 new, 0 updated" in again[0]


def test_the_demo_never_overwrites_an_imported_figure(helmond_demo: list[str]) -> None:
    real = AreaFigure.objects.get(
        source=SOURCE_RIVM, indicator="lonely", area_code="BU07941000", period=2022
    )
    real.value, real.is_generated = 50.0, False
    real.save(update_fields=["value", "is_generated"])
    demo_area_figures()
    real.refresh_from_db()
    assert (real.value, real.is_generated) == (50.0, False)


def test_the_model_finds_the_demo_relation(helmond_demo: list[str]) -> None:
    result = area_model.neighbourhood_model("GM0794", "lonely", bootstrap=300)
    assert not result.too_few
    assert result.any_generated
    assert (
        result.n
        == AreaFigure.objects.filter(
            source=SOURCE_RIVM,
            indicator="lonely",
            area_level=AreaLevel.NEIGHBOURHOOD,
            value__isnull=False,
        ).count()
    )
    assert result.beats_baseline
    weights = {w.indicator: w for w in result.weights}
    assert weights["share_single_person_households"].weight > 0
    assert weights["share_low_income_households"].direction == "up"
    assert len(result.areas) == result.n
    assert (result.period, result.predictor_period, result.area_year) == (2022, 2023, 2023)


def _figures(codes: list[str], *, area_year: int = 2023) -> list[Figure]:
    rng = np.random.default_rng(1)
    out: list[Figure] = []
    for code in codes:
        single = float(rng.uniform(20, 60))
        out.append(
            Figure(SOURCE_RIVM, "lonely", code, "neighbourhood", 2023, 2022, 30 + single / 2)
        )
        out.append(
            Figure(
                SOURCE_KWB,
                "share_single_person_households",
                code,
                "neighbourhood",
                area_year,
                2023,
                single,
                unit="percent",
            )
        )
        out.append(
            Figure(
                SOURCE_KWB,
                "share_65_plus",
                code,
                "neighbourhood",
                area_year,
                2023,
                float(rng.uniform(10, 30)),
                unit="percent",
            )
        )
    return out


def test_with_fewer_than_ten_buurten_there_is_no_model(db: None) -> None:
    save_figures(_figures([f"BU079410{i:02d}" for i in range(9)]))
    result = area_model.neighbourhood_model("GM0794")
    assert result.too_few
    assert result.n == 9
    assert result.fit is None


def test_ten_buurten_are_enough(db: None) -> None:
    save_figures(_figures([f"BU079410{i:02d}" for i in range(10)]))
    result = area_model.neighbourhood_model("GM0794", bootstrap=100)
    assert not result.too_few
    assert result.n == 10


def test_figures_of_another_classification_year_are_not_joined(db: None) -> None:
    save_figures(_figures([f"BU079410{i:02d}" for i in range(12)], area_year=2022))
    result = area_model.neighbourhood_model("GM0794")
    assert result.too_few
    assert result.n == 0


def test_a_characteristic_known_for_too_few_buurten_is_left_out(db: None) -> None:
    codes = [f"BU079410{i:02d}" for i in range(12)]
    figures = _figures(codes)
    figures += [
        Figure(SOURCE_KWB, "population_density", code, "neighbourhood", 2023, 2023, 1000.0 + i)
        for i, code in enumerate(codes[:5])
    ]
    save_figures(figures)
    result = area_model.neighbourhood_model("GM0794", bootstrap=100)
    assert not result.too_few
    assert "population_density" not in {w.indicator for w in result.weights}
    assert any("km²" in label for label, _reason in result.dropped)
