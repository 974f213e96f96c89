"""Cut the base map's shipped layers out of Natural Earth: ``python -m mapapp.basemap.source``.

A maintainer's step, run when the source changes, not at install time. Its input is the
GeoPackage that Debian's ``qgis-common`` package ships (``world_map.gpkg``: Natural Earth
1:10m cultural vectors v4.1.0, public domain, generalised by the QGIS project; see its
``README_world_map.md``). No package on PyPI ships Natural Earth's admin-1 districts or its
disputed-area lines, so the few kilobytes this map needs are kept inside the package
(``mapapp/basemap/data/*.geo.json``), each file naming its source, version, licence and
processing, and a plain ``pip install`` needs neither Debian nor QGIS.

Without QGIS installed, the package can be unpacked rather than installed::

    apt-get download qgis-common && dpkg -x qgis-common_*.deb /tmp/qgis
    python -m mapapp.basemap.source --gpkg /tmp/qgis/usr/share/qgis/resources/data/world_map.gpkg

What is kept: the countries in :data:`~mapapp.basemap.base.OUTLINE_BOUNDS` (clipped to it),
the first-level divisions of Armenia (marzer) and Azerbaijan (rayons and cities), and the two
Nagorno-Karabakh lines of the disputed-borders layer: the boundary of the former autonomous
oblast (1991) and the 1994 ceasefire line. Coordinates are rounded to 0.001 degree (about
100 m, finer than the source's generalisation).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mapapp.errors import BaseMapError

__all__ = ["DATA_DIR", "DEBIAN_GPKG", "DISPUTED_LINES", "DIVISION_COUNTRIES", "cut_layers", "main"]

DATA_DIR = Path(__file__).resolve().parent / "data"
DEBIAN_GPKG = Path("/usr/share/qgis/resources/data/world_map.gpkg")
DIVISION_COUNTRIES = ("AM", "AZ")
# name in the disputed_borders layer (both on Azerbaijan's side) -> our key
DISPUTED_LINES = {
    "Former USSR oblast in 1991": "nkao-1991",
    "Ceasefire Line 1994": "ceasefire-1994",
}
PRECISION = 0.001
SOURCE = {
    "dataset": "Natural Earth 1:10m cultural vectors v4.1.0 (Admin 0 countries, Admin 1 states and "
    "provinces, Admin 0 breakaway and disputed areas boundary lines)",
    "licence": "public domain (Natural Earth terms of use)",
    "via": "Debian package qgis-common 3.22.16+dfsg-1, /usr/share/qgis/resources/data/world_map.gpkg "
    "(generalised by the QGIS project with GRASS v.generalize, as its README_world_map.md says)",
}


def _rounded(geometry: Any, box: tuple[float, float, float, float] | None = None) -> Any:
    from shapely import clip_by_rect, make_valid, set_precision

    if box is not None:
        geometry = clip_by_rect(geometry, *box)
    return set_precision(make_valid(geometry), PRECISION)


def _collection(layer: str, features: list[dict[str, Any]], processing: str) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "source": {**SOURCE, "layer": layer, "processing": processing},
        "features": features,
    }


def _feature(properties: dict[str, Any], geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry.__geo_interface__}


def cut_layers(gpkg: Path) -> dict[str, dict[str, Any]]:
    """The three shipped layers from ``gpkg``, by file name (``countries.geo.json`` ...).

    Raises :class:`~mapapp.errors.BaseMapError` naming the file when it is missing or lacks
    a layer, a column or the Nagorno-Karabakh lines.
    """
    import pyogrio
    from shapely import line_merge, union_all

    from mapapp.basemap.base import OUTLINE_BOUNDS, xy_box

    if not gpkg.is_file():
        raise BaseMapError(
            gpkg, "no such GeoPackage: install or unpack Debian's qgis-common (see `--help`) and pass --gpkg"
        )
    box = xy_box(OUTLINE_BOUNDS)
    try:
        countries = pyogrio.read_dataframe(gpkg, layer="countries", bbox=box, columns=["NAME", "ISO_A3"])
        divisions = pyogrio.read_dataframe(
            gpkg,
            layer="states_provinces",
            columns=["iso_a2", "name", "gn_name", "adm0_a3"],
            where="iso_a2 IN ({})".format(", ".join(f"'{c}'" for c in DIVISION_COUNTRIES)),
        )
        lines = pyogrio.read_dataframe(gpkg, layer="disputed_borders", columns=["name", "adm0_a3_l"])
    except Exception as exc:  # pyogrio raises DataLayerError, FieldError, ... for a different file
        raise BaseMapError(gpkg, f"not the world map GeoPackage this build expects: {exc}") from None
    out_countries = []
    for name, iso, geometry in zip(countries["NAME"], countries["ISO_A3"], countries.geometry, strict=True):
        shape = _rounded(geometry, box)
        if not shape.is_empty:
            out_countries.append(_feature({"name": str(name), "iso_a3": str(iso)}, shape))
    out_divisions = [
        _feature({"country": str(iso2), "gn_name": str(gn), "ne_name": str(name)}, _rounded(geometry))
        for iso2, gn, name, geometry in zip(
            divisions["iso_a2"], divisions["gn_name"], divisions["name"], divisions.geometry, strict=True
        )
    ]
    out_divisions.sort(key=lambda f: (f["properties"]["country"], f["properties"]["gn_name"]))
    out_lines = []
    for name, key in DISPUTED_LINES.items():
        parts = lines.geometry[(lines["name"] == name) & (lines["adm0_a3_l"] == "AZE")]
        if parts.empty:
            raise BaseMapError(gpkg, f"layer disputed_borders has no {name!r} line in Azerbaijan")
        out_lines.append(
            _feature({"kind": key, "ne_name": name}, _rounded(line_merge(union_all(list(parts)))))
        )
    if not out_countries or len(out_divisions) < 80:
        raise BaseMapError(
            gpkg, "too few countries or divisions around the South Caucasus: not the expected file"
        )
    return {
        "countries.geo.json": _collection(
            "countries",
            out_countries,
            f"clipped to lat/lon box {box}, coordinates rounded to {PRECISION} deg",
        ),
        "divisions.geo.json": _collection(
            "states_provinces",
            out_divisions,
            f"first-level divisions of {', '.join(DIVISION_COUNTRIES)}, "
            f"coordinates rounded to {PRECISION} deg",
        ),
        "disputed.geo.json": _collection(
            "disputed_borders",
            out_lines,
            "the Nagorno-Karabakh lines (" + ", ".join(DISPUTED_LINES) + f"), rounded to {PRECISION} deg",
        ),
    }


def write_layers(layers: dict[str, dict[str, Any]], directory: Path) -> list[Path]:
    """Write each layer as compact JSON (one feature a line, for readable diffs); return the paths."""
    written = []
    for name, collection in layers.items():
        head = {k: v for k, v in collection.items() if k != "features"}
        body = ",\n".join(
            json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
        )
        text = json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "features": [\n' + body + "\n]}\n"
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: cut the layers from ``--gpkg`` into ``--out``."""
    parser = argparse.ArgumentParser(
        prog="python -m mapapp.basemap.source",
        description=__doc__.splitlines()[0],
        epilog="Without QGIS: apt-get download qgis-common && dpkg -x qgis-common_*.deb DIR, "
        "then --gpkg DIR/usr/share/qgis/resources/data/world_map.gpkg",
    )
    parser.add_argument("--gpkg", type=Path, default=DEBIAN_GPKG, help="default: %(default)s")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        written = write_layers(cut_layers(args.gpkg), args.out)
    except BaseMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
