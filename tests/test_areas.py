from __future__ import annotations

from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from omzien.areas import demo
from omzien.areas.importers import normalise_code, normalise_postcode
from omzien.areas.models import District, Municipality, Neighbourhood, Postcode
from omzien.areas.services import neighbourhood_for_postcode

FIXTURES = Path(__file__).parent / "fixtures" / "areas"
CODE_LISTS = [FIXTURES / name for name in ("gemeenten_2023.csv", "wijk_2023.csv", "buurt_2023.csv")]

pytestmark = pytest.mark.django_db


def run(*files: Path | str, **options: object) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_areas", *[str(f) for f in files], stdout=out, **options)
    return out.getvalue()


def test_it_loads_the_cbs_code_lists_with_parents_from_the_codes() -> None:
    output = run(*CODE_LISTS)
    assert "Areas 2023: 2 gemeente(n), 3 wijken, 4 buurten" in output
    buurt = Neighbourhood.objects.get(code="BU07941300", year=2023)
    assert buurt.name == "'t Hout-Centrum"
    assert buurt.district.code == "WK079413"
    assert buurt.district.name == "Wijk 13 't Hout"
    assert buurt.district.municipality.name == "Helmond"


def test_it_keeps_the_year_of_the_classification_with_every_code() -> None:
    run(*CODE_LISTS)
    run(FIXTURES / "gwb-2022.csv")
    assert set(Neighbourhood.objects.filter(code="BU07941000").values_list("year", flat=True)) == {
        2022,
        2023,
    }


def test_it_limits_to_one_municipality() -> None:
    run(*CODE_LISTS, municipality="GM0794")
    assert list(Municipality.objects.values_list("code", flat=True)) == ["GM0794"]
    assert not District.objects.filter(code="WK077201").exists()


def test_reimporting_updates_and_never_duplicates() -> None:
    run(*CODE_LISTS)
    Neighbourhood.objects.filter(code="BU07941002").update(name="Oude naam")
    run(*CODE_LISTS)
    assert Neighbourhood.objects.count() == 4
    assert Neighbourhood.objects.get(code="BU07941002").name == "Leonardus"


def test_it_loads_the_postcode_table_with_unprefixed_codes() -> None:
    run(*CODE_LISTS, FIXTURES / "pc6-gwb2023.csv")
    assert Postcode.objects.count() == 4
    found = neighbourhood_for_postcode("5706 xz")
    assert found is not None and found.code == "BU07941300"


def test_address_level_table_assigns_postcode_to_majority_neighbourhood() -> None:
    run(*CODE_LISTS, FIXTURES / "pc6hnr20230801_gwb.csv")
    found = neighbourhood_for_postcode("5701AD")
    assert found is not None and found.code == "BU07941002"


def test_postcode_lookup_prefers_the_newest_classification() -> None:
    run(FIXTURES / "gwb-2022.csv")
    run(*CODE_LISTS, FIXTURES / "pc6-gwb2023.csv")
    found = neighbourhood_for_postcode("5701AB")
    assert found is not None and found.year == 2023


@pytest.mark.parametrize("value", ["", "5701", "ABCD12", "57011AB", "5701 A"])
def test_postcode_lookup_of_nonsense_finds_nothing(value: str) -> None:
    assert neighbourhood_for_postcode(value) is None


def test_it_loads_boundaries_onto_districts() -> None:
    run(*CODE_LISTS, FIXTURES / "wijken-2023.geojson")
    assert District.objects.get(code="WK079410").geometry["type"] == "Polygon"
    assert District.objects.get(code="WK079413").geometry is None


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (["buurt-bad-2023.csv"], "line 2: 'BUXYZ' is not a BU code"),
        (["not-cbs.csv"], "no CBS code column found"),
        (["broken.geojson"], "not valid JSON"),
        (["buurt-orphan-2023.csv"], "No name for wijk WK079415"),
        (["pc6-unknown-buurt-2023.csv"], "not known for 2023"),
        (["missing-2023.csv"], "file not found"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_imported(
    files: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as error:
        run(*CODE_LISTS, *[FIXTURES / name for name in files])
    assert message in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert not Neighbourhood.objects.exists()
    assert not Municipality.objects.exists()


def test_it_asks_for_the_year_when_files_disagree() -> None:
    with pytest.raises(CommandError, match="pass --year"):
        run(FIXTURES / "gwb-2022.csv", *CODE_LISTS)


def test_an_explicit_year_wins() -> None:
    run(FIXTURES / "gwb-2022.csv", year=2021)
    assert Neighbourhood.objects.get().year == 2021


def test_the_demo_loads_the_real_areas_of_helmond() -> None:
    demo.load()
    assert Municipality.objects.get(code="GM0794", year=2023).name == "Helmond"
    assert District.objects.filter(year=2023).count() == 12
    assert Neighbourhood.objects.filter(year=2023).count() == 44
    assert District.objects.exclude(geometry=None).count() == 12
    assert Neighbourhood.objects.get(code="BU07941000").name == "Centrum"


@pytest.mark.parametrize(
    ("prefix", "value", "expected"),
    [
        ("BU", "7941000", "BU07941000"),
        ("BU", "BU07941000", "BU07941000"),
        ("WK", "79410", "WK079410"),
        ("GM", "794", "GM0794"),
        ("GM", "gm0794", "GM0794"),
        ("BU", "123456789", None),
        ("WK", "WK07x410", None),
    ],
)
def test_codes_are_normalised(prefix: str, value: str, expected: str | None) -> None:
    assert normalise_code(prefix, value) == expected


def test_postcodes_are_normalised() -> None:
    assert normalise_postcode(" 5701 ab ") == "5701AB"
    assert normalise_postcode("5701-AB") is None
