"""The extraction pipeline composed: a news page in, dated, attributed, geocoded events out.

Stages (each a pure function in its module; the gazetteer and the dates are passed in), in
the order :func:`extract_document` runs them:

1. read (:mod:`.read`): the file's text, any encoding, HTML reduced to text;
2. anatomy (:mod:`.anatomy`): headline, publication date, outlet, dateline, sentences, boilerplate;
3. mentions (:mod:`.mentions`): every gazetteer name of the text;
4. places: each name geocoded once, with the article's other names as context;
5. events (:mod:`.events`): something happened there? also "kota itu"/"the town";
6. dates (:mod:`.dates`, :mod:`.days`, :mod:`.period`): the day each event mention means, and
   whether it lies outside the period the article reports;
7. sides (:mod:`.attribution`): whose claim each event mention is;
8. merged events (:mod:`.merge`): one per (place, day, side), denials kept as ``disputed_by``;
   and a verdict for every mention (:mod:`.verdicts`): the event it joined, or why none.

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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapapp.errors import ArticleError
from mapapp.model import (
    Article,
    DateHow,
    Event,
    Mention,
    Sentence,
    Side,
)
from mapapp.pipeline.merge import Entry, PendingClaim, apply_denials, make_event, merge_claims
from mapapp.pipeline.period import BACKGROUND_DAYS
from mapapp.pipeline.read import DEFAULT_MAX_BYTES, RawDocument
from mapapp.pipeline.verdicts import MentionVerdict, Outcome, furniture_note, off_map_note

if TYPE_CHECKING:
    from mapapp.manifest import ManifestRow
    from mapapp.pipeline.anatomy import Page
    from mapapp.pipeline.attribution import Attribution
    from mapapp.pipeline.cues import Cues
    from mapapp.pipeline.days import Day
    from mapapp.pipeline.events import Verdict
    from mapapp.pipeline.mentions import GazetteerLike
    from mapapp.pipeline.period import Period

__all__ = [
    "BACKGROUND_DAYS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "Extraction",
    "extract_document",
    "extract_file",
]

DEFAULT_MAX_CHARS = 300_000
"""Longest article text extracted, in characters after HTML is reduced to text. A news
article is a few thousand; some stages (sentence splitting, mention rules, merging claims)
slow down more than linearly on megabytes of one paragraph, so longer texts are refused
with a reason instead of running for minutes."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one article yields: the article as read, its events, every place mention, what became
    of each mention and notes for the user (every mention that is no event is named in them)."""

    article: Article
    events: tuple[Event, ...]
    mentions: tuple[Mention, ...]
    notes: tuple[str, ...]
    verdicts: tuple[MentionVerdict, ...] = ()  # one per mention, in order (see :mod:`.verdicts`)


# A judged mention: its verdict, its place (None when unresolved) and the name to show.
_Judged = tuple["Verdict", Any, str]


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
    from mapapp.pipeline.cues import load_cues
    from mapapp.pipeline.mentions import finder_for

    cues = load_cues()
    page = parse_page(doc, published=published, manifest=manifest_row)
    finder = finder_for(gazetteer)
    mentions = finder.find(page.article.text, page.sentences)
    resolutions, places = _geocode(mentions, page.sentences, gazetteer)
    attribution = _speakers(page, cues)
    judged = _judge(page, mentions, places, attribution, finder.region, cues)
    story = _story_page(page)  # days count from the dateline's own date, when it has one
    claims, period, left_out, notes = _dated_claims(judged, story, resolutions, attribution, cues)
    merged = merge_claims(claims, page.sentences, story.article.published)
    apply_denials(merged, attribution, page.sentences, mentions, places)
    events, ids, background = _events(merged, claims, period, page, cues)
    verdicts = _verdicts(mentions, judged, claims, left_out, ids, page, finder.region)
    notes = [*page.notes, *notes, *background, *_skipped(judged), *furniture_note(verdicts)]
    notes.extend(off_map_note(verdicts))
    return Extraction(page.article, tuple(events), mentions, tuple(notes), verdicts)


def _geocode(
    mentions: Sequence[Mention], sentences: Sequence[Sentence], gazetteer: GazetteerLike
) -> tuple[dict[str, Any], dict[int, Any]]:
    """Every name resolved once, with the body's other names as context; a district named
    for its seat ("Dashkasan district") at its seat town. Returns the resolutions by name and
    each mention's place (None when the gazetteer has none) by its index."""
    body_names = _unique(m.surface for m in mentions if not sentences[m.sentence_index].boilerplate)
    resolutions: dict[str, Any] = {}
    for name in _unique(m.surface for m in mentions):
        context = [n for n in body_names if n != name]
        resolutions[name] = _district_seat(name, gazetteer.resolve(name, context), gazetteer, context)
    places = {
        i: (resolutions[m.surface].place if resolutions[m.surface] is not None else None)
        for i, m in enumerate(mentions)
    }
    return resolutions, places


def _speakers(page: Page, cues: Cues) -> Attribution:
    """The speech frames of every sentence, sides resolved across sentences (the sides stage's
    first half: the judging of mentions needs to know who speaks where)."""
    from mapapp.pipeline.attribution import attribute_article

    sentences = page.sentences
    return attribute_article(
        [s.text for s in sentences],
        paragraphs=[s.paragraph for s in sentences],
        boilerplate=[s.boilerplate for s in sentences],
        cues=cues,
        outlet=page.article.outlet,
    )


def _judge(
    page: Page,
    mentions: Sequence[Mention],
    places: Mapping[int, Any],
    attribution: Attribution,
    region: frozenset[str],
    cues: Cues,
) -> list[_Judged]:
    """A verdict for every mention and for every "kota itu"/"the town" that points back to one,
    in text order."""
    from mapapp.pipeline.events import judge_mentions

    text, sentences = page.article.text, page.sentences
    verdicts = judge_mentions(
        text, sentences, mentions, places, dateline=page.dateline, attribution=attribution,
        region=region, cues=cues,
    )
    # "kota itu"/"the town": the last town named before that is not a speaker, metonym, venue...
    antecedents = [
        (m, places[i]) for i, (m, v) in enumerate(zip(mentions, verdicts, strict=True))
        if places.get(i) is not None and (v.is_event or v.reason.startswith("no event cue"))
    ]
    references, reference_places, shown = _place_references(sentences, antecedents, region, cues)
    reference_verdicts = judge_mentions(
        text, sentences, references, reference_places, dateline=page.dateline, attribution=attribution,
        region=region, cues=cues,
    )
    return sorted(
        [(v, places.get(i), v.mention.surface) for i, v in enumerate(verdicts)]
        + [(v, reference_places[i], shown[i]) for i, v in enumerate(reference_verdicts)],
        key=lambda item: item[0].mention.start,
    )


def _story_page(page: Page) -> Page:
    """The page with the day its relative words count from as its publication date: the
    dateline's own date ("MOSCOW, November 15. /TASS/." on a page dated the 16th, see
    :func:`~mapapp.pipeline.days.story_day`), else the page unchanged."""
    import dataclasses

    from mapapp.pipeline.period import story_day

    published = page.article.published
    day = story_day(page.sentences, published) if published is not None else None
    if day is None:
        return page
    return dataclasses.replace(page, article=dataclasses.replace(page.article, published=day))


def _dated_claims(
    judged: Sequence[_Judged],
    page: Page,
    resolutions: Mapping[str, Any],
    attribution: Attribution,
    cues: Cues,
) -> tuple[list[PendingClaim], Period | None, dict[Mention, tuple[Outcome, str]], list[str]]:
    """One claim per event mention, its day and side decided before anything is merged; the
    period the article reports (None without a publication date); the event mentions left out
    for their day (no date at all, an earlier war's background, a day after publication) with
    the reason, and the notes naming them.

    A text whose events lie long before its publication (a chronology, an anniversary piece)
    is read again with its calendar dates that name no year put in the year its full dates
    name (:func:`~mapapp.pipeline.days.retrospective_year`): "17 October:" in a page of 2022
    about the 2020 war is 17 October 2020."""
    from mapapp.pipeline import days as timeline
    from mapapp.pipeline import period as period_of

    article, sentences = page.article, page.sentences
    left_out: dict[Mention, tuple[Outcome, str]] = {}
    notes = []
    if article.published is None:
        # no publication date anywhere: only days the sentence names with their year
        claims = []
        undated = []
        for verdict, place, shown in _event_mentions(judged):
            day = timeline.dated_without_publication(sentences[verdict.mention.sentence_index].text)
            if day is None:
                undated.append(verdict.mention.surface)
                left_out[verdict.mention] = (Outcome.UNDATED, "no publication date, no dated day of its own")
                continue
            claims.append(_claim(verdict, place, shown, day, True, page, resolutions, attribution))
        if undated:
            names = ", ".join(_unique(undated))
            notes.append(f"no publication date: left out events with no dated day of their own: {names}")
        return claims, None, left_out, notes
    claims = _claims_in_year(judged, page, resolutions, attribution, cues, None)
    year = period_of.retrospective_year(sentences, article.published, _text_days(claims))
    if year is not None:
        claims = _claims_in_year(judged, page, resolutions, attribution, cues, year)
    period = period_of.reported_period([d.date for d in _text_days(claims)], article.published)
    # a sentence with no day of its own that names an earlier war or era, or a day to come
    kept: list[PendingClaim] = []
    historical: list[str] = []
    scheduled: list[str] = []
    for claim in claims:
        mention = claim.mention
        sentence = sentences[mention.sentence_index]
        if not claim.own_cue and period_of.historical(sentence, period, cues):
            historical.append(mention.surface)
            left_out[mention] = (Outcome.BACKGROUND, "a past war's background")
        elif not claim.own_cue and timeline.scheduled(
            sentence.text, article.published, article.language, year=year
        ):
            scheduled.append(mention.surface)  # "handover of Kalbajar by 15 November"
            left_out[mention] = (Outcome.SCHEDULED, "a day after publication: scheduled")
        else:
            kept.append(claim)
    if historical:
        notes.append("not made events (a past war's background): " + ", ".join(_unique(historical)))
    if scheduled:
        notes.append("not made events (a day after publication: scheduled): " + ", ".join(_unique(scheduled)))
    return kept, period, left_out, notes


def _text_days(claims: Sequence[PendingClaim]) -> list[Day]:
    """The days the text's own words give its event mentions (not the publication day)."""
    return [c.day for c in claims if c.day is not None and c.day.how is not DateHow.PUBLICATION]


def _event_mentions(judged: Sequence[_Judged]) -> list[_Judged]:
    return [item for item in judged if item[0].is_event]


def _claims_in_year(
    judged: Sequence[_Judged],
    page: Page,
    resolutions: Mapping[str, Any],
    attribution: Attribution,
    cues: Cues,
    year: int | None,
) -> list[PendingClaim]:
    """A claim per event mention, dated with the sentence days of the article (year-less
    calendar dates in ``year`` when given)."""
    from mapapp.pipeline import days as timeline

    article, sentences = page.article, page.sentences
    assert article.published is not None
    days = timeline.sentence_days(sentences, article, cues, year=year)
    claims = []
    for verdict, place, shown in _event_mentions(judged):
        mention = verdict.mention
        sentence = sentences[mention.sentence_index]
        position = mention.start - sentence.start
        day = timeline.mention_day(
            sentence, position, mention.sentence_index, days, article, cues, year=year, sentences=sentences
        )
        own = timeline.usable_date_cues(sentence.text, article.published, article.language, cues, year=year)
        own_cue = bool(own) or (day is not None and day.recalled)  # a recalled day is the sentence's own
        claims.append(_claim(verdict, place, shown, day, own_cue, page, resolutions, attribution))
    return claims


def _claim(
    verdict: Verdict,
    place: Any,
    shown: str,
    day: Day | None,
    own_cue: bool,
    page: Page,
    resolutions: Mapping[str, Any],
    attribution: Attribution,
) -> PendingClaim:
    mention = verdict.mention
    position = mention.start - page.sentences[mention.sentence_index].start
    return PendingClaim(
        mention, place, resolutions.get(mention.surface), shown, verdict, day, own_cue,
        attribution.claim_at(mention.sentence_index, position),
    )


def _events(
    merged: Mapping[tuple[str, date, Side], Entry],
    claims: Sequence[PendingClaim],
    period: Period | None,
    page: Page,
    cues: Cues,
) -> tuple[list[Event], dict[tuple[str, date, Side], str], list[str]]:
    """The merged entries as events in text order, except those the period the article reports
    leaves out, named in notes: a day over :data:`BACKGROUND_DAYS` before it (an earlier war's
    background) and, in a text about a period long before its publication (a chronology, an
    anniversary piece), an event dated only by the publication day. Also the id of the event
    each key became (left-out keys have none)."""
    article = page.article
    background: dict[int, str] = {}
    if period is not None:
        for entry in merged.values():
            if entry.day.how is not DateHow.PUBLICATION and period.before(entry.day.date):
                background[id(entry)] = "background"
            elif entry.day.how is DateHow.PUBLICATION and period.after(entry.day.date):
                background[id(entry)] = "undated"
    notes = []
    span = f"{period.start.isoformat()} to {period.end.isoformat()}" if period is not None else ""
    for kind, label in (
        ("background", f"over {BACKGROUND_DAYS} days before the period the article reports, {span}: "
         "background"),
        ("undated", f"no day of their own in a text about {span}, long before its publication"),
    ):
        # every claim merged into a left-out event is named, not only the first
        names = ", ".join(_unique(
            f"{c.shown} ({c.key[1].isoformat()})" for c in claims
            if c.key is not None and background.get(id(merged[c.key])) == kind
        ))
        if names:
            notes.append(f"not made events ({label}): {names}")
    ids: dict[tuple[str, date, Side], str] = {}
    events = []
    for key, entry in merged.items():
        if id(entry) not in background:
            events.append(make_event(article, entry, page.sentences, cues))
            ids[key] = events[-1].id
    events.sort(key=lambda e: (e.excerpts[0].start, e.place))
    return events, ids, notes


def _verdicts(
    mentions: Sequence[Mention],
    judged: Sequence[_Judged],
    claims: Sequence[PendingClaim],
    left_out: Mapping[Mention, tuple[Outcome, str]],
    ids: Mapping[tuple[str, date, Side], str],
    page: Page,
    region: frozenset[str],
) -> tuple[MentionVerdict, ...]:
    """One verdict per place mention (not per "the town" reference), in text order."""
    merged_into = {c.mention: c.key for c in claims}
    judged_by = {v.mention: (v, place) for v, place, _ in judged}
    verdicts = []
    for mention in mentions:
        verdict, place = judged_by[mention]
        name = getattr(place, "name", "") if place is not None else ""
        if verdict.is_event and mention in left_out:
            outcome, reason = left_out[mention]
        elif verdict.is_event:
            key = merged_into.get(mention)
            event_id = ids.get(key) if key is not None else None
            if event_id is not None:
                verdicts.append(MentionVerdict(mention, Outcome.EVENT, verdict.reason, name, event_id))
                continue
            day = key[1].isoformat() if key is not None else "no day"
            outcome, reason = Outcome.BACKGROUND, f"outside the period the article reports ({day})"
        elif place is None:
            outcome, reason = Outcome.NOT_AN_EVENT, verdict.reason
        elif not getattr(place, "is_settlement", False) or getattr(place, "country", "") not in region:
            outcome, reason = Outcome.OFF_MAP, verdict.reason
        elif verdict.reason == "boilerplate":
            outcome, reason = Outcome.FURNITURE, page.reasons[mention.sentence_index] or "boilerplate"
        else:
            outcome, reason = Outcome.NOT_AN_EVENT, verdict.reason
        verdicts.append(MentionVerdict(mention, outcome, reason, name))
    return tuple(verdicts)


def _skipped(judged: Sequence[_Judged]) -> list[str]:
    """The note naming the towns of the region judged not to be event places, with the reason."""
    skipped = [
        f"{v.mention.surface} ({v.reason})"
        for v, place, _ in judged
        if not v.is_event and (place is None or getattr(place, "is_settlement", False))
        and v.reason != "boilerplate" and not v.reason.startswith("outside")
    ]
    return ["not made events: " + "; ".join(_unique(skipped))] if skipped else []


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


_NAMED_NEXT = re.compile(r"\s*,?\s+(?:of\s+|bernama\s+)?[A-ZÀ-ÖØ-Þ]")
