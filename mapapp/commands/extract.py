"""Extract events from article files and print them, without storing: `mapapp extract FILE...`.

Prints a JSON list of events (the export columns of :func:`mapapp.geo.event_properties`)
or, with ``--format geojson``, a GeoJSON FeatureCollection. Per-article notes go to
stderr as ``file: note``; a file that cannot be read (or whose text is over ``--max-chars``)
is one line ``path: reason`` on stderr, the other files still go through, and the exit
status is 1 at the end.
A folder stands for its .txt/.html/.htm files; its ``manifest.csv`` is used when no
``--manifest`` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from mapapp.commands.ingest import char_count
from mapapp.errors import ArticleError, ManifestError
from mapapp.pipeline import DEFAULT_MAX_CHARS

__all__ = ["add_arguments", "article_paths", "run"]

_SUFFIXES = (".txt", ".html", ".htm")


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the extract options."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="article files (.txt, .html) or folders")
    parser.add_argument("--published", type=_iso_date, metavar="DATE",
                        help="publication date (YYYY-MM-DD) for every article, over the manifest and page")
    parser.add_argument("--manifest", metavar="CSV", help="manifest CSV with outlet/title/published per file")
    parser.add_argument("--format", choices=("json", "geojson"), default="json",
                        help="json: a list of events (default); geojson: a FeatureCollection")
    parser.add_argument("--max-chars", type=char_count, default=DEFAULT_MAX_CHARS, metavar="N",
                        help=f"refuse articles whose text is longer than this many characters "
                        f"(default {DEFAULT_MAX_CHARS:,})")


def article_paths(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """Expand folders into their article files (sorted); return (articles, folders seen)."""
    files: list[Path] = []
    folders: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            folders.append(path)
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files, folders


def load_manifests(explicit: str | None, folders: list[Path]) -> dict[str, Any]:
    """The manifest rows by file name: the ``--manifest`` given, else each folder's manifest.csv."""
    from mapapp.manifest import load_manifest

    if explicit:
        return dict(load_manifest(explicit))
    rows: dict[str, Any] = {}
    for folder in folders:
        candidate = folder / "manifest.csv"
        if candidate.is_file():
            rows.update(load_manifest(candidate))
    return rows


def run(args: argparse.Namespace) -> int:
    """Extract and print; 1 when any file could not be read, 2 on a bad manifest."""
    from gazetteer import load_gazetteer
    from mapapp.geo import event_properties, events_to_geojson
    from mapapp.pipeline import extract_file

    files, folders = article_paths(args.files)
    try:
        manifest = load_manifests(args.manifest, folders)
    except ManifestError as exc:
        print(f"mapapp extract: {exc}", file=sys.stderr)
        return 2
    gazetteer = load_gazetteer()
    events = []
    failed = 0
    for path in files:
        try:
            extraction = extract_file(
                path, gazetteer, published=args.published, manifest=manifest, max_chars=args.max_chars
            )
        except ArticleError as exc:
            print(f"{exc.path}: {exc.reason}", file=sys.stderr)
            failed += 1
            continue
        for note in extraction.notes:
            print(f"{extraction.article.source}: {note}", file=sys.stderr)
        events.extend(extraction.events)
    if args.format == "geojson":
        document: Any = events_to_geojson(events)
    else:
        document = [event_properties(e) for e in events]
    json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 1 if failed else 0
