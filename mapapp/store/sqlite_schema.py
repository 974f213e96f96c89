"""The SQLite store's schema: its migrations, in order, each applied once in one transaction.

Append only: a released migration is never edited; a store records the versions applied
(``schema_version``) and :class:`mapapp.store.sqlite.SQLiteEventStore` applies the rest
when it opens one.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

# one event in or out of its row of place_days (a row goes when its count would reach 0)
_PLACE_DAY = (
    "gazetteer_id = {row}.gazetteer_id AND lat = {row}.lat AND lon = {row}.lon "
    "AND place_resolved = {row}.place_resolved AND side = {row}.side AND day = {row}.date"
)
_COUNT = (
    "INSERT INTO place_days (gazetteer_id, lat, lon, place_resolved, side, day, n) "
    "VALUES ({row}.gazetteer_id, {row}.lat, {row}.lon, {row}.place_resolved, {row}.side, {row}.date, 1) "
    "ON CONFLICT (gazetteer_id, lat, lon, place_resolved, side, day) DO UPDATE SET n = n + 1;"
)
_UNCOUNT = (
    f"DELETE FROM place_days WHERE {_PLACE_DAY} AND n = 1; "
    f"UPDATE place_days SET n = n - 1 WHERE {_PLACE_DAY};"
)

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
    (
        5,
        "the map's questions in SQL: place_days (events per place, day and side, kept by triggers), "
        "articles' first and last event day; indexes by point and day, source and day, outlet and language",
        (
            """CREATE TABLE place_days (
                gazetteer_id TEXT NOT NULL,
                lat REAL NOT NULL,
                lon REAL NOT NULL,
                place_resolved TEXT NOT NULL,
                side TEXT NOT NULL,
                day TEXT NOT NULL,
                n INTEGER NOT NULL CHECK (n > 0),
                PRIMARY KEY (gazetteer_id, lat, lon, place_resolved, side, day)
            ) WITHOUT ROWID""",
            """INSERT INTO place_days (gazetteer_id, lat, lon, place_resolved, side, day, n)
                SELECT gazetteer_id, lat, lon, place_resolved, side, date, count(*) FROM events
                GROUP BY gazetteer_id, lat, lon, place_resolved, side, date""",
            f"""CREATE TRIGGER place_days_count AFTER INSERT ON events BEGIN
                {_COUNT.format(row="NEW")}
            END""",
            f"""CREATE TRIGGER place_days_uncount AFTER DELETE ON events BEGIN
                {_UNCOUNT.format(row="OLD")}
            END""",
            f"""CREATE TRIGGER place_days_recount
                AFTER UPDATE OF gazetteer_id, lat, lon, place_resolved, side, date ON events BEGIN
                {_UNCOUNT.format(row="OLD")}
                {_COUNT.format(row="NEW")}
            END""",
            # the newest events of a place: its point, then the day (bounding boxes still lead with lat)
            "DROP INDEX events_lat_lon",
            "CREATE INDEX events_lat_lon_date ON events(lat, lon, date)",
            # outlets() and languages() read one index; same number of indexes to write
            "DROP INDEX articles_outlet",
            "CREATE INDEX articles_outlet_language ON articles(outlet, language)",
            # an article's events by day: forget and replace find them, totals() probes a window
            "DROP INDEX events_source",
            "CREATE INDEX events_source_date ON events(source, date)",
            # articles with an event in a window, counted without reading the events (see totals())
            "ALTER TABLE articles ADD COLUMN first_day TEXT",
            "ALTER TABLE articles ADD COLUMN last_day TEXT",
            """UPDATE articles SET
                first_day = (SELECT min(e.date) FROM events e WHERE e.source = articles.source),
                last_day = (SELECT max(e.date) FROM events e WHERE e.source = articles.source)""",
            "CREATE INDEX articles_event_days ON articles(first_day, last_day, source)",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
