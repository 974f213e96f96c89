"""Stage 5, second half: which day each sentence and each event mention of an article means.

:mod:`.dates` finds the date expressions of a text ("Rabu (30/9)", "kemarin", "last Sunday")
and the day each names; this module decides, for a whole article, which of them dates the
event a sentence tells, and what a sentence with none of its own inherits: the day of the
dated heading it stands under, "pada hari yang sama"/"the same day", "sehari kemudian"/"the
day before", a cue carried from the previous sentences, "sebelumnya"/"earlier", the next
sentence's cue. Rules in :func:`sentence_days` and :func:`mention_day`; word lists in
``cues/timeline.toml`` and ``data/date_words.tsv``.

    >>> # days = sentence_days(page.sentences, page.article, load_cues())
    >>> # mention_day(sentence, position, index, days, article, cues) -> Day(date, how, cue, ...)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from mapapp.model import Article, DateHow, Sentence
from mapapp.pipeline.cues import Cues
from mapapp.pipeline.dates import DateCue, find_date_cues
from mapapp.pipeline.scan import last_tokens

__all__ = [
    "CARRY_BACK",
    "DATE_CONFIDENCE",
    "Day",
    "date_cues",
    "dated_without_publication",
    "mention_day",
    "scheduled",
    "sentence_days",
    "usable_date_cues",
    "year_in_cue",
]

DATE_CONFIDENCE = {DateHow.EXPLICIT: 1.0, DateHow.RELATIVE: 0.85, DateHow.PUBLICATION: 0.55}
"""How sure a day is, by how it was found (part of an event's confidence)."""
CARRY_BACK = 3
"""Body sentences a date cue carries over to."""
@dataclass(frozen=True, slots=True)
class Day:
    """A sentence's or a mention's day and how it was found.

    ``carried`` marks a day taken from another sentence (or "hari ini" inside a quote, which
    yields to a carried day); ``weak`` a statement's day ("said on Thursday") or an
    approximate one ("pekan lalu"); ``recalled`` the day of an earlier event counted back from
    the sentence's own ("six days after a missile destroyed ...").
    """

    date: date
    how: DateHow
    cue: str
    confidence: float
    carried: bool = False
    weak: bool = False
    recalled: bool = False


_STATEMENT = re.compile(
    r"(?i)(?<![\w-])(?:said|says|told|announced|stated|wrote|mengatakan|menyatakan|kata|ujar|katanya|"
    r"pernyataan|dirilis|merilis|statement|released|interview|wawancara|konferensi pers|news conference)"
    r"(?![\w-])"
)
_CLAUSE = re.compile(r"[,;]\s|\s(?:lalu|kemudian|dan|sedangkan|sementara|while|then|and)\s", re.IGNORECASE)
_SINCE_GAP = re.compile(r"(?:\S+\s+){0,4}$")
_COMPARISON_GAP = re.compile(r"(?:\S+\s+){0,6}$")  # "setelah serangan serupa di Ganja pada"
_QUOTES = re.compile(r"[\"“”]")
_ENTRY = re.compile(r"^\s*(?:\d{1,3}[.)]\s*)?")
_ENTRY_END = re.compile(r"\s*[:–—-]\s")
_OPENING = re.compile(r"\W*(?:(?:pada|on|in|di|sejak)\s+)?", re.IGNORECASE)  # what may precede an opening day
_YEAR_IN_CUE = re.compile(r"\d{4}|\d/\d{1,2}/\d{2}")  # "27 September 2020", "(27/9/20)"


@lru_cache(maxsize=8192)
def date_cues(text: str, published: date, language: str, year: int | None = None) -> tuple[DateCue, ...]:
    """Every date cue of a sentence (memoised: a sentence is looked at by several rules); with
    ``year``, calendar dates written without one ("27 September", "(4/10)") are of that year."""
    found = find_date_cues(text, published=published, language=language)
    if year is None:
        return tuple(found)
    return tuple(_in_year(c, year) if _without_year(c) else c for c in found)


def _without_year(cue: DateCue) -> bool:
    return cue.how is DateHow.EXPLICIT and not year_in_cue(cue.cue)


def year_in_cue(words: str) -> bool:
    """Whether date words name their year ("27 September 2020", "(27/9/20)")."""
    return _YEAR_IN_CUE.search(words) is not None


def _in_year(cue: DateCue, year: int) -> DateCue:
    try:
        when = cue.date.replace(year=year)
    except ValueError:  # 29 February
        return cue
    return DateCue(cue.start, cue.end, when, cue.how, cue.cue, cue.approximate, future=False, since=cue.since)


def usable_date_cues(
    text: str, published: date, language: str, cues: Cues, *, year: int | None = None
) -> list[DateCue]:
    """Date cues of a sentence that can date an event: not future, not a range start
    ("sejak 27 September", "sejak perang meletus hari Minggu"), not after publication. With
    ``year`` (:func:`~mapapp.pipeline.period.retrospective_year`), year-less dates are of that year."""
    usable = []
    for c in date_cues(text, published, language, year):
        if c.future or c.since or c.date > published:
            continue
        window = text[max(0, c.start - 60) : c.start]
        since = list(cues.since.finditer(window))
        if since and _SINCE_GAP.fullmatch(window[since[-1].end() :].lstrip()):
            continue
        usable.append(c)
    return usable


def scheduled(text: str, published: date, language: str, *, year: int | None = None) -> bool:
    """Whether the sentence names a day after publication ("handover of Kalbajar by 15 November")."""
    return any(c.future or c.date > published for c in date_cues(text, published, language, year))


def _in_quote(text: str, position: int) -> bool:
    return len(_QUOTES.findall(text[:position])) % 2 == 1


def _is_heading(sentences: Sequence[Sentence], index: int) -> bool:
    """A short line alone in its paragraph without final punctuation: "3. 8 Oktober: katedral di Shusha"."""
    sentence = sentences[index]
    neighbours = [sentences[j] for j in (index - 1, index + 1) if 0 <= j < len(sentences)]
    alone = all(other.paragraph != sentence.paragraph for other in neighbours)
    text = sentence.text.strip()
    return alone and bool(text) and text[-1] not in '.!?"”\'' and len(text.split()) <= 12


def _heading_date(
    sentence: Sentence, published: date, language: str, cues: Cues, year: int | None
) -> DateCue | None:
    """The date a chronology entry starts with ("27 September: perang pecah", "Oct. 4 — ..."),
    or None. Such lines may be flagged as page furniture; their date still heads the entry."""
    lead = _ENTRY.match(sentence.text)
    offset = lead.end() if lead else 0
    for cue in usable_date_cues(sentence.text, published, language, cues, year=year):
        at_start = cue.start <= offset + 1
        if cue.how is DateHow.EXPLICIT and at_start and _ENTRY_END.match(sentence.text, cue.end):
            return cue
    return None


def sentence_days(
    sentences: Sequence[Sentence], article: Article, cues: Cues, *, year: int | None = None
) -> list[Day | None]:
    """Each sentence's day, from the first of:

    1. its own first exact cue (approximate ones last); a weekday under a dated heading
       ("1. 27 September: perang pecah" then "... pada Minggu pagi") is that heading's week;
    2. "pada hari yang sama"/"the same day": the heading's day, else the day one of the three
       previous body sentences names (the nearest), else the first day the body named (the
       lead's day); "sehari kemudian"/"the day before": the previous day ± 1;
    3. the day of the dated heading it stands under (chronologies, dated subheads);
    4. a cue carried from one of the three previous body sentences (once, never along a chain);
    5. "sebelumnya"/"earlier": the latest day the article named before it;
    6. the next sentence's cue, within the paragraph ("X jatuh. Pengumuman itu disampaikan
       pada Ahad (8/11).").

    None when nothing dates it (the publication date applies). "Hari ini"/"today" inside a
    quote is the day of the speech: a day carried from the previous sentences wins over it.
    """
    assert article.published is not None
    published = article.published
    own: list[Day | None] = []
    section: date | None = None
    section_cue = ""
    sections: list[tuple[date, str] | None] = []
    for index, sentence in enumerate(sentences):
        usable = [] if sentence.boilerplate else usable_date_cues(
            sentence.text, published, article.language, cues, year=year
        )
        heading = _heading_date(sentence, published, article.language, cues, year)
        if heading is not None:
            section, section_cue = heading.date, heading.cue
        elif not sentence.boilerplate and _is_heading(sentences, index):
            explicit = [c for c in usable if c.how is DateHow.EXPLICIT]
            section, section_cue = (explicit[0].date, explicit[0].cue) if explicit else (None, "")
        sections.append((section, section_cue) if section is not None else None)
        if usable and section is not None:
            # a weekday under a dated heading names a day of that heading's week
            here = usable_date_cues(sentence.text, section, article.language, cues, year=year)
            local = {c.start: c for c in here}
            usable = [local.get(c.start, c) if c.how is DateHow.RELATIVE else c for c in usable]
        if not usable:
            own.append(None)
            continue
        best = min(usable, key=lambda c: (c.approximate, _statement_date(sentence.text, c, cues), c.start))
        best = _morning(best, _with_next(sentences, index), published)
        confidence = DATE_CONFIDENCE[best.how] * (0.8 if best.approximate else 1.0)
        quoted_today = best.date == published and best.how is DateHow.RELATIVE and _in_quote(
            sentence.text, best.start
        )
        weak = best.approximate or _statement_date(sentence.text, best, cues)
        own.append(Day(best.date, best.how, best.cue, confidence, carried=quoted_today, weak=weak))
    days: list[Day | None] = []
    named: list[tuple[date, str]] = []  # days named so far in the body, with their words
    for i, sentence in enumerate(sentences):
        if sentence.boilerplate:
            days.append(None)
            continue
        day = own[i]
        if day is not None and day.carried:  # "hari ini" in a quote: the speech's day if known
            day = _carried(days, sentences, i) or Day(day.date, day.how, day.cue, day.confidence)
        anchor = sections[i] or _last_named_day(own, sentences, i, cues) or (named[0] if named else None)
        same_day = cues.same_day.search(sentence.text) if day is None and anchor is not None else None
        if same_day is not None and anchor is not None:
            day = Day(anchor[0], DateHow.RELATIVE, f"{same_day.group(0)} → {anchor[1]}", 0.75)
        if day is None:
            day = _shifted(days, sentences, i, published, cues)
        heading_day = sections[i]
        if day is None and heading_day is not None:
            day = Day(heading_day[0], DateHow.EXPLICIT, heading_day[1], 0.8, carried=True)
        if day is None:
            day = _carried(days, sentences, i)
        anterior = cues.anterior.search(sentence.text) if day is None else None
        if anterior is not None:
            earlier = [d for d in named if d[0] < published]
            if earlier:
                latest = max(earlier, key=lambda d: d[0])
                day = Day(latest[0], DateHow.RELATIVE, f"{anterior.group(0)} → {latest[1]}", 0.6)
        if day is None:
            day = _from_next(own, sentences, i, cues)
        if own[i] is not None:
            named.extend(
                (c.date, c.cue)
                for c in usable_date_cues(sentence.text, published, article.language, cues, year=year)
            )
        days.append(day)
    return days


def _shifted(
    days: Sequence[Day | None], sentences: Sequence[Sentence], index: int, published: date, cues: Cues
) -> Day | None:
    """"Sehari kemudian"/"the day before"/"Sepuluh hari kemudian"/"a week later": the previous
    sentences' day plus or minus the count. A count that lands after publication ("Setahun
    kemudian" in an anniversary piece) is the publication day, as the text's present."""
    text = sentences[index].text
    counted = _count(text, cues, ("later", "earlier"))
    if counted is not None:
        base = _previous_day(days, sentences, index)
        if base is None:
            return None
        when = base.date + timedelta(days=counted.days)
        if when > published:
            return Day(published, DateHow.PUBLICATION, counted.text, DATE_CONFIDENCE[DateHow.PUBLICATION])
        return Day(when, DateHow.RELATIVE, f"{counted.text} → {base.cue}", 0.7, weak=counted.approximate)
    shift = 1 if cues.next_day.search(text) else 0
    shift = -1 if not shift and cues.previous_day.search(text) else shift
    base = _previous_day(days, sentences, index) if shift else None
    if base is None or base.date + timedelta(days=shift) > published:
        return None
    marker = (cues.next_day if shift > 0 else cues.previous_day).search(text)
    word = marker.group(0) if marker else ""
    return Day(base.date + timedelta(days=shift), DateHow.RELATIVE, f"{word} → {base.cue}", 0.7)


@dataclass(frozen=True, slots=True)
class _Count:
    """A counted shift found in a sentence: "enam hari setelah", "setahun kemudian"."""

    start: int
    end: int
    text: str
    kind: str  # later, earlier or recall
    days: int  # signed: negative back in time
    approximate: bool


def _day_before(text: str, cues: Cues) -> _Count | None:
    """"The day before"/"sehari sebelumnya" inside a sentence, after its own event ("Barda came
    under fire again today, ..., adding that the day before a strike on a village in the Barda
    district had killed five people"): the day before that event, for what follows it."""
    found = cues.previous_day.search(text)
    if found is None or not text[: found.start()].strip() or _OPENING.fullmatch(text[: found.start()]):
        return None  # a sentence opening on it is dated from the previous sentences instead
    return _Count(found.start(), found.end(), found.group(0), "recall", -1, False)


def _with_next(sentences: Sequence[Sentence], index: int) -> str:
    """The sentence's text and, when in its paragraph, the next body sentence's."""
    following = _next_body(sentences, index)
    text = sentences[index].text
    if following is not None and sentences[following].paragraph == sentences[index].paragraph:
        return f"{text} {sentences[following].text}"
    return text


def _morning(cue: DateCue, text: str, published: date) -> DateCue:
    """"Overnight"/"semalam" with a clock time after midnight in ``text`` (the sentence, or it
    and the next of its paragraph: "overnight ... The strike hit at about 2 a.m.", "semalam
    sekitar pukul 02.00") is the morning of the story's day, not the evening before."""
    if cue.how is not DateHow.RELATIVE or " ".join(cue.cue.lower().split()) not in _NIGHT_BEFORE:
        return cue
    if not _SMALL_HOURS.search(text):
        return cue
    return DateCue(cue.start, cue.end, published, cue.how, cue.cue, approximate=False, since=cue.since)


_NIGHT_BEFORE = frozenset({
    "overnight", "last night", "around midnight", "at midnight", "semalam", "tadi malam", "malam tadi",
})
# a clock time between midnight and dawn, or words for those hours
_SMALL_HOURS = re.compile(
    r"(?i)(?<!\w)(?:(?:12|0?[0-5])(?:[:.][0-5]\d)?\s*a\.?m\b|(?:pukul|jam)\s+0?[0-5](?:[.:][0-5]\d)?(?!\d)"
    r"|dini hari|subuh|after midnight|past midnight|lewat tengah malam|early hours|before dawn"
    r"|before daybreak)"
)


def _count(text: str, cues: Cues, kinds: Sequence[str]) -> _Count | None:
    """The first counted shift of ``text`` of one of ``kinds`` (``later``, ``earlier``,
    ``recall``), with its signed number of days and whether the unit makes it approximate
    (weeks, months, years)."""
    return next((c for c in _counts(text, cues.counted) if c.kind in kinds), None)


@lru_cache(maxsize=8192)
def _counts(text: str, pattern: re.Pattern[str]) -> tuple[_Count, ...]:
    if not _DIGIT_OR_UNIT.search(text):
        return ()
    from mapapp.pipeline.dates import load_date_words

    words = load_date_words()
    found = []
    for match in pattern.finditer(text):
        kind = next(k for k in ("later", "earlier", "recall") if match.group(k))
        raw = match.group("n")
        count = 1 if raw is None else int(raw) if raw.isdigit() else words.number[raw.lower()]
        unit, approximate = words.unit[" ".join(match.group("u").lower().split())]
        days = count * unit * (1 if kind == "later" else -1)
        found.append(_Count(match.start(), match.end(), match.group(0), kind, days, approximate))
    return tuple(found)


# every count names a unit of time: a sentence without one of these stems has none
_DIGIT_OR_UNIT = re.compile(r"(?i)hari|pekan|minggu|bulan|tahun|day|week|month|year")


_CLAUSE_END = re.compile(r"[,;:]\s|\s[–—-]+\s|[.!?](?:\s|$)")


def _clause_end(text: str, start: int) -> int:
    found = _CLAUSE_END.search(text, start)
    return found.start() if found else len(text)


def _from_next(
    own: Sequence[Day | None], sentences: Sequence[Sentence], index: int, cues: Cues
) -> Day | None:
    """The next body sentence's own day, when it is in the same paragraph or opens by pointing
    back to this event ("Pengumuman itu disampaikan ... pada Selasa (20/10/2020)")."""
    following = _next_body(sentences, index)
    if following is None:
        return None
    nxt = own[following]
    if nxt is None or nxt.carried:
        return None
    if sentences[following].paragraph != sentences[index].paragraph and not cues.event_anaphora.match(
        sentences[following].text.lstrip()
    ):
        return None
    return Day(nxt.date, nxt.how, nxt.cue, nxt.confidence * 0.8, carried=True, weak=nxt.weak)


def _last_named_day(
    own: Sequence[Day | None], sentences: Sequence[Sentence], index: int, cues: Cues
) -> tuple[date, str] | None:
    """The day the nearest of the three previous body sentences names as its own: what "pada
    hari yang sama"/"on the same day" points back to. Not a statement's day, and not a day
    named for comparison ("enam hari setelah serangan ... pada 11 Oktober")."""
    seen = 0
    for j in range(index - 1, -1, -1):
        if sentences[j].boilerplate:
            continue
        seen += 1
        day = own[j]
        if day is not None and not (day.weak or day.carried or _compared(sentences[j].text, day, cues)):
            return (day.date, day.cue)
        if seen >= 3:
            break
    return None


def _compared(text: str, day: Day, cues: Cues) -> bool:
    """Whether the words of ``day`` in ``text`` follow a comparison word within a few words
    ("setelah serangan serupa di Ganja pada 11 Oktober", "a week after ... on Oct. 4")."""
    at = text.find(day.cue) if day.cue else -1
    if at < 0:
        return False
    window = text[max(0, at - 60) : at]
    found = list(cues.comparison.finditer(window))
    return bool(found) and _COMPARISON_GAP.fullmatch(window[found[-1].end() :].lstrip()) is not None


def _next_body(sentences: Sequence[Sentence], index: int) -> int | None:
    """The index of the next body (non-boilerplate) sentence, if any."""
    for j in range(index + 1, len(sentences)):
        if not sentences[j].boilerplate:
            return j
    return None


def _statement_date(text: str, cue: DateCue, cues: Cues) -> bool:
    """Whether a date cue dates a statement rather than an event: it follows a reporting verb
    or a statement noun within four words ("said on Thursday", "dalam pernyataan yang dirilis
    ..., Senin (2/11)") with no event word in between."""
    window = text[max(0, cue.start - 80) : cue.start]
    tail = last_tokens(window, 4)  # the last four words: what (?:[\w'’().,/-]+\s+){0,4}$ finds
    return bool(_STATEMENT.search(tail)) and not cues.event_cues(tail)


def _previous_day(days: Sequence[Day | None], sentences: Sequence[Sentence], index: int) -> Day | None:
    """The day of the nearest previous body sentence that has one (within three sentences)."""
    seen = 0
    for j in range(index - 1, -1, -1):
        if sentences[j].boilerplate:
            continue
        seen += 1
        if days[j] is not None:
            return days[j]
        if seen >= 3:
            break
    return None


def _carried(days: Sequence[Day | None], sentences: Sequence[Sentence], index: int) -> Day | None:
    """The day of one of the :data:`CARRY_BACK` previous body sentences, unless carried itself."""
    seen = 0
    j = index - 1
    while j >= 0 and seen < CARRY_BACK:
        if sentences[j].boilerplate:
            j -= 1
            continue
        seen += 1
        d = days[j]
        if d is not None and not d.carried:  # a cue carries over once, never along a chain
            return Day(d.date, d.how, d.cue, d.confidence * 0.85, carried=True)
        j -= 1
    return None


def dated_without_publication(text: str) -> Day | None:
    """The first calendar day with a year that ``text`` names ("27 September 2020"), or None."""
    for cue in find_date_cues(text, published=None):
        if not cue.future and not cue.since:
            return Day(cue.date, cue.how, cue.cue, DATE_CONFIDENCE[cue.how])
    return None


def mention_day(
    sentence: Sentence,
    position: int,
    index: int,
    days: Sequence[Day | None],
    article: Article,
    cues: Cues,
    *,
    year: int | None = None,
    sentences: Sequence[Sentence] = (),
) -> Day | None:
    """The day of the event at ``position``:

    1. after "six days after"/"enam hari setelah" with no date of its own after it: the day
       of the sentence's event counted back ("The strike came six days after a missile
       destroyed ... the city": that earlier strike; ``recalled=True``);
    2. when the sentence names several days, the one in the place's own clause, else the one
       opening the sentence if the place comes before the next ("Sepuluh hari kemudian,
       tentara ... memasuki distrik Aghdam, disusul Kalbajar pada 25 November"), else the
       nearest ("Rabu (30/9) di A dan Kamis (1/10) di B"); counts from the previous
       sentences' day ("Sepuluh hari kemudian") are among them;
    3. else the sentence's day, else None (undated: the publication date unless the place was
       dated earlier in the article).

    ``sentences`` (the article's) lets counts reach the previous sentences' day.
    """
    if article.published is None:
        return None
    text = sentence.text
    usable = usable_date_cues(text, article.published, article.language, cues, year=year)
    recall = _count(text, cues, ("recall",)) or _day_before(text, cues)
    # the recalled event is told in the clause after "after", up to the next comma or dash
    recalled = recall is not None and recall.end <= position < _clause_end(text, recall.end)
    if recall is not None and recalled and not any(c.start >= recall.end for c in usable):
        anchor = (days[index] if index < len(days) else None) or Day(
            article.published, DateHow.PUBLICATION, "", DATE_CONFIDENCE[DateHow.PUBLICATION]
        )
        cue = f"{recall.text} ← {anchor.cue}" if anchor.cue else recall.text
        when = anchor.date + timedelta(days=recall.days)
        return Day(when, DateHow.RELATIVE, cue, 0.7, weak=recall.approximate, recalled=True)
    if usable and sentences:
        counted = _count(text, cues, ("later", "earlier"))
        base = _previous_day(days, sentences, index) if counted is not None else None
        if counted is not None and base is not None:
            when = base.date + timedelta(days=counted.days)
            if when <= article.published:
                shifted = DateCue(counted.start, counted.end, when, DateHow.RELATIVE, counted.text)
                usable = sorted([*usable, shifted], key=lambda c: c.start)
    if len(usable) > 1:
        # the day of the telling yields to the day of the event ("said on Tuesday that ... overnight")
        usable = [c for c in usable if not _statement_date(text, c, cues)] or usable
    if len(usable) > 1:
        # a cue in the place's own clause first ("Zangilan pada 20 Oktober, lalu Qubadli pada 25 Oktober")
        breaks = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]
        lo = max(b for b in breaks if b <= position)
        hi = min((b for b in breaks if b > position), default=len(text))
        inside = [c for c in usable if lo <= c.start and c.end <= hi]
        if inside:
            usable = inside
        elif _OPENING.fullmatch(text[: usable[0].start]) and position < usable[1].start:
            usable = usable[:1]  # the day that opens the sentence governs up to the next day it names

        def distance(c: Any) -> tuple[int, int]:
            gap = position - c.end if c.end <= position else c.start - position
            return (gap + (0 if c.end <= position else 15), c.start)

        context = _with_next(sentences, index) if sentences else text
        best = _morning(min(usable, key=distance), context, article.published)
        return Day(best.date, best.how, best.cue, DATE_CONFIDENCE[best.how])
    return days[index] if index < len(days) else None
