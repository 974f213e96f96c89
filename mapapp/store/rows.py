"""What every store backend does the same way: the rules a save follows, and rows <-> events.

Backends differ in SQL, not in behaviour: the same extraction is refused, replaced or kept
for the same reasons, with the same messages, whichever database holds it. Values here
are plain Python (``date``, ``float``, ``str``); a backend adapts them to its column types.
"""

from __future__ import annotations

import functools
import shlex
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mapapp.errors import StoreError
from mapapp.model import Article, DateHow, Event, EventKind, Excerpt, Precision, Side

__all__ = [
    "ARTICLE_COLUMNS",
    "EVENT_COLUMNS",
    "check_events",
    "conflict",
    "event_from_row",
    "event_values",
    "excerpt_values",
    "now",
    "same_origin",
]

EVENT_COLUMNS = (
    "id", "source", "place", "place_resolved", "gazetteer_id", "country", "lat", "lon", "precision",
    "date", "date_how", "date_cue", "side", "side_cue", "confidence", "disputed_by", "kinds",
)  # fmt: skip
ARTICLE_COLUMNS = (
    "source", "sha256", "outlet", "title", "published", "language", "text", "n_events",
    "published_how", "path", "ingested_at", "fingerprint", "pipeline",
)  # fmt: skip


def now() -> str:
    """The time of a write, UTC, to the second, ISO 8601 (``2020-10-04T08:15:00+00:00``)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def same_origin(stored: str, given: str) -> bool:
    """Whether two article origins are the same file (compared resolved) or both uploads (``""``).

    Paths stored by older versions may be relative: they are resolved against the working
    directory, and a mismatch refuses the save rather than risk replacing another file's text.
    """
    if stored == given:
        return True
    if not stored or not given:
        return False
    return Path(stored).resolve() == Path(given).resolve()


def conflict(source: str, stored: str) -> str:
    """Why an article was refused: another origin's text is stored under its name, and what to do."""
    return (
        f"{source} is already stored from {stored or 'an upload'}, with other text: articles are keyed "
        f"by file name, so rename it, or `mapapp forget {shlex.quote(source)}` first to replace it"
    )


def check_events(article: Article, events: Sequence[Event]) -> None:
    """Refuse events of another article and ids that occur twice (:class:`StoreError`)."""
    seen: set[str] = set()
    for event in events:
        if event.source != article.source:
            raise StoreError(
                f"{article.source}: event {event.id} names another source {event.source!r}; "
                "an extraction may only hold its own article's events"
            )
        if event.id in seen:
            raise StoreError(f"{article.source}: event id {event.id} occurs twice; merge duplicates first")
        seen.add(event.id)


def event_values(e: Event) -> tuple[Any, ...]:
    """An event's stored columns (:data:`EVENT_COLUMNS`), its day as a ``date``."""
    return (
        e.id, e.source, e.place, e.place_resolved, e.gazetteer_id, e.country, float(e.lat), float(e.lon),
        e.precision.value, e.date, e.date_how.value, e.date_cue, e.side.value, e.side_cue,
        float(e.confidence), ",".join(s.value for s in e.disputed_by), ",".join(k.value for k in e.kinds),
    )  # fmt: skip


def excerpt_values(events: Sequence[Event]) -> list[tuple[str, int, str, int, int, str]]:
    """``(event id, seq, text, start, end, folded)`` for every excerpt (text search reads ``folded``)."""
    return [
        (e.id, seq, x.text, x.start, x.end, x.text.casefold())
        for e in events
        for seq, x in enumerate(e.excerpts)
    ]


# enum and date lookups by stored value: dict hits instead of enum/ISO parsing per row
_SIDES = {s.value: s for s in Side}
_PRECISIONS = {p.value: p for p in Precision}
_DATE_HOWS = {h.value: h for h in DateHow}
_KINDS = {k.value: k for k in EventKind}


@functools.lru_cache(maxsize=4096)
def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def event_from_row(row: Sequence[Any], excerpts: tuple[Excerpt, ...]) -> Event:
    """An event from :data:`EVENT_COLUMNS` then the article's outlet, title, published and language.

    Days may come as ``date`` or as ISO text.
    """
    (id_, source, place, place_resolved, gazetteer_id, country, lat, lon, precision, day, date_how,
     date_cue, side, side_cue, confidence, disputed_by, kinds, outlet, title, published, language) = row
    return Event(
        id=id_, source=source, place=place, place_resolved=place_resolved, gazetteer_id=gazetteer_id,
        lat=lat, lon=lon, date=_day(day), side=_SIDES[side], excerpts=excerpts,
        outlet=outlet, title=title, published=_day(published) if published else None,
        language=language, country=country, precision=_PRECISIONS[precision], date_how=_DATE_HOWS[date_how],
        date_cue=date_cue, side_cue=side_cue, confidence=confidence,
        disputed_by=tuple(_SIDES[s] for s in disputed_by.split(",")) if disputed_by else (),
        kinds=tuple(_KINDS[k] for k in kinds.split(",")) if kinds else (),
    )  # fmt: skip
