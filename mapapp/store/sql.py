"""The map's questions in portable SQL: one WHERE builder and the statements every backend can run.

Standard SQL only: ``GROUP BY``, ``CASE``, a ``VALUES`` list in a ``WITH``, a ``LATERAL``
join (or, where the engine has none, a correlated ``IN (SELECT ... ORDER BY ... LIMIT n)``),
``count(DISTINCT ...)``. What differs between engines is a :class:`Dialect`: the
placeholder, how "contains" is spelled, how a day is passed, whether ``LATERAL`` exists.
The statements read the ``events``, ``articles`` and ``excerpts`` tables every
backend has, with the aliases ``e`` (events) and ``a`` (articles); a backend may answer
some queries faster from tables of its own (the SQLite store keeps a per-day roll-up)
and passes that table's :class:`Columns` to :func:`where`.

Values never enter the SQL text: every value is a parameter, in the order the
placeholders appear.

>>> condition, params = where(EventQuery(sides=["armenia"], text="Drone"), SQLITE)
>>> print(condition)
e.side IN (?) AND EXISTS (SELECT 1 FROM excerpts t WHERE t.event_id = e.id AND instr(t.folded, ?) > 0)
>>> params
['armenia', 'drone']
>>> where(EventQuery(sides=["armenia"]), POSTGRESQL)
('e.side IN (%s)', ['armenia'])
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from mapapp.model import Event, Side
from mapapp.store.base import (
    DayCount,
    EventQuery,
    EventTotals,
    PlaceCount,
    newest_first,
    parse_place_key,
    place_key,
)

__all__ = [
    "EVENTS",
    "POSTGRESQL",
    "SQLITE",
    "Columns",
    "Dialect",
    "answerable",
    "as_day",
    "day_count",
    "day_counts_sql",
    "events_sql",
    "newest_by_place",
    "newest_order",
    "newest_sql",
    "place_count",
    "place_counts_sql",
    "place_events_sql",
    "side_rank",
    "totals",
    "totals_sql",
    "where",
]


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between SQL engines in mapapp's statements.

    ``param`` is the driver's placeholder; ``contains`` spells "``{haystack}`` contains
    ``{needle}``" (standard SQL's ``POSITION`` is not in SQLite, and ``LIKE`` would need
    its wildcards escaped); ``iso_days`` passes days as ISO text (a TEXT column) instead of
    ``date`` objects (a DATE column); ``lateral``: the engine joins ``LATERAL`` subqueries
    (PostgreSQL does; SQLite gets the correlated ``IN`` instead).
    """

    name: str
    param: str
    contains: str
    iso_days: bool
    lateral: bool = False

    def day(self, value: date) -> str | date:
        """A day as this engine's parameter."""
        return value.isoformat() if self.iso_days else value


SQLITE = Dialect("sqlite", "?", "instr({haystack}, {needle}) > 0", iso_days=True)
POSTGRESQL = Dialect("postgresql", "%s", "strpos({haystack}, {needle}) > 0", iso_days=False, lateral=True)


@dataclass(frozen=True, slots=True)
class Columns:
    """The SQL expressions the filters of an :class:`EventQuery` test; ``None``: not in this table.

    The default is the ``events e JOIN articles a`` of every statement here; a backend's
    roll-up table names its own columns and leaves out what it cannot answer.
    """

    date: str = "e.date"
    side: str = "e.side"
    lat: str = "e.lat"
    lon: str = "e.lon"
    source: str | None = "e.source"
    kinds: str | None = "e.kinds"
    event_id: str | None = "e.id"
    outlet: str | None = "a.outlet"
    language: str | None = "a.language"


EVENTS = Columns()

# EventQuery field -> the Columns fields it needs
_NEEDS = {
    "window": ("date",),
    "sides": ("side",),
    "bbox": ("lat", "lon"),
    "outlets": ("outlet",),
    "languages": ("language",),
    "text": ("event_id",),
    "sources": ("source",),
    "kinds": ("kinds",),
}


def answerable(query: EventQuery, columns: Columns) -> bool:
    """Whether a table with ``columns`` can answer every filter ``query`` sets."""
    return all(
        getattr(columns, column) is not None
        for f in fields(query)
        if getattr(query, f.name) is not None
        for column in _NEEDS[f.name]
    )


def where(query: EventQuery, dialect: Dialect, columns: Columns = EVENTS) -> tuple[str, list[Any]]:
    """The WHERE condition of ``query`` (``1 = 1`` for none) and its parameters.

    Raises ``ValueError`` when ``columns`` lacks a column a filter needs (see :func:`answerable`).
    """
    if not answerable(query, columns):
        raise ValueError(f"{columns!r} cannot answer {query!r}")
    p = dialect.param
    clauses: list[str] = []
    params: list[Any] = []

    def one_of(column: str | None, values: Sequence[str]) -> None:
        if not values:
            clauses.append("1 = 0")
            return
        clauses.append(f"{column} IN ({', '.join(p for _ in values)})")
        params.extend(values)

    if query.window is not None:
        first, last = query.window
        if first is not None:
            clauses.append(f"{columns.date} >= {p}")
            params.append(dialect.day(first))
        if last is not None:
            clauses.append(f"{columns.date} <= {p}")
            params.append(dialect.day(last))
    if query.sides is not None:
        one_of(columns.side, [s.value for s in query.sides])
    if query.bbox is not None:
        min_lat, min_lon, max_lat, max_lon = query.bbox
        clauses.append(f"{columns.lat} BETWEEN {p} AND {p}")
        params += [min_lat, max_lat]
        if min_lon <= max_lon:
            clauses.append(f"{columns.lon} BETWEEN {p} AND {p}")
            params += [min_lon, max_lon]
        else:  # crosses the antimeridian
            clauses.append(f"({columns.lon} >= {p} OR {columns.lon} <= {p})")
            params += [min_lon, max_lon]
    if query.outlets is not None:
        one_of(columns.outlet, query.outlets)
    if query.languages is not None:
        one_of(columns.language, query.languages)
    if query.sources is not None:
        one_of(columns.source, query.sources)
    if query.kinds is not None:  # any of them: kinds are stored comma-separated
        if not query.kinds:
            clauses.append("1 = 0")
        else:
            haystack = f"(',' || {columns.kinds} || ',')"
            tests = [dialect.contains.format(haystack=haystack, needle=p) for _ in query.kinds]
            clauses.append("(" + " OR ".join(tests) + ")")
            params += [f",{k.value}," for k in query.kinds]
    if query.text is not None:
        found = dialect.contains.format(haystack="t.folded", needle=p)
        clauses.append(f"EXISTS (SELECT 1 FROM excerpts t WHERE t.event_id = {columns.event_id} AND {found})")
        params.append(query.text.casefold())
    return (" AND ".join(clauses) or "1 = 1"), params


def side_rank(column: str) -> str:
    """``column``'s side as its position in the legend (0 for armenia ... 3 for independent)."""
    cases = " ".join(f"WHEN '{side.value}' THEN {i}" for i, side in enumerate(Side))
    return f"CASE {column} {cases} END"


def newest_order(alias: str = "e") -> str:
    """ORDER BY terms of :func:`mapapp.store.base.newest_first` for the events table ``alias``."""
    return f"{alias}.date DESC, {side_rank(f'{alias}.side')}, {alias}.source, {alias}.id"


def _from(query: EventQuery) -> str:
    # the articles table only when a filter reads it: a join per event costs at a million events
    if query.outlets is not None or query.languages is not None:
        return "events e JOIN articles a ON a.source = e.source"
    return "events e"


def _limit(limit: int | None, offset: int = 0) -> str:
    if (limit is not None and limit < 0) or offset < 0:
        raise ValueError(f"limit and offset must be >= 0, got limit={limit!r}, offset={offset!r}")
    out = "" if limit is None else f" LIMIT {int(limit)}"
    return out + (f" OFFSET {int(offset)}" if offset else "")


def events_sql(
    query: EventQuery, dialect: Dialect, select: str, *, limit: int | None = None
) -> tuple[str, list[Any]]:
    """Events matching ``query`` by date, source and id; ``select`` lists columns of ``e`` and ``a``."""
    condition, params = where(query, dialect)
    return (
        f"SELECT {select} FROM events e JOIN articles a ON a.source = e.source WHERE {condition} "
        f"ORDER BY e.date, e.source, e.id{_limit(limit)}",
        params,
    )


def place_counts_sql(query: EventQuery, dialect: Dialect) -> tuple[str, list[Any]]:
    """Rows of :func:`place_count`: events per gazetteer id, point, gazetteer name and side."""
    condition, params = where(query, dialect)
    group = "e.gazetteer_id, e.lat, e.lon, e.place_resolved, e.side"
    return (
        f"SELECT {group}, count(*), min(e.date), max(e.date) FROM {_from(query)} WHERE {condition} "
        f"GROUP BY {group}",
        params,
    )


def place_count(row: Sequence[Any]) -> PlaceCount:
    """A :class:`PlaceCount` from ``(gazetteer_id, lat, lon, name, side, n, first, last)``."""
    gazetteer_id, lat, lon, name, side, n, first, last = row
    return PlaceCount(
        gazetteer_id, float(lat), float(lon), name, Side(side), int(n), as_day(first), as_day(last)
    )


def newest_sql(
    points: Sequence[tuple[str, float, float]],
    query: EventQuery,
    dialect: Dialect,
    select: str,
    *,
    newest: int,
) -> tuple[str, list[Any]]:
    """The ``newest`` events matching ``query`` at each ``(gazetteer_id, lat, lon)`` point.

    One statement for every point: a ``LATERAL`` subquery per point (or a correlated
    ``IN (... ORDER BY ... LIMIT)``) that an index on the place and day answers with a
    few rows per point, whatever the window holds. ``select`` lists columns of ``e`` and
    ``a``; ``points`` must not be empty. :func:`newest_by_place` sorts the rows out.
    """
    if not points:
        raise ValueError("newest_sql needs at least one point")
    p = dialect.param
    condition, params = where(query, dialect)
    number = "DOUBLE PRECISION"
    values = ", ".join(f"({p}, CAST({p} AS {number}), CAST({p} AS {number}))" for _ in points)
    at_point = "e.gazetteer_id = k.gazetteer_id AND e.lat = k.lat AND e.lon = k.lon"
    if dialect.lateral:
        sql = (
            f"WITH k (gazetteer_id, lat, lon) AS (VALUES {values}) SELECT x.* FROM k CROSS JOIN LATERAL "
            f"(SELECT {select} FROM events e JOIN articles a ON a.source = e.source "
            f"WHERE {at_point} AND {condition} ORDER BY {newest_order()}{_limit(newest)}) x"
        )
        return sql, [v for point in points for v in point] + params
    inner = (
        f"SELECT e.id FROM {_from(query)} WHERE {at_point} AND {condition} "
        f"ORDER BY {newest_order()}{_limit(newest)}"
    )
    sql = (
        f"WITH k (gazetteer_id, lat, lon) AS (VALUES {values}) "
        f"SELECT {select} FROM k JOIN events e ON e.id IN ({inner}) "
        "JOIN articles a ON a.source = e.source"
    )
    return sql, [v for point in points for v in point] + params


def newest_by_place(events: Iterable[Event], newest: int) -> dict[str, list[Event]]:
    """Place key -> its ``newest`` events, newest first.

    A place found at several points (its coordinates changed between ingests) got ``newest``
    from each: only the newest of them all are kept.
    """
    found: dict[str, list[Event]] = {}
    for event in events:
        found.setdefault(place_key(event.gazetteer_id, event.lat, event.lon), []).append(event)
    return {key: sorted(group, key=newest_first)[:newest] for key, group in found.items()}


def place_events_sql(
    key: str,
    query: EventQuery,
    dialect: Dialect,
    select: str,
    *,
    points: Sequence[tuple[float, float]] = (),
    limit: int | None = None,
    offset: int = 0,
) -> tuple[str, list[Any]]:
    """Events at the place ``key`` matching ``query``, newest first, paged.

    ``points``, when given, are the ``(lat, lon)`` the place's events lie at: a backend
    whose index leads with the coordinates passes them so the index is used.
    """
    p = dialect.param
    gazetteer_id, lat, lon = parse_place_key(key)
    condition, params = where(query, dialect)
    at = [f"e.gazetteer_id = {p}"]
    head: list[Any] = [gazetteer_id]
    if lat is not None:
        points = [(lat, lon)] if lon is not None else []
    if points:
        at.append("(" + " OR ".join(f"(e.lat = {p} AND e.lon = {p})" for _ in points) + ")")
        head += [v for point in points for v in point]
    return (
        f"SELECT {select} FROM events e JOIN articles a ON a.source = e.source "
        f"WHERE {' AND '.join(at)} AND {condition} ORDER BY {newest_order()}{_limit(limit, offset)}",
        head + params,
    )


def day_counts_sql(query: EventQuery, dialect: Dialect) -> tuple[str, list[Any]]:
    """Rows of :func:`day_count`: events per day and side."""
    condition, params = where(query, dialect)
    return (
        f"SELECT e.date, e.side, count(*) FROM {_from(query)} WHERE {condition} GROUP BY e.date, e.side",
        params,
    )


def day_count(row: Sequence[Any]) -> DayCount:
    """A :class:`DayCount` from ``(day, side, n)``."""
    day, side, n = row
    return DayCount(as_day(day), Side(side), int(n))


def totals_sql(query: EventQuery, dialect: Dialect) -> tuple[str, list[Any]]:
    """One row for :func:`totals`: events, distinct articles, first and last day."""
    condition, params = where(query, dialect)
    return (
        f"SELECT count(*), count(DISTINCT e.source), min(e.date), max(e.date) FROM {_from(query)} "
        f"WHERE {condition}",
        params,
    )


def totals(row: Sequence[Any]) -> EventTotals:
    """:class:`EventTotals` from ``(events, articles, first, last)`` (``None`` days when empty)."""
    n_events, n_sources, first, last = row
    return EventTotals(
        int(n_events or 0),
        int(n_sources or 0),
        as_day(first) if first is not None else None,
        as_day(last) if last is not None else None,
    )


@functools.lru_cache(maxsize=4096)
def as_day(value: str | date) -> date:
    """A stored day as a ``date`` (SQLite gives ISO text, PostgreSQL a ``date``)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
