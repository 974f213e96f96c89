"""Remove an article and all its events from the store: `mapapp forget SOURCE...`.

``SOURCE`` is the article's file name as stored (``mapapp export`` shows it in ``source``).
Exit status: 0 all removed, 1 some source was not in the store, 2 usage error (also: no
store at the URL given; forget never creates one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mapapp.errors import StoreError, StoreURLError
from mapapp.store import open_existing_store

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the forget options."""
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="article file name(s), as stored")
    parser.add_argument("--store", metavar="URL",
                        help="store URL: sqlite:///FILE or postgresql://user@host:port/db "
                        "(default: $MAPAPP_STORE, else sqlite:///data/events.sqlite)")


def run(args: argparse.Namespace) -> int:
    """Forget each source; report what was removed."""
    try:
        store = open_existing_store(args.store)
    except StoreURLError as exc:
        print(f"mapapp forget: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"mapapp forget: {exc}", file=sys.stderr)
        return 1
    status = 0
    with store:
        for source in args.sources:
            try:
                change = store.forget(source)
                if change is None and Path(source).name != source:
                    change = store.forget(Path(source).name)  # a path was given: the store keys by file name
            except StoreError as exc:  # a role that may only read, a server that went away
                print(f"mapapp forget: {exc}", file=sys.stderr)
                return 1
            if change is None:
                print(f"{source}: not in the store {store.url}", file=sys.stderr)
                status = 1
            else:
                print(f"forgot {change.source}: {change.events_removed} events removed")
    return status
