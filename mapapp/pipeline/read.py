"""Stage 1: read a news page (.txt or .html, any common encoding) into plain text."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapapp.errors import ArticleError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "RawDocument",
    "decode_bytes",
    "read_bytes",
    "read_document",
    "read_fetched",
    "read_text",
]

DEFAULT_MAX_BYTES: int = 20 * 1024 * 1024
"""Largest file read_document accepts (20 MB): a news page is rarely over 2 MB of HTML."""

# file suffix -> format; anything else is refused with the list of what we accept
FORMATS: dict[str, str] = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html"}

# Leading bytes of files people drop by mistake next to articles; named in the error.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt file)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A page as read: plain text plus what the HTML's metadata said about it.

    ``text`` has ``\\n`` line ends, NFC-normalised letters and no NUL bytes; for HTML it is
    the extracted article text with one paragraph per line. ``title``, ``date``,
    ``published_time`` and ``sitename`` come from HTML metadata only (empty for .txt).
    """

    path: str
    source: str
    text: str
    format: str = "txt"
    encoding: str = "utf-8"
    title: str = ""
    date: datetime.date | None = None
    published_time: datetime.datetime | None = None
    sitename: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if self.format not in ("txt", "html"):
            raise ValueError(f"{self.source}: expected format 'txt' or 'html', got {self.format!r}")


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one page from disk; raise :class:`ArticleError` saying why when it cannot be read.

    Refused: a missing or unreadable file, a directory, a suffix other than
    .txt/.text/.html/.htm/.xhtml, an empty file, a file over ``max_bytes`` and a binary
    file (PDF, image, archive, or text full of control bytes).
    """
    p = Path(path)
    fmt = _format_of(p)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ArticleError(p, "no such file: check the path") from None
    except OSError as exc:
        raise ArticleError(p, f"cannot read the file: {exc.strerror or exc}") from None
    if p.is_dir():
        raise ArticleError(p, "is a directory, not an article file")
    if size > max_bytes:
        raise ArticleError(
            p,
            f"file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit: split it first",
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ArticleError(p, f"cannot read the file: {exc.strerror or exc}") from None
    return read_bytes(data, source=p.name, format=fmt, path=str(p), max_bytes=max_bytes)


def _format_of(p: Path) -> str:
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        accepted = ", ".join(sorted(FORMATS))
        suffix = p.suffix or "(no suffix)"
        raise ArticleError(p, f"unsupported file type {suffix!r}: expected one of {accepted}")
    return fmt


def read_fetched(path: str | Path, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """A file's bytes, read by someone else (the ingest client for a worker on another machine),
    read as :func:`read_document` reads the file itself: the same document or the same refusal."""
    p = Path(path)
    return read_bytes(data, source=p.name, format=_format_of(p), path=str(p), max_bytes=max_bytes)


def read_bytes(
    data: bytes, *, source: str, format: str = "txt", path: str = "", max_bytes: int = DEFAULT_MAX_BYTES
) -> RawDocument:
    """Read a page held in memory as bytes (an upload): same checks as :func:`read_document`."""
    where = path or source
    if len(data) > max_bytes:
        raise ArticleError(
            where, f"file is {_megabytes(len(data))}, over the {_megabytes(max_bytes)} limit: split it"
        )
    text, encoding = decode_bytes(data, where=where, html=format == "html")
    return _from_text(text, source=source, format=format, path=path, encoding=encoding)


def read_text(text: str, *, source: str, format: str = "txt") -> RawDocument:
    """Read a page already decoded to ``str`` (the app's upload box); HTML is extracted."""
    if format not in ("txt", "html"):
        raise ArticleError(source, f"unsupported format {format!r}: expected 'txt' or 'html'")
    if not text.strip():
        raise ArticleError(source, "the page holds no text (empty or only whitespace)")
    if _is_binary_text(text):
        raise ArticleError(source, "looks like a binary file, not text: too many control characters")
    return _from_text(text, source=source, format=format, path="", encoding="utf-8")


def decode_bytes(data: bytes, *, where: str = "<bytes>", html: bool = False) -> tuple[str, str]:
    """Decode a page's bytes; return ``(text, encoding)``.

    Order: a byte-order mark (UTF-8/16/32); UTF-16 without BOM recognised by its NUL
    pattern; for HTML a ``<meta charset>``; strict UTF-8; then cp1252 (the Windows
    superset of latin-1 that news CMSs export), unless that yields mojibake and
    charset_normalizer finds a better single-byte code page (cp1251 for Russian, ...);
    latin-1 last, which never fails. A few stray NUL bytes are dropped; a NUL-heavy
    or control-heavy file is refused as binary.
    """
    if not data:
        raise ArticleError(where, "file is empty (0 bytes)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ArticleError(where, f"looks like {what}, not a text or HTML page")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), where), encoding.removesuffix("-sig")
            except UnicodeDecodeError:
                raise ArticleError(
                    where, f"starts with a {encoding} byte-order mark but is not {encoding}"
                ) from None
    guessed = _utf16_without_bom(data)
    if guessed:
        try:
            return _checked(data.decode(guessed), where), guessed
        except UnicodeDecodeError:
            pass
    nul = data.count(0)
    if nul > max(4, len(data) // 100):
        raise ArticleError(where, f"looks like a binary file, not text: {nul} NUL bytes in {len(data)}")
    data = data.replace(b"\x00", b"")
    if html:
        declared = _declared_charset(data)
        if declared:
            try:
                return _checked(data.decode(declared), where), declared
            except (UnicodeDecodeError, LookupError):
                pass
    try:
        return _checked(data.decode("utf-8"), where), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    if _looks_like_mojibake(text):
        better = _charset_normalizer_guess(data)
        if better:
            return _checked(better[0], where), better[1]
    return _checked(text, where), encoding


def _from_text(text: str, *, source: str, format: str, path: str, encoding: str) -> RawDocument:
    text = text.replace("\x00", "")
    if format == "html":
        return _from_html(text, source=source, path=path, encoding=encoding)
    clean = _normalise(text)
    if not clean.strip():
        raise ArticleError(path or source, "the page holds no text (only whitespace)")
    return RawDocument(path=path, source=source, text=clean, format="txt", encoding=encoding)


def _html_reader(where: str) -> Any:
    """trafilatura, imported on first use (it costs ~0.5 s); a package missing from the install
    is an :class:`ArticleError` naming the file and the package, not a traceback."""
    try:
        import lxml.html  # noqa: F401
        import trafilatura
    except ImportError as exc:
        package = _missing_package(exc)
        raise ArticleError(
            where,
            f"cannot read HTML: the Python package {package} is not installed; run `pip install {package}`, "
            "or reinstall mapapp to get every package it declares",
        ) from None
    return trafilatura


# module -> the distribution to install, for the packages HTML reading imports (directly or not)
_DISTRIBUTIONS = {"justext": "jusText", "charset_normalizer": "charset-normalizer"}


def _missing_package(exc: ImportError) -> str:
    """The package an ImportError says is missing: the module's distribution, or the separate
    project lxml names ("lxml.html.clean module is now a separate project lxml_html_clean")."""
    moved = re.search(r"separate project (\w+)", str(exc))
    if moved:
        return moved.group(1)
    module = (exc.name or "").split(".")[0]
    return _DISTRIBUTIONS.get(module, module) if module else str(exc).splitlines()[0]


def _from_html(html: str, *, source: str, path: str, encoding: str) -> RawDocument:
    where = path or source
    trafilatura = _html_reader(where)
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input with an encoding declaration
    meta = _html_metadata(html)
    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html, include_comments=False, with_metadata=True, include_tables=True
        )
    except Exception:  # trafilatura raises assorted lxml errors on broken markup; fall back below
        doc = None
    text = (doc.text or "") if doc is not None else ""
    title = (doc.title or "") if doc is not None else ""
    sitename = (doc.sitename or "") if doc is not None else ""
    url = (doc.url or "") if doc is not None else ""
    day = _iso_date(doc.date) if doc is not None and doc.date else None
    if not text.strip():
        text = _lxml_text(html)
    published_time = meta.get("published_time")
    if isinstance(published_time, datetime.datetime):
        day = published_time.date()
    clean = _normalise(text)
    if not clean.strip():
        raise ArticleError(where, "the HTML page holds no readable text")
    return RawDocument(
        path=path,
        source=source,
        text=clean,
        format="html",
        encoding=encoding,
        title=_normalise(title or str(meta.get("title") or "")).strip(),
        date=day,
        published_time=published_time if isinstance(published_time, datetime.datetime) else None,
        sitename=_normalise(sitename or str(meta.get("sitename") or "")).strip(),
        url=url or str(meta.get("url") or ""),
    )


# meta names/properties/itemprops that carry the publication time, most specific first
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publisheddate",
    "published_time",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date.issued",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "content_publishdate",
)


def _html_metadata(html: str) -> dict[str, object]:
    """Publication time (with its zone), title, site name and URL from meta tags and JSON-LD."""
    from lxml import html as lxml_html

    found: dict[str, object] = {}
    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # empty or unparsable markup: no metadata, the text path reports the problem
        return found
    metas: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value
    for el in tree.iter("time"):
        value = (el.get("datetime") or "").strip()
        if value and "time:datetime" not in metas:
            metas["time:datetime"] = value
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                metas.setdefault("datepublished", item["datePublished"])
    for key in (*_PUBLISHED_META, "time:datetime"):
        parsed = _iso_datetime(metas.get(key, ""))
        if parsed is not None:
            found["published_time"] = parsed
            break
    found["title"] = metas.get("og:title", "")
    found["sitename"] = metas.get("og:site_name", "") or _sitename_from_title(tree.findtext(".//title") or "")
    found["url"] = metas.get("og:url", "")
    return found


def _sitename_from_title(title: str) -> str:
    """The site name that ends a page title: "Headline | Section | Al Jazeera" -> "Al Jazeera"."""
    parts = [p.strip() for p in re.split(r"\s+[|–—-]\s+", title.strip()) if p.strip()]
    if len(parts) < 2 or not 1 <= len(parts[-1].split()) <= 4:
        return ""
    return parts[-1]


def _iso_datetime(value: str) -> datetime.datetime | None:
    value = value.strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _lxml_text(html: str) -> str:
    """Plain text of the page body without scripts, styles and navigation: one block per line."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # unparsable markup holds no text we could trust
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template|//nav|//footer|//header|//aside|//form"):
        bad.drop_tree()
    blocks = "p|div|li|h1|h2|h3|h4|h5|h6|br|tr|blockquote|section|article|td|pre|dd|dt"
    for el in tree.iter(*blocks.split("|")):
        el.tail = "\n" + (el.tail or "")
    return tree.text_content()


# Invisible characters that never separate words in Indonesian or English (soft hyphen, zero-width
# space and joiners, word joiner, BOM): HTML pages carry them inside names ("Gan&shy;ja").
_INVISIBLE = str.maketrans(dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _normalise(text: str) -> str:
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _checked(text: str, where: str) -> str:
    if not text.replace("\ufeff", "").strip():
        raise ArticleError(where, "the page holds no text (only whitespace)")
    if _is_binary_text(text):
        raise ArticleError(where, "looks like a binary file, not text: too many control characters")
    return text


def _is_binary_text(text: str) -> bool:
    sample = text[:65536]
    controls = len(_CONTROL_RE.findall(sample.replace("\x00", "")))
    return controls > max(8, len(sample) // 50)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has a NUL in every other byte of its ASCII letters."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    if odd > 0.6 and even < 0.1:
        return "utf-16-le"
    if even > 0.6 and odd < 0.1:
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET_RE.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    return "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii") else name


def _looks_like_mojibake(text: str) -> bool:
    """cp1252 read of a non-Latin page: most letters come out as accented Latin-1 letters."""
    letters = [c for c in text[:20000] if c.isalpha()]
    if len(letters) < 20:
        return False
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    return non_ascii / len(letters) > 0.3


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:200000]).best()
    if best is None or best.encoding in ("cp1252", "latin_1", "cp1250"):
        return None
    return data.decode(best.encoding, errors="replace"), best.encoding


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
