"""A read-only view of any event store: reads pass through, writes are refused with a clear error.

What ``mapapp serve --read-only`` opens. It wraps the backend instead of adding a flag to
each one; the PostGIS backend is also opened with a read-only session, and a team's
read-only app connects as a role that may only ``SELECT``, so a write that got past
this wrapper would still be refused by the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NoReturn

from mapapp.errors import StoreError
from mapapp.model import Event, EventKind, Side
from mapapp.store.base import (
    EVERYTHING,
    NEWEST,
    ArticleChange,
    ArticleRecord,
    BBox,
    DayCount,
    EventQuery,
    EventStore,
    EventTotals,
    ExtractionLike,
    PlaceSummary,
    Window,
)

__all__ = ["ReadOnlyStore", "StoreReadOnlyError"]


class StoreReadOnlyError(StoreError, PermissionError):
    """A write to a store opened read-only, or one the database refused for lack of permission."""


class ReadOnlyStore(EventStore):
    """``inner`` for reading; :meth:`save_extraction` and :meth:`forget` raise :class:`StoreReadOnlyError`.

    Every read of the :class:`EventStore` contract is passed on by name (a contract method
    missing here makes this class abstract, so it cannot silently fall through to a write).
    Other attributes of the backend (``count``, ``integrity_check``) are passed on as well.
    """

    def __init__(self, inner: EventStore) -> None:
        self._inner = inner
        self.url = inner.url

    @property
    def inner(self) -> EventStore:
        """The wrapped store."""
        return self._inner

    def _refuse(self, what: str) -> NoReturn:
        raise StoreReadOnlyError(
            f"{self.url}: this store is open read-only, so it cannot {what}: "
            "run `mapapp ingest` / `mapapp forget` with a role that writes"
        )

    def save_extraction(
        self,
        extraction: ExtractionLike,
        *,
        fingerprint: str = "",
        refresh: bool = False,
        path: str | None = None,
        pipeline: str = "",
    ) -> ArticleChange:
        """Refused: raises :class:`StoreReadOnlyError`."""
        self._refuse(f"store {extraction.article.source!r}")

    def forget(self, source: str) -> ArticleChange | None:
        """Refused: raises :class:`StoreReadOnlyError`."""
        self._refuse(f"forget {source!r}")

    def fingerprints(self) -> dict[str, str]:
        """See :meth:`EventStore.fingerprints`."""
        return self._inner.fingerprints()

    def pipelines(self) -> dict[str, str]:
        """See :meth:`EventStore.pipelines`."""
        return self._inner.pipelines()

    def load(
        self,
        window: Window | None = None,
        sides: Iterable[Side | str] | None = None,
        bbox: BBox | None = None,
        *,
        outlets: Iterable[str] | None = None,
        languages: Iterable[str] | None = None,
        text: str | None = None,
        sources: Iterable[str] | None = None,
        kinds: Iterable[EventKind | str] | None = None,
    ) -> list[Event]:
        """See :meth:`EventStore.load`."""
        return self._inner.load(
            window, sides, bbox, outlets=outlets, languages=languages, text=text, sources=sources, kinds=kinds
        )

    def events(self, query: EventQuery = EVERYTHING, *, limit: int | None = None) -> list[Event]:
        """See :meth:`EventStore.events`."""
        return self._inner.events(query, limit=limit)

    def places(self, query: EventQuery = EVERYTHING, *, newest: int = NEWEST) -> list[PlaceSummary]:
        """See :meth:`EventStore.places`."""
        return self._inner.places(query, newest=newest)

    def place_events(
        self, key: str, query: EventQuery = EVERYTHING, *, limit: int | None = None, offset: int = 0
    ) -> list[Event]:
        """See :meth:`EventStore.place_events`."""
        return self._inner.place_events(key, query, limit=limit, offset=offset)

    def day_counts(self, query: EventQuery = EVERYTHING) -> list[DayCount]:
        """See :meth:`EventStore.day_counts`."""
        return self._inner.day_counts(query)

    def totals(self, query: EventQuery = EVERYTHING) -> EventTotals:
        """See :meth:`EventStore.totals`."""
        return self._inner.totals(query)

    def pipeline_counts(self) -> dict[str, int]:
        """See :meth:`EventStore.pipeline_counts`."""
        return self._inner.pipeline_counts()

    def version(self) -> str:
        """See :meth:`EventStore.version`."""
        return self._inner.version()

    def articles(self) -> list[ArticleRecord]:
        """See :meth:`EventStore.articles`."""
        return self._inner.articles()

    def article(self, source: str) -> ArticleRecord | None:
        """See :meth:`EventStore.article`."""
        return self._inner.article(source)

    def date_range(self) -> tuple[date, date] | None:
        """See :meth:`EventStore.date_range`."""
        return self._inner.date_range()

    def outlets(self) -> list[str]:
        """See :meth:`EventStore.outlets`."""
        return self._inner.outlets()

    def languages(self) -> list[str]:
        """See :meth:`EventStore.languages`."""
        return self._inner.languages()

    def close(self) -> None:
        """Close the wrapped store."""
        self._inner.close()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._inner, name)

    def __repr__(self) -> str:
        return f"ReadOnlyStore({self._inner!r})"
