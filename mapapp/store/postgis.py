"""The PostgreSQL/PostGIS event store: one database a team shares; every statement is parameterised.

Same contract and behaviour as :mod:`mapapp.store.sqlite`, on a server: several ingests and
any number of app sessions at once. Each article is written in one transaction that first
takes an advisory lock on the article's name, so two writers of the same article queue
instead of both inserting, and readers see it whole or not at all. Event points are a
PostGIS ``geometry(Point, 4326)`` column, generated from ``lat``/``lon`` (so the two cannot
disagree) and indexed with GiST. Text columns that are sorted or compared use the ``"C"``
collation, so orders (and exports) are byte-for-byte those of the SQLite store whatever
the database's locale. Migrations run in one transaction under an advisory lock: two
processes opening a new store at once do not race.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, NoReturn, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from mapapp.errors import StoreError
from mapapp.model import Event, EventKind, Excerpt, Side
from mapapp.store import sql
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
    parse_place_key,
    summarise_places,
)
from mapapp.store.postgis_schema import MIGRATIONS, SCHEMA_VERSION, TABLES
from mapapp.store.readonly import StoreReadOnlyError
from mapapp.store.rows import (
    ARTICLE_COLUMNS,
    EVENT_COLUMNS,
    check_events,
    conflict,
    event_from_row,
    event_values,
    excerpt_values,
    same_origin,
)
from mapapp.store.url import conninfo, parse_store_url

__all__ = ["CONNECT_TIMEOUT_S", "MIGRATIONS", "SCHEMA_VERSION", "PostGISEventStore"]

CONNECT_TIMEOUT_S = 10
_T = TypeVar("_T")

# advisory lock keys (two int4s): (namespace, 0) for migrations, (namespace + 1, hash of the
# article's name) for a save; the namespace spells "mapp" so other programs' locks do not collide
_LOCK_NS = int.from_bytes(b"mapp", "big")
_SAVE_LOCK_NS = _LOCK_NS + 1
_NO_DATABASE = re.compile(r'database "[^"]*" does not exist')
_LOGIN_FAILED = re.compile(
    r"password authentication failed|no password supplied|role \"[^\"]*\" does not exist|pg_hba\.conf|"
    r"authentication failed"
)
_LOGIN_REFUSED = (pg_errors.InvalidPassword.sqlstate, pg_errors.InvalidAuthorizationSpecification.sqlstate)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join(['%s'] * len(ARTICLE_COLUMNS))})"
)
# whether a table exists in the schema the store's tables are (or will be) created in: the first
# of the search path, not any schema later in it (another store, or another program's tables)
_IN_OWN_SCHEMA = "SELECT to_regclass(format('%%I.%%I', current_schema(), %s::text)) IS NOT NULL"
_COPY_EVENTS = f"COPY events ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
_COPY_EXCERPTS = 'COPY excerpts (event_id, seq, text, start, "end", folded) FROM STDIN'
# what events(), places() and place_events() read: the event, then its article's fields
_SELECT = ", ".join(f"e.{c}" for c in EVENT_COLUMNS) + ", a.outlet, a.title, a.published, a.language"
_POINTS_PER_STATEMENT = 1000


class PostGISEventStore(EventStore):
    """Events in a PostgreSQL database with PostGIS; safe to share between threads of one process.

    Open it with :func:`mapapp.store.open_store` (creates and migrates the schema; needs a
    role that may create tables) or :func:`mapapp.store.open_existing_store`. With
    ``create=False`` a database without a mapapp schema raises :class:`StoreNotFoundError`.
    With ``read_only=True`` nothing is migrated and the session is read-only
    (``default_transaction_read_only``): meant for a role that may only ``SELECT``.
    ``url`` (the attribute) is the URL with its password masked. A dropped connection is
    opened again on the next call.
    """

    def __init__(self, url: str, *, create: bool = True, read_only: bool = False) -> None:
        parsed = parse_store_url(url)
        if parsed.scheme != "postgresql":
            raise StoreError(f"{parsed.redacted}: not a postgresql:// URL")
        self._conninfo = conninfo(url)
        self._secret = str(conninfo_to_dict(self._conninfo).get("password") or "")
        self.url = parsed.redacted
        self.database = parsed.database
        self.read_only = read_only
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._closed = False
        try:
            conn = self._connect(create=create)
            if read_only:
                self._check_schema(conn, create=False)
            else:
                self._migrate(conn, create=create)
        except BaseException:
            self.close()
            raise

    # -- connection -----------------------------------------------------------------

    def _connect(self, *, create: bool = False) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(
                self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="mapapp"
            )
        except psycopg.OperationalError as exc:
            self._connect_failed(exc, create=create)
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")
        self._conn = conn
        return conn

    def _connect_failed(self, exc: psycopg.OperationalError, *, create: bool) -> NoReturn:
        reason = self._scrub(exc)
        # libpq reports a failed connection as text (no SQLSTATE): read the server's FATAL line
        if exc.sqlstate == pg_errors.InvalidCatalogName.sqlstate or _NO_DATABASE.search(reason):
            if not create:
                raise StoreNotFoundError(self.url) from None
            raise StoreError(
                f"{self.url}: the server has no database {self.database!r}: create it first "
                f"(`createdb -O WRITER_ROLE {self.database}`, then `CREATE EXTENSION postgis` in it as a "
                "superuser; README: For a team)"
            ) from None
        if exc.sqlstate in _LOGIN_REFUSED or _LOGIN_FAILED.search(reason):
            raise StoreError(
                f"{self.url}: the server refused the login ({reason}): check the user and the password "
                "(in the URL, $PGPASSWORD or ~/.pgpass)"
            ) from None
        raise StoreError(
            f"{self.url}: cannot reach the PostgreSQL server ({reason}): check that it is running and "
            "that host and port in --store / MAPAPP_STORE are right"
        ) from None

    def _scrub(self, exc: BaseException) -> str:
        """An error as one line, without the password even if a message quoted it."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        return text.replace(self._secret, "***") if len(self._secret) >= 4 else text

    @property
    def _connection(self) -> psycopg.Connection[Any]:
        if self._closed:
            raise StoreError(f"{self.url}: the store is closed")
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._connect()  # the server restarted or the network dropped: try once more
        assert self._conn is not None
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        """One write transaction; a dropped connection is a :class:`StoreError` (the next call reconnects)."""
        with self._lock:
            conn = self._connection
            try:
                with conn.transaction(), conn.cursor() as cur:
                    yield cur
            except psycopg.OperationalError as exc:
                raise StoreError(f"{self.url}: the server connection failed ({self._scrub(exc)})") from None

    def _read(self, work: Callable[[psycopg.Cursor[Any]], _T], *, snapshot: bool = False) -> _T:
        """Run ``work`` on a cursor (``snapshot``: in one repeatable-read, read-only transaction).

        Reads are safe to repeat, so after a dropped connection (a server restart, an idle
        connection cut by a firewall) they run once more on a new one.
        """
        with self._lock:
            for attempt in range(2):
                conn = self._connection
                try:
                    if not snapshot:
                        with conn.cursor() as cur:
                            return work(cur)
                    with conn.transaction(), conn.cursor() as cur:
                        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                        return work(cur)
                except psycopg.OperationalError as exc:
                    if attempt or not conn.broken:
                        reason = self._scrub(exc)
                        raise StoreError(f"{self.url}: the server connection failed ({reason})") from None
                except psycopg.Error as exc:
                    raise StoreError(f"{self.url}: reading the store failed ({self._scrub(exc)})") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one statement, run on its own (autocommit)."""
        return self._read(lambda cur: cur.execute(sql, params).fetchall())

    # -- schema -----------------------------------------------------------------------

    @staticmethod
    def _schema_version(cur: psycopg.Cursor[Any]) -> int:
        row = cur.execute(_IN_OWN_SCHEMA, ("schema_version",)).fetchone()
        if not row or not row[0]:
            return 0
        found = cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        return int(found[0]) if found else 0

    def _check_schema(self, conn: psycopg.Connection[Any], *, create: bool) -> int:
        """The stored schema version; refuses one newer than ours, and a missing one unless ``create``."""
        with conn.cursor() as cur:
            current = self._schema_version(cur)
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.url}: the store has schema version {current}, this mapapp knows up to "
                f"{SCHEMA_VERSION}; upgrade mapapp to open it"
            )
        if current == 0 and not create:
            raise StoreNotFoundError(self.url)
        if current < SCHEMA_VERSION and self.read_only:
            raise StoreError(
                f"{self.url}: the store has schema version {current} and needs migrating to "
                f"{SCHEMA_VERSION}, which a read-only connection cannot do: run `mapapp ingest` (or any "
                "command) once with the role that writes"
            )
        return current

    def _migrate(self, conn: psycopg.Connection[Any], *, create: bool) -> None:
        current = self._check_schema(conn, create=create)
        if current == SCHEMA_VERSION:
            return
        try:
            # a session lock, then a new transaction: it sees the catalog as the lock's previous
            # holder committed it (a transaction that took the lock itself may not)
            conn.execute("SELECT pg_advisory_lock(%s, 0)", (_LOCK_NS,))
            try:
                self._ensure_postgis(conn)
                with conn.transaction(), conn.cursor() as cur:
                    self._apply_migrations(cur)
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s, 0)", (_LOCK_NS,))
        except pg_errors.InsufficientPrivilege as exc:
            raise StoreError(
                f"{self.url}: role {conn.info.user!r} may not create the store's tables "
                f"({self._scrub(exc)}): make it the database's owner (`ALTER DATABASE {self.database} OWNER "
                f"TO {conn.info.user}`) or open the store once with a role that may (README: For a team)"
            ) from None
        except psycopg.Error as exc:
            raise StoreError(f"{self.url}: cannot set up the store's tables ({self._scrub(exc)})") from None

    def _apply_migrations(self, cur: psycopg.Cursor[Any]) -> None:
        current = self._schema_version(cur)  # again, under the lock: another process may have won
        if current == 0:
            self._refuse_foreign_tables(cur)
            cur.execute(
                "CREATE TABLE schema_version (version integer PRIMARY KEY, "
                "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            )
        for version, description, statements in MIGRATIONS:
            if version <= current:
                continue
            for statement in statements:
                cur.execute(statement)
            if version == 1:
                cur.execute(
                    "INSERT INTO meta (key, value) VALUES ('store_id', %s), ('generation', '0')",
                    (_new_store_id(),),
                )
            cur.execute(
                "INSERT INTO schema_version (version, description) VALUES (%s, %s)", (version, description)
            )

    def _ensure_postgis(self, conn: psycopg.Connection[Any]) -> None:
        """PostGIS in this database: there already, created if this role may, else say what to do."""
        if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
            return
        major = conn.info.server_version // 10000
        install = (
            f"as a superuser run `CREATE EXTENSION postgis;` in database {self.database} "
            f"(psql -d {self.database} -c 'CREATE EXTENSION postgis')"
        )
        if not conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone():
            raise StoreError(
                f"{self.url}: the PostgreSQL server has no PostGIS: install it on the server (Debian: "
                f"`apt-get install postgresql-{major}-postgis-3`), then {install}"
            )
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg.Error as exc:
            raise StoreError(
                f"{self.url}: database {self.database} has no PostGIS and role {conn.info.user!r} may not "
                f"add it ({self._scrub(exc)}): {install}"
            ) from None

    def _refuse_foreign_tables(self, cur: psycopg.Cursor[Any]) -> None:
        """Tables named like ours but no schema_version: another program's, left alone."""
        taken = [
            name for name in TABLES
            if (row := cur.execute(_IN_OWN_SCHEMA, (name,)).fetchone()) and row[0]
        ]  # fmt: skip
        if taken:
            raise StoreError(
                f"{self.url}: database {self.database} already has tables {', '.join(taken)} that are not a "
                "mapapp store's: use another database, or another schema "
                "(?options=-csearch_path%3Dmapapp in the URL, after `CREATE SCHEMA mapapp`)"
            )

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- writes -----------------------------------------------------------------------

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
        check_events(article, events)
        sha = article.sha256
        origin = article.path if path is None else path
        try:
            with self._transaction() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_SAVE_LOCK_NS, article.source))
                old = cur.execute(
                    "SELECT sha256, outlet, title, published, published_how, language, path, pipeline, "
                    "fingerprint FROM articles WHERE source = %s",
                    (article.source,),
                ).fetchone()
                if old is not None and old[0] != sha and not same_origin(old[6], origin):
                    raise StoreError(conflict(article.source, old[6]))
                new_meta = (sha, article.outlet, article.title, article.published, article.published_how,
                            article.language)
                same = old is not None and tuple(old[:6]) == new_meta
                if same and refresh and not self._same_events(cur, article.source, events):
                    same = False  # same text, but the pipeline now finds other events: replace them
                if same:
                    if fingerprint and old[-1] != fingerprint:  # bookkeeping only: content and version stay
                        cur.execute(
                            "UPDATE articles SET fingerprint = %s WHERE source = %s",
                            (fingerprint, article.source),
                        )
                    if pipeline and old[7] != pipeline and (
                        refresh or self._same_events(cur, article.source, events)
                    ):  # this pipeline makes exactly the stored events: they are its own now
                        cur.execute(
                            "UPDATE articles SET pipeline = %s WHERE source = %s", (pipeline, article.source)
                        )
                        self._bump(cur)  # what the app says about older pipelines changes
                    return ArticleChange(article.source, "unchanged")
                old_keys: set[tuple[str, str, str]] = set()
                if old is not None:
                    old_keys = {
                        (g, d.isoformat(), s)
                        for g, d, s in cur.execute(
                            "SELECT gazetteer_id, date, side FROM events WHERE source = %s", (article.source,)
                        )
                    }
                    cur.execute("DELETE FROM articles WHERE source = %s", (article.source,))
                cur.execute(
                    _INSERT_ARTICLE,
                    (article.source, sha, article.outlet, article.title, article.published,
                     article.language, article.text, len(events), article.published_how, origin,
                     datetime.now(UTC), fingerprint, pipeline),
                )
                if events:
                    with cur.copy(_COPY_EVENTS) as copy:
                        for event in events:
                            copy.write_row(event_values(event))
                    with cur.copy(_COPY_EXCERPTS) as copy:
                        for row in excerpt_values(events):
                            copy.write_row(row)
                self._bump(cur)
        except (pg_errors.InsufficientPrivilege, pg_errors.ReadOnlySqlTransaction) as exc:
            self._refused(exc)
        except psycopg.IntegrityError as exc:
            reason = self._scrub(exc)
            raise StoreError(f"{article.source}: its events could not be stored: {reason}") from None
        except psycopg.Error as exc:
            raise StoreError(f"{self.url}: writing {article.source!r} failed: {self._scrub(exc)}") from None
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
    def _same_events(cur: psycopg.Cursor[Any], source: str, events: Sequence[Event]) -> bool:
        stored = cur.execute(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE source = %s", (source,)
        ).fetchall()
        if sorted(stored) != sorted(event_values(e) for e in events):
            return False
        stored_excerpts = cur.execute(
            'SELECT x.event_id, x.seq, x.text, x.start, x."end" FROM excerpts x '
            "JOIN events e ON e.id = x.event_id WHERE e.source = %s",
            (source,),
        ).fetchall()
        new_excerpts = [row[:5] for row in excerpt_values(events)]
        return sorted(stored_excerpts) == sorted(new_excerpts)

    def forget(self, source: str) -> ArticleChange | None:
        """Remove an article and (by cascade) its events and excerpts."""
        try:
            with self._transaction() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_SAVE_LOCK_NS, source))
                row = cur.execute("SELECT n_events FROM articles WHERE source = %s", (source,)).fetchone()
                if row is None:
                    return None
                cur.execute("DELETE FROM articles WHERE source = %s", (source,))
                self._bump(cur)
        except (pg_errors.InsufficientPrivilege, pg_errors.ReadOnlySqlTransaction) as exc:
            self._refused(exc)
        except psycopg.Error as exc:
            raise StoreError(f"{self.url}: forgetting {source!r} failed: {self._scrub(exc)}") from None
        return ArticleChange(source, "forgotten", events_removed=int(row[0]))

    def _refused(self, exc: psycopg.Error) -> NoReturn:
        raise StoreReadOnlyError(
            f"{self.url}: the database refused the write ({self._scrub(exc)}): this connection may only "
            "read; ingest and forget with the role that writes"
        ) from None

    @staticmethod
    def _bump(cur: psycopg.Cursor[Any]) -> None:
        # the row lock also orders concurrent writers' generations: the version a reader sees
        # changes exactly when the content it reads does
        cur.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'generation'")

    # -- reads ------------------------------------------------------------------------

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
        columns = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
        base = f"FROM events e JOIN articles a ON a.source = e.source WHERE {where}"

        def read(cur: psycopg.Cursor[Any]) -> tuple[list[tuple[Any, ...]], dict[str, list[Excerpt]]]:
            rows = cur.execute(
                f"SELECT {columns}, a.outlet, a.title, a.published, a.language {base} "
                "ORDER BY e.date, e.source, e.id",
                params,
            ).fetchall()
            excerpts: dict[str, list[Excerpt]] = {}
            if rows:
                for event_id, text_, start, end in cur.execute(
                    'SELECT x.event_id, x.text, x.start, x."end" FROM excerpts x WHERE x.event_id IN '
                    f"(SELECT e.id {base}) ORDER BY x.event_id, x.seq",
                    params,
                ).fetchall():
                    excerpts.setdefault(event_id, []).append(Excerpt(text_, start, end))
            return rows, excerpts

        rows, excerpts = self._read(read, snapshot=True)  # one snapshot for both queries
        return [event_from_row(row, tuple(excerpts.get(row[0], ()))) for row in rows]

    # the map's questions: the portable statements of mapapp.store.sql, GROUP BY on the events

    def events(self, query: EventQuery = EVERYTHING, *, limit: int | None = None) -> list[Event]:
        """Events matching ``query`` by date, source and id (see :meth:`EventStore.events`)."""
        statement, params = sql.events_sql(query, sql.POSTGRESQL, _SELECT, limit=limit)
        return self._read(
            lambda cur: _with_excerpts(cur, cur.execute(statement, params).fetchall()), snapshot=True
        )

    def places(self, query: EventQuery = EVERYTHING, *, newest: int = NEWEST) -> list[PlaceSummary]:
        """Per-place summaries (see :meth:`EventStore.places`): a GROUP BY, then a LATERAL probe per point."""
        if newest < 0:
            raise ValueError(f"newest must be >= 0, got {newest!r}")
        statement, params = sql.place_counts_sql(query, sql.POSTGRESQL)

        def read(cur: psycopg.Cursor[Any]) -> tuple[list[Any], list[Event]]:
            counts = [sql.place_count(row) for row in cur.execute(statement, params).fetchall()]
            latest: list[Event] = []
            if counts and newest:
                points = sorted({(c.gazetteer_id, c.lat, c.lon) for c in counts})
                for at in range(0, len(points), _POINTS_PER_STATEMENT):
                    chunk = points[at : at + _POINTS_PER_STATEMENT]
                    probe, values = sql.newest_sql(chunk, query, sql.POSTGRESQL, _SELECT, newest=newest)
                    latest += _with_excerpts(cur, cur.execute(probe, values).fetchall())
            return counts, latest

        counts, latest = self._read(read, snapshot=True)
        return summarise_places(counts, sql.newest_by_place(latest, newest))

    def place_events(
        self, key: str, query: EventQuery = EVERYTHING, *, limit: int | None = None, offset: int = 0
    ) -> list[Event]:
        """Events at one place, newest first, paged (see :meth:`EventStore.place_events`)."""
        parse_place_key(key)  # a malformed key is refused before any query
        statement, params = sql.place_events_sql(
            key, query, sql.POSTGRESQL, _SELECT, limit=limit, offset=offset
        )
        return self._read(
            lambda cur: _with_excerpts(cur, cur.execute(statement, params).fetchall()), snapshot=True
        )

    def day_counts(self, query: EventQuery = EVERYTHING) -> list[DayCount]:
        """Events per day and side (see :meth:`EventStore.day_counts`)."""
        order = {side: i for i, side in enumerate(Side)}
        counts = [sql.day_count(row) for row in self._query(*sql.day_counts_sql(query, sql.POSTGRESQL))]
        return sorted(counts, key=lambda c: (c.day, order[c.side]))

    def totals(self, query: EventQuery = EVERYTHING) -> EventTotals:
        """Events, articles, first and last day of ``query`` (see :meth:`EventStore.totals`)."""
        return sql.totals(self._query(*sql.totals_sql(query, sql.POSTGRESQL))[0])

    def pipeline_counts(self) -> dict[str, int]:
        """Pipeline identity -> number of stored articles it made the events of."""
        return dict(self._query("SELECT pipeline, count(*) FROM articles GROUP BY pipeline"))

    def count(self) -> int:
        """Number of stored events."""
        return int(self._query("SELECT count(*) FROM events")[0][0])

    def version(self) -> str:
        """``<store id>:<generation>``: the generation grows with every committed change."""
        rows = dict(self._query("SELECT key, value FROM meta WHERE key IN ('store_id', 'generation')"))
        return f"{rows.get('store_id', '')}:{rows.get('generation', '0')}"

    def fingerprints(self) -> dict[str, str]:
        """Source -> stored input fingerprint."""
        return dict(self._query("SELECT source, fingerprint FROM articles"))

    def pipelines(self) -> dict[str, str]:
        """Source -> identity of the pipeline that made its stored events."""
        return dict(self._query("SELECT source, pipeline FROM articles"))

    def articles(self) -> list[ArticleRecord]:
        """Every stored article, ordered by source."""
        rows = self._query(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY source")
        return [_article_from_row(r) for r in rows]

    def article(self, source: str) -> ArticleRecord | None:
        """The stored article with this source."""
        rows = self._query(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE source = %s", (source,))
        return _article_from_row(rows[0]) if rows else None

    def date_range(self) -> tuple[date, date] | None:
        """First and last event day."""
        first, last = self._query("SELECT min(date), max(date) FROM events")[0]
        return None if first is None else (first, last)

    def outlets(self) -> list[str]:
        """Distinct outlets, sorted."""
        rows = self._query("SELECT DISTINCT outlet FROM articles WHERE outlet <> '' ORDER BY outlet")
        return [r[0] for r in rows]

    def languages(self) -> list[str]:
        """Distinct languages, sorted."""
        rows = self._query("SELECT DISTINCT language FROM articles WHERE language <> '' ORDER BY language")
        return [r[0] for r in rows]

    def integrity_check(self) -> list[str]:
        """Event counts that disagree with their article, and points off their coordinates; ``[]`` when sound.

        Foreign keys and checks are enforced by PostgreSQL itself, so they need no scan here.
        """
        problems = [
            f"{source}: n_events says {n}, {m} stored"
            for source, n, m in self._query(
                "SELECT a.source, a.n_events, count(e.id) FROM articles a "
                "LEFT JOIN events e ON e.source = a.source "
                "GROUP BY a.source, a.n_events HAVING a.n_events <> count(e.id)"
            )
        ]
        problems += [
            f"event {event_id}: point does not match lat/lon"
            for (event_id,) in self._query(
                "SELECT id FROM events WHERE ST_Y(geom) <> lat OR ST_X(geom) <> lon OR ST_SRID(geom) <> 4326"
            )
        ]
        return problems

    def __repr__(self) -> str:
        return f"PostGISEventStore({self.url!r})"


# -- helpers ----------------------------------------------------------------------------


def _with_excerpts(cur: psycopg.Cursor[Any], rows: Sequence[Sequence[Any]]) -> list[Event]:
    """Events from :data:`_SELECT` rows, their excerpts read in one more statement."""
    excerpts: dict[str, list[Excerpt]] = {}
    if rows:
        for event_id, text, start, end in cur.execute(
            'SELECT event_id, text, start, "end" FROM excerpts WHERE event_id = ANY(%s) '
            "ORDER BY event_id, seq",
            ([row[0] for row in rows],),
        ).fetchall():
            excerpts.setdefault(event_id, []).append(Excerpt(text, start, end))
    return [event_from_row(row, tuple(excerpts.get(row[0], ()))) for row in rows]


def _new_store_id() -> str:
    return uuid.uuid4().hex


def _article_from_row(row: Sequence[Any]) -> ArticleRecord:
    source, sha, outlet, title, published, language, text, n, how, path, at, _fingerprint, pipeline = row
    return ArticleRecord(
        source=source, sha256=sha, outlet=outlet, title=title, published=published, language=language,
        text=text, n_events=n, published_how=how, path=path,
        ingested_at=at.astimezone(UTC).isoformat(timespec="seconds"), pipeline=pipeline,
    )  # fmt: skip


def _in(column: str, values: Iterable[str], clauses: list[str], params: list[Any]) -> None:
    chosen = sorted(set(values))
    if not chosen:
        clauses.append("false")
        return
    clauses.append(f"{column} = ANY(%s)")
    params.append(chosen)


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
    """The WHERE clause and its parameters; values never enter the SQL text.

    The same filters as the SQLite store's, with the same edge cases. A bbox probes the
    GiST index with ``&&`` (float4 boxes, so a hair too wide) and then keeps the exact
    ``lat``/``lon`` ranges, so both stores return the same events.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if window is not None:
        first, last = window
        if first is not None and last is not None and first > last:
            raise ValueError(f"date window starts after it ends: {first} > {last}")
        if first is not None:
            clauses.append("e.date >= %s")
            params.append(first)
        if last is not None:
            clauses.append("e.date <= %s")
            params.append(last)
    if sides is not None:
        _in("e.side", (Side.parse(str(s)).value for s in sides), clauses, params)
    if bbox is not None:
        min_lat, min_lon, max_lat, max_lon = (float(v) for v in bbox)
        if min_lat > max_lat:
            raise ValueError(
                f"bbox: min_lat {min_lat} > max_lat {max_lat}; expected (min_lat, min_lon, max_lat, max_lon)"
            )
        envelope = "e.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
        if min_lon <= max_lon:
            clauses.append(f"{envelope} AND e.lat BETWEEN %s AND %s AND e.lon BETWEEN %s AND %s")
            params += [min_lon, min_lat, max_lon, max_lat, min_lat, max_lat, min_lon, max_lon]
        else:  # crosses the antimeridian: two boxes
            clauses.append(
                f"({envelope} OR {envelope}) AND e.lat BETWEEN %s AND %s AND (e.lon >= %s OR e.lon <= %s)"
            )
            params += [min_lon, min_lat, 180.0, max_lat, -180.0, min_lat, max_lon, max_lat,
                       min_lat, max_lat, min_lon, max_lon]  # fmt: skip
    if outlets is not None:
        _in("a.outlet", outlets, clauses, params)
    if languages is not None:
        _in("a.language", languages, clauses, params)
    if sources is not None:
        _in("e.source", sources, clauses, params)
    if kinds is not None:  # any of them: kinds is a comma-separated list
        wanted = [EventKind(str(k)).value for k in kinds]
        if not wanted:
            clauses.append("false")
        else:
            clauses.append("(" + " OR ".join("strpos(',' || e.kinds || ',', %s) > 0" for _ in wanted) + ")")
            params += [f",{k}," for k in wanted]
    if text is not None and text.strip():
        clauses.append(
            "EXISTS (SELECT 1 FROM excerpts t WHERE t.event_id = e.id AND strpos(t.folded, %s) > 0)"
        )
        params.append(text.strip().casefold())
    return (" AND ".join(clauses) or "true"), params

