"""Demo area figures and personas. Only loaded by `omzien demo-data`, after the measurements.

Generated figures are marked as such (`AreaFigure.is_generated`); running it again changes
nothing.
"""

from __future__ import annotations

from omzien.insight.area_figures import demo_area_figures
from omzien.insight.personas import demo_personas


def load() -> list[str]:
    return [*demo_area_figures(), *demo_personas()]
