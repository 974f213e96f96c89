"""The offline detail under the markers, built once: ``python -m mapapp.basemap --dest DIR``.

Inputs (nothing downloaded): the layers shipped in ``mapapp/basemap/data/`` (Natural Earth,
cut by :mod:`mapapp.basemap.source`; their labels in ``divisions.csv``) and the gazetteer's
towns with their populations. Output: one JSON document with the land, the country
borders, the district lines, the Nagorno-Karabakh lines and the names with the zoom each
shows from (:mod:`mapapp.basemap.labels`). ``make prepare`` writes it as
``detail-<digest>.json``, where the digest hashes every input, so the file is built once,
rebuilt only when an input changes, and a browser never keeps a stale copy.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from mapapp.basemap.base import REGION_BOUNDS, xy_box
from mapapp.basemap.labels import DISTRICT, TOWN, Label, first_zoom, place_labels
from mapapp.errors import BaseMapError

__all__ = [
    "DATA_DIR",
    "DETAIL_VERSION",
    "TOWN_BOUNDS",
    "build_detail",
    "country_outlines",
    "detail_data",
    "detail_digest",
    "detail_name",
    "district_labels",
    "ensure_detail_file",
    "main",
    "shipped_layer",
    "town_labels",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
DETAIL_VERSION = 1
LAYER_FILES = ("countries.geo.json", "divisions.geo.json", "disputed.geo.json", "divisions.csv")
FOCUS = ("ARM", "AZE")
# towns are named inside this box: the theatre with a margin (Nakhchivan, Baku, Tbilisi's edge)
TOWN_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((37.9, 43.4), (42.0, 50.6))
NEIGHBOUR_MIN_POPULATION = 20_000  # towns outside Armenia and Azerbaijan that get a name
DISTRICT_RANK = 10 - math.log10(20_000)  # district names come after towns of 20,000 people
DISTRICT_ZOOM = 8
COORD_DIGITS = 3


def shipped_layer(name: str, directory: Path = DATA_DIR) -> dict[str, Any]:
    """A shipped GeoJSON layer by file name; :class:`~mapapp.errors.BaseMapError` if missing or broken."""
    path = directory / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaseMapError(
            path, "missing from the installed mapapp: reinstall it (the file ships with the package)"
        ) from None
    except (OSError, ValueError) as exc:
        raise BaseMapError(
            path, f"cannot be read as GeoJSON ({exc}): restore it from git or reinstall mapapp"
        ) from None
    if data.get("type") != "FeatureCollection" or not data.get("features"):
        raise BaseMapError(
            path, "not a non-empty GeoJSON FeatureCollection: restore it from git or reinstall mapapp"
        )
    return data


def _rounded(coords: Any) -> Any:
    if isinstance(coords, float | int):
        return round(float(coords), COORD_DIGITS)
    return [_rounded(c) for c in coords]


def _geometry(shape: Any) -> dict[str, Any]:
    geo = shape.__geo_interface__
    return {"type": geo["type"], "coordinates": _rounded(geo["coordinates"])}


@cache
def country_outlines(directory: Path = DATA_DIR) -> dict[str, Any]:
    """Country polygons around the theatre (Natural Earth 1:10m), as a GeoJSON FeatureCollection.

    Each feature has ``name``, ``iso_a3``, ``focus`` (Armenia and Azerbaijan) and a label
    position inside the theatre when the country reaches into it.
    """
    from shapely import box
    from shapely.geometry import shape

    focus_box = box(*xy_box(REGION_BOUNDS))
    features = []
    for feature in shipped_layer("countries.geo.json", directory)["features"]:
        geometry = shape(feature["geometry"])
        inner = geometry.intersection(focus_box)
        anchor = (inner if not inner.is_empty and inner.area > 0.05 else geometry).representative_point()
        props = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": props["name"],
                    "iso_a3": props["iso_a3"],
                    "focus": props["iso_a3"] in FOCUS,
                    "label_lat": round(anchor.y, 3),
                    "label_lon": round(anchor.x, 3),
                },
                "geometry": feature["geometry"],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _division_table(directory: Path) -> dict[str, tuple[str, str]]:
    path = directory / "divisions.csv"
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    except OSError as exc:
        raise BaseMapError(path, f"cannot be read ({exc.strerror or exc}): reinstall mapapp") from None
    table = {}
    for n, row in enumerate(csv.DictReader(lines), start=2):
        if row.get("kind") not in ("marz", "rayon", "city") or not (row.get("label") or "").strip():
            raise BaseMapError(path, f"row {n}: expected a label and kind marz, rayon or city, got {row!r}")
        table[row["gn_name"]] = (row["label"].strip(), row["kind"])
    return table


def _inner_point(area: Any) -> Any:
    """The point of ``area`` (its largest part) farthest from its edges: where a name reads as its own."""
    from shapely.ops import polylabel

    parts = getattr(area, "geoms", [area])
    return polylabel(max(parts, key=lambda part: part.area), tolerance=0.005)


def district_labels(directory: Path = DATA_DIR) -> list[Label]:
    """A name for each marz and rayon, at a point inside it (cities are named as towns)."""
    from shapely.geometry import shape

    table = _division_table(directory)
    labels = []
    for feature in shipped_layer("divisions.geo.json", directory)["features"]:
        gn_name = feature["properties"]["gn_name"]
        if gn_name not in table:
            raise BaseMapError(
                directory / "divisions.csv",
                f"no row for {gn_name!r}: add its label (divisions.geo.json has it)",
            )
        label, kind = table[gn_name]
        if kind == "city":
            continue
        anchor = _inner_point(shape(feature["geometry"]))
        labels.append(
            Label(label, round(anchor.y, 4), round(anchor.x, 4), DISTRICT, DISTRICT_RANK, DISTRICT_ZOOM)
        )
    return labels


def town_labels(places: Iterable[Any]) -> list[Label]:
    """Town names from gazetteer places: every settlement of Armenia and Azerbaijan in
    :data:`TOWN_BOUNDS`, and the neighbours' towns of :data:`NEIGHBOUR_MIN_POPULATION` or more."""
    (south, west), (north, east) = TOWN_BOUNDS
    labels = []
    for place in places:
        if not place.is_settlement or not (south <= place.lat <= north and west <= place.lon <= east):
            continue
        if place.country not in ("AM", "AZ") and place.population < NEIGHBOUR_MIN_POPULATION:
            continue
        capital = place.kind == "PPLC"
        rank = -1.0 if capital else 10 - math.log10(place.population + 1)
        zoom = first_zoom(place.population, capital=capital)
        labels.append(Label(place.name, round(place.lat, 4), round(place.lon, 4), TOWN, rank, zoom))
    return labels


def _lines_of(polygons: Iterable[Any]) -> Any:
    from shapely import line_merge, union_all

    return line_merge(union_all([p.boundary for p in polygons]))


def build_detail(places: Iterable[Any] | None = None, directory: Path = DATA_DIR) -> dict[str, Any]:
    """The detail layers as one JSON-ready document (``places``: gazetteer places, loaded if ``None``).

    ``land`` and ``borders`` come from the countries, ``districts`` is every division's
    boundary drawn once, ``disputed`` the two Nagorno-Karabakh lines, ``countries`` the
    country names and ``labels`` ``[lat, lon, text, zoom, kind]`` rows, biggest first.
    """
    from shapely.geometry import shape

    notes = []
    if places is None:
        places, problem = _gazetteer_places()
        if problem:
            notes.append(f"no town names: {problem}")
    outlines = country_outlines(directory)
    divisions = [shape(f["geometry"]) for f in shipped_layer("divisions.geo.json", directory)["features"]]
    disputed = shipped_layer("disputed.geo.json", directory)
    placed = place_labels([*town_labels(places), *district_labels(directory)])
    return {
        "version": DETAIL_VERSION,
        "land": [
            {"focus": f["properties"]["focus"], "geometry": f["geometry"]} for f in outlines["features"]
        ],
        "districts": _geometry(_lines_of(divisions)),
        "disputed": [
            {"kind": f["properties"]["kind"], "geometry": f["geometry"]} for f in disputed["features"]
        ],
        "countries": [
            [f["properties"]["label_lat"], f["properties"]["label_lon"], f["properties"]["name"]]
            for f in outlines["features"]
        ],
        "labels": [[p.label.lat, p.label.lon, p.label.text, p.zoom, p.label.kind] for p in placed],
        "source": {k: v for k, v in disputed["source"].items() if k in ("dataset", "licence", "via")},
        "notes": notes,
    }


def _gazetteer_places() -> tuple[tuple[Any, ...], str | None]:
    """The gazetteer's places, or none and why (the map then goes without town names)."""
    from gazetteer.build import load_compiled
    from gazetteer.errors import GazetteerError

    try:
        return load_compiled().places, None
    except GazetteerError as exc:
        return (), str(exc)


def _gazetteer_fingerprint() -> str:
    from gazetteer.build import fingerprint
    from gazetteer.errors import GazetteerError

    try:
        return fingerprint()
    except GazetteerError as exc:
        return f"unavailable: {exc}"


def detail_digest(directory: Path = DATA_DIR) -> str:
    """A hash of every input of :func:`build_detail`: shipped files, gazetteer build, this code."""
    digest = hashlib.sha256(f"detail v{DETAIL_VERSION};gazetteer {_gazetteer_fingerprint()};".encode())
    for name in LAYER_FILES:
        path = directory / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    here = Path(__file__).resolve().parent
    for module in ("detail.py", "labels.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()[:16]


def detail_name(digest: str) -> str:
    """The file name of the built detail for ``digest``."""
    return f"detail-{digest}.json"


def ensure_detail_file(dest: Path, *, directory: Path = DATA_DIR) -> Path:
    """The built detail file in ``dest``, written first when missing (older builds are removed).

    Raises :class:`~mapapp.errors.BaseMapError` when the inputs are broken or ``dest``
    cannot be written.
    """
    target = dest / detail_name(detail_digest(directory))
    if target.is_file():
        return target
    text = json.dumps(build_detail(directory=directory), ensure_ascii=False, separators=(",", ":"))
    try:
        dest.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".detail-", suffix=".tmp", dir=dest)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise BaseMapError(dest, f"cannot write the base map's detail file ({exc.strerror or exc})") from None
    for old in dest.glob("detail-*.json"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


@cache
def detail_data(dest: Path | None = None) -> dict[str, Any]:
    """The detail document: read from ``dest`` when built there, else built in memory (once a process)."""
    if dest is not None:
        return json.loads(ensure_detail_file(dest).read_text(encoding="utf-8"))
    return build_detail()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the detail file into ``--dest`` unless it is up to date."""
    parser = argparse.ArgumentParser(prog="python -m mapapp.basemap", description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, required=True, help="folder the app serves the file from")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        existing = args.dest / detail_name(detail_digest())
        if existing.is_file():
            print(f"base map detail up to date: {existing}")
            return 0
        path = ensure_detail_file(args.dest)
    except BaseMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    data = json.loads(path.read_text(encoding="utf-8"))
    for note in data["notes"]:
        print(f"warning: {note}", file=sys.stderr)
    print(
        f"base map detail built in {time.perf_counter() - started:.1f} s: {len(data['labels'])} names, "
        f"{path.stat().st_size / 1024:.0f} KiB -> {path}"
    )
    return 0
