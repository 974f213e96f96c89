"""Whose claim is it: the reporting side of each statement, found from its speaker, never from the attacker.

A sentence is read as a sequence of *speech frames*: a reporting verb and its speaker's
phrase. Indonesian and English put the speaker before the verb ("Media Armenia
mengatakan, ...", "the Armenian defence ministry said ...") or after it ("..., kata
Albert Voskanyan, seorang penduduk Stepanakert, kepada Reuters", "menurut Kremlin",
"according to officials", '"...," said the ministry'). The first side word in the
speaker's phrase decides (:mod:`mapapp.pipeline.cues` ``speakers.toml``); a phrase without
one ("Mereka mengatakan", "kata kementerian itu", "officials said", "... dan mengatakan")
points back to the previous speaker of the sentence, then of the previous sentences. A
place inside the claimed content gets the frame's side; a sentence with no frame
continues the previous sentence's speaker within its paragraph, else it is the
journalist's own narration (``independent``).

    >>> frames = speech_frames("Kemenhan Azerbaijan mengklaim pasukan Armenia menggempur Tartar")
    >>> [(f.side.value, f.cue) for f in frames]
    [('azerbaijan', 'Kemenhan Azerbaijan mengklaim')]

Denials ("Namun, Armenia membantah laporan tersebut", "Baku denied") are frames too; the
pipeline puts the denier on the disputed event (``disputed_by``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mapapp.model import Side
from mapapp.pipeline.cues import Cues, load_cues

__all__ = [
    "NARRATION",
    "Attribution",
    "Claim",
    "Frame",
    "attribute_article",
    "narration_claim",
    "speech_frames",
]

_BOUNDARY = re.compile(r"[;:]|,\s|\bbahwa\b|\bthat\b|[\"“”]\s*,?|''|\(|\)|\s(?:--?|–|—)\s", re.IGNORECASE)
# Conjunctions that open a new clause after a comma: the words after them are that clause's
# subject, never an appositive of what came before ("..., sedangkan Baku mengklaim ...",
# "..., while Baku said ...").
_CLAUSE_START = re.compile(
    r"(?:sedangkan|sementara|namun|tetapi|tapi|dan|adapun|while|whereas|but|and|meanwhile)\b",
    re.IGNORECASE,
)
_END_AFTER = re.compile(r"[.;:!?\"“”(]|\bbahwa\b|\bthat\b", re.IGNORECASE)
_COMMA = re.compile(r",\s")
_COORDINATED = re.compile(
    r"(?:^|\s)(?:dan|serta|and|but|tetapi|namun)(?:\s+(?:lalu|kemudian|then|juga|also|pun))?\s*$",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"(?<![\w.])[A-Z][a-z]+")
_ROLE = re.compile(
    r"\b(?:juru bicara|jubir|pejabat|menteri|kementerian|kemenhan|spokes(?:man|woman|person)|official|"
    r"minister|ministry|presiden|president|komandan|commander|militer|military|otoritas|authorit(?:y|ies))",
    re.IGNORECASE,
)
_QUOTE_MARKS = re.compile(r"[\"“”]")
_QUOTE_CLOSE = re.compile(r"[\"”']\s*,?\s*$")
_QUOTE_BEFORE = re.compile(r"[\"“”']\s*,?\s*$|,\s*$")
_MAX_WORDS = 16
_WORDS = re.compile(r"\S+")
_PLACE_OPENING = re.compile(r"(?:di|in|at|dari|from|near|dekat|outside)\s", re.IGNORECASE)
# A sentence opening on a day of its own ("On 17 October, ...", "Pada hari yang sama, ...").
_NEW_DAY = re.compile(
    r"\W*(?:(?:on|pada|in|di)\s+)?(?:\d|(?:the\s+)?(?:same|next|following)\s+day)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Frame:
    """A reporting verb and its speaker in one sentence (offsets relative to the sentence).

    ``kind`` is ``before`` (speaker before the verb), ``after`` (speaker after it) or
    ``denial``; ``side`` is None until resolved; ``how`` says how it was decided
    (``named``, ``inherited``, ``unknown``).
    """

    kind: str
    verb_start: int
    verb_end: int
    speaker_start: int
    speaker_end: int
    side: Side | None = None
    cue: str = ""
    how: str = "named"
    confidence: float = 0.9


NARRATION = "unattributed narration"


@dataclass(frozen=True, slots=True)
class Claim:
    """The side an event is attributed to, the words that decided it and how sure we are."""

    side: Side
    cue: str
    confidence: float

    @property
    def is_narration(self) -> bool:
        """The outlet's own narration: no speaker named for it."""
        return self.cue.startswith(NARRATION)


def narration_claim(outlet: str = "", cues: Cues | None = None) -> Claim:
    """Whose claim an outlet's own unattributed narration is: ``independent``, unless the
    outlet is one of the parties' own media (``speakers.toml`` [outlets]).

    >>> narration_claim("Armenpress").side, narration_claim("Kompas.com").side
    (<Side.ARMENIA: 'armenia'>, <Side.INDEPENDENT: 'independent'>)
    """
    cues = cues or load_cues()
    side = cues.outlet_side(outlet) if outlet else None
    if side is None:
        return Claim(Side.INDEPENDENT, NARRATION, 0.6)
    return Claim(Side(side), f"{NARRATION} ({outlet}: {side} media)", 0.6)


def _trim_words(text: str, start: int, end: int, *, keep_last: bool) -> tuple[int, int]:
    """Shrink [start, end) to at most _MAX_WORDS words (the last ones or the first ones)."""
    words = list(_WORDS.finditer(text, start, end))
    if len(words) > _MAX_WORDS:
        if keep_last:
            start = words[-_MAX_WORDS].start()
        else:
            end = words[_MAX_WORDS - 1].end()
    return start, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def speech_frames(sentence: str, cues: Cues | None = None) -> list[Frame]:
    """The speech frames of one sentence, in text order, sides not yet inherited.

    >>> [(f.kind, f.side) for f in speech_frames("Media Armenia mengatakan, 3 warga tewas.")]
    [('before', <Side.ARMENIA: 'armenia'>)]
    """
    cues = cues or load_cues()
    verbs: list[tuple[int, int, str]] = []
    for m in cues.denial.finditer(sentence):
        verbs.append((m.start(), m.end(), "denial"))
    for m in cues.verb_after.finditer(sentence):
        verbs.append((m.start(), m.end(), "after"))
    for m in cues.verb_before.finditer(sentence):
        verbs.append((m.start(), m.end(), "before"))
    verbs.sort(key=lambda v: (v[0], -(v[1] - v[0])))
    chosen: list[tuple[int, int, str]] = []
    for v in verbs:
        if chosen and v[0] < chosen[-1][1]:
            continue
        chosen.append(v)
    frames: list[Frame] = []
    previous_end = 0
    for i, (start, end, kind) in enumerate(chosen):
        word = sentence[start:end].lower()
        if kind == "after" and word in ("said", "says", "say"):
            # '"...," said the ministry' puts the speaker after; 'the ministry said' and
            # 'Stepanyan, the spokeswoman, said drones hit X' (content follows) before
            before_verb = sentence[:start]
            inverted = bool(_QUOTE_CLOSE.search(before_verb)) or (
                bool(_QUOTE_BEFORE.search(before_verb)) and not cues.event_cues(sentence[end:])
            )
            kind = "after" if inverted else "before"
        if kind in ("before", "denial"):
            s_start = previous_end
            for b in _BOUNDARY.finditer(sentence, previous_end, start):
                s_start = b.end()
            s_start, s_end = _strip(sentence, s_start, start)
            own = sentence[s_start:s_end]
            subject = _subject_before_appositive(sentence, previous_end, start, cues)
            if subject is not None:
                s_start = subject
            elif not cues.sides(own) and (s_end <= s_start or _ROLE.search(own) or cues.anaphora.search(own)):
                # an appositive ("Stepanyan, the spokeswoman, said"): a short name a comma or two back
                cut = s_start if s_end > s_start else start
                commas = list(_COMMA.finditer(sentence, previous_end, cut))[-3:]
                edges = [previous_end, *(c.end() for c in commas)]
                for k in range(len(commas) - 1, -1, -1):
                    a, b = _strip(sentence, edges[k], commas[k].start())
                    if b > a and len(sentence[a:b].split()) <= 4 and cues.sides(sentence[a:b]):
                        s_start, s_end = a, max(s_end, b)
                        break
            s_start, s_end = _trim_words(sentence, s_start, s_end, keep_last=True)
        else:
            next_start = chosen[i + 1][0] if i + 1 < len(chosen) else len(sentence)
            limit = _END_AFTER.search(sentence, end, next_start)
            s_end = limit.start() if limit else next_start
            if word.startswith(("menurut", "according")):
                comma = _COMMA.search(sentence, end, s_end)
                s_end = comma.start() if comma else s_end
            s_start, s_end = _strip(sentence, end, s_end)
            s_start, s_end = _trim_words(sentence, s_start, s_end, keep_last=False)
        frames.append(_named(sentence, kind, start, end, s_start, s_end, cues))
        previous_end = end
    return frames


def _subject_before_appositive(sentence: str, floor: int, verb_start: int, cues: Cues) -> int | None:
    """Where the subject starts when the words before a verb are an appositive of a short named subject.

    "Ankara, sekutu utama Azerbaijan, menyatakan": the subject is Ankara, not the ally it
    is described as. Returns None unless the comma segment before the appositive is at
    most four words, capitalised and names a side.
    """
    commas = list(_COMMA.finditer(sentence, floor, verb_start))
    if not commas:
        return None
    edges = [floor, *(c.end() for c in commas)]
    ends = [*(c.start() for c in commas), verb_start]
    segments = [_strip(sentence, a, b) for a, b in zip(edges, ends, strict=True)]
    while segments and segments[-1][1] <= segments[-1][0]:
        segments.pop()
    if len(segments) < 2:
        return None
    if _CLAUSE_START.match(sentence, segments[-1][0]):
        return None  # ", sedangkan Baku mengklaim": a new clause with its own subject, not an appositive
    a, b = segments[-2]
    for boundary in _BOUNDARY.finditer(sentence, a, b):
        a = _strip(sentence, boundary.end(), b)[0]
    segment = sentence[a:b]
    if cues.relay.match(segment):  # "Dilansir Reuters, juru bicara ... mengatakan": a source, not the subject
        return None
    if _PLACE_OPENING.match(segment):  # "Di Stepanakert, wartawan Reuters menyaksikan": where, not who
        return None
    if cues.event_cues(segment):  # "X was shelled overnight, the ministry said": a clause, not a name
        return None
    if b > a and len(segment.split()) <= 4 and segment[:1].isupper() and cues.sides(segment):
        return a
    return None


def _named(sentence: str, kind: str, v_start: int, v_end: int, s_start: int, s_end: int, cues: Cues) -> Frame:
    """A frame with the side its own speaker phrase names (None when it names none)."""
    phrase = sentence[s_start:s_end] if s_end > s_start else ""
    relay = cues.relay.search(phrase)
    own = phrase[: relay.start()] if relay and relay.start() > 0 else phrase
    if kind != "after" and _COORDINATED.search(own):
        # "... and said": the subject is the clause's, the words before "and" are not a speaker
        cue = " ".join(sentence[v_start:v_end].split())
        return Frame(kind, v_start, v_end, v_start, v_start, None, cue, "anaphoric", 0.8)
    sides = cues.sides(own) or cues.sides(phrase)
    cue_start, cue_end = min(s_start, v_start) if phrase else v_start, max(s_end, v_end)
    cue = " ".join(sentence[cue_start:cue_end].split())
    if sides:
        return Frame(kind, v_start, v_end, s_start, s_end, Side(sides[0].kind), cue, "named", 0.9)
    word = sentence[v_start:v_end].lower()
    if word.endswith("nya") and not phrase:  # "katanya", "ujarnya": he/she said
        return Frame(kind, v_start, v_end, s_start, s_end, None, cue, "anaphoric", 0.8)
    if not phrase or cues.anaphora.search(own) or not _CAPITALISED.search(own):
        return Frame(kind, v_start, v_end, s_start, s_end, None, cue, "anaphoric", 0.8)
    if _ROLE.search(own):
        return Frame(kind, v_start, v_end, s_start, s_end, None, cue, "anaphoric", 0.7)
    # a named speaker the lexicon does not know: a person quoted by the newspaper
    return Frame(kind, v_start, v_end, s_start, s_end, Side.INDEPENDENT, cue, "unknown", 0.5)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Speech frames of every sentence of an article, sides resolved across sentences."""

    frames: tuple[tuple[Frame, ...], ...]
    carried: tuple[Claim | None, ...]  # per sentence: the speaker a frameless sentence continues
    narration: Claim = Claim(Side.INDEPENDENT, NARRATION, 0.6)  # what no speaker governs

    def claim_at(self, sentence_index: int, position: int) -> Claim:
        """The claim a place at ``position`` (offset in the sentence) belongs to.

        The nearest preceding ``before`` frame governs the content after its verb; a place
        inside an ``after`` frame's speaker phrase ("seorang penduduk Stepanakert") or in the
        quote before it takes that frame; a trailing "menurut X"/"kata X" governs what precedes.
        """
        frames = [f for f in self.frames[sentence_index] if f.kind != "denial" and f.side is not None]
        preceding = [f for f in frames if f.kind == "before" and f.verb_end <= position]
        inside = [f for f in frames if f.kind == "after" and f.speaker_start <= position < f.speaker_end + 1]
        following = [f for f in frames if f.kind == "after" and f.verb_start >= position]
        prior_after = [f for f in frames if f.kind == "after" and f.speaker_end <= position]
        frame = None
        if inside:
            frame = inside[0]
        elif preceding and following and following[0].verb_start > preceding[-1].verb_end:
            # 'X said that A; "B," said Y' : the closer speaker wins
            frame = following[0]
        elif preceding:
            frame = preceding[-1]
        elif following:
            frame = following[0]
        elif any(f.kind == "before" and f.verb_start >= position for f in frames):
            # "Three people were killed in Ganja, the ministry said."
            frame = next(f for f in frames if f.kind == "before" and f.verb_start >= position)
        elif prior_after:
            frame = prior_after[-1]
        if frame is not None and frame.side is not None:
            return Claim(frame.side, frame.cue, frame.confidence)
        carried = self.carried[sentence_index]
        if carried is not None:
            return carried
        return self.narration

    def denials(self, sentence_index: int) -> tuple[tuple[int, Side], ...]:
        """``(position, side)`` of every denial in the sentence."""
        return tuple(
            (f.verb_start, f.side) for f in self.frames[sentence_index] if f.kind == "denial" and f.side
        )


def attribute_article(
    sentences: Sequence[str],
    *,
    paragraphs: Sequence[int] | None = None,
    boilerplate: Sequence[bool] | None = None,
    cues: Cues | None = None,
    outlet: str = "",
) -> Attribution:
    """Find and resolve the speech frames of every sentence of one article.

    Narration no speaker governs is the outlet's (:func:`narration_claim`): independent
    journalism, or a party's claim when ``outlet`` is one of its own media.

    A frame naming no side inherits from the previous frame of its sentence, then from
    the last speaker of the previous two sentences (boilerplate skipped). A sentence
    without frames continues the previous sentence's speaker when both are in the same
    paragraph (reported speech running on); otherwise it is narration.
    """
    cues = cues or load_cues()
    n = len(sentences)
    paragraphs = list(paragraphs) if paragraphs is not None else list(range(n))
    boilerplate = list(boilerplate) if boilerplate is not None else [False] * n
    resolved: list[tuple[Frame, ...]] = []
    carried: list[Claim | None] = []
    last_speakers: list[Claim | None] = []  # per sentence: its last resolved claim
    for i, text in enumerate(sentences):
        if boilerplate[i]:
            resolved.append(())
            carried.append(None)
            last_speakers.append(None)
            continue
        previous_claim = _previous_claim(last_speakers, boilerplate, i)
        frames: list[Frame] = []
        for frame in speech_frames(text, cues):
            if frame.side is None:
                source = next((f for f in reversed(frames) if f.side is not None), None)
                if source is not None:
                    frame = _inherit(frame, source.side, source.cue, frame.confidence)
                elif previous_claim is not None:
                    frame = _inherit(frame, previous_claim.side, previous_claim.cue, frame.confidence - 0.1)
            frames.append(frame)
        resolved.append(tuple(frames))
        same_paragraph = i > 0 and paragraphs[i - 1] == paragraphs[i] and not boilerplate[i - 1]
        carry = None
        if not any(f.side is not None and f.kind != "denial" for f in frames) and same_paragraph:
            prev = last_speakers[i - 1]
            if prev is not None:
                carry = Claim(prev.side, prev.cue, max(0.4, prev.confidence - 0.2))
        carried.append(carry)
        speaking = [f for f in frames if f.side is not None]
        if speaking:
            last = speaking[-1]
            last_speakers.append(Claim(last.side, last.cue, last.confidence))  # type: ignore[arg-type]
        else:
            last_speakers.append(carry)
    # A quote running over several sentences belongs to the speaker named where it closes:
    # '"Kami diserang di Martakert. Banyak rumah hancur," kata Stepanyan.'
    opened: int | None = None
    for i in range(n):
        if boilerplate[i]:
            opened = None
            continue
        if opened is not None and paragraphs[i] != paragraphs[opened]:
            opened = None
        quotes = len(_QUOTE_MARKS.findall(sentences[i]))
        if opened is None:
            if quotes % 2 == 1:
                opened = i
            continue
        if quotes % 2 == 1:  # the quote closes here
            closing = _QUOTE_MARKS.search(sentences[i])
            after = [
                f for f in resolved[i]
                if f.kind == "after" and f.side is not None and closing is not None
                and f.verb_start >= closing.start()
            ]
            if after:
                for j in range(opened, i):
                    if not any(f.side is not None for f in resolved[j]):
                        cue = f"{after[0].cue} (end of the quote)"
                        carried[j] = Claim(after[0].side, cue, after[0].confidence)  # type: ignore[arg-type]
            opened = None
    # A frameless sentence whose next sentence, in the same paragraph, has a named speaker
    # telling the same event ("Stepanakert kembali digempur Minggu pagi. Otoritas setempat
    # mengatakan roket menghantam permukiman.") is that speaker's claim.
    for i in range(n - 1):
        if boilerplate[i] or boilerplate[i + 1] or paragraphs[i] != paragraphs[i + 1]:
            continue
        if carried[i] is not None:
            continue
        if any(f.side is not None for f in resolved[i]):
            continue
        nxt = [f for f in resolved[i + 1] if f.kind == "before" and f.how == "named" and f.side is not None]
        if not nxt or len(sentences[i + 1][: nxt[0].verb_start].split()) > 12:
            continue
        if _NEW_DAY.match(sentences[i + 1]) or any(
            p.match(sentences[i + 1].lstrip()) for p in (cues.same_day, cues.next_day, cues.previous_day)
        ):
            continue  # "On the same day Aliyev said ...": the next entry of a chronology, not this one
        if cues.event_cues(sentences[i + 1][nxt[0].verb_end :]):
            carried[i] = Claim(nxt[0].side, f"{nxt[0].cue} (next sentence)", 0.6)  # type: ignore[arg-type]
    return Attribution(tuple(resolved), tuple(carried), narration_claim(outlet, cues))


def _previous_claim(last: Sequence[Claim | None], boilerplate: Sequence[bool], index: int) -> Claim | None:
    """The last speaker among the two previous non-boilerplate sentences."""
    seen = 0
    j = index - 1
    while j >= 0 and seen < 2:
        if not boilerplate[j]:
            seen += 1
            if last[j] is not None:
                return last[j]
        j -= 1
    return None


def _inherit(frame: Frame, side: Side, source_cue: str, confidence: float) -> Frame:
    root = source_cue.split(" → ")[-1]
    cue = frame.cue if root in frame.cue else f"{frame.cue} → {root}"
    return Frame(
        frame.kind, frame.verb_start, frame.verb_end, frame.speaker_start, frame.speaker_end,
        side, cue, "inherited", max(0.3, confidence),
    )
