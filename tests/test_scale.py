"""The one nice scale of the charts (core.scale): the dashboard's axes from zero up and the
forest plot of what works, below and above zero."""

from __future__ import annotations

import math
import random

import pytest

from omzien.core.scale import nice_scale


def _step(ticks: list[float]) -> float:
    return ticks[1] - ticks[0]


def _is_nice(step: float) -> bool:
    """1, 2 or 5 times a power of ten."""
    power = 10.0 ** math.floor(math.log10(step) + 1e-9)
    return any(math.isclose(step, factor * power, rel_tol=1e-9) for factor in (1, 2, 5, 10))


@pytest.mark.parametrize(
    ("low", "high", "max_steps", "expected"),
    [
        # The forest plot: a change of -2.6 points, padded, with room for 8 steps.
        (-2.73, 0.13, 8, [-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5]),
        (-0.66, 0.56, 8, [-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6]),
        (-12.1, 12.1, 8, [-15, -10, -5, 0, 5, 10, 15]),
        (-45_000, 120_000, 5, [-50_000, 0, 50_000, 100_000, 150_000]),
        (-0.0012, 0.0007, 5, [-0.0015, -0.001, -0.0005, 0, 0.0005, 0.001]),
    ],
)
def test_a_range_that_crosses_zero_has_a_tick_at_zero(
    low: float, high: float, max_steps: int, expected: list[float]
) -> None:
    ticks = nice_scale(low, high, max_steps=max_steps)
    assert ticks == pytest.approx(expected)
    assert 0.0 in ticks
    assert ticks[0] <= low and ticks[-1] >= high


def test_all_zero_data_still_gets_an_axis() -> None:
    assert nice_scale(0, 0) == [0.0, 1.0]
    assert nice_scale(0, 0, integer=True) == [0.0, 1.0]


def test_an_empty_range_runs_from_zero_to_the_value() -> None:
    assert nice_scale(-3, -3) == [-3, -2, -1, 0]
    assert nice_scale(40, 40) == [0, 10, 20, 30, 40]


def test_tiny_and_large_ranges_get_steps_of_their_own_size() -> None:
    assert nice_scale(0, 0.0003) == pytest.approx([0, 0.0001, 0.0002, 0.0003])
    assert nice_scale(0, 1_234_567) == [0, 500_000, 1_000_000, 1_500_000]
    assert nice_scale(1e-9, 3e-9) == pytest.approx([1e-9, 1.5e-9, 2e-9, 2.5e-9, 3e-9])
    assert nice_scale(1e12, 4e12) == [1e12, 2e12, 3e12, 4e12]


def test_the_values_are_clean_decimals() -> None:
    # 3 * 0.1 is 0.30000000000000004 in floating point; a label must read 0.3.
    assert nice_scale(0, 0.7, max_steps=7) == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    # 0.07 / 0.01 is 7.000000000000001: still 7 steps of 0.01, not 8.
    assert nice_scale(0, 0.07, max_steps=7) == [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]
    assert nice_scale(-0.07, 0, max_steps=7) == [-0.07, -0.06, -0.05, -0.04, -0.03, -0.02, -0.01, 0]
    # Zero is 0, not -0 (which would be labelled "−0").
    zero = nice_scale(-0.6, 0.5, max_steps=8)[3]
    assert zero == 0 and math.copysign(1.0, zero) == 1.0


def test_integer_mode_keeps_whole_steps() -> None:
    assert nice_scale(0, 2.2) == pytest.approx([0, 0.5, 1, 1.5, 2, 2.5])
    assert nice_scale(0, 2.2, integer=True) == [0, 1, 2, 3]
    assert nice_scale(0, 1, integer=True) == [0, 1]
    assert nice_scale(-1.5, 0.4, integer=True) == [-2, -1, 0, 1]
    assert nice_scale(0, 1e-12, integer=True) == [0, 1]


def test_one_step_is_two_across_zero() -> None:
    assert nice_scale(0, 7, max_steps=1) == [0, 10]
    assert nice_scale(-0.5, 0.5, max_steps=1) == [-1, 0, 1]


@pytest.mark.parametrize(("low", "high"), [(1, 0), (math.nan, 1), (0, math.inf), (-math.inf, 0)])
def test_impossible_bounds_are_refused(low: float, high: float) -> None:
    with pytest.raises(ValueError):
        nice_scale(low, high)


def test_no_steps_are_refused() -> None:
    with pytest.raises(ValueError):
        nice_scale(0, 1, max_steps=0)


def test_random_ranges_get_the_smallest_nice_step_that_fits() -> None:
    generator = random.Random(20250601)
    for _ in range(3000):
        magnitude = 10.0 ** generator.uniform(-4, 6)
        low = generator.uniform(-1, 1) * magnitude
        high = low + generator.uniform(0.01, 2) * magnitude
        max_steps = generator.choice([2, 4, 5, 8, 10])
        integer = generator.random() < 0.3
        ticks = nice_scale(low, high, max_steps=max_steps, integer=integer)
        step = _step(ticks)
        context = (low, high, max_steps, integer, ticks)
        # Round steps, all the same, and never more than asked.
        assert _is_nice(step), context
        assert all(
            math.isclose(b - a, step, rel_tol=1e-6) for a, b in zip(ticks, ticks[1:], strict=False)
        ), context
        assert len(ticks) - 1 <= max_steps, context
        if integer:
            assert step >= 1 and all(t == int(t) for t in ticks), context
        # The ticks cover the data, and are multiples of the step.
        assert ticks[0] <= low + step * 1e-6 and ticks[-1] >= high - step * 1e-6, context
        assert all(abs(t / step - round(t / step)) < 1e-6 for t in ticks), context
        if low < 0 < high:
            assert 0.0 in ticks, context
        # No wasted step at either end.
        assert ticks[1] > low and ticks[-2] < high, context
        # The next smaller nice step would need more steps than allowed.
        mantissa = round(step / 10.0 ** math.floor(math.log10(step) + 1e-9))
        smaller = step * {1: 0.5, 2: 0.5, 5: 0.4}[mantissa]
        if not integer or smaller >= 1:
            steps = math.ceil(high / smaller - 1e-9) - math.floor(low / smaller + 1e-9)
            assert steps > max_steps, context
