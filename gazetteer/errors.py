"""Errors of the gazetteer package: one root, leaves that also inherit the builtin they resemble.

::

    GazetteerError
     ├── GazetteerDataError (ValueError)   a curated CSV or a package file is malformed: path, line, reason
     ├── MissingDataError (FileNotFoundError) the curated data folder or one of its files is not there: path
     ├── CacheError (OSError)              the compiled cache cannot be written or read back
     └── PlaceNotFound (LookupError)       no place answers to a name (carries the closest names)
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CacheError", "GazetteerDataError", "GazetteerError", "MissingDataError", "PlaceNotFound"]


class GazetteerError(Exception):
    """Root of every error raised by :mod:`gazetteer`."""


class GazetteerDataError(GazetteerError, ValueError):
    """A row of an input file is malformed; the message reads ``file:line: what is wrong``."""

    def __init__(self, path: str | Path, line: int, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(f"{self.path}:{line}: {reason}")


class MissingDataError(GazetteerError, FileNotFoundError):
    """The curated data folder, or a file the build expects in it, does not exist.

    Raised instead of building without the curated places: a gazetteer installed without the
    package's ``data/`` folder would otherwise silently lose Talish, Nagorno-Karabakh...
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class CacheError(GazetteerError, OSError):
    """The compiled gazetteer cache could not be written or read."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class PlaceNotFound(GazetteerError, LookupError):
    """No place answers to ``name``; ``closest`` lists the nearest known names."""

    def __init__(self, name: str, closest: tuple[str, ...] = ()) -> None:
        self.name = name
        self.closest = closest
        hint = f"; closest names: {', '.join(closest)}" if closest else ""
        super().__init__(f"no place named {name!r} in the gazetteer{hint}")
