"""The PostGIS store's tables, as versioned migrations (applied by :mod:`mapapp.store.postgis`).

One point per event in a ``geometry(Point, 4326)`` column generated from ``lat``/``lon``,
with a GiST index for bounding-box queries; b-tree indexes for the date window, the side,
the place (gazetteer id), the article (source), the outlet and the language. Sorted and
compared text columns use the ``"C"`` collation: byte order, as SQLite sorts.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "TABLES"]

# (version, what it does, statements). Append only: a released migration is never edited.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "articles, events (PostGIS point, GiST) and excerpts; indexes for date, side, outlet, place, source",
        (
            """CREATE TABLE meta (
                key text PRIMARY KEY,
                value text NOT NULL
            )""",
            """CREATE TABLE articles (
                source text COLLATE "C" PRIMARY KEY,
                sha256 text NOT NULL CHECK (length(sha256) = 64),
                outlet text COLLATE "C" NOT NULL DEFAULT '',
                title text NOT NULL DEFAULT '',
                published date,
                published_how text NOT NULL DEFAULT 'none',
                language text COLLATE "C" NOT NULL DEFAULT '',
                path text NOT NULL DEFAULT '',
                text text NOT NULL,
                n_events integer NOT NULL CHECK (n_events >= 0),
                ingested_at timestamptz NOT NULL,
                fingerprint text NOT NULL DEFAULT '',
                pipeline text NOT NULL DEFAULT ''
            )""",
            """CREATE TABLE events (
                id text COLLATE "C" PRIMARY KEY,
                source text COLLATE "C" NOT NULL REFERENCES articles(source) ON DELETE CASCADE,
                place text NOT NULL,
                place_resolved text NOT NULL,
                gazetteer_id text COLLATE "C" NOT NULL,
                country text NOT NULL DEFAULT '',
                lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
                lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
                geom geometry(Point, 4326) NOT NULL
                    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
                precision text NOT NULL,
                date date NOT NULL,
                date_how text NOT NULL,
                date_cue text NOT NULL DEFAULT '',
                side text COLLATE "C" NOT NULL,
                side_cue text NOT NULL DEFAULT '',
                confidence double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
                disputed_by text NOT NULL DEFAULT '',
                kinds text NOT NULL DEFAULT ''
            )""",
            """CREATE TABLE excerpts (
                event_id text COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                seq integer NOT NULL,
                text text NOT NULL,
                start integer NOT NULL,
                "end" integer NOT NULL,
                folded text NOT NULL,
                PRIMARY KEY (event_id, seq)
            )""",
            "CREATE INDEX events_geom ON events USING gist (geom)",
            "CREATE INDEX events_date ON events (date)",
            "CREATE INDEX events_side_date ON events (side, date)",
            "CREATE INDEX events_place_date ON events (gazetteer_id, date)",
            "CREATE INDEX events_source ON events (source)",
            "CREATE INDEX articles_outlet ON articles (outlet)",
            "CREATE INDEX articles_language ON articles (language)",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
TABLES = ("schema_version", "meta", "articles", "events", "excerpts")
