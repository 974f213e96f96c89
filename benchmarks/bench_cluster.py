"""Distributed ingest: articles/s into SQLite with one process, the local process pool and Dask workers.

``python -m benchmarks.bench_cluster [--articles N] [--quick]``

Each ingest runs in a fresh process on a fresh SQLite store over the same generated seed-like
articles (:func:`benchmarks.generate.generate_articles`): the single-process ingest, the
local process pool with 2 processes, and ``--engine dask`` on a local cluster of 1 and 2
worker processes (the client writes the store, as in a team's setup). Reported: articles/s
(wall clock, start-up of the pool or cluster included), the events stored (they must be the
same in every row), the peak memory of the client and of each Dask worker, and a projection
of the workers a stream of one million articles an hour needs, with its assumptions.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate_articles

__all__ = ["child_ingest", "main"]

ROOT = Path(__file__).resolve().parents[1]
STREAM_PER_HOUR = 1_000_000


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ingest(folder: str, url: str, engine: str, workers: int) -> dict[str, object]:
    """One ingest in this (fresh) process; time, counts, the store's event ids and peak memory."""
    import hashlib

    from mapapp.ingest import ingest, load_manifests
    from mapapp.store import open_store

    manifest = load_manifests([Path(folder) / "manifest.csv"])
    worker_mib: list[float] = []
    started = time.perf_counter()
    with open_store(url) as store:
        if engine == "dask":
            from mapapp.cluster import DaskEngine

            with DaskEngine(workers=workers) as cluster:
                ready = time.perf_counter()
                report = ingest([folder], store, manifest=manifest, engine=cluster)
                worker_mib = sorted(cluster.client.run(_peak_rss_mib).values())
        else:
            ready = time.perf_counter()
            report = ingest([folder], store, manifest=manifest, workers=workers)
        seconds = time.perf_counter() - started
        ids = hashlib.sha256("\n".join(e.id for e in store.load()).encode()).hexdigest()[:12]
    return {
        "seconds": seconds,
        "start_up": ready - started,
        "read": report.read,
        "failed": report.failed,
        "events": report.events_added,
        "ids": ids,
        "client_mib": _peak_rss_mib(),
        "children_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "worker_mib": worker_mib,
    }


def _run(folder: Path, url: str, engine: str, workers: int) -> dict[str, object]:
    code = (
        "import json; from benchmarks.bench_cluster import child_ingest; "
        f"print(json.dumps(child_ingest({str(folder)!r}, {url!r}, {engine!r}, {workers!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"ingest ({engine}, {workers}) failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cluster", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="300 articles")
    parser.add_argument("--articles", type=int, help="seed-like articles (default 2,000)")
    args, _ = parser.parse_known_args(argv)
    n = args.articles or (300 if args.quick else 2000)
    runs = [("one process", "processes", 1), ("local process pool", "processes", 2),
            ("Dask, 1 worker", "dask", 1), ("Dask, 2 workers", "dask", 2)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        folder = Path(tmp) / "articles"
        generate_articles(n, folder, seed=2026)
        for label, engine, workers in runs:
            url = f"sqlite:///{Path(tmp) / (label.replace(' ', '-').replace(',', '') + '.sqlite')}"
            rows.append((label, engine, workers, _run(folder, url, engine, workers)))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {n:,} seed-like articles, "
          "SQLite store written by the client\n")
    print("| ingest | articles/s (wall) | of which start-up | events | same ids | peak memory |")
    print("|---|---:|---:|---:|---|---|")
    first_ids = rows[0][3]["ids"]
    for label, engine, workers, r in rows:
        rate = float(r["read"]) / float(r["seconds"])  # type: ignore[arg-type]
        if engine == "dask":
            memory = f"client {r['client_mib']:.0f} MiB, workers " + ", ".join(
                f"{m:.0f}" for m in r["worker_mib"]  # type: ignore[attr-defined]
            ) + " MiB"
        elif workers > 1:
            memory = f"writer {r['client_mib']:.0f} MiB, largest worker {r['children_mib']:.0f} MiB"
        else:
            memory = f"{r['client_mib']:.0f} MiB"
        same = "yes" if r["ids"] == first_ids else "NO"
        start = f"{float(r['start_up']):.1f} s"  # type: ignore[arg-type]
        print(f"| {label} | {rate:,.0f} | {start} | {r['events']:,} | {same} | {memory} |")
    one_worker = next(r for label, _, _, r in rows if label == "Dask, 1 worker")
    per_worker = float(one_worker["read"]) / (float(one_worker["seconds"]) - float(one_worker["start_up"]))
    need = STREAM_PER_HOUR / 3600
    workers = math.ceil(need / (per_worker * 0.7))
    print(
        f"\nProjection for {STREAM_PER_HOUR:,} articles an hour ({need:,.0f} articles/s): one Dask worker "
        f"here extracts {per_worker:,.0f} articles/s once started (seed-like articles, one core). Assuming "
        f"throughput grows with workers of the same speed (one core each, extraction is independent per "
        f"article), 70 % utilisation for peaks and retries, and the client keeping up with the writes: "
        f"**{workers} workers** (cores). The writing client is the limit to watch: SQLite takes one writer "
        "(benchmarks/bench_store.py measures its write rate); past it a PostgreSQL store, or several clients."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
