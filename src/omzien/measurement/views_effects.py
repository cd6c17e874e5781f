"""What works per intervention: the effects table, one intervention in detail, and a CSV file.

Who sees what (the permission layer decides, through two capabilities):

- VIEW_AGGREGATES (policy officers): the effects of every intervention, computed from all
  measurements (a policy officer held in a non-municipal organisation: that organisation's).
- RECORD_MEASUREMENTS (provider editors, case workers, coordinators): the effects computed from
  the measurements THEIR organisation recorded. Recording only links participants to services
  the organisation maintains, so for a provider these are its own services.
- Anyone else: 403; anonymous visitors: the login page. A service without measurements in the
  user's scope gives 404 for scoped users, so other organisations' services leak nothing.

Only aggregates are shown: never a participant code, never a row per participant. A service with
fewer than 5 pairs shows only "te weinig deelnemers" (statistics.paired_effects decides). Below
10 pairs the page shows no p-values (MEASUREMENT.md §5.2, project rule), only the change and
its margin. Stories are shown only when `may_publish` is set.

Filters are GET parameters (bookmarkable, no JavaScript); a wrong value gives a message and the
default, never an error page. The CSV export is written to the audit log (codes only).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from omzien.accounts.permissions import organisation_ids, scope_queryset
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.core.forms import NldsFormMixin
from omzien.core.months import EARLIEST_YEAR, Period, month_end, parse_month
from omzien.core.scale import nice_scale
from omzien.directory.models import Service
from omzien.measurement import effects as fx
from omzien.measurement.models import Measurement, Moment, Scale, Story
from omzien.measurement.statistics import (
    FEW_FOR_TESTS_N,
    EffectSummary,
    before_after_warning,
)

AGGREGATES = Capability.VIEW_AGGREGATES
RECORD = Capability.RECORD_MEASUREMENTS
MAX_STORIES = 20
SCALE_LABELS = {code: Scale(code).label for code in fx.EFFECT_SCALES}
MOMENT_LABELS = dict(Moment.choices)


# --- access ---------------------------------------------------------------------------------------


def effect_scope(request: HttpRequest) -> set[int] | None:
    """Organisations whose measurements the user may see as effects; None: all of them."""
    aggregate = organisation_ids(request.user, AGGREGATES)
    record = organisation_ids(request.user, RECORD)
    if aggregate is None or record is None:
        return None
    ids = aggregate | record
    if not ids:
        raise PermissionDenied
    return ids


def _scoped(queryset: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
    """Rows of organisations the user may see here, through the permission layer."""
    return scope_queryset(queryset, request.user, AGGREGATES) | scope_queryset(
        queryset, request.user, RECORD
    )


ViewFunc = Callable[..., HttpResponse]


def _effects_access(view: ViewFunc) -> ViewFunc:
    """Anonymous: the login page. Without either capability: 403. Else the view, with scope."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = effect_scope(request)
        return view(request, scope, *args, **kwargs)

    return wrapped


# --- filters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    scale: str
    comparison: str
    period: Period | None

    @property
    def compare(self) -> tuple[str, str]:
        return fx.COMPARISONS[self.comparison]

    def query(self) -> str:
        query = QueryDict(mutable=True)
        query["schaal"] = self.scale
        query["vergelijking"] = self.comparison
        if self.period is not None:
            query["van"] = f"{self.period.first:%Y-%m}"
            query["tot"] = f"{self.period.last:%Y-%m}"
        return query.urlencode()

    def describe(self) -> list[tuple[str, str]]:
        first, second = self.compare
        if self.period is None:
            period = _("Alle deelnemers, wanneer ze ook begonnen")
        else:
            period = _("Deelnemers die begonnen tussen %(first)s en %(last)s") % {
                "first": date_format(self.period.first, "j F Y"),
                "last": date_format(self.period.last, "j F Y"),
            }
        return [
            (_("Vragenlijst"), str(SCALE_LABELS[self.scale])),
            (
                _("Vergelijking"),
                _("%(first)s en %(second)s")
                % {"first": MOMENT_LABELS[first], "second": str(MOMENT_LABELS[second]).lower()},
            ),
            (_("Periode"), period),
        ]


class EffectFilterForm(NldsFormMixin, forms.Form):
    schaal = forms.ChoiceField(
        label=gettext_lazy("Vragenlijst"),
        required=False,
        choices=list(SCALE_LABELS.items()),
        error_messages={"invalid_choice": gettext_lazy("Kies een vragenlijst uit de lijst.")},
    )
    vergelijking = forms.ChoiceField(
        label=gettext_lazy("Vergelijk"),
        required=False,
        choices=list(fx.COMPARISON_LABELS.items()),
        error_messages={"invalid_choice": gettext_lazy("Kies een vergelijking uit de lijst.")},
    )
    van = forms.CharField(
        label=gettext_lazy("Begonnen vanaf maand"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("Jaar en maand, bijvoorbeeld 2025-01."),
        widget=forms.TextInput(attrs={"type": "month", "inputmode": "numeric"}),
    )
    tot = forms.CharField(
        label=gettext_lazy("Begonnen tot en met maand"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("Jaar en maand, bijvoorbeeld 2025-12."),
        widget=forms.TextInput(attrs={"type": "month", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.style_widgets()

    def clean_van(self) -> dt.date | None:
        return parse_month(self.cleaned_data.get("van", ""), self.today)

    def clean_tot(self) -> dt.date | None:
        return parse_month(self.cleaned_data.get("tot", ""), self.today)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("van"), cleaned.get("tot")
        if first is not None and last is not None and first > last:
            raise forms.ValidationError(
                _("De maand 'vanaf' ligt na de maand 'tot en met'. Draai ze om."), code="order"
            )
        return cleaned

    def selection(self) -> Selection:
        """The valid choices; the default where a choice was wrong."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        scale = data.get("schaal") or fx.EFFECT_SCALES[0]
        comparison = data.get("vergelijking") or next(iter(fx.COMPARISONS))
        period = None
        if not ({"van", "tot"} & set(self.errors) or self.errors.get("__all__")):
            first, last = data.get("van"), data.get("tot")
            if first is not None or last is not None:
                period = Period(
                    first or dt.date(EARLIEST_YEAR, 1, 1),
                    month_end(last) if last is not None else self.today,
                )
        return Selection(scale, comparison, period)


# --- formatting -----------------------------------------------------------------------------------


def _fmt(value: float, digits: int) -> str:
    """Rounded, in the user's notation (Django's number_format cuts off instead of rounding)."""
    return number_format(round(value, digits) + 0.0, digits)


def _number(value: float | None, digits: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    text = _fmt(abs(value), digits)
    if value < 0 and any(ch in "123456789" for ch in text):
        return f"−{text}"
    return text


def _signed(value: float | None, digits: int = 1) -> str:
    """'+1,2', '−0,7' or '0,0': the sign as shown, so a rounded zero has none."""
    if value is None or not math.isfinite(value):
        return "—"
    text = _fmt(abs(value), digits)
    if not any(ch in "123456789" for ch in text):
        return text
    return f"+{text}" if value > 0 else f"−{text}"


def _interval(low: float | None, high: float | None, digits: int = 1) -> str:
    if low is None or high is None:
        return ""
    return _("%(low)s tot %(high)s") % {"low": _signed(low, digits), "high": _signed(high, digits)}


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 0.001:
        return "< " + _fmt(0.001, 3)
    return _fmt(value, 3)


def _p_text(value: float | None) -> str:
    """'p < 0,001' or 'p = 0,012', for running text."""
    if value is None:
        return "—"
    text = _p(value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def _percent(share: float) -> str:
    return f"{_fmt(share * 100, 0)}%"


def _csv_number(value: float | None, digits: int) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return _fmt(value, digits)


def _safe(text: str) -> str:
    """Keep a spreadsheet from reading a text cell as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _direction_text(summary: EffectSummary) -> str:
    change = summary.change
    if change is None:
        return ""
    if change.ci_low is not None and change.ci_high is not None:
        if change.ci_high < 0:
            return _("Gemiddeld minder eenzaam: de hele marge ligt onder nul.")
        if change.ci_low > 0:
            return _("Gemiddeld meer eenzaam: de hele marge ligt boven nul.")
        return _("Geen duidelijke verandering: de marge loopt over nul heen.")
    if change.mean < 0:
        return _("Gemiddeld minder eenzaam.")
    if change.mean > 0:
        return _("Gemiddeld meer eenzaam.")
    return _("Gemiddeld geen verandering.")


@dataclass(frozen=True)
class EffectRow:
    """One intervention, formatted for the table (no per-participant data)."""

    effect: fx.InterventionEffect
    detail_url: str
    n: int
    started: int
    enough: bool
    reason: str
    tests_shown: bool
    mean_before: str = ""
    mean_after: str = ""
    change: str = ""
    change_ci: str = ""
    direction: str = ""
    wilcoxon_p: str = ""
    t_p: str = ""
    wilcoxon_p_text: str = ""
    t_p_text: str = ""
    effect_size: str = ""
    effect_size_ci: str = ""
    lonely: str = ""
    lonely_p: str = ""
    lonely_p_text: str = ""
    rci_improved: str = ""
    rci_unchanged: str = ""
    rci_worse: str = ""

    @property
    def name(self) -> str:
        return self.effect.service_name

    @property
    def provider(self) -> str:
        return self.effect.provider_name


def effect_row(effect: fx.InterventionEffect, query: str) -> EffectRow:
    summary = effect.summary
    url = reverse("effects_detail", args=[effect.service_id])
    url = f"{url}?{query}" if query else url
    base: dict[str, Any] = {
        "effect": effect,
        "detail_url": url,
        "n": summary.n,
        "started": effect.started,
        "enough": summary.enough_data,
        "reason": summary.reason or "",
        "tests_shown": summary.enough_data and summary.n >= FEW_FOR_TESTS_N,
    }
    if not summary.enough_data or summary.change is None:
        return EffectRow(**base)
    change = summary.change
    values: dict[str, Any] = {
        "mean_before": _number(summary.mean_before),
        "mean_after": _number(summary.mean_after),
        "change": _signed(change.mean),
        "change_ci": _interval(change.ci_low, change.ci_high),
        "direction": _direction_text(summary),
    }
    if base["tests_shown"]:
        wilcoxon_p = summary.wilcoxon.p_value if summary.wilcoxon else None
        t_p = summary.t_test.p_value if summary.t_test else None
        values["wilcoxon_p"], values["wilcoxon_p_text"] = _p(wilcoxon_p), _p_text(wilcoxon_p)
        values["t_p"], values["t_p_text"] = _p(t_p), _p_text(t_p)
    if summary.effect_size is not None:
        values["effect_size"] = _signed(summary.effect_size.d_z, 2)
        values["effect_size_ci"] = _interval(
            summary.effect_size.ci_low, summary.effect_size.ci_high, 2
        )
    if summary.lonely is not None:
        values["lonely"] = f"{_percent(summary.lonely.share_before)} → " + _percent(
            summary.lonely.share_after
        )
        if base["tests_shown"]:
            values["lonely_p"] = _p(summary.lonely.p_value)
            values["lonely_p_text"] = _p_text(summary.lonely.p_value)
    rci = summary.reliable_change
    if rci is not None:
        values["rci_improved"] = _percent(rci.share_improved)
        values["rci_unchanged"] = _percent(rci.share_unchanged)
        values["rci_worse"] = _percent(rci.share_worse)
    return EffectRow(**base, **values)


# --- the forest plot (SVG, drawn here so the page needs no script) ------------------------------

PLOT_WIDTH = 760
PLOT_LABEL_WIDTH = 270
PLOT_RIGHT = 24
PLOT_ROW = 30
PLOT_TOP = 12
PLOT_AXIS = 58
LABEL_CHARS = 34
# More rows than this make the figure too tall to read; then it shows the interventions with
# the most participants (the table always has all of them).
PLOT_MAX_ROWS = 40
# At most this many steps between the ticks of the axis (core.scale.nice_scale).
PLOT_MAX_STEPS = 8


@dataclass(frozen=True)
class ForestRow:
    label: str
    title: str
    y: str
    x_mean: str
    x_low: str | None
    x_high: str | None


@dataclass(frozen=True)
class ForestTick:
    x: str
    label: str


@dataclass(frozen=True)
class ForestPlot:
    width: int
    height: int
    rows: list[ForestRow]
    ticks: list[ForestTick]
    zero_x: str
    plot_left: int
    plot_right: int
    axis_y: int
    caption_y: int
    description: str
    limited: bool


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def _tick_label(value: float) -> str:
    return _signed(value, 2 if value != round(value, 1) else 1)


def forest_plot(rows: Sequence[EffectRow]) -> ForestPlot | None:
    """Mean change with its 95% margin per intervention; None when no intervention has figures."""
    with_figures = [r for r in rows if r.enough and r.effect.summary.change is not None]
    if not with_figures:
        return None
    largest = sorted(with_figures, key=lambda r: -r.n)[:PLOT_MAX_ROWS]
    keep = {id(r) for r in largest}
    shown = [r for r in with_figures if id(r) in keep]
    values = [0.0]
    for row in shown:
        change = row.effect.summary.change
        assert change is not None
        values.append(change.mean)
        if change.ci_low is not None and change.ci_high is not None:
            values += [change.ci_low, change.ci_high]
    low, high = min(values), max(values)
    if high - low < 1.0:
        middle = (high + low) / 2
        low, high = min(low, middle - 0.5), max(high, middle + 0.5)
    padding = (high - low) * 0.05
    # The axis runs from the first tick to the last, round numbers around the padded data.
    ticks = nice_scale(low - padding, high + padding, max_steps=PLOT_MAX_STEPS)
    low, high = ticks[0], ticks[-1]
    left = PLOT_LABEL_WIDTH + 10
    right = PLOT_WIDTH - PLOT_RIGHT

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    plot_rows = []
    for index, row in enumerate(shown):
        change = row.effect.summary.change
        assert change is not None
        label = row.name if len(row.name) <= LABEL_CHARS else row.name[: LABEL_CHARS - 1] + "…"
        has_ci = change.ci_low is not None and change.ci_high is not None
        title = _("%(name)s: %(change)s punten") % {"name": row.name, "change": row.change}
        if has_ci:
            title += " " + _("(95%%-marge %(ci)s), %(n)d deelnemers") % {
                "ci": row.change_ci,
                "n": row.n,
            }
        else:
            title += " " + _("(geen marge), %(n)d deelnemers") % {"n": row.n}
        plot_rows.append(
            ForestRow(
                label=label,
                title=title,
                y=_coordinate(PLOT_TOP + PLOT_ROW * index + PLOT_ROW / 2),
                x_mean=_coordinate(x(change.mean)),
                x_low=_coordinate(x(change.ci_low)) if change.ci_low is not None else None,
                x_high=_coordinate(x(change.ci_high)) if change.ci_high is not None else None,
            )
        )
    axis_y = PLOT_TOP + PLOT_ROW * len(shown) + 4
    description = ngettext(
        "Eén activiteit. Per activiteit een stip voor de gemiddelde verandering in punten "
        "en een lijn voor de 95%%-marge. Links van de nullijn: minder eenzaam. De tabel "
        "hieronder geeft dezelfde cijfers.",
        "%(count)d activiteiten. Per activiteit een stip voor de gemiddelde verandering in "
        "punten en een lijn voor de 95%%-marge. Links van de nullijn: minder eenzaam. De "
        "tabel hieronder geeft dezelfde cijfers.",
        len(shown),
    ) % {"count": len(shown)}
    if len(shown) < len(with_figures):
        description += " " + _(
            "De figuur toont de %(shown)d activiteiten met de meeste deelnemers; de tabel toont "
            "alle %(total)d."
        ) % {"shown": len(shown), "total": len(with_figures)}
    return ForestPlot(
        width=PLOT_WIDTH,
        height=axis_y + PLOT_AXIS,
        rows=plot_rows,
        ticks=[ForestTick(_coordinate(x(t)), _tick_label(t)) for t in ticks],
        zero_x=_coordinate(x(0.0)),
        plot_left=left,
        plot_right=right,
        axis_y=axis_y,
        caption_y=axis_y + 44,
        description=description,
        limited=len(shown) < len(with_figures),
    )


# --- views ----------------------------------------------------------------------------------------


def _selection(request: HttpRequest) -> tuple[EffectFilterForm, Selection]:
    form = EffectFilterForm(request.GET)
    return form, form.selection()


def _audit_details(selection: Selection, **extra: Any) -> dict[str, Any]:
    return {
        "scale": selection.scale,
        "comparison": selection.comparison,
        "period": ""
        if selection.period is None
        else f"{selection.period.first:%Y-%m}/{selection.period.last:%Y-%m}",
        **extra,
    }


@require_GET
@_effects_access
def overview(request: HttpRequest, scope: set[int] | None) -> HttpResponse:
    form, selection = _selection(request)
    found = fx.intervention_effects(
        selection.scale, selection.compare, selection.period, organisation_ids=scope
    )
    if request.GET.get("format") == "csv":
        return _csv(request, selection, found, scoped=scope is not None)
    query = selection.query()
    rows = [effect_row(effect, query) for effect in found]
    rules = fx.scale_rules(selection.scale)
    return render(
        request,
        "measurement/effects/overview.html",
        {
            "form": form,
            "selection": selection,
            "filter_lines": selection.describe(),
            "filtered": bool(request.GET),
            "rows": rows,
            "with_figures": sum(1 for r in rows if r.enough),
            "plot": forest_plot(rows),
            "scoped": scope is not None,
            "csv_url": f"{reverse('effects_overview')}?{query}&format=csv",
            "rules": rules,
            "warning": before_after_warning(),
            "few_for_tests": FEW_FOR_TESTS_N,
            "lonely_from": _number(rules.lonely_cutoff, 0) if rules.lonely_cutoff else "",
        },
    )


CSV_HEADER = (
    gettext_lazy("aanbod"),
    gettext_lazy("aanbieder"),
    gettext_lazy("vragenlijst"),
    gettext_lazy("eerste meting"),
    gettext_lazy("tweede meting"),
    gettext_lazy("begonnen vanaf"),
    gettext_lazy("begonnen tot en met"),
    gettext_lazy("deelnemers met eerste meting"),
    gettext_lazy("deelnemers met beide metingen"),
    gettext_lazy("gemiddelde eerste meting"),
    gettext_lazy("gemiddelde tweede meting"),
    gettext_lazy("gemiddelde verandering"),
    gettext_lazy("marge 95% ondergrens"),
    gettext_lazy("marge 95% bovengrens"),
    gettext_lazy("mediaan verandering"),
    gettext_lazy("wilcoxon p"),
    gettext_lazy("t"),
    gettext_lazy("vrijheidsgraden"),
    gettext_lazy("t-toets p"),
    gettext_lazy("effectgrootte d_z"),
    gettext_lazy("d_z 95% ondergrens"),
    gettext_lazy("d_z 95% bovengrens"),
    gettext_lazy("hedges g_z"),
    gettext_lazy("eenzaam eerste meting %"),
    gettext_lazy("eenzaam tweede meting %"),
    gettext_lazy("mcnemar p"),
    gettext_lazy("betrouwbaar beter %"),
    gettext_lazy("gelijk gebleven %"),
    gettext_lazy("betrouwbaar slechter %"),
    gettext_lazy("opmerking"),
)


def csv_line(effect: fx.InterventionEffect, selection: Selection) -> list[str]:
    summary = effect.summary
    first, second = effect.compare
    period = selection.period
    line = [
        _safe(effect.service_name),
        _safe(effect.provider_name),
        str(SCALE_LABELS[effect.scale]),
        str(MOMENT_LABELS[first]),
        str(MOMENT_LABELS[second]),
        "" if period is None else period.first.isoformat(),
        "" if period is None else period.last.isoformat(),
        str(effect.started),
        str(summary.n),
    ]
    blanks = len(CSV_HEADER) - len(line) - 1
    if not summary.enough_data or summary.change is None:
        return [*line, *[""] * blanks, _safe(summary.reason or "")]
    tests = summary.n >= FEW_FOR_TESTS_N
    change, size, lonely, rci = (
        summary.change,
        summary.effect_size,
        summary.lonely,
        summary.reliable_change,
    )
    wilcoxon_p = summary.wilcoxon.p_value if summary.wilcoxon else None
    t_test = summary.t_test
    line += [
        _csv_number(summary.mean_before, 2),
        _csv_number(summary.mean_after, 2),
        _csv_number(change.mean, 2),
        _csv_number(change.ci_low, 2),
        _csv_number(change.ci_high, 2),
        _csv_number(change.median, 2),
        _csv_number(wilcoxon_p, 4) if tests else "",
        _csv_number(t_test.t, 3) if t_test else "",
        str(t_test.df) if t_test else "",
        _csv_number(t_test.p_value, 4) if t_test and tests else "",
        _csv_number(size.d_z, 3) if size else "",
        _csv_number(size.ci_low, 3) if size else "",
        _csv_number(size.ci_high, 3) if size else "",
        _csv_number(size.hedges_g_z, 3) if size else "",
        _csv_number(lonely.share_before * 100, 1) if lonely else "",
        _csv_number(lonely.share_after * 100, 1) if lonely else "",
        _csv_number(lonely.p_value, 4) if lonely and tests else "",
        _csv_number(rci.share_improved * 100, 1) if rci else "",
        _csv_number(rci.share_unchanged * 100, 1) if rci else "",
        _csv_number(rci.share_worse * 100, 1) if rci else "",
    ]
    notes = [note.text for note in summary.notes]
    if not tests:
        notes.insert(
            0,
            _("Minder dan %(limit)d deelnemers: geen p-waarden.") % {"limit": FEW_FOR_TESTS_N},
        )
    line.append(_safe(" ".join(notes)))
    return line


def _csv(
    request: HttpRequest,
    selection: Selection,
    found: list[fx.InterventionEffect],
    *,
    scoped: bool,
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"omzien-effecten-{selection.scale}-{selection.comparison}"
    if selection.period is not None:
        name += f"-{selection.period.first:%Y-%m}-{selection.period.last:%Y-%m}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    # A byte order mark and semicolons: Excel with Dutch settings opens it as it should.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(label) for label in CSV_HEADER])
    for effect in found:
        writer.writerow(csv_line(effect, selection))
    writer.writerow([])
    for label, value in selection.describe():
        writer.writerow([_safe(f"{label}: {value}")])
    writer.writerow([_safe(before_after_warning())])
    record_event(
        "effects.export",
        request=request,
        object_type="measurement.measurement",
        details=_audit_details(
            selection,
            format="csv",
            services=len(found),
            scoped=scoped,
        ),
    )
    return response


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: str
    width: str
    colour: str
    y: int


BAR_COLOURS = {"improved": "#1b7837", "unchanged": "#8c8c8c", "worse": "#b2182b"}
BAR_MAX = 300
BAR_STEP = 72


def _rci_bars(summary: EffectSummary) -> list[Bar]:
    rci = summary.reliable_change
    if rci is None:
        return []
    parts = [
        ("improved", _("Betrouwbaar minder eenzaam"), rci.improved, rci.share_improved),
        ("unchanged", _("Geen betrouwbare verandering"), rci.unchanged, rci.share_unchanged),
        ("worse", _("Betrouwbaar meer eenzaam"), rci.worse, rci.share_worse),
    ]
    return [
        Bar(
            label=label,
            count=count,
            share=_percent(share),
            width=_coordinate(share * BAR_MAX),
            colour=BAR_COLOURS[key],
            y=index * BAR_STEP,
        )
        for index, (key, label, count, share) in enumerate(parts)
    ]


@require_GET
@_effects_access
def detail(request: HttpRequest, scope: set[int] | None, service_id: uuid.UUID) -> HttpResponse:
    service = Service.objects.select_related("organization").filter(pk=service_id).first()
    if service is None:
        raise Http404
    measured = _scoped(Measurement.objects.filter(service=service), request)
    if scope is not None and not measured.exists():
        raise Http404  # not one of the user's own interventions: say nothing about it
    form, selection = _selection(request)
    found = fx.intervention_effects(
        selection.scale,
        selection.compare,
        selection.period,
        organisation_ids=scope,
        service_ids=[service.pk],
    )
    effect = found[0] if found else None
    row = effect_row(effect, selection.query()) if effect is not None else None
    summary = effect.summary if effect is not None else None
    stories = list(
        _scoped(Story.objects.filter(service=service, may_publish=True), request)
        .order_by("-told_on", "pk")
        .values("author", "text", "told_on")[:MAX_STORIES]
    )
    rules = fx.scale_rules(selection.scale)
    rci = summary.reliable_change if summary is not None else None
    return render(
        request,
        "measurement/effects/detail.html",
        {
            "service": service,
            "form": form,
            "selection": selection,
            "filter_lines": selection.describe(),
            "row": row,
            "summary": summary,
            "notes": [note.text for note in summary.notes] if summary is not None else [],
            "warning": before_after_warning(summary.n if summary is not None else None),
            "bars": _rci_bars(summary) if summary is not None else [],
            "bar_max": BAR_MAX,
            "bars_height": BAR_STEP * 3,
            "rci": rci,
            "rci_threshold": _number(rci.threshold_points, 1) if rci is not None else "",
            "rci_reliability": _number(rci.reliability, 2) if rci is not None else "",
            "rci_sd": _number(rci.sd_before, 1) if rci is not None else "",
            "lonely_from": _number(rules.lonely_cutoff, 0) if rules.lonely_cutoff else "",
            "stories": [
                {
                    "author": dict(Story._meta.get_field("author").choices or []).get(
                        s["author"], ""
                    ),
                    "text": s["text"],
                    "told_on": s["told_on"],
                }
                for s in stories
            ],
            "scoped": scope is not None,
            "back_url": f"{reverse('effects_overview')}?{selection.query()}",
            "few_for_tests": FEW_FOR_TESTS_N,
        },
    )
