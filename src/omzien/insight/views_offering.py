"""Pages on the offering for policy officers: white spots and overlap per district and persona,
each exportable as a list to act on (`?format=csv`), and the personas themselves.

Only services and area figures are shown: no personal data. Looking needs
`Capability.VIEW_AGGREGATES`; keeping personas needs `Capability.MANAGE_PERSONAS`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from omzien.accounts.permissions import has_capability, requires
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.insight.forms_offering import (
    OverviewFilterForm,
    PersonaForm,
    WhiteSpotFilterForm,
)
from omzien.insight.models import Persona
from omzien.insight.personas import (
    create_persona,
    delete_persona,
    size_indicator_choices,
    update_persona,
    vocabulary_name,
    vocabulary_terms,
)
from omzien.insight.white_spots import (
    CHARACTERISTIC_KEYS,
    LONELINESS_INDICATOR,
    MUNICIPALITY_AREA,
    OVERLAP_MIN_SERVICES,
    OVERLAP_SIMILARITY,
    SIGNATURE_KEYS,
    STATUS_LABELS,
    Cell,
    Matrix,
    Offering,
    Status,
    analyse,
    districts_of,
    find_overlap,
    newest_year,
    suitable_services,
    term_labels,
)

# Spreadsheet programs run a cell that starts with one of these as a formula; provider texts
# end up in the exports, so such a cell gets a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The overlap page shows this many groups at a time, and of each group this many services
# (generated demo data has groups of hundreds); the CSV export has them all.
GROUPS_PER_PAGE = 20
SERVICES_SHOWN = 25


def _nav(request: HttpRequest, current: str) -> dict[str, Any]:
    return {
        "nav_current": current,
        "can_view_offering": has_capability(request.user, Capability.VIEW_AGGREGATES),
        "can_manage_personas": has_capability(request.user, Capability.MANAGE_PERSONAS),
    }


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format", "").lower() == "csv"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, float):
        # Dutch spreadsheets read a decimal comma (and ";" between columns).
        return f"{value:.1f}".replace(".", ",")
    text = str(value)
    if text.startswith(_FORMULA_START):
        return f"'{text}"
    return text


def _csv_response(
    request: HttpRequest, name: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell_text(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([_cell_text(v) for v in row])
        count += 1
    record_event("offering.export", request=request, details={"list": name, "rows": count})
    return response


def _filters(
    request: HttpRequest, form_class: type[OverviewFilterForm], **kwargs: Any
) -> tuple[OverviewFilterForm, list[Persona], dict[str, Any]]:
    """The bound filter form and its valid values (an invalid value is shown and ignored)."""
    personas = list(Persona.objects.order_by("name"))
    districts = districts_of(newest_year())
    form = form_class(request.GET or None, personas=personas, districts=districts, **kwargs)
    values: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return form, personas, values


def _matrix(personas: list[Persona], values: dict[str, Any]) -> Matrix:
    chosen = [p for p in personas if p.pk == values["persona"]] if "persona" in values else personas
    codes = [values["wijk"]] if "wijk" in values else None
    return analyse(personas=chosen, district_codes=codes)


def _figure_columns(cell: Cell) -> list[Any]:
    size_figure = cell.size_figure
    lonely = cell.lonely
    return [
        cell.persona.size_indicator,
        round(cell.size) if cell.size is not None else None,
        size_figure.period if size_figure else None,
        lonely.value if lonely else None,
        lonely.period if lonely else None,
        round(cell.estimated_lonely) if cell.estimated_lonely is not None else None,
        cell.has_generated_figures,
    ]


_FIGURE_HEADER = (
    "groepsgrootte_cijfer",
    "groepsgrootte",
    "groepsgrootte_jaar",
    "eenzaam_procent",
    "eenzaam_jaar",
    "geschat_aantal_eenzamen",
    "demo_cijfers",
)
_CELL_HEADER = (
    "wijkcode",
    "wijk",
    "persona",
    "status",
    "passend_aanbod",
    "in_de_wijk",
    "hele_gemeente",
    "landelijk",
    "aanbod_voor_iedereen",
)


def _cell_columns(cell: Cell) -> list[Any]:
    return [
        cell.district.code,
        cell.district.name,
        cell.persona.name,
        STATUS_LABELS[cell.status],
        cell.total,
        cell.local,
        cell.municipality,
        cell.national,
        cell.general,
    ]


@require_GET
@requires(Capability.VIEW_AGGREGATES)
def overview(request: HttpRequest) -> HttpResponse:
    form, personas, values = _filters(request, OverviewFilterForm)
    matrix = _matrix(personas, values)
    if _wants_csv(request):
        return _csv_response(
            request,
            "aanbod-per-wijk-en-persona",
            _CELL_HEADER + _FIGURE_HEADER,
            (
                _cell_columns(cell) + _figure_columns(cell)
                for _district, cells in matrix.rows()
                for cell in cells
            ),
        )
    cells = list(matrix.cells.values())
    lonely = {d.code: cells_[0].lonely if cells_ else None for d, cells_ in matrix.rows()}
    return render(
        request,
        "insight/offering/overview.html",
        {
            **_nav(request, "overview"),
            "form": form,
            "matrix": matrix,
            "rows": [(d, lonely.get(d.code), row) for d, row in matrix.rows()],
            "white_spot_count": sum(c.status == Status.WHITE_SPOT for c in cells),
            "national_only_count": sum(c.status == Status.NATIONAL_ONLY for c in cells),
            "has_personas": bool(personas),
            "csv_query": _csv_query(request),
        },
    )


@require_GET
@requires(Capability.VIEW_AGGREGATES)
def white_spots(request: HttpRequest) -> HttpResponse:
    form, personas, values = _filters(request, WhiteSpotFilterForm)
    matrix = _matrix(personas, values)
    only_white = values.get("soort") == WhiteSpotFilterForm.KIND_WHITE_SPOT
    found = matrix.white_spots(include_national_only=not only_white)
    if _wants_csv(request):
        return _csv_response(
            request,
            "witte-vlekken",
            ("volgorde", *_CELL_HEADER, *_FIGURE_HEADER),
            ([rank, *_cell_columns(c), *_figure_columns(c)] for rank, c in enumerate(found, 1)),
        )
    return render(
        request,
        "insight/offering/white_spots.html",
        {
            **_nav(request, "white_spots"),
            "form": form,
            "matrix": matrix,
            "white_spots": found,
            "has_personas": bool(personas),
            "csv_query": _csv_query(request),
            "loneliness_indicator": LONELINESS_INDICATOR,
            "size_labels": size_indicator_choices(),
        },
    )


@require_GET
@requires(Capability.VIEW_AGGREGATES)
def overlap(request: HttpRequest) -> HttpResponse:
    form, _personas, values = _filters(request, OverviewFilterForm, municipality_choice=True)
    del form.fields["persona"]
    area = values.get("wijk")
    if area == MUNICIPALITY_AREA:
        groups = find_overlap(district_codes=[])
    elif area:
        groups = find_overlap(district_codes=[area], include_municipality=False)
    else:
        groups = find_overlap()
    labels = term_labels()

    def describe(signature: dict[str, list[str]], key: str) -> str:
        return ", ".join(labels.get((key, code), code) for code in signature.get(key, []))

    if _wants_csv(request):
        # The export holds every group and every service: the list to act on.
        return _csv_response(
            request,
            "overlap",
            (
                "groep",
                "wijkcode",
                "wijk",
                "soort_steun",
                "doelgroep",
                "vorm",
                "dienst",
                "aanbieder",
                "bereik",
                "adres_op_de_kaart",
            ),
            (
                [
                    number,
                    "" if group.area_code == MUNICIPALITY_AREA else group.area_code,
                    group.area_name,
                    describe(group.signature, "support_kind"),
                    describe(group.signature, "target_group"),
                    describe(group.signature, "form"),
                    service.name,
                    service.organization,
                    service.scope_label,
                    request.build_absolute_uri(reverse("directory:service", args=[service.slug])),
                ]
                for number, group in enumerate(groups, 1)
                for service in group.services
            ),
        )
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "insight/offering/overlap.html",
        {
            **_nav(request, "overlap"),
            "form": form,
            "page": page,
            "first_number": page.start_index(),
            "groups": [
                (
                    group,
                    [
                        (vocabulary_name(key), describe(group.signature, key))
                        for key in SIGNATURE_KEYS
                    ],
                    group.services[:SERVICES_SHOWN],
                    max(group.size - SERVICES_SHOWN, 0),
                )
                for group in page.object_list
            ],
            "group_count": len(groups),
            "municipality_area": MUNICIPALITY_AREA,
            "min_services": OVERLAP_MIN_SERVICES,
            "similarity_percent": round(OVERLAP_SIMILARITY * 100),
            "csv_query": _csv_query(request),
        },
    )


@require_GET
@requires(Capability.VIEW_AGGREGATES)
def cell_detail(request: HttpRequest, district: str, persona_id: int) -> HttpResponse:
    persona = get_object_or_404(Persona, pk=persona_id)
    info = next((d for d in districts_of(newest_year()) if d.code == district), None)
    if info is None:
        raise Http404
    offering = Offering.load()
    matrix = analyse(personas=[persona], district_codes=[district], offering=offering)
    cell = matrix.cell(district, persona.pk)
    return render(
        request,
        "insight/offering/cell.html",
        {
            **_nav(request, "overview"),
            "cell": cell,
            "services": suitable_services(persona, district, offering),
        },
    )


def _csv_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    query["format"] = "csv"
    return query.urlencode()


# -- personas ------------------------------------------------------------------------------------


def _persona_rows(personas: Iterable[Persona]) -> list[dict[str, Any]]:
    labels = term_labels()
    sizes = size_indicator_choices()
    rows = []
    for persona in personas:
        characteristics = [
            (
                vocabulary_name(key),
                ", ".join(labels.get((key, c), c) for c in persona.characteristics.get(key, [])),
            )
            for key in CHARACTERISTIC_KEYS
            if (persona.characteristics or {}).get(key)
        ]
        rows.append(
            {
                "persona": persona,
                "target_groups": ", ".join(
                    labels.get(("target_group", c), c) for c in persona.target_groups or []
                ),
                "support_kinds": ", ".join(
                    labels.get(("support_kind", c), c) for c in persona.support_kinds or []
                ),
                "characteristics": characteristics,
                "size": sizes.get(persona.size_indicator, persona.size_indicator),
            }
        )
    return rows


@require_GET
@requires(Capability.MANAGE_PERSONAS)
def persona_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "insight/offering/personas.html",
        {
            **_nav(request, "personas"),
            "rows": _persona_rows(Persona.objects.order_by("name")),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_PERSONAS)
def persona_add(request: HttpRequest) -> HttpResponse:
    form = PersonaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            persona = create_persona(form.to_data(), request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("De persona %(name)s is opgeslagen.") % {"name": persona.name}
            )
            return redirect("offering_personas")
    return _persona_form(request, form, None)


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_PERSONAS)
def persona_edit(request: HttpRequest, persona_id: int) -> HttpResponse:
    persona = get_object_or_404(Persona, pk=persona_id)
    form = PersonaForm(request.POST or None, instance=persona)
    if request.method == "POST" and form.is_valid():
        try:
            update_persona(persona, form.to_data(), request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("De persona %(name)s is opgeslagen.") % {"name": persona.name}
            )
            return redirect("offering_personas")
    return _persona_form(request, form, persona)


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_PERSONAS)
def persona_delete(request: HttpRequest, persona_id: int) -> HttpResponse:
    persona = get_object_or_404(Persona, pk=persona_id)
    if request.method == "POST":
        name = persona.name
        delete_persona(persona, request=request)
        messages.success(request, _("De persona %(name)s is verwijderd.") % {"name": name})
        return redirect("offering_personas")
    return render(
        request,
        "insight/offering/persona_delete.html",
        {**_nav(request, "personas"), "persona": persona},
    )


def _add_errors(form: PersonaForm, error: ValidationError) -> None:
    # Checked in the form already; this catches a name taken in the meantime.
    for field_name, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(field_name if field_name in form.fields else None, message)


def _persona_form(request: HttpRequest, form: PersonaForm, persona: Persona | None) -> HttpResponse:
    return render(
        request,
        "insight/offering/persona_form.html",
        {
            **_nav(request, "personas"),
            "form": form,
            "persona": persona,
            "characteristic_fields": [form[name] for name in form.characteristic_fields],
            "has_terms": bool(vocabulary_terms("target_group")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
