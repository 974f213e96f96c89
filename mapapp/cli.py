"""The ``mapapp`` command: one subcommand per module under :mod:`mapapp.commands`.

Exit status: 0 on success, 1 when the work failed in part (a place not found, an
article that could not be read), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

# subcommand name -> module under mapapp.commands that defines add_arguments(parser) and run(args) -> int
SUBCOMMANDS: dict[str, str] = {
    "geocode": "geocode",
    "extract": "extract",
    "evaluate": "evaluate",
    "ingest": "ingest",
    "export": "export",
    "forget": "forget",
    "serve": "serve",
}


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every subcommand's options."""
    parser = argparse.ArgumentParser(
        prog="mapapp",
        description="Turn news articles into a time-aware map of conflict events.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(f"mapapp.commands.{module_name}")
        doc = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
        sub_parser = sub.add_parser(name, help=doc, description=module.__doc__)
        module.add_arguments(sub_parser)
        sub_parser.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
