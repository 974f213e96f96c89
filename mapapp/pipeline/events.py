"""Event or not: decide for each place mention whether something happened there, and say why.

A mention is an event place when an event cue (shelling, strike, drone, capture,
casualties, evacuation, damage, fighting, handover: ``cues/events.toml``) stands close to
it in its sentence and nothing makes it something else. In order, a mention is *not* an
event when it is

1. in a boilerplate sentence ("Baca juga: ...", related headlines), or the dateline;
2. a country or region (the map is town-level) or a town outside the conflict region;
3. a metonym: a place as the subject of a speech or diplomacy verb ("Baku menyatakan",
   "Moscow offered"), the source of a version ("menurut Baku"), a passive agent ("tuduhan
   yang ditolak Baku") or an accused government ("accused Yerevan of ...");
4. a venue, reference point, destination, launch site or care site ("talks in Moscow",
   "20 km dari X", "the border with X", "fled to Goris", "missiles fired from X", "dibawa ke
   rumah sakit di X": ``cues/nonevents.toml``);
5. inside a speaker's phrase ("Kementerian Pertahanan di Baku mengatakan"), except a
   resident's home town or a witness's location ("Wartawan AFP di Stepanakert mendengar");
6. named in a denial ("Armenia membantah menyerang Ganja": the claim it denies carries it);
7. a district named right after a town to locate it ("desa Talish, distrik Tartar");
8. without an event cue within :data:`WINDOW_WORDS` words; a cue governed by a future,
   hypothetical, obligation or negation word ("akan", "threatened to", "wajib", "tidak") or
   by a reaction ("mengecam serangan", "celebrated the capture") does not count;
9. a national capital without an attack word bound to it ("the shelling of X", "X was hit"):
   capitals are speakers' seats, venues and rallies far more often than targets.

A resident's home town ("seorang penduduk Stepanakert") is an event place only when the
sentence names an attack, casualties or damage and no other event place: the resident is
describing strikes where they live. Places listed together ("Jabrayil, Fuzuli dan Hadrut")
share the verdict of their list.

    >>> from gazetteer import load_gazetteer
    >>> from mapapp.pipeline.mentions import find_mentions
    >>> gz, text = load_gazetteer(), "Tiga warga tewas dalam serangan udara di kota Martakert."
    >>> sentences = [Sentence(text, 0, len(text))]
    >>> mentions = find_mentions(text, sentences, gz)
    >>> places = {i: gz.resolve(m.surface).place for i, m in enumerate(mentions)}
    >>> [(v.mention.surface, v.is_event, v.reason) for v in judge_mentions(text, sentences, mentions, places)]
    [('Martakert', True, "event: attack 'serangan'")]
    >>> event_kinds([text])
    (<EventKind.ATTACK: 'attack'>, <EventKind.CASUALTIES: 'casualties'>)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mapapp.model import EventKind, Mention, Sentence
from mapapp.pipeline.attribution import Attribution
from mapapp.pipeline.cues import CueMatch, Cues, load_cues
from mapapp.pipeline.mentions import DEFAULT_REGION
from mapapp.pipeline.scan import last_words

__all__ = ["WINDOW_WORDS", "Verdict", "event_kinds", "judge_mentions"]

WINDOW_WORDS = 10
"""How many words may separate a place from the event cue that makes it an event place."""



_WORD = re.compile(r"\w+")
# What makes a quoted resident's home town an event place: something hit it, not sheltering.
_HOME_KINDS = frozenset({"attack", "casualties", "damage", "capture", "fighting"})
_CLAUSE_BREAK = re.compile(r"[;]|\s[–—]\s|\bsementara itu\b|\bmeanwhile\b", re.IGNORECASE)
# A dateline the page-anatomy stage may have missed: "BAKU (Reuters) -", "MOSKWA, KOMPAS.com -".
_DATELINE = re.compile(r"^\W*[A-Z][\w'’. -]{1,40}?(?:,[^\n–—-]{0,40})?(?:\s*\([^)\n]{1,40}\))?\s*[-–—]+\s")


def event_kinds(texts: Iterable[str], cues: Cues | None = None) -> tuple[EventKind, ...]:
    """What happened, as the event words of ``texts`` (an event's excerpts) say, in
    :class:`~mapapp.model.EventKind` order.

    >>> event_kinds(["Rudal menghantam Ganja, menewaskan dua warga."])
    (<EventKind.ATTACK: 'attack'>, <EventKind.CASUALTIES: 'casualties'>)
    """
    cues = cues or load_cues()
    found = {cue.kind for text in texts for cue in cues.event_cues(text)}
    return tuple(kind for kind in EventKind if kind.value in found)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a mention is an event place, the reason, and the cue that decided it.

    ``strength`` (0..1) grows with the cue's weight and its closeness to the place;
    ``home`` marks a resident's home town.
    """

    mention: Mention
    is_event: bool
    reason: str
    cue: str = ""
    cue_kind: str = ""
    strength: float = 0.0
    home: bool = False


def _words_between(text: str, a: int, b: int) -> int:
    if a > b:
        a, b = b, a
    return len(_WORD.findall(text[a:b]))


_LOCATIVE = re.compile(
    r"(?i)(?<![\w-])(?:di|in|at|berada di|tiba di)\s+(?:(?:the |kota |desa )?(?:town|city|village) of\s+)?$"
)
_SCENE = re.compile(r"(?i)(?:di|at|on)\s")  # "at the scene", "di lokasi": the witness's place itself
_QUALIFIER_GAP = re.compile(
    r"(?i)\s*(?:,\s*|\s+)(?:(?:di|in|of)\s+)?(?:(?:the\s+)?(?:distrik|district|kabupaten|provinsi|province|"
    r"rayon|region|wilayah|marz)\s+(?:of\s+)?)?"
)
_DIVISION_WORDS = re.compile(r"(?i)\b(?:distrik|district|kabupaten|provinsi|province|rayon|region|marz)\b")
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:(?:dan|and|serta|or|atau)\s+)?|\s(?:dan|and|serta|or|atau)\s+)\s*")


def _usable_cues(sentence: str, cues: Cues) -> list[CueMatch]:
    """Event cues of a sentence that state something that happened: not "akan menyerang",
    "Siapa pun yang menguasai ...", nor the object of a reaction ("mengecam serangan")."""
    usable = []
    for cue in cues.event_cues(sentence):
        before = sentence[max(0, cue.start - 60) : cue.start]
        window = last_words(before)  # the last five words: what (?:[\w'’-]+\W+){0,5}$ finds
        if cues.hypothetical is not None and cues.hypothetical.search(window):
            continue
        if cues.reaction is not None and cues.reaction.search(before):
            continue
        planned = cues.non_event_after.get("scheduled")
        if planned is not None and planned.match(sentence, cue.end, cue.end + 50):
            continue  # "Penyerahan Kalbajar semula dijadwalkan pada Minggu": a plan, not a happening
        usable.append(cue)
    return usable


_BOUND_BEFORE = re.compile(
    r"(?i)^\s*(?:(?:of|on|in|at|against|di|ke|terhadap|atas|the|kota|city|capital|ibu)\s+){0,3}$"
)
_BOUND_AFTER = re.compile(
    r"(?i)^\s*(?:(?:was|were|is|are|has|have|had|been|being|telah|sudah|kembali|again|itself|sendiri|juga)\s+){0,3}$"
)


def _attached(sentence: str, start: int, end: int, found: Sequence[CueMatch]) -> bool:
    """Whether an attack, casualty, damage, capture or fighting word is bound to the name:
    "serangan terhadap X", "the shelling of X", "X was hit", "X kembali digempur"."""
    for cue in found:
        if cue.kind not in _HOME_KINDS:
            continue
        if cue.end <= start and _BOUND_BEFORE.match(sentence[cue.end : start]):
            return True
        if cue.start >= end and _BOUND_AFTER.match(sentence[end : cue.start]):
            return True
    return False


def _nearest_cue(
    sentence: str, position: int, end: int, found: Sequence[CueMatch]
) -> tuple[CueMatch, int] | None:
    best: tuple[CueMatch, int] | None = None
    for cue in found:
        lo, hi = (cue.end, position) if cue.end <= position else (end, cue.start)
        if cue.start < end and cue.end > position:
            continue  # the cue is the name itself
        if _CLAUSE_BREAK.search(sentence, lo, hi) if lo < hi else False:
            continue
        distance = _words_between(sentence, lo, hi)
        if best is None or distance < best[1]:
            best = (cue, distance)
    return best


def judge_mentions(
    text: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    places: Mapping[int, Any],
    *,
    dateline: tuple[int, int] | None = None,
    attribution: Attribution | None = None,
    region: frozenset[str] = DEFAULT_REGION,
    cues: Cues | None = None,
) -> list[Verdict]:
    """A :class:`Verdict` for every mention, in order.

    ``places`` maps a mention's index in ``mentions`` to its resolved gazetteer place
    (anything with ``country`` and ``is_settlement``/``is_region``/``is_country``) or None.
    """
    cues = cues or load_cues()
    first_body = next((s for s in sentences if not s.boilerplate), None)
    verdicts: list[Verdict] = []
    cue_memo: dict[int, list[CueMatch]] = {}
    for i, mention in enumerate(mentions):
        sentence = sentences[mention.sentence_index]
        place = places.get(i)
        verdicts.append(
            _judge(text, sentence, mention, place, first_body, dateline, attribution, region, cues, cue_memo)
        )
    verdicts = _qualifiers(text, verdicts, places)
    verdicts = _share_in_lists(text, verdicts)
    verdicts = _opening_place(text, sentences, verdicts, places, cues)
    # a resident's home town is the event place only if nothing else in the sentence is
    event_sentences = {v.mention.sentence_index for v in verdicts if v.is_event and not v.home}
    final = []
    for v in verdicts:
        if v.home and v.is_event and v.mention.sentence_index in event_sentences:
            v = Verdict(v.mention, False, "home town of a person quoted; the event is elsewhere", home=True)
        final.append(v)
    return final


def _opening_place(
    text: str, sentences: Sequence[Sentence], verdicts: list[Verdict], places: Mapping[int, Any], cues: Cues
) -> list[Verdict]:
    """A town that opens its sentence as where it happened ("Di Desa Charektar, di perbatasan dengan
    ..., setidaknya enam rumah dibakar pada Sabtu pagi", "In Ganja, ...") is the event place of an
    event word too far from it, when nothing else in the sentence is an event place, no one speaks
    between them ("Di Yerevan, seorang relawan mengatakan ...": where the speaker was) and it is no
    capital (capitals need an attack word bound to them)."""
    out = list(verdicts)
    events_in = {v.mention.sentence_index for v in verdicts if v.is_event}
    for k, v in enumerate(verdicts):
        index = v.mention.sentence_index
        if v.is_event or index in events_in or not v.reason.startswith("no event cue within"):
            continue
        if getattr(places.get(k), "kind", "") == "PPLC":
            continue
        sentence = sentences[index]
        if not _OPENING_PLACE.fullmatch(text, sentence.start, v.mention.start):
            continue
        if not _COMMA_AFTER.match(text, v.mention.end):
            continue
        rest = text[v.mention.end : sentence.end]
        if cues.verb_before.search(rest) or cues.verb_after.search(rest) or cues.denial.search(rest):
            continue
        cue = v.reason.split("nearest: ", 1)[-1].rstrip(")").strip("'\"")
        out[k] = Verdict(v.mention, True, f"event: where the sentence's {cue!r} happened", cue, "", 0.6)
        events_in.add(index)
    return out


_OPENING_PLACE = re.compile(
    r"\W*(?:di|in|at)\s+(?:(?:the\s+)?(?:town|city|village)\s+of\s+|(?:desa|kota|kampung)\s+)?", re.IGNORECASE
)
_COMMA_AFTER = re.compile(r"\s*,")


def _qualifiers(text: str, verdicts: list[Verdict], places: Mapping[int, Any]) -> list[Verdict]:
    """A district or province named right after a town to say where the town is ("desa Talish,
    distrik Tartar", "Talish in Tartar district") is not a second event place: the town's own
    first-level division in the gazetteer names it."""
    from gazetteer import fold

    out = list(verdicts)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        town = places.get(i)
        if a.mention.sentence_index != b.mention.sentence_index or town is None:
            continue
        if not _QUALIFIER_GAP.fullmatch(text[a.mention.end : b.mention.start]):
            continue
        division = fold(_DIVISION_WORDS.sub("", getattr(town, "admin1", "") or "")).strip()
        name = fold(_DIVISION_WORDS.sub("", b.mention.surface)).strip()
        if name and division and name == division:
            out[i + 1] = Verdict(b.mention, False, f"names the district of {a.mention.surface}")
    return out


def _share_in_lists(text: str, verdicts: list[Verdict]) -> list[Verdict]:
    """Places listed together ("desa-desa di Jabrayil, Fuzuli dan Hadrut") share an event:
    a listed place too far from the cue takes the verdict of the listed place next to it."""
    out = list(verdicts)
    changed = True
    while changed:
        changed = False
        for i in range(len(out) - 1):
            a, b = out[i], out[i + 1]
            if a.mention.sentence_index != b.mention.sentence_index:
                continue
            if not _LIST_GAP.fullmatch(text[a.mention.end : b.mention.start]):
                continue
            for source, target, k in ((a, b, i + 1), (b, a, i)):
                if source.is_event and not source.home and not target.is_event and target.reason.startswith(
                    "no event cue within"
                ):
                    out[k] = Verdict(
                        target.mention, True, f"{source.reason} (listed with {source.mention.surface})",
                        source.cue, source.cue_kind, source.strength * 0.9,
                    )
                    changed = True
    return out


def _judge(
    text: str,
    sentence: Sentence,
    mention: Mention,
    place: Any,
    first_body: Sentence | None,
    dateline: tuple[int, int] | None,
    attribution: Attribution | None,
    region: frozenset[str],
    cues: Cues,
    cue_memo: dict[int, list[CueMatch]],
) -> Verdict:
    def no(reason: str, **kw: Any) -> Verdict:
        return Verdict(mention, False, reason, **kw)

    if sentence.boilerplate:
        return no("boilerplate")
    if dateline is not None and mention.start < dateline[1] and mention.end > dateline[0]:
        return no("dateline")
    if (
        dateline is None
        and first_body is not None
        and sentence.start == first_body.start
        and _DATELINE.match(text[sentence.start : sentence.end])
        and mention.end <= sentence.start + _DATELINE.match(text[sentence.start : sentence.end]).end()  # type: ignore[union-attr]
    ):
        return no("dateline")
    if place is None:
        return no("not resolved by the gazetteer")
    if getattr(place, "is_country", False):
        return no("country-level name")
    if getattr(place, "is_region", False) or not getattr(place, "is_settlement", True):
        return no("region-level name")
    if getattr(place, "country", "") not in region:
        return no(f"outside the conflict region ({getattr(place, 'country', '') or 'no country'})")
    rel_start = mention.start - sentence.start
    rel_end = mention.end - sentence.start
    s_text = text[sentence.start : sentence.end]
    before = s_text[max(0, rel_start - 90) : rel_start]
    after = s_text[rel_end : rel_end + 60]
    after_kind = cues.context_after(after)
    before_kind = cues.context_before(before)
    if before_kind != "home" and (after_kind == "metonym" or before_kind == "metonym"):
        return no("metonym: the place stands for its government")
    if before_kind in ("venue", "reference", "launch", "hospital", "destination"):
        labels = {
            "venue": "venue of talks or visits",
            "reference": "reference point",
            "launch": "launch site",
            "hospital": "where the wounded were taken",
            "destination": "where people fled to",
        }
        return no(labels[before_kind])
    home = before_kind == "home"
    if attribution is not None:
        frames = attribution.frames[mention.sentence_index]
        if not home:
            for frame in frames:
                if frame.speaker_start <= rel_start and rel_end <= frame.speaker_end:
                    phrase = s_text[frame.speaker_start : rel_start]
                    if _LOCATIVE.search(phrase) or _SCENE.match(mention.surface):
                        home = True  # "Wartawan AFP di Stepanakert mendengar ...": where the witness was
                        break
                    return no("part of a speaker's name or title")
        governing = [f for f in frames if f.verb_end <= rel_start]
        if governing and governing[-1].kind == "denial":
            return no("named in a denial (kept on the claim it denies as disputed_by)")
    found = cue_memo.get(mention.sentence_index)
    if found is None:
        found = cue_memo[mention.sentence_index] = _usable_cues(s_text, cues)
    nearest = _nearest_cue(s_text, rel_start, rel_end, found)
    if nearest is None:
        return no("no event cue in its sentence", home=home)
    cue, distance = nearest
    if home and not any(c.kind in _HOME_KINDS for c in found):
        return no("home town of a person quoted, with no attack, casualty or damage named", home=True)
    if distance > WINDOW_WORDS and not home:
        return no(f"no event cue within {WINDOW_WORDS} words (nearest: {cue.text!r})", home=home)
    capital = getattr(place, "kind", "") == "PPLC"
    if capital and not _attached(s_text, rel_start, rel_end, found):
        # capitals are speakers' seats, venues, rallies and refugees' destinations far more often
        # than targets: only an attack word bound to the name ("shelling of X", "X was hit") counts
        return no(f"capital city without an attack word bound to it (nearest: {cue.text!r})")
    proximity = 1.0 if distance <= 4 else 0.85 if distance <= WINDOW_WORDS else 0.7
    return Verdict(
        mention,
        True,
        f"event: {cue.kind} {cue.text!r}" + (" (resident's home town)" if home else ""),
        cue=cue.text,
        cue_kind=cue.kind,
        strength=cue.weight * proximity,
        home=home,
    )

