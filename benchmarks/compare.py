"""Before and after in one run: a benchmark of this tree and of a git revision, in alternate rounds.

``python -m benchmarks.compare --baseline main --rounds 3 bench_store --skip-ingest`` exports
the revision (``git archive``), then runs ``python -m benchmarks.bench_store --skip-ingest``
in it and in this tree, one after the other, ``--rounds`` times, so both see the same
machine (this one is shared and noisy). Prints one markdown table: each measure of the
benchmark's ``| measure | result |`` table, every round of both, and the ratio of the
medians of the first number of each result (after ÷ before). The benchmark's own table
is what it prints; rows only one side has show ``—``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.bench_map import ROOT, Variant, export_revision

__all__ = ["main", "parse_table", "run_rounds"]

_ROW = re.compile(r"^\|\s*(?P<measure>[^|]+?)\s*\|\s*(?P<result>[^|]+?)\s*\|$")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def parse_table(text: str) -> dict[str, str]:
    """Measure -> result of every two-column markdown row (the header and rule rows left out)."""
    rows = {}
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if match and match["measure"] != "measure" and not set(match["result"]) <= set("-: "):
            rows[match["measure"]] = match["result"]
    return rows


def first_number(result: str) -> float | None:
    """The first number of a result (``"1,508 articles/s, ..."`` -> 1508.0), or ``None``."""
    match = _NUMBER.search(result)
    return float(match.group().replace(",", "")) if match else None


def run_rounds(
    variants: Sequence[Variant], module: str, args: Sequence[str], rounds: int
) -> dict[str, list[dict[str, str]]]:
    """Each round runs ``module`` in every variant; variant name -> the parsed table of each round."""
    out: dict[str, list[dict[str, str]]] = {v.name: [] for v in variants}
    for number in range(rounds):
        for variant in variants:
            print(f"round {number + 1}: {module} in {variant.name}", file=sys.stderr, flush=True)
            done = subprocess.run(
                [sys.executable, "-m", f"benchmarks.{module}", *args],
                cwd=variant.root,
                env={**os.environ, "PYTHONPATH": str(variant.root)},
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise SystemExit(f"{module} failed in {variant.name}:\n{done.stderr[-3000:]}")
            out[variant.name].append(parse_table(done.stdout))
    return out


def table(results: dict[str, list[dict[str, str]]]) -> str:
    """One row per measure: every round of each variant, and after ÷ before of the medians."""
    before, after = list(results)
    measures = list(dict.fromkeys(m for runs in results.values() for run in runs for m in run))
    lines = [f"| measure | {before} | {after} | {after} ÷ {before} |", "|---|---|---|---:|"]
    for measure in measures:
        cells, medians = [], []
        for name in (before, after):
            values = [run.get(measure) for run in results[name]]
            numbers = [n for n in (first_number(v) for v in values if v) if n is not None]
            cells.append(" · ".join(v or "—" for v in values))
            medians.append(statistics.median(numbers) if numbers else None)
        ratio = f"{medians[1] / medians[0]:.2f}" if medians[0] and medians[1] is not None else "—"
        lines.append(f"| {measure} | {cells[0]} | {cells[1]} | {ratio} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Export the baseline, run the rounds, print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__)
    parser.add_argument("--baseline", required=True, metavar="REV", help="git revision to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("module", help="a benchmark module that prints | measure | result | rows")
    args, rest = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        base = export_revision(args.baseline, Path(tmp) / "baseline")
        results = run_rounds([base, Variant("this tree", ROOT)], args.module, rest, args.rounds)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
