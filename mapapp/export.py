"""Export events to the files analysts open elsewhere: GeoJSON, CSV, GeoPackage and GeoParquet.

Every format carries the same properties (:data:`mapapp.geo.PROPERTY_NAMES`); the CSV
keeps the names every format shares (``id``, ``source``, ``place``, ``date``, ``side``,
``precision``, ``excerpt``, ``outlet``, ``title``, ``published``) and uses ACLED's column
names for the others where the meaning is the same (:data:`CSV_COLUMNS`). Files are
written to a temporary file next to the target and renamed into place, so a failed
export never leaves half a file behind. The same events give byte-identical files in
every format (a GeoPackage's timestamp is :data:`GPKG_TIMESTAMP`, not the time of writing).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from mapapp.errors import ExportError
from mapapp.geo import PROPERTY_NAMES, event_properties, events_to_geodataframe, events_to_geojson
from mapapp.model import Event

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "GPKG_TIMESTAMP",
    "STREAMABLE",
    "csv_row",
    "export_events",
    "format_for_path",
    "geojson_text",
    "write_csv",
    "write_geojson",
    "write_gpkg",
    "write_parquet",
]

# format name -> usual file suffixes (the first is the one we suggest)
FORMATS: dict[str, tuple[str, ...]] = {
    "geojson": (".geojson", ".json"),
    "csv": (".csv",),
    "gpkg": (".gpkg",),
    "parquet": (".parquet", ".geoparquet"),
}
STREAMABLE = frozenset({"geojson", "csv"})  # may be written to stdout ("-")

# CSV column -> event property. The columns every export format carries keep their names
# (id, source, place, date, side, precision, excerpt, outlet, title, published), so one
# script reads any format; ACLED's names where they do not clash and the meaning is the
# same: year, location (the place as the gazetteer names it), country, latitude, longitude.
# Careful: ACLED's ``source`` names the outlet; ours names the article file, and the
# outlet has its own column. ``side`` is who claimed the event, not ACLED's actor1;
# ``excerpt`` is the verbatim sentence(s), not a summary like ACLED's notes. ``event_type``
# holds our kinds (attack, casualties, capture...; see mapapp.model.EventKind), not ACLED's
# event-type names.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("date", "date"),
    ("year", "date"),
    ("location", "place_resolved"),
    ("place", "place"),
    ("gazetteer_id", "gazetteer_id"),
    ("country", "country"),
    ("latitude", "lat"),
    ("longitude", "lon"),
    ("precision", "precision"),
    ("date_how", "date_how"),
    ("date_cue", "date_cue"),
    ("side", "side"),
    ("side_cue", "side_cue"),
    ("disputed_by", "disputed_by"),
    ("event_type", "kinds"),
    ("confidence", "confidence"),
    ("excerpt", "excerpt"),
    ("source", "source"),
    ("outlet", "outlet"),
    ("title", "title"),
    ("published", "published"),
    ("language", "language"),
)
assert {p for _, p in CSV_COLUMNS} == set(PROPERTY_NAMES), "every property must have a CSV column"


def format_for_path(path: str | Path) -> str | None:
    """The format a file suffix suggests (``events.gpkg`` -> ``gpkg``), or ``None``."""
    suffix = Path(path).suffix.lower()
    return next((name for name, suffixes in FORMATS.items() if suffix in suffixes), None)


def geojson_text(events: Iterable[Event]) -> str:
    """An RFC 7946 FeatureCollection, one feature per line (diff-friendly), UTF-8 letters kept."""
    collection = events_to_geojson(events)
    features = ",\n".join(json.dumps(f, ensure_ascii=False, allow_nan=False) for f in collection["features"])
    body = f"\n{features}\n" if features else ""
    return f'{{"type": "FeatureCollection", "features": [{body}]}}\n'


def write_geojson(events: Iterable[Event], fp: IO[str]) -> int:
    """Write GeoJSON to a text stream; return the number of features."""
    events = list(events)
    fp.write(geojson_text(events))
    return len(events)


def csv_row(event: Event) -> dict[str, Any]:
    """One CSV row (see :data:`CSV_COLUMNS`); ``year`` is the event's year."""
    props = event_properties(event)
    row = {column: props[prop] for column, prop in CSV_COLUMNS}
    row["year"] = event.date.year
    return row


def write_csv(events: Iterable[Event], fp: IO[str]) -> int:
    """Write CSV (RFC 4180, UTF-8, header row) to a text stream; return the number of rows."""
    writer = csv.DictWriter(fp, fieldnames=[c for c, _ in CSV_COLUMNS])
    writer.writeheader()
    n = 0
    for event in events:
        writer.writerow(csv_row(event))
        n += 1
    return n


def _geodataframe(events: Sequence[Event]) -> Any:
    """The export's GeoDataFrame: dates as real dates, so QGIS's temporal controller can use them."""
    import pandas as pd

    gdf = events_to_geodataframe(events)
    for column in ("date", "published"):
        gdf[column] = pd.to_datetime(gdf[column], format="%Y-%m-%d")
    return gdf


GPKG_TIMESTAMP = "1970-01-01T00:00:00.000Z"
"""What a GeoPackage records as its last change (``gpkg_contents.last_change``, set through
GDAL's ``OGR_CURRENT_DATE``): fixed, so the same events give the same bytes."""


@contextmanager
def _gdal_config(name: str, value: str) -> Iterator[None]:
    """Set a GDAL configuration option for the block, then restore it (GDAL's options are global)."""
    import pyogrio

    previous = pyogrio.get_gdal_config_option(name)
    pyogrio.set_gdal_config_options({name: value})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({name: previous})


def write_gpkg(events: Iterable[Event], path: str | Path) -> int:
    """Write a GeoPackage (layer ``events``, EPSG:4326; dates as DateTime fields).

    Deterministic: the timestamp GDAL would take from the clock is :data:`GPKG_TIMESTAMP`.
    """
    events = list(events)
    gdf = _geodataframe(events)
    with _gdal_config("OGR_CURRENT_DATE", GPKG_TIMESTAMP):
        gdf.to_file(path, driver="GPKG", layer="events", engine="pyogrio")
    return len(events)


def write_parquet(events: Iterable[Event], path: str | Path) -> int:
    """Write GeoParquet (WKB points, EPSG:4326 in the ``geo`` metadata; dates as date32)."""
    import pandas as pd

    events = list(events)
    gdf = events_to_geodataframe(events)
    for column in ("date", "published"):
        gdf[column] = pd.to_datetime(gdf[column], format="%Y-%m-%d").dt.date
    gdf.to_parquet(path, index=False)
    return len(events)


@contextmanager
def _atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # writers (GDAL) want to create the file themselves
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


_STREAM_WRITERS: dict[str, Callable[[Iterable[Event], IO[str]], int]] = {
    "geojson": write_geojson,
    "csv": write_csv,
}
_FILE_WRITERS: dict[str, Callable[[Iterable[Event], str | Path], int]] = {
    "gpkg": write_gpkg,
    "parquet": write_parquet,
}


def export_events(
    events: Iterable[Event], out: str | Path, fmt: str, *, stdout: IO[str] | None = None
) -> int:
    """Write ``events`` as ``fmt`` to ``out`` (``"-"``: stdout, geojson and csv only); return the count.

    Raises :class:`ExportError` naming the bad format or destination.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    events = list(events)
    if str(out) == "-":
        if fmt not in STREAMABLE:
            raise ExportError(f"{fmt} cannot be written to stdout ('-'): give a file name such as "
                              f"events{FORMATS[fmt][0]}")
        stream = stdout if stdout is not None else sys.stdout
        return _STREAM_WRITERS[fmt](events, stream)
    target = Path(out)
    if target.is_dir():
        example = target / f"events{FORMATS[fmt][0]}"
        raise ExportError(f"{target} is a folder: give a file name such as {example}")
    try:
        with _atomic_path(target) as tmp:
            if fmt in _STREAM_WRITERS:
                buffer = io.StringIO(newline="")
                n = _STREAM_WRITERS[fmt](events, buffer)
                tmp.write_text(buffer.getvalue(), encoding="utf-8", newline="")
            else:
                n = _FILE_WRITERS[fmt](events, tmp)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write the export: {exc.strerror or exc}") from exc
    return n
