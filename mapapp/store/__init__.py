"""The event store: where extracted events live, named by a URL.

``sqlite:///data/events.sqlite`` is the embedded default (one file);
``postgresql://user@host:port/db`` is a PostgreSQL/PostGIS database a team shares.

>>> import tempfile
>>> from datetime import date
>>> with tempfile.TemporaryDirectory() as folder, open_store(f"sqlite:///{folder}/events.sqlite") as store:
...     week = (date(2020, 10, 1), date(2020, 10, 7))
...     store.load(window=week, sides=["armenia"]), store.date_range(), store.places(EventQuery(window=week))
([], None, [])

``store.save_extraction(extraction)`` adds an article and its events in one transaction.

Writers (ingest) use :func:`open_store`, which creates a missing store; readers (export,
forget, a map) use :func:`open_existing_store`, so a mistyped URL is an error instead of
a new empty store; ``read_only=True`` gives a store that refuses every write.
"""

from __future__ import annotations

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
    StoreNotFoundError,
    Window,
)
from mapapp.store.readonly import ReadOnlyStore, StoreReadOnlyError
from mapapp.store.url import DEFAULT_STORE_URL, ENV_VAR, parse_store_url, redact, resolve_store_url

__all__ = [
    "DEFAULT_STORE_URL",
    "ENV_VAR",
    "EVERYTHING",
    "NEWEST",
    "ArticleChange",
    "ArticleRecord",
    "BBox",
    "DayCount",
    "EventQuery",
    "EventStore",
    "EventTotals",
    "ExtractionLike",
    "PlaceSummary",
    "ReadOnlyStore",
    "StoreNotFoundError",
    "StoreReadOnlyError",
    "Window",
    "open_existing_store",
    "open_store",
    "redact",
    "resolve_store_url",
]


def open_store(url: str | None = None) -> EventStore:
    """Open the store a URL names (``None``: ``$MAPAPP_STORE``, else the default).

    A SQLite file, its folders and its schema are created when missing; a PostgreSQL
    database must exist, and its tables (and PostGIS, when the role may add it) are
    created in it. Older schemas are migrated. Raises :class:`mapapp.errors.StoreURLError`
    for a URL no backend understands and :class:`mapapp.errors.StoreError` for a file or
    database that is not a store, or a server that cannot be reached.
    """
    resolved = resolve_store_url(url)
    parsed = parse_store_url(resolved)
    if parsed.scheme == "postgresql":
        from mapapp.store.postgis import PostGISEventStore

        return PostGISEventStore(resolved)
    from mapapp.store.sqlite import SQLiteEventStore

    return SQLiteEventStore(parsed.path or "", url=resolved)


def open_existing_store(url: str | None = None, *, read_only: bool = False) -> EventStore:
    """Open a store that must already exist (``None``: ``$MAPAPP_STORE``, else the default).

    Like :func:`open_store`, but a missing file, database or schema raises
    :class:`StoreNotFoundError` (a :class:`mapapp.errors.StoreURLError`) naming it, and
    nothing is created. An existing store of an older schema is still migrated, unless
    ``read_only``: then nothing is migrated, the store is a :class:`ReadOnlyStore` whose
    writes raise :class:`StoreReadOnlyError`, and a PostgreSQL session is read-only too.
    """
    resolved = resolve_store_url(url)
    parsed = parse_store_url(resolved)
    store: EventStore
    if parsed.scheme == "postgresql":
        from mapapp.store.postgis import PostGISEventStore

        store = PostGISEventStore(resolved, create=False, read_only=read_only)
    else:
        from mapapp.store.sqlite import SQLiteEventStore

        store = SQLiteEventStore(parsed.path or "", url=resolved, create=False)
    return ReadOnlyStore(store) if read_only else store
