"""Resolve a place name with the offline gazetteer: `mapapp geocode NAME [--context NAME ...] [--json]`.

Prints the place (name, lat, lon, country, admin1, kind, population, source), the score,
why it won and the alternatives. NAME may be a query as people write one: "Yerevan, Armenia"
(a country cue), "Stepanakert (Khankendi)", "Shusha's", "Hadrut region" (see
:mod:`gazetteer.query`). A name no place answers to exits 1 and lists the closest known names
(as written, never folded keys); an empty or blank NAME is a usage error (exit 2).
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this subcommand's options."""
    parser.add_argument(
        "name",
        help="the place name as written, e.g. 'Stepanakert', 'Xocavənd' or 'Martuni, Armenia'",
    )
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="NAME",
        help="another place named in the same text (repeatable); decides homonyms",
    )
    parser.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="ISO2",
        help="a country the text points at, e.g. AM (repeatable)",
    )
    parser.add_argument(
        "--alternatives", type=int, default=5, metavar="N", help="how many alternatives to show (default 5)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    """Resolve ``args.name``; 0 when found, 1 on a miss, 2 on a blank name or broken gazetteer data."""
    from gazetteer import GazetteerError, load_gazetteer

    if not args.name.strip():
        print(
            f"mapapp geocode: expected a place name, got {args.name!r}: "
            "for example `mapapp geocode Stepanakert` or `mapapp geocode 'Martuni, Armenia'`",
            file=sys.stderr,
        )
        return 2
    try:
        gazetteer = load_gazetteer()
    except GazetteerError as exc:
        print(f"mapapp geocode: {exc}", file=sys.stderr)
        return 2
    resolution = gazetteer.resolve(args.name, args.context, countries=args.country)
    if resolution is None:
        closest = gazetteer.closest_names(args.name)
        if args.json:
            print(json.dumps({"query": args.name, "found": False, "closest": closest}, ensure_ascii=False))
        hint = f"; closest names: {', '.join(closest)}" if closest else ""
        print(f"mapapp geocode: no place named {args.name!r} in the gazetteer{hint}", file=sys.stderr)
        return 1
    place = resolution.place
    alternatives = resolution.alternatives[: max(0, args.alternatives)]
    if args.json:
        record = {"query": args.name, "found": True, **place.to_dict()}
        record.pop("names")
        record["score"] = resolution.score
        record["reason"] = resolution.reason
        record["alternatives"] = [
            {k: v for k, v in alt.to_dict().items() if k != "names"} for alt in alternatives
        ]
        print(json.dumps(record, ensure_ascii=False))
        return 0
    rows = [
        ("name", place.name),
        ("lat", f"{place.lat:.5f}"),
        ("lon", f"{place.lon:.5f}"),
        ("country", place.country or "-"),
        ("admin1", place.admin1 or "-"),
        ("kind", place.kind),
        ("population", f"{place.population:,}" if place.population else "unknown"),
        ("source", place.source),
        ("id", place.id),
        ("score", f"{resolution.score:.2f}"),
        ("reason", resolution.reason),
    ]
    for label, value in rows:
        print(f"{label:<12}{value}")
    if alternatives:
        print("alternatives")
        for alt in alternatives:
            where = ", ".join(x for x in (alt.admin1, alt.country) if x)
            print(f"  {alt.name} ({alt.kind}, {where}) {alt.lat:.5f}, {alt.lon:.5f}  [{alt.id}]")
    return 0
