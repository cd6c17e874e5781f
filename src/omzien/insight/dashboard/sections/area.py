"""(h) Neighbourhood figures: loneliness according to the health monitor."""

from __future__ import annotations

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from omzien.insight.dashboard.disclosure import Cell, Row, Section, Table
from omzien.insight.dashboard.period import Filters
from omzien.insight.models import AreaFigure, AreaLevel

# The RIVM health monitor's loneliness indicators, as the area-figure importer stores them.
AREA_SOURCE = "rivm_50120"
AREA_INDICATORS = ("lonely", "severely_lonely")


def area_section(filters: Filters, areas_url: str) -> Section:
    figures = AreaFigure.objects.filter(source=AREA_SOURCE, indicator__in=AREA_INDICATORS)
    period = figures.order_by("-period").values_list("period", flat=True).first()
    labels = {
        "lonely": _("Eenzaam (score 3 of hoger), 18 jaar en ouder"),
        "severely_lonely": _(
            "Ernstig of zeer ernstig eenzaam (score 9 of hoger), 18 jaar en ouder"
        ),
    }
    columns = [settings.OMZIEN_MUNICIPALITY_NAME]
    if filters.district is not None:
        columns.append(filters.district.name)
    rows = []
    generated = False
    if period is not None:
        for indicator in AREA_INDICATORS:
            cells = []
            wanted = [(AreaLevel.MUNICIPALITY, settings.OMZIEN_MUNICIPALITY_CODE)]
            if filters.district is not None:
                wanted.append((AreaLevel.DISTRICT, filters.district.code))
            for level, code in wanted:
                figure = (
                    figures.filter(
                        indicator=indicator, period=period, area_level=level, area_code=code
                    )
                    .order_by("-area_year")
                    .first()
                )
                if figure is None or figure.value is None:
                    cells.append(Cell(_("onbekend")))
                else:
                    generated |= figure.is_generated
                    cells.append(Cell(f"{number_format(figure.value, 1)}%", figure.value))
            rows.append(Row(labels[indicator], cells))
    notes = [
        _(
            "Bron: Gezondheidsmonitor Volwassenen en Ouderen van GGD'en, CBS en RIVM "
            "(schattingen). Percentages van inwoners, geen tellingen van personen in Omzien."
        ),
    ]
    if generated:
        notes.insert(0, _("Let op: dit zijn gegenereerde demo-cijfers, geen echte cijfers."))
    table = Table(
        "wijkcijfers",
        _("Eenzaamheid volgens de Gezondheidsmonitor")
        + (f" {period}" if period is not None else ""),
        _("Percentage inwoners dat eenzaam is, in de gemeente en de gekozen wijk."),
        _("Cijfer"),
        columns,
        rows,
        notes=notes,
    )
    return Section(
        "wijkcijfers",
        _("Cijfers per wijk en buurt"),
        _("Hoe eenzaam inwoners zijn volgens de Gezondheidsmonitor, en wat de wijken kenmerkt."),
        _("Filter: wijk. De cijfers gaan over het jaar van de monitor, niet over de periode."),
        [table] if rows else [],
        link=(_("Alle cijfers per wijk en buurt, met kaart"), areas_url),
        note="" if rows else _("Er zijn nog geen cijfers van de Gezondheidsmonitor geladen."),
    )
