"""A throwaway PostgreSQL + PostGIS server for the store tests and the store benchmark.

``initdb`` in a temp dir (as the ``postgres`` user when we are root: PostgreSQL refuses to
run as root), ``pg_ctl start`` on a free loopback port with its Unix socket in the same
temp dir, ``CREATE EXTENSION postgis`` in a template database; :meth:`PgServer.stop`
removes it all. Password authentication over TCP (scram), so the URLs tests use carry a
password, as a team's do.

Used as (the store tests' ``pg_server`` fixture, the store benchmark)::

    with PgServer() as server:
        url = server.create_database("t1")  # postgresql://postgres:...@127.0.0.1:PORT/t1, with PostGIS

Missing binaries raise :class:`PgServerError` naming the Debian packages to install,
never a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

__all__ = ["DEBIAN_PACKAGES", "PgServer", "PgServerError", "find_bindir", "free_port"]

PG_MAJOR = os.environ.get("PG_MAJOR", "15")
DEBIAN_PACKAGES = f"postgresql postgresql-{PG_MAJOR}-postgis-3"
TEMPLATE = "mapapp_template"
SUPERUSER = "postgres"
# speed over durability: the server is thrown away, and the tests kill clients, not the server
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PgServerError(RuntimeError):
    """The throwaway server could not be set up; the message says what to install or check."""


def find_bindir(debian_root: str = "/usr/lib/postgresql") -> Path:
    """The folder of ``initdb``/``pg_ctl``: ``$PG_BINDIR``, Debian's newest, or ``$PATH``."""
    candidates = [os.environ["PG_BINDIR"]] if os.environ.get("PG_BINDIR") else []
    candidates += sorted(glob.glob(f"{debian_root}/*/bin"), key=_major, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    raise PgServerError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian packages "
        f"`apt-get install -y {DEBIAN_PACKAGES}` (or run `make test`, which does), or set PG_BINDIR"
    )


def _major(folder: str) -> int:
    match = re.search(r"/(\d+)/bin$", folder)
    return int(match.group(1)) if match else 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One PostgreSQL server in a temp dir, on 127.0.0.1:``port``; a context manager.

    ``fast=True`` (tests) turns off fsync; the benchmark keeps PostgreSQL's defaults.
    """

    def __init__(self, *, fast: bool = True) -> None:
        self.fast = fast
        self.bindir = find_bindir()
        self.password = secrets.token_urlsafe(12)
        self.port = 0
        self.root: Path | None = None
        self._running = False

    # -- life cycle ------------------------------------------------------------------

    def start(self) -> Self:
        """initdb, start, and make the PostGIS template; raises :class:`PgServerError`."""
        self.root = Path(tempfile.mkdtemp(prefix="mapapp-pg-"))
        as_postgres = os.geteuid() == 0
        if as_postgres:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PgServerError(
                    "we are root and there is no `postgres` user to run the server as: "
                    f"`apt-get install -y {DEBIAN_PACKAGES}` creates it"
                ) from None
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._as_postgres = as_postgres
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if as_postgres:
            os.chown(pwfile, owner.pw_uid, owner.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile), "--encoding", "UTF8",
            "--locale", "C.UTF-8", "--auth-local", "trust", "--auth-host", "scram-sha-256",
        )  # fmt: skip
        pwfile.unlink()
        settings = [
            "listen_addresses=127.0.0.1",
            f"unix_socket_directories={self.root}",
            "max_connections=100",
            *(FAST_SETTINGS if self.fast else ()),
        ]
        for attempt in range(5):  # another process may take the free port before we bind it
            self.port = free_port()
            options = " ".join([f"-p {self.port}", *(f"-c {s}" for s in settings)])
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start",
                )
                break
            except PgServerError:
                if attempt == 4 or "could not bind" not in self.log_tail():
                    raise
        self._running = True
        self._create_template()
        return self

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is kept) and delete its folder."""
        try:
            if self._running and self.root is not None:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
                self._running = False
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- databases --------------------------------------------------------------------

    def url(self, database: str = "postgres", *, user: str = SUPERUSER, password: str | None = None) -> str:
        """A ``postgresql://`` URL for ``database`` as ``user`` (the superuser by default)."""
        secret = self.password if password is None and user == SUPERUSER else password
        auth = f"{user}:{secret}" if secret else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, *, database: str = "postgres") -> list[tuple]:
        """Run ``sql`` as the superuser, outside a transaction; the rows it returns."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def create_database(self, name: str, *, template: str = TEMPLATE) -> str:
        """A new database copied from the PostGIS template (fast); its superuser URL."""
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, closing any connection still open to it."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _create_template(self) -> None:
        import psycopg

        self.execute(f'CREATE DATABASE "{TEMPLATE}"')
        try:
            self.execute("CREATE EXTENSION postgis", database=TEMPLATE)
        except psycopg.Error as exc:
            raise PgServerError(
                f"PostGIS is not installed for PostgreSQL in {self.bindir} ({exc.diag.message_primary}): "
                f"install the Debian packages `apt-get install -y {DEBIAN_PACKAGES}` (or run `make test`)"
            ) from exc
        self.execute(f'ALTER DATABASE "{TEMPLATE}" WITH IS_TEMPLATE true')

    # -- helpers ----------------------------------------------------------------------

    @property
    def data(self) -> Path:
        """The data directory."""
        assert self.root is not None, "server not started"
        return self.root / "data"

    @property
    def log(self) -> Path:
        """The server's log file."""
        assert self.root is not None, "server not started"
        return self.root / "server.log"

    def log_tail(self, lines: int = 20) -> str:
        """The end of the server's log (for error messages)."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.bindir / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root, check=False)
        if check and done.returncode != 0:
            raise PgServerError(
                f"{program} failed ({done.returncode}): {(done.stderr or done.stdout).strip()}\n"
                f"{self.log_tail()}"
            )
