"""The council report (raadsrapportage) as a PDF, from the same figures as the dashboard.

`render_report(filters)` calls `dashboard.build_sections` — the very functions the dashboard and
the CSV downloads use — so the report can never show other numbers, and small numbers are
hidden in the same way. Each section gets its tables and the same charts (the dashboard's SVG,
drawn by fpdf2), followed by the notes; the report opens with a title page and closes with the
rules for small numbers and the caveats of before/after measurement.

fpdf2's built-in Helvetica covers Latin-1, which holds every Dutch letter (é, ë, ï, ĳ written as
"ij"); the few characters outside it (the euro sign, typographic dashes and quotes) are written
out in plain characters, so the PDF needs no font file.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Sequence

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from omzien.core.links import absolute_url
from omzien.insight import dashboard
from omzien.insight.dashboard import Filters, Section, Table

# Characters outside Latin-1 that occur in our texts, written in plain characters.
REPLACEMENTS = {
    "€": "EUR",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "≥": ">=",
    "≤": "<=",
    "ĳ": "ij",
    "Ĳ": "IJ",
    "\u202f": " ",
    "\u2009": " ",
}
FONT = "Helvetica"
PRIMARY = (11, 83, 148)
TEXT = (26, 26, 26)
MUTED = (74, 74, 74)
HEADING_FILL = (228, 235, 243)
TOTAL_FILL = (244, 246, 248)
TOTAL_STYLE = FontFace(emphasis="BOLD", fill_color=TOTAL_FILL)
CHART_WIDTH = 160.0  # mm
# A section starts on a new page when less than this is left (mm).
SECTION_MIN_SPACE = 90.0
# Wider tables than this go on a landscape page.
PORTRAIT_MAX_COLUMNS = 6


def latin1(text: str) -> str:
    for character, replacement in REPLACEMENTS.items():
        text = text.replace(character, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


class CouncilReport(FPDF):
    def __init__(self, title: str, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title = title
        self.footer_text = footer_text
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=20)
        self.set_creator("Omzien")
        self.set_author(latin1(settings.OMZIEN_MUNICIPALITY_NAME))
        self.set_title(latin1(title))
        self.set_lang("nl")

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, latin1(self.footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, _("Pagina %(page)s van {nb}") % {"page": self.page_no()}, align="R")

    # --- writing helpers --------------------------------------------------------------------

    def paragraph(
        self, text: str, *, size: float = 10, style: str = "", colour: tuple[int, ...] = TEXT
    ) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def heading(self, text: str, *, size: float = 16) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*PRIMARY)
        self.multi_cell(0, size * 0.5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_text_color(*TEXT)

    def bullets(self, items: Sequence[str], *, size: float = 10) -> None:
        self.set_font(FONT, size=size)
        self.set_text_color(*TEXT)
        for item in items:
            self.set_x(self.l_margin)
            self.cell(5, size * 0.5, "-")
            self.multi_cell(0, size * 0.5, latin1(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(1)

    def chart(self, svg: str) -> None:
        # The chart is drawn 720 px wide; fpdf2 keeps its aspect ratio.
        width = min(self.epw, CHART_WIDTH)
        match = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
        height = width * int(match.group(2)) / int(match.group(1)) if match else 80.0
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        self.image(io.BytesIO(svg.encode("utf-8")), w=width)
        self.ln(3)

    def space_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def data_table(self, table: Table) -> None:
        columns = len(table.columns) + 1
        size = 9 if columns <= PORTRAIT_MAX_COLUMNS else 7
        self.set_font(FONT, "B", 11)
        self.set_text_color(*TEXT)
        self.multi_cell(0, 5.5, latin1(table.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.paragraph(table.caption, size=9, colour=MUTED)
        first = 2.2 if columns > 2 else 3.0
        widths = (first, *([1.0] * (columns - 1)))
        self.set_font(FONT, size=size)
        with self.table(
            width=self.epw if columns > 3 else self.epw * 0.65,
            align="LEFT",
            col_widths=widths,
            text_align=("LEFT", *(["RIGHT"] * (columns - 1))),
            line_height=size * 0.55,
            headings_style=_heading_style(size),
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=True,
        ) as grid:
            header = grid.row()
            header.cell(latin1(table.row_header))
            for column in table.columns:
                header.cell(latin1(column))
            for row in table.rows:
                line = grid.row(style=TOTAL_STYLE if row.is_total else None)
                line.cell(latin1(row.label))
                for cell in row.cells:
                    line.cell(latin1(cell.text))
        self.ln(2)
        for note in table.notes:
            self.paragraph(note, size=8.5, colour=MUTED)
        self.ln(2)


def _heading_style(size: float) -> FontFace:
    return FontFace(emphasis="BOLD", size_pt=size, fill_color=HEADING_FILL, color=TEXT)


def _table_height(table: Table) -> float:
    """A rough height in mm of a table with its title, caption and notes."""
    return 22 + 5 * len(table.rows) + 8 * len(table.notes)


def _section(pdf: CouncilReport, section: Section) -> bool:
    """Write one section; True when it ends on a landscape page (a wide table)."""
    if pdf.space_left() < SECTION_MIN_SPACE:
        pdf.add_page()
    else:
        pdf.ln(6)
    pdf.heading(section.title)
    pdf.paragraph(section.intro)
    if section.applies:
        pdf.paragraph(section.applies, size=9, style="I", colour=MUTED)
    if section.note:
        pdf.paragraph(section.note, style="B")
    for svg in section.charts(for_pdf=True):
        pdf.chart(str(svg))
    landscape = False
    for table in section.tables:
        wide = len(table.columns) + 1 > PORTRAIT_MAX_COLUMNS
        if wide and not landscape:
            pdf.add_page(orientation="L")
            landscape = True
        elif not wide and landscape:
            pdf.add_page(orientation="P")
            landscape = False
        elif pdf.space_left() < min(_table_height(table), pdf.eph * 0.8):
            pdf.add_page(orientation="L" if landscape else "P")
        pdf.data_table(table)
    if section.link is not None:
        text, url = section.link
        pdf.paragraph(f"{text}: {absolute_url(url)}", size=9, colour=MUTED)
    return landscape


def render_report(filters: Filters, *, now: dt.datetime | None = None) -> bytes:
    """The council report for these filters, as PDF bytes."""
    # fpdf2 logs every SVG element it skips; the charts for the PDF leave those out already.
    logging.getLogger("fpdf.svg").setLevel(logging.ERROR)
    now = timezone.localtime(now or timezone.now())
    municipality = settings.OMZIEN_MUNICIPALITY_NAME
    title = _("Raadsrapportage eenzaamheid")
    made = _("Gemaakt op %(date)s") % {"date": dateformat.format(now, "j F Y, H:i")}
    pdf = CouncilReport(
        f"{title} - {municipality}",
        f"{municipality} - {title} - {filters.period.label}",
    )
    pdf.alias_nb_pages()
    sections = dashboard.build_sections(filters, detailed_effects=True)

    pdf.add_page()
    pdf.ln(40)
    pdf.set_font(FONT, "B", 26)
    pdf.set_text_color(*PRIMARY)
    pdf.multi_cell(0, 12, latin1(municipality), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(*TEXT)
    pdf.multi_cell(0, 10, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT, size=13)
    pdf.multi_cell(0, 7, latin1(filters.period.label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    for label, value in filters.describe():
        pdf.paragraph(f"{label}: {value}", size=10)
    pdf.ln(4)
    pdf.paragraph(made, size=10, colour=MUTED)
    pdf.paragraph(
        _(
            "Cijfers uit Omzien: het meldpunt, de sociale kaart en de metingen bij aanbod. "
            "Alleen totalen; niemand is herkenbaar."
        ),
        size=10,
        colour=MUTED,
    )
    pdf.ln(6)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 7, latin1(_("Inhoud")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.bullets([section.title for section in sections] + [_("Over deze cijfers")])

    pdf.add_page()
    pdf.set_y(pdf.t_margin - 6)  # the first section starts at the top, not after a gap
    landscape = False
    for section in sections:
        if landscape:
            pdf.add_page(orientation="P")
        landscape = _section(pdf, section)

    if landscape or pdf.space_left() < SECTION_MIN_SPACE:
        pdf.add_page(orientation="P")
    else:
        pdf.ln(6)
    pdf.heading(_("Over deze cijfers"))
    pdf.paragraph(dashboard.suppression_rule())
    pdf.bullets(dashboard.caveats())
    pdf.ln(2)
    pdf.paragraph(made, size=9, colour=MUTED)
    return bytes(pdf.output())
