"""The period an article reports, and what is outside it: background, a retrospective's year, the story day.

News reports the days up to its publication; an encyclopedia chronology, a rights group's
report or an anniversary piece recounts a campaign long before it. :func:`reported_period`
finds the period from the days the event mentions are dated to; a day over
:data:`BACKGROUND_DAYS` before it, or a sentence naming an earlier war or era
(:func:`historical`), is background. A text about the past reads its year-less dates in the
year its full dates name (:func:`retrospective_year`); a dateline carrying its own date
("MOSCOW, November 15. /TASS/.") gives the day the story's relative words count from
(:func:`story_day`). Part of the dates stage, next to :mod:`.days`.

    >>> from datetime import date
    >>> reported_period([date(2020, 10, 4), date(1992, 5, 8)], date(2021, 11, 8)).start
    datetime.date(2020, 10, 4)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from mapapp.model import DateHow, Sentence
from mapapp.pipeline.cues import Cues
from mapapp.pipeline.dates import find_date_cues
from mapapp.pipeline.days import Day, date_cues, year_in_cue

__all__ = [
    "BACKGROUND_DAYS",
    "STORY_DAYS",
    "Period",
    "historical",
    "reported_period",
    "retrospective_year",
    "story_day",
]

BACKGROUND_DAYS = 60
"""Days an event may lie before the period an article reports and still belong to it: the July
2020 Tovuz clashes named in a war report are over 60 days before it, background. News reports
the days before publication; a chronology or an anniversary piece reports a period long before."""




@dataclass(frozen=True, slots=True)
class Period:
    """The stretch of days an article reports: for news the days up to publication, for a
    chronology or an anniversary piece the campaign it recounts (see :func:`reported_period`)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period ends before it starts: {self.start} .. {self.end}")

    def before(self, day: date) -> bool:
        """Whether ``day`` is over :data:`BACKGROUND_DAYS` before the period: background."""
        return (self.start - day).days > BACKGROUND_DAYS

    def current(self, published: date) -> bool:
        """Whether the period reaches to within :data:`BACKGROUND_DAYS` of publication: news."""
        return (published - self.end).days <= BACKGROUND_DAYS

    def after(self, day: date) -> bool:
        """Whether ``day`` is over :data:`BACKGROUND_DAYS` after the period (a retrospective's
        publication day, which dates none of the events it recounts)."""
        return (day - self.end).days > BACKGROUND_DAYS


def reported_period(days: Sequence[date], published: date) -> Period:
    """The period an article reports, from the days its event mentions are dated to.

    The days are grouped into runs with no gap over :data:`BACKGROUND_DAYS`. A run that reaches
    to within that many days of publication is the news being reported; without one, the text
    recounts the past (an encyclopedia's chronology, a rights group's report, an anniversary
    piece) and its period is the run with the most dated mentions. No dated mention: the
    publication day.

    >>> from datetime import date
    >>> war = [date(2020, 10, 4), date(2020, 10, 11), date(2020, 11, 8)]
    >>> reported_period(war + [date(1992, 5, 8)], date(2021, 11, 8))
    Period(start=datetime.date(2020, 10, 4), end=datetime.date(2020, 11, 8))
    """
    if not days:
        return Period(published, published)
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days <= BACKGROUND_DAYS:
            runs[-1].append(day)
        else:
            runs.append([day])
    current = [run for run in runs if (published - run[-1]).days <= BACKGROUND_DAYS]
    chosen = current[-1] if current else max(runs, key=lambda run: (len(run), run[-1]))
    return Period(chosen[0], chosen[-1])


def retrospective_year(sentences: Sequence[Sentence], published: date, days: Sequence[Day]) -> int | None:
    """The year a text about the past dates its events in, or None for a text reporting news.

    ``days`` are the days its event mentions got with year-less calendar dates read in the
    publication's year. The year is the one the body's full dates ("8 November 2020") name most
    often (at a tie the one named first), when it is before the publication's; it is used when
    those days report no recent news (:meth:`Period.current`), or when the only recent days
    come from year-less dates while the full dates name that earlier year at least twice and
    never the publication's year ("October 27" in an anniversary piece of 2021 about 2020).
    A chronology's "27 September:" is then of that year.
    """
    period = reported_period([d.date for d in days], published)
    recent = [d for d in days if period.start <= d.date <= period.end]
    if period.current(published) and not (recent and all(_year_less(d) for d in recent)):
        return None  # news: its recent days are dated by words that need no year
    years: dict[int, int] = {}
    for sentence in sentences:
        if not sentence.boilerplate:
            for day in _full_dates(sentence.text):
                years[day.year] = years.get(day.year, 0) + 1
    if not years:
        return None
    best = max(years, key=lambda y: years[y])  # dicts keep the order years were first named
    if best >= published.year:
        return None
    if not period.current(published):
        return best
    if years[best] >= 2 and published.year not in years:
        return best
    return None


@lru_cache(maxsize=4096)
def _full_dates(text: str) -> tuple[date, ...]:
    """The calendar days ``text`` names with their year ("8 November 2020")."""
    return tuple(cue.date for cue in find_date_cues(text, published=None))


def _year_less(day: Day) -> bool:
    """Whether a day comes from a calendar date written without its year."""
    return day.how is DateHow.EXPLICIT and not year_in_cue(day.cue)


STORY_DAYS = 3
"""How many days a dateline's own date may lie before publication (a page dated the next
morning, a weekly's print edition)."""


def story_day(sentences: Sequence[Sentence], published: date) -> date | None:
    """The date a dateline gives its story ("MOSCOW, November 15. /TASS/.", "BAKU, Oct 17
    (Reuters) -", "Baku, November 20, AZERTAC", "STEPANAKERT, OCTOBER 2, ARMENPRESS."), when it
    is before publication by at most :data:`STORY_DAYS` days: the day the story's "yesterday",
    "overnight" and "on Saturday" count from, instead of the day the page is dated. None when
    the page has no such dateline or it names the publication day."""
    first_body = next((i for i, s in enumerate(sentences) if not s.boilerplate), 0)
    for sentence in sentences[: first_body + 2]:  # the header lines and the lead
        if not _DATELINE_START.match(sentence.text):
            continue
        for cue in date_cues(sentence.text, published, ""):
            if cue.how is not DateHow.EXPLICIT or cue.start > 60:
                continue
            before = _DATELINE_BEFORE.fullmatch(sentence.text[: cue.start])
            if before and 0 < (published - cue.date).days <= STORY_DAYS:
                return cue.date
    return None


def historical(sentence: Sentence, period: Period | None, cues: Cues | None = None) -> bool:
    """A sentence about an earlier war or era than the period the article reports: it names a
    year before the period's ("pada 1993", "in the early 1990s"), an earlier war ("the first
    war", "perang pertama": ``timeline.toml`` [era]) or a month two or more before the period
    that the period does not hold ("In July, ..." in a report on October). A year or war named
    as a yardstick ("the worst fighting since the 1990s war", "terburuk sejak perang 1990-an")
    does not make the sentence about it."""
    if period is None:
        return False
    text = sentence.text
    years = [m for m in _YEAR.finditer(text) if int(m.group(1)) < period.start.year]
    if any(not _since(text, m.start(), cues) for m in years):
        return True
    if cues is None:
        return False
    if any(not _since(text, m.start(), cues) for m in cues.era.finditer(text)):
        return True
    start = period.start.year * 12 + period.start.month
    end = period.end.year * 12 + period.end.month
    for word in _WORDS.findall(text):
        month = cues.months.get(word.lower())
        if month is None or (word.lower() == "may" and word != "May"):
            continue  # not a month, or the English verb "may"
        named = period.end.year * 12 + month
        if named > end:
            named -= 12  # "in December" in a report on January: last year's
        if start - named >= 2:
            return True
    return False


def _since(text: str, position: int, cues: Cues | None) -> bool:
    """Whether a "since"/"sejak" stands within a few words before ``position``."""
    if cues is None:
        return False
    window = text[max(0, position - 40) : position]
    found = list(cues.since.finditer(window))
    return bool(found) and _SINCE_GAP.fullmatch(window[found[-1].end() :].lstrip()) is not None


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?:-an|an|s)?(?!\d)")
_WORDS = re.compile(r"[A-Za-z]+")
_SINCE_GAP = re.compile(r"(?:\S+\s+){0,4}$")
# A dateline before its date: "MOSCOW, ", "BAKU, Azerbaijan, ", "Baku, ", "BAKU. ", "AZERBAIJAN–"
_DATELINE_PLACE = r"\W*[A-Z][A-Za-z'’./ -]{1,30}?(?:,\s*[A-Z][A-Za-z'’ -]{1,25}){0,2}\s*[.,–—-]\s*"
_DATELINE_BEFORE = re.compile(_DATELINE_PLACE)
_DATELINE_START = re.compile(_DATELINE_PLACE + r"\S")
