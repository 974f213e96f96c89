"""The event store: where extracted events live, named by a URL (``sqlite:///data/events.sqlite``).

>>> import tempfile
>>> from datetime import date
>>> with tempfile.TemporaryDirectory() as folder, open_store(f"sqlite:///{folder}/events.sqlite") as store:
...     store.load(window=(date(2020, 10, 1), date(2020, 10, 7)), sides=["armenia"]), store.date_range()
([], None)

``store.save_extraction(extraction)`` adds an article and its events in one transaction.

Writers (ingest) use :func:`open_store`, which creates a missing store; readers (export,
forget, a map) use :func:`open_existing_store`, so a mistyped URL is an error instead of
a new empty store.
"""

from __future__ import annotations

from mapapp.store.base import (
    ArticleChange,
    ArticleRecord,
    BBox,
    EventStore,
    ExtractionLike,
    StoreNotFoundError,
    Window,
)
from mapapp.store.url import DEFAULT_STORE_URL, ENV_VAR, parse_store_url, resolve_store_url

__all__ = [
    "DEFAULT_STORE_URL",
    "ENV_VAR",
    "ArticleChange",
    "ArticleRecord",
    "BBox",
    "EventStore",
    "ExtractionLike",
    "StoreNotFoundError",
    "Window",
    "open_existing_store",
    "open_store",
    "resolve_store_url",
]


def open_store(url: str | None = None) -> EventStore:
    """Open the store a URL names (``None``: ``$MAPAPP_STORE``, else the default).

    The SQLite file, its folders and its schema are created when missing, and older
    schemas are migrated. Raises :class:`mapapp.errors.StoreURLError` for a URL no
    backend understands and :class:`mapapp.errors.StoreError` for a file that is not
    a store.
    """
    from mapapp.store.sqlite import SQLiteEventStore

    resolved = resolve_store_url(url)
    return SQLiteEventStore(parse_store_url(resolved).path, url=resolved)


def open_existing_store(url: str | None = None) -> EventStore:
    """Open a store that must already exist (``None``: ``$MAPAPP_STORE``, else the default).

    Like :func:`open_store`, but a missing file raises :class:`StoreNotFoundError`
    (a :class:`mapapp.errors.StoreURLError`) naming the path, and no file or folder is
    created. An existing store of an older schema is still migrated.
    """
    from mapapp.store.sqlite import SQLiteEventStore

    resolved = resolve_store_url(url)
    return SQLiteEventStore(parse_store_url(resolved).path, url=resolved, create=False)
