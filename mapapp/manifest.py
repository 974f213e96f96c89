"""Load a manifest CSV that gives each article's outlet, title, publication date and language."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mapapp.errors import ManifestError

__all__ = ["COLUMNS", "LANGUAGES", "REQUIRED_COLUMNS", "ManifestRow", "load_manifest", "parse_manifest"]

COLUMNS: tuple[str, ...] = ("file", "outlet", "title", "published", "language", "url")
"""Columns of a manifest, in the order of ``seeds/manifest.csv``; only ``file`` is required."""

REQUIRED_COLUMNS: tuple[str, ...] = ("file",)

LANGUAGES: tuple[str, ...] = ("id", "en")
"""Languages the pipeline has rules for; an empty cell means "detect it"."""


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """What the manifest says about one article; empty strings and ``None`` mean "not given"."""

    file: str
    outlet: str = ""
    title: str = ""
    published: date | None = None
    language: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if not self.file or "/" in self.file or "\\" in self.file:
            raise ValueError(f"expected a bare file name, got {self.file!r}")
        if self.language and self.language not in LANGUAGES:
            raise ValueError(
                f"expected language one of {', '.join(LANGUAGES)} or empty, got {self.language!r}"
            )


def load_manifest(path: str | Path) -> dict[str, ManifestRow]:
    """Read a manifest CSV (UTF-8, optional BOM) into rows keyed by file name.

    Raises :class:`ManifestError` with the file, the line and the reason for a missing
    file, a header without the ``file`` column, unknown columns, a date that is not
    ``YYYY-MM-DD``, an unknown language, a missing file name or the same file twice.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ManifestError(p, 0, "no such manifest file: check the path") from None
    except OSError as exc:
        raise ManifestError(p, 0, f"cannot read the manifest: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(
            p, _line_of(raw, exc.start), "not UTF-8: save the manifest as UTF-8 CSV"
        ) from None
    return parse_manifest(text, path=str(p))


def parse_manifest(text: str, *, path: str = "<manifest>") -> dict[str, ManifestRow]:
    """Parse manifest CSV text; see :func:`load_manifest`."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise ManifestError(
            path, 1, f"empty manifest: expected a header with columns {', '.join(COLUMNS)}"
        ) from None
    names = [h.strip().lower() for h in header]
    expected = ", ".join(COLUMNS)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise ManifestError(
            path,
            1,
            f"missing column {', '.join(missing)}: expected columns {expected}; got {', '.join(names)}",
        )
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise ManifestError(
            path, 1, f"unknown column {', '.join(map(repr, unknown))}: expected columns {expected}"
        )
    rows: dict[str, ManifestRow] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            raise ManifestError(
                path, line, f"expected {len(names)} cells ({', '.join(names)}), got {len(cells)}"
            )
        record = {name: cell.strip() for name, cell in zip(names, cells, strict=True)}
        row = _row(record, path=path, line=line)
        if row.file in rows:
            raise ManifestError(path, line, f"file {row.file!r} is listed twice")
        rows[row.file] = row
    return rows


def _row(record: dict[str, str], *, path: str, line: int) -> ManifestRow:
    file = record.get("file", "")
    if not file:
        raise ManifestError(path, line, "empty 'file' cell: expected the article's file name")
    published: date | None = None
    raw_date = record.get("published", "")
    if raw_date:
        try:
            if len(raw_date) != 10:
                raise ValueError(raw_date)
            published = date.fromisoformat(raw_date)
        except ValueError:
            raise ManifestError(
                path, line, f"bad published date: expected YYYY-MM-DD, got {raw_date!r}"
            ) from None
    language = record.get("language", "").lower()
    try:
        return ManifestRow(
            file=Path(file).name,
            outlet=record.get("outlet", ""),
            title=record.get("title", ""),
            published=published,
            language=language,
            url=record.get("url", ""),
        )
    except ValueError as exc:
        raise ManifestError(path, line, str(exc)) from None


def _line_of(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1
