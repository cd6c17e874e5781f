"""The dashboard for policy officers and the alderman, its CSV downloads and the council report.

Only users with VIEW_AGGREGATES (policy officers) get in; everyone else gets 403, anonymous
visitors the login page. Every figure comes from `dashboard.build_sections`, aggregated and
protected there; these views only read the filters and render. The filters are GET parameters,
so a filtered page can be bookmarked and works without JavaScript. A filter that does not make
sense gives a clear message and the default for that filter, never an error page.

Downloads (CSV and PDF) are written to the audit log with the filters used (codes only).
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from omzien.accounts.permissions import requires
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.cases.models import AgeGroup
from omzien.core.forms import NldsFormMixin
from omzien.core.months import (
    MONTH_MESSAGE,
    add_months,
    month_start,
    months_between,
    parse_month,
)
from omzien.insight import dashboard
from omzien.insight.dashboard import AGE_UNKNOWN, MAX_MONTHS, Filters, Period

VIEW = Capability.VIEW_AGGREGATES


class DashboardFilterForm(NldsFormMixin, forms.Form):
    van = forms.CharField(
        label=gettext_lazy("Van maand"),
        required=False,
        max_length=10,
        error_messages={"max_length": MONTH_MESSAGE},
        help_text=gettext_lazy("Jaar en maand, bijvoorbeeld 2025-01."),
        widget=forms.TextInput(attrs={"type": "month", "inputmode": "numeric"}),
    )
    tot = forms.CharField(
        label=gettext_lazy("Tot en met maand"),
        required=False,
        max_length=10,
        error_messages={"max_length": MONTH_MESSAGE},
        help_text=gettext_lazy("Jaar en maand, bijvoorbeeld 2025-12."),
        widget=forms.TextInput(attrs={"type": "month", "inputmode": "numeric"}),
    )
    wijk = forms.ChoiceField(
        label=gettext_lazy("Wijk"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies een wijk uit de lijst.")},
    )
    leeftijd = forms.ChoiceField(
        label=gettext_lazy("Leeftijd"),
        required=False,
        help_text=gettext_lazy("Geldt voor de cijfers van het meldpunt en van deelnemers."),
        error_messages={"invalid_choice": gettext_lazy("Kies een leeftijd uit de lijst.")},
    )
    doelgroep = forms.ChoiceField(
        label=gettext_lazy("Doelgroep"),
        required=False,
        help_text=gettext_lazy("Geldt voor de cijfers over het aanbod."),
        error_messages={"invalid_choice": gettext_lazy("Kies een doelgroep uit de lijst.")},
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.districts = {d.code: d for d in dashboard.newest_districts()}
        self._set_choices(
            "wijk", [("", _("Hele gemeente"))] + [(c, d.name) for c, d in self.districts.items()]
        )
        ages: list[tuple[str, str]] = [("", _("Alle leeftijden"))]
        ages += [(str(code), str(label)) for code, label in AgeGroup.choices if code]
        ages.append((AGE_UNKNOWN, _("Onbekend")))
        self._set_choices("leeftijd", ages)
        self._set_choices(
            "doelgroep",
            [("", _("Alle doelgroepen"))]
            + [(code, _(name)) for code, name in dashboard.target_groups()],
        )
        self.style_widgets()

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_van(self) -> dt.date | None:
        return parse_month(self.cleaned_data.get("van", ""), self.today)

    def clean_tot(self) -> dt.date | None:
        return parse_month(self.cleaned_data.get("tot", ""), self.today)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("van"), cleaned.get("tot")
        if "van" in self.errors or "tot" in self.errors:
            return cleaned
        if first is not None and last is not None:
            if first > last:
                raise forms.ValidationError(
                    _("De maand 'van' ligt na de maand 'tot en met'. Draai ze om."),
                    code="order",
                )
            if months_between(first, last) > MAX_MONTHS:
                raise forms.ValidationError(
                    _("Kies een periode van hoogstens %(months)d maanden.")
                    % {"months": MAX_MONTHS},
                    code="too_long",
                )
        return cleaned

    def filters(self) -> Filters:
        """The filters to show: the valid choices, and the default where a choice was wrong."""
        valid = self.is_valid()
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        period = Period.default(self.today)
        if valid or not self.period_rejected:
            first, last = data.get("van"), data.get("tot")
            if first is not None and last is not None:
                period = Period(first, last)
            elif first is not None:
                period = Period(first, min(add_months(first, 11), month_start(self.today)))
            elif last is not None:
                period = Period(add_months(last, -11), last)
        district = self.districts.get(data.get("wijk") or "")
        age = data.get("leeftijd") or None
        if age == AGE_UNKNOWN:
            age = ""
        return Filters(period, district, age, data.get("doelgroep") or "")

    @property
    def period_rejected(self) -> bool:
        return bool({"van", "tot"} & set(self.errors) or self.errors.get("__all__"))


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, Filters]:
    form = DashboardFilterForm(request.GET)
    return form, form.filters()


def _audit_details(filters: Filters, **extra: str) -> dict[str, str]:
    return {
        "period": f"{filters.period.first:%Y-%m}/{filters.period.last:%Y-%m}",
        "district": filters.district.code if filters.district else "",
        "age_group": "" if filters.age_group is None else (filters.age_group or AGE_UNKNOWN),
        "target_group": filters.target_group,
        **extra,
    }


def _query(filters: Filters) -> str:
    """The filters as a query string, for the download links (always explicit)."""
    query = QueryDict(mutable=True)
    query["van"] = f"{filters.period.first:%Y-%m}"
    query["tot"] = f"{filters.period.last:%Y-%m}"
    if filters.district is not None:
        query["wijk"] = filters.district.code
    if filters.age_group is not None:
        query["leeftijd"] = filters.age_group or AGE_UNKNOWN
    if filters.target_group:
        query["doelgroep"] = filters.target_group
    return query.urlencode()


@requires(VIEW)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    sections = dashboard.build_sections(filters)
    return render(
        request,
        "insight/dashboard/home.html",
        {
            "form": form,
            "filters": filters,
            "filter_lines": filters.describe(),
            "filtered": bool(request.GET),
            "sections": [(section, section.charts()) for section in sections],
            "query": _query(filters),
            "suppression_rule": dashboard.suppression_rule(),
            "caveats": dashboard.caveats(),
            "period_rejected": form.period_rejected,
        },
    )


def _safe(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@requires(VIEW)
@require_GET
def table_csv(request: HttpRequest, key: str) -> HttpResponse:
    _form, filters = _filters(request)
    table = dashboard.find_table(filters, key)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"omzien-{key}-{filters.period.first:%Y-%m}-{filters.period.last:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # A byte order mark and semicolons: Excel with Dutch settings opens it as it should.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    for line in table.csv_rows():
        writer.writerow([_safe(cell) for cell in line])
    writer.writerow([])
    writer.writerow([_safe(table.title)])
    for label, value in filters.describe():
        writer.writerow([_safe(f"{label}: {value}")])
    for note in [*table.notes, dashboard.suppression_rule()]:
        writer.writerow([_safe(note)])
    record_event(
        "dashboard.export",
        request=request,
        details=_audit_details(filters, format="csv", table=key),
    )
    return response


@requires(VIEW)
@require_GET
def council_report(request: HttpRequest) -> HttpResponse:
    # A heavy import (fpdf2 and its font tools), loaded only when someone asks for the PDF.
    from omzien.insight.report import render_report

    _form, filters = _filters(request)
    content = render_report(filters)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"raadsrapportage-{filters.period.first:%Y-%m}-{filters.period.last:%Y-%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    record_event("dashboard.export", request=request, details=_audit_details(filters, format="pdf"))
    return response
