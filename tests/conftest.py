"""Fixtures shared by the store tests: one fresh store per test, on every backend.

``store_url`` is parametrised over :data:`tests.backends.BACKENDS`: a SQLite file in the
test's temp dir, or a new database on a throwaway PostgreSQL/PostGIS server that the
session starts on first use (:mod:`tests.pgserver`) and stops at the end. Without the
server's binaries those tests fail, naming the Debian packages to install: never a skip.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.backends import BACKENDS
from tests.pgserver import PgServer, PgServerError

README = Path(__file__).resolve().parents[1] / "README.md"
_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL + PostGIS server for the whole session, on loopback, in a temp dir."""
    server = PgServer()
    try:
        server.start()
    except PgServerError as exc:
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def new_pg_url(pg_server: PgServer) -> Iterator[Callable[[], str]]:
    """Make fresh PostGIS databases (superuser URLs); all are dropped after the test."""
    made: list[str] = []

    def make() -> str:
        name = f"test_{next(_databases)}"
        made.append(name)
        return pg_server.create_database(name)

    yield make
    for name in made:
        pg_server.drop_database(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend a test runs on: ``sqlite`` or ``postgresql``."""
    return str(request.param)


@pytest.fixture
def new_store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], str]:
    """Make URLs of new, empty stores of the test's backend."""
    if backend == "postgresql":
        return request.getfixturevalue("new_pg_url")
    counter = itertools.count(1)
    return lambda: f"sqlite:///{tmp_path}/store{next(counter)}/events.sqlite"


@pytest.fixture
def store_url(new_store_url: Callable[[], str]) -> str:
    """The URL of a new, empty store of the test's backend (nothing created yet for SQLite)."""
    return new_store_url()


@pytest.fixture
def store_url_pg(new_pg_url: Callable[[], str]) -> str:
    """The superuser URL of a new PostGIS database (for tests about the PostgreSQL store only)."""
    return new_pg_url()


def readme_roles_sql() -> list[tuple[str | None, str]]:
    """The README's team set-up (For a team) as (database to connect to or None, statement) pairs."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- team-roles:", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[str | None, str]] = []
    database = None
    for line in block.splitlines():
        if line.startswith("\\connect "):
            database = line.split()[1]
        elif line.strip():
            steps.append((database, line.strip().rstrip(";")))
    return steps


@pytest.fixture
def team(pg_server: PgServer) -> Iterator[dict[str, str]]:
    """The README's database and its two roles, run as written on the throwaway server.

    Only the database's name is made unique; yields the ``writer`` and ``reader`` URLs.
    """
    name = f"team_{next(_databases)}"
    for database, statement in readme_roles_sql():
        rename = re.sub(r"\bmapapp\b", name, statement)
        pg_server.execute(rename, database=re.sub(r"\bmapapp\b", name, database) if database else "postgres")
    yield {
        "writer": pg_server.url(name, user="mapapp_writer", password="change-me-writer"),
        "reader": pg_server.url(name, user="mapapp_reader", password="change-me-reader"),
    }
    pg_server.drop_database(name)
    pg_server.execute("DROP ROLE mapapp_writer")
    pg_server.execute("DROP ROLE mapapp_reader")
