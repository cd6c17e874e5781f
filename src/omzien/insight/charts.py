"""Accessible charts as server-side SVG, for the dashboard and the council report.

Each function returns one `<svg role="img">` with a `<title>` and a `<desc>` (both linked
through `aria-labelledby`), text labels on the axes and at the bars, and series told apart by
pattern or marker shape as well as by colour, so colour is never the only cue (WCAG 1.4.1).
The numbers themselves always sit in a table beside the chart; the chart is a picture of them.

Only SVG presentation attributes are used (no `style=""`), which the strict Content Security
Policy allows and which fpdf2 understands when the same chart goes into the PDF
(`for_pdf=True` leaves out what fpdf2 cannot draw: patterns, `<title>` and `<desc>`).

Every text that reaches the markup is escaped here; callers pass plain strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from omzien.core.scale import nice_scale

# Colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
PALETTE = (
    "#0b5394",  # blue
    "#a34700",  # dark orange
    "#2e6930",  # green
    "#6b3fa0",  # purple
    "#4a4a4a",  # dark grey
    "#a4000f",  # dark red
    "#006b80",  # teal
    "#7a5c00",  # ochre
)
# White overlays that tell the series apart without colour; the first series stays solid.
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical", "back-diagonal", "grid")
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 4", "2 3", "8 3 2 3")

FONT = "Arial, Helvetica, sans-serif"
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#4a4a4a"
GRID_COLOUR = "#d0d5da"
TOTAL_FILL = "#eef1f4"
FONT_SIZE = 13
SMALL_FONT_SIZE = 12
# A rough width of one character at FONT_SIZE, to size the label column of horizontal bars.
CHAR_WIDTH = 7.2


@dataclass(frozen=True)
class Series:
    """One row of numbers in a chart.

    `values` are what is drawn; None means "not shown" (a suppressed or unknown number), drawn
    as nothing and labelled with its text. `labels` are the texts shown at the bars (as in the
    table: "<5", "1.235", "83%"); without them the values are formatted.
    """

    name: str
    values: Sequence[float | None]
    labels: Sequence[str] | None = None

    def label(self, index: int, fmt: Callable[[float], str]) -> str:
        if self.labels is not None:
            return self.labels[index]
        value = self.values[index]
        return "—" if value is None else fmt(value)


def default_format(value: float) -> str:
    if float(value).is_integer():
        return str(number_format(int(value), force_grouping=True))
    return str(number_format(value, decimal_pos=1, force_grouping=True))


def axis_ticks(peak: float, *, max_ticks: int = 5, integer: bool = False) -> list[float]:
    """Tick values from 0 to just above `peak` (`core.scale.nice_scale`), with at most
    `max_ticks` steps; the last tick is the top of the axis. Counts (`integer`) get whole
    steps; nothing to show (0, negative or not a number) gives the axis [0, 1]."""
    top = peak if peak > 0 else 0.0  # also for NaN, which compares as False
    return nice_scale(0.0, top, max_steps=max_ticks, integer=integer)


# --- building blocks ---------------------------------------------------------------------------


def _id(chart_id: str) -> str:
    cleaned = re.sub(r"[^a-z0-9-]", "-", chart_id.lower()).strip("-")
    return f"chart-{cleaned or 'x'}"


def _attrs(**attrs: object) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f'{name}="{escape(str(value))}"')
    return " ".join(parts)


def _text(x: float, y: float, text: str, *, size: int = FONT_SIZE, **attrs: object) -> str:
    attributes = _attrs(
        x=float(x),
        y=float(y),
        font_family=FONT,
        font_size=size,
        fill=attrs.pop("fill", TEXT_COLOUR),
        **attrs,
    )
    return f"<text {attributes}>{escape(text)}</text>"


def _pattern_defs(prefix: str, count: int) -> str:
    shapes = {
        "diagonal": '<path d="M-1 1l2-2M0 8l8-8M7 9l2-2" stroke="#fff" stroke-width="2"/>',
        "back-diagonal": '<path d="M-1 7l2 2M0 0l8 8M7 -1l2 2" stroke="#fff" stroke-width="2"/>',
        "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
        "cross": '<path d="M0 0l8 8M8 0l-8 8" stroke="#fff" stroke-width="1.5"/>',
        "horizontal": '<path d="M0 4h8" stroke="#fff" stroke-width="2"/>',
        "vertical": '<path d="M4 0v8" stroke="#fff" stroke-width="2"/>',
        "grid": '<path d="M0 4h8M4 0v8" stroke="#fff" stroke-width="1.5"/>',
    }
    defs = []
    for index in range(count):
        name = PATTERNS[index % len(PATTERNS)]
        if name == "solid":
            continue
        defs.append(
            f'<pattern id="{prefix}-p{index}" width="8" height="8" '
            f'patternUnits="userSpaceOnUse">{shapes[name]}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _filled_rect(
    prefix: str, index: int, x: float, y: float, w: float, h: float, *, for_pdf: bool
) -> str:
    """A bar in the series' colour, with the series' pattern laid over it."""
    colour = PALETTE[index % len(PALETTE)]
    rect = f"<rect {_attrs(x=x, y=y, width=max(w, 0.0), height=max(h, 0.0), fill=colour)}/>"
    pattern = PATTERNS[index % len(PATTERNS)]
    if pattern != "solid" and not for_pdf and w > 0 and h > 0:
        fill = f"url(#{prefix}-p{index})"
        rect += f"<rect {_attrs(x=x, y=y, width=w, height=h, fill=fill)}/>"
    return rect


def _open(
    prefix: str, width: int, height: int, title: str, description: str, *, for_pdf: bool
) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="omzien-chart__svg" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet"'
    )
    if for_pdf:
        return head + ">"
    return (
        f'{head} role="img" aria-labelledby="{prefix}-title {prefix}-desc">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    )


def _total_rect(x: float, y: float, w: float, h: float) -> str:
    """The whole column behind its visible parts: pale, with a dark outline for contrast."""
    attributes = _attrs(
        x=x,
        y=y,
        width=w,
        height=max(h, 0.0),
        fill=TOTAL_FILL,
        stroke=AXIS_COLOUR,
        stroke_width=1,
        stroke_dasharray="3 2",
    )
    return f"<rect {attributes}/>"


def _legend(
    prefix: str,
    series: Sequence[Series],
    x: float,
    y: float,
    width: float,
    *,
    for_pdf: bool,
    total_name: str | None = None,
) -> tuple[str, float]:
    """Swatches with names, wrapped over lines; returns the markup and the height used."""
    if len(series) < 2 and total_name is None:
        return "", 0.0
    parts = []
    cursor_x, cursor_y, line = x, y, 22.0
    names = [item.name for item in series] + ([total_name] if total_name else [])
    for index, name in enumerate(names):
        needed = 22 + len(name) * CHAR_WIDTH + 18
        if cursor_x > x and cursor_x + needed > x + width:
            cursor_x, cursor_y = x, cursor_y + line
        if index < len(series):
            parts.append(_filled_rect(prefix, index, cursor_x, cursor_y, 16, 16, for_pdf=for_pdf))
        else:
            parts.append(_total_rect(cursor_x, cursor_y, 16, 16))
        parts.append(_text(cursor_x + 22, cursor_y + 13, name))
        cursor_x += needed
    return f'<g class="omzien-chart__legend">{"".join(parts)}</g>', cursor_y - y + line + 6


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f"<rect {_attrs(x=x - 4, y=y - 4, width=8, height=8, fill=colour)}/>"
    if kind == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f"<circle {_attrs(cx=x, cy=y, r=4.5, fill=colour)}/>"


def _empty(prefix: str, title: str, description: str, message: str | None, *, for_pdf: bool) -> str:
    message = message or _("Geen gegevens in deze periode.")
    width, height = 640, 60
    return (
        _open(prefix, width, height, title, description, for_pdf=for_pdf)
        + _text(8, 34, message, fill=AXIS_COLOUR)
        + "</svg>"
    )


def _all_empty(series: Sequence[Series]) -> bool:
    """Nothing at all to show: every value is 0. A hidden value (None, "<5") is something."""
    return all(value == 0 for item in series for value in item.values)


# --- the charts ---------------------------------------------------------------------------------


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    fmt: Callable[[float], str] = default_format,
    empty_message: str | None = None,
    for_pdf: bool = False,
) -> SafeString:
    """Horizontal bars, one group per label, one bar per series (grouped), value at each bar."""
    prefix = _id(chart_id)
    if not labels or _all_empty(series):
        return mark_safe(_empty(prefix, title, description, empty_message, for_pdf=for_pdf))  # noqa: S308 - escaped above
    width = 720
    label_width = min(300.0, max(110.0, max(len(label) for label in labels) * CHAR_WIDTH + 16))
    value_room = 70.0
    plot_x = label_width
    plot_width = width - label_width - value_room
    bar_height = 20.0 if len(series) == 1 else 15.0
    group_height = bar_height * len(series) + 12
    legend, legend_height = _legend(prefix, series, 8, 8, width - 16, for_pdf=for_pdf)
    top = 8 + legend_height
    height = int(top + group_height * len(labels) + 30)
    scale_ticks = axis_ticks(max((v or 0) for item in series for v in item.values), integer=True)
    maximum = scale_ticks[-1]
    scale = plot_width / maximum

    parts = [_open(prefix, width, height, title, description, for_pdf=for_pdf)]
    if not for_pdf:
        parts.append(_pattern_defs(prefix, len(series)))
    parts.append(legend)
    bottom = top + group_height * len(labels)
    for tick in scale_ticks:
        x = plot_x + tick * scale
        parts.append(
            f"<line {_attrs(x1=x, y1=top, x2=x, y2=bottom, stroke=GRID_COLOUR, stroke_width=1)}/>"
        )
        parts.append(_text(x, bottom + 18, fmt(tick), size=SMALL_FONT_SIZE, text_anchor="middle"))
    for row, label in enumerate(labels):
        group_y = top + row * group_height + 6
        parts.append(_text(plot_x - 8, group_y + group_height / 2, label, text_anchor="end"))
        for index, item in enumerate(series):
            value = item.values[row]
            y = group_y + index * bar_height
            bar = (value or 0) * scale
            parts.append(
                _filled_rect(prefix, index, plot_x, y, bar, bar_height - 3, for_pdf=for_pdf)
            )
            parts.append(
                _text(
                    plot_x + bar + 6,
                    y + bar_height / 2 + 2,
                    item.label(row, fmt),
                    size=SMALL_FONT_SIZE,
                )
            )
    axis = _attrs(x1=plot_x, y1=top, x2=plot_x, y2=bottom, stroke=AXIS_COLOUR, stroke_width=1)
    parts.append(f"<line {axis}/>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def column_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = True,
    totals: Series | None = None,
    fmt: Callable[[float], str] = default_format,
    empty_message: str | None = None,
    for_pdf: bool = False,
) -> SafeString:
    """Vertical columns over categories (months): stacked or grouped, with a legend.

    `categories` may hold a second line after a newline ("jan\n2025"). `totals` (stacked only)
    are the columns' shown totals: drawn as a pale outlined column behind the parts, with the
    total's text on top, so a column whose parts are hidden ("<5") still shows its total.
    """
    prefix = _id(chart_id)
    every = [*series, totals] if totals is not None else list(series)
    if not categories or _all_empty(every):
        return mark_safe(_empty(prefix, title, description, empty_message, for_pdf=for_pdf))  # noqa: S308 - escaped above
    width = 720
    plot_x, right = 56.0, 12.0
    legend, legend_height = _legend(
        prefix,
        series,
        8,
        8,
        width - 16,
        for_pdf=for_pdf,
        total_name=totals.name if totals is not None and stacked else None,
    )
    top = 8 + legend_height + 18
    plot_height = 220.0
    bottom = top + plot_height
    height = int(bottom + 44)
    plot_width = width - plot_x - right
    slot = plot_width / len(categories)
    if stacked:
        peak = max(sum(item.values[i] or 0 for item in series) for i in range(len(categories)))
        if totals is not None:
            peak = max(peak, *((v or 0) for v in totals.values))
    else:
        peak = max((v or 0) for item in series for v in item.values)
    scale_ticks = axis_ticks(peak, integer=True)
    maximum = scale_ticks[-1]
    scale = plot_height / maximum

    parts = [_open(prefix, width, height, title, description, for_pdf=for_pdf)]
    if not for_pdf:
        parts.append(_pattern_defs(prefix, len(series)))
    parts.append(legend)
    for tick in scale_ticks:
        y = bottom - tick * scale
        grid = _attrs(x1=plot_x, y1=y, x2=width - right, y2=y, stroke=GRID_COLOUR, stroke_width=1)
        parts.append(f"<line {grid}/>")
        parts.append(_text(plot_x - 6, y + 4, fmt(tick), size=SMALL_FONT_SIZE, text_anchor="end"))
    bar_width = slot * 0.7
    for column, category in enumerate(categories):
        x0 = plot_x + column * slot + (slot - bar_width) / 2
        if stacked:
            total = (totals.values[column] or 0) if totals is not None else 0
            if total > 0:
                parts.append(_total_rect(x0, bottom - total * scale, bar_width, total * scale))
            y = bottom
            for index, item in enumerate(series):
                h = (item.values[column] or 0) * scale
                y -= h
                parts.append(_filled_rect(prefix, index, x0, y, bar_width, h, for_pdf=for_pdf))
            if totals is not None:
                parts.append(
                    _text(
                        x0 + bar_width / 2,
                        min(y, bottom - total * scale) - 5,
                        totals.label(column, fmt),
                        size=SMALL_FONT_SIZE,
                        text_anchor="middle",
                    )
                )
        else:
            width_each = bar_width / len(series)
            for index, item in enumerate(series):
                h = (item.values[column] or 0) * scale
                x = x0 + index * width_each
                parts.append(
                    _filled_rect(prefix, index, x, bottom - h, width_each - 1, h, for_pdf=for_pdf)
                )
        for line, text in enumerate(category.split("\n")[:2]):
            parts.append(
                _text(
                    x0 + bar_width / 2,
                    bottom + 17 + line * 15,
                    text,
                    size=SMALL_FONT_SIZE,
                    text_anchor="middle",
                )
            )
    axis = _attrs(x1=plot_x, y1=bottom, x2=width - right, y2=bottom, stroke=AXIS_COLOUR)
    parts.append(f'<line {axis} stroke-width="1"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float | None = None,
    fmt: Callable[[float], str] = default_format,
    empty_message: str | None = None,
    for_pdf: bool = False,
) -> SafeString:
    """Lines over categories (months), each series with its own marker shape and dash.

    A None value breaks the line (nothing known for that month); each point carries its text.
    """
    prefix = _id(chart_id)
    known = [v for item in series for v in item.values if v is not None]
    if not categories or not known:
        return mark_safe(_empty(prefix, title, description, empty_message, for_pdf=for_pdf))  # noqa: S308 - escaped above
    width = 720
    plot_x, right = 56.0, 24.0
    legend_parts = []
    cursor = 8.0
    if len(series) > 1:
        for index, item in enumerate(series):
            colour = PALETTE[index % len(PALETTE)]
            dash = DASHES[index % len(DASHES)] or None
            swatch = _attrs(
                x1=cursor,
                y1=17,
                x2=cursor + 28,
                y2=17,
                stroke=colour,
                stroke_width=2.5,
                stroke_dasharray=dash,
            )
            legend_parts.append(f"<line {swatch}/>")
            legend_parts.append(_marker(MARKERS[index % len(MARKERS)], cursor + 14, 17, colour))
            legend_parts.append(_text(cursor + 36, 22, item.name))
            cursor += 36 + len(item.name) * CHAR_WIDTH + 24
    top = 8 + (28.0 if legend_parts else 0.0) + 18
    plot_height = 200.0
    bottom = top + plot_height
    height = int(bottom + 44)
    plot_width = width - plot_x - right
    slot = plot_width / len(categories)
    # A little room above the highest point, for its label.
    scale_ticks = axis_ticks(y_max if y_max is not None else max(known) * 1.1)
    maximum = scale_ticks[-1]
    scale = plot_height / maximum

    parts = [_open(prefix, width, height, title, description, for_pdf=for_pdf)]
    parts.append(f'<g class="omzien-chart__legend">{"".join(legend_parts)}</g>')
    for tick in scale_ticks:
        y = bottom - tick * scale
        grid = _attrs(x1=plot_x, y1=y, x2=width - right, y2=y, stroke=GRID_COLOUR, stroke_width=1)
        parts.append(f"<line {grid}/>")
        parts.append(_text(plot_x - 6, y + 4, fmt(tick), size=SMALL_FONT_SIZE, text_anchor="end"))
    for column, category in enumerate(categories):
        x = plot_x + column * slot + slot / 2
        for line, text in enumerate(category.split("\n")[:2]):
            parts.append(
                _text(x, bottom + 17 + line * 15, text, size=SMALL_FONT_SIZE, text_anchor="middle")
            )
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[index % len(DASHES)] or None
        run: list[str] = []
        runs: list[list[str]] = []
        for column, value in enumerate(item.values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            x = plot_x + column * slot + slot / 2
            y = bottom - min(value, maximum) * scale
            run.append(f"{x:.1f},{y:.1f}")
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                attributes = _attrs(
                    points=" ".join(points),
                    fill="none",
                    stroke=colour,
                    stroke_width=2.5,
                    stroke_dasharray=dash,
                )
                parts.append(f"<polyline {attributes}/>")
        for column, value in enumerate(item.values):
            if value is None:
                continue
            x = plot_x + column * slot + slot / 2
            y = bottom - min(value, maximum) * scale
            parts.append(_marker(MARKERS[index % len(MARKERS)], x, y, colour))
            if len(series) == 1:
                parts.append(
                    _text(
                        x,
                        y - 9,
                        item.label(column, fmt),
                        size=SMALL_FONT_SIZE,
                        text_anchor="middle",
                    )
                )
    axis = _attrs(x1=plot_x, y1=bottom, x2=width - right, y2=bottom, stroke=AXIS_COLOUR)
    parts.append(f'<line {axis} stroke-width="1"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
