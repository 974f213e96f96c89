"""Cached reads of the event store, keyed on the store's version so a new ingest shows up at once.

Events are kept with ``st.cache_resource`` (shared, never copied: the list can hold
100,000 events); callers must not mutate what they get.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from mapapp.app import state
from mapapp.app.assets import AssetError, ensure_assets
from mapapp.model import Event
from mapapp.store import ArticleRecord, EventStore, open_existing_store, open_store

__all__ = [
    "Filters",
    "StoreSummary",
    "article",
    "article_places",
    "asset_problem",
    "events",
    "outdated",
    "store",
    "summary",
]


@dataclass(frozen=True, slots=True)
class Filters:
    """What the sidebar's filters ask for; ``None`` means no filter (empty tuples match nothing)."""

    sides: tuple[str, ...] | None = None
    outlets: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    text: str | None = None
    kinds: tuple[str, ...] | None = None


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
    span = s.date_range()
    everything = events(url, version, Filters())
    return StoreSummary(
        first=span[0] if span else None,
        last=span[1] if span else None,
        outlets=tuple(s.outlets()),
        languages=tuple(s.languages()),
        n_sources=len({e.source for e in everything}),
        n_events=len(everything),
    )


@st.cache_resource(show_spinner="Loading events…", max_entries=8)
def events(url: str, version: str, filters: Filters) -> tuple[Event, ...]:
    """Every event of the store at ``version`` that passes ``filters``, ordered by date."""
    return tuple(
        store(url).load(
            sides=filters.sides,
            outlets=filters.outlets,
            languages=filters.languages,
            text=filters.text or None,
            kinds=filters.kinds,
        )
    )


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
