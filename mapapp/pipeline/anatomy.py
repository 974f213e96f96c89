"""Stage 2: page anatomy: headline, publication date, outlet, dateline, boilerplate and sentences.

A scraped news page mixes the article with page furniture: the headline and its date
line, bylines, "Baca juga"/"Read more" teasers, share bars, photo credits and lists of
other stories. :func:`parse_page` keeps every character (offsets stay exact) but flags
each sentence of furniture as ``boilerplate`` with a reason, so no event is ever made
from it, and finds the dateline ("MOSKWA" in "SERAMBINEWS.COM, MOSKWA -") so no event
is made from that either. Marker words live in ``data/boilerplate.tsv`` and the
splitter's abbreviations in ``data/abbreviations.tsv``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources

from mapapp.manifest import ManifestRow
from mapapp.model import Article, Sentence
from mapapp.pipeline.dates import latest_date_in_text, load_date_words
from mapapp.pipeline.language import detect_language
from mapapp.pipeline.read import RawDocument

__all__ = [
    "BoilerplateMarkers",
    "Line",
    "Page",
    "PageDate",
    "find_dateline",
    "find_page_date",
    "load_boilerplate_markers",
    "parse_page",
    "split_sentences",
]

HEADER_MAX_LINES = 25
"""The page header (headline, date, byline, deck) is looked for in this many first lines."""


@dataclass(frozen=True, slots=True)
class Page:
    """An article with its sentences, dateline span and what we noticed while parsing it.

    ``reasons[i]`` says why ``sentences[i]`` is boilerplate ("" for body text).
    ``Sentence.paragraph`` is the number of the non-empty line the sentence is on: news
    pages put one paragraph per line.
    ``dateline`` is the (start, end) span in ``article.text`` of the dateline's place
    words, ``None`` when the page has none. ``notes`` are for the user (missing date, ...).
    """

    article: Article
    sentences: tuple[Sentence, ...]
    dateline: tuple[int, int] | None = None
    notes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.reasons and len(self.reasons) != len(self.sentences):
            raise ValueError(
                f"expected one reason per sentence, got {len(self.reasons)} for {len(self.sentences)}"
            )
        if not self.reasons:
            object.__setattr__(self, "reasons", tuple("" for _ in self.sentences))

    @property
    def body(self) -> tuple[Sentence, ...]:
        """The sentences that are not boilerplate: where events may come from."""
        return tuple(s for s in self.sentences if not s.boilerplate)

    @property
    def dateline_text(self) -> str:
        """The dateline's words as written ("MOSKWA"), "" when there is none."""
        return self.article.text[self.dateline[0] : self.dateline[1]] if self.dateline else ""

    def heading(self, index: int) -> str:
        """The subheading the sentence ``sentences[index]`` sits under ("" before the first one).

        A timeline's "3. 8 Oktober: katedral di Shusha" dates the paragraphs below it; pass
        it to :func:`mapapp.pipeline.dates.resolve_event_date` as ``heading``.
        """
        for i in range(index - 1, -1, -1):
            if self.reasons[i] == "subheading":
                paragraph = self.sentences[i].paragraph
                return " ".join(s.text for s in self.sentences if s.paragraph == paragraph)
        return ""

    def context(self, index: int, n: int = 2, *, across_paragraphs: bool = False) -> tuple[str, ...]:
        """Up to ``n`` body sentences before ``sentences[index]``, nearest last.

        Only the same paragraph by default; ``across_paragraphs=True`` also reaches into the
        paragraphs before (for pages that put every sentence on its own line).
        """
        target = self.sentences[index]
        before = [
            s.text
            for s in self.sentences[:index]
            if not s.boilerplate and (across_paragraphs or s.paragraph == target.paragraph)
        ]
        return tuple(before[-n:]) if n > 0 else ()


@dataclass(frozen=True, slots=True)
class PageDate:
    """A publication date found on the page, with its time when printed, and the words."""

    date: date
    time: datetime | None
    text: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Line:
    """A non-empty line of the article text with its offsets and paragraph number."""

    text: str
    start: int
    end: int
    index: int


@dataclass(frozen=True, slots=True)
class BoilerplateMarkers:
    """The clutter markers of ``data/boilerplate.tsv``, by kind (lower-cased)."""

    prefix: tuple[str, ...]
    label: tuple[str, ...]
    line: frozenset[str]
    list_header: frozenset[str]
    contains: tuple[str, ...]
    regex: tuple[re.Pattern[str], ...]


_MARKER_KINDS = ("prefix", "label", "line", "list_header", "contains", "regex")


def _data_lines(name: str) -> Iterator[tuple[int, list[str]]]:
    source = resources.files("mapapp.pipeline") / "data" / name
    for number, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.strip() and not raw.startswith("#"):
            yield number, raw.split("\t")


@lru_cache(maxsize=1)
def load_boilerplate_markers() -> BoilerplateMarkers:
    """Load ``data/boilerplate.tsv``; an unknown kind fails naming the line and the valid kinds."""
    kinds: dict[str, list[str]] = {kind: [] for kind in _MARKER_KINDS}
    for number, cells in _data_lines("boilerplate.tsv"):
        kind = cells[0].strip()
        if kind not in kinds or len(cells) < 2:
            raise ValueError(
                f"boilerplate.tsv:{number}: unknown kind {kind!r}: expected one of {', '.join(_MARKER_KINDS)}"
            )
        kinds[kind].append(cells[1].strip() if kind == "regex" else cells[1].strip().lower())
    return BoilerplateMarkers(
        prefix=tuple(sorted(kinds["prefix"], key=len, reverse=True)),
        label=tuple(kinds["label"]),
        line=frozenset(kinds["line"]),
        list_header=frozenset(kinds["list_header"]),
        contains=tuple(kinds["contains"]),
        regex=tuple(re.compile(p, re.IGNORECASE) for p in kinds["regex"]),
    )


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return {cells[0].strip().lower(): cells[1].strip() for _, cells in _data_lines("abbreviations.tsv")}


# Words that open a sentence after an ambiguous abbreviation ("U.S. The ...", "9 a.m. The ...").
_STARTERS = frozenset(
    """the a an it he she they we i in on at but and this that these those there his her their its
    as after when while however meanwhile dia ia mereka kami pada di namun sementara itu ini""".split()
)

# Wire agencies and outlets named in datelines without a web domain; from the bylines of
# Reuters, AP, AFP, Antara, Anadolu, TASS, RIA, Interfax, Armenpress, Azertac, APA, Trend, news.am.
_AGENCIES = frozenset(
    """reuters ap afp antara anadolu aa tass ria interfax armenpress azertac apa trend bbc cnn
    xinhua dpa efe ansa bernama kyodo upi""".split()
)

_DOMAIN_RE = re.compile(
    r"\.(?:com|co\.id|co\.uk|id|net|org|co|az|am|ru|tv|news|info|go\.id|or\.id)\b|\+$", re.IGNORECASE
)
_DASH = r"[-–—]{1,2}"
_NAME = r"[^\W\d_][\w.’'+&/-]*(?:\s+[^\W\d_][\w.’'+&/-]*){0,3}"
_DATELINE_PATTERNS = (
    # "BAKU, Oct 4 (Reuters) -", "JAKARTA, 5 Okt (Antara) -"
    re.compile(
        rf"^(?P<a>{_NAME})\s*,\s*(?P<date>[^(),\n]{{3,25}}?)\s*\((?P<agency>[^)\n]{{2,30}})\)\s*{_DASH}\s"
    ),
    # "STEPANAKERT, Azerbaijan (AP) —", "SERAMBINEWS.COM, MOSKWA -", "MOSKWA, KOMPAS.com -"
    re.compile(rf"^(?P<a>{_NAME})\s*,\s*(?P<b>{_NAME})\s*(?:\((?P<agency>[^)\n]{{2,30}})\))?\s*{_DASH}\s"),
    # "BAKU (Reuters) —", "baku (reuters) -"
    re.compile(rf"^(?P<a>{_NAME})\s*\((?P<agency>[^)\n]{{2,30}})\)\s*{_DASH}\s"),
    # "YEREVAN —", "KOMPAS.com -", "Suara.com -"
    re.compile(rf"^(?P<a>{_NAME})\s*{_DASH}\s"),
)

_TERMINAL = ".!?…"
_CLOSERS = "\"”’'»)]“‘」』«"  # also the closing marks of „...“, ‚...‘, 「...」 and German »...«
_BULLET_RE = re.compile(r"^[-–—•*·▪►]\s+")
_QUOTE_OPEN = "“"
_QUOTE_CLOSE = "”"

_ZONES = {
    "wib": 7, "wita": 8, "wit": 9, "gmt": 0, "utc": 0, "amt": 4, "azt": 4, "msk": 3, "trt": 3,
    "cet": 1, "cest": 2, "bst": 1, "est": -5, "edt": -4,
}  # fmt: skip

_PUBLISHED_LABEL_RE = re.compile(r"^(?:diterbitkan|dipublikasikan|published|posted|dimuat)\b", re.IGNORECASE)
_UPDATED_LABEL_RE = re.compile(r"^(?:diperbarui|updated|last updated|pembaruan)\b", re.IGNORECASE)


def parse_page(
    doc: RawDocument, *, published: date | None = None, manifest: ManifestRow | None = None
) -> Page:
    """Parse a read page into an :class:`Article` with sentences, dateline and notes.

    Publication date precedence: ``published`` > ``manifest.published`` > a date printed
    in the page header or HTML metadata > the latest dated day the body names (with a
    note) > none (with a note). ``Article.published_how`` says which ("option",
    "manifest", "page", "latest-in-text", "none"). Title, outlet and language come from
    the manifest when it gives them, else from the page (language: detected).
    """
    text = doc.text
    lines = _lines(text)
    markers = load_boilerplate_markers()
    reasons = [_marker_reason(line.text, markers) for line in lines]
    keys = [_fold(line.text) for line in lines]  # each line's comparison key, folded once
    _flag_repeats(lines, reasons, keys)
    _flag_lists(lines, reasons, markers)
    dateline, dateline_line, outlet_found = _find_dateline_in(lines, reasons)
    body_start = _body_start(lines, reasons, dateline_line)
    page_date = _page_date(lines, reasons, body_start, doc)
    headline_index = _headline_index(lines, reasons, body_start, doc.title, keys)
    brand = _brand_outlet(lines, reasons, headline_index)
    for i in range(body_start):
        if not reasons[i]:
            reasons[i] = "page header (headline, date, byline or deck)"
    title = (manifest.title if manifest and manifest.title else "") or doc.title
    if not title and headline_index is not None:
        title = lines[headline_index].text
    _flag_headline(lines, reasons, title, body_start, keys)
    _flag_body_furniture(lines, reasons, body_start)

    sentences: list[Sentence] = []
    sentence_reasons: list[str] = []
    for line, reason in zip(lines, reasons, strict=True):
        for start, end in split_sentences(text, line.start, line.end):
            own = reason or _marker_reason(text[start:end], markers, sentence=True)
            sentences.append(
                Sentence(text[start:end], start, end, paragraph=line.index, boilerplate=bool(own))
            )
            sentence_reasons.append(own)

    notes: list[str] = []
    when, how, when_time = _choose_published(published, manifest, page_date, sentences, notes)
    outlet = (
        (manifest.outlet if manifest and manifest.outlet else "") or doc.sitename or outlet_found or brand
    )
    body_text = " ".join(s.text for s in sentences if not s.boilerplate)
    language = manifest.language if manifest and manifest.language else detect_language(body_text)
    if not language:
        notes.append("could not tell the language (too little text): Indonesian and English rules both apply")
    if not title:
        notes.append("no headline found on the page")
    article = Article(
        source=doc.source,
        text=text,
        title=title,
        outlet=outlet,
        published=when,
        published_how=how,
        published_time=when_time,
        language=language,
        path=doc.path,
    )
    return Page(article, tuple(sentences), dateline, tuple(notes), tuple(sentence_reasons))


# ---------------------------------------------------------------------------- lines


def _lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            out.append(Line(stripped, start, start + len(stripped), len(out)))
        pos += len(raw) + 1
    return out


_PUNCTUATION = re.compile(r"[^\w\s]")
# what _PUNCTUATION.sub(" ", ...) does to ASCII text, as a translate table (NFKC and casefold of
# ASCII are str.lower)
_ASCII_PUNCTUATION = {c: " " for c in range(128) if _PUNCTUATION.match(chr(c))}


def _fold(value: str) -> str:
    if value.isascii():
        return " ".join(value.lower().translate(_ASCII_PUNCTUATION).split())
    value = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(_PUNCTUATION.sub(" ", value).split())


def _words(value: str) -> int:
    return len(value.split())


def _is_prose(value: str) -> bool:
    """A paragraph of running text: a finished sentence of 8+ words, or 30+ words."""
    body = value.rstrip(_CLOSERS)
    return (bool(body) and body[-1] in _TERMINAL and _words(value) >= 8) or _words(value) >= 30


def _headline_like(value: str) -> bool:
    """A teaser or headline: no final period, at most 30 words."""
    body = value.rstrip(_CLOSERS)
    return bool(body) and body[-1] != "." and _words(value) <= 30


def _marker_reason(value: str, markers: BoilerplateMarkers, *, sentence: bool = False) -> str:
    low = value.strip().lower()
    if not low:
        return ""
    if not low.startswith(markers.prefix) and not low.startswith(markers.label) and sentence:
        return ""
    for marker in markers.prefix if low.startswith(markers.prefix) else ():
        if low.startswith(marker) and (
            not marker[-1].isalnum()
            or len(low) == len(marker)
            or not (low[len(marker)].isalnum() or low[len(marker)] == "-")
        ):
            return f"clutter line ({marker!r})"
    for marker in markers.label if low.startswith(markers.label) else ():
        rest = low[len(marker) :]
        if low.startswith(marker) and (not rest or rest[0] in " :") and _words(rest) <= 5:
            return f"byline or source label ({marker!r})"
    if sentence:
        return ""
    if low in markers.line or low.rstrip(":") in markers.list_header:
        return f"clutter line ({low!r})"
    for marker in markers.contains:
        if marker in low:
            return f"photo credit, share bar or footer ({marker!r})"
    for pattern in markers.regex:
        if pattern.fullmatch(value.strip()):
            return "icon, counter or separator"
    if _date_only(value):
        return "standalone date line"
    return ""


def _flag_repeats(lines: list[Line], reasons: list[str], keys: list[str]) -> None:
    """Teaser lists repeat each headline; a repeated paragraph is kept once (``keys``: the lines folded)."""
    counts = Counter(keys)
    seen: set[str] = set()
    for n, line in enumerate(lines):
        key = keys[n]
        twin = (n > 0 and keys[n - 1] == key) or (n + 1 < len(lines) and keys[n + 1] == key)
        if counts[key] > 1 and key:
            if twin or not _is_prose(line.text):
                reasons[line.index] = reasons[line.index] or "repeated line (teaser list or page furniture)"
            elif key in seen:
                reasons[line.index] = reasons[line.index] or "repeated paragraph"
        seen.add(key)


def _flag_lists(lines: list[Line], reasons: list[str], markers: BoilerplateMarkers) -> None:
    """A list header ("Terkini Lainnya", "Berita Terkait", "Most read") and the headlines after it."""
    in_list = False
    for line in lines:
        low = line.text.lower().rstrip(": ")
        if low in markers.list_header:
            reasons[line.index] = f"list of other stories ({line.text!r})"
            in_list = True
            continue
        if in_list:
            if _is_prose(line.text) and not reasons[line.index]:
                in_list = False
                continue
            reasons[line.index] = reasons[line.index] or "list of other stories"


def _flag_headline(
    lines: list[Line], reasons: list[str], title: str, body_start: int, keys: list[str]
) -> None:
    if not title:
        return
    key = _fold(title)
    for line in lines[: max(body_start, HEADER_MAX_LINES)]:
        if keys[line.index] == key and not reasons[line.index]:
            reasons[line.index] = "headline"


def _flag_body_furniture(lines: list[Line], reasons: list[str], body_start: int) -> None:
    """Subheadings and headline-like bullet lists inside the body."""
    for line in lines[body_start:]:
        if reasons[line.index]:
            continue
        value = line.text
        if _is_navigation(value):
            reasons[line.index] = "navigation or menu"
            continue
        if _BULLET_RE.match(value):
            if _headline_like(value):
                reasons[line.index] = "bullet line without a sentence (related headline or fact box)"
            continue
        body = value.rstrip(_CLOSERS)
        if _words(value) <= 10 and body and body[-1] not in ".!…":
            reasons[line.index] = "subheading"


# ---------------------------------------------------------------------------- dateline


def _outlet_like(value: str) -> bool:
    low = value.strip().lower()
    return bool(_DOMAIN_RE.search(low)) or low in _AGENCIES or low.split(" ")[0] in _AGENCIES


def _outlet_name(value: str) -> str:
    value = value.strip()
    if value.isupper() and _DOMAIN_RE.search(value):
        return value[0] + value[1:].lower()  # "SERAMBINEWS.COM" -> "Serambinews.com"
    if value.islower() and value in _AGENCIES:
        return value.upper() if len(value) <= 3 else value.capitalize()  # "reuters" -> "Reuters"
    return value


def _all_caps(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def find_dateline(line: str) -> tuple[tuple[int, int] | None, str]:
    """The dateline at the start of a body line: ``(place span in line or None, outlet)``.

    >>> find_dateline("SERAMBINEWS.COM, MOSKWA - Rusia menawarkan diri ...")
    ((17, 23), 'Serambinews.com')
    >>> find_dateline("BAKU (Reuters) — Azerbaijan said ...")
    ((0, 4), 'Reuters')
    >>> find_dateline("Suara.com - Presiden Rusia ...")
    (None, 'Suara.com')
    """
    for n, pattern in enumerate(_DATELINE_PATTERNS):
        m = pattern.match(line)
        if not m:
            continue
        groups = m.groupdict()
        a, agency, b = groups.get("a") or "", groups.get("agency") or "", groups.get("b") or ""
        if n == 0:
            if _outlet_like(a) or not any(c.isdigit() for c in groups.get("date") or ""):
                continue
            return m.span("a"), _outlet_name(agency)
        if n == 1:
            if _outlet_like(a) and not _outlet_like(b):
                return m.span("b"), _outlet_name(a)
            if _outlet_like(b) and not _outlet_like(a):
                return m.span("a"), _outlet_name(b)
            if agency and not _outlet_like(a):
                return (m.start("a"), m.end("b")), _outlet_name(agency)
            if _all_caps(a) and not _outlet_like(a):
                return m.span("a"), ""
            continue
        if n == 2:
            if _outlet_like(a):
                continue
            if _outlet_like(agency) or _all_caps(a) or a[:1].isupper():
                return m.span("a"), _outlet_name(agency)
            continue
        if _outlet_like(a):
            return None, _outlet_name(a)
        if _all_caps(a) or (" " not in a and a[:1].isupper() and len(a) >= 3):
            return m.span("a"), ""  # "YEREVAN —", Detik's "Jakarta - "
    return None, ""


def _find_dateline_in(
    lines: list[Line], reasons: list[str]
) -> tuple[tuple[int, int] | None, int | None, str]:
    """Look for a dateline at the start of the first lines that are not clutter."""
    for line in lines[:HEADER_MAX_LINES]:
        if reasons[line.index]:
            continue
        span, outlet = find_dateline(line.text)
        if span is None and not outlet:
            continue
        if not _is_prose(line.text) and _words(line.text) < 6:
            continue  # "Kompas.com - 30/09/2020, 12:06 WIB": a header date line, not the body's start
        if span is None:
            return None, line.index, outlet
        return (line.start + span[0], line.start + span[1]), line.index, outlet
    outlet = ""
    for line in lines[:HEADER_MAX_LINES]:
        _, found = find_dateline(line.text)
        if found:
            outlet = found
            break
    return None, None, outlet


def _body_start(lines: list[Line], reasons: list[str], dateline_line: int | None) -> int:
    if dateline_line is not None:
        return dateline_line
    for line in lines[:HEADER_MAX_LINES]:
        if not reasons[line.index] and _is_prose(line.text) and not _BULLET_RE.match(line.text):
            return line.index
    return 0


_CRUMB_SEPARATOR = re.compile(r"\s(?:\||>|›)\s")
_SENTENCE_MARKS = re.compile(r"[,.:;!?'\"“”‘’()]")
_FINAL_MARK = re.compile(r"[.,:;!?]$")
_HOMEPAGE = re.compile(r"\s+home\s*page$|\s+homepage$", re.IGNORECASE)


def _is_navigation(value: str) -> bool:
    """A menu or breadcrumb: "Home | World | Europe", "Contribute →", "Home News Sport Reel Travel",
    or a section label: "News | Armenia-Azerbaijan conflict", "Dunia > Eropa" (a short part on
    either side of one separator). A "»" closing a "«" (or opening a German »...«) is a quote mark."""
    if value.count("|") >= 2 or "→" in value or ("»" in value and "«" not in value):
        return True
    parts = _CRUMB_SEPARATOR.split(value)
    if len(parts) >= 2 and _words(value) <= 8 and min(_words(p) for p in parts) <= 2:
        return True
    words = value.split()
    if len(words) < 4 or _SENTENCE_MARKS.search(value):
        return False
    return all(not w[:1].isalpha() or w[:1].isupper() for w in words)


def _headline_index(
    lines: list[Line],
    reasons: list[str],
    body_start: int,
    html_title: str = "",
    keys: list[str] | None = None,
) -> int | None:
    """The headline among the header lines: the HTML title's line, else the first title-like line."""
    header = [line for line in lines[:body_start] if not reasons[line.index]]
    if html_title:
        key = _fold(html_title)
        for line in header:
            if (keys[line.index] if keys is not None else _fold(line.text)) == key:
                return line.index
    for line in header:
        value = line.text
        if not 4 <= _words(value) <= 30 or value.rstrip(_CLOSERS)[-1:] == ".":
            continue
        if _is_navigation(value) or find_page_date(value) is not None:
            continue
        return line.index
    return None


def _brand_outlet(lines: list[Line], reasons: list[str], headline: int | None) -> str:
    """A short brand line above the headline ("detikNews", "The Guardian", "VOA Indonesia")."""
    if headline is None:
        return ""
    for line in lines[:headline]:
        value = line.text
        if reasons[line.index] or _is_navigation(value) or not 1 <= _words(value) <= 3:
            continue
        if _FINAL_MARK.search(value) or find_page_date(value) is not None:
            continue
        return _HOMEPAGE.sub("", value)
    return ""


# ---------------------------------------------------------------------------- publication date


_YEAR_DIGITS = re.compile(r"\d{4}")
_DATE_LINE_WORDS = re.compile(
    r"(?i)\b(?:diterbitkan|diperbarui|published|updated|posted|dimuat)\b|[|:,\-–—\s]"
)


@lru_cache(maxsize=1)
def _page_date_patterns() -> tuple[re.Pattern[str], ...]:
    words = load_date_words()
    months = "|".join(sorted(words.month, key=len, reverse=True))
    weekdays = "|".join(sorted(words.weekday, key=len, reverse=True))
    zone = rf"(?:\s*(?P<zone>{'|'.join(_ZONES)})\b)?"
    clock = (
        r"(?:\s*[|,]?\s*(?:pukul\s+|at\s+|-\s+)?"
        r"(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:\s*(?P<ampm>[ap]\.?m\.?))?)?"
    )
    lead = rf"(?:(?:{weekdays})\s*,?\s*)?"
    return (
        re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2}))?", re.I),
        re.compile(rf"{lead}(?<!\d)(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}}){clock}{zone}", re.I),
        re.compile(
            rf"{lead}(?<!\d)(?P<d>\d{{1,2}})\s+(?P<mon>{months})\.?,?\s+(?P<y>\d{{4}}){clock}{zone}", re.I
        ),
        re.compile(rf"{lead}(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){clock}{zone}", re.I),
    )


def find_page_date(value: str) -> PageDate | None:
    """The first publication-style date (and time) in a header line.

    >>> find_page_date("Kompas.com - 30/09/2020, 12:06 WIB").time.isoformat()
    '2020-09-30T12:06:00+07:00'
    >>> find_page_date("Friday, October 2, 2020").date
    datetime.date(2020, 10, 2)
    """
    if not _YEAR_DIGITS.search(value):
        return None  # each pattern needs a four-digit year: most lines are done here
    best: tuple[int, PageDate] | None = None
    for pattern in _page_date_patterns():
        m = pattern.search(value)
        if m is not None:
            found = _page_date_from(m)
            if found and (best is None or m.start() < best[0]):
                best = (m.start(), found)
    return best[1] if best else None


def _page_date_from(m: re.Match[str]) -> PageDate | None:
    groups = m.groupdict()
    try:
        month = int(groups["m"]) if groups.get("m") else load_date_words().month[groups["mon"].lower()]
        number = int(groups["d"])
        if groups.get("m") and month > 12 >= number:
            month, number = number, month  # "10/27/2020": the US month/day order
        day = date(int(groups["y"]), month, number)
    except (ValueError, KeyError):
        return None
    when: datetime | None = None
    if groups.get("hh"):
        hour, minute = int(groups["hh"]), int(groups["mm"])
        ampm = (groups.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            zone = (groups.get("zone") or "").lower()
            tz = timezone(timedelta(hours=_ZONES[zone])) if zone else None
            when = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    return PageDate(day, when, m.group(0).strip(), m.start(), m.end())


def _date_only(value: str) -> bool:
    """A line that is only a date (with time and weekday): a standalone date header."""
    if len(value) > 120:
        return False
    found = find_page_date(value)
    if found is None:
        return False
    rest = value[: found.start] + value[found.end :]
    rest = _DATE_LINE_WORDS.sub("", rest)
    return len(rest) <= 3


def _page_date(lines: list[Line], reasons: list[str], body_start: int, doc: RawDocument) -> PageDate | None:
    if doc.published_time is not None:
        return PageDate(doc.published_time.date(), doc.published_time, "HTML metadata")
    labelled: PageDate | None = None
    updated: PageDate | None = None
    header: PageDate | None = None
    for line in lines:
        in_header = line.index < max(body_start, 1) and line.index < HEADER_MAX_LINES
        is_date_line = reasons[line.index] == "standalone date line"
        labelled_line = bool(_PUBLISHED_LABEL_RE.match(line.text))
        updated_line = bool(_UPDATED_LABEL_RE.match(line.text))
        if not (in_header or is_date_line or labelled_line or updated_line) or len(line.text) > 300:
            continue
        found = find_page_date(line.text)
        if found is None:
            continue
        if labelled_line and labelled is None:
            labelled = found
        elif updated_line and updated is None:
            updated = found
        elif header is None and (in_header or is_date_line):
            header = found
    chosen = labelled or header or updated
    if chosen is None and doc.date is not None:
        return PageDate(doc.date, None, "HTML metadata")
    return chosen


def _choose_published(
    option: date | None,
    manifest: ManifestRow | None,
    page_date: PageDate | None,
    sentences: list[Sentence],
    notes: list[str],
) -> tuple[date | None, str, datetime | None]:
    page_time = page_date.time if page_date else None
    if option is not None:
        return option, "option", page_time if page_date and page_date.date == option else None
    if manifest is not None and manifest.published is not None:
        return (
            manifest.published,
            "manifest",
            page_time if page_date and page_date.date == manifest.published else None,
        )
    if page_date is not None:
        return page_date.date, "page", page_time
    body = "\n".join(s.text for s in sentences if not s.boilerplate)
    latest = latest_date_in_text(body)
    if latest is not None:
        notes.append(
            f"no publication date found on the page; used the latest date named in the text: {latest}"
        )
        return latest, "latest-in-text", None
    notes.append(
        "no publication date found on the page or in the text: give --published or a manifest; "
        "event dates cannot be resolved"
    )
    return None, "none", None


# ---------------------------------------------------------------------------- sentences


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (one paragraph), trimmed of spaces.

    Splits after . ! ? … (and closing quotes) before a capital, digit or opening quote;
    not after abbreviations ("Mr.", "dr.", "No. 5", "Oct. 28"), initials ("V. Putin")
    or inside numbers ("5.000"); "U.S."/"a.m." end a sentence only before a common
    opener ("The", "It"). A quotation that spans several sentences stays one sentence
    with its "kata ..." attribution. "Baca juga:"/"Read more" always start a sentence.
    """
    end = len(text) if end is None else end
    cuts = _boundaries(text, start, end)
    cuts = _merge_quotes(text, start, end, cuts)
    cuts |= _inline_marker_cuts(text, start, end)
    spans: list[tuple[int, int]] = []
    edges = [start, *sorted(c for c in cuts if start < c < end), end]
    for a, b in itertools.pairwise(edges):
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            spans.append((a + lead, a + trail))
    return spans


_BOUNDARY_RE = re.compile(rf"[{_TERMINAL}]+[{re.escape(_CLOSERS)}]*(?=\s+)")
_NEXT_WORD = re.compile(r"[\w']+")
_DOTTED_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _boundaries(text: str, start: int, end: int) -> set[int]:
    cuts: set[int] = set()
    abbreviations = _abbreviations()
    for m in _BOUNDARY_RE.finditer(text, start, end):
        after = m.end()
        nxt = after
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end:
            continue
        lead = nxt
        while lead < end and text[lead] in "\"“‘'([«„‚「»":
            lead += 1
        follower = text[lead : min(end, lead + 40)]  # the next word is all that is looked at
        if not follower:
            continue
        first = follower[0]
        if not (first.isupper() or first.isdigit() or text[nxt] in "\"“‘'([«„‚「»-–•"):
            continue
        if m.group(0)[0] == "." and len(m.group(0).rstrip(_CLOSERS)) == 1:
            word = _word_before(text, start, m.start())
            rule = abbreviations.get(word.lower())
            next_word = _NEXT_WORD.match(follower)
            next_text = next_word.group(0) if next_word else ""
            if rule == "always":
                continue
            if rule == "number" and first.isdigit():
                continue
            if (rule == "starter" or _DOTTED_INITIALS.fullmatch(word)) and (
                next_text.lower() not in _STARTERS
            ):
                continue
            if len(word) == 1 and word.isupper():
                continue  # an initial: "Vladimir V. Putin"
        cuts.add(after)
    return cuts


def _word_before(text: str, start: int, pos: int) -> str:
    i = pos
    while i > start and (text[i - 1].isalnum() or text[i - 1] == "."):
        i -= 1
    return text[i:pos]


_QUOTE_CHARS = re.compile("[" + _QUOTE_OPEN + _QUOTE_CLOSE + "\"]|''")


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    open_curly: int | None = None
    open_straight: int | None = None
    marks = [(m.start(), m.group(0)) for m in _QUOTE_CHARS.finditer(text, start, end)]
    if end - 1 >= max(start, marks[-1][0] + len(marks[-1][1]) if marks else start) and (
        text[end - 1 : end + 1] == "''"
    ):
        marks.append((end - 1, "''"))  # two apostrophes across the end still open or close a quote
    for i, mark in marks:
        if mark == _QUOTE_OPEN:
            open_curly = i
        elif mark == _QUOTE_CLOSE:
            if open_curly is not None:
                spans.append((open_curly, i))
                open_curly = None
        elif open_straight is None:  # '"' or "''"
            open_straight = i
        else:
            spans.append((open_straight, i))
            open_straight = None
    return [s for s in spans if s[1] - s[0] <= 1500]


def _merge_quotes(text: str, start: int, end: int, cuts: set[int]) -> set[int]:
    """Drop cuts inside a quotation, so that a multi-sentence quote stays with its speaker."""
    spans = _quote_spans(text, start, end) if cuts else []
    if not spans:
        return cuts
    return {c for c in cuts if not any(a < c <= b for a, b in spans)}


_INLINE_MARKERS = ("baca juga", "read more", "also read", "read also", "simak juga", "lihat juga", "baca:")


def _inline_marker_cuts(text: str, start: int, end: int) -> set[int]:
    low = text[start:end].lower()
    cuts: set[int] = set()
    for marker in _INLINE_MARKERS:
        if marker not in low:
            continue
        for m in re.finditer(re.escape(marker), low):
            if m.start() > 0 and (low[m.start() - 1].isspace() or low[m.start() - 1] in _TERMINAL):
                cuts.add(start + m.start())
    return cuts
