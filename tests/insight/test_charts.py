"""Server-side SVG charts: accessible, escaped, well-formed, and true to the numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from omzien.insight import charts
from omzien.insight.charts import Series

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup, in a test


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def rects(root: ET.Element) -> list[ET.Element]:
    """The rectangles of the plot, without the legend's swatches."""
    found = [r for r in root if r.tag == f"{SVG}rect"]
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "omzien-chart__legend":
            found += [r for r in group if r.tag == f"{SVG}rect"]
    return found


def bars(root: ET.Element, colour: str = charts.PALETTE[0]) -> list[ET.Element]:
    return [r for r in rects(root) if r.get("fill") == colour]


@pytest.fixture(autouse=True)
def _dutch(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "nl"


def test_a_bar_chart_is_an_image_with_a_title_and_a_description() -> None:
    svg = charts.bar_chart(
        "status", "Verwijzingen", "Liggende staven per status.", ["Verstuurd"], [Series("n", [10])]
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-status-title chart-status-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-status-title"  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").text == "Verwijzingen"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "Liggende staven per status."  # type: ignore[union-attr]
    assert "style=" not in svg  # the strict CSP allows no style attributes


def test_every_text_is_escaped() -> None:
    evil = '<script>alert("x")</script> & "quotes"'
    svg = charts.bar_chart("x", evil, evil, [evil], [Series(evil, [7], [evil])])
    assert "<script>" not in svg
    root = parse(svg)  # still well-formed XML
    assert evil in texts(root)
    assert root.find(f"{SVG}title").text == evil  # type: ignore[union-attr]


def test_bars_are_as_long_as_their_values_and_carry_their_labels() -> None:
    svg = charts.bar_chart(
        "b", "t", "d", ["a", "b", "c"], [Series("n", [10, 20, None], ["10", "20", "<5"])]
    )
    root = parse(svg)
    widths = [float(r.get("width", 0)) for r in bars(root)]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert widths[2] == 0  # a hidden number is drawn as nothing ...
    assert "<5" in texts(root)  # ... but labelled
    assert {"a", "b", "c", "10", "20"} <= set(texts(root))


def test_series_are_told_apart_by_pattern_not_only_by_colour() -> None:
    two = [Series("Casussen", [10, 5]), Series("Deelnemers", [15, 0])]
    root = parse(charts.bar_chart("r", "t", "d", ["Noord", "Zuid"], two))
    patterns = list(root.iter(f"{SVG}pattern"))
    assert [p.get("id") for p in patterns] == ["chart-r-p1"]
    overlays = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "url(#chart-r-p1)"]
    assert overlays  # the second series carries the pattern, in the bars and the legend
    assert {"Casussen", "Deelnemers"} <= set(texts(root))  # a legend with names


def test_a_stacked_column_chart_stacks_and_shows_the_totals() -> None:
    series = [Series("Formulier", [10, 20]), Series("Partner", [5, 0])]
    root = parse(
        charts.column_chart(
            "m", "t", "d", ["jan\n2025", "feb\n2025"], series, totals=Series("Totaal", [15, 20])
        )
    )
    first = [r for r in bars(root) if float(r.get("height", 0)) > 0]
    second = [
        r
        for r in rects(root)
        if r.get("fill") == charts.PALETTE[1] and float(r.get("height", 0)) > 0
    ]
    assert len(first) == 2
    assert len(second) == 1
    # The partner part sits on top of the form part of January.
    assert float(second[0].get("y", 0)) + float(second[0].get("height", 0)) == pytest.approx(
        float(first[0].get("y", 0))
    )
    labels = texts(root)
    assert {"15", "20", "jan", "feb", "2025"} <= set(labels)


def test_a_column_whose_parts_are_hidden_still_shows_its_total() -> None:
    parts = [Series("a", [None], ["<5"]), Series("b", [None], ["<5"])]
    root = parse(
        charts.column_chart("t", "t", "d", ["x"], parts, totals=Series("Totaal", [5], ["5"]))
    )
    outlined = [r for r in rects(root) if r.get("fill") == charts.TOTAL_FILL]
    assert len(outlined) == 1 and float(outlined[0].get("height", 0)) > 0
    assert "5" in texts(root) and "Totaal" in texts(root)  # the total and its legend entry


def test_a_grouped_column_chart_puts_series_side_by_side() -> None:
    series = [Series("a", [10]), Series("b", [10])]
    root = parse(charts.column_chart("g", "t", "d", ["x"], series, stacked=False))
    first = bars(root)[0]
    second = [r for r in rects(root) if r.get("fill") == charts.PALETTE[1]][0]
    assert first.get("y") == second.get("y")
    assert float(second.get("x", 0)) > float(first.get("x", 0))


def test_a_line_breaks_where_a_value_is_unknown() -> None:
    root = parse(
        charts.line_chart(
            "l", "t", "d", list("abcde"), [Series("s", [50, 60, None, 70, 80])], y_max=100
        )
    )
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    assert "100" in texts(root)


def test_lines_differ_in_marker_and_dash() -> None:
    series = [Series("a", [1, 2]), Series("b", [2, 1])]
    root = parse(charts.line_chart("l2", "t", "d", ["x", "y"], series))
    lines = list(root.iter(f"{SVG}polyline"))
    assert lines[0].get("stroke-dasharray") is None
    assert lines[1].get("stroke-dasharray") == "6 4"
    assert list(root.iter(f"{SVG}circle")) and list(root.iter(f"{SVG}rect"))


def test_an_empty_chart_says_so() -> None:
    svg = charts.bar_chart("e", "t", "d", ["a"], [Series("s", [0])], empty_message="Niets.")
    root = parse(svg)
    assert texts(root) == ["Niets."]
    assert root.get("role") == "img"
    assert "Geen gegevens" in str(charts.line_chart("e2", "t", "d", ["a"], [Series("s", [None])]))


def test_a_chart_of_hidden_numbers_is_not_called_empty() -> None:
    series = [Series("s", [None, 0], ["<5", "0"])]
    root = parse(charts.bar_chart("h", "t", "d", ["a", "b"], series, empty_message="Niets."))
    assert "Niets." not in texts(root)
    assert "<5" in texts(root)
    stacked = charts.column_chart("h2", "t", "d", ["a"], series[:1], empty_message="Niets.")
    assert "Niets." not in texts(parse(stacked))


def test_the_pdf_variant_leaves_out_what_fpdf2_cannot_draw() -> None:
    series = [Series("a", [10]), Series("b", [10])]
    svg = charts.bar_chart("p", "Titel", "Uitleg", ["x"], series, for_pdf=True)
    root = parse(svg)
    assert root.find(f"{SVG}title") is None
    assert not list(root.iter(f"{SVG}pattern"))
    assert "url(#" not in svg
    assert "Titel" not in svg


@pytest.mark.parametrize(
    ("peak", "expected"),
    [
        (10, [0, 2, 4, 6, 8, 10]),
        (12.5, [0, 5, 10, 15]),
        (89, [0, 20, 40, 60, 80, 100]),
        (2.2, [0, 0.5, 1, 1.5, 2, 2.5]),
        (0, [0, 1]),
    ],
)
def test_axis_ticks_are_round_numbers(peak: float, expected: list[float]) -> None:
    assert charts.axis_ticks(peak) == pytest.approx(expected)


def test_count_axes_have_whole_steps() -> None:
    assert charts.axis_ticks(3, integer=True) == [0, 1, 2, 3]
    assert charts.axis_ticks(1, integer=True) == [0, 1]


def test_ids_are_safe_and_unique_per_chart() -> None:
    root = parse(charts.bar_chart('a b"<', "t", "d", ["x"], [Series("s", [1])]))
    assert root.get("aria-labelledby") == "chart-a-b-title chart-a-b-desc"
