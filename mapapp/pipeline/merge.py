"""Claims into events: merging per (place, day, side), denials as ``disputed_by``, the Event value.

One event is one place + one day + one reporting side of one article. Each event mention comes
here as a :class:`PendingClaim` with its day and side already decided (:mod:`.days`,
:mod:`.attribution`); :func:`merge_claims` joins the claims that land on the same key, their
excerpts accumulating in text order, :func:`apply_denials` marks the events another side denies,
and :func:`make_event` builds the stored :class:`~mapapp.model.Event`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from mapapp.model import Article, DateHow, Event, Excerpt, Mention, Precision, Sentence, Side, event_id

if TYPE_CHECKING:
    from mapapp.pipeline.attribution import Attribution, Claim
    from mapapp.pipeline.cues import Cues
    from mapapp.pipeline.days import Day

__all__ = ["Entry", "PendingClaim", "apply_denials", "make_event", "merge_claims"]

# How much each part of an event's evidence counts in its confidence.
_CONFIDENCE_WEIGHTS = {"cue": 0.3, "side": 0.25, "date": 0.2, "place": 0.25}


@dataclass(slots=True)
class PendingClaim:
    """One event mention with its place, side and day, before merging (``key``: the event it joined)."""

    mention: Mention
    place: Any
    resolution: Any
    shown: str
    verdict: Any
    day: Day | None
    own_cue: bool
    claim: Claim
    key: tuple[str, date, Side] | None = None  # the event it merged into


@dataclass(slots=True)
class Entry:
    """An event being assembled from the claims that share its (place, day, side)."""

    claim: PendingClaim
    day: Day
    excerpts: dict[Excerpt, None]  # an ordered set: each excerpt once, in the order claims added it
    confidence: float
    sentences: set[int]
    disputed: set[Side]


def merge_claims(
    claims: Sequence[PendingClaim], sentences: Sequence[Sentence], published: date | None
) -> dict[tuple[str, date, Side], Entry]:
    """Merge claims into events keyed by (place id, day, side), in text order.

    An undated (or only statement-dated) claim takes the day the article gives the same place
    for the same side, else the nearest earlier day of that place; narration without a day
    of its own that restates an event already reported joins that report.
    """
    from mapapp.pipeline.days import DATE_CONFIDENCE, Day

    merged: dict[tuple[str, date, Side], Entry] = {}
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
                day = Day(source.date, source.how, source.cue, source.confidence * 0.8, carried=True)
                item.day = day
        if day is None:
            if published is None:
                continue
            day = item.day = Day(published, DateHow.PUBLICATION, "", DATE_CONFIDENCE[DateHow.PUBLICATION])
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
        item.key = key
        entry = merged.get(key)
        if entry is None:
            merged[key] = Entry(item, day, dict.fromkeys(excerpts), confidence, {index}, set())
            continue
        entry.excerpts.update(dict.fromkeys(excerpts))
        entry.confidence = max(entry.confidence, confidence) + 0.05 * (1 - entry.confidence)
        entry.sentences.add(index)
    return merged


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


def apply_denials(
    merged: Mapping[tuple[str, date, Side], Entry],
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


def make_event(article: Article, entry: Entry, sentences: Sequence[Sentence], cues: Cues) -> Event:
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
