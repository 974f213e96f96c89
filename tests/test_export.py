"""Exports read back and compared value by value: GeoJSON, CSV, GeoPackage, GeoParquet; the CLIs.

The stores behind them are parametrised over SQLite and PostGIS (tests/conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date
from pathlib import Path

import pytest

from mapapp.cli import main
from mapapp.errors import ExportError
from mapapp.export import CSV_COLUMNS, FORMATS, csv_row, export_events, format_for_path
from mapapp.geo import PROPERTY_NAMES, event_properties
from mapapp.model import Event, Excerpt
from mapapp.store import open_store
from tests.test_store import make_extraction

CLAIMS = {
    "a.txt": [("gn:174979", "2020-09-30", "armenia"), ("gn:147622", "2020-10-04", "azerbaijan")],
    "b b ş.txt": [("gn:616052", "2020-10-01", "third-party"), ("gn:585225", "2020-10-20", "independent")],
    "c.txt": [("gn:585156", "2020-11-08", "azerbaijan")],
}


@pytest.fixture
def url(store_url: str) -> str:
    """A store with four articles, on each backend (tests/conftest.py)."""
    url = store_url
    with open_store(url) as store:
        for source, claims in CLAIMS.items():
            ex = make_extraction(source, claims, outlet="Kompas.com" if source == "a.txt" else "Reuters")
            store.save_extraction(ex)
        # a nasty excerpt: newline, quotes, commas, a formula-looking start, markup
        ex = make_extraction("d.txt", [("gn:174979", "2020-10-10", "independent")], text="d")
        nasty = Excerpt('=1+1, "kata" dia;\nbaris <b>dua</b> — Şuşa/Шуши', 0, 5)
        from dataclasses import replace

        ex = replace(ex, events=(replace(ex.events[0], excerpts=(nasty,)),))
        store.save_extraction(ex)
    return url


@pytest.fixture
def events(url: str) -> list[Event]:
    with open_store(url) as store:
        return store.load()


# what the spec requires of every export format, under these names
REQUIRED = ("id", "source", "place", "date", "side", "precision", "excerpt", "outlet", "title", "published")


def test_every_property_has_a_csv_column_with_acled_names() -> None:
    names = dict(CSV_COLUMNS)
    acled = {names[c] for c in ("latitude", "longitude", "location", "year")}
    assert acled == {"lat", "lon", "place_resolved", "date"}
    assert {p for _, p in CSV_COLUMNS} == set(PROPERTY_NAMES)


def test_csv_carries_the_columns_every_format_requires(events: list[Event], tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    export_events(events, out, "csv")
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert set(REQUIRED) <= set(rows[0]) and {"latitude", "longitude"} <= set(rows[0])
    for row, event in zip(rows, events, strict=True):
        props = event_properties(event)
        expected = {k: "" if props[k] is None else str(props[k]) for k in REQUIRED}
        assert {k: row[k] for k in REQUIRED} == expected


def test_geojson_round_trip(events: list[Event], tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    assert export_events(events, out, "geojson") == len(events) == 6
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data  # RFC 7946: WGS 84 implied
    for feature, event in zip(data["features"], events, strict=True):
        assert feature["geometry"] == {"type": "Point", "coordinates": [event.lon, event.lat]}
        assert feature["properties"] == event_properties(event)
        assert feature["id"] == event.id
    stepanakert = next(f for f in data["features"] if f["properties"]["place"] == "Stepanakert")
    lon, lat = stepanakert["geometry"]["coordinates"]
    assert (round(lat, 2), round(lon, 2)) == (39.82, 46.75)


def test_csv_round_trip(events: list[Event], tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    export_events(events, out, "csv")
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [c for c, _ in CSV_COLUMNS]
    for row, event in zip(rows, events, strict=True):
        expected = {k: "" if v is None else str(v) for k, v in csv_row(event).items()}
        assert row == expected
        assert float(row["latitude"]) == event.lat and float(row["longitude"]) == event.lon
    assert any("\n" in r["excerpt"] and r["excerpt"].startswith("=1+1") for r in rows)


def test_csv_reads_into_pandas_with_acled_columns(events: list[Event], tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "x.csv"
    export_events(events, out, "csv")
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df["date"].tolist() == [e.date.isoformat() for e in events]
    assert df["excerpt"].tolist() == [event_properties(e)["excerpt"] for e in events]
    assert df["source"].tolist() == [e.source for e in events]


def test_gpkg_round_trip_with_crs(events: list[Event], tmp_path: Path) -> None:
    import pyogrio

    out = tmp_path / "x.gpkg"
    export_events(events, out, "gpkg")
    info = pyogrio.read_info(out)
    assert info["crs"] == "EPSG:4326" and info["geometry_type"] == "Point" and info["features"] == 6
    assert info["layer_name"] == "events"
    df = pyogrio.read_dataframe(out)
    _compare_frame(df, events)


def test_geoparquet_round_trip_with_crs(events: list[Event], tmp_path: Path) -> None:
    import geopandas as gpd
    import pyarrow.parquet as pq

    out = tmp_path / "x.parquet"
    export_events(events, out, "parquet")
    assert b"geo" in pq.read_schema(out).metadata
    df = gpd.read_parquet(out)
    assert df.crs.to_epsg() == 4326
    assert str(pq.read_schema(out).field("date").type) == "date32[day]"
    _compare_frame(df, events)


def _compare_frame(df, events: list[Event]) -> None:
    assert list(df.columns[:-1]) == list(PROPERTY_NAMES)
    for (_, row), event in zip(df.iterrows(), events, strict=True):
        props = event_properties(event)
        for name in PROPERTY_NAMES:
            value = row[name]
            if name in ("date", "published"):
                value = value.isoformat()[:10] if value is not None and value == value else None
            assert value == props[name], name
        assert (row.geometry.x, row.geometry.y) == (event.lon, event.lat)


def test_empty_exports_are_valid(tmp_path: Path) -> None:
    import pyogrio

    for fmt, suffixes in FORMATS.items():
        out = tmp_path / f"empty{suffixes[0]}"
        assert export_events([], out, fmt) == 0
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "empty.geojson").read_text())["features"] == []
    assert pyogrio.read_info(tmp_path / "empty.gpkg")["features"] == 0


def test_export_refuses_bad_formats_and_destinations(events: list[Event], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format 'shp'"):
        export_events(events, tmp_path / "x.shp", "shp")
    with pytest.raises(ExportError, match="gpkg cannot be written to stdout"):
        export_events(events, "-", "gpkg")
    with pytest.raises(ExportError, match="is a folder"):
        export_events(events, tmp_path, "csv")


def test_failed_export_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    out.write_text("previous export")
    with pytest.raises(AttributeError):
        export_events([object()], out, "geojson")  # type: ignore[list-item]
    assert out.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["x.geojson"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.geojson", "geojson"),
        ("a.JSON", "geojson"),
        ("a.csv", "csv"),
        ("a.gpkg", "gpkg"),
        ("a.parquet", "parquet"),
        ("a.shp", None),
    ],
)
def test_format_for_path(name: str, fmt: str | None) -> None:
    assert format_for_path(name) == fmt


# -- the command line ---------------------------------------------------------------------


def test_cli_geojson_to_stdout_with_filters(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "export",
                "--format",
                "geojson",
                "--store",
                url,
                "--since",
                "2020-10-01",
                "--until",
                "2020-10-20",
                "--side",
                "independent",
                "--side",
                "azerbaijan",
                "-",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    got = [(f["properties"]["place"], f["properties"]["date"]) for f in data["features"]]
    assert got == [("Ganja", "2020-10-04"), ("Stepanakert", "2020-10-10"), ("Martuni", "2020-10-20")]


def test_cli_csv_to_stdout(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "csv", "--store", url, "-"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 6 and rows[0]["source"] == "a.txt"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_cli_writes_every_format_to_a_file(
    url: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out dir" / f"events{FORMATS[fmt][0]}"
    assert main(["export", "--store", url, str(out)]) == 0  # format from the suffix
    assert out.is_file()
    assert "6 events written" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "gpkg", "-"], "cannot go to stdout"),
        (["out.txt"], "cannot tell the format"),
        (["--since", "2020-11-01", "--until", "2020-10-01", "-", "--format", "csv"], "is after"),
        (["--side", "russia", "--format", "csv", "-"], "unknown side 'russia'"),
        (["--since", "1/10/2020", "--format", "csv", "-"], "YYYY-MM-DD"),
        (["--store", "postgresql://db/", "--format", "csv", "-"], "names no database"),
        (["--store", "mysql://db/x", "--format", "csv", "-"], "unknown scheme 'mysql'"),
    ],
)
def test_cli_export_usage_errors(
    argv: list[str], message: str, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if "--store" not in argv:
        argv = [*argv, "--store", url]
    try:
        status = main(["export", *argv])
    except SystemExit as exc:
        status = exc.code
    assert status == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_reingest_leaves_exports_byte_identical(fmt: str, url: str, tmp_path: Path) -> None:
    before, after = (tmp_path / f"{when}{FORMATS[fmt][0]}" for when in ("before", "after"))
    assert main(["export", "--store", url, "--format", fmt, str(before)]) == 0
    time.sleep(0.01)  # a later clock reading: a file that records when it was written would differ
    with open_store(url) as store:
        for source, claims in CLAIMS.items():
            ex = make_extraction(source, claims, outlet="Kompas.com" if source == "a.txt" else "Reuters")
            assert store.save_extraction(ex).status == "unchanged"
    assert main(["export", "--store", url, "--format", fmt, str(after)]) == 0
    assert after.read_bytes() == before.read_bytes()


def test_cli_forget(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forget", "--store", url, "a.txt"]) == 0
    assert "forgot a.txt: 2 events removed" in capsys.readouterr().out
    assert main(["forget", "--store", url, "a.txt"]) == 1
    assert "a.txt: not in the store" in capsys.readouterr().err
    assert main(["forget", "--store", url, str(tmp_path / "somewhere" / "b b ş.txt")]) == 0
    with open_store(url) as store:
        assert {a.source for a in store.articles()} == {"c.txt", "d.txt"}


def test_events_fixture_is_sorted_by_date(events: list[Event]) -> None:
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert events[0].date == date(2020, 9, 30)



@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format", "geojson", "{out}"],
        ["export", "--format", "csv", "-"],
        ["forget", "a.txt"],
    ],
    ids=["export", "export to stdout", "forget"],
)
def test_read_only_commands_refuse_a_missing_store_and_create_nothing(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = tmp_path / "typo" / "evnts.sqlite"
    out = tmp_path / "out.geojson"
    assert main([a.format(out=out) for a in argv] + ["--store", f"sqlite:///{typo}"]) == 2
    out_, err = capsys.readouterr()
    assert err.strip().endswith(
        f"no event store at {typo}: check --store / MAPAPP_STORE, or run `mapapp ingest` first"
    )
    assert out_ == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no store, no folder, no export
    monkeypatch.setenv("MAPAPP_STORE", f"sqlite:///{typo}")  # the environment is checked the same way
    assert main([a.format(out=out) for a in argv]) == 2
    assert "no event store at" in capsys.readouterr().err
    assert not typo.parent.exists() and not out.exists()


def test_what_happened_is_in_every_format(events: list[Event], tmp_path: Path) -> None:
    import geopandas as gpd

    expected = {e.id: ",".join(k.value for k in e.kinds) for e in events}
    assert "attack,casualties" in expected.values() and "capture" in expected.values()
    for fmt, column in (("csv", "event_type"), ("geojson", "kinds"), ("gpkg", "kinds"), ("parquet", "kinds")):
        out = tmp_path / f"x.{fmt}"
        export_events(events, out, fmt)
        if fmt == "csv":
            with out.open(encoding="utf-8", newline="") as f:
                got = {r["id"]: r[column] for r in csv.DictReader(f)}
        elif fmt == "parquet":
            frame = gpd.read_parquet(out)
            got = dict(zip(frame["id"], frame[column].fillna(""), strict=True))
        else:
            frame = gpd.read_file(out)
            got = dict(zip(frame["id"], frame[column].fillna(""), strict=True))
        assert got == expected, fmt
