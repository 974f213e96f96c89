"""The SQLite event store: the one module that holds SQL; every statement is parameterised.

Durability and concurrency: WAL journal (readers never block the writer and never see
a half-written article), ``synchronous=NORMAL`` (a killed process loses nothing that was
committed; only a power cut may lose the last commits, never consistency), foreign keys
on, and a busy timeout so a second writer waits instead of failing. Each article is
written in one ``BEGIN IMMEDIATE`` transaction.
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
from mapapp.store.base import (
    ArticleChange,
    ArticleRecord,
    BBox,
    EventStore,
    ExtractionLike,
    StoreNotFoundError,
    Window,
)

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "SCHEMA_VERSION", "SQLiteEventStore"]

BUSY_TIMEOUT_MS = 30_000

# (version, what it does, statements). Append only: a released migration is never edited.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "articles, events and excerpts with indexes for date window, side and bounding box",
        (
            """CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
            """CREATE TABLE articles (
                source TEXT PRIMARY KEY,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                outlet TEXT NOT NULL DEFAULT '',
                title TEXT NOT NULL DEFAULT '',
                published TEXT,
                published_how TEXT NOT NULL DEFAULT 'none',
                language TEXT NOT NULL DEFAULT '',
                path TEXT NOT NULL DEFAULT '',
                text TEXT NOT NULL,
                n_events INTEGER NOT NULL CHECK (n_events >= 0),
                ingested_at TEXT NOT NULL
            )""",
            """CREATE TABLE events (
                id TEXT PRIMARY KEY,
                source TEXT NOT NULL REFERENCES articles(source) ON DELETE CASCADE,
                place TEXT NOT NULL,
                place_resolved TEXT NOT NULL,
                gazetteer_id TEXT NOT NULL,
                country TEXT NOT NULL DEFAULT '',
                lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
                lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
                precision TEXT NOT NULL,
                date TEXT NOT NULL,
                date_how TEXT NOT NULL,
                date_cue TEXT NOT NULL DEFAULT '',
                side TEXT NOT NULL,
                side_cue TEXT NOT NULL DEFAULT '',
                confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
                disputed_by TEXT NOT NULL DEFAULT ''
            )""",
            """CREATE TABLE excerpts (
                event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                text TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                folded TEXT NOT NULL,
                PRIMARY KEY (event_id, seq)
            ) WITHOUT ROWID""",
            "CREATE INDEX events_date ON events(date)",
            "CREATE INDEX events_side_date ON events(side, date)",
            "CREATE INDEX events_lat_lon ON events(lat, lon)",
            "CREATE INDEX events_source ON events(source)",
            "CREATE INDEX articles_outlet ON articles(outlet)",
        ),
    ),
    (
        2,
        "articles.fingerprint: hash of the input file and options, so unchanged files skip extraction",
        ("ALTER TABLE articles ADD COLUMN fingerprint TEXT NOT NULL DEFAULT ''",),
    ),
    (
        3,
        "events.kinds: what happened (attack, casualties, capture...), comma-separated; '' in older rows",
        ("ALTER TABLE events ADD COLUMN kinds TEXT NOT NULL DEFAULT ''",),
    ),
    (
        4,
        "articles.pipeline: identity of the pipeline that made the article's events; '' in older rows",
        ("ALTER TABLE articles ADD COLUMN pipeline TEXT NOT NULL DEFAULT ''",),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

_EVENT_COLUMNS = (
    "id", "source", "place", "place_resolved", "gazetteer_id", "country", "lat", "lon", "precision",
    "date", "date_how", "date_cue", "side", "side_cue", "confidence", "disputed_by", "kinds",
)
_ARTICLE_COLUMNS = (
    "source", "sha256", "outlet", "title", "published", "language", "text", "n_events",
    "published_how", "path", "ingested_at", "fingerprint", "pipeline",
)


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
                conn.execute(
                    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))})",
                    (article.source, sha, article.outlet, article.title, _iso(article.published),
                     article.language, article.text, len(events), article.published_how,
                     origin, _now(), fingerprint, pipeline),
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
        """Events matching every filter (see :meth:`EventStore.load`)."""
        where, params = _filters(window, sides, bbox, outlets, languages, text, sources, kinds)
        columns = ", ".join(f"e.{c}" for c in _EVENT_COLUMNS)
        base = f"FROM events e JOIN articles a ON a.source = e.source WHERE {where}"
        with self._transaction(write=False) as conn:  # one snapshot for both queries
            rows = conn.execute(
                f"SELECT {columns}, a.outlet, a.title, a.published, a.language {base} "
                "ORDER BY e.date, e.source, e.id",
                params,
            ).fetchall()
            excerpts: dict[str, list[Excerpt]] = {}
            if rows:
                for event_id, text_, start, end in conn.execute(
                    'SELECT x.event_id, x.text, x.start, x."end" FROM excerpts x WHERE x.event_id IN '
                    f"(SELECT e.id FROM events e JOIN articles a ON a.source = e.source WHERE {where}) "
                    "ORDER BY x.event_id, x.seq",
                    params,
                ):
                    excerpts.setdefault(event_id, []).append(Excerpt(text_, start, end))
        return [_event_from_row(row, tuple(excerpts.get(row[0], ()))) for row in rows]

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
        """SQLite's ``PRAGMA integrity_check`` plus foreign keys and event counts; ``[]`` when sound."""
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


def _in(column: str, values: Iterable[str], clauses: list[str], params: list[Any]) -> None:
    chosen = sorted(set(values))
    if not chosen:
        clauses.append("0")
        return
    clauses.append(f"{column} IN ({', '.join('?' * len(chosen))})")
    params.extend(chosen)


def _filters(
    window: Window | None,
    sides: Iterable[Side | str] | None,
    bbox: BBox | None,
    outlets: Iterable[str] | None,
    languages: Iterable[str] | None,
    text: str | None,
    sources: Iterable[str] | None,
    kinds: Iterable[EventKind | str] | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE clause and its parameters; values never enter the SQL text."""
    clauses: list[str] = []
    params: list[Any] = []
    if window is not None:
        first, last = window
        if first is not None and last is not None and first > last:
            raise ValueError(f"date window starts after it ends: {first} > {last}")
        if first is not None:
            clauses.append("e.date >= ?")
            params.append(first.isoformat())
        if last is not None:
            clauses.append("e.date <= ?")
            params.append(last.isoformat())
    if sides is not None:
        _in("e.side", (Side.parse(str(s)).value for s in sides), clauses, params)
    if bbox is not None:
        min_lat, min_lon, max_lat, max_lon = (float(v) for v in bbox)
        if min_lat > max_lat:
            raise ValueError(
                f"bbox: min_lat {min_lat} > max_lat {max_lat}; expected (min_lat, min_lon, max_lat, max_lon)"
            )
        clauses.append("e.lat BETWEEN ? AND ?")
        params += [min_lat, max_lat]
        if min_lon <= max_lon:
            clauses.append("e.lon BETWEEN ? AND ?")
            params += [min_lon, max_lon]
        else:  # crosses the antimeridian
            clauses.append("(e.lon >= ? OR e.lon <= ?)")
            params += [min_lon, max_lon]
    if outlets is not None:
        _in("a.outlet", outlets, clauses, params)
    if languages is not None:
        _in("a.language", languages, clauses, params)
    if sources is not None:
        _in("e.source", sources, clauses, params)
    if kinds is not None:  # any of them: kinds is a comma-separated list
        wanted = [EventKind(str(k)).value for k in kinds]
        if not wanted:
            clauses.append("0")
        else:
            clauses.append("(" + " OR ".join("instr(',' || e.kinds || ',', ?) > 0" for _ in wanted) + ")")
            params += [f",{k}," for k in wanted]
    if text is not None and text.strip():
        clauses.append("EXISTS (SELECT 1 FROM excerpts t WHERE t.event_id = e.id AND instr(t.folded, ?) > 0)")
        params.append(text.strip().casefold())
    return (" AND ".join(clauses) or "1"), params
