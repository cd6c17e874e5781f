"""Neighbourhood figures from CBS open data: one small adapter over the OData v3 API.

Two kinds of table are read:
- the RIVM health monitor per gemeente, wijk and buurt, table 50120NED "Gezondheid per wijk en
  buurt", published in CBS's third-party catalogue (dataderden.cbs.nl); its loneliness columns
  are model-based small-area estimates with a 95% interval (dimension `Marges`);
- CBS's Kerncijfers wijken en buurten (KWB), one table per year (85618NED for 2023, ...).

A table is fetched as CBS publishes it, `DataProperties` (what each column is) and
`TypedDataSet` (the rows, page by page through `odata.nextLink`), or read from files with the
same content. Columns are found by the prefix of their key (`Eenzaam_`, `AantalInwoners_`),
never by the `_NN` ordinal, which changes between table versions. Every figure keeps the year of
the area classification its code belongs to. Writing is all or nothing.

Sources, the column mapping and the choices made: docs/measurement.md, "Neighbourhood figures
and the neighbourhood model". Nothing here imports Django views and nothing here writes: the
figures are written by `omzien.insight.figures.save_figures`, all or nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omzien.insight.figures import (
    KWB_TABLES,
    SOURCE_KWB,
    SOURCE_RIVM,
    Figure,
    SaveResult,
    save_figures,
)
from omzien.insight.models import AreaLevel

DEFAULT_ODATA_URL = "https://opendata.cbs.nl/ODataApi/odata/"
# RIVM's table is not in CBS's own catalogue but in the third-party one, same API.
THIRD_PARTY_ODATA_URL = "https://dataderden.cbs.nl/ODataApi/OData/"
RIVM_DATASET = "50120NED"
TIMEOUT_SECONDS = 60
MAX_PAGES = 500
DATASET_RE = re.compile(r"^\d{5}[A-Za-z]{3}$")
MUNICIPALITY_RE = re.compile(r"^GM\d{4}$")

# 50120NED dimension `Leeftijd`: the code becomes a suffix of the indicator name.
AGE_GROUPS = {"20300": "", "53115": "_18_64", "80200": "_65_plus"}
# Dimension `Marges`: the estimate and the bounds of its 95% interval are separate rows.
MARGINS = {"MW00000": "value", "MOG0095": "low", "MBG0095": "high"}
LEVELS = {"GM": AreaLevel.MUNICIPALITY, "WK": AreaLevel.DISTRICT, "BU": AreaLevel.NEIGHBOURHOOD}
GEO_KEYS = ("WijkenEnBuurten", "RegioS", "Codering")
CODE_RE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
PERIOD_RE = re.compile(r"^((?:19|20)\d\d)")


class CbsError(Exception):
    """Something that stops an import; the message is for the person running it (Dutch)."""


class _NotFound(CbsError):
    pass


@dataclass(frozen=True)
class Column:
    """One column we read: its key prefix, our indicator, and the unit text CBS uses for it.

    `cbs_unit` is what DataProperties says in the tables we know; it is only used when a table
    is read from a data file without its DataProperties. For a count, `share_indicator` names
    the share (in %) of `share_base` we also store, so areas of different size can be compared.
    """

    prefix: str
    indicator: str
    cbs_unit: str
    required: bool = False
    share_indicator: str = ""
    share_base: str = ""


RIVM_COLUMNS: tuple[Column, ...] = (
    Column("Eenzaam_", "lonely", "%", required=True),
    Column("ErnstigZeerErnstigEenzaam_", "severely_lonely", "%", required=True),
    Column("EmotioneelEenzaam_", "emotionally_lonely", "%"),
    Column("SociaalEenzaam_", "socially_lonely", "%"),
)

KWB_COLUMNS: tuple[Column, ...] = (
    Column("AantalInwoners_", "residents", "aantal", required=True),
    Column(
        "k_65JaarOfOuder_",
        "residents_65_plus",
        "aantal",
        required=True,
        share_indicator="share_65_plus",
        share_base="residents",
    ),
    Column("HuishoudensTotaal_", "households", "aantal", required=True),
    Column(
        "Eenpersoonshuishoudens_",
        "single_person_households",
        "aantal",
        required=True,
        share_indicator="share_single_person_households",
        share_base="households",
    ),
    Column("GemiddeldInkomenPerInwoner_", "average_income_per_resident", "x 1 000 euro"),
    Column("HuishoudensMetEenLaagInkomen_", "share_low_income_households", "%"),
    Column("HuishOnderOfRondSociaalMinimum_", "share_households_social_minimum", "%"),
    Column("Bevolkingsdichtheid_", "population_density", "aantal inwoners per km²"),
    Column(
        "BuitenEuropa_",
        "residents_origin_outside_europe",
        "aantal",
        share_indicator="share_origin_outside_europe",
        share_base="residents",
    ),
    Column(
        "NietWestersTotaal_",
        "residents_non_western",
        "aantal",
        share_indicator="share_non_western_migration",
        share_base="residents",
    ),
    Column("MateVanStedelijkheid_", "urbanity", "code"),
)


@dataclass
class Table:
    """A table as read: DataProperties (None if only data files were given) and its rows."""

    dataset: str
    rows: list[dict[str, Any]]
    properties: list[dict[str, Any]] | None = None
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class Extracted:
    source: str
    figures: list[Figure]
    area_year: int
    periods: list[int]
    columns: dict[str, str]  # indicator -> the key it was read from
    notes: list[str]


def is_rivm(dataset: str) -> bool:
    return dataset.upper() == RIVM_DATASET


def default_base_url(dataset: str) -> str:
    return THIRD_PARTY_ODATA_URL if is_rivm(dataset) else DEFAULT_ODATA_URL


def check_dataset(dataset: str) -> str:
    dataset = (dataset or "").strip()
    if not DATASET_RE.match(dataset):
        raise CbsError(
            f"'{dataset}' is geen tabelcode van CBS. Een tabelcode is 5 cijfers en 3 letters, "
            f"zoals {RIVM_DATASET} (RIVM-gezondheidsmonitor) of {KWB_TABLES[2023]} "
            "(kerncijfers wijken en buurten 2023)."
        )
    return dataset


def check_municipality(code: str) -> str:
    code = (code or "").strip().upper()
    if not MUNICIPALITY_RE.match(code):
        raise CbsError(f"'{code}' is geen gemeentecode. Een gemeentecode is GM en 4 cijfers.")
    return code


# --- the API -------------------------------------------------------------------------------------


class ODataClient:
    """Reads JSON from one OData v3 host; refuses to follow links to another host."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CbsError(f"'{base_url}' is geen bruikbaar adres (http of https).")
        self.base_url = base_url if base_url.endswith("/") else f"{base_url}/"
        self.host = parts.netloc
        self.timeout = timeout

    def url(self, dataset: str, entity: str, params: dict[str, str] | None = None) -> str:
        query = urllib.parse.urlencode(
            {"$format": "json", **(params or {})}, quote_via=urllib.parse.quote
        )
        return f"{self.base_url}{urllib.parse.quote(dataset)}/{entity}?{query}"

    def get(self, url: str) -> dict[str, Any]:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            raise CbsError(
                f"CBS verwees naar een ander adres ({parts.netloc}); dat volgen we niet."
            )
        request = urllib.request.Request(  # noqa: S310 - scheme and host checked above
            url, headers={"Accept": "application/json", "User-Agent": "Omzien (import-cbs)"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise _NotFound(f"niet gevonden (404): {url}") from exc
            raise CbsError(f"de CBS-databank gaf een fout ({exc.code} {exc.reason}).") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CbsError(
                f"de CBS-databank is niet bereikbaar op {self.host} ({reason}). "
                "Controleer de internetverbinding of het adres (--base-url), "
                "of lees de tabel uit een bestand (--file)."
            ) from exc
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CbsError("het antwoord van CBS is geen geldige JSON.") from exc
        if not isinstance(document, dict) or not isinstance(document.get("value"), list):
            raise CbsError("het antwoord van CBS heeft geen lijst 'value'.")
        if not all(isinstance(row, dict) for row in document["value"]):
            raise CbsError("het antwoord van CBS bevat rijen die geen object zijn.")
        return document

    def fetch_all(self, url: str, what: str) -> list[dict[str, Any]]:
        """Every row of an entity set, following `odata.nextLink` page by page."""
        rows: list[dict[str, Any]] = []
        next_url: str | None = url
        page = 0
        while next_url:
            page += 1
            if page > MAX_PAGES:
                raise CbsError(f"{what}: meer dan {MAX_PAGES} pagina's; afgebroken.")
            try:
                document = self.get(next_url)
            except _NotFound:
                raise
            except CbsError as exc:
                raise CbsError(f"{what}, pagina {page}: {exc}") from exc
            rows.extend(document["value"])
            link = document.get("odata.nextLink") or document.get("@odata.nextLink")
            next_url = urllib.parse.urljoin(next_url, link) if isinstance(link, str) else None
        return rows


def geo_key_of(properties: Sequence[dict[str, Any]] | None, rows: Sequence[dict[str, Any]]) -> str:
    for prop in properties or ():
        if prop.get("Type") == "GeoDimension" and prop.get("Key"):
            return str(prop["Key"])
    present = set().union(*(row.keys() for row in rows[:50])) if rows else set()
    for key in GEO_KEYS:
        if key in present:
            return key
    raise CbsError(
        "De tabel heeft geen kolom met gebiedscodes (WijkenEnBuurten of RegioS). "
        "Is dit wel een tabel per wijk en buurt?"
    )


def municipality_filter(geo_key: str, municipality: str) -> str:
    digits = municipality[2:]
    return " or ".join(f"startswith({geo_key},'{prefix}{digits}')" for prefix in ("GM", "WK", "BU"))


def fetch_table(dataset: str, base_url: str, municipality: str | None = None) -> Table:
    """DataProperties, TableInfos and the TypedDataSet of one table (of one gemeente)."""
    client = ODataClient(base_url)
    try:
        properties = client.fetch_all(client.url(dataset, "DataProperties"), "DataProperties")
    except _NotFound as exc:
        hint = (
            f" Tabel {RIVM_DATASET} staat in de catalogus van derden ({THIRD_PARTY_ODATA_URL})."
            if is_rivm(dataset)
            else ""
        )
        raise CbsError(
            f"Tabel {dataset} bestaat niet op {client.base_url} (404). "
            f"Controleer de tabelcode.{hint}"
        ) from exc
    if not properties:
        raise CbsError(f"Tabel {dataset} heeft geen kolommen (DataProperties is leeg).")
    info: dict[str, Any] = {}
    try:
        infos = client.fetch_all(client.url(dataset, "TableInfos"), "TableInfos")
        info = infos[0] if infos else {}
    except _NotFound:
        info = {}
    # Resolve the columns before downloading the rows: a wrong table fails early, and only the
    # columns we use are asked for (a national table is large).
    specs = RIVM_COLUMNS if is_rivm(dataset) else KWB_COLUMNS
    topics = [str(p["Key"]) for p in properties if p.get("Type") == "Topic" and p.get("Key")]
    resolved = resolve_columns(topics, specs, dataset)
    dimensions = [
        str(p["Key"])
        for p in properties
        if p.get("Type") in ("Dimension", "GeoDimension", "TimeDimension") and p.get("Key")
    ]
    params: dict[str, str] = {"$select": ",".join([*dimensions, *resolved.values()])}
    if municipality:
        params["$filter"] = municipality_filter(geo_key_of(properties, []), municipality)
    try:
        rows = client.fetch_all(client.url(dataset, "TypedDataSet", params), "TypedDataSet")
    except _NotFound as exc:
        raise CbsError(f"Tabel {dataset} heeft geen TypedDataSet (404).") from exc
    return Table(dataset=dataset, rows=rows, properties=properties, info=info)


# --- files ---------------------------------------------------------------------------------------


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _json_items(path: Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(_decode(path))
    except json.JSONDecodeError as exc:
        raise CbsError(f"{path.name}: geen geldige JSON ({exc.msg}, regel {exc.lineno}).") from exc
    items = document.get("value") if isinstance(document, dict) else document
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise CbsError(f"{path.name}: verwacht een lijst 'value' met rijen, zoals CBS die geeft.")
    return items


def _csv_items(path: Path) -> list[dict[str, Any]]:
    text = _decode(path)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise CbsError(f"{path.name}: de eerste regel heeft geen kolommen (; , of tab).")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for row in reader:
        rows.append({(k or "").strip().strip('"'): v for k, v in row.items() if k})
    return rows


def read_files(dataset: str, paths: Sequence[Path]) -> Table:
    """A table from files as CBS publishes them: the JSON of TypedDataSet (and, optionally,
    of DataProperties and TableInfos) or a CSV export of the TypedDataSet."""
    table = Table(dataset=dataset, rows=[])
    for path in paths:
        if not path.is_file():
            raise CbsError(f"{path}: bestand niet gevonden.")
        items = _json_items(path) if path.suffix.lower() == ".json" else _csv_items(path)
        if items and all("Type" in item and "Key" in item for item in items):
            table.properties = (table.properties or []) + items
        elif items and all("Identifier" in item and "Title" in item for item in items):
            table.info = items[0]
        else:
            table.rows.extend(items)
    if not table.rows:
        raise CbsError("Geen rijen met cijfers gevonden in de bestanden (TypedDataSet).")
    return table


# --- from rows to figures ------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A CBS value as a number; None for empty and for CBS's '.' (unknown or suppressed)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if text in ("", ".", "-", "x", "?"):
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _unit(cbs_unit: str | None) -> tuple[str, float]:
    """Our unit and the factor to apply, from the unit text in DataProperties."""
    text = (cbs_unit or "").strip().lower().replace("\u00a0", " ")
    if "%" in text or "procent" in text:
        return "percent", 1.0
    if "km" in text:
        return "per_km2", 1.0
    if "euro" in text:
        compact = text.replace(" ", "").replace(".", "")
        return "euro", 1000.0 if "1000" in compact else 1.0
    if "aantal" in text:
        return "count", 1.0
    if text == "code":
        return "class", 1.0
    return "", 1.0


def resolve_columns(keys: Iterable[str], columns: Sequence[Column], dataset: str) -> dict[str, str]:
    """Our indicator -> the table's key, matched on `<prefix><ordinal>`.

    Raises a CbsError naming every required prefix that is missing.
    """
    keys = list(keys)
    resolved: dict[str, str] = {}
    missing: list[str] = []
    for column in columns:
        pattern = re.compile(rf"^{re.escape(column.prefix)}\d+$")
        matches = sorted(
            (k for k in keys if pattern.match(k)), key=lambda k: int(k.rsplit("_", 1)[1])
        )
        if len(matches) > 1:
            raise CbsError(
                f"Tabel {dataset}: meer dan één kolom begint met {column.prefix} "
                f"({', '.join(matches)}); welke bedoeld is, is niet duidelijk."
            )
        if matches:
            resolved[column.indicator] = matches[0]
        elif column.required:
            missing.append(column.prefix)
    if missing:
        kind = "RIVM-gezondheidsmonitor" if is_rivm(dataset) else "kerncijfers wijken en buurten"
        raise CbsError(
            f"Tabel {dataset} heeft niet de verwachte kolommen: geen kolom die begint met "
            f"{', '.join(missing)}. Is dit wel de tabel van de {kind}? "
            "Zie docs/measurement.md voor de kolommen die we lezen."
        )
    return resolved


def _dimension_key(
    properties: Sequence[dict[str, Any]] | None, names: Sequence[str], kind: str
) -> str | None:
    for prop in properties or ():
        if prop.get("Type") == kind and prop.get("Key") in names:
            return str(prop["Key"])
    return None


def _period(value: Any) -> int | None:
    match = PERIOD_RE.match(str(value or "").strip())
    return int(match.group(1)) if match else None


def _map_year(properties: Sequence[dict[str, Any]] | None) -> int | None:
    for prop in properties or ():
        if prop.get("Type") == "GeoDimension":
            year = _period(prop.get("MapYear"))
            if year:
                return year
    return None


def _table_year(table: Table, override: int | None) -> int | None:
    if override:
        return override
    for year, table_id in KWB_TABLES.items():
        if table_id.upper() == table.dataset.upper():
            return year
    period = str(table.info.get("Period") or "").strip()
    return int(period) if re.fullmatch(r"(19|20)\d\d", period) else None


def extract(
    table: Table,
    *,
    municipality: str | None = None,
    area_year: int | None = None,
    period: int | None = None,
) -> Extracted:
    """Turn a table into figures; pure, no database."""
    rivm = is_rivm(table.dataset)
    source = SOURCE_RIVM if rivm else SOURCE_KWB
    specs = RIVM_COLUMNS if rivm else KWB_COLUMNS
    properties = table.properties
    notes: list[str] = []

    if properties is not None:
        topic_keys = [
            str(p["Key"]) for p in properties if p.get("Type") == "Topic" and p.get("Key")
        ]
        units = {str(p["Key"]): str(p.get("Unit") or "") for p in properties if p.get("Key")}
    else:
        topic_keys = sorted(set().union(*(row.keys() for row in table.rows)))
        units = {}
        notes.append("Geen DataProperties meegegeven: eenheden volgens de standaard (docs).")
    resolved = resolve_columns(topic_keys, specs, table.dataset)
    by_indicator = {c.indicator: c for c in specs}
    unit_of = {
        ind: _unit(units.get(key) or by_indicator[ind].cbs_unit) for ind, key in resolved.items()
    }

    present = set().union(*(row.keys() for row in table.rows[:50]))
    geo_key = geo_key_of(properties, table.rows)
    if geo_key not in present:
        raise CbsError(f"Tabel {table.dataset}: de rijen hebben geen kolom {geo_key}.")
    missing_in_rows = sorted(key for key in resolved.values() if key not in present)
    if missing_in_rows:
        raise CbsError(
            f"Tabel {table.dataset}: de rijen missen de kolommen {', '.join(missing_in_rows)} "
            "die DataProperties noemt."
        )
    time_key = next(
        (str(p["Key"]) for p in properties or () if p.get("Type") == "TimeDimension"), None
    ) or ("Perioden" if "Perioden" in present else None)
    age_key = _dimension_key(properties, ("Leeftijd",), "Dimension") or (
        "Leeftijd" if "Leeftijd" in present else None
    )
    margin_key = _dimension_key(properties, ("Marges",), "Dimension") or (
        "Marges" if "Marges" in present else None
    )

    fixed_period: int | None = None
    if time_key is None:
        fixed_period = _table_year(table, period)
        if fixed_period is None:
            raise CbsError(
                f"Tabel {table.dataset} heeft geen perioden en het jaar is onbekend; "
                "geef het jaar mee met --period."
            )

    # (indicator, code, period) -> {"value"/"low"/"high": number}
    cells: dict[tuple[str, str, int], dict[str, float | None]] = defaultdict(dict)
    skipped_ages: set[str] = set()
    for row in table.rows:
        code = str(row.get(geo_key) or "").strip().upper()
        if not CODE_RE.match(code):
            continue  # Nederland, landsdeel, provincie, ...
        if municipality and code[2:6] != municipality[2:6]:
            continue
        row_period = _period(row.get(time_key)) if time_key else fixed_period
        if row_period is None:
            raise CbsError(f"Tabel {table.dataset}: onbekende periode {row.get(time_key or '')!r}.")
        if period and time_key and row_period != period:
            continue
        suffix = ""
        if age_key:
            age = str(row.get(age_key) or "").strip()
            if age not in AGE_GROUPS:
                skipped_ages.add(age)
                continue
            suffix = AGE_GROUPS[age]
        part = "value"
        if margin_key:
            margin_code = str(row.get(margin_key) or "").strip()
            if margin_code not in MARGINS:
                continue
            part = MARGINS[margin_code]
        for indicator, key in resolved.items():
            value = _number(row.get(key))
            if value is not None and unit_of[indicator][1] != 1.0:
                value = round(value * unit_of[indicator][1], 6)
            cells[(indicator + suffix, code, row_period)][part] = value
    if skipped_ages:
        notes.append(f"Leeftijdsgroepen overgeslagen: {', '.join(sorted(skipped_ages))}.")
    if not cells:
        where = f" voor {municipality}" if municipality else ""
        raise CbsError(
            f"Tabel {table.dataset}: geen cijfers van gemeenten, wijken of buurten{where}."
        )

    periods = sorted({p for (_, _, p) in cells})
    year = area_year or _map_year(properties)
    if year is None:
        if rivm:
            year = periods[-1]
            notes.append(
                f"Indelingsjaar niet in de tabel; aangenomen: {year} (de nieuwste periode). "
                "Geef --area-year mee als dat niet klopt."
            )
        else:
            year = fixed_period or periods[-1]

    figures: list[Figure] = []
    for (indicator, code, row_period), parts in sorted(cells.items()):
        suffix = next((s for s in AGE_GROUPS.values() if s and indicator.endswith(s)), "")
        base = indicator.removesuffix(suffix) if suffix else indicator
        unit = unit_of[base][0]
        name = indicator
        if unit == "percent" and by_indicator[base].share_indicator:
            # Newer tables publish some counts as a share; store it under the share's name.
            name = by_indicator[base].share_indicator + suffix
        figures.append(
            Figure(
                source=source,
                indicator=name,
                area_code=code,
                area_level=LEVELS[code[:2]],
                area_year=year,
                period=row_period,
                value=parts.get("value"),
                margin_low=parts.get("low"),
                margin_high=parts.get("high"),
                unit=unit,
            )
        )
    figures.extend(_shares(figures, specs, unit_of, source))
    return Extracted(source, figures, year, periods, resolved, notes)


def _shares(
    figures: Sequence[Figure],
    specs: Sequence[Column],
    unit_of: dict[str, tuple[str, float]],
    source: str,
) -> list[Figure]:
    """Shares (in %) derived from published counts, e.g. 65-plussers of all residents."""
    values = {(f.indicator, f.area_code, f.period): f for f in figures}
    derived: list[Figure] = []
    for column in specs:
        if not column.share_indicator or unit_of.get(column.indicator, ("",))[0] != "count":
            continue
        for figure in figures:
            if figure.indicator != column.indicator:
                continue
            base = values.get((column.share_base, figure.area_code, figure.period))
            if figure.value is None or base is None or not base.value:
                share = None
            else:
                share = round(100.0 * figure.value / base.value, 2)
            derived.append(
                Figure(
                    source=source,
                    indicator=column.share_indicator,
                    area_code=figure.area_code,
                    area_level=figure.area_level,
                    area_year=figure.area_year,
                    period=figure.period,
                    value=share,
                    unit="percent",
                )
            )
    return derived


@dataclass(frozen=True)
class ImportReport:
    dataset: str
    source: str
    area_year: int
    periods: list[int]
    columns: dict[str, str]
    result: SaveResult
    notes: list[str]


def import_dataset(
    dataset: str,
    *,
    municipality: str | None = None,
    files: Sequence[Path] | None = None,
    base_url: str | None = None,
    area_year: int | None = None,
    period: int | None = None,
) -> ImportReport:
    """Read a table (API or files) completely, then write its figures in one transaction.

    Nothing is written when anything fails: all pages are read and checked before the first
    write, and the write itself is atomic.
    """
    dataset = check_dataset(dataset)
    if municipality:
        municipality = check_municipality(municipality)
    if files:
        table = read_files(dataset, files)
    else:
        table = fetch_table(dataset, base_url or default_base_url(dataset), municipality)
    extracted = extract(table, municipality=municipality, area_year=area_year, period=period)
    result = save_figures(extracted.figures)
    return ImportReport(
        dataset=dataset,
        source=extracted.source,
        area_year=extracted.area_year,
        periods=extracted.periods,
        columns=extracted.columns,
        result=result,
        notes=extracted.notes,
    )
