"""Event store benchmark on each backend: ingest throughput and memory, writes, size, query times.

``python -m benchmarks.bench_store`` (10,000 articles through the real pipeline, 100,000
stored events) or ``--quick`` (small sizes); ``--backend sqlite`` or ``--backend postgresql``
for one backend (default: both). Every measure takes a store URL: a SQLite file in a temp
dir, or a database on a throwaway PostgreSQL/PostGIS server the benchmark starts itself
(tests/pgserver.py, with PostgreSQL's default durability: fsync on) and stops. Also SQLite's
plain indexes against an R*Tree. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from benchmarks.generate import generate_articles, generate_extractions

__all__ = ["BACKENDS", "bench_ingest", "bench_store", "child_ingest", "main", "store_urls"]

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("sqlite", "postgresql")


def child_ingest(folder: str, url: str, workers: int | None) -> dict[str, object]:
    """Run one ingest in this (fresh) process; return time, counts and peak memory (self and workers)."""
    from mapapp.ingest import ingest, load_manifests
    from mapapp.store import open_store

    manifest = load_manifests([Path(folder) / "manifest.csv"])
    with open_store(url) as store:
        started = time.perf_counter()
        report = ingest([folder], store, manifest=manifest, workers=workers)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "read": report.read,
        "new": report.new,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "events_added": report.events_added,
        "failures": report.failures[:3],
        "maxrss_self_kib": _peak_rss_kib(),
        "maxrss_children_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }


def _peak_rss_kib() -> int:
    """This program's own peak resident memory. Not getrusage's ru_maxrss: after fork + exec it still
    counts the parent's memory at the fork (the benchmark's own process, large after the store figures)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _run_child(folder: Path, url: str, workers: int | None) -> dict[str, object]:
    code = (
        "import json, sys; from benchmarks.bench_store import child_ingest; "
        f"print(json.dumps(child_ingest({str(folder)!r}, {url!r}, {workers!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median_ms(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def generate_folder(n_articles: int, workdir: Path) -> tuple[Path, list[tuple[str, str]]]:
    """The articles every backend's ingest reads, generated once."""
    folder = workdir / "articles"
    started = time.perf_counter()
    generate_articles(n_articles, folder, seed=2020)
    generated = time.perf_counter() - started
    return folder, [
        ("articles generated (seed + corpus pages varied)", f"{n_articles:,} in {generated:.1f} s")
    ]


def bench_ingest(folder: Path, url: str, workers: int | None) -> list[tuple[str, str]]:
    """Ingest ``folder`` into the empty store ``url`` in a fresh process, then again (all unchanged)."""
    first = _run_child(folder, url, workers)
    again = _run_child(folder, url, workers)
    cores = workers or os.cpu_count()
    mib = 1024
    return [
        (
            f"ingest, new articles, real pipeline, {cores} worker(s)",
            f"{first['read'] / first['seconds']:.0f} articles/s ({first['seconds']:.1f} s; "
            f"{first['events_added']:,} events; {first['failed']} failed)",
        ),
        (
            "re-ingest, all unchanged (input fingerprints match: no extraction)",
            f"{again['read'] / again['seconds']:.0f} articles/s ({again['unchanged']:,} unchanged)",
        ),
        ("peak memory of that ingest: writer process", f"{first['maxrss_self_kib'] / mib:.0f} MiB"),
        ("peak memory of that ingest: largest worker", f"{first['maxrss_children_kib'] / mib:.0f} MiB"),
    ]


def bench_store(n_events: int, url: str) -> list[tuple[str, str]]:
    """Writes, unchanged saves, size and query times of the empty store ``url`` filled with ``n_events``."""
    from mapapp.model import Side
    from mapapp.store import open_store

    started = time.perf_counter()
    extractions = []
    total = 0
    seed = 0
    while total < n_events:
        batch = generate_extractions(min(2000, max(1, (n_events - total) // 5)), seed=seed)
        seed += 1
        for ex in batch:
            if total >= n_events:
                break
            extractions.append(ex)
            total += len(ex.events)
    generated = time.perf_counter() - started
    rows: list[tuple[str, str]] = [
        ("events generated (no pipeline)", f"{total:,} in {len(extractions):,} articles, {generated:.1f} s")
    ]
    with open_store(url) as store:
        started = time.perf_counter()
        for ex in extractions:
            store.save_extraction(ex)
        seconds = time.perf_counter() - started
        rows.append(
            (
                "store writes (one transaction per article)",
                f"{len(extractions) / seconds:,.0f} articles/s, {total / seconds:,.0f} events/s",
            )
        )
        started = time.perf_counter()
        unchanged = sum(store.save_extraction(ex).status == "unchanged" for ex in extractions[:2000])
        rows.append(("unchanged saves", f"{unchanged / (time.perf_counter() - started):,.0f} articles/s"))
        del extractions
        size = _size(url)
        rows.append(
            (
                "store size per 10,000 events (article text, excerpts, indexes)",
                f"{size / total * 10_000 / 1024**2:.2f} MiB ({size / 1024**2:.0f} MiB for {total:,})",
            )
        )
        queries = {
            "load(): one day": lambda: store.load(window=(date(2020, 10, 10), date(2020, 10, 10))),
            "load(): 7-day window": lambda: store.load(window=(date(2020, 10, 4), date(2020, 10, 10))),
            "load(): 7 days, one side": lambda: store.load(
                window=(date(2020, 10, 4), date(2020, 10, 10)), sides=[Side.ARMENIA]
            ),
            "load(): bbox around Stepanakert/Shusha": lambda: store.load(bbox=(39.70, 46.65, 39.90, 46.85)),
            "load(): text search 'drone'": lambda: store.load(
                text="drone", window=(date(2020, 10, 4), date(2020, 10, 10))
            ),
            "load(): everything": lambda: store.load(),
            "version() (the app's cache key)": store.version,
            "date_range()": store.date_range,
        }
        for label, fn in queries.items():
            ms, result = _median_ms(fn, repeat=3 if "everything" in label else 7)
            n = f", {len(result):,} events" if isinstance(result, list) else ""
            rows.append((f"{label} over {total:,} events", f"{ms:.2f} ms{n}"))
    if url.startswith("sqlite:"):
        rows += _rtree_vs_index(Path(url.removeprefix("sqlite:///")), total)
    return rows


def _size(url: str) -> int:
    """Bytes the store takes: the SQLite file (after a checkpoint), or the PostgreSQL tables and indexes."""
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///"))
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        return path.stat().st_size
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        row = conn.execute(
            "SELECT sum(pg_total_relation_size(format('%I', t)::regclass)) "
            "FROM unnest(ARRAY['articles', 'events', 'excerpts', 'meta', 'schema_version']) AS t"
        ).fetchone()
    return int(row[0]) if row else 0


@contextmanager
def store_urls(backend: str, workdir: Path) -> Iterator[Callable[[str], str]]:
    """``name -> URL`` of a new empty store of ``backend``; PostgreSQL on a server started here."""
    if backend == "sqlite":
        yield lambda name: f"sqlite:///{workdir / name}.sqlite"
        return
    from tests.pgserver import PgServer

    with PgServer(fast=False) as server:
        yield server.create_database



def _rtree_vs_index(path: Path, total: int) -> list[tuple[str, str]]:
    """Same bbox (+ window) query by the plain (lat, lon) index and by an R*Tree built for the test."""
    copy = path.with_name("rtree.sqlite")
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    conn.execute("CREATE VIRTUAL TABLE ev_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon)")
    conn.execute("INSERT INTO ev_rtree SELECT rowid, lat, lat, lon, lon FROM events")
    conn.commit()
    out = []
    boxes = {"small bbox (0.2°)": (39.70, 46.65, 39.90, 46.85), "large bbox (2°)": (39.0, 45.5, 41.0, 47.5)}
    october = " AND {date} BETWEEN '2020-10-01' AND '2020-10-31'"
    for label, (a, b, c, d) in boxes.items():
        for window in ("", october):
            plain_sql = "SELECT id FROM events WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
            rtree_sql = (
                "SELECT e.id FROM ev_rtree r JOIN events e ON e.rowid = r.rid WHERE r.min_lat >= ? AND "
                "r.max_lat <= ? AND r.min_lon >= ? AND r.max_lon <= ?"
            )
            plain_sql += window.format(date="date")
            rtree_sql += window.format(date="e.date")
            params = (a, c, b, d)
            ms_plain, rows_plain = _median_ms(lambda q=plain_sql, p=params: conn.execute(q, p).fetchall(), 9)
            ms_rtree, rows_rtree = _median_ms(lambda q=rtree_sql, p=params: conn.execute(q, p).fetchall(), 9)
            assert sorted(rows_plain) == sorted(rows_rtree)
            out.append(
                (
                    f"{label}{' + October' if window else ''}, ids only, {total:,} events: "
                    "plain (lat, lon)/date indexes vs R*Tree",
                    f"{ms_plain:.2f} ms vs {ms_rtree:.2f} ms ({len(rows_plain):,} rows)",
                )
            )
    conn.close()
    copy.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_store", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (300 articles, 10,000 events)")
    parser.add_argument("--articles", type=int, help="articles through the real pipeline (default 10,000)")
    parser.add_argument("--events", type=int, help="events in the store for query times (default 100,000)")
    parser.add_argument("--workers", type=int, help="extraction processes (default: every core)")
    parser.add_argument("--skip-ingest", action="store_true", help="only the store figures")
    parser.add_argument("--backend", action="append", choices=BACKENDS,
                        help="store backend to measure (repeatable; default: both)")
    args, _ = parser.parse_known_args(argv)
    n_articles = args.articles or (300 if args.quick else 10_000)
    n_events = args.events or (10_000 if args.quick else 100_000)
    rows: list[tuple[str, str]] = []
    versions = [f"SQLite {sqlite3.sqlite_version}"]
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        workdir = Path(tmp)
        folder = None
        if not args.skip_ingest:
            folder, generated = generate_folder(n_articles, workdir)
            rows += generated
        for backend in args.backend or BACKENDS:
            with store_urls(backend, workdir) as new_url:
                if backend == "postgresql":
                    versions.append(_server_version(new_url("version")))
                if folder is not None:
                    rows += [(f"{backend}: {label}", value) for label, value in
                             bench_ingest(folder, new_url("ingest"), args.workers)]
                measured = bench_store(n_events, new_url("store"))
                rows += [(f"{backend}: {label}", value) for label, value in measured]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {', '.join(versions)}\n")
    print("| measure | result |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    return 0


def _server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_setting('server_version'), postgis_lib_version()").fetchone()
    return f"PostgreSQL {row[0].split()[0]} + PostGIS {row[1]}" if row else "PostgreSQL"


if __name__ == "__main__":
    sys.exit(main())
