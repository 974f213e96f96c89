"""The event store's contract: what the app, the CLI and ingest may ask of any backend.

Besides saving and loading events, a store answers the map's questions itself, so the
app's cost follows the places it draws, not the events stored: per-place counts for a
window (:meth:`EventStore.places`), one place's events (:meth:`EventStore.place_events`),
events per day (:meth:`EventStore.day_counts`) and totals (:meth:`EventStore.totals`).
Every question takes one :class:`EventQuery`, and answers with value objects.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from types import TracebackType
from typing import Literal, Protocol, Self

from mapapp.errors import StoreURLError
from mapapp.model import Article, Event, EventKind, Side

__all__ = [
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
    "PlaceCount",
    "PlaceSummary",
    "StoreNotFoundError",
    "Window",
    "newest_first",
    "parse_place_key",
    "place_key",
    "summarise_places",
]

# (min_lat, min_lon, max_lat, max_lon), degrees; min_lon > max_lon crosses the antimeridian
BBox = tuple[float, float, float, float]
# inclusive (first day, last day); either end may be None for an open window
Window = tuple[date | None, date | None]

Status = Literal["new", "changed", "unchanged", "forgotten"]

NEWEST = 5  # events a place summary carries by default: what a marker's popup lists
_COORDINATES = "latlon:"  # place keys of events stored without a gazetteer id
_SIDE_ORDER = {side: i for i, side in enumerate(Side)}


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


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Which events a question is about: an event must match every filter given.

    ``None`` means no filter; an empty tuple matches nothing. Values are normalised on
    construction (sides parsed and put in the legend's order, kinds in :class:`EventKind`
    order, outlets, languages and sources sorted without duplicates, ``text`` stripped, a
    blank one meaning no filter), so two queries that ask the same compare and hash equal:
    a query is a cache key.

    * ``window``: ``(first, last)`` days, inclusive; either end may be ``None`` (open).
    * ``sides``: reporting sides (:class:`Side` or its value, any case).
    * ``bbox``: ``(min_lat, min_lon, max_lat, max_lon)``, inclusive; ``min_lon > max_lon``
      crosses the antimeridian.
    * ``outlets``, ``languages``: the article's outlet or language is one of these.
    * ``text``: a case-insensitive (``str.casefold``) substring of one of the event's excerpts.
    * ``sources``: the article's source (file name) is one of these.
    * ``kinds``: the event has at least one of these kinds.

    >>> EventQuery(sides=["Independent", "armenia"], text="  drone ").sides
    (<Side.ARMENIA: 'armenia'>, <Side.INDEPENDENT: 'independent'>)
    >>> EventQuery(text="   ") == EventQuery()
    True
    """

    window: Window | None = None
    sides: tuple[Side, ...] | None = None
    bbox: BBox | None = None
    outlets: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    text: str | None = None
    sources: tuple[str, ...] | None = None
    kinds: tuple[EventKind, ...] | None = None

    def __post_init__(self) -> None:
        if self.window is not None:
            first, last = self.window
            if first is not None and last is not None and first > last:
                raise ValueError(f"date window starts after it ends: {first} > {last}")
            _set(self, "window", None if first is None and last is None else (first, last))
        for name in ("sides", "outlets", "languages", "sources", "kinds"):
            if isinstance(getattr(self, name), str):
                raise TypeError(f"{name} takes a list, got the string {getattr(self, name)!r}")
        if self.sides is not None:
            parsed = {s if isinstance(s, Side) else Side.parse(str(s)) for s in self.sides}
            _set(self, "sides", tuple(sorted(parsed, key=_SIDE_ORDER.__getitem__)))
        if self.bbox is not None:
            min_lat, min_lon, max_lat, max_lon = (float(v) for v in self.bbox)
            if min_lat > max_lat:
                raise ValueError(
                    f"bbox: min_lat {min_lat} > max_lat {max_lat}; "
                    "expected (min_lat, min_lon, max_lat, max_lon)"
                )
            _set(self, "bbox", (min_lat, min_lon, max_lat, max_lon))
        for name in ("outlets", "languages", "sources"):
            values = getattr(self, name)
            if values is not None:
                _set(self, name, tuple(sorted({str(v) for v in values})))
        if self.text is not None:
            _set(self, "text", self.text.strip() or None)
        if self.kinds is not None:
            wanted = {EventKind(str(k)) for k in self.kinds}
            _set(self, "kinds", tuple(k for k in EventKind if k in wanted))

    def within(self, first: date | None, last: date | None) -> EventQuery:
        """The same filters over the window ``first..last`` (inclusive; ``None``: open)."""
        return replace(self, window=(first, last))

    @property
    def filtered(self) -> bool:
        """True when anything but the window narrows the query (what the page marks "filtered")."""
        return replace(self, window=None) != EVERYTHING


EVERYTHING = EventQuery()


def _set(query: EventQuery, name: str, value: object) -> None:
    object.__setattr__(query, name, value)


def place_key(gazetteer_id: str, lat: float, lon: float) -> str:
    """The key of the place of an event: its gazetteer id, or ``latlon:<lat>,<lon>`` without one.

    >>> place_key("geonames:174875", 39.8177, 46.7528), place_key("", 39.8177, 46.7528)
    ('geonames:174875', 'latlon:39.8177,46.7528')
    """
    return gazetteer_id or f"{_COORDINATES}{float(lat)!r},{float(lon)!r}"


def parse_place_key(key: str) -> tuple[str, float | None, float | None]:
    """``(gazetteer_id, lat, lon)`` of a :func:`place_key`: ``(id, None, None)`` or ``("", lat, lon)``.

    >>> parse_place_key("latlon:39.8177,46.7528")
    ('', 39.8177, 46.7528)
    """
    if not key.startswith(_COORDINATES):
        return key, None, None
    try:
        lat, lon = (float(v) for v in key[len(_COORDINATES) :].split(","))
    except ValueError:
        raise ValueError(f"bad place key {key!r}: expected 'latlon:<lat>,<lon>' or a gazetteer id") from None
    return "", lat, lon


def newest_first(event: Event) -> tuple[int, int, str, str]:
    """Sort key of a place's events: newest day first, then the legend's side order, source, id."""
    return (-event.date.toordinal(), _SIDE_ORDER[event.side], event.source, event.id)


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """One row of the per-place ``GROUP BY``: events of one side at one gazetteer place and point.

    ``gazetteer_id`` is ``""`` for events stored without one (they are grouped by their
    exact coordinates); ``name`` is the gazetteer's name the events carry (``place_resolved``).
    """

    gazetteer_id: str
    lat: float
    lon: float
    name: str
    side: Side
    n: int
    first: date
    last: date

    @property
    def key(self) -> str:
        """The :func:`place_key` of the row's place."""
        return place_key(self.gazetteer_id, self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    """Every event at one place that matches a query: what one marker stands for.

    ``key`` is the gazetteer id (see :func:`place_key`); ``by_side`` counts the events
    per reporting side in :class:`Side` order; ``events`` are the newest of them
    (:func:`newest_first`): all of them, or only the newest few a store was asked for, so
    :attr:`n` (from the counts) may exceed ``len(events)``. ``first`` and ``last`` are the
    days of the earliest and latest event.
    """

    key: str
    name: str
    lat: float
    lon: float
    by_side: tuple[int, ...]
    first: date
    last: date
    events: tuple[Event, ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.by_side) != len(Side) or min(self.by_side) < 0:
            raise ValueError(
                f"place {self.key!r}: by_side needs one count >= 0 per side, got {self.by_side!r}"
            )
        if not sum(self.by_side):
            raise ValueError(f"place {self.key!r} has no events: a marker needs at least one")
        if len(self.events) > sum(self.by_side):
            raise ValueError(
                f"place {self.key!r}: {len(self.events)} events listed, {sum(self.by_side)} counted"
            )

    @property
    def n(self) -> int:
        """Number of events at the place."""
        return sum(self.by_side)

    @property
    def counts(self) -> dict[Side, int]:
        """Events per reporting side, in the legend's order; sides with none are left out."""
        return {side: n for side, n in zip(Side, self.by_side, strict=True) if n}

    @property
    def names(self) -> tuple[str, ...]:
        """The place's names as written in :attr:`events` and in the gazetteer, longest first."""
        found = {e.place for e in self.events} | {e.place_resolved for e in self.events} | {self.name}
        return tuple(sorted((n for n in found if n.strip()), key=lambda n: (-len(n), n)))


def summarise_places(
    counts: Iterable[PlaceCount], newest: Mapping[str, Sequence[Event]] | None = None
) -> list[PlaceSummary]:
    """Per-place summaries from ``GROUP BY`` rows and each place's newest events (by key).

    What every backend's :meth:`EventStore.places` returns, so they agree to the event:
    a place's name is the gazetteer name most of its events carry (ties: alphabetical
    first); its point is that of its newest event (without events: of its latest row,
    ties to the most events); places come biggest first, then by name and key, so smaller
    markers are drawn on top of bigger neighbours.
    """
    newest = newest or {}
    groups: dict[str, list[PlaceCount]] = {}
    for row in counts:
        groups.setdefault(row.key, []).append(row)
    places = []
    for key, rows in groups.items():
        by_side = [0] * len(Side)
        names: Counter[str] = Counter()
        for row in rows:
            by_side[_SIDE_ORDER[row.side]] += row.n
            names[row.name] += row.n
        events = tuple(sorted(newest.get(key, ()), key=newest_first))
        if events:
            lat, lon = events[0].lat, events[0].lon
        else:
            head = max(rows, key=lambda r: (r.last, r.n, -r.lat, -r.lon))
            lat, lon = head.lat, head.lon
        places.append(
            PlaceSummary(
                key=key,
                name=min(names, key=lambda n: (-names[n], n)),
                lat=lat,
                lon=lon,
                by_side=tuple(by_side),
                first=min(r.first for r in rows),
                last=max(r.last for r in rows),
                events=events,
            )
        )
    places.sort(key=lambda p: (-p.n, p.name, p.key))
    return places


@dataclass(frozen=True, slots=True)
class DayCount:
    """Events of one reporting side on one day (a bar segment of the timeline)."""

    day: date
    side: Side
    n: int

    def __post_init__(self) -> None:
        if self.n < 1:
            raise ValueError(f"{self.day} {self.side}: a day count is at least 1, got {self.n!r}")


@dataclass(frozen=True, slots=True)
class EventTotals:
    """How many events match a query, from how many articles, and their first and last day."""

    n_events: int
    n_sources: int  # distinct articles with at least one matching event
    first: date | None  # None when nothing matches
    last: date | None

    @property
    def empty(self) -> bool:
        """True when no event matches."""
        return self.n_events == 0


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
    def pipeline_counts(self) -> dict[str, int]:
        """Pipeline identity -> how many stored articles have events it made (``""``: unknown).

        The tally of :meth:`pipelines` (a ``GROUP BY``): what the app says about articles from
        an older pipeline, without a row per article.
        """

    @abstractmethod
    def forget(self, source: str) -> ArticleChange | None:
        """Remove an article and its events; ``None`` when no article has that source."""

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
        The same as ``events(EventQuery(...))`` (see :class:`EventQuery`).
        """
        return self.events(
            EventQuery(
                window=window,
                sides=None if sides is None else tuple(sides),
                bbox=bbox,
                outlets=None if outlets is None else tuple(outlets),
                languages=None if languages is None else tuple(languages),
                text=text,
                sources=None if sources is None else tuple(sources),
                kinds=None if kinds is None else tuple(kinds),
            )
        )

    @abstractmethod
    def events(self, query: EventQuery = EVERYTHING, *, limit: int | None = None) -> list[Event]:
        """The events matching ``query``, ordered by date, source and id; the first ``limit`` of them.

        Each event carries its excerpts (in their stored order) and its article's outlet,
        title, publication day and language. ``limit`` ``None`` means all; ``0`` gives ``[]``.
        """

    @abstractmethod
    def places(self, query: EventQuery = EVERYTHING, *, newest: int = NEWEST) -> list[PlaceSummary]:
        """One :class:`PlaceSummary` per place with events matching ``query``: what the map draws.

        A place is a gazetteer id (events without one: their exact coordinates); the counts
        per side, ``first`` and ``last`` cover every matching event there, and ``events`` holds
        the ``newest`` of them (``0``: none) in :func:`newest_first` order, with excerpts and
        article fields as :meth:`events` gives them. Name, point and order of the places are
        those of :func:`summarise_places`; the answer equals
        ``mapapp.mapview.aggregate(store.events(query), newest=newest)``.

        The cost must follow the places and the ``newest`` events returned, not the events
        counted: a ``GROUP BY`` in the database, never the events fetched and counted here.
        """

    @abstractmethod
    def place_events(
        self, key: str, query: EventQuery = EVERYTHING, *, limit: int | None = None, offset: int = 0
    ) -> list[Event]:
        """The events at the place ``key`` (a :attr:`PlaceSummary.key`) matching ``query``.

        Newest first (:func:`newest_first`), skipping ``offset`` and returning at most ``limit``
        (``None``: all), as :meth:`events` gives them. A key no stored event has gives ``[]``.
        """

    @abstractmethod
    def day_counts(self, query: EventQuery = EVERYTHING) -> list[DayCount]:
        """Events matching ``query`` per day and reporting side, by day then the legend's side order.

        Only (day, side) pairs with events appear. The cost must follow the days and sides,
        not the events (a ``GROUP BY``).
        """

    @abstractmethod
    def totals(self, query: EventQuery = EVERYTHING) -> EventTotals:
        """How many events match ``query``, from how many distinct articles, and their first and last day.

        ``totals()`` describes the whole store: every stored event and the articles that
        have at least one (articles stored without events are not counted).
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
