"""Pages for policy officers: loneliness per wijk and buurt (table, map, CSV) and the
neighbourhood model. Figures of areas only; nothing here is about persons."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from omzien.accounts.permissions import requires
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.insight import area_model
from omzien.insight.area_figures import (
    AGE_GROUPS,
    LEVELS,
    LONELINESS_INDICATORS,
    choropleth,
    csv_rows,
    figure_table,
    format_value,
    indicator_name,
    municipalities_with_figures,
    source_line,
)
from omzien.insight.figures import SOURCE_KWB, SOURCE_RIVM

MODEL_INDICATORS = ("lonely", "severely_lonely")


def _url(request: HttpRequest, name: str, **params: Any) -> str:
    """Reverse one of our routes inside whatever namespace they were included in."""
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    url = reverse(f"{namespace}:{name}" if namespace else name)
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _pick(request: HttpRequest, name: str, options: Any, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in options else default


@dataclass
class Selection:
    municipalities: list[tuple[str, str]]
    municipality: str
    indicator: str
    age: str
    level_key: str
    period: int | None

    @property
    def level(self) -> str:
        return str(LEVELS[self.level_key][0])

    @property
    def full_indicator(self) -> str:
        return indicator_name(self.indicator, self.age)

    def params(self, **overrides: Any) -> dict[str, Any]:
        params: dict[str, Any] = {
            "gemeente": self.municipality,
            "indicator": self.indicator,
            "leeftijd": self.age,
            "niveau": self.level_key,
            "periode": self.period,
        }
        params.update(overrides)
        return params


def _selection(request: HttpRequest, indicators: Any = LONELINESS_INDICATORS) -> Selection:
    municipalities = municipalities_with_figures(SOURCE_RIVM)
    codes = [code for code, _name in municipalities]
    period_text = request.GET.get("periode", "")
    return Selection(
        municipalities=municipalities,
        municipality=_pick(request, "gemeente", codes, codes[0] if codes else ""),
        indicator=_pick(request, "indicator", indicators, "lonely"),
        age=_pick(request, "leeftijd", AGE_GROUPS, "18+"),
        level_key=_pick(request, "niveau", LEVELS, "wijk"),
        period=int(period_text) if period_text.isdigit() and len(period_text) == 4 else None,
    )


@require_GET
@requires(Capability.VIEW_AGGREGATES)
def overview(request: HttpRequest) -> HttpResponse:
    selection = _selection(request)
    context: dict[str, Any] = {
        "selection": selection,
        "indicators": LONELINESS_INDICATORS,
        "ages": {key: label for key, (_suffix, label) in AGE_GROUPS.items()},
        "model_url": _url(request, "areas_model", gemeente=selection.municipality),
    }
    if not selection.municipality:
        return render(request, "insight/areas/overview.html", context)
    table = figure_table(
        selection.municipality, selection.full_indicator, selection.level, selection.period
    )
    selection.period = table.period
    context.update(
        table=table,
        map=choropleth(table),
        indicator_label=LONELINESS_INDICATORS[selection.indicator],
        age_label=AGE_GROUPS[selection.age][1],
        level_label=LEVELS[selection.level_key][1],
        source=source_line(SOURCE_RIVM, table.period),
        level_links=[
            {
                "key": key,
                "label": label,
                "url": _url(request, "areas_overview", **selection.params(niveau=key)),
                "current": key == selection.level_key,
            }
            for key, (_level, label) in LEVELS.items()
        ],
        csv_url=_url(request, "areas_csv", **selection.params()),
        model_url=_url(
            request,
            "areas_model",
            gemeente=selection.municipality,
            indicator=selection.indicator
            if selection.indicator in MODEL_INDICATORS
            else MODEL_INDICATORS[0],
            leeftijd=selection.age,
        ),
    )
    return render(request, "insight/areas/overview.html", context)


@require_GET
@requires(Capability.VIEW_AGGREGATES)
def download_csv(request: HttpRequest) -> HttpResponse:
    selection = _selection(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    if not selection.municipality:
        response.write("\ufeff")
        csv.writer(response, delimiter=";").writerow([_("Er zijn nog geen wijkcijfers.")])
        return response
    table = figure_table(
        selection.municipality, selection.full_indicator, selection.level, selection.period
    )
    name = f"eenzaamheid-{selection.municipality}-{selection.level_key}-{table.period or ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows(
        csv_rows(
            table,
            str(LONELINESS_INDICATORS[selection.indicator]),
            str(AGE_GROUPS[selection.age][1]),
        )
    )
    record_event(
        "area_figures.export",
        request=request,
        object_type="insight.areafigure",
        details={
            "municipality": selection.municipality,
            "indicator": selection.full_indicator,
            "level": selection.level,
            "period": table.period,
            "rows": len(table.rows),
        },
    )
    return response


# --- the neighbourhood model ---------------------------------------------------------------------

CHART_WIDTH = 640
CHART_LABEL_WIDTH = 250
CHART_ROW = 44
CHART_TOP = 10
CHART_AXIS = 40
COLOURS = {"up": "#b35806", "down": "#542788", "unclear": "#8c8c8c"}


def _signed(value: float, digits: int = 1) -> str:
    """'+2,4', '−0,7' or '0,0': the sign follows the number as shown, not the raw value."""
    text = number_format(abs(value), digits)
    if not any(ch in "123456789" for ch in text):
        return text
    return f"+{text}" if value > 0 else f"−{text}"


def _sd_text(row: area_model.WeightRow) -> str:
    if row.unit == "percent":
        return _("%(value)s procentpunt") % {"value": number_format(row.sd, 1)}
    if row.unit == "per_km2":
        return _("%(value)s inwoners per km²") % {"value": format_value(row.sd, row.unit)}
    return format_value(row.sd, row.unit)


def _weights_chart(rows: list[area_model.WeightRow]) -> dict[str, Any]:
    """Horizontal bars from zero, with the 95% interval as a line, all in SVG coordinates."""
    extent = max([abs(v) for r in rows for v in (r.weight, r.low, r.high)] + [0.5])
    # A round number just above the largest value, so the axis labels are easy to read.
    step = 0.5 if extent <= 2 else (1.0 if extent <= 5 else 5.0)
    limit = step * -(-extent // step)
    plot_left = CHART_LABEL_WIDTH
    plot_width = CHART_WIDTH - plot_left - 20
    zero = plot_left + plot_width / 2

    def x(value: float) -> float:
        return round(zero + value / limit * plot_width / 2, 1)

    bars = []
    for i, row in enumerate(rows):
        top = CHART_TOP + i * CHART_ROW
        left, right = sorted((x(0), x(row.weight)))
        bars.append(
            {
                "label": row.label,
                "label_y": top + CHART_ROW / 2 + 5,
                "y": top + 10,
                "height": CHART_ROW - 20,
                "x": left,
                "width": max(round(right - left, 1), 1.0),
                "fill": COLOURS[row.direction],
                "line_y": top + CHART_ROW / 2,
                "low_x": x(row.low),
                "high_x": x(row.high),
                "cap_top": top + CHART_ROW / 2 - 7,
                "cap_bottom": top + CHART_ROW / 2 + 7,
                "title": _(
                    "%(label)s: %(weight)s procentpunt per standaardafwijking "
                    "(95%%-interval %(low)s tot %(high)s)"
                )
                % {
                    "label": row.label,
                    "weight": _signed(row.weight),
                    "low": _signed(row.low),
                    "high": _signed(row.high),
                },
            }
        )
    axis_y = CHART_TOP + len(rows) * CHART_ROW + 6
    ticks = [{"x": x(v), "label": _signed(v)} for v in (-limit, -limit / 2, 0.0, limit / 2, limit)]
    return {
        "width": CHART_WIDTH,
        "height": axis_y + CHART_AXIS,
        "bars": bars,
        "zero_x": x(0),
        "label_x": 8,
        "plot_top": CHART_TOP,
        "axis_y": axis_y,
        "tick_label_y": axis_y + 18,
        "axis_title_y": axis_y + 36,
        "axis_title_x": round(zero, 1),
        "ticks": ticks,
    }


@require_GET
@requires(Capability.VIEW_AGGREGATES)
def model(request: HttpRequest) -> HttpResponse:
    model_indicators = {k: LONELINESS_INDICATORS[k] for k in MODEL_INDICATORS}
    selection = _selection(request, model_indicators)
    context: dict[str, Any] = {
        "selection": selection,
        "indicators": model_indicators,
        "ages": {key: label for key, (_suffix, label) in AGE_GROUPS.items() if key != "18-64"},
        "overview_url": _url(request, "areas_overview", gemeente=selection.municipality),
        "min_areas": area_model.MIN_AREAS,
    }
    if selection.municipality:
        result = area_model.neighbourhood_model(selection.municipality, selection.full_indicator)
        context.update(
            result=result,
            indicator_label=LONELINESS_INDICATORS[selection.indicator],
            age_label=AGE_GROUPS[selection.age][1],
            sources=[source_line(SOURCE_RIVM, result.period)]
            + ([source_line(SOURCE_KWB, result.predictor_period)] if result.fit else []),
        )
        if result.fit is not None:
            fit = result.fit
            context.update(
                chart=_weights_chart(result.weights),
                weights=[
                    {
                        "row": row,
                        "weight": _signed(row.weight),
                        "low": _signed(row.low),
                        "high": _signed(row.high),
                        "sd": _sd_text(row),
                        "direction": row.direction,
                    }
                    for row in result.weights
                ],
                areas=[
                    {
                        "area": area,
                        "residual": _signed(area.residual),
                    }
                    for area in sorted(result.areas, key=lambda a: -a.residual)
                ],
                errors={
                    "rmse": number_format(fit.cv_rmse, 1),
                    "mae": number_format(fit.cv_mae, 1),
                    "baseline_rmse": number_format(fit.baseline_rmse, 1),
                    "baseline_mae": number_format(fit.baseline_mae, 1),
                    "alpha": number_format(fit.alpha, 3),
                },
            )
    return render(request, "insight/areas/model.html", context)
