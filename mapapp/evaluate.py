"""Score extracted events against a gold file: place precision/recall/F1, date and side accuracy, km error.

A predicted event matches a gold event of the same article when their points lie within
``max_km`` (15 km by default), one to one, greedily: pairs that agree on date and side
first, then the closest. Unmatched gold events are misses; unmatched predictions are
false positives, except those whose place is one of the article's ``optional`` names
(neither a miss nor a false positive: a reader could go either way; ``precision_strict``
counts them as false positives, so both figures can be quoted). Predictions whose
place is one of the gold ``distractors`` are listed as "names wrongly made events".
Date and side accuracy are over matched events; precision, recall and F1 are micro
averages over all articles.

    >>> martakert = GoldEvent("Martakert", 40.212, 46.821, date(2020, 9, 30), "armenia")
    >>> gold = GoldArticle("a.txt", events=(martakert,))
    >>> score_article(gold, []).recall
    0.0
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mapapp.errors import GoldError
from mapapp.model import Event, Side

__all__ = [
    "MATCH_KM",
    "ArticleScore",
    "GoldArticle",
    "GoldEvent",
    "Match",
    "Report",
    "evaluate",
    "format_report",
    "haversine_km",
    "load_gold",
    "score_article",
]

MATCH_KM = 15.0
"""A prediction within this many kilometres of a gold event can match it."""

_EVENT_KEYS = ("place", "lat", "lon", "date", "side")


def _fold(name: str) -> str:
    from gazetteer import fold

    return fold(name)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two (lat, lon) points.

    >>> round(haversine_km(39.8177, 46.7528, 39.79496, 47.1117))
    31
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One gold event: a place with its reference point, the day and the reporting side."""

    place: str
    lat: float
    lon: float
    date: date
    side: Side
    evidence: str = ""

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0 or not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"gold event {self.place!r}: bad point ({self.lat!r}, {self.lon!r})")
        if not isinstance(self.side, Side):
            object.__setattr__(self, "side", Side.parse(str(self.side)))


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """The gold standard of one article."""

    file: str
    events: tuple[GoldEvent, ...] = ()
    optional: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    language: str = ""
    published: date | None = None


def load_gold(path: str | Path) -> dict[str, GoldArticle]:
    """Read a gold file (a JSON list of articles, as ``seeds/gold.json``), keyed by file name.

    Raises :class:`~mapapp.errors.GoldError` naming the entry and the field that is wrong.
    """
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(path, f"cannot read the gold file: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldError(path, f"not valid JSON (line {exc.lineno}): {exc.msg}") from None
    if not isinstance(raw, list):
        raise GoldError(path, f"expected a JSON list of articles, got {type(raw).__name__}")
    gold: dict[str, GoldArticle] = {}
    for n, entry in enumerate(raw):
        where = f"article #{n}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise GoldError(path, f"{where}: expected an object with a 'file' name")
        where = f"article #{n} ({entry['file']})"
        events = []
        for k, item in enumerate(entry.get("events", [])):
            missing = [key for key in _EVENT_KEYS if key not in item]
            if missing:
                raise GoldError(path, f"{where} event #{k}: missing {', '.join(missing)}; "
                                      f"expected keys {', '.join(_EVENT_KEYS)}")
            try:
                events.append(GoldEvent(
                    str(item["place"]), float(item["lat"]), float(item["lon"]),
                    date.fromisoformat(str(item["date"])), Side.parse(str(item["side"])),
                    str(item.get("evidence", "")),
                ))
            except ValueError as exc:
                raise GoldError(path, f"{where} event #{k}: {exc}") from None
        published = entry.get("published")
        try:
            published_date = date.fromisoformat(published) if published else None
        except ValueError:
            raise GoldError(path, f"{where}: expected published as YYYY-MM-DD, got {published!r}") from None
        gold[entry["file"]] = GoldArticle(
            file=entry["file"],
            events=tuple(events),
            optional=tuple(str(x) for x in entry.get("optional", [])),
            distractors=tuple(str(x) for x in entry.get("distractors", [])),
            language=str(entry.get("language", "")),
            published=published_date,
        )
    return gold


@dataclass(frozen=True, slots=True)
class Match:
    """A gold event and the prediction matched to it."""

    gold: GoldEvent
    event: Event
    km: float

    @property
    def date_ok(self) -> bool:
        """Whether the prediction has the gold day."""
        return self.event.date == self.gold.date

    @property
    def side_ok(self) -> bool:
        """Whether the prediction has the gold side."""
        return self.event.side == self.gold.side


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True, slots=True)
class _Counts:
    matches: tuple[Match, ...]
    misses: tuple[GoldEvent, ...]
    false_positives: tuple[Event, ...]
    excused: tuple[Event, ...] = ()

    @property
    def precision(self) -> float:
        """Matched predictions over counted predictions (1.0 when nothing was predicted);
        predictions at a place the gold lists as optional are left out."""
        counted = len(self.matches) + len(self.false_positives)
        return len(self.matches) / counted if counted else 1.0

    @property
    def precision_strict(self) -> float:
        """Matched predictions over all predictions: those at optional places count as wrong."""
        counted = len(self.matches) + len(self.false_positives) + len(self.excused)
        return len(self.matches) / counted if counted else 1.0

    @property
    def recall(self) -> float:
        """Matched gold events over gold events (1.0 when the gold has none)."""
        total = len(self.matches) + len(self.misses)
        return len(self.matches) / total if total else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def date_accuracy(self) -> float | None:
        """Share of matched events with the gold day (None with no match)."""
        return _ratio(sum(m.date_ok for m in self.matches), len(self.matches))

    @property
    def side_accuracy(self) -> float | None:
        """Share of matched events with the gold side (None with no match)."""
        return _ratio(sum(m.side_ok for m in self.matches), len(self.matches))

    @property
    def median_km(self) -> float | None:
        """Median distance between matched predictions and gold points (None with no match)."""
        return statistics.median(m.km for m in self.matches) if self.matches else None


@dataclass(frozen=True, slots=True)
class ArticleScore(_Counts):
    """How one article's predictions fare against its gold."""

    file: str = ""
    wrong_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report(_Counts):
    """Scores of every article and overall (micro-averaged)."""

    articles: tuple[ArticleScore, ...] = field(default=())
    missing_files: tuple[str, ...] = ()

    @property
    def wrong_names(self) -> tuple[str, ...]:
        """Every distractor name made an event, as ``file: name``."""
        return tuple(f"{a.file}: {name}" for a in self.articles for name in a.wrong_names)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: overall figures and one entry per article."""

        def figures(c: _Counts) -> dict[str, Any]:
            return {
                "matched": len(c.matches),
                "missed": len(c.misses),
                "false_positives": len(c.false_positives),
                "at_optional_places": len(c.excused),
                "precision": round(c.precision, 4),
                "precision_strict": round(c.precision_strict, 4),
                "recall": round(c.recall, 4),
                "f1": round(c.f1, 4),
                "date_accuracy": None if c.date_accuracy is None else round(c.date_accuracy, 4),
                "side_accuracy": None if c.side_accuracy is None else round(c.side_accuracy, 4),
                "median_km": None if c.median_km is None else round(c.median_km, 2),
            }

        return {
            "overall": {**figures(self), "wrong_names": list(self.wrong_names)},
            "articles": [
                {
                    "file": a.file,
                    **figures(a),
                    "misses": [f"{g.place} {g.date} {g.side.value}" for g in a.misses],
                    "false_positives": [f"{e.place} {e.date} {e.side.value}" for e in a.false_positives],
                    "wrong_dates": [
                        f"{m.gold.place}: {m.event.date} instead of {m.gold.date}" for m in a.matches
                        if not m.date_ok
                    ],
                    "wrong_sides": [
                        f"{m.gold.place}: {m.event.side.value} instead of {m.gold.side.value}"
                        for m in a.matches if not m.side_ok
                    ],
                    "wrong_names": list(a.wrong_names),
                }
                for a in self.articles
            ],
            "missing_files": list(self.missing_files),
        }


def _named(event: Event, names: Sequence[str]) -> str | None:
    keys = {_fold(event.place), _fold(event.place_resolved)}
    for name in names:
        if _fold(name) in keys:
            return name
    return None


def score_article(gold: GoldArticle, events: Sequence[Event], *, max_km: float = MATCH_KM) -> ArticleScore:
    """Match one article's predictions to its gold events (see the module docstring)."""
    pairs = []
    for gi, g in enumerate(gold.events):
        for pi, e in enumerate(events):
            km = haversine_km(g.lat, g.lon, e.lat, e.lon)
            if km <= max_km:
                agree = (e.date == g.date) + (e.side == g.side)
                pairs.append((-agree, km, gi, pi))
    pairs.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches: list[tuple[int, Match]] = []
    for _, km, gi, pi in pairs:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        matches.append((gi, Match(gold.events[gi], events[pi], km)))
    matches.sort(key=lambda m: m[0])
    false_positives: list[Event] = []
    excused: list[Event] = []
    wrong: list[str] = []
    for pi, e in enumerate(events):
        if pi in used_pred:
            continue
        if _named(e, gold.optional):
            excused.append(e)
            continue
        false_positives.append(e)
        distractor = _named(e, gold.distractors)
        if distractor:
            wrong.append(distractor)
    return ArticleScore(
        matches=tuple(m for _, m in matches),
        misses=tuple(g for gi, g in enumerate(gold.events) if gi not in used_gold),
        false_positives=tuple(false_positives),
        file=gold.file,
        excused=tuple(excused),
        wrong_names=tuple(wrong),
    )


def evaluate(
    gold: Mapping[str, GoldArticle],
    predictions: Mapping[str, Sequence[Event]],
    *,
    max_km: float = MATCH_KM,
) -> Report:
    """Score every predicted article that has gold; files without gold are reported, not scored."""
    articles = [score_article(gold[name], events, max_km=max_km) for name, events in predictions.items()
                if name in gold]
    return Report(
        matches=tuple(m for a in articles for m in a.matches),
        misses=tuple(g for a in articles for g in a.misses),
        false_positives=tuple(e for a in articles for e in a.false_positives),
        excused=tuple(e for a in articles for e in a.excused),
        articles=tuple(articles),
        missing_files=tuple(name for name in predictions if name not in gold),
    )


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def format_report(report: Report) -> str:
    """A plain-text table: one line per article, then the overall figures and the wrong names."""
    header = ("article", "gold", "pred", "P", "R", "F1", "date", "side", "km")
    lines = [f"{header[0]:<36} {header[1]:>4} {header[2]:>4} " + " ".join(f"{h:>6}" for h in header[3:])]

    def row(name: str, c: _Counts) -> str:
        gold_n = len(c.matches) + len(c.misses)
        pred_n = len(c.matches) + len(c.false_positives)
        km = "     -" if c.median_km is None else f"{c.median_km:6.1f}"
        return (f"{name[:36]:<36} {gold_n:>4} {pred_n:>4} {_pct(c.precision)} {_pct(c.recall)} {_pct(c.f1)} "
                f"{_pct(c.date_accuracy)} {_pct(c.side_accuracy)} {km}")

    for a in report.articles:
        lines.append(row(a.file, a))
        for g in a.misses:
            lines.append(f"    missed: {g.place} {g.date} {g.side.value}")
        for e in a.false_positives:
            lines.append(f"    false positive: {e.place} ({e.place_resolved}) {e.date} {e.side.value}")
        for m in a.matches:
            if not m.date_ok or not m.side_ok:
                lines.append(f"    {m.gold.place}: predicted {m.event.date} {m.event.side.value}, "
                             f"gold {m.gold.date} {m.gold.side.value}")
    lines.append(row("OVERALL", report))
    lines.append(
        f"precision counting the {len(report.excused)} predictions at places the gold lists as optional "
        f"as wrong: {_pct(report.precision_strict).strip()} (P above leaves them out)"
    )
    lines.append("names wrongly made events: " + (", ".join(report.wrong_names) or "none"))
    if report.missing_files:
        lines.append("no gold for: " + ", ".join(report.missing_files))
    return "\n".join(lines)
