"""Protected cells and tables: the only form in which the dashboard's figures leave it.

A count of people from 1 to 4 is shown as "<5" and every other count of people is rounded to a
multiple of 5; a percentage needs at least 10 in its denominator and 0 or at least 5 on both
sides; a median needs at least 5 values. Counts of services are public and shown exactly.
Templates, CSV files, charts and the PDF see only `Table`s of `Cell`s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from omzien.insight import charts

SUPPRESS_BELOW = 5
ROUND_TO = 5
SHARE_MIN_DENOMINATOR = 10
MEDIAN_MIN_N = 5
SUPPRESSED_TEXT = "<5"
NOT_SHOWN_TEXT = "—"


def _grouped(value: int) -> str:
    return str(number_format(value, force_grouping=True))


@dataclass(frozen=True)
class Cell:
    """One shown value: its text, and a number for charts (None when not shown)."""

    text: str
    value: float | None = None
    suppressed: bool = False
    # For a Dutch spreadsheet: no thousands separator, a decimal comma; empty: same as text.
    plain: str = ""

    @property
    def csv(self) -> str:
        return self.plain or self.text


def protect(count: int) -> int | None:
    """A count of people as it may be shown: None (hidden) for 1 to 4, else a multiple of 5."""
    if count <= 0:
        return 0
    if count < SUPPRESS_BELOW:
        return None
    return int(ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO))


def count_cell(count: int) -> Cell:
    """A count of people: "<5" for 1 to 4, otherwise rounded to a multiple of 5."""
    shown = protect(count)
    if shown is None:
        return Cell(SUPPRESSED_TEXT, None, suppressed=True)
    return Cell(_grouped(shown), float(shown), plain=str(shown))


def exact_cell(count: int) -> Cell:
    """A count of things that are public (services): shown exactly."""
    return Cell(_grouped(count), float(count), plain=str(count))


def share_cell(numerator: int, denominator: int) -> Cell:
    """A percentage, shown only when it cannot give away a small number."""
    rest = denominator - numerator
    if (
        denominator < SHARE_MIN_DENOMINATOR
        or 0 < numerator < SUPPRESS_BELOW
        or 0 < rest < SUPPRESS_BELOW
    ):
        return Cell(NOT_SHOWN_TEXT, None, suppressed=numerator > 0)
    percentage = round(100 * numerator / denominator)
    return Cell(f"{percentage}%", float(percentage))


def number_cell(value: float | None, decimals: int = 1) -> Cell:
    if value is None:
        return Cell(NOT_SHOWN_TEXT)
    rounded = round(value, decimals)
    return Cell(
        str(number_format(rounded, decimal_pos=decimals)),
        rounded,
        plain=f"{rounded:.{decimals}f}".replace(".", ","),
    )


def text_cell(text: str) -> Cell:
    return Cell(text)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Table:
    """A table as shown on the dashboard, in the CSV download and in the PDF."""

    key: str
    title: str
    caption: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    def column(self, index: int, *, totals: bool = False) -> list[Cell]:
        return [row.cells[index] for row in self.rows if totals or not row.is_total]

    def labels(self) -> list[str]:
        return [row.label for row in self.rows if not row.is_total]

    def csv_rows(self) -> list[list[str]]:
        lines = [[self.row_header, *self.columns]]
        lines += [[row.label, *(cell.csv for cell in row.cells)] for row in self.rows]
        return lines


ChartBuilder = Callable[[bool], list[SafeString]]


@dataclass
class Section:
    key: str
    title: str
    intro: str
    applies: str  # which filters apply to this section, in words
    tables: list[Table] = field(default_factory=list)
    chart_builder: ChartBuilder | None = None
    link: tuple[str, str] | None = None  # (text, url)
    note: str = ""

    def charts(self, *, for_pdf: bool = False) -> list[SafeString]:
        return self.chart_builder(for_pdf) if self.chart_builder else []


def series(name: str, cells: Sequence[Cell]) -> charts.Series:
    """A chart series from protected cells: hidden values are drawn as nothing, labelled "<5"."""
    return charts.Series(name, [c.value for c in cells], [c.text for c in cells])


def suppression_rule() -> str:
    return _(
        "Om niemand herkenbaar te maken: aantallen mensen van 1 tot en met 4 staan er als "
        "'<5'. Alle andere aantallen mensen, ook totalen, zijn afgerond op vijftallen, zodat "
        "je een verborgen getal niet kunt terugrekenen. Een percentage staat er alleen als het "
        "op ten minste 10 mensen gaat en er aan beide kanten 0 of minstens 5 zijn; een mediaan "
        "alleen bij ten minste 5. Daardoor tellen afgeronde getallen niet altijd precies op."
    )
