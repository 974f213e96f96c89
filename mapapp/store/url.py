"""Store URLs: ``sqlite:///relative/path`` and ``sqlite:////absolute/path`` (SQLAlchemy's convention).

The URL is the one seam between the code and where events live, so a second backend
(a shared PostgreSQL/PostGIS server, ``postgresql://...``) can be added here later
without touching the pipeline or the app.

>>> resolve_store_url("sqlite:///data/events.sqlite", env={})
'sqlite:///data/events.sqlite'
>>> sqlite_path("sqlite:////srv/mapapp/events.sqlite")
PosixPath('/srv/mapapp/events.sqlite')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mapapp.errors import StoreURLError

__all__ = [
    "DEFAULT_STORE_URL",
    "ENV_VAR",
    "StoreURL",
    "parse_store_url",
    "resolve_store_url",
    "sqlite_path",
]

DEFAULT_STORE_URL = "sqlite:///data/events.sqlite"
ENV_VAR = "MAPAPP_STORE"

_VALID_FORMS = (
    "sqlite:///relative/path.sqlite (relative to the working directory) or "
    "sqlite:////absolute/path.sqlite"
)


@dataclass(frozen=True, slots=True)
class StoreURL:
    """A parsed store URL: the backend's scheme and, for SQLite, the database file."""

    url: str
    scheme: str
    path: Path

    def __post_init__(self) -> None:
        if self.scheme != "sqlite":
            raise StoreURLError(f"store URL {self.url!r}: unsupported scheme {self.scheme!r}")


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
    """
    if not isinstance(url, str) or "://" not in url:
        raise StoreURLError(f"not a store URL: {url!r}; expected {_VALID_FORMS}")
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme in {"postgresql", "postgres", "postgis"}:
        raise StoreURLError(
            f"store URL {url!r}: a PostgreSQL/PostGIS backend is not built yet; expected {_VALID_FORMS}"
        )
    if scheme != "sqlite":
        raise StoreURLError(f"store URL {url!r}: unknown scheme {scheme!r}; expected {_VALID_FORMS}")
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


def sqlite_path(url: str) -> Path:
    """The database file a ``sqlite:`` URL names (relative paths stay relative to the cwd)."""
    return parse_store_url(url).path
