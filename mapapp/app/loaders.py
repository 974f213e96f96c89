"""Cached reads of the event store, keyed on the store's version so a new ingest shows up at once.

Every read is a question the store answers itself (places in a window, one place's
events, events per day, totals), so the app never holds the event table and its cost
follows the places on the map. Answers are small and kept with ``st.cache_resource``
(shared, never copied); callers must not mutate them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from mapapp.app import state
from mapapp.app.assets import AssetError, ensure_assets
from mapapp.mapview import markers_js
from mapapp.model import Event
from mapapp.store import (
    ArticleRecord,
    DayCount,
    EventQuery,
    EventStore,
    EventTotals,
    PlaceSummary,
    open_existing_store,
    open_store,
)

__all__ = [
    "StoreSummary",
    "article",
    "article_places",
    "asset_problem",
    "day_counts",
    "events",
    "markers",
    "outdated",
    "outdated_count",
    "place_events",
    "places",
    "store",
    "summary",
    "totals",
]


@dataclass(frozen=True, slots=True)
class StoreSummary:
    """What the page needs to lay itself out: day range, outlets, languages, counts."""

    first: date | None
    last: date | None
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    n_sources: int  # articles with at least one event
    n_events: int

    @property
    def empty(self) -> bool:
        """True when the store holds no event."""
        return self.first is None


@st.cache_resource(show_spinner=False)
def asset_problem() -> str | None:
    """Put the map's Leaflet in place, once per server process: ``None`` when it is there (or was
    copied now from XStatic-Leaflet), else why not, in one line."""
    try:
        ensure_assets()
    except AssetError as exc:
        return str(exc)
    return None


def store(url: str) -> EventStore:
    """The open store for ``url``, one per server process (its connection is thread-safe).

    Read-only (an existing store, every write refused) when the app was started with
    ``--read-only``.
    """
    return _open(url, read_only=bool(state.get(state.Key.READ_ONLY)))


@st.cache_resource(show_spinner=False)
def _open(url: str, *, read_only: bool) -> EventStore:
    return open_existing_store(url, read_only=True) if read_only else open_store(url)


@st.cache_resource(show_spinner=False, max_entries=4)
def summary(url: str, version: str) -> StoreSummary:
    """Day range, outlets, languages and counts of the store at ``version``."""
    s = store(url)
    everything = s.totals()
    return StoreSummary(
        first=everything.first,
        last=everything.last,
        outlets=tuple(s.outlets()),
        languages=tuple(s.languages()),
        n_sources=everything.n_sources,
        n_events=everything.n_events,
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def places(url: str, version: str, query: EventQuery, newest: int) -> tuple[PlaceSummary, ...]:
    """The places with events matching ``query`` (a window and the filters), each with its newest events."""
    return tuple(store(url).places(query, newest=newest))


@st.cache_resource(show_spinner=False, max_entries=16)
def markers(url: str, version: str, query: EventQuery, newest: int) -> str:
    """The JavaScript literal of the markers of :func:`places` (the layer's data, popups included)."""
    return markers_js(places(url, version, query, newest), popup_limit=newest)


@st.cache_resource(show_spinner=False, max_entries=16)
def totals(url: str, version: str, query: EventQuery) -> EventTotals:
    """How many events and articles match ``query``."""
    return store(url).totals(query)


@st.cache_resource(show_spinner=False, max_entries=8)
def day_counts(url: str, version: str, query: EventQuery) -> tuple[DayCount, ...]:
    """Events per day and side matching ``query`` (the filters, every day: the timeline)."""
    return tuple(store(url).day_counts(query))


@st.cache_resource(show_spinner=False, max_entries=16)
def place_events(url: str, version: str, query: EventQuery, key: str, limit: int) -> tuple[Event, ...]:
    """The newest ``limit`` events at the place ``key`` matching ``query``."""
    return tuple(store(url).place_events(key, query, limit=limit))


@st.cache_resource(show_spinner=False, max_entries=4)
def events(url: str, version: str, query: EventQuery, limit: int) -> tuple[Event, ...]:
    """The first ``limit`` events matching ``query``, by date (the table under the map)."""
    return tuple(store(url).events(query, limit=limit))


@st.cache_resource(show_spinner=False, max_entries=4)
def outdated_count(url: str, version: str) -> tuple[int, int]:
    """(articles whose events a pipeline other than this one made, articles) of the store at ``version``.

    Counted by the store once per version: what the map page's note needs on every run.
    """
    from mapapp.pipeline.identity import pipeline_id

    current = pipeline_id()
    counts = store(url).pipeline_counts()
    return sum(n for made_by, n in counts.items() if made_by != current), sum(counts.values())


@st.cache_resource(show_spinner=False, max_entries=4)
def outdated(url: str, version: str) -> tuple[str, ...]:
    """Sources of the store at ``version`` whose events a pipeline other than this one made."""
    from mapapp.pipeline.identity import pipeline_id

    current = pipeline_id()
    return tuple(sorted(source for source, made_by in store(url).pipelines().items() if made_by != current))


@st.cache_resource(show_spinner=False, max_entries=32)
def article(url: str, version: str, source: str) -> ArticleRecord | None:
    """The stored article ``source`` (with its text), or ``None``."""
    return store(url).article(source)


@st.cache_resource(show_spinner=False, max_entries=32)
def article_places(url: str, version: str, source: str) -> tuple[str, ...]:
    """The names, as written, of the event places of article ``source``."""
    return tuple(sorted({e.place for e in store(url).load(sources=[source])}))
