"""Run every benchmark in turn: ``python -m benchmarks [--quick]``; each prints a markdown table."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run each ``benchmarks/bench_*.py`` module's ``main`` with the given arguments."""
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    status = 0
    for name in names:
        print(f"\n## {name}\n", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        status |= int(module.main(argv) or 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
