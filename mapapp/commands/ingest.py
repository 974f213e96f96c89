"""Ingest article files and folders into the event store: `mapapp ingest PATH...`.

Files or folders (recursive; .txt, .html, .htm). A folder's ``manifest.csv`` is used
when no ``--manifest`` is given. Prints a progress bar on a terminal, then a summary;
each article that failed is one line ``path: reason`` on stderr. ``--engine dask`` extracts
on a Dask cluster (``--scheduler tcp://HOST:8786``, else one started on this machine) while
this process writes the store: see :mod:`mapapp.cluster`.
Exit status: 0 all went in, 1 some article failed (or the cluster could not be reached),
2 usage error.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from mapapp.errors import ClusterError, ManifestError, StoreError, StoreURLError
from mapapp.ingest import discover_manifests, find_articles, ingest, load_manifests
from mapapp.pipeline import DEFAULT_MAX_CHARS
from mapapp.pipeline.read import DEFAULT_MAX_BYTES
from mapapp.store import open_store

__all__ = ["add_arguments", "byte_size", "char_count", "iso_date", "refresh_command", "run"]

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "K": 1000, "M": 1000**2, "G": 1000**3, "KI": 1024, "MI": 1024**2, "GI": 1024**3}


def iso_date(value: str) -> date:
    """An argparse type: ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def byte_size(value: str) -> int:
    """An argparse type: a size in bytes, with an optional unit (``20MB``, ``512KiB``)."""
    match = _SIZE_RE.match(value)
    if not match:
        raise argparse.ArgumentTypeError(f"expected a size such as 20000000, 20MB or 512KiB, got {value!r}")
    number, unit = match.groups()
    unit = (unit or "").upper().removesuffix("B") if (unit or "").upper() != "B" else "B"
    size = int(float(number) * _UNITS[unit])
    if size < 1:
        raise argparse.ArgumentTypeError(f"the size limit must be at least 1 byte, got {value!r}")
    return size


def char_count(value: str) -> int:
    """An argparse type: a number of characters, at least 1 (``300000``, ``300_000``)."""
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of characters such as 300000, got {value!r}")
    return number


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ingest options."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (recursive)")
    parser.add_argument("--manifest", metavar="CSV", help="manifest with outlet/title/published per file "
                        "(default: manifest.csv in a folder given)")
    parser.add_argument("--published", type=iso_date, metavar="DATE",
                        help="publication date (YYYY-MM-DD) for every article, over the manifest and page")
    parser.add_argument("--store", metavar="URL",
                        help="store URL: sqlite:///FILE or postgresql://user@host:port/db "
                        "(default: $MAPAPP_STORE, else sqlite:///data/events.sqlite)")
    parser.add_argument("--max-bytes", type=byte_size, default=DEFAULT_MAX_BYTES, metavar="N",
                        help=f"refuse files larger than this (default {DEFAULT_MAX_BYTES // 1024**2} MiB)")
    parser.add_argument("--max-chars", type=char_count, default=DEFAULT_MAX_CHARS, metavar="N",
                        help=f"refuse articles whose text is longer than this many characters "
                        f"(default {DEFAULT_MAX_CHARS:,})")
    parser.add_argument("--workers", type=_positive, metavar="N",
                        help="extraction processes (default: every core for big folders); with --engine dask "
                        "and no --scheduler, the worker processes of the local cluster")
    parser.add_argument("--reextract", action="store_true",
                        help="extract unchanged files again and replace their events if the pipeline "
                        "now finds them differently (after an upgrade)")
    parser.add_argument("--engine", choices=("processes", "dask"), default="processes",
                        help="where extraction runs: worker processes on this machine (default) or a Dask "
                        "cluster (needs mapapp[dask])")
    parser.add_argument("--scheduler", metavar="URL",
                        help="with --engine dask: the scheduler to use (tcp://HOST:8786); default: start "
                        "a local cluster of --workers processes")
    parser.add_argument("--batch-size", type=_positive, metavar="N", default=None,
                        help="with --engine dask: articles per task (default 16)")


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        TextColumn("{task.description}"), transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(path).name[:40])

        yield update


@contextmanager
def _engine(args: argparse.Namespace) -> Iterator[Any]:
    """The Dask engine, connected, for ``--engine dask``; None for the local process pool."""
    if args.engine != "dask":
        yield None
        return
    from mapapp.cluster import DEFAULT_BATCH, DaskEngine

    with DaskEngine(
        scheduler=args.scheduler, workers=args.workers, batch_size=args.batch_size or DEFAULT_BATCH
    ) as engine:
        yield engine


def run(args: argparse.Namespace, *, extractor: Any = None) -> int:
    """Run the ingest; ``extractor`` replaces the real pipeline (tests)."""
    if args.engine != "dask" and (args.scheduler or args.batch_size):
        option = "--scheduler" if args.scheduler else "--batch-size"
        print(f"mapapp ingest: {option} needs --engine dask", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        for p in missing:
            what = f"broken link to {os.readlink(p)}" if Path(p).is_symlink() else "no such file or folder"
            print(f"mapapp ingest: {p}: {what}", file=sys.stderr)
        return 2
    try:
        if args.manifest:
            manifest = load_manifests([args.manifest])
        else:
            found = discover_manifests(args.paths)
            for path in found:
                print(f"using manifest {path}", file=sys.stderr)
            manifest = load_manifests(found) if found else None
    except ManifestError as exc:
        print(f"mapapp ingest: {exc}", file=sys.stderr)
        return 2
    if not find_articles(args.paths):
        print("mapapp ingest: no .txt or .html article files under " + ", ".join(args.paths), file=sys.stderr)
        return 2
    try:
        store = open_store(args.store)
    except StoreURLError as exc:
        print(f"mapapp ingest: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"mapapp ingest: {exc}", file=sys.stderr)
        return 1
    try:
        with store, _engine(args) as engine, _progress_bar(sys.stdout.isatty()) as progress:
            if engine is not None:
                print(f"dask: {engine.where}", file=sys.stderr)
            report = ingest(
                args.paths, store, manifest=manifest, published=args.published, max_bytes=args.max_bytes,
                max_chars=args.max_chars, workers=args.workers, extractor=extractor, progress=progress,
                reextract=args.reextract, engine=engine,
            )
    # the cluster could not be reached or started, or the store itself failed (a server that went away):
    # nothing was half-stored
    except (ClusterError, StoreError) as exc:
        print(f"mapapp ingest: {exc}", file=sys.stderr)
        return 1
    for path, reason in report.failures:
        print(f"{path}: {reason}", file=sys.stderr)
    print(report.summary(refresh=refresh_command(args)))
    print(f"store: {store.url}")
    return 0 if report.ok else 1


def refresh_command(args: argparse.Namespace) -> str:
    """This ingest again with ``--reextract``: the command that renews events an older pipeline made."""
    words = ["mapapp", "ingest", *args.paths]
    for option, value in (("--manifest", args.manifest), ("--published", args.published),
                          ("--store", args.store)):
        if value:
            words += [option, str(value)]
    return shlex.join([*words, "--reextract"])
