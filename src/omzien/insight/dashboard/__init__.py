"""The figures of the dashboard and the council report: aggregates only, small numbers hidden.

Every section is built in two steps. First a query counts in the database (GROUP BY on a month
bucket, a status or a neighbourhood; never a row per person) and returns plain numbers. Then
those numbers are *protected* and put into `Table`s of `Cell`s, which hold only the text and
value that may be shown. Templates, CSV files, charts and the PDF see only the tables, so a raw
small number cannot reach them by accident. The dashboard, the CSV downloads and the council
report all call `build_sections`, so they always show the same figures.

Protection (docs/measurement.md, "Dashboard and council report"):
- a count of people (signals, cases, referrals, participants) from 1 to 4 is shown as "<5";
- every other count of people, totals included, is rounded to a multiple of 5, so a total minus
  the other cells never gives the hidden number;
- a percentage needs at least 10 in the denominator, and the counts on both sides of it must be
  0 or at least 5; a median needs at least 5 values;
- counts of services (the offering) are not about people and are published on the sociale kaart,
  so they are shown exactly.

Nothing here returns a case id, a name, a free text or a link to a case.

The modules, each importing only those above it in this list:
- `disclosure`: protected cells and tables (`Cell`, `count_cell`, `Table`, `Section`, ...);
- `period`: the filters (`Filters` with a `core.months.Period` of whole months, the names of
  districts, age groups and target groups);
- `areas`: the district filter of cases and participants, through their neighbourhood;
- `sql`: month buckets and local days counted in the database, medians, working days;
- `sections/`: one module per section, from (a) signals to (h) neighbourhood figures;
- `assemble`: every section in order (`build_sections`), `find_table`, `caveats`.

This package re-exports the names the views, the council report, the benchmark and the tests use.
"""

from __future__ import annotations

from omzien.core.months import Period, add_months
from omzien.insight.dashboard.areas import AreaMap, area_map
from omzien.insight.dashboard.assemble import (
    SECTION_KEYS,
    TABLE_SECTIONS,
    build_sections,
    caveats,
    find_table,
)
from omzien.insight.dashboard.disclosure import (
    Cell,
    Row,
    Section,
    Table,
    count_cell,
    exact_cell,
    number_cell,
    protect,
    share_cell,
    suppression_rule,
    text_cell,
)
from omzien.insight.dashboard.period import (
    AGE_UNKNOWN,
    MAX_MONTHS,
    Filters,
    month_label,
    newest_districts,
    target_groups,
)
from omzien.insight.dashboard.sections.effects import pair_counts, what_works_table
from omzien.insight.dashboard.sections.first_contact import first_contact
from omzien.insight.dashboard.sections.offering import offering_counts
from omzien.insight.dashboard.sections.reach import reach
from omzien.insight.dashboard.sections.referrals import referral_counts
from omzien.insight.dashboard.sections.signals import signal_counts
from omzien.insight.dashboard.sql import weighted_median

__all__ = [
    "AGE_UNKNOWN",
    "MAX_MONTHS",
    "SECTION_KEYS",
    "TABLE_SECTIONS",
    "AreaMap",
    "Cell",
    "Filters",
    "Period",
    "Row",
    "Section",
    "Table",
    "add_months",
    "area_map",
    "build_sections",
    "caveats",
    "count_cell",
    "exact_cell",
    "find_table",
    "first_contact",
    "month_label",
    "newest_districts",
    "number_cell",
    "offering_counts",
    "pair_counts",
    "protect",
    "reach",
    "referral_counts",
    "share_cell",
    "signal_counts",
    "suppression_rule",
    "target_groups",
    "text_cell",
    "weighted_median",
    "what_works_table",
]
