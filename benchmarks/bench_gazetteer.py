"""Gazetteer figures: cold CLI answer, load time, memory and resolve throughput, printed as a table."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "measure"]

# Names as they appear in war reports, with spellings from several traditions (repeated in a text stream).
REPORT_NAMES = [
    "Stepanakert",
    "Khankendi",
    "Martuni",
    "Martakert",
    "Aghdara",
    "Hadrut",
    "Shushi",
    "Shusha",
    "Lachin",
    "Berdzor",
    "Kalbajar",
    "Jabrayil",
    "Fuzuli",
    "Zangilan",
    "Qubadli",
    "Ganja",
    "Barda",
    "Tartar",
    "Terter",
    "Mingachevir",
    "Goranboy",
    "Beylagan",
    "Horadiz",
    "Talish",
    "Sugovushan",
    "Madagiz",
    "Vardenis",
    "Goris",
    "Kapan",
    "Yerevan",
    "Baku",
    "Moskwa",
    "Ankara",
    "Teheran",
    "Rusia",
    "Turki",
    "Amerika Serikat",
    "Prancis",
    "Nagorno-Karabakh",
    "Karabakh",
    "Artsakh",
    "Azerbaijan",
    "Armenia",
    "Dashkesan",
    "Xocavənd",
    "Ağdərə",
]

_COLD_SCRIPT = """
import resource, time
t = time.perf_counter()
from gazetteer import load_gazetteer
gz = load_gazetteer()
load = time.perf_counter() - t
print(load, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _subprocess_seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True, timeout=120)
    return time.perf_counter() - started


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def measure(repeat: int = 3, names: int = 200_000) -> dict[str, float | int | str]:
    """Run every measurement and return the figures."""
    from gazetteer import fold_with_offsets, load_gazetteer
    from gazetteer.build import cache_path, load_compiled

    load_compiled()  # make sure the cache is built before timing cold starts
    figures: dict[str, float | int | str] = {}
    cli = [sys.executable, "-m", "mapapp.cli", "geocode", "Stepanakert", "--json"]
    figures["cold_cli_seconds_median"] = statistics.median(_subprocess_seconds(cli) for _ in range(repeat))
    loads, rss = [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _COLD_SCRIPT], capture_output=True, text=True, check=True, timeout=120
        ).stdout.split()
        loads.append(float(out[0]))
        rss.append(int(out[1]))
    figures["load_seconds_median"] = statistics.median(loads)
    figures["loaded_process_max_rss_mb"] = round(max(rss) / 1024, 1)

    gz = load_gazetteer()
    kinds = Counter(p.kind for p in gz)
    keys = list(gz.name_keys())
    figures["places"] = len(gz)
    figures["name_keys"] = len(keys)
    figures["places_by_kind"] = ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    figures["settlements_AM"] = sum(1 for p in gz if p.is_settlement and p.country == "AM")
    figures["settlements_AZ"] = sum(1 for p in gz if p.is_settlement and p.country == "AZ")
    figures["cache_file_mb"] = round(cache_path().stat().st_size / 1e6, 1)

    stream = [REPORT_NAMES[i % len(REPORT_NAMES)] for i in range(names)]
    started = time.perf_counter()
    for name in stream:
        gz.resolve(name)
    figures["resolve_report_names_per_s"] = round(_rate(len(stream), time.perf_counter() - started))

    rng = random.Random(7)
    distinct = rng.sample(keys, min(len(keys), 50_000))
    fresh = gz.with_prior(gz.prior)  # empty resolution cache
    started = time.perf_counter()
    for key in distinct:
        fresh.resolve(key)
    figures["resolve_distinct_uncached_per_s"] = round(_rate(len(distinct), time.perf_counter() - started))

    context = ["Stepanakert", "Hadrut", "Fuzuli"]
    sample = stream[:20_000]
    started = time.perf_counter()
    for name in sample:
        gz.resolve(name, context)
    figures["resolve_with_3_context_names_per_s"] = round(_rate(len(sample), time.perf_counter() - started))

    text = (
        " ".join(f"Pasukan Azerbaijan menembaki {n}, kata kementerian pertahanan." for n in REPORT_NAMES) * 20
    )
    started = time.perf_counter()
    fold_with_offsets(text)
    figures["fold_with_offsets_chars_per_s"] = round(_rate(len(text), time.perf_counter() - started))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures as a table (or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_gazetteer", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=3, help="cold-start repetitions (median reported)")
    args = parser.parse_args(argv)
    figures = measure(repeat=args.repeat)
    if args.json:
        print(json.dumps(figures))
        return 0
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        shown = (
            f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
        )
        print(f"{key:<{width}}  {shown}")
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "gazetteer.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
