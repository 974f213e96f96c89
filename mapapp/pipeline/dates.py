"""Stage 5: the day an event happened, from the date words of its sentence and the publication date.

Rules (each tested in ``tests/test_dates.py``):

* A bare weekday ("pada Rabu", "on Thursday", "Minggu malam", "Selasa dini hari") is the
  most recent such day on or before publication: "On Friday" in a Friday article is that
  Friday. With "lalu"/"kemarin"/"last" ("Selasa kemarin", "last Sunday") it is the most
  recent such day strictly before publication.
* "(27/9)", "Minggu (27/9/2020)", "27 September", "Oct. 28" are exact. A date without a
  year takes the publication year; when that lands more than 31 days after publication it
  is the previous year; within 31 days after it is a future date (``future=True``: talks
  "on Friday (23/10)" announced on the 20th), which :func:`resolve_event_date` never returns.
* "kemarin", "yesterday", "tadi malam", "semalam", "last night" are the day before
  publication; "overnight" and "around midnight" too, flagged approximate (the night that
  ended on the publication morning began the day before). "hari ini", "today", "this
  morning", "earlier in the day" are the publication day. "pekan lalu", "last week",
  "a week ago" are seven days before, approximate; "awal pekan ini"/"earlier this week"
  the Monday of that week and "akhir pekan"/"over the weekend" the last Saturday, approximate.
* Weekdays, relative words and month names come from our own table (``data/date_words.tsv``):
  dateparser, tried first, put weekdays in the wrong week and added nothing to month-name
  dates but time. "On the night of October 10-11" is the 11th (the morning's day).

>>> from datetime import date
>>> resolve_event_date("kemarin", published=date(2020, 10, 4), language="id").date
datetime.date(2020, 10, 3)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from mapapp.model import DateHow
from mapapp.pipeline.cues.screen import screened

__all__ = [
    "ANAPHORA_SENTENCES",
    "CARRY_OVER_SENTENCES",
    "FUTURE_WINDOW_DAYS",
    "DateCue",
    "DateResolution",
    "DateWords",
    "find_date_cues",
    "latest_date_in_text",
    "load_date_words",
    "resolve_event_date",
]

FUTURE_WINDOW_DAYS = 31
"""A year-less date up to this many days after publication is read as a future date."""

CARRY_OVER_SENTENCES = 2
"""How many previous sentences a cue may carry over from when a sentence names no date."""

ANAPHORA_SENTENCES = 4
"""How far back "pada hari yang sama" / "that day" may look for the day it points to."""


@dataclass(frozen=True, slots=True)
class DateResolution:
    """The day an event happened and how we know: ``cue`` is "" when it is the publication date."""

    date: date
    how: DateHow
    cue: str = ""
    approximate: bool = False
    carried: bool = False  # the cue came from a previous sentence


@dataclass(frozen=True, slots=True)
class DateCue:
    """A date expression in a text: its span, the day it names and how it names it.

    ``future`` marks a day after publication; ``since`` a range start ("sejak 27 September");
    ``approximate`` a day known only roughly ("pekan lalu").
    """

    start: int
    end: int
    date: date
    how: DateHow
    cue: str
    approximate: bool = False
    future: bool = False
    since: bool = False

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"bad date cue span {self.start}..{self.end} for {self.cue!r}")


@dataclass(frozen=True, slots=True)
class DateWords:
    """The date-word table, by kind; see ``data/date_words.tsv`` for the kinds and sources."""

    weekday: dict[str, int]
    month: dict[str, int]
    daypart: frozenset[str]
    before: frozenset[str]
    future: frozenset[str]
    relative: dict[str, tuple[int, bool]]
    weekend: frozenset[str]
    weekstart: frozenset[str]
    number: dict[str, int]
    unit: dict[str, tuple[int, bool]]
    since: frozenset[str]
    ignore: frozenset[str]
    lastweek: frozenset[str]
    anaphora: frozenset[str]
    shift: dict[str, int]


_KINDS = (
    "weekday",
    "month",
    "daypart",
    "before",
    "future",
    "relative",
    "weekend",
    "weekstart",
    "number",
    "unit",
    "since",
    "ignore",
    "lastweek",
    "anaphora",
    "shift",
)


@lru_cache(maxsize=1)
def load_date_words() -> DateWords:
    """Load ``data/date_words.tsv``; an unknown kind fails naming the line and the valid kinds."""
    source = resources.files("mapapp.pipeline") / "data" / "date_words.tsv"
    tables: dict[str, dict[str, tuple[int, bool]]] = {kind: {} for kind in _KINDS}
    for number, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) < 3:
            raise ValueError(
                f"{source}:{number}: expected language, kind, phrase[, value[, flags]], got {raw!r}"
            )
        kind, phrase = cells[1].strip(), cells[2].strip().lower()
        if kind not in tables:
            raise ValueError(f"{source}:{number}: unknown kind {kind!r}: expected one of {', '.join(_KINDS)}")
        value = int(cells[3]) if len(cells) > 3 and cells[3].strip() else 0
        approx = len(cells) > 4 and cells[4].strip() == "approx"
        tables[kind][phrase] = (value, approx)
    plain = {kind: {k: v for k, (v, _) in table.items()} for kind, table in tables.items()}
    return DateWords(
        weekday=plain["weekday"],
        month=plain["month"],
        daypart=frozenset(plain["daypart"]),
        before=frozenset(plain["before"]),
        future=frozenset(plain["future"]),
        relative=tables["relative"],
        weekend=frozenset(plain["weekend"]),
        weekstart=frozenset(plain["weekstart"]),
        number=plain["number"],
        unit=tables["unit"],
        since=frozenset(plain["since"]),
        ignore=frozenset(plain["ignore"]),
        lastweek=frozenset(plain["lastweek"]),
        anaphora=frozenset(plain["anaphora"]),
        shift=plain["shift"],
    )


def _alt(words: object) -> str:
    """Regex alternation, longest first, spaces matching any whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


@dataclass(frozen=True, slots=True)
class _Patterns:
    weekday: re.Pattern[str]
    month_dmy: re.Pattern[str]
    month_mdy: re.Pattern[str]
    numeric: re.Pattern[str]
    iso: re.Pattern[str]
    phrase: re.Pattern[str]
    ago: re.Pattern[str]
    since: re.Pattern[str]
    anaphora: re.Pattern[str]
    shift: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    w = load_date_words()
    numeric = r"\(\s*\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*(?:\d{4}|\d{2}))?\s*\)|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    weekday = (
        r"(?<![\w'’])(?P<pre>(?:(?:pada|on|hari|last|past|this|next|coming|early|late|(?:early|late)\s+on)\s+)*)"
        rf"(?:(?P<dp1>{_alt(w.daypart)})\s+(?:hari\s+)?)?"
        rf"(?<![\w'’])(?P<wd>{_alt(w.weekday)})(?!\w)(?:['’]s(?!\w))?"
        rf"(?:\s+(?P<dp2>{_alt(w.daypart)})(?!\w))?"
        rf"(?:\s+(?P<mod>{_alt(w.before | w.future | w.lastweek | {'ini'})})(?!\w))?"
        rf"(?:\s*,?\s*(?P<num>{numeric}))?"
    )
    month = rf"(?P<mon>{_alt(w.month)})(?![\w])\.?"
    day = r"(?<![\d.,/:])(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<d2>\d{1,2}))?"
    year = r"(?:,?\s+(?P<y>\d{4})(?![\d:]))?"
    phrases = w.ignore | set(w.relative) | w.weekend | w.weekstart
    numbers = _alt([*w.number, r"\d"]).replace(r"\\d", r"\d{1,2}")
    ago = rf"(?<!\w)(?P<n>{numbers})\s+(?P<u>{_alt(w.unit)})\s+(?:(?:yang\s+)?lalu|ago)(?!\w)"
    # screened (mapapp.pipeline.cues.screen): a sentence without a weekday, month or date word skips
    # the regex; month_dmy stays a plain pattern, _month_cue tells its matches by identity
    return _Patterns(
        weekday=screened(re.compile(weekday, re.IGNORECASE)),
        month_dmy=re.compile(rf"{day}\s+(?:of\s+)?{month}{year}", re.IGNORECASE),
        month_mdy=screened(re.compile(
            rf"(?<!\w){month}\s+{day.replace('(?<![', '(?<![A-Za-z')}(?![\d:]){year}", re.IGNORECASE
        )),
        numeric=re.compile(
            r"\(\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}|\d{2}))?\s*\)"
            r"|(?<![\d/.])(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}|\d{2})(?![\d/])"
        ),
        iso=re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d])"),
        phrase=screened(re.compile(rf"(?<![\w-])(?:{_alt(phrases)})(?![\w-])", re.IGNORECASE)),
        ago=screened(re.compile(ago, re.IGNORECASE)),
        since=screened(
            re.compile(rf"(?:^|\W)(?:{_alt(w.since)})\s+(?:(?:hari|pada|tanggal|the)\s+)?$", re.IGNORECASE)
        ),
        anaphora=screened(re.compile(rf"(?<!\w)(?:{_alt(w.anaphora)})(?!\w)", re.IGNORECASE)),
        shift=screened(re.compile(rf"(?<!\w)(?:{_alt(w.shift)})(?!\w)", re.IGNORECASE)),
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    cue: DateCue | None  # None: an ``ignore`` phrase that only blocks other readings
    priority: int

    @property
    def span(self) -> tuple[int, int]:
        assert self.cue is not None
        return self.cue.start, self.cue.end


def find_date_cues(text: str, *, published: date | None, language: str = "") -> list[DateCue]:
    """Every date expression in ``text`` with the day it names, in text order.

    Indonesian and English words are both recognised whatever ``language`` says (quotes
    and names cross languages); ``language`` decides the reading of "1/10/2020" (day first
    for both, as Indonesian and British English write it). With ``published=None`` only
    dates that name their year are returned (used to find the latest date a page names).
    Overlapping readings keep the most specific; a weekday or relative word directly
    followed by a calendar date ("Minggu (27/9/2020)", "Thursday, Oct. 1") is one
    explicit cue.
    """
    del language  # both languages' words are always on; kept for callers and future rules
    pats = _patterns()
    found: list[tuple[int, int, int, DateCue | None]] = []  # (start, end, priority, cue)

    def add(start: int, end: int, priority: int, cue: DateCue | None) -> None:
        found.append((start, end, priority, cue))

    for m in pats.numeric.finditer(text):
        d, mo, y = (
            (m.group("d"), m.group("m"), m.group("y"))
            if m.group("d")
            else (m.group("d2"), m.group("m2"), m.group("y2"))
        )
        cue = _explicit(text, m.start(), m.end(), int(d), int(mo), _year(y), published)
        if cue is None and y and int(d) <= 12:
            # "10/27/2020": not a day/month, so the US month/day order
            cue = _explicit(text, m.start(), m.end(), int(mo), int(d), _year(y), published)
        if cue:
            add(m.start(), m.end(), 5, cue)
    for m in pats.iso.finditer(text):
        cue = _explicit(
            text, m.start(), m.end(), int(m.group("d")), int(m.group("m")), int(m.group("y")), published
        )
        if cue:
            add(m.start(), m.end(), 5, cue)
    for pat in (pats.month_dmy, pats.month_mdy):
        for m in pat.finditer(text):
            mon = m.group("mon")
            if mon.lower() == "may" and mon != "May":
                continue  # the English verb "may", not the month
            cue = _month_cue(text, m, published)
            if cue:
                add(m.start(), m.end(), 4, cue)
    if published is not None:
        for m in pats.weekday.finditer(text):
            cue = _weekday_cue(text, m, published)
            if cue:
                add(cue.start, cue.end, 6 if cue.how is DateHow.EXPLICIT else 3, cue)
        for m in pats.phrase.finditer(text):
            add(m.start(), m.end(), 2, _phrase_cue(text, m, published))
        for m in pats.ago.finditer(text):
            add(m.start(), m.end(), 2, _ago_cue(text, m, published))
    chosen: list[tuple[int, int, int, DateCue | None]] = []
    for item in sorted(found, key=lambda f: (-f[2], -(f[1] - f[0]), f[0])):
        if all(item[1] <= c[0] or item[0] >= c[1] for c in chosen):
            chosen.append(item)
    cues = sorted((c[3] for c in chosen if c[3] is not None), key=lambda c: c.start)
    return _merge_adjacent(text, cues)


def resolve_event_date(
    sentence: str,
    *,
    published: date,
    language: str,
    context: Sequence[str] = (),
    heading: str = "",
) -> DateResolution:
    """The day the event in ``sentence`` happened, resolved against ``published``.

    Takes the first cue of the sentence that is neither a future date nor a range start
    ("sejak 27 September"), preferring exact cues over approximate ones. Without one, the
    cue of the nearest of the last :data:`CARRY_OVER_SENTENCES` sentences of ``context``
    (previous sentences of the same paragraph, nearest last) carries over. Without any,
    the publication date with ``DateHow.PUBLICATION`` and an empty cue.

    ``heading`` is the section heading the sentence sits under (a timeline's
    "1. 27 September: perang pecah"). When it names a calendar date, weekdays and
    relative words below it count from that date, and a sentence with no cue of its own
    takes it (``carried=True``).

    >>> from datetime import date
    >>> resolve_event_date("Martakert diserang pada Rabu.", published=date(2020, 10, 1), language="id").date
    datetime.date(2020, 9, 30)
    """
    anchor = _heading_anchor(heading, published, language)
    base = anchor.date if anchor is not None else published
    best = _best_cue(sentence, base, language)
    if best is not None:
        return DateResolution(best.date, best.how, best.cue, best.approximate)
    pats = _patterns()
    shift = pats.shift.search(sentence)
    reach = ANAPHORA_SENTENCES if shift or pats.anaphora.search(sentence) else CARRY_OVER_SENTENCES
    found: DateCue | None = None
    for previous in list(context)[-reach:][::-1]:
        found = _best_cue(previous, base, language)
        if found is not None:
            break
    found = found or anchor
    if found is None:
        return DateResolution(published, DateHow.PUBLICATION, "")
    if shift is None:
        return DateResolution(found.date, found.how, found.cue, found.approximate, carried=True)
    days = load_date_words().shift[" ".join(shift.group(0).lower().split())]
    when = found.date + timedelta(days=days)
    if when > published:
        return DateResolution(published, DateHow.PUBLICATION, "")
    return DateResolution(when, DateHow.RELATIVE, f"{shift.group(0)} ({found.cue})", found.approximate, True)


def _heading_anchor(heading: str, published: date, language: str) -> DateCue | None:
    if not heading:
        return None
    cues = [c for c in find_date_cues(heading, published=published, language=language) if not c.future]
    explicit = [c for c in cues if c.how is DateHow.EXPLICIT and not c.approximate]
    return explicit[0] if explicit else None


def latest_date_in_text(text: str, *, on_or_before: date | None = None) -> date | None:
    """The latest calendar date with a year that ``text`` names (optionally not after a day)."""
    days = [
        c.date for c in find_date_cues(text, published=None) if on_or_before is None or c.date <= on_or_before
    ]
    return max(days, default=None)


def _best_cue(text: str, published: date, language: str) -> DateCue | None:
    usable = [
        c for c in find_date_cues(text, published=published, language=language) if not (c.future or c.since)
    ]
    return min(usable, key=lambda c: (c.approximate, c.start), default=None)


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def _is_since(text: str, start: int) -> bool:
    return bool(_patterns().since.search(text[max(0, start - 25) : start]))


def _explicit(
    text: str, start: int, end: int, day: int, month: int, year: int | None, published: date | None
) -> DateCue | None:
    future = False
    if year is None:
        if published is None:
            return None
        try:
            when = date(published.year, month, day)
        except ValueError:
            return None
        if when > published:
            if (when - published).days <= FUTURE_WINDOW_DAYS:
                future = True
            else:
                try:
                    when = date(published.year - 1, month, day)
                except ValueError:
                    return None
    else:
        try:
            when = date(year, month, day)
        except ValueError:
            return None
        future = published is not None and when > published
    return DateCue(
        start, end, when, DateHow.EXPLICIT, text[start:end], future=future, since=_is_since(text, start)
    )


def _month_cue(text: str, m: re.Match[str], published: date | None) -> DateCue | None:
    words = load_date_words()
    month = words.month[m.group("mon").lower()]
    day = int(m.group("d"))
    year = _year(m.group("y"))
    end = m.end()
    if year is None and text[end - 1] == "." and m.re is _patterns().month_dmy:
        end -= 1  # "pada 28 Okt." ends the sentence; in "Oct. 28" the period stays inside
    if m.group("d2") and _NIGHT_OF.search(text[max(0, m.start() - 20) : m.start()]):
        day = int(m.group("d2"))  # "on the night of October 10-11": the morning's day
    return _explicit(text, m.start(), end, day, month, year, published)


_UTC_BEFORE = re.compile(r"(?:GMT|UTC)\s*(?:on\s+|pada\s+)?$")
_NIGHT_OF = re.compile(r"(?i)(?:night of|malam|overnight|ночь на)\s*(?:the\s+)?$")


def _weekday_cue(text: str, m: re.Match[str], published: date) -> DateCue | None:
    if _UTC_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        return None  # "at 1 a.m. local time (2100 GMT on Friday)": the clock of elsewhere
    words = load_date_words()
    surface = m.group("wd")
    pre = (m.group("pre") or "").lower().split()
    mod = " ".join((m.group("mod") or "").lower().split())
    if surface.lower() == "minggu" and not _is_sunday(text, m, pre, mod):
        return None
    start = m.start()
    if not (m.group("pre") or m.group("dp1")):
        start = m.start("wd")
    end = m.end()
    num = m.group("num")
    wd = words.weekday[surface.lower()]
    if mod in words.lastweek and not num:
        monday = published - timedelta(days=published.weekday())
        when = monday - timedelta(days=7 - wd)
        return DateCue(
            start, end, when, DateHow.RELATIVE, text[start:end].strip(), since=_is_since(text, start)
        )
    if mod == "ini" or (mod and not num and mod not in words.before and mod not in words.future):
        end = m.end("dp2") if m.group("dp2") else m.end("wd")
        mod = ""
    wd = words.weekday[surface.lower()]
    if num:
        numeric = _patterns().numeric.search(num)
        if numeric:
            d = numeric.group("d") or numeric.group("d2")
            mo = numeric.group("m") or numeric.group("m2")
            y = numeric.group("y") or numeric.group("y2")
            return _explicit(text, start, end, int(d), int(mo), _year(y), published)
    if mod in words.future or any(p in ("next", "coming") for p in pre):
        when = published + timedelta(days=(wd - published.weekday() - 1) % 7 + 1)
        return DateCue(start, end, when, DateHow.RELATIVE, text[start:end].strip(), future=True)
    if mod in words.before or any(p in ("last", "past") for p in pre):
        when = published - timedelta(days=(published.weekday() - wd - 1) % 7 + 1)
    else:
        when = published - timedelta(days=(published.weekday() - wd) % 7)
    return DateCue(start, end, when, DateHow.RELATIVE, text[start:end].strip(), since=_is_since(text, start))


def _is_sunday(text: str, m: re.Match[str], pre: list[str], mod: str) -> bool:
    """ "Minggu" is Sunday, "minggu" is a week: decide from case, "pada/hari", a date or a part of day."""
    if m.group("num") or "pada" in pre or "hari" in pre or m.group("dp2") or m.group("dp1"):
        return True
    if m.group("wd") != "Minggu":
        return False
    before = text[: m.start("wd")].rstrip(" \"'“‘(")
    sentence_start = not before or before[-1] in ".!?\n"
    return not (sentence_start and mod in ("lalu", "yang lalu", "ini", "depan", "kemarin"))


def _phrase_cue(text: str, m: re.Match[str], published: date) -> DateCue | None:
    words = load_date_words()
    phrase = " ".join(m.group(0).lower().split())
    cue = m.group(0)
    if phrase in words.ignore:
        return None
    if phrase in words.weekend:
        when = published - timedelta(days=(published.weekday() - 5) % 7)
        return DateCue(m.start(), m.end(), when, DateHow.RELATIVE, cue, approximate=True)
    if phrase in words.weekstart:
        when = published - timedelta(days=published.weekday())
        return DateCue(m.start(), m.end(), when, DateHow.RELATIVE, cue, approximate=True)
    offset, approx = words.relative[phrase]
    return DateCue(
        m.start(),
        m.end(),
        published - timedelta(days=offset),
        DateHow.RELATIVE,
        cue,
        approximate=approx,
        since=_is_since(text, m.start()),
    )


def _ago_cue(text: str, m: re.Match[str], published: date) -> DateCue | None:
    words = load_date_words()
    raw = m.group("n").lower()
    count = int(raw) if raw.isdigit() else words.number[raw]
    unit, approx = words.unit[" ".join(m.group("u").lower().split())]
    if count * unit > 366:
        return None
    return DateCue(
        m.start(),
        m.end(),
        published - timedelta(days=count * unit),
        DateHow.RELATIVE,
        m.group(0),
        approximate=approx,
    )


_OF_DAY = re.compile(r"\s+(?:(?:of|on|pada)\s+)?", re.IGNORECASE)


def _merge_adjacent(text: str, cues: list[DateCue]) -> list[DateCue]:
    """A weekday or relative word followed by a calendar date is one explicit cue; a part of a
    night followed by its day ("in the early hours of Saturday", "overnight on Sunday") is that day."""
    merged: list[DateCue] = []
    for cue in cues:
        if merged:
            last = merged[-1]
            gap = text[last.end : cue.start]
            if last.approximate and not cue.approximate and not cue.future and _OF_DAY.fullmatch(gap):
                span, since = text[last.start : cue.end], last.since or cue.since
                merged[-1] = DateCue(last.start, cue.end, cue.date, cue.how, span, since=since)
                continue
            if (
                last.how is DateHow.RELATIVE
                and cue.how is DateHow.EXPLICIT
                and len(gap) <= 3
                and re.fullmatch(r"[\s,(]*", gap)
            ):
                merged[-1] = DateCue(
                    last.start,
                    cue.end,
                    cue.date,
                    DateHow.EXPLICIT,
                    text[last.start : cue.end],
                    future=cue.future,
                    since=last.since or cue.since,
                )
                continue
        merged.append(cue)
    return merged
