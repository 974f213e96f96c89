"""Fixtures shared by the store tests: one fresh store per test, on every backend.

``store_url`` is parametrised over :data:`tests.backends.BACKENDS`: a SQLite file in the
test's temp dir, or a new database on a throwaway PostgreSQL/PostGIS server that the
session starts on first use (:mod:`tests.pgserver`) and stops at the end. Without the
server's binaries those tests fail, naming the Debian packages to install: never a skip.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.backends import BACKENDS
from tests.pgserver import PgServer, PgServerError

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
