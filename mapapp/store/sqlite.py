"""The SQLite event store: its connection and statements (schema in sqlite_schema.py); all parameterised.

The map's questions are answered in SQL: the portable statements of :mod:`mapapp.store.sql`
on the events table, or, for a window with only side and bounding-box filters (the map as
it opens, and every slider step), from ``place_days``, a roll-up of events per place, day
and side that triggers keep in step with the events table. Its size follows places times
days, not events, so the map's cost does too.

Durability and concurrency: WAL journal (readers never block the writer and never see
a half-written article), ``synchronous=NORMAL`` (a killed process loses nothing that was
committed; only a power cut may lose the last commits, never consistency), foreign keys
on, and a busy timeout so a second writer waits instead of failing. Each article is
written in one ``BEGIN IMMEDIATE`` transaction. Speed: a 64 MiB page cache per connection
(bounded, whatever the store's size) and a checkpoint every 10,000 WAL pages instead of
1,000 (a page rewritten by many small transactions is copied back once), which together
pay for the roll-up's triggers on writes (``benchmarks/bench_store.py``).
"""

from __future__ import annotations

import functools
import shlex
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mapapp.errors import StoreError
from mapapp.model import Article, DateHow, Event, EventKind, Excerpt, Precision, Side
from mapapp.store import sql
from mapapp.store.base import (
    EVERYTHING,
    NEWEST,
    ArticleChange,
    ArticleRecord,
    DayCount,
    EventQuery,
    EventStore,
    EventTotals,
    ExtractionLike,
    PlaceSummary,
    StoreNotFoundError,
    parse_place_key,
    summarise_places,
)
from mapapp.store.sqlite_schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "SCHEMA_VERSION", "SQLiteEventStore"]

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 64 * 1024
CHECKPOINT_PAGES = 10_000
WAL_LIMIT_BYTES = 64 * 1024 * 1024


_EVENT_COLUMNS = (
    "id", "source", "place", "place_resolved", "gazetteer_id", "country", "lat", "lon", "precision",
    "date", "date_how", "date_cue", "side", "side_cue", "confidence", "disputed_by", "kinds",
)
_ARTICLE_COLUMNS = (
    "source", "sha256", "outlet", "title", "published", "language", "text", "n_events",
    "published_how", "path", "ingested_at", "fingerprint", "pipeline",
)
_ARTICLE_WRITTEN = (*_ARTICLE_COLUMNS, "first_day", "last_day")
# what events(), places() and place_events() read: the event, then its article's fields
_SELECT = ", ".join(f"e.{c}" for c in _EVENT_COLUMNS) + ", a.outlet, a.title, a.published, a.language"
# the roll-up answers windows, sides and bounding boxes; other filters read the events
_ROLLUP = sql.Columns(
    date="p.day", side="p.side", lat="p.lat", lon="p.lon",
    source=None, kinds=None, event_id=None, outlet=None, language=None,
)
_PLACE_GROUP = "p.gazetteer_id, p.lat, p.lon, p.place_resolved, p.side"
# the roll-up against the events it counts (integrity_check)
_EVENTS_BY_PLACE_DAY = (
    "SELECT gazetteer_id, lat, lon, place_resolved, side, date, count(*) FROM events "
    "GROUP BY gazetteer_id, lat, lon, place_resolved, side, date"
)
_PLACE_DAYS = "SELECT gazetteer_id, lat, lon, place_resolved, side, day, n FROM place_days"
_ROLLUP_MISSING = f"{_EVENTS_BY_PLACE_DAY} EXCEPT {_PLACE_DAYS}"
_ROLLUP_EXTRA = f"{_PLACE_DAYS} EXCEPT {_EVENTS_BY_PLACE_DAY}"
# Articles with an event in the window [:s, :e], from their first and last event days: those
# whose first day is in it, those that began before it and whose last day is in it, and of the
# few that span the whole window, those with an event inside (the only ones whose events are read).
_ARTICLES_IN_WINDOW = (
    "WITH w (s, e) AS (VALUES (?, ?)) SELECT "
    "(SELECT count(*) FROM articles, w WHERE first_day >= w.s AND first_day <= w.e) + "
    "(SELECT count(*) FROM articles, w WHERE first_day < w.s AND last_day >= w.s AND last_day <= w.e) + "
    "(SELECT count(*) FROM articles a, w WHERE a.first_day < w.s AND a.last_day > w.e AND EXISTS "
    "(SELECT 1 FROM events x WHERE x.source = a.source AND x.date >= w.s AND x.date <= w.e))"
)
_NO_DAY, _LAST_DAY = "", "9999-12-31"  # open ends of a window, as ISO text compares
_POINTS_PER_STATEMENT = 1000  # 3 parameters each, well under SQLite's 32,766
_IDS_PER_STATEMENT = 900


class SQLiteEventStore(EventStore):
    """Events in one SQLite file; safe to share between threads of one process.

    Open it with :func:`mapapp.store.open_store`; several processes may open the same
    file at once (one writes at a time, the others wait up to ``BUSY_TIMEOUT_MS``).
    With ``create=False`` a missing file raises :class:`StoreNotFoundError` and nothing
    is created (for readers: a mistyped ``--store`` must not look like an empty store).
    """

    def __init__(self, path: str | Path, *, url: str | None = None, create: bool = True) -> None:
        self.path = Path(path)
        self.url = url or f"sqlite:///{self.path}"
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create the store's folder: {exc.strerror}") from exc
        elif not self.path.is_file():
            raise StoreNotFoundError(self.path)
        try:
            # mode=rw: SQLite opens the file but never creates it (no race with the check above)
            target = self.path if create else f"{self.path.resolve().as_uri()}?mode=rw"
            self._conn = sqlite3.connect(
                target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False,
                uri=not create,
            )
        except sqlite3.Error as exc:
            if not create and not self.path.is_file():
                raise StoreNotFoundError(self.path) from exc
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        try:
            self._refuse_foreign_database()  # before any PRAGMA changes the file
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(
                f"{self.path}: not a usable mapapp store ({exc}); point --store at another file"
            ) from exc
        except BaseException:
            self.close()
            raise

    # -- connection -----------------------------------------------------------------

    def _refuse_foreign_database(self) -> None:
        conn = self._connection
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )]
        if tables and "schema_version" not in tables:
            raise StoreError(
                f"{self.path}: a SQLite database but not a mapapp store (it has tables "
                f"{', '.join(tables[:5])}); point --store at a new file"
            )

    def _configure(self) -> None:
        conn = self._connection
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{self.path}: SQLite refused WAL mode (got {mode!r}); use a local disk")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = {-CACHE_KIB:d}")  # negative: KiB, not pages
        conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES:d}")
        conn.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES:d}")  # the WAL file shrinks back

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._conn

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: ``BEGIN IMMEDIATE`` for writes (no lock upgrade deadlocks)."""
        with self._lock:
            conn = self._connection
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    def _schema_version(self, conn: sqlite3.Connection) -> int:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if row is None:
            return 0
        return int(conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._lock:
            conn = self._connection
            if self._schema_version(conn) == SCHEMA_VERSION:
                return
            with self._transaction(write=True):
                current = self._schema_version(conn)  # again, under the write lock
                if current > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path}: the store has schema version {current}, this mapapp knows "
                        f"up to {SCHEMA_VERSION}; upgrade mapapp to open it"
                    )
                if current == 0:
                    conn.execute(
                        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                        "description TEXT NOT NULL, applied_at TEXT NOT NULL)"
                    )
                for version, description, statements in MIGRATIONS:
                    if version <= current:
                        continue
                    for statement in statements:
                        conn.execute(statement)
                    if version == 1:
                        conn.execute(
                            "INSERT INTO meta (key, value) VALUES ('store_id', ?), ('generation', '0')",
                            (uuid.uuid4().hex,),
                        )
                    conn.execute(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                        (version, description, _now()),
                    )

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- writes ---------------------------------------------------------------------

    def save_extraction(
        self,
        extraction: ExtractionLike,
        *,
        fingerprint: str = "",
        refresh: bool = False,
        path: str | None = None,
        pipeline: str = "",
    ) -> ArticleChange:
        """Store one article and its events in one transaction (see :class:`EventStore`)."""
        article = extraction.article
        events = tuple(extraction.events)
        _check_events(article, events)
        sha = article.sha256
        origin = article.path if path is None else path
        try:
            with self._transaction(write=True) as conn:
                old = conn.execute(
                    "SELECT sha256, outlet, title, published, published_how, language, path, pipeline, "
                    "fingerprint FROM articles WHERE source = ?",
                    (article.source,),
                ).fetchone()
                if old is not None and old[0] != sha and not _same_origin(old[6], origin):
                    raise StoreError(_conflict(article.source, old[6]))
                new_meta = (sha, article.outlet, article.title, _iso(article.published),
                            article.published_how, article.language)
                same = old is not None and tuple(old[:6]) == new_meta
                if same and refresh and not self._same_events(conn, article.source, events):
                    same = False  # same text, but the pipeline now finds other events: replace them
                if same:
                    if fingerprint and old[-1] != fingerprint:  # bookkeeping only: content and version stay
                        conn.execute(
                            "UPDATE articles SET fingerprint = ? WHERE source = ?",
                            (fingerprint, article.source),
                        )
                    if pipeline and old[7] != pipeline and (refresh or self._same_events(conn, article.source,
                                                                                          events)):
                        # this pipeline makes exactly the stored events: they are its own now
                        conn.execute(
                            "UPDATE articles SET pipeline = ? WHERE source = ?", (pipeline, article.source)
                        )
                        self._bump(conn)  # what the app says about older pipelines changes
                    return ArticleChange(article.source, "unchanged")
                old_keys: set[tuple[str, str, str]] = set()
                if old is not None:
                    old_keys = {
                        (g, d, s)
                        for g, d, s in conn.execute(
                            "SELECT gazetteer_id, date, side FROM events WHERE source = ?", (article.source,)
                        )
                    }
                    conn.execute("DELETE FROM articles WHERE source = ?", (article.source,))
                days = sorted(e.date for e in events)
                conn.execute(
                    f"INSERT INTO articles ({', '.join(_ARTICLE_WRITTEN)}) "
                    f"VALUES ({', '.join('?' * len(_ARTICLE_WRITTEN))})",
                    (article.source, sha, article.outlet, article.title, _iso(article.published),
                     article.language, article.text, len(events), article.published_how,
                     origin, _now(), fingerprint, pipeline,
                     _iso(days[0]) if days else None, _iso(days[-1]) if days else None),
                )
                conn.executemany(
                    f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(_EVENT_COLUMNS))})",
                    [_event_row(e) for e in events],
                )
                conn.executemany(
                    'INSERT INTO excerpts (event_id, seq, text, start, "end", folded) '
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (e.id, seq, x.text, x.start, x.end, x.text.casefold())
                        for e in events
                        for seq, x in enumerate(e.excerpts)
                    ],
                )
                self._bump(conn)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{article.source}: its events could not be stored: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: writing {article.source!r} failed: {exc}") from exc
        new_keys = {(e.gazetteer_id, e.date.isoformat(), e.side.value) for e in events}
        if old is None:
            return ArticleChange(article.source, "new", events_added=len(events))
        return ArticleChange(
            article.source,
            "changed",
            events_added=len(new_keys - old_keys),
            events_updated=len(new_keys & old_keys),
            events_removed=len(old_keys - new_keys),
        )

    @staticmethod
    def _same_events(conn: sqlite3.Connection, source: str, events: Sequence[Event]) -> bool:
        stored = conn.execute(
            f"SELECT {', '.join(_EVENT_COLUMNS)} FROM events WHERE source = ?", (source,)
        ).fetchall()
        if sorted(stored) != sorted(_event_row(e) for e in events):
            return False
        stored_excerpts = conn.execute(
            'SELECT x.event_id, x.seq, x.text, x.start, x."end" FROM excerpts x '
            "JOIN events e ON e.id = x.event_id WHERE e.source = ?",
            (source,),
        ).fetchall()
        new_excerpts = [(e.id, i, x.text, x.start, x.end) for e in events for i, x in enumerate(e.excerpts)]
        return sorted(stored_excerpts) == sorted(new_excerpts)

    def forget(self, source: str) -> ArticleChange | None:
        """Remove an article and (by cascade) its events and excerpts."""
        with self._transaction(write=True) as conn:
            row = conn.execute("SELECT n_events FROM articles WHERE source = ?", (source,)).fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM articles WHERE source = ?", (source,))
            self._bump(conn)
        return ArticleChange(source, "forgotten", events_removed=int(row[0]))

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # -- reads ----------------------------------------------------------------------

    def events(self, query: EventQuery = EVERYTHING, *, limit: int | None = None) -> list[Event]:
        """Events matching ``query`` by date, source and id (see :meth:`EventStore.events`)."""
        statement, params = sql.events_sql(query, sql.SQLITE, _SELECT, limit=limit)
        with self._transaction(write=False) as conn:  # one snapshot for both queries
            rows = conn.execute(statement, params).fetchall()
            if not rows:
                return []
            if limit is None:  # every match: the excerpts of the same WHERE, in one pass
                condition, params = sql.where(query, sql.SQLITE)
                excerpts = _excerpts(conn.execute(
                    'SELECT x.event_id, x.text, x.start, x."end" FROM excerpts x WHERE x.event_id IN '
                    f"(SELECT e.id FROM events e JOIN articles a ON a.source = e.source WHERE {condition}) "
                    "ORDER BY x.event_id, x.seq",
                    params,
                ))
            else:
                excerpts = self._excerpts_of(conn, [r[0] for r in rows])
        return [_event_from_row(row, tuple(excerpts.get(row[0], ()))) for row in rows]

    def places(self, query: EventQuery = EVERYTHING, *, newest: int = NEWEST) -> list[PlaceSummary]:
        """Per-place summaries (see :meth:`EventStore.places`); from ``place_days`` when it can answer."""
        if newest < 0:
            raise ValueError(f"newest must be >= 0, got {newest!r}")
        with self._transaction(write=False) as conn:
            if sql.answerable(query, _ROLLUP):
                condition, params = sql.where(query, sql.SQLITE, _ROLLUP)
                statement = (
                    f"SELECT {_PLACE_GROUP}, sum(p.n), min(p.day), max(p.day) FROM place_days p "
                    f"WHERE {condition} GROUP BY {_PLACE_GROUP}"
                )
            else:
                statement, params = sql.place_counts_sql(query, sql.SQLITE)
            counts = [sql.place_count(row) for row in conn.execute(statement, params)]
            latest: list[Event] = []
            if counts and newest:
                points = sorted({(c.gazetteer_id, c.lat, c.lon) for c in counts})
                for at in range(0, len(points), _POINTS_PER_STATEMENT):
                    statement, params = sql.newest_sql(
                        points[at : at + _POINTS_PER_STATEMENT], query, sql.SQLITE, _SELECT, newest=newest
                    )
                    rows = conn.execute(statement, params).fetchall()
                    excerpts = self._excerpts_of(conn, [r[0] for r in rows])
                    latest += [_event_from_row(row, tuple(excerpts.get(row[0], ()))) for row in rows]
        return summarise_places(counts, sql.newest_by_place(latest, newest))

    def place_events(
        self, key: str, query: EventQuery = EVERYTHING, *, limit: int | None = None, offset: int = 0
    ) -> list[Event]:
        """Events at one place, newest first, paged (see :meth:`EventStore.place_events`)."""
        gazetteer_id, _, _ = parse_place_key(key)
        with self._transaction(write=False) as conn:
            points: list[tuple[float, float]] = []
            if gazetteer_id:  # the place's points, so the (lat, lon, date) index finds its events
                points = conn.execute(
                    "SELECT DISTINCT lat, lon FROM place_days WHERE gazetteer_id = ?", (gazetteer_id,)
                ).fetchall()
                if not points:
                    return []
            statement, params = sql.place_events_sql(
                key, query, sql.SQLITE, _SELECT, points=points, limit=limit, offset=offset
            )
            rows = conn.execute(statement, params).fetchall()
            excerpts = self._excerpts_of(conn, [r[0] for r in rows])
        return [_event_from_row(row, tuple(excerpts.get(row[0], ()))) for row in rows]

    def day_counts(self, query: EventQuery = EVERYTHING) -> list[DayCount]:
        """Events per day and side (see :meth:`EventStore.day_counts`)."""
        if sql.answerable(query, _ROLLUP):
            condition, params = sql.where(query, sql.SQLITE, _ROLLUP)
            statement = (
                f"SELECT p.day, p.side, sum(p.n) FROM place_days p WHERE {condition} GROUP BY p.day, p.side"
            )
        else:
            statement, params = sql.day_counts_sql(query, sql.SQLITE)
        with self._transaction(write=False) as conn:
            counts = [sql.day_count(row) for row in conn.execute(statement, params)]
        order = {side: i for i, side in enumerate(Side)}
        return sorted(counts, key=lambda c: (c.day, order[c.side]))

    def totals(self, query: EventQuery = EVERYTHING) -> EventTotals:
        """Events, articles, first and last day of ``query`` (see :meth:`EventStore.totals`).

        A window alone is answered without reading the events: the events from
        ``place_days``, the articles from their first and last event days (see
        :data:`_ARTICLES_IN_WINDOW`).
        """
        with self._transaction(write=False) as conn:
            if not query.filtered:
                first, last = query.window or (None, None)
                start = first.isoformat() if first else _NO_DAY
                end = last.isoformat() if last else _LAST_DAY
                n_events, low, high = conn.execute(
                    "SELECT sum(n), min(day), max(day) FROM place_days WHERE day >= ? AND day <= ?",
                    (start, end),
                ).fetchone()
                (n_sources,) = conn.execute(_ARTICLES_IN_WINDOW, (start, end)).fetchone()
                return sql.totals((n_events, n_sources, low, high))
            return sql.totals(conn.execute(*sql.totals_sql(query, sql.SQLITE)).fetchone())

    @staticmethod
    def _excerpts_of(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[Excerpt]]:
        found: dict[str, list[Excerpt]] = {}
        for at in range(0, len(ids), _IDS_PER_STATEMENT):
            chunk = ids[at : at + _IDS_PER_STATEMENT]
            found.update(_excerpts(conn.execute(
                'SELECT event_id, text, start, "end" FROM excerpts '
                f"WHERE event_id IN ({', '.join('?' * len(chunk))}) ORDER BY event_id, seq",
                chunk,
            )))
        return found

    def count(self) -> int:
        """Number of stored events."""
        with self._lock:
            return int(self._connection.execute("SELECT count(*) FROM events").fetchone()[0])

    def version(self) -> str:
        """``<store id>:<generation>``: the generation grows with every committed change."""
        with self._lock:
            rows = dict(
                self._connection.execute(
                    "SELECT key, value FROM meta WHERE key IN ('store_id', 'generation')"
                ).fetchall()
            )
        return f"{rows.get('store_id', '')}:{rows.get('generation', '0')}"

    def fingerprints(self) -> dict[str, str]:
        """Source -> stored input fingerprint."""
        with self._lock:
            return dict(self._connection.execute("SELECT source, fingerprint FROM articles").fetchall())

    def pipelines(self) -> dict[str, str]:
        """Source -> identity of the pipeline that made its stored events."""
        with self._lock:
            return dict(self._connection.execute("SELECT source, pipeline FROM articles").fetchall())

    def pipeline_counts(self) -> dict[str, int]:
        """Pipeline identity -> number of stored articles it made the events of."""
        with self._lock:
            rows = self._connection.execute("SELECT pipeline, count(*) FROM articles GROUP BY pipeline")
            return dict(rows.fetchall())

    def articles(self) -> list[ArticleRecord]:
        """Every stored article, ordered by source."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles ORDER BY source"
            ).fetchall()
        return [_article_from_row(r) for r in rows]

    def article(self, source: str) -> ArticleRecord | None:
        """The stored article with this source."""
        with self._lock:
            row = self._connection.execute(
                f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE source = ?", (source,)
            ).fetchone()
        return None if row is None else _article_from_row(row)

    def date_range(self) -> tuple[date, date] | None:
        """First and last event day."""
        with self._lock:
            first, last = self._connection.execute(  # two subqueries: each is one index probe
                "SELECT (SELECT min(date) FROM events), (SELECT max(date) FROM events)"
            ).fetchone()
        if first is None:
            return None
        return date.fromisoformat(first), date.fromisoformat(last)

    def outlets(self) -> list[str]:
        """Distinct outlets, sorted."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT DISTINCT outlet FROM articles WHERE outlet != '' ORDER BY outlet"
            ).fetchall()
        return [r[0] for r in rows]

    def languages(self) -> list[str]:
        """Distinct languages, sorted."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT DISTINCT language FROM articles WHERE language != '' ORDER BY language"
            ).fetchall()
        return [r[0] for r in rows]

    def integrity_check(self) -> list[str]:
        """SQLite's ``PRAGMA integrity_check``, foreign keys, event counts and roll-ups; ``[]`` when sound."""
        with self._lock:
            conn = self._connection
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
            problems += [f"foreign key: {tuple(r)}" for r in conn.execute("PRAGMA foreign_key_check")]
            problems += [
                f"{source}: n_events says {n}, {m} stored"
                for source, n, m in conn.execute(
                    "SELECT a.source, a.n_events, count(e.id) FROM articles a "
                    "LEFT JOIN events e ON e.source = a.source "
                    "GROUP BY a.source HAVING a.n_events != count(e.id)"
                )
            ]
            problems += [
                f"place_days {'lacks' if side == 'events' else 'has extra'} row {tuple(row)}"
                for side, statement in (("events", _ROLLUP_MISSING), ("place_days", _ROLLUP_EXTRA))
                for row in conn.execute(statement)
            ]
            problems += [
                f"{source}: first/last event day stored as {first}/{last}, events say {low}/{high}"
                for source, first, last, low, high in conn.execute(
                    "SELECT a.source, a.first_day, a.last_day, min(e.date), max(e.date) FROM articles a "
                    "LEFT JOIN events e ON e.source = a.source GROUP BY a.source "
                    "HAVING a.first_day IS NOT min(e.date) OR a.last_day IS NOT max(e.date)"
                )
            ]
        return problems

    def __repr__(self) -> str:
        return f"SQLiteEventStore({self.url!r})"


# -- helpers ----------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _same_origin(stored: str, given: str) -> bool:
    """Whether two article origins are the same file (compared resolved) or both uploads (``""``).

    Paths stored by older versions may be relative: they are resolved against the working
    directory, and a mismatch refuses the save rather than risk replacing another file's text.
    """
    if stored == given:
        return True
    if not stored or not given:
        return False
    return Path(stored).resolve() == Path(given).resolve()


def _conflict(source: str, stored: str) -> str:
    """Why an article was refused: another origin's text is stored under its name, and what to do."""
    return (
        f"{source} is already stored from {stored or 'an upload'}, with other text: articles are keyed "
        f"by file name, so rename it, or `mapapp forget {shlex.quote(source)}` first to replace it"
    )


def _check_events(article: Article, events: Sequence[Event]) -> None:
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


def _event_row(e: Event) -> tuple[Any, ...]:
    return (
        e.id, e.source, e.place, e.place_resolved, e.gazetteer_id, e.country, float(e.lat), float(e.lon),
        e.precision.value, e.date.isoformat(), e.date_how.value, e.date_cue, e.side.value, e.side_cue,
        float(e.confidence), ",".join(s.value for s in e.disputed_by), ",".join(k.value for k in e.kinds),
    )


# enum and date lookups by stored value: dict hits instead of enum/ISO parsing per row
_SIDES = {s.value: s for s in Side}
_PRECISIONS = {p.value: p for p in Precision}
_DATE_HOWS = {h.value: h for h in DateHow}
_KINDS = {k.value: k for k in EventKind}


@functools.lru_cache(maxsize=4096)
def _day(value: str) -> date:
    return date.fromisoformat(value)


def _event_from_row(row: Sequence[Any], excerpts: tuple[Excerpt, ...]) -> Event:
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
    )


def _article_from_row(row: Sequence[Any]) -> ArticleRecord:
    source, sha, outlet, title, published, language, text, n, how, path, at, _fingerprint, pipeline = row
    return ArticleRecord(
        source=source, sha256=sha, outlet=outlet, title=title,
        published=date.fromisoformat(published) if published else None, language=language, text=text,
        n_events=n, published_how=how, path=path, ingested_at=at, pipeline=pipeline,
    )


def _excerpts(rows: Iterable[Sequence[Any]]) -> dict[str, list[Excerpt]]:
    """Event id -> its excerpts, from ``(event id, text, start, end)`` rows in order."""
    found: dict[str, list[Excerpt]] = {}
    for event_id, text, start, end in rows:
        found.setdefault(event_id, []).append(Excerpt(text, start, end))
    return found
