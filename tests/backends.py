"""Looking inside a store the way its database shows it, for either backend (tests only).

The store tests compare whole tables before and after a save ("nothing was rewritten")
and count rows; these helpers do that by URL, for SQLite files and PostgreSQL databases.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from mapapp.store.url import parse_store_url

__all__ = ["BACKENDS", "dump", "execute", "schema_version"]

BACKENDS = ("sqlite", "postgresql")


def execute(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run one statement in the store's database (committed); the rows it returns.

    Write the placeholders as ``?``: they become ``%s`` for PostgreSQL.
    """
    parsed = parse_store_url(url)
    if parsed.scheme == "sqlite":
        conn = sqlite3.connect(parsed.path or "")
        try:
            rows = conn.execute(sql, params).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        cur = pg.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []


def tables(url: str) -> list[str]:
    """The store's own tables (PostGIS's spatial_ref_sys left out), sorted."""
    if parse_store_url(url).scheme == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys' ORDER BY table_name"
        )
    return [r[0] for r in execute(url, sql)]


def dump(url: str) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every row of every table: to prove that nothing was rewritten."""
    return [(table, sorted(execute(url, f"SELECT * FROM {table}"), key=repr)) for table in tables(url)]


def schema_version(url: str) -> int:
    """The newest migration applied to the store."""
    return int(execute(url, "SELECT max(version) FROM schema_version")[0][0])
