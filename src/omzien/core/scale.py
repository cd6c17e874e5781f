"""The one "nice scale" of the charts: round tick values for an axis from `low` to `high`.

The dashboard's charts (counts and percentages from zero up) and the forest plot of what works
per intervention (changes below and above zero) both use it, so every axis steps the same way.
"""

from __future__ import annotations

import math
from itertools import count

# A step is 1, 2 or 5 times a power of ten: the numbers people count in.
STEP_FACTORS = (1, 2, 5)
# Room for the rounding of a float division, so 0.3 / 0.1 counts as 3 steps, not 4.
_SLACK = 1e-9


def nice_scale(
    low: float, high: float, *, max_steps: int = 5, integer: bool = False
) -> list[float]:
    """Ticks at multiples of the smallest nice step that covers `low` to `high` in at most
    `max_steps` steps; the first tick is at or below `low`, the last at or above `high`.

    A range that crosses zero has a tick at zero. `integer` keeps the step at 1 or more (for
    counts). An empty range (`low == high`) is taken as the range between zero and that value,
    and all zeros give [0, 1], so an axis always has a length. When `max_steps` is 1 a range
    that crosses zero still gets two steps, one on each side.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("the bounds of a scale must be finite numbers")
    if low > high:
        raise ValueError("a scale must not end below where it starts")
    if max_steps < 1:
        raise ValueError("a scale needs at least one step")
    if low == high:
        low, high = min(low, 0.0), max(high, 0.0)
        if low == high:
            return [0.0, 1.0]
    exponent = math.floor(math.log10((high - low) / max_steps))
    if integer:
        exponent = max(exponent, 0)
    largest = max(abs(low), abs(high))
    # A smaller step than (high - low) / max_steps never fits, so the search starts just below.
    for power in count(exponent):
        for factor in STEP_FACTORS:
            step = factor * 10.0**power
            first = math.floor(low / step + _SLACK)
            # At least one step, also when `high` is within the slack of `low`.
            last = max(math.ceil(high / step - _SLACK), first + 1)
            # Past the largest bound the number of steps no longer shrinks (1, or 2 across 0).
            if last - first <= max_steps or step >= largest:
                digits = max(0, -power)
                return [round(index * step, digits) for index in range(first, last + 1)]
    raise AssertionError("unreachable: the search ends once a step passes the largest bound")
