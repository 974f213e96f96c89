"""Score extraction against a gold file: `mapapp evaluate --gold GOLD.json FILES...`.

Extracts each file (folders stand for their articles; a folder's manifest.csv is used
when no ``--manifest`` is given), matches the events to the gold events of the same file
name within 15 km, and prints per-article and overall place precision, recall and F1,
date and side accuracy over matched events, the median km error and the names wrongly
made events (``--json`` for a JSON object). Precision leaves out predictions at places the
gold lists as optional; the line under the table gives it counting them as wrong.
``--baseline dictionary`` scores the dictionary geoparser of the README's comparison row
(:mod:`mapapp.baseline`) instead of mapapp. Exit status 1 when a file could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys

from mapapp.errors import ArticleError, GoldError, ManifestError

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the evaluate options."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="article files or folders to extract")
    parser.add_argument("--gold", required=True, metavar="GOLD.json",
                        help="gold events (seeds/gold.json shape)")
    parser.add_argument("--manifest", metavar="CSV", help="manifest CSV with outlet/title/published per file")
    parser.add_argument("--max-km", type=float, default=15.0, metavar="KM",
                        help="how far a prediction may be from a gold event to match it (default 15)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument(
        "--baseline", choices=("dictionary",), metavar="NAME",
        help="score a baseline instead of mapapp: 'dictionary' (every town of the region in the body is an "
        "event on the publication day, the journalist's claim)",
    )


def run(args: argparse.Namespace) -> int:
    """Extract, score and print; 2 on a bad gold file or manifest, 1 if a file was unreadable."""
    from gazetteer import load_gazetteer
    from mapapp.commands.extract import article_paths, load_manifests
    from mapapp.evaluate import evaluate, format_report, load_gold
    from mapapp.pipeline import extract_file

    try:
        gold = load_gold(args.gold)
    except GoldError as exc:
        print(f"mapapp evaluate: {exc}", file=sys.stderr)
        return 2
    files, folders = article_paths(args.files)
    try:
        manifest = load_manifests(args.manifest, folders)
    except ManifestError as exc:
        print(f"mapapp evaluate: {exc}", file=sys.stderr)
        return 2
    gazetteer = load_gazetteer()
    predictions = {}
    failed = 0
    for path in files:
        try:
            if args.baseline == "dictionary":
                from mapapp.baseline import dictionary_events
                from mapapp.pipeline.read import read_document

                doc = read_document(path)
                predictions[doc.source] = dictionary_events(doc, gazetteer, manifest.get(doc.source))
                continue
            extraction = extract_file(path, gazetteer, manifest=manifest)
        except ArticleError as exc:
            print(f"{exc.path}: {exc.reason}", file=sys.stderr)
            failed += 1
            continue
        predictions[extraction.article.source] = extraction.events
    report = evaluate(gold, predictions, max_km=args.max_km)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(format_report(report))
    return 1 if failed else 0
