"""What only the shared PostgreSQL/PostGIS store has: a server, roles, PostGIS, URLs with passwords.

The store contract itself (saves, refusals, filters, versions) runs on both backends in
test_store.py; these run against the throwaway server of tests/conftest.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from mapapp.cli import main
from mapapp.errors import StoreError, StoreURLError
from mapapp.export import FORMATS
from mapapp.store import (
    ReadOnlyStore,
    StoreNotFoundError,
    StoreReadOnlyError,
    open_existing_store,
    open_store,
    redact,
)
from mapapp.store.postgis import SCHEMA_VERSION, PostGISEventStore, _filters
from mapapp.store.url import parse_store_url
from tests.backends import dump, execute
from tests.pgserver import PgServer, PgServerError, find_bindir, free_port
from tests.test_crash_safety import ROOT
from tests.test_store import A, make_extraction

README = ROOT / "README.md"


def password_of(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url)["password"])


# -- schema ------------------------------------------------------------------------------------


def test_points_are_postgis_geometry_with_a_gist_index_and_the_apps_indexes(store_url_pg: str) -> None:
    with open_store(store_url_pg) as store:
        store.save_extraction(make_extraction("a.txt", A))
    assert execute(store_url_pg, "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'events'") == [
        ("POINT", 4326)
    ]
    indexes = dict(
        execute(store_url_pg, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events'")
    )
    assert "USING gist (geom)" in indexes["events_geom"]
    for name, columns in [
        ("events_date", "(date)"),
        ("events_side_date", "(side, date)"),
        ("events_place_date", "(gazetteer_id, date)"),
        ("events_source", "(source)"),
    ]:
        assert indexes[name].endswith(columns), indexes[name]
    articles = [
        r[0] for r in execute(store_url_pg, "SELECT indexname FROM pg_indexes WHERE tablename = 'articles'")
    ]
    assert {"articles_outlet", "articles_language"} <= set(articles)
    # the point is the event's coordinates, exactly
    rows = execute(store_url_pg, "SELECT ST_Y(geom) = lat AND ST_X(geom) = lon FROM events")
    assert rows == [(True,), (True,)]


def test_a_bbox_query_can_use_the_gist_index(store_url_pg: str) -> None:
    with open_store(store_url_pg) as store:
        for i in range(20):
            store.save_extraction(make_extraction(f"a{i}.txt", A))
    where, params = _filters(None, None, (39.7, 46.7, 39.9, 46.8), None, None, None, None)
    with psycopg.connect(store_url_pg, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(
            r[0] for r in conn.execute(f"EXPLAIN SELECT e.id FROM events e WHERE {where}", params).fetchall()
        )
    assert "events_geom" in plan, plan


def test_texts_sort_bytewise_as_in_sqlite_whatever_the_database_locale(store_url_pg: str) -> None:
    with open_store(store_url_pg) as store:
        for name, outlet in [("b.txt", "bbc"), ("B.txt", "Reuters"), ("_a.txt", "Ábc"), ("a b.txt", "AFP")]:
            store.save_extraction(make_extraction(name, A[:1], outlet=outlet))
        assert [a.source for a in store.articles()] == sorted(["b.txt", "B.txt", "_a.txt", "a b.txt"])
        assert store.outlets() == sorted(["bbc", "Reuters", "Ábc", "AFP"])
        assert [e.source for e in store.load()] == sorted(["b.txt", "B.txt", "_a.txt", "a b.txt"])


# -- opening: migrations, refusals, messages ---------------------------------------------------


def test_processes_opening_a_new_store_at_once_migrate_it_once(store_url_pg: str) -> None:
    code = f"from mapapp.store import open_store; open_store({store_url_pg!r}).close(); print('ok')"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    assert execute(store_url_pg, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
    assert len(execute(store_url_pg, "SELECT value FROM meta WHERE key = 'store_id'")) == 1


def test_a_database_without_a_store_is_not_found_by_readers_and_stays_empty(store_url_pg: str) -> None:
    for read_only in (False, True):
        with pytest.raises(StoreNotFoundError) as info:
            open_existing_store(store_url_pg, read_only=read_only)
        assert str(info.value).startswith(f"no event store at {redact(store_url_pg)}: ")
    assert "schema_version" not in str(dump(store_url_pg))


def test_a_missing_database_says_how_to_create_it(pg_server: PgServer) -> None:
    url = pg_server.url("no_such_db")
    with pytest.raises(
        StoreError, match=r"has no database 'no_such_db': create it first \(`createdb"
    ) as info:
        open_store(url)
    assert pg_server.password not in str(info.value) and "***" in str(info.value)
    with pytest.raises(StoreNotFoundError):
        open_existing_store(url)


def test_an_unreachable_server_is_one_line_without_the_password(
    pg_server: PgServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "s3cret-not-shown"
    url = f"postgresql://team:{secret}@127.0.0.1:{free_port()}/mapapp"  # nothing listens there
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert "cannot reach the PostgreSQL server" in message and "check that it is running" in message
    assert secret not in message and "\n" not in message
    for argv in (
        ["export", "--store", url, str(tmp_path / "x.geojson")],
        ["forget", "--store", url, "x.txt"],
        ["ingest", str(ROOT / "seeds"), "--store", url],
    ):
        assert main(argv) == 1
        out, err = capsys.readouterr()
        assert secret not in out + err and "Traceback" not in err
        lines = [line for line in err.splitlines() if not line.startswith("using manifest")]
        assert len(lines) == 1 and "cannot reach the PostgreSQL server" in lines[0], err


def test_a_refused_login_says_to_check_the_password(pg_server: PgServer) -> None:
    url = pg_server.url("postgres", user="postgres", password="wrong-password")
    with pytest.raises(StoreError, match=r"refused the login .*check the user and the password") as info:
        open_store(url)
    assert "wrong-password" not in str(info.value)


def test_postgis_is_added_when_the_role_may_and_named_when_it_may_not(
    pg_server: PgServer, new_pg_url: Callable[[], str]
) -> None:
    bare = parse_store_url(new_pg_url()).database + "_bare"
    pg_server.execute(f'CREATE DATABASE "{bare}" TEMPLATE template0')
    pg_server.execute("CREATE ROLE owner_no_postgis LOGIN PASSWORD 'pw-owner'")
    try:
        pg_server.execute(f'ALTER DATABASE "{bare}" OWNER TO owner_no_postgis')
        owner_url = pg_server.url(bare, user="owner_no_postgis", password="pw-owner")
        with pytest.raises(StoreError) as info:
            open_store(owner_url)
        assert f"database {bare} has no PostGIS and role 'owner_no_postgis' may not add it" in str(info.value)
        assert "CREATE EXTENSION postgis" in str(info.value) and "pw-owner" not in str(info.value)
        with open_store(pg_server.url(bare)) as store:  # a superuser may: the store adds it itself
            store.save_extraction(make_extraction("a.txt", A))
        assert execute(pg_server.url(bare), "SELECT extname FROM pg_extension WHERE extname = 'postgis'")
    finally:
        pg_server.drop_database(bare)
        pg_server.execute("DROP ROLE owner_no_postgis")


def test_another_programs_tables_are_left_alone(store_url_pg: str) -> None:
    execute(store_url_pg, "CREATE TABLE events (what text)")
    execute(store_url_pg, "INSERT INTO events VALUES ('their row')")
    with pytest.raises(StoreError, match=r"already has tables events that are not a mapapp store's"):
        open_store(store_url_pg)
    assert execute(store_url_pg, "SELECT * FROM events") == [("their row",)]
    assert execute(store_url_pg, "SELECT to_regclass('schema_version')") == [(None,)]


def test_a_store_in_a_schema_of_its_own_beside_another_programs_tables(store_url_pg: str) -> None:
    execute(store_url_pg, "CREATE TABLE events (what text)")
    execute(store_url_pg, "CREATE SCHEMA team2")
    url = f"{store_url_pg}?options=-csearch_path%3Dteam2,public"
    with open_store(url) as store:
        store.save_extraction(make_extraction("a.txt", A))
        assert len(store.load()) == 2
    assert execute(store_url_pg, "SELECT count(*) FROM team2.events") == [(2,)]


def test_the_connection_is_opened_again_after_the_server_dropped_it(
    store_url_pg: str, pg_server: PgServer
) -> None:
    with open_store(store_url_pg) as store:
        store.save_extraction(make_extraction("a.txt", A))
        version = store.version()
        pg_server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mapapp'"
        )
        assert store.version() == version and len(store.load()) == 2  # reads retry once on a new connection
        assert store.save_extraction(make_extraction("b.txt", A[:1])).status == "new"


# -- URLs and passwords ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown", "database"),
    [
        (
            "postgresql://writer:s3cret@db.example:5432/mapapp",
            "postgresql://writer:***@db.example:5432/mapapp",
            "mapapp",
        ),
        (
            "postgres://reader@db/events?sslmode=require",
            "postgres://reader@db/events?sslmode=require",
            "events",
        ),
        (
            "postgresql://u@h/db?password=s3cret&sslmode=require",
            "postgresql://u@h/db?password=***&sslmode=require",
            "db",
        ),
        (
            "postgresql:///mapapp?host=/var/run/postgresql",
            "postgresql:///mapapp?host=/var/run/postgresql",
            "mapapp",
        ),
        ("PostgreSQL://u:p%40ss@h/db", "PostgreSQL://u:***@h/db", "db"),
    ],
)
def test_postgres_urls_parse_and_never_show_the_password(url: str, shown: str, database: str) -> None:
    parsed = parse_store_url(url)
    assert (parsed.scheme, parsed.database, parsed.redacted) == ("postgresql", database, shown)
    assert redact(url) == shown and "s3cret" not in repr(parsed)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://u:s3cret@h/", "names no database"),
        ("postgresql://u:s3cret@h:99999/db", "port '99999' is not a number"),
        ("postgresql://u:s3cret@h/db?colour=blue", 'invalid URI query parameter: "colour"'),
    ],
)
def test_bad_postgres_urls_say_why_without_the_password(url: str, message: str) -> None:
    with pytest.raises(StoreURLError, match=re.escape(message)) as info:
        parse_store_url(url)
    assert "s3cret" not in str(info.value)


def test_the_cli_never_prints_the_password(store_url_pg: str, capsys: pytest.CaptureFixture[str]) -> None:
    secret = password_of(store_url_pg)
    assert main(["ingest", str(ROOT / "seeds"), "--store", store_url_pg]) == 0
    out, err = capsys.readouterr()
    assert f"store: {redact(store_url_pg)}" in out and secret not in out + err
    assert main(["forget", "--store", store_url_pg, "nope.txt"]) == 1
    out, err = capsys.readouterr()
    assert "nope.txt: not in the store postgresql://postgres:***@" in err and secret not in out + err


def test_serve_keeps_a_password_off_the_command_line() -> None:
    from mapapp.commands.serve import streamlit_command

    command = streamlit_command("postgresql://reader:s3cret@db/mapapp", read_only=True)
    assert command[-2:] == ["--", "--read-only"] and "s3cret" not in " ".join(command)
    command = streamlit_command("postgresql://reader@db/mapapp")
    assert command[-3:] == ["--", "--store", "postgresql://reader@db/mapapp"]


# -- the two roles of "For a team" --------------------------------------------------------------


def test_the_readme_roles_one_feeds_the_store_the_other_can_only_read_it(
    team: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    writer, reader = team["writer"], team["reader"]
    with pytest.raises(StoreNotFoundError):  # nothing to read before the writer's first ingest
        open_existing_store(reader, read_only=True)
    assert main(["ingest", str(ROOT / "seeds"), "--store", writer]) == 0
    capsys.readouterr()
    before = dump(writer)
    with open_existing_store(writer) as store:
        expected = store.load()
    ex = make_extraction("a.txt", A)
    with open_existing_store(reader, read_only=True) as store:
        assert isinstance(store, ReadOnlyStore) and store.load() == expected and len(expected) > 5
        # the store refuses: the read-only view ...
        with pytest.raises(StoreReadOnlyError, match=r"open read-only, so it cannot store 'a\.txt'"):
            store.save_extraction(ex)
        # ... and under it a read-only session, should the app get past the view
        with pytest.raises(StoreReadOnlyError, match=r"refused the write .*read-only transaction"):
            store.inner.forget(expected[0].source)
    # a connection that is not read-only is refused too, at the permission level
    with PostGISEventStore(reader) as store:
        with pytest.raises(StoreReadOnlyError, match="permission denied for table"):
            store.save_extraction(ex)
        with pytest.raises(StoreReadOnlyError, match="permission denied for table"):
            store.forget(expected[0].source)
    with psycopg.connect(reader, autocommit=True) as conn:
        for statement in (
            "DELETE FROM events",
            "UPDATE meta SET value = '0'",
            "TRUNCATE excerpts",
            "INSERT INTO articles (source) VALUES ('x')",
            "DROP TABLE events",
            "CREATE TABLE public.mine (x int)",
            "ALTER TABLE events ADD COLUMN x int",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    assert main(["forget", "--store", reader, expected[0].source]) == 1
    assert "permission denied" in capsys.readouterr().err
    assert dump(writer) == before  # nothing changed


# -- exports: the same articles give the same files on both backends ---------------------------


@pytest.mark.slow
def test_exports_are_byte_identical_to_the_sqlite_stores(
    store_url_pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite_url = f"sqlite:///{tmp_path}/events.sqlite"
    folders = [str(ROOT / "seeds"), str(ROOT / "tests" / "corpus")]
    for url in (sqlite_url, store_url_pg):
        for folder in folders:
            assert main(["ingest", folder, "--store", url, "--workers", "1"]) in (0, 1)
    capsys.readouterr()
    with open_store(sqlite_url) as a, open_store(store_url_pg) as b:
        assert len(a.load()) > 50 and a.load() == b.load()
        assert [r.text for r in a.articles()] == [r.text for r in b.articles()]
    for fmt, suffixes in FORMATS.items():
        files = [tmp_path / f"{name}{suffixes[0]}" for name in ("sqlite", "postgis")]
        for url, out in zip((sqlite_url, store_url_pg), files, strict=True):
            assert main(["export", "--store", url, "--format", fmt, str(out)]) == 0
        assert files[0].read_bytes() == files[1].read_bytes(), fmt
        window = ["--since", "2020-10-01", "--until", "2020-10-15", "--side", "armenia"]
        for url, out in zip((sqlite_url, store_url_pg), files, strict=True):
            assert main(["export", "--store", url, "--format", fmt, *window, str(out)]) == 0
        assert files[0].read_bytes() == files[1].read_bytes(), f"{fmt}, filtered"


def test_a_url_libpq_cannot_read_is_refused_without_quoting_its_password() -> None:
    for url in ("postgresql://u:p%zz@h/db", "postgresql://u@h/db?password=s3cret&host"):
        with pytest.raises(StoreURLError) as info:
            parse_store_url(url)
        assert "zz" not in str(info.value) and "s3cret" not in str(info.value), str(info.value)


def test_without_the_server_binaries_the_tests_fail_naming_the_debian_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PG_BINDIR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PgServerError) as info:
        find_bindir(debian_root=str(tmp_path))
    assert "apt-get install -y postgresql postgresql-15-postgis-3" in str(info.value)
