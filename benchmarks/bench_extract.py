"""Extraction per core: articles per CPU-second of one process, now and (optionally) at an earlier commit.

``python -m benchmarks.bench_extract [--articles N] [--rounds R] [--baseline REV] [--quick]``

Each measurement is a fresh process that loads the gazetteer, extracts a few articles to
warm up (the name automaton, the rule tables, dateparser's data), then runs
``mapapp.pipeline.extract_file`` over every article once, timed by the process's CPU clock
(so other jobs on the machine slow the wall clock more than the figure). One process is one
core: extraction is single-threaded. Two sets:

* *seed-like*: ``N`` pages from :func:`benchmarks.generate.generate_articles` (the seed and
  corpus pages with other places, outlets and dates), the set issue 13's aim is stated on.
  The generated pages repeat their templates' sentences, so memo caches keyed on a
  sentence (date cues) hit more often than on a real stream;
* *distinct*: the project's own 45 pages (seeds, corpus, heldout, heldout2), each once.

``--baseline REV`` exports that commit (``git archive``) to a temp folder, builds its
gazetteer cache there on first use (about a minute, reused afterwards), and measures it in
the same run, rounds alternating, so "before" and "after" see the same machine load. Each
child also hashes everything it extracted (events, mentions, notes) so the table says
whether both trees gave the same output. Prints a markdown table; the best round counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["child_extract", "main"]

ROOT = Path(__file__).resolve().parents[1]
DISTINCT = ("seeds", "tests/corpus", "tests/heldout", "tests/heldout2")
WARM_UP = 10


def child_extract(folders: list[str]) -> dict[str, object]:
    """Extract every article of ``folders`` (each with its manifest.csv) once in this process."""
    from gazetteer import load_gazetteer
    from mapapp.ingest import find_articles, load_manifests
    from mapapp.pipeline import extract_file

    gazetteer = load_gazetteer()
    jobs = []
    for folder in folders:
        manifest_path = Path(folder) / "manifest.csv"
        manifest = load_manifests([manifest_path]) if manifest_path.is_file() else None
        jobs += [(path, manifest) for path in find_articles([folder])]
    warm_manifest = load_manifests([ROOT / "seeds" / "manifest.csv"])
    for path in sorted((ROOT / "seeds").glob("*.txt"))[:WARM_UP]:
        extract_file(path, gazetteer, manifest=warm_manifest)
    digest = hashlib.sha256()
    events = 0
    cpu, wall = time.process_time(), time.perf_counter()
    results = [extract_file(path, gazetteer, manifest=manifest) for path, manifest in jobs]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    for result in results:
        digest.update(repr((result.article, result.events, result.mentions, result.notes)).encode())
        events += len(result.events)
    return {"articles": len(jobs), "events": events, "cpu": cpu, "wall": wall, "digest": digest.hexdigest()}


def _run(tree: Path, folders: list[str], cache_dir: Path | None) -> dict[str, object]:
    code = (
        "import json; from benchmarks.bench_extract import child_extract; "
        f"print(json.dumps(child_extract({folders!r})))"
    )
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if cache_dir is not None:
        env["GAZETTEER_CACHE_DIR"] = str(cache_dir)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, env=env, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"extraction in {tree} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _export(rev: str) -> tuple[Path, str]:
    """The tree of ``rev`` under the temp dir (exported once) and its short hash."""
    short = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    tree = Path(tempfile.gettempdir()) / f"mapapp-baseline-{short}"
    if not (tree / "mapapp").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", short], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    if not (tree / "benchmarks" / "bench_extract.py").is_file():  # an older tree: bring the child along
        (tree / "benchmarks" / "bench_extract.py").write_text(Path(__file__).read_text(encoding="utf-8"))
    return tree, short


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_extract", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="200 articles, 1 round")
    parser.add_argument("--articles", type=int, help="seed-like articles (default 1,000)")
    parser.add_argument("--rounds", type=int, help="processes per tree and set (default 3; the best counts)")
    parser.add_argument("--baseline", metavar="REV", help="also measure this commit, in the same run")
    args, _ = parser.parse_known_args(argv)
    n = args.articles or (200 if args.quick else 1000)
    rounds = args.rounds or (1 if args.quick else 3)
    from benchmarks.generate import generate_articles

    trees: list[tuple[str, Path, Path | None]] = []
    if args.baseline:
        tree, short = _export(args.baseline)
        trees.append((f"before ({short})", tree, tree / "data" / "cache"))
    trees.append(("now (this tree)", ROOT, None))
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        generate_articles(n, Path(tmp) / "articles", seed=2020)
        sets = {
            "seed-like": [str(Path(tmp) / "articles")],
            "distinct": [str(ROOT / d) for d in DISTINCT],
        }
        results: dict[tuple[str, str], list[dict[str, object]]] = {}
        for _ in range(rounds):
            for label, tree, cache in trees:
                for name, folders in sets.items():
                    results.setdefault((label, name), []).append(_run(tree, folders, cache))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; best of {rounds} round(s)\n")
    print(
        "| pipeline | set | articles | events | articles/s per core (CPU clock) | median | wall clock, best |"
        "\n|---|---|---:|---:|---:|---:|---:|"
    )
    best: dict[tuple[str, str], float] = {}
    for (label, name), runs in results.items():
        rates = [float(r["articles"]) / float(r["cpu"]) for r in runs]  # type: ignore[arg-type]
        walls = [float(r["articles"]) / float(r["wall"]) for r in runs]  # type: ignore[arg-type]
        best[(label, name)] = max(rates)
        first = runs[0]
        print(
            f"| {label} | {name} | {first['articles']:,} | {first['events']:,} | {max(rates):,.0f} | "
            f"{statistics.median(rates):,.0f} | {max(walls):,.0f} |"
        )
    if len(trees) == 2:
        (before, _, _), (now, _, _) = trees
        print()
        for name in sets:
            digests = [{r["digest"] for r in results[(label, name)]} for label in (before, now)]
            ratio = best[(now, name)] / best[(before, name)]
            same = "yes" if digests[0] == digests[1] else "NO"
            print(f"- {name}: {ratio:.1f}x the articles per core; same output as before: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
