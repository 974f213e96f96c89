"""Store URLs: ``sqlite:///relative/path``, ``sqlite:////absolute/path`` and ``postgresql://user@host:port/db``.

The URL is the one seam between the code and where events live (SQLAlchemy's convention):
an embedded SQLite file, or a shared PostgreSQL/PostGIS database (``postgres://`` too).
A PostgreSQL URL is read by libpq itself, so everything libpq takes works: a password in
the URL or from ``PGPASSWORD``/``~/.pgpass``, a Unix socket (``?host=/var/run/postgresql``),
``?sslmode=require``. A password is never shown back: :func:`redact` masks it.

>>> resolve_store_url("sqlite:///data/events.sqlite", env={})
'sqlite:///data/events.sqlite'
>>> sqlite_path("sqlite:////srv/mapapp/events.sqlite")
PosixPath('/srv/mapapp/events.sqlite')
>>> redact("postgresql://writer:s3cret@db.example:5432/mapapp")
'postgresql://writer:***@db.example:5432/mapapp'
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from mapapp.errors import StoreURLError

__all__ = [
    "DEFAULT_STORE_URL",
    "ENV_VAR",
    "POSTGRES_SCHEMES",
    "StoreURL",
    "conninfo",
    "parse_store_url",
    "redact",
    "resolve_store_url",
    "sqlite_path",
]

DEFAULT_STORE_URL = "sqlite:///data/events.sqlite"
ENV_VAR = "MAPAPP_STORE"
POSTGRES_SCHEMES = frozenset({"postgresql", "postgres"})

_VALID_FORMS = (
    "sqlite:///relative/path.sqlite (relative to the working directory), "
    "sqlite:////absolute/path.sqlite or postgresql://user@host:port/database"
)
# user:password@ in the authority, and a password=... query parameter
_USERINFO_PASSWORD = re.compile(r"^(?P<head>[A-Za-z][\w+.-]*://[^/?#]*?:)(?P<secret>[^/?#]*)(?P<at>@[^@/?#]*)")
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)[^&#]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StoreURL:
    """A parsed store URL: the backend's scheme, and the SQLite file or the PostgreSQL database.

    ``scheme`` is ``sqlite`` or ``postgresql`` (``postgres://`` is read as ``postgresql``);
    the repr never shows a password.
    """

    url: str = field(repr=False)
    scheme: str
    path: Path | None = None  # sqlite: the database file
    database: str = ""  # postgresql: the database name

    def __post_init__(self) -> None:
        if self.scheme not in ("sqlite", "postgresql"):
            raise StoreURLError(f"store URL {redact(self.url)!r}: unsupported scheme {self.scheme!r}")
        if self.scheme == "sqlite" and self.path is None:
            raise StoreURLError(f"store URL {self.url!r}: names no database file")

    @property
    def redacted(self) -> str:
        """The URL with its password masked: what messages and pages show."""
        return redact(self.url)

    def __repr__(self) -> str:
        where = f"path={self.path!r}" if self.scheme == "sqlite" else f"database={self.database!r}"
        return f"StoreURL({self.redacted!r}, scheme={self.scheme!r}, {where})"


def redact(url: str) -> str:
    """``url`` with any password (``user:PASSWORD@``, ``?password=``) replaced by ``***``.

    >>> redact("postgres://reader@db/mapapp?password=x&sslmode=require")
    'postgres://reader@db/mapapp?password=***&sslmode=require'
    >>> redact("sqlite:///data/events.sqlite")
    'sqlite:///data/events.sqlite'
    """
    if not isinstance(url, str):
        return repr(url)
    masked = _USERINFO_PASSWORD.sub(r"\g<head>***\g<at>", url, count=1)
    return _QUERY_PASSWORD.sub(r"\g<head>***", masked)


def resolve_store_url(value: str | None = None, *, env: Mapping[str, str] | None = None) -> str:
    """Pick the store URL: ``value`` (``--store``) > ``$MAPAPP_STORE`` > :data:`DEFAULT_STORE_URL`.

    Empty strings count as not given. The result is validated (see :func:`parse_store_url`)
    and returned unchanged, so it can be shown to the user and used as a cache key.
    """
    environ = os.environ if env is None else env
    for candidate in (value, environ.get(ENV_VAR)):
        if candidate is not None and candidate.strip():
            url = candidate.strip()
            parse_store_url(url)
            return url
    return DEFAULT_STORE_URL


def parse_store_url(url: str) -> StoreURL:
    """Parse a store URL; :class:`StoreURLError` names the valid forms for anything else.

    ``sqlite:///data/x.sqlite`` is ``data/x.sqlite`` relative to the working directory;
    ``sqlite:////tmp/x.sqlite`` is ``/tmp/x.sqlite``. In-memory databases are refused: a
    store that vanishes with the process would silently lose what was ingested.
    ``postgresql://`` (or ``postgres://``) URLs are checked by libpq's own parser and must
    name a database; nothing is connected to here.
    """
    if not isinstance(url, str) or "://" not in url:
        raise StoreURLError(f"not a store URL: {redact(url)!r}; expected {_VALID_FORMS}")
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme in POSTGRES_SCHEMES:
        return _parse_postgres(url)
    if scheme != "sqlite":
        raise StoreURLError(
            f"store URL {redact(url)!r}: unknown scheme {scheme!r}; expected {_VALID_FORMS}"
        )
    if not rest.startswith("/"):
        raise StoreURLError(
            f"store URL {url!r}: sqlite takes no host (use three slashes); expected {_VALID_FORMS}"
        )
    raw = rest[1:]
    if "?" in raw or "#" in raw:
        raise StoreURLError(f"store URL {url!r}: query strings are not supported; expected {_VALID_FORMS}")
    if not raw or raw == ":memory:" or raw.endswith("/"):
        raise StoreURLError(f"store URL {url!r}: names no database file; expected {_VALID_FORMS}")
    return StoreURL(url=url, scheme="sqlite", path=Path(raw))


def _parse_postgres(url: str) -> StoreURL:
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    shown = redact(url)
    try:
        params = conninfo_to_dict(conninfo(url))
    except ProgrammingError as exc:  # libpq may quote the URL, password and all: mask it
        reason = " ".join(str(exc).split())
        for secret in _secrets(url):
            reason = reason.replace(secret, "***")
        raise StoreURLError(f"store URL {shown!r}: {reason}; expected {_VALID_FORMS}") from None
    for port in str(params.get("port") or "").split(","):
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            raise StoreURLError(f"store URL {shown!r}: port {port!r} is not a number in 1..65535")
    database = str(params.get("dbname") or "")
    if not database:
        raise StoreURLError(
            f"store URL {shown!r}: names no database; expected postgresql://user@host:port/DATABASE"
        )
    return StoreURL(url=url, scheme="postgresql", database=database)


def conninfo(url: str) -> str:
    """What libpq is given for a ``postgresql://`` store URL: the same URL, its scheme in lower case."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.lower()}{sep}{rest}"


def _secrets(url: str) -> list[str]:
    """The password(s) written in ``url``, as written and percent-decoded, longest first."""
    found = []
    match = _USERINFO_PASSWORD.match(url)
    if match and match.group("secret"):
        found.append(match.group("secret"))
    found += re.findall(r"[?&]password=([^&#]*)", url, flags=re.IGNORECASE)
    found += [unquote(s) for s in found]
    return sorted({s for s in found if s}, key=len, reverse=True)


def sqlite_path(url: str) -> Path:
    """The database file a ``sqlite:`` URL names (relative paths stay relative to the cwd)."""
    parsed = parse_store_url(url)
    if parsed.path is None:
        raise StoreURLError(f"store URL {parsed.redacted!r} is not a SQLite file")
    return parsed.path
