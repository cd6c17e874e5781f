"""The real CBS areas of Helmond (classification 2023), vendored in areas/data/helmond/."""

from __future__ import annotations

from pathlib import Path

from omzien.areas.importers import read_files
from omzien.areas.services import load_areas

DATA_DIR = Path(__file__).resolve().parent / "data" / "helmond"


def load() -> list[str]:
    data = read_files([DATA_DIR / "gwb-codes-2023.csv", DATA_DIR / "wijken-2023.geojson"], "GM0794")
    result = load_areas(data, 2023)
    return [
        f"Areas of Helmond (CBS {result.year}): {result.districts} wijken, "
        f"{result.neighbourhoods} buurten."
    ]
