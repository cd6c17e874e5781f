"""Pages for policy officers under /dashboard/wijken/: loneliness per wijk and buurt (table,
SVG map, CSV) and the neighbourhood model. Only policy officers; figures of areas only."""

from __future__ import annotations

import csv
import io
import re
import sys
import types
from typing import Any

from django.test import Client
from django.urls import include, path

import pytest

from omzien import urls as root_urls
from omzien.accounts.models import User
from omzien.areas import demo as areas_demo
from omzien.areas.models import District
from omzien.audit.models import AuditEvent
from omzien.insight.area_figures import (
    MISSING_COLOUR,
    PALETTE,
    class_breaks,
    classify,
    demo_area_figures,
    project,
)
from omzien.insight.figures import SOURCE_RIVM, Figure, save_figures
from omzien.insight.models import AreaFigure

# Until the routes are part of the project's URLconf, mount them here the way the lead will.
urlpatterns = [
    path("dashboard/wijken/", include("omzien.insight.urls_areas")),
    *root_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

OVERVIEW = "/dashboard/wijken/"
CSV_URL = "/dashboard/wijken/download.csv"
MODEL = "/dashboard/wijken/model/"


@pytest.fixture
def helmond(db: None) -> None:
    areas_demo.load()
    demo_area_figures()


def get(client: Client, user: User | None, url: str) -> object:
    if user is not None:
        client.force_login(user)
    return client.get(url)


# --- who may see them ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [OVERVIEW, CSV_URL, MODEL])
def test_a_policy_officer_sees_the_pages(
    client: Client, policy_officer: User, helmond: None, url: str
) -> None:
    client.force_login(policy_officer)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [OVERVIEW, CSV_URL, MODEL])
@pytest.mark.parametrize("person", ["case_worker_a", "provider_editor", "outsider"])
def test_others_are_refused(
    client: Client, request: pytest.FixtureRequest, helmond: None, url: str, person: str
) -> None:
    client.force_login(request.getfixturevalue(person))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [OVERVIEW, CSV_URL, MODEL])
def test_anonymous_visitors_go_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the table and the map -----------------------------------------------------------------------


def test_the_table_shows_every_wijk_with_margins_period_and_classification(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    html = client.get(OVERVIEW).content.decode()
    binnenstad = AreaFigure.objects.get(
        source=SOURCE_RIVM, indicator="lonely", area_code="WK079410", period=2022
    )
    row = re.search(r"<tr>\s*<th scope=\"row\">Wijk 10 Binnenstad.*?</tr>", html, re.S)
    assert row is not None
    cells = row.group(0)
    assert f"{binnenstad.value:.1f}".replace(".", ",") + "%" in cells
    assert f"{binnenstad.margin_low:.1f}".replace(".", ",") + "%" in cells
    assert f"{binnenstad.margin_high:.1f}".replace(".", ",") + "%" in cells
    assert "<td>2022</td>" in cells and "<td>2023</td>" in cells
    assert html.count('<th scope="row">Wijk ') == 12
    assert "Heel Helmond" in html
    assert "50120NED" in html  # the source line


def test_demo_figures_are_clearly_marked(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    html = client.get(OVERVIEW).content.decode()
    assert "Gegenereerde demo-cijfers" in html


def test_imported_figures_carry_no_demo_mark(client: Client, policy_officer: User) -> None:
    areas_demo.load()
    save_figures(
        [
            Figure(
                SOURCE_RIVM, "lonely", code, "district", 2023, 2022, 40.0 + i, 38.0, 45.0, "percent"
            )
            for i, code in enumerate(District.objects.values_list("code", flat=True))
        ]
    )
    client.force_login(policy_officer)
    html = client.get(OVERVIEW).content.decode()
    assert "Gegenereerde demo-cijfers" not in html
    assert html.count('<th scope="row">Wijk ') == 12


def test_the_map_has_one_path_with_a_title_per_wijk(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    html = client.get(OVERVIEW).content.decode()
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, re.S)
    assert svg is not None
    paths = re.findall(
        r"<path d=\"M[^\"]+\"[^>]*data-code=\"(WK\d{6})\"><title>([^<]+)</title>", svg.group(0)
    )
    assert sorted(code for code, _ in paths) == sorted(
        District.objects.values_list("code", flat=True)
    )
    titles = dict(paths)
    assert titles["WK079410"].startswith("Wijk 10 Binnenstad: ")
    assert "%" in titles["WK079410"]
    assert "<script" not in html.split("</head>", 1)[1]
    assert 'style="' not in html


def test_the_map_uses_five_classes_with_a_legend(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    html = client.get(OVERVIEW).content.decode()
    fills = set(re.findall(r"<path d=\"[^\"]+\" fill=\"(#[0-9a-f]{6})\"", html))
    assert fills - {MISSING_COLOUR} == set(PALETTE)
    legend = re.search(r"<ul class=\"omzien-areas__legend\">(.*?)</ul>", html, re.S)
    assert legend is not None
    assert legend.group(1).count("<li>") == 5 + 1
    # Industriegebied Zuid has too few residents for an estimate: grey, and said so.
    assert "Wijk 29 Industriegebied Zuid: geen cijfer" in html
    assert "geen cijfer</li>" in legend.group(1)


def test_the_buurt_level_shows_every_buurt_and_explains_the_missing_map(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    html = client.get(OVERVIEW + "?niveau=buurt").content.decode()
    assert html.count('<th scope="row">') == 44 + 1  # buurten and the municipality
    assert "Geen kaart" in html
    assert "onbekend" in html  # buurten with too few residents have no estimate


def test_the_65_plus_figures_can_be_chosen(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    html = client.get(OVERVIEW + "?leeftijd=65%2B&indicator=severely_lonely").content.decode()
    figure = AreaFigure.objects.get(
        indicator="severely_lonely_65_plus", area_code="WK079413", period=2022
    )
    assert f"{figure.value:.1f}".replace(".", ",") + "%" in html


def test_nonsense_parameters_fall_back_to_defaults(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    response = client.get(
        OVERVIEW + "?indicator=x&leeftijd=9&niveau=straat&periode=abc&gemeente=GM0"
    )
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">Wijk ') == 12


def test_without_figures_the_page_says_how_to_get_them(
    client: Client, policy_officer: User
) -> None:
    client.force_login(policy_officer)
    html = client.get(OVERVIEW).content.decode()
    assert "import-cbs" in html


def test_a_policy_officer_can_choose_another_municipality(
    client: Client, policy_officer: User, helmond: None
) -> None:
    save_figures(
        [Figure(SOURCE_RIVM, "lonely", "WK036301", "district", 2023, 2022, 51.5, 49.0, 54.0)]
    )
    client.force_login(policy_officer)
    html = client.get(OVERVIEW).content.decode()
    assert '<option value="GM0363"' in html and '<option value="GM0794" selected' in html
    other = client.get(OVERVIEW + "?gemeente=GM0363").content.decode()
    assert "51,5%" in other
    assert "Wijk 10 Binnenstad" not in other


def test_links_work_when_the_routes_live_in_a_namespace(
    client: Client,
    policy_officer: User,
    helmond: None,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("tests_measurement_areas_namespaced_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path(
            "dashboard/wijken/",
            include(("omzien.insight.urls_areas", "measurement"), namespace="measurement"),
        ),
        *root_urls.urlpatterns,
    ]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    settings.ROOT_URLCONF = module.__name__
    client.force_login(policy_officer)
    html = client.get(OVERVIEW).content.decode()
    assert 'href="/dashboard/wijken/download.csv?gemeente=GM0794' in html
    assert 'href="/dashboard/wijken/model/?gemeente=GM0794' in html


# --- CSV -----------------------------------------------------------------------------------------


def test_the_csv_has_the_table_with_margins_and_the_demo_mark(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    response = client.get(CSV_URL + "?niveau=wijk")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["gemeente", "niveau", "code", "naam"]
    assert len(body) == 12 + 1
    binnenstad = next(r for r in body if r[2] == "WK079410")
    figure = AreaFigure.objects.get(
        source=SOURCE_RIVM, indicator="lonely", area_code="WK079410", period=2022
    )
    assert binnenstad[3] == "Wijk 10 Binnenstad"
    assert binnenstad[8] == f"{figure.value:.1f}".replace(".", ",")
    assert binnenstad[9] == f"{figure.margin_low:.1f}".replace(".", ",")
    assert binnenstad[header.index("gegenereerde demo-cijfers")] == "ja"
    assert body[-1][1] == "Gemeente"


def test_the_csv_download_is_in_the_audit_log(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    client.get(CSV_URL + "?niveau=buurt")
    event = AuditEvent.objects.get(action="area_figures.export")
    assert event.actor == policy_officer
    assert event.details["level"] == "neighbourhood"
    assert event.details["rows"] == 44


def test_a_name_like_a_formula_is_made_harmless_in_the_csv(
    client: Client, policy_officer: User, helmond: None
) -> None:
    District.objects.filter(code="WK079411").update(name="=HYPERLINK(1)")
    client.force_login(policy_officer)
    text = client.get(CSV_URL).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


# --- the model page ------------------------------------------------------------------------------


def test_the_model_page_shows_weights_errors_and_predictions(
    client: Client, policy_officer: User, helmond: None
) -> None:
    client.force_login(policy_officer)
    html = client.get(MODEL).content.decode()
    assert "Alleen over buurten, nooit over personen." in html
    assert "Gemiddelde fout als je het gemiddelde gokt" in html
    assert "Aandeel eenpersoonshuishoudens" in html
    bars = re.findall(r"<g>\s*<title>([^<]+)</title>\s*<rect", html)
    assert len(bars) >= 4
    assert all("procentpunt per standaardafwijking" in title for title in bars)
    # SVG coordinates are plain numbers, never localised with a decimal comma.
    chart = re.search(r"<svg[^>]*aria-labelledby=\"weights-title.*?</svg>", html, re.S)
    assert chart is not None
    coordinates = re.findall(r" (?:x|y|x1|x2|y1|y2|width|height)=\"([^\"]*)\"", chart.group(0))
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coordinates)
    n = AreaFigure.objects.filter(
        source=SOURCE_RIVM, indicator="lonely", area_level="neighbourhood", value__isnull=False
    ).count()
    predictions = re.search(r"id=\"predictions-caption\".*?</table>", html, re.S)
    assert predictions is not None
    assert predictions.group(0).count('<th scope="row">') == n
    assert "Samenhang is geen oorzaak" in html
    assert "ecologische drogreden" in html
    assert "Gegenereerde demo-cijfers" in html


def test_with_too_few_buurten_the_model_page_says_so(
    client: Client, policy_officer: User, helmond: None
) -> None:
    keep = list(
        AreaFigure.objects.filter(area_level="neighbourhood", indicator="lonely")
        .order_by("area_code")
        .values_list("area_code", flat=True)[:8]
    )
    AreaFigure.objects.filter(area_level="neighbourhood", indicator="lonely").exclude(
        area_code__in=keep
    ).delete()
    client.force_login(policy_officer)
    html = client.get(MODEL).content.decode()
    assert "minstens 10 nodig" in html
    assert "<rect" not in html


# --- the pure map helpers ------------------------------------------------------------------------


def test_quantile_classes_spread_the_areas_over_five_colours() -> None:
    values = [float(v) for v in range(40, 52)]
    indexes, colours, ranges = classify(values)
    assert len(colours) == 5
    assert indexes == sorted(indexes)
    assert ranges[0][0] == 40.0 and ranges[-1][1] == 51.0
    assert class_breaks([3.0, 3.0, 3.0]) == []
    assert classify([3.0, 3.0])[1] == [classify([3.0, 3.0])[1][0]]


def test_the_projection_keeps_north_up_and_fits_the_width() -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[5.6, 51.5], [5.7, 51.5], [5.7, 51.4], [5.6, 51.4], [5.6, 51.5]]],
    }
    paths, height = project({"WK079410": square}, width=600, padding=0)
    points = [
        tuple(map(float, p.split(","))) for p in re.findall(r"[\d.]+,[\d.]+", paths["WK079410"])
    ]
    assert max(x for x, _ in points) == pytest.approx(600, abs=0.2)
    # At 51.45° a degree of longitude is about 0.62 of a degree of latitude.
    assert height == pytest.approx(600 / 0.623, rel=0.01)
    assert points[0][1] == pytest.approx(0.0)  # 51.5 N is at the top
