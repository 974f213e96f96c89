"""Ingests and the app at once, in separate processes, on every backend: no "database is locked",
no half articles, no event lost or stored twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.test_crash_safety import _n, check_store, variant_for

ROOT = Path(__file__).resolve().parents[1]


def writer_main(url: str, runs: int, n_articles: int) -> None:
    """Ingest the same folder several times over, a quarter of the articles changing each time."""
    from mapapp.ingest import ingest
    from mapapp.store import open_store
    from tests.test_crash_safety import RunExtractor

    with open_store(url) as store:
        print("ready", flush=True)
        totals = Counter()
        for run in range(runs):
            paths = [f"/nonexistent/art{i:03d}.txt" for i in range(n_articles)]
            report = ingest(paths, store, extractor=RunExtractor(run), workers=1)
            totals.update(new=report.new, changed=report.changed, failed=report.failed)
    print(json.dumps(totals), flush=True)


def ingest_main(url: str, run: int, n_articles: int) -> None:
    """One ingest of the folder as run ``run`` gives it; prints its report's counts."""
    from mapapp.ingest import ingest
    from mapapp.store import open_store
    from tests.test_crash_safety import RunExtractor

    with open_store(url) as store:
        print("ready", flush=True)
        paths = [f"/nonexistent/art{i:03d}.txt" for i in range(n_articles)]
        report = ingest(paths, store, extractor=RunExtractor(run), workers=1)
    print(json.dumps({"new": report.new, "changed": report.changed, "unchanged": report.unchanged,
                      "failed": report.failed, "failures": report.failures[:3]}), flush=True)


def reader_main(url: str, stop_file: str) -> None:
    """What the app does on each rerun, in a loop, until the writer is done."""
    from mapapp.store import open_store

    loads = errors = half = 0
    versions = set()
    messages: list[str] = []
    with open_store(url) as store:
        while not os.path.exists(stop_file):
            try:
                versions.add(store.version())
                events = store.load(
                    window=(date(2020, 9, 27), date(2020, 11, 10)),
                    sides=["armenia", "azerbaijan", "third-party", "independent"],
                )
                store.load(bbox=(39.0, 46.0, 39.3, 46.3), text="desa")
                store.articles()
                store.date_range()
                counts = Counter(e.source for e in events)
                for source, n in counts.items():
                    if n not in {_n(source, v) for v in range(3)}:
                        half += 1
                loads += 1
            except Exception as exc:
                errors += 1
                messages.append(f"{type(exc).__name__}: {exc}")
    print(
        json.dumps(
            {
                "loads": loads,
                "errors": errors,
                "half": half,
                "versions": len(versions),
                "messages": messages[:5],
            }
        ),
        flush=True,
    )


def _python(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _check_readers(readers: list[subprocess.Popen[str]]) -> None:
    for result in (json.loads(r.communicate(timeout=60)[0]) for r in readers):
        assert result["errors"] == 0, result["messages"]
        assert result["half"] == 0
        assert result["loads"] >= 5, result  # they really ran during the ingest
        assert result["versions"] >= 2, result  # and saw the content change


@pytest.mark.slow
def test_readers_never_see_locks_or_half_articles_while_ingest_writes(store_url: str, tmp_path: Path) -> None:
    url = store_url
    stop = tmp_path / "stop"
    writer = _python(f"from tests.test_concurrency import writer_main; writer_main({url!r}, 6, 120)")
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    readers = [
        _python(f"from tests.test_concurrency import reader_main; reader_main({url!r}, {str(stop)!r})")
        for _ in range(2)
    ]
    try:
        writer_out, _ = writer.communicate(timeout=120)
    finally:
        stop.touch()
    _check_readers(readers)
    assert writer.returncode == 0
    totals = json.loads(writer_out)
    assert totals["new"] == 120 and totals["changed"] > 0 and totals.get("failed", 0) == 0


@pytest.mark.slow
def test_two_ingests_and_a_reader_at_once_lose_and_double_nothing(store_url: str, tmp_path: Path) -> None:
    """Two people ingest the same folder at once, one of them with every fourth article edited,
    while the app reads: every article is stored once, whole, as one of the two saw it."""
    n = 160
    stop = tmp_path / "stop"
    setup = _python(f"from tests.test_concurrency import ingest_main; ingest_main({store_url!r}, 0, 0)")
    assert setup.communicate(timeout=60)[0].startswith("ready")  # the schema is in place before the race
    readers = [
        _python(f"from tests.test_concurrency import reader_main; reader_main({store_url!r}, {str(stop)!r})")
    ]
    writers = [
        _python(f"from tests.test_concurrency import ingest_main; ingest_main({store_url!r}, {run}, {n})")
        for run in (0, 1)
    ]
    try:
        outs = [w.communicate(timeout=180)[0].splitlines() for w in writers]
    finally:
        stop.touch()
    _check_readers(readers)
    assert [w.returncode for w in writers] == [0, 0]
    reports = [json.loads(lines[-1]) for lines in outs]
    assert [r["failed"] for r in reports] == [0, 0], [r["failures"] for r in reports]
    # each article is new to exactly one of the two; the other found it stored, or replaced it
    assert sum(r["new"] for r in reports) == n
    assert sum(r["new"] + r["changed"] + r["unchanged"] for r in reports) == 2 * n
    stored = check_store(store_url)  # every article whole: its events are exactly its text's
    assert len(stored) == n
    assert all(variant in {variant_for(s, 0), variant_for(s, 1)} for s, variant in stored.items())
