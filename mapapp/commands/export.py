"""Export stored events as GeoJSON, CSV, GeoPackage or GeoParquet: `mapapp export --format F OUT`.

``OUT`` may be ``-`` (stdout) for geojson and csv. ``--since``/``--until`` bound the
event dates (inclusive), ``--side`` (repeatable) keeps only claims of those sides.
Exit status: 0 written, 1 the store or the file could not be used, 2 usage error (also: no
store at the URL given; export never creates one).
"""

from __future__ import annotations

import argparse
import sys

from mapapp.commands.ingest import iso_date
from mapapp.errors import ExportError, StoreError, StoreURLError
from mapapp.export import FORMATS, STREAMABLE, export_events, format_for_path
from mapapp.model import Side
from mapapp.store import open_existing_store

__all__ = ["add_arguments", "run"]


def _side(value: str) -> Side:
    try:
        return Side.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the export options."""
    parser.add_argument("out", metavar="OUT", help="output file, or - for stdout (geojson, csv)")
    parser.add_argument("--format", choices=list(FORMATS), dest="fmt",
                        help="output format (default: from OUT's suffix)")
    parser.add_argument("--store", metavar="URL",
                        help="store URL: sqlite:///FILE or postgresql://user@host:port/db "
                        "(default: $MAPAPP_STORE, else sqlite:///data/events.sqlite)")
    parser.add_argument("--since", type=iso_date, metavar="DATE", help="first event day, YYYY-MM-DD")
    parser.add_argument("--until", type=iso_date, metavar="DATE", help="last event day, YYYY-MM-DD")
    parser.add_argument("--side", type=_side, action="append", metavar="SIDE",
                        help="keep claims of this side (repeatable): " + ", ".join(s.value for s in Side))


def run(args: argparse.Namespace) -> int:
    """Export the events that match the filters."""
    fmt = args.fmt or format_for_path(args.out)
    if fmt is None:
        print(f"mapapp export: cannot tell the format from {args.out!r}: give --format "
              f"({', '.join(FORMATS)})", file=sys.stderr)
        return 2
    if args.out == "-" and fmt not in STREAMABLE:
        print(f"mapapp export: {fmt} cannot go to stdout: give a file name", file=sys.stderr)
        return 2
    if args.since and args.until and args.since > args.until:
        print(f"mapapp export: --since {args.since} is after --until {args.until}", file=sys.stderr)
        return 2
    try:
        store = open_existing_store(args.store)
    except StoreURLError as exc:
        print(f"mapapp export: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"mapapp export: {exc}", file=sys.stderr)
        return 1
    window = (args.since, args.until) if (args.since or args.until) else None
    try:
        with store:
            events = store.load(window=window, sides=args.side)
    except StoreError as exc:  # a server that went away mid-read
        print(f"mapapp export: {exc}", file=sys.stderr)
        return 1
    try:
        n = export_events(events, args.out, fmt)
    except ExportError as exc:
        print(f"mapapp export: {exc}", file=sys.stderr)
        return 1
    if args.out != "-":
        print(f"{n} events written to {args.out} ({fmt})", file=sys.stderr)
    return 0
