"""The event store's contract: what the app, the CLI and ingest may ask of any backend."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Literal, Protocol, Self

from mapapp.errors import StoreURLError
from mapapp.model import Article, Event, EventKind, Side

__all__ = [
    "ArticleChange",
    "ArticleRecord",
    "BBox",
    "EventStore",
    "ExtractionLike",
    "StoreNotFoundError",
    "Window",
]

# (min_lat, min_lon, max_lat, max_lon), degrees; min_lon > max_lon crosses the antimeridian
BBox = tuple[float, float, float, float]
# inclusive (first day, last day); either end may be None for an open window
Window = tuple[date | None, date | None]

Status = Literal["new", "changed", "unchanged", "forgotten"]


class StoreNotFoundError(StoreURLError, FileNotFoundError):
    """A store URL that names no existing store, where one must exist (export, forget): ``.path``.

    A leaf of :class:`mapapp.errors.StoreURLError`, so commands treat it as a usage error.
    """

    def __init__(self, path: object) -> None:
        self.path = str(path)
        super().__init__(
            f"no event store at {self.path}: check --store / MAPAPP_STORE, or run `mapapp ingest` first"
        )


class ExtractionLike(Protocol):
    """What the store needs of :class:`mapapp.pipeline.Extraction`: the article and its events."""

    @property
    def article(self) -> Article: ...

    @property
    def events(self) -> tuple[Event, ...]: ...


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One stored article: its identity (source, sha256), metadata, text and event count."""

    source: str
    sha256: str
    outlet: str
    title: str
    published: date | None
    language: str
    text: str
    n_events: int
    published_how: str = "none"
    path: str = ""
    ingested_at: str = ""
    pipeline: str = ""  # identity of the pipeline that made its events ("" when stored before it was kept)


@dataclass(frozen=True, slots=True)
class ArticleChange:
    """What one save or forget did to the store.

    ``status`` is ``new``, ``changed``, ``unchanged`` or ``forgotten``. For a changed
    article an event is *updated* when the same claim (same place, day and reporting side)
    was already stored for it, *added* when it is new and *removed* when it is gone.
    """

    source: str
    status: Status
    events_added: int = 0
    events_updated: int = 0
    events_removed: int = 0

    def __post_init__(self) -> None:
        if self.status not in ("new", "changed", "unchanged", "forgotten"):
            raise ValueError(f"unknown article change status {self.status!r}")
        if min(self.events_added, self.events_updated, self.events_removed) < 0:
            raise ValueError(f"negative event counts in change for {self.source!r}")


class EventStore(ABC):
    """An event store: SQLite today (:class:`mapapp.store.sqlite.SQLiteEventStore`), PostGIS later.

    Every write is one transaction; readers never see half an article. Use it as a
    context manager, or call :meth:`close`.
    """

    url: str

    @abstractmethod
    def save_extraction(
        self,
        extraction: ExtractionLike,
        *,
        fingerprint: str = "",
        refresh: bool = False,
        path: str | None = None,
        pipeline: str = "",
    ) -> ArticleChange:
        """Store an article and its events; replace its events if its content changed.

        Same source and same content (text hash and metadata) is ``unchanged``: no content
        is written, so exports before and after are byte-identical. ``fingerprint`` is the
        ingest's hash of the input file and options (see :meth:`fingerprints`). With
        ``refresh`` an unchanged article whose events now come out differently (a newer
        pipeline) has them replaced and counts as ``changed``.

        ``path`` is where the article was read from: a file's absolute path, ``""`` for an
        upload (default: ``article.path``). Articles are keyed by file name, so an article
        whose text differs from the stored one of that name replaces it only when both come
        from the same file, or both are uploads; otherwise :class:`mapapp.errors.StoreError`
        names both origins and nothing is written (evidence is never replaced silently).

        ``pipeline`` is the identity of the pipeline that made ``extraction``
        (:func:`mapapp.pipeline.identity.pipeline_id`), kept with the article whenever its events
        are written. An ``unchanged`` article stored by another pipeline takes the new identity
        only when its stored events equal the given ones (checked here, or by ``refresh``); then
        :meth:`version` changes too. Otherwise it keeps the old one, and :meth:`pipelines` shows
        its events come from an older pipeline.
        """

    @abstractmethod
    def fingerprints(self) -> dict[str, str]:
        """Source -> fingerprint of the input it was extracted from (``""`` when unknown).

        Ingest skips extraction for a file whose fingerprint is already stored: same bytes
        and same options give the same extraction, because extraction is pure.
        """

    @abstractmethod
    def pipelines(self) -> dict[str, str]:
        """Source -> identity of the pipeline that made its stored events (``""`` when unknown:
        stored before the store kept it). Ingest and the app compare it with the running one."""

    @abstractmethod
    def forget(self, source: str) -> ArticleChange | None:
        """Remove an article and its events; ``None`` when no article has that source."""

    @abstractmethod
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
        """Events matching every filter given, ordered by date, source and id.

        ``window`` is inclusive; ``bbox`` is ``(min_lat, min_lon, max_lat, max_lon)``;
        ``text`` is a case-insensitive substring of any excerpt; ``kinds`` keeps events with
        any of these kinds. ``None`` means no filter; an empty iterable matches nothing.
        """

    @abstractmethod
    def version(self) -> str:
        """A token that changes whenever the stored content changes (a cache key); cheap."""

    @abstractmethod
    def articles(self) -> list[ArticleRecord]:
        """Every stored article, by source."""

    @abstractmethod
    def article(self, source: str) -> ArticleRecord | None:
        """The stored article with this source, or ``None``."""

    @abstractmethod
    def date_range(self) -> tuple[date, date] | None:
        """First and last event day, or ``None`` for an empty store."""

    @abstractmethod
    def outlets(self) -> list[str]:
        """Distinct non-empty outlets of stored articles, sorted."""

    @abstractmethod
    def languages(self) -> list[str]:
        """Distinct non-empty article languages, sorted."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; the store cannot be used afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
