"""Loading CBS areas into the database, and looking up a postcode's neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from omzien.areas.importers import AreaData, AreaFileError, normalise_postcode
from omzien.areas.models import District, Municipality, Neighbourhood, Postcode


@dataclass(frozen=True)
class ImportResult:
    year: int
    municipalities: int
    districts: int
    neighbourhoods: int
    postcodes: int
    geometries: int


def _require_names(kind: str, names: dict[str, str], existing: set[str]) -> None:
    missing = sorted(code for code, name in names.items() if not name and code not in existing)
    if missing:
        raise AreaFileError(
            f"No name for {kind} {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}: "
            f"add the CBS file with the {kind} names."
        )


@transaction.atomic
def load_areas(data: AreaData, year: int) -> ImportResult:
    """Create or update everything in `data` for one classification year; all or nothing.

    Re-importing the same files changes nothing; a renamed area is updated in place.
    """
    municipalities = {m.code: m for m in Municipality.objects.filter(year=year)}
    _require_names("gemeente", data.municipalities, set(municipalities))
    for code, name in data.municipalities.items():
        municipality = municipalities.get(code)
        if municipality is None:
            municipalities[code] = Municipality.objects.create(code=code, name=name, year=year)
        elif name and municipality.name != name:
            municipality.name = name
            municipality.save(update_fields=["name"])

    districts = {d.code: d for d in District.objects.filter(year=year)}
    _require_names("wijk", data.districts, set(districts))
    new_districts = []
    for code, name in data.districts.items():
        parent = municipalities.get("GM" + code[2:6])
        if parent is None:
            raise AreaFileError(f"Wijk {code} belongs to an unknown gemeente GM{code[2:6]}.")
        district = districts.get(code)
        if district is None:
            district = District(code=code, name=name, year=year, municipality=parent)
            new_districts.append(district)
            districts[code] = district
        elif name and district.name != name:
            district.name = name
            district.save(update_fields=["name"])
    District.objects.bulk_create(new_districts, batch_size=1000)

    neighbourhoods = {n.code: n for n in Neighbourhood.objects.filter(year=year)}
    _require_names("buurt", data.neighbourhoods, set(neighbourhoods))
    new_neighbourhoods, renamed = [], []
    for code, name in data.neighbourhoods.items():
        parent_district = districts.get("WK" + code[2:8])
        if parent_district is None:
            raise AreaFileError(f"Buurt {code} belongs to an unknown wijk WK{code[2:8]}.")
        neighbourhood = neighbourhoods.get(code)
        if neighbourhood is None:
            neighbourhood = Neighbourhood(code=code, name=name, year=year, district=parent_district)
            new_neighbourhoods.append(neighbourhood)
            neighbourhoods[code] = neighbourhood
        elif name and neighbourhood.name != name:
            neighbourhood.name = name
            renamed.append(neighbourhood)
    Neighbourhood.objects.bulk_create(new_neighbourhoods, batch_size=1000)
    Neighbourhood.objects.bulk_update(renamed, ["name"], batch_size=1000)

    geometries = 0
    for code, geometry in data.geometries.items():
        target = districts.get(code) if code.startswith("WK") else neighbourhoods.get(code)
        if target is None:
            raise AreaFileError(f"Boundary for {code}, which is not a known area of {year}.")
        target.geometry = geometry
        target.save(update_fields=["geometry"])
        geometries += 1

    postcodes = {p.postcode: p for p in Postcode.objects.filter(year=year)}
    new_postcodes, moved = [], []
    for postcode, bu_code in data.postcodes.items():
        neighbourhood = neighbourhoods.get(bu_code)
        if neighbourhood is None:
            raise AreaFileError(
                f"Postcode {postcode} points to buurt {bu_code}, which is not known for {year}: "
                "import the buurt list of that year first or together."
            )
        existing = postcodes.get(postcode)
        if existing is None:
            new_postcodes.append(
                Postcode(postcode=postcode, year=year, neighbourhood=neighbourhood)
            )
        elif existing.neighbourhood_id != neighbourhood.pk:
            existing.neighbourhood = neighbourhood
            moved.append(existing)
    Postcode.objects.bulk_create(new_postcodes, batch_size=2000)
    Postcode.objects.bulk_update(moved, ["neighbourhood"], batch_size=2000)

    return ImportResult(
        year=year,
        municipalities=len(data.municipalities),
        districts=len(data.districts),
        neighbourhoods=len(data.neighbourhoods),
        postcodes=len(data.postcodes),
        geometries=geometries,
    )


def latest_year() -> int | None:
    return Neighbourhood.objects.order_by("-year").values_list("year", flat=True).first()


def neighbourhood_for_postcode(value: str, year: int | None = None) -> Neighbourhood | None:
    """The neighbourhood of a postcode in the given (default: newest loaded) classification."""
    postcode = normalise_postcode(value)
    if postcode is None:
        return None
    rows = Postcode.objects.filter(postcode=postcode).select_related(
        "neighbourhood__district__municipality"
    )
    if year is not None:
        rows = rows.filter(year=year)
    found = rows.order_by("-year").first()
    return found.neighbourhood if found else None
