"""The extraction pipeline composed: a news page in, dated, attributed, geocoded events out.

Stages (each a pure function in its module; the gazetteer and the dates are passed in):
read (:mod:`.read`) -> page anatomy (:mod:`.anatomy`) -> mentions (:mod:`.mentions`) ->
geocoding with the article's other places as context -> event or not (:mod:`.events`) ->
side (:mod:`.attribution`) and date (:mod:`.dates`) per claim -> merged events.

One event is one place + one day + one reporting side of one article: the date and the
side are decided per mention before anything is emitted, and mentions that land on the
same (place, day, side) merge, their excerpts accumulating in text order. A denial by the
other side marks the event ``disputed_by`` instead of making a new one.

    >>> from gazetteer import load_gazetteer
    >>> from mapapp.pipeline.read import read_text
    >>> doc = read_text(
    ...     "Kementerian Pertahanan Azerbaijan mengatakan pasukan Armenia menembaki kota Tartar pada "
    ...     "Senin (19/10), menewaskan dua warga.\\nArmenia membantah laporan tersebut.",
    ...     source="tartar.txt",
    ... )
    >>> extraction = extract_document(doc, load_gazetteer(), published=date(2020, 10, 20))
    >>> [(e.place, e.date.isoformat(), e.side.value, e.disputed_by) for e in extraction.events]
    [('Tartar', '2020-10-19', 'azerbaijan', (<Side.ARMENIA: 'armenia'>,))]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapapp.errors import ArticleError
from mapapp.model import (
    Article,
    DateHow,
    Event,
    Excerpt,
    Mention,
    Precision,
    Sentence,
    Side,
    event_id,
)
from mapapp.pipeline.read import DEFAULT_MAX_BYTES, RawDocument

if TYPE_CHECKING:
    from mapapp.manifest import ManifestRow
    from mapapp.pipeline.attribution import Attribution, Claim
    from mapapp.pipeline.cues import Cues
    from mapapp.pipeline.mentions import GazetteerLike

__all__ = [
    "BACKGROUND_DAYS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "Extraction",
    "extract_document",
    "extract_file",
]

# How much each part of an event's evidence counts in its confidence.
_CONFIDENCE_WEIGHTS = {"cue": 0.3, "side": 0.25, "date": 0.2, "place": 0.25}
_DATE_CONFIDENCE = {DateHow.EXPLICIT: 1.0, DateHow.RELATIVE: 0.85, DateHow.PUBLICATION: 0.55}
_CARRY_BACK = 3  # body sentences a date cue carries over to
BACKGROUND_DAYS = 60
"""News reports recent events: a day more than this long before publication is background
(the July 2020 Tovuz clashes in a war report), noted but not made an event."""
DEFAULT_MAX_CHARS = 300_000
"""Longest article text extracted, in characters after HTML is reduced to text. A news
article is a few thousand; some stages (sentence splitting, mention rules, merging claims)
slow down more than linearly on megabytes of one paragraph, so longer texts are refused
with a reason instead of running for minutes."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one article yields: the article as read, its events, every place mention and notes."""

    article: Article
    events: tuple[Event, ...]
    mentions: tuple[Mention, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Day:
    """A sentence's or a mention's day and how it was found."""

    date: date
    how: DateHow
    cue: str
    confidence: float
    carried: bool = False
    weak: bool = False  # a statement's day ("said on Thursday") or an approximate one ("pekan lalu")


@dataclass(slots=True)
class _PendingClaim:
    """One event mention with its place, side and day, before merging."""

    mention: Mention
    place: Any
    resolution: Any
    shown: str
    verdict: Any
    day: _Day | None
    own_cue: bool
    claim: Claim


@dataclass(slots=True)
class _Entry:
    """An event being assembled from the claims that share its (place, day, side)."""

    claim: _PendingClaim
    day: _Day
    excerpts: dict[Excerpt, None]  # an ordered set: each excerpt once, in the order claims added it
    confidence: float
    sentences: set[int]
    disputed: set[Side]


def _merge(
    claims: Sequence[_PendingClaim], sentences: Sequence[Sentence], published: date | None
) -> dict[tuple[str, date, Side], _Entry]:
    """Merge claims into events keyed by (place id, day, side), in text order.

    An undated (or only statement-dated) claim takes the day the article gives the same place
    for the same side, else the nearest earlier day of that place; narration without a day
    of its own that restates an event already reported joins that report.
    """
    merged: dict[tuple[str, date, Side], _Entry] = {}
    for item in claims:
        mention, place, claim = item.mention, item.place, item.claim
        day = item.day
        if day is None or day.weak:
            firm = [
                c for c in claims if c is not item and c.place.id == place.id
                and c.day is not None and not c.day.weak
            ]
            same_side = [c for c in firm if c.claim.side == claim.side]
            before = [c for c in firm if c.mention.start < mention.start]
            pool = same_side or before
            if pool:
                source = min(pool, key=lambda c: abs(c.mention.start - mention.start)).day
                assert source is not None
                day = _Day(source.date, source.how, source.cue, source.confidence * 0.8, carried=True)
                item.day = day
        if day is None:
            if published is None:
                continue
            day = item.day = _Day(published, DateHow.PUBLICATION, "", _DATE_CONFIDENCE[DateHow.PUBLICATION])
        index = mention.sentence_index
        excerpts = _excerpts(sentences, index, claim)
        key = (place.id, day.date, claim.side)
        if claim.is_narration and not item.own_cue:
            previous = [k for k in merged if k[0] == place.id]
            if previous:
                key = next((k for k in reversed(previous) if k[1] == day.date), previous[-1])
        confidence = (
            _CONFIDENCE_WEIGHTS["cue"] * item.verdict.strength
            + _CONFIDENCE_WEIGHTS["side"] * claim.confidence
            + _CONFIDENCE_WEIGHTS["date"] * day.confidence
            + _CONFIDENCE_WEIGHTS["place"] * float(getattr(item.resolution, "score", 0.5))
        )
        entry = merged.get(key)
        if entry is None:
            merged[key] = _Entry(item, day, dict.fromkeys(excerpts), confidence, {index}, set())
            continue
        entry.excerpts.update(dict.fromkeys(excerpts))
        entry.confidence = max(entry.confidence, confidence) + 0.05 * (1 - entry.confidence)
        entry.sentences.add(index)
    return merged


def extract_file(
    path: str | Path,
    gazetteer: GazetteerLike,
    *,
    published: date | None = None,
    manifest: Mapping[str, ManifestRow] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Extraction:
    """Read one file and extract its events; raise :class:`~mapapp.errors.ArticleError` if unreadable.

    The manifest row is looked up by the file's name; ``published`` overrides both the
    manifest's and the page's date.
    """
    from mapapp.pipeline.read import read_document

    doc = read_document(path, max_bytes=max_bytes)
    row = manifest.get(doc.source) if manifest else None
    return extract_document(doc, gazetteer, published=published, manifest_row=row, max_chars=max_chars)


def extract_document(
    doc: RawDocument,
    gazetteer: GazetteerLike,
    *,
    published: date | None = None,
    manifest_row: ManifestRow | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Extraction:
    """Extract the events of a document already read (see the module docstring).

    A text longer than ``max_chars`` characters raises :class:`~mapapp.errors.ArticleError`
    naming the limit (see :data:`DEFAULT_MAX_CHARS`).
    """
    if len(doc.text) > max_chars:
        raise ArticleError(
            doc.path or doc.source,
            f"the article's text is {len(doc.text):,} characters, over the {max_chars:,} limit "
            f"(--max-chars {max_chars}): split it or raise the limit",
        )
    from mapapp.pipeline.anatomy import parse_page
    from mapapp.pipeline.attribution import attribute_article
    from mapapp.pipeline.cues import load_cues
    from mapapp.pipeline.events import judge_mentions
    from mapapp.pipeline.mentions import finder_for

    cues = load_cues()
    page = parse_page(doc, published=published, manifest=manifest_row)
    article = page.article
    text = article.text
    sentences = page.sentences
    notes = list(page.notes)
    finder = finder_for(gazetteer)
    mentions = finder.find(text, sentences)

    # geocode every name once, with the article's other names as context
    body_names = _unique(m.surface for m in mentions if not sentences[m.sentence_index].boilerplate)
    resolutions: dict[str, Any] = {}
    for name in _unique(m.surface for m in mentions):
        context = [n for n in body_names if n != name]
        resolutions[name] = _district_seat(name, gazetteer.resolve(name, context), gazetteer, context)
    places = {
        i: (resolutions[m.surface].place if resolutions[m.surface] is not None else None)
        for i, m in enumerate(mentions)
    }
    found = mentions
    texts = [s.text for s in sentences]
    attribution = attribute_article(
        texts,
        paragraphs=[s.paragraph for s in sentences],
        boilerplate=[s.boilerplate for s in sentences],
        cues=cues,
        outlet=article.outlet,
    )
    verdicts = judge_mentions(
        text, sentences, mentions, places, dateline=page.dateline, attribution=attribution,
        region=finder.region, cues=cues,
    )
    # "kota itu"/"the town": the last town named before that is not a speaker, metonym, venue...
    antecedents = [
        (m, places[i]) for i, (m, v) in enumerate(zip(mentions, verdicts, strict=True))
        if places.get(i) is not None and (v.is_event or v.reason.startswith("no event cue"))
    ]
    references, reference_places, shown = _place_references(sentences, antecedents, finder.region, cues)
    reference_verdicts = judge_mentions(
        text, sentences, references, reference_places, dateline=page.dateline, attribution=attribution,
        region=finder.region, cues=cues,
    )
    judged = sorted(
        [(v, places.get(i), v.mention.surface) for i, v in enumerate(verdicts)]
        + [(v, reference_places[i], shown[i]) for i, v in enumerate(reference_verdicts)],
        key=lambda item: item[0].mention.start,
    )
    days = _sentence_days(sentences, article, cues) if article.published else []
    undated: list[str] = []

    # one claim per event mention: place, side and day decided before anything is merged
    claims: list[_PendingClaim] = []
    historical: list[str] = []
    scheduled: list[str] = []
    for verdict, place, shown_name in judged:
        if not verdict.is_event:
            continue
        mention = verdict.mention
        index = mention.sentence_index
        sentence = sentences[index]
        position = mention.start - sentence.start
        if article.published is None:
            # no publication date anywhere: only days the sentence names with their year
            day = _dated_without_publication(sentence.text)
            if day is None:
                undated.append(mention.surface)
                continue
            own_cue = True
        else:
            day = _mention_day(sentence, position, index, days, article, cues)
            own_cue = bool(_usable_date_cues(sentence.text, article.published, article.language, cues))
            if not own_cue and _historical(sentence, article.published, cues):
                historical.append(mention.surface)
                continue
            if not own_cue and any(
                c.future or c.date > article.published
                for c in _date_cues(sentence.text, article.published, article.language)
            ):
                scheduled.append(mention.surface)  # "handover of Kalbajar by 15 November"
                continue
        claims.append(_PendingClaim(
            mention, place, resolutions.get(mention.surface), shown_name, verdict, day, own_cue,
            attribution.claim_at(index, position),
        ))
    if undated:
        left_out = ", ".join(_unique(undated))
        notes.append(f"no publication date: left out events with no dated day of their own: {left_out}")
    if historical:
        notes.append("not made events (a past war's background): " + ", ".join(_unique(historical)))
    if scheduled:
        notes.append("not made events (a day after publication: scheduled): " + ", ".join(_unique(scheduled)))
    merged = _merge(claims, sentences, article.published)

    _apply_denials(merged, attribution, sentences, mentions, places)
    background = {
        id(entry) for entry in merged.values()
        if article.published is not None and (article.published - entry.day.date).days > BACKGROUND_DAYS
    }
    if background:
        names = ", ".join(_unique(
            f"{e.claim.shown} ({e.day.date.isoformat()})" for e in merged.values() if id(e) in background
        ))
        notes.append(f"not made events (over {BACKGROUND_DAYS} days before publication: background): {names}")
    events = [
        _event(article, entry, sentences, cues) for entry in merged.values() if id(entry) not in background
    ]
    events.sort(key=lambda e: (e.excerpts[0].start, e.place))
    skipped = [
        f"{v.mention.surface} ({v.reason})"
        for v, place, _ in judged
        if not v.is_event and place is not None and getattr(place, "is_settlement", False)
        and v.reason != "boilerplate" and not v.reason.startswith("outside")
    ]
    if skipped:
        notes.append("not made events: " + "; ".join(_unique(skipped)))
    return Extraction(article, tuple(events), found, tuple(notes))


_DISTRICT = re.compile(
    r"(?i)^(?:(?:distrik|kabupaten|rayon|provinsi)\s+)?(.+?)(?:\s+(?:district|rayon|region|province))?$"
)


def _district_seat(name: str, resolution: Any, gazetteer: GazetteerLike, context: Sequence[str]) -> Any:
    """"Dashkasan district" located at its seat town, as conflict datasets code a district.

    Only for a district or province named after a town of the same country within 60 km;
    anything else is returned unchanged.
    """
    place = getattr(resolution, "place", None)
    if place is None or not getattr(place, "is_region", False):
        return resolution
    match = _DISTRICT.match(name)
    base = match.group(1) if match else name
    if base == name:
        return resolution
    seat = gazetteer.resolve(base, context)
    town = getattr(seat, "place", None)
    if town is None or not town.is_settlement or town.country != place.country:
        return resolution
    from mapapp.evaluate import haversine_km

    return seat if haversine_km(town.lat, town.lon, place.lat, place.lon) <= 60 else resolution


def _place_references(
    sentences: Sequence[Sentence],
    antecedents: Sequence[tuple[Mention, Any]],
    region: frozenset[str],
    cues: Cues,
) -> tuple[list[Mention], dict[int, Any], dict[int, str]]:
    """"kota itu"/"the town" as mentions of the town last named before them.

    The antecedent is the latest town of the region named earlier in the same sentence or
    in the two previous body sentences (among ``antecedents``: names that are neither
    speakers nor metonyms, venues or reference points). Returns the references, their
    places and the name to show for each (the antecedent as written).
    """
    towns = [
        (m, p) for m, p in antecedents
        if getattr(p, "is_settlement", False) and getattr(p, "country", "") in region
        and not sentences[m.sentence_index].boilerplate
    ]
    references: list[Mention] = []
    places: dict[int, Any] = {}
    shown: dict[int, str] = {}
    for index, sentence in enumerate(sentences):
        if sentence.boilerplate:
            continue
        for match in cues.place_anaphora.finditer(sentence.text):
            if _NAMED_NEXT.match(sentence.text, match.end()):
                continue  # "the town of Hadrut", "kota itu, Martuni": the name is right there
            start = sentence.start + match.start()
            before = [
                (m, p) for m, p in towns
                if m.start < start and (
                    m.sentence_index == index
                    or 0 < _body_distance(sentences, m.sentence_index, index) <= 2
                )
            ]
            if not before:
                continue
            antecedent, place = before[-1]
            places[len(references)] = place
            shown[len(references)] = antecedent.surface
            references.append(Mention(match.group(0), start, sentence.start + match.end(), index))
    return references, places, shown


def _body_distance(sentences: Sequence[Sentence], earlier: int, later: int) -> int:
    """How many body (non-boilerplate) sentences separate two sentence indexes."""
    return sum(1 for j in range(earlier + 1, later + 1) if not sentences[j].boilerplate)


def _unique(items: Any) -> list[Any]:
    seen: dict[Any, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


_LAST_FOUR = re.compile(r"(?:[\w'’().,/-]+\s+){0,4}$")
_STATEMENT = re.compile(
    r"(?i)(?<![\w-])(?:said|says|told|announced|stated|wrote|mengatakan|menyatakan|kata|ujar|katanya|"
    r"pernyataan|dirilis|merilis|statement|released|interview|wawancara|konferensi pers|news conference)"
    r"(?![\w-])"
)
_CLAUSE = re.compile(r"[,;]\s|\s(?:lalu|kemudian|dan|sedangkan|sementara|while|then|and)\s", re.IGNORECASE)
_NAMED_NEXT = re.compile(r"\s*,?\s+(?:of\s+|bernama\s+)?[A-ZÀ-ÖØ-Þ]")
_SINCE_GAP = re.compile(r"(?:\S+\s+){0,4}$")
_COMPARISON_GAP = re.compile(r"(?:\S+\s+){0,6}$")  # "setelah serangan serupa di Ganja pada"
_QUOTES = re.compile(r"[\"“”]")
_WORDS = re.compile(r"[A-Za-z]+")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?:-an|an|s)?(?!\d)")


@lru_cache(maxsize=8192)
def _date_cues(text: str, published: date, language: str) -> tuple[Any, ...]:
    """Every date cue of a sentence (memoised: a sentence is looked at by several rules)."""
    from mapapp.pipeline.dates import find_date_cues

    return tuple(find_date_cues(text, published=published, language=language))


def _usable_date_cues(text: str, published: date, language: str, cues: Cues) -> list[Any]:
    """Date cues of a sentence that can date an event: not future, not a range start
    ("sejak 27 September", "sejak perang meletus hari Minggu"), not after publication."""
    usable = []
    for c in _date_cues(text, published, language):
        if c.future or c.since or c.date > published:
            continue
        window = text[max(0, c.start - 60) : c.start]
        since = list(cues.since.finditer(window))
        if since and _SINCE_GAP.fullmatch(window[since[-1].end() :].lstrip()):
            continue
        usable.append(c)
    return usable


def _in_quote(text: str, position: int) -> bool:
    return len(_QUOTES.findall(text[:position])) % 2 == 1


def _is_heading(sentences: Sequence[Sentence], index: int) -> bool:
    """A short line alone in its paragraph without final punctuation: "3. 8 Oktober: katedral di Shusha"."""
    sentence = sentences[index]
    neighbours = [sentences[j] for j in (index - 1, index + 1) if 0 <= j < len(sentences)]
    alone = all(other.paragraph != sentence.paragraph for other in neighbours)
    text = sentence.text.strip()
    return alone and bool(text) and text[-1] not in '.!?"”\'' and len(text.split()) <= 12


_ENTRY = re.compile(r"^\s*(?:\d{1,3}[.)]\s*)?")
_ENTRY_END = re.compile(r"\s*[:–—-]\s")


def _heading_date(sentence: Sentence, published: date, language: str, cues: Cues) -> Any:
    """The date a chronology entry starts with ("27 September: perang pecah", "Oct. 4 — ..."),
    or None. Such lines may be flagged as page furniture; their date still heads the entry."""
    lead = _ENTRY.match(sentence.text)
    offset = lead.end() if lead else 0
    for cue in _usable_date_cues(sentence.text, published, language, cues):
        at_start = cue.start <= offset + 1
        if cue.how is DateHow.EXPLICIT and at_start and _ENTRY_END.match(sentence.text, cue.end):
            return cue
    return None


def _sentence_days(sentences: Sequence[Sentence], article: Article, cues: Cues) -> list[_Day | None]:
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
    own: list[_Day | None] = []
    section: date | None = None
    section_cue = ""
    sections: list[tuple[date, str] | None] = []
    for index, sentence in enumerate(sentences):
        usable = [] if sentence.boilerplate else _usable_date_cues(
            sentence.text, published, article.language, cues
        )
        heading = _heading_date(sentence, published, article.language, cues)
        if heading is not None:
            section, section_cue = heading.date, heading.cue
        elif not sentence.boilerplate and _is_heading(sentences, index):
            explicit = [c for c in usable if c.how is DateHow.EXPLICIT]
            section, section_cue = (explicit[0].date, explicit[0].cue) if explicit else (None, "")
        sections.append((section, section_cue) if section is not None else None)
        if usable and section is not None:
            # a weekday under a dated heading names a day of that heading's week
            local = {c.start: c for c in _usable_date_cues(sentence.text, section, article.language, cues)}
            usable = [local.get(c.start, c) if c.how is DateHow.RELATIVE else c for c in usable]
        if not usable:
            own.append(None)
            continue
        best = min(usable, key=lambda c: (c.approximate, _statement_date(sentence.text, c, cues), c.start))
        confidence = _DATE_CONFIDENCE[best.how] * (0.8 if best.approximate else 1.0)
        quoted_today = best.date == published and best.how is DateHow.RELATIVE and _in_quote(
            sentence.text, best.start
        )
        weak = best.approximate or _statement_date(sentence.text, best, cues)
        own.append(_Day(best.date, best.how, best.cue, confidence, carried=quoted_today, weak=weak))
    days: list[_Day | None] = []
    named: list[tuple[date, str]] = []  # days named so far in the body, with their words
    for i, sentence in enumerate(sentences):
        if sentence.boilerplate:
            days.append(None)
            continue
        day = own[i]
        if day is not None and day.carried:  # "hari ini" in a quote: the speech's day if known
            day = _carried(days, sentences, i) or _Day(day.date, day.how, day.cue, day.confidence)
        anchor = sections[i] or _last_named_day(own, sentences, i, cues) or (named[0] if named else None)
        if day is None and anchor is not None and cues.same_day.search(sentence.text):
            word = cues.same_day.search(sentence.text).group(0)  # type: ignore[union-attr]
            day = _Day(anchor[0], DateHow.RELATIVE, f"{word} → {anchor[1]}", 0.75)
        if day is None:
            shift = 1 if cues.next_day.search(sentence.text) else 0
            shift = -1 if not shift and cues.previous_day.search(sentence.text) else shift
            base = _previous_day(days, sentences, i) if shift else None
            if base is not None and base.date + timedelta(days=shift) <= published:
                marker = (cues.next_day if shift > 0 else cues.previous_day).search(sentence.text)
                word = marker.group(0) if marker else ""
                day = _Day(base.date + timedelta(days=shift), DateHow.RELATIVE, f"{word} → {base.cue}", 0.7)
        if day is None and sections[i] is not None:
            day = _Day(sections[i][0], DateHow.EXPLICIT, sections[i][1], 0.8, carried=True)  # type: ignore[index]
        if day is None:
            day = _carried(days, sentences, i)
        if day is None and cues.anterior.search(sentence.text):
            earlier = [d for d in named if d[0] < published]
            if earlier:
                word = cues.anterior.search(sentence.text).group(0)  # type: ignore[union-attr]
                latest = max(earlier, key=lambda d: d[0])
                day = _Day(latest[0], DateHow.RELATIVE, f"{word} → {latest[1]}", 0.6)
        if day is None:
            following = _next_body(sentences, i)
            nxt = own[following] if following is not None else None
            if nxt is not None and not nxt.carried and following is not None and (
                sentences[following].paragraph == sentence.paragraph
                or cues.event_anaphora.match(sentences[following].text.lstrip())
            ):
                day = _Day(nxt.date, nxt.how, nxt.cue, nxt.confidence * 0.8, carried=True, weak=nxt.weak)
        if own[i] is not None:
            named.extend(
                (c.date, c.cue) for c in _usable_date_cues(sentence.text, published, article.language, cues)
            )
        days.append(day)
    return days


def _last_named_day(
    own: Sequence[_Day | None], sentences: Sequence[Sentence], index: int, cues: Cues
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


def _compared(text: str, day: _Day, cues: Cues) -> bool:
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


def _statement_date(text: str, cue: Any, cues: Cues) -> bool:
    """Whether a date cue dates a statement rather than an event: it follows a reporting verb
    or a statement noun within four words ("said on Thursday", "dalam pernyataan yang dirilis
    ..., Senin (2/11)") with no event word in between."""
    window = text[max(0, cue.start - 80) : cue.start]
    words = _LAST_FOUR.search(window)
    if words is None:
        return False
    tail = words.group(0)
    return bool(_STATEMENT.search(tail)) and not cues.event_cues(tail)


def _previous_day(days: Sequence[_Day | None], sentences: Sequence[Sentence], index: int) -> _Day | None:
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


def _carried(days: Sequence[_Day | None], sentences: Sequence[Sentence], index: int) -> _Day | None:
    seen = 0
    j = index - 1
    while j >= 0 and seen < _CARRY_BACK:
        if sentences[j].boilerplate:
            j -= 1
            continue
        seen += 1
        d = days[j]
        if d is not None and not d.carried:  # a cue carries over once, never along a chain
            return _Day(d.date, d.how, d.cue, d.confidence * 0.85, carried=True)
        j -= 1
    return None


def _dated_without_publication(text: str) -> _Day | None:
    """The first calendar day with a year that ``text`` names ("27 September 2020"), or None."""
    from mapapp.pipeline.dates import find_date_cues

    for cue in find_date_cues(text, published=None):
        if not cue.future and not cue.since:
            return _Day(cue.date, cue.how, cue.cue, _DATE_CONFIDENCE[cue.how])
    return None


def _historical(sentence: Sentence, published: date | None, cues: Cues | None = None) -> bool:
    """A sentence about the past, with no day of this war: it names a year before publication's
    ("pada 1993", "in the early 1990s") or a month two or more before its month ("In July, ...")."""
    if published is None:
        return False
    if any(int(m.group(1)) < published.year for m in _YEAR.finditer(sentence.text)):
        return True
    if cues is None:
        return False
    current = published.year * 12 + published.month
    for word in _WORDS.findall(sentence.text):
        month = cues.months.get(word.lower())
        if month is None or (word.lower() == "may" and word != "May"):
            continue  # not a month, or the English verb "may"
        named = published.year * 12 + month
        if named > current:
            named -= 12  # "in December" in a January article: last year's
        if current - named >= 2:
            return True
    return False


def _mention_day(
    sentence: Sentence,
    position: int,
    index: int,
    days: Sequence[_Day | None],
    article: Article,
    cues: Cues,
) -> _Day | None:
    """The day of the event at ``position``: the sentence's cue nearest to the place when it
    names several ("Rabu (30/9) di A dan Kamis (1/10) di B"), else the sentence's day, else
    None (undated: the publication date unless the place was dated earlier in the article)."""
    if article.published is None:
        return None
    usable = _usable_date_cues(sentence.text, article.published, article.language, cues)
    if len(usable) > 1:
        # the day of the telling yields to the day of the event ("said on Tuesday that ... overnight")
        usable = [c for c in usable if not _statement_date(sentence.text, c, cues)] or usable
    if len(usable) > 1:
        # a cue in the place's own clause first ("Zangilan pada 20 Oktober, lalu Qubadli pada 25 Oktober")
        breaks = [0, *(m.end() for m in _CLAUSE.finditer(sentence.text)), len(sentence.text)]
        lo = max(b for b in breaks if b <= position)
        hi = min((b for b in breaks if b > position), default=len(sentence.text))
        inside = [c for c in usable if lo <= c.start and c.end <= hi]
        if inside:
            usable = inside

        def distance(c: Any) -> tuple[int, int]:
            gap = position - c.end if c.end <= position else c.start - position
            return (gap + (0 if c.end <= position else 15), c.start)

        best = min(usable, key=distance)
        return _Day(best.date, best.how, best.cue, _DATE_CONFIDENCE[best.how])
    return days[index] if index < len(days) else None


def _excerpts(sentences: Sequence[Sentence], index: int, claim: Claim) -> list[Excerpt]:
    """The sentence stating the event, preceded by the sentence naming its speaker if elsewhere."""
    sentence = sentences[index]
    excerpts = []
    root = claim.cue.split(" → ")[-1]
    if not claim.is_narration and root and root not in sentence.text:
        j = index - 1
        while j >= 0 and index - j <= 3:
            if not sentences[j].boilerplate and root in sentences[j].text:
                excerpts.append(Excerpt(sentences[j].text, sentences[j].start, sentences[j].end))
                break
            j -= 1
    excerpts.append(Excerpt(sentence.text, sentence.start, sentence.end))
    return excerpts


def _apply_denials(
    merged: Mapping[tuple[str, date, Side], _Entry],
    attribution: Attribution,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    places: Mapping[int, Any],
) -> None:
    """A denial by another side disputes the claims it names: the events at the places the
    denial sentence names after its verb and before the next reporting verb ("denied firing at
    the city, and said Azerbaijan was shelling Stepanakert" names no place of its own), else
    those of its own and the two previous sentences."""
    for index in range(len(sentences)):
        verbs = sorted(f.verb_start for f in attribution.frames[index])
        for position, side in attribution.denials(index):
            scope_end = next((v for v in verbs if v > position), len(sentences[index].text))
            named = {
                places[i].id for i, m in enumerate(mentions)
                if m.sentence_index == index and places.get(i) is not None
                and position < m.start - sentences[index].start < scope_end
            }
            for key, entry in merged.items():
                if key[2] == side:
                    continue
                if named:
                    if key[0] in named and min(entry.sentences) <= index:
                        entry.disputed.add(side)
                    continue
                hit = entry.claim.mention
                same = index in entry.sentences and hit.start - sentences[index].start < position
                before = any(0 < index - s <= 2 for s in entry.sentences)
                if same or before:
                    entry.disputed.add(side)


def _event(article: Article, entry: _Entry, sentences: Sequence[Sentence], cues: Cues) -> Event:
    from mapapp.pipeline.events import event_kinds

    place = entry.claim.place
    day = entry.day
    claim = entry.claim.claim
    excerpts = sorted(entry.excerpts, key=lambda e: e.start)
    side_order = list(Side)
    return Event(
        id=event_id(article.source, place.id, day.date, claim.side),
        source=article.source,
        place=entry.claim.shown,
        place_resolved=place.name,
        gazetteer_id=place.id,
        lat=float(place.lat),
        lon=float(place.lon),
        date=day.date,
        side=claim.side,
        excerpts=tuple(excerpts),
        outlet=article.outlet,
        title=article.title,
        published=article.published,
        language=article.language,
        country=getattr(place, "country", ""),
        precision=Precision.TOWN,
        date_how=day.how,
        date_cue=day.cue,
        side_cue=claim.cue,
        confidence=round(min(1.0, max(0.0, entry.confidence)), 3),
        disputed_by=tuple(sorted(entry.disputed, key=side_order.index)),
        # what happened: the event words of the sentences that name the place (not of a
        # speaker's sentence the excerpt adds for context)
        kinds=event_kinds((sentences[i].text for i in sorted(entry.sentences)), cues),
    )
