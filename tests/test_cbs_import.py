"""`omzien import-cbs`: RIVM health monitor (50120NED) and CBS key figures per wijk and buurt,
read from recorded OData v3 responses (tests/fixtures/cbs) through a fake urllib; no network."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.management import CommandError, call_command

import pytest

from omzien.audit.models import AuditEvent
from omzien.insight.models import AreaFigure, AreaLevel
from omzien.interop import cbs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cbs"

pytestmark = pytest.mark.django_db


class FakeCbs:
    """Answers urllib requests from the recordings: <dataset>/<entity>.json, page 2 on $skip."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.overrides: dict[str, Path | Exception] = {}

    def __call__(self, request: urllib.request.Request, timeout: float | None = None) -> Any:
        url = request.full_url
        self.urls.append(url)
        parts = urlsplit(url)
        dataset, entity = parts.path.rstrip("/").split("/")[-2:]
        page = "-page2" if "$skip" in parse_qs(parts.query) else ""
        name = f"{dataset}/{entity}{page}"
        target = self.overrides.get(name, FIXTURES / dataset / f"{entity}{page}.json")
        if isinstance(target, Exception):
            raise target
        if not target.is_file():
            raise urllib.error.HTTPError(url, 404, "Not Found", None, None)  # type: ignore[arg-type]
        return io.BytesIO(target.read_bytes())


@pytest.fixture
def fake_cbs(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCbs]:
    fake = FakeCbs()
    monkeypatch.setattr(urllib.request, "urlopen", fake)
    yield fake


def run(**options: Any) -> str:
    out = io.StringIO()
    call_command("import_cbs", stdout=out, **options)
    return out.getvalue()


def figure(indicator: str, code: str, period: int, source: str = cbs.SOURCE_RIVM) -> AreaFigure:
    return AreaFigure.objects.get(source=source, indicator=indicator, area_code=code, period=period)


# --- RIVM 50120NED through the API ---------------------------------------------------------------


def test_it_imports_loneliness_with_the_95_percent_margins(fake_cbs: FakeCbs) -> None:
    output = run(dataset="50120NED", municipality="GM0794")

    lonely = figure("lonely", "BU07941000", 2022)
    assert (lonely.value, lonely.margin_low, lonely.margin_high) == (55.4, 49.2, 61.6)
    assert lonely.unit == "percent"
    assert lonely.area_level == AreaLevel.NEIGHBOURHOOD
    severe = figure("severely_lonely", "WK079410", 2020)
    assert (severe.value, severe.margin_low, severe.margin_high) == (16.5, 14.6, 18.4)
    assert figure("lonely", "GM0794", 2022).area_level == AreaLevel.MUNICIPALITY
    assert not figure("lonely", "GM0794", 2022).is_generated
    assert "Tabel 50120NED" in output and "lonely ← Eenzaam_27" in output


def test_it_keeps_the_classification_year_from_the_table(fake_cbs: FakeCbs) -> None:
    run(dataset="50120NED", municipality="GM0794")
    # DataProperties says MapYear 2022 for WijkenEnBuurten; the periods are 2020 and 2022.
    assert set(AreaFigure.objects.values_list("area_year", flat=True)) == {2022}
    assert set(AreaFigure.objects.values_list("period", flat=True)) == {2020, 2022}


def test_age_groups_become_separate_indicators(fake_cbs: FakeCbs) -> None:
    run(dataset="50120NED", municipality="GM0794")
    assert figure("lonely_65_plus", "BU07941000", 2022).value == 58.9
    assert figure("lonely", "BU07941000", 2022).value == 55.4


def test_a_suppressed_value_is_unknown_not_zero(fake_cbs: FakeCbs) -> None:
    run(dataset="50120NED", municipality="GM0794")
    suppressed = figure("socially_lonely_65_plus", "BU07941300", 2020)
    assert suppressed.value is None
    assert suppressed.margin_low is None


def test_it_skips_the_rows_for_the_whole_country(fake_cbs: FakeCbs) -> None:
    run(dataset="50120NED", municipality="GM0794")
    assert not AreaFigure.objects.filter(area_code__startswith="NL").exists()
    codes = set(AreaFigure.objects.values_list("area_code", flat=True))
    assert codes == {"GM0794", "WK079410", "WK079413", "BU07941000", "BU07941300"}


def test_it_asks_the_third_party_catalogue_for_one_municipality_and_follows_the_next_link(
    fake_cbs: FakeCbs,
) -> None:
    run(dataset="50120NED", municipality="GM0794")
    data_urls = [u for u in fake_cbs.urls if "/TypedDataSet" in u]
    assert all(u.startswith(cbs.THIRD_PARTY_ODATA_URL) for u in fake_cbs.urls)
    assert len(data_urls) == 2  # page 1, then odata.nextLink
    query = parse_qs(urlsplit(data_urls[0]).query)
    assert "startswith(WijkenEnBuurten,'BU0794')" in query["$filter"][0]
    assert "startswith(WijkenEnBuurten,'WK0794')" in query["$filter"][0]
    assert "$skip" in parse_qs(urlsplit(data_urls[1]).query)
    # Only the dimensions and the columns we read are asked for.
    select = query["$select"][0].split(",")
    assert {"WijkenEnBuurten", "Perioden", "Leeftijd", "Marges", "Eenzaam_27"} <= set(select)
    assert "Mantelzorger_31" not in select


def test_running_it_again_updates_and_never_duplicates(fake_cbs: FakeCbs) -> None:
    run(dataset="50120NED", municipality="GM0794")
    count = AreaFigure.objects.count()
    lonely = figure("lonely", "BU07941000", 2022)
    lonely.value = 1.0
    lonely.save(update_fields=["value"])

    output = run(dataset="50120NED", municipality="GM0794")

    assert AreaFigure.objects.count() == count
    assert figure("lonely", "BU07941000", 2022).value == 55.4
    assert "0 cijfers nieuw, 1 bijgewerkt" in output


def test_a_broken_second_page_imports_nothing(fake_cbs: FakeCbs) -> None:
    fake_cbs.overrides["50120NED/TypedDataSet-page2"] = (
        FIXTURES / "50120NED" / "TypedDataSet-page2-broken.json"
    )
    with pytest.raises(CommandError) as error:
        run(dataset="50120NED", municipality="GM0794")
    assert "Er is niets ingelezen" in str(error.value)
    assert "pagina 2" in str(error.value)
    assert AreaFigure.objects.count() == 0


def test_a_failed_import_leaves_earlier_figures_as_they_were(fake_cbs: FakeCbs) -> None:
    run(dataset="50120NED", municipality="GM0794")
    before = sorted(AreaFigure.objects.values_list("pk", "value", "margin_low", "imported_at"))
    fake_cbs.overrides["50120NED/TypedDataSet-page2"] = (
        FIXTURES / "50120NED" / "TypedDataSet-page2-broken.json"
    )
    with pytest.raises(CommandError):
        run(dataset="50120NED", municipality="GM0794")
    after = sorted(AreaFigure.objects.values_list("pk", "value", "margin_low", "imported_at"))
    assert after == before


def test_a_failure_while_writing_rolls_everything_back(
    fake_cbs: FakeCbs, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_bulk_update(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(AreaFigure.objects, "bulk_update", broken_bulk_update)
    with pytest.raises(RuntimeError):
        cbs.save_figures(
            [
                cbs.Figure("rivm_50120", "lonely", "BU07941000", "neighbourhood", 2022, 2022, 1.0),
            ]
        )
    assert AreaFigure.objects.count() == 0


def test_an_unknown_table_gives_a_clear_error(fake_cbs: FakeCbs) -> None:
    with pytest.raises(CommandError) as error:
        run(dataset="99999NED")
    assert "Tabel 99999NED bestaat niet" in str(error.value)
    assert AreaFigure.objects.count() == 0


def test_a_code_that_is_not_a_table_code_is_refused_before_any_request(
    fake_cbs: FakeCbs,
) -> None:
    with pytest.raises(CommandError) as error:
        run(dataset="eenzaamheid")
    assert "geen tabelcode" in str(error.value)
    assert fake_cbs.urls == []


def test_an_unreachable_api_gives_a_clear_error(fake_cbs: FakeCbs) -> None:
    fake_cbs.overrides["50120NED/DataProperties"] = urllib.error.URLError(
        "Name or service not known"
    )
    with pytest.raises(CommandError) as error:
        run(dataset="50120NED")
    assert "niet bereikbaar" in str(error.value)
    assert "--file" in str(error.value)


def test_a_table_without_the_expected_columns_names_the_missing_prefix(
    fake_cbs: FakeCbs, tmp_path: Path
) -> None:
    properties = json.loads((FIXTURES / "50120NED" / "DataProperties.json").read_text())
    properties["value"] = [p for p in properties["value"] if p["Key"] != "Eenzaam_27"]
    changed = tmp_path / "DataProperties.json"
    changed.write_text(json.dumps(properties))
    fake_cbs.overrides["50120NED/DataProperties"] = changed
    with pytest.raises(CommandError) as error:
        run(dataset="50120NED")
    assert "Eenzaam_" in str(error.value)
    assert "ErnstigZeerErnstigEenzaam_" not in str(error.value)
    assert AreaFigure.objects.count() == 0


def test_a_table_of_another_kind_names_every_missing_prefix(fake_cbs: FakeCbs) -> None:
    # The RIVM table asked for as if it were a KWB table: none of the KWB columns.
    fake_cbs.overrides["85618NED/DataProperties"] = FIXTURES / "50120NED" / "DataProperties.json"
    with pytest.raises(CommandError) as error:
        run(dataset="85618NED", base_url=cbs.DEFAULT_ODATA_URL)
    for prefix in ("AantalInwoners_", "k_65JaarOfOuder_", "Eenpersoonshuishoudens_"):
        assert prefix in str(error.value)


def test_the_import_is_written_to_the_audit_log(fake_cbs: FakeCbs) -> None:
    run(dataset="50120NED", municipality="GM0794")
    event = AuditEvent.objects.get(action="area_figures.import")
    assert event.details["dataset"] == "50120NED"
    assert event.details["created"] == AreaFigure.objects.count()


# --- CBS key figures: two years with different column numbers ------------------------------------


def test_it_resolves_columns_by_prefix_across_two_table_years(fake_cbs: FakeCbs) -> None:
    output_2021 = run(dataset="85039NED", municipality="GM0794")
    output_2023 = run(dataset="85618NED", municipality="GM0794")

    assert "households ← HuishoudensTotaal_28" in output_2021
    assert "households ← HuishoudensTotaal_29" in output_2023
    assert "single_person_households ← Eenpersoonshuishoudens_29" in output_2021
    assert "single_person_households ← Eenpersoonshuishoudens_30" in output_2023
    kwb = cbs.SOURCE_KWB
    assert figure("households", "BU07941000", 2021, kwb).value == 1507
    assert figure("households", "BU07941000", 2023, kwb).value == 1530
    assert figure("single_person_households", "WK079413", 2023, kwb).value == 1530
    # Each table keeps its own classification year.
    assert figure("residents", "GM0794", 2021, kwb).area_year == 2021
    assert figure("residents", "GM0794", 2023, kwb).area_year == 2023


def test_counts_also_give_shares_and_units_are_converted(fake_cbs: FakeCbs) -> None:
    run(dataset="85618NED", municipality="GM0794")
    kwb = cbs.SOURCE_KWB
    assert figure("share_65_plus", "BU07941300", 2023, kwb).value == pytest.approx(30.43)
    assert figure("share_single_person_households", "BU07941000", 2023, kwb).value == (
        pytest.approx(66.67)
    )
    income = figure("average_income_per_resident", "WK079410", 2023, kwb)
    assert (income.value, income.unit) == (24600.0, "euro")  # published as x 1 000 euro
    assert figure("population_density", "GM0794", 2023, kwb).unit == "per_km2"
    assert figure("share_households_social_minimum", "WK079410", 2023, kwb).value == 13.8
    assert figure("average_income_per_resident", "BU07941300", 2023, kwb).value is None


def test_origin_columns_follow_what_each_year_publishes(fake_cbs: FakeCbs) -> None:
    run(dataset="85039NED", municipality="GM0794")
    run(dataset="85618NED", municipality="GM0794")
    indicators_2021 = set(
        AreaFigure.objects.filter(period=2021).values_list("indicator", flat=True)
    )
    indicators_2023 = set(
        AreaFigure.objects.filter(period=2023).values_list("indicator", flat=True)
    )
    assert "share_non_western_migration" in indicators_2021
    assert "share_origin_outside_europe" not in indicators_2021
    assert "share_origin_outside_europe" in indicators_2023
    assert "share_non_western_migration" not in indicators_2023


# --- from files ----------------------------------------------------------------------------------


def test_it_reads_the_json_files_as_cbs_publishes_them(fake_cbs: FakeCbs) -> None:
    folder = FIXTURES / "50120NED"
    run(
        dataset="50120NED",
        files=[
            folder / "DataProperties.json",
            folder / "TypedDataSet.json",
            folder / "TypedDataSet-page2.json",
        ],
    )
    assert fake_cbs.urls == []
    lonely = figure("lonely", "BU07941000", 2022)
    assert (lonely.value, lonely.margin_low, lonely.margin_high) == (55.4, 49.2, 61.6)
    assert lonely.area_year == 2022


def test_a_csv_export_gives_the_same_figures_as_the_api(fake_cbs: FakeCbs) -> None:
    run(dataset="85618NED", municipality="GM0794")
    from_api = sorted(
        AreaFigure.objects.values_list("indicator", "area_code", "area_year", "period", "value")
    )
    AreaFigure.objects.all().delete()

    output = run(
        dataset="85618NED",
        municipality="GM0794",
        files=[FIXTURES / "85618NED" / "TypedDataSet.csv"],
    )

    from_file = sorted(
        AreaFigure.objects.values_list("indicator", "area_code", "area_year", "period", "value")
    )
    assert from_file == from_api
    assert "Geen DataProperties" in output


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        run(dataset="85618NED", files=[tmp_path / "weg.json"])
    assert "bestand niet gevonden" in str(error.value)


def test_the_municipality_option_limits_the_figures_read_from_files(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "85618NED" / "TypedDataSet.json").read_text())
    other = dict(document["value"][1], ID=99, WijkenEnBuurten="GM0363    ", Codering_3="GM0363")
    document["value"].append(other)
    data = tmp_path / "TypedDataSet.json"
    data.write_text(json.dumps(document))
    run(
        dataset="85618NED",
        municipality="GM0794",
        files=[FIXTURES / "85618NED" / "DataProperties.json", data],
    )
    assert not AreaFigure.objects.filter(area_code="GM0363").exists()
    assert AreaFigure.objects.filter(area_code="GM0794").exists()


def test_a_wrong_municipality_code_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        run(dataset="85618NED", municipality="Helmond")
    assert "geen gemeentecode" in str(error.value)


# --- the pure parts ------------------------------------------------------------------------------


def test_prefixes_match_whole_keys_only() -> None:
    keys = ["Eenzaam_27", "ErnstigZeerErnstigEenzaam_28", "EmotioneelEenzaam_29", "Eenzaam_x"]
    resolved = cbs.resolve_columns(keys, cbs.RIVM_COLUMNS, "50120NED")
    assert resolved == {
        "lonely": "Eenzaam_27",
        "severely_lonely": "ErnstigZeerErnstigEenzaam_28",
        "emotionally_lonely": "EmotioneelEenzaam_29",
    }


def test_two_columns_with_one_prefix_are_refused() -> None:
    keys = ["Eenzaam_27", "Eenzaam_31", "ErnstigZeerErnstigEenzaam_28"]
    with pytest.raises(cbs.CbsError) as error:
        cbs.resolve_columns(keys, cbs.RIVM_COLUMNS, "50120NED")
    assert "Eenzaam_27, Eenzaam_31" in str(error.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(48.2, 48.2), ("  48.2", 48.2), ("48,2", 48.2), (".", None), ("", None), (None, None)],
)
def test_cbs_values_become_numbers_or_unknown(raw: Any, expected: float | None) -> None:
    assert cbs._number(raw) == expected


def test_a_link_to_another_host_is_not_followed(fake_cbs: FakeCbs, tmp_path: Path) -> None:
    page = json.loads((FIXTURES / "50120NED" / "TypedDataSet.json").read_text())
    page["odata.nextLink"] = "https://elders.example.org/steal?$skip=10"
    changed = tmp_path / "page.json"
    changed.write_text(json.dumps(page))
    fake_cbs.overrides["50120NED/TypedDataSet"] = changed
    with pytest.raises(CommandError) as error:
        run(dataset="50120NED")
    assert "ander adres" in str(error.value)
    assert not any("elders.example.org" in url for url in fake_cbs.urls)
    assert AreaFigure.objects.count() == 0
