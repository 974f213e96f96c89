"""Errors raised by mapapp, one tree.

    MapappError
    ├── ArticleError (ValueError)      an article could not be read or parsed: .path, .reason
    ├── ManifestError (ValueError)     a manifest CSV row is malformed: .path, .line, .reason
    ├── CueTableError (ValueError)     an extraction rule table is malformed: .path, .reason
    ├── GoldError (ValueError)         a gold-standard file is malformed: .path, .reason
    ├── StoreError (RuntimeError)      the event store could not be opened, migrated or written
    │   └── StoreURLError (ValueError) a --store URL that names no backend we have
    ├── ClusterError (RuntimeError)    the Dask cluster of a distributed ingest cannot be reached or started
    ├── ExportError (ValueError)       an export format or destination we cannot write
    ├── BaseMapError (ValueError)      the base map's shipped data or its source is missing or malformed
    └── SettingsError (ValueError)     the app's settings (tile layers) are malformed: .path, .reason
"""

from __future__ import annotations

__all__ = [
    "ArticleError",
    "BaseMapError",
    "ClusterError",
    "CueTableError",
    "ExportError",
    "GoldError",
    "ManifestError",
    "MapappError",
    "SettingsError",
    "StoreError",
    "StoreURLError",
]


class MapappError(Exception):
    """Root of every error mapapp raises on purpose."""


class ArticleError(MapappError, ValueError):
    """An article that cannot be read: names the file and the reason."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ManifestError(MapappError, ValueError):
    """A malformed manifest CSV: names the file, the line and what was expected."""

    def __init__(self, path: object, line: int, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(f"{self.path}:{line}: {reason}")


class CueTableError(MapappError, ValueError):
    """A malformed rule table of the extraction pipeline: names the table and what was expected."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class GoldError(MapappError, ValueError):
    """A malformed gold-standard file for evaluation: names the file, the entry and what was expected."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class StoreError(MapappError, RuntimeError):
    """The event store could not be opened, migrated or written."""


class StoreURLError(StoreError, ValueError):
    """A store URL that names no backend we have."""


class ClusterError(MapappError, RuntimeError):
    """The Dask cluster of a distributed ingest could not be reached, started or used: says what to do."""


class ExportError(MapappError, ValueError):
    """An export that cannot be written: bad format or destination."""


class BaseMapError(MapappError, ValueError):
    """The base map's data (shipped layers, their source, the built cache) is missing or malformed."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class SettingsError(MapappError, ValueError):
    """A malformed setting of the app (a tile layer): names where it was set and what to write instead."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
