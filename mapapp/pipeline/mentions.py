"""Find every gazetteer name in an article's text: Aho-Corasick over folded text, then context rules.

The automaton is built once per gazetteer (:func:`finder_for` memoises it) from the
gazetteer's folded name keys; an article is folded once with
:func:`gazetteer.fold_with_offsets` and every hit is mapped back to its span in the
original text. A hit is kept as a :class:`~mapapp.model.Mention` when

- it sits on word boundaries and is the longest name at its position;
- it is written with a capital letter (place names are proper nouns in both languages);
- it is not an ordinary word of the stop list (``Pekan``, ``Sumber``, ``Ada``, ``Most``...);
- names that are ordinary words only outside the conflict region (``[capitalised]`` in
  the stop list) are kept only away from the start of a sentence and only when the
  gazetteer knows such a place in the region;
- it is not a person's given name or surname: not right after a title or a given name
  ("Presiden", "Vladimir"), not followed by a surname ("Shushan Stepanyan").

    >>> from gazetteer import load_gazetteer
    >>> text = "Serangan di kota Martakert."
    >>> finder_for(load_gazetteer()).find(text, [Sentence(text, 0, len(text))])
    (Mention(surface='Martakert', start=17, end=26, sentence_index=0),)
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import ahocorasick

from mapapp.model import Mention, Sentence
from mapapp.pipeline.cues import Cues, load_cues

__all__ = [
    "DEFAULT_REGION",
    "GazetteerLike",
    "MentionFinder",
    "find_mentions",
    "finder_for",
]

# ISO codes of the countries where the 2020 war's town events lie: Armenia, Azerbaijan and
# the Iranian border villages hit by stray fire. Names known only elsewhere are still found
# (they are context for geocoding and notes) but never become events.
DEFAULT_REGION: frozenset[str] = frozenset({"AM", "AZ", "IR"})

_WORD = re.compile(r"[\w'’-]+")
_SURNAME = re.compile(
    r"^[A-ZÀ-ÖØ-Þ][\w'’-]*(?:yan|ian|yev|iev|ev|eva|ov|ova|oglu|oğlu|zade|li|lı|skiy|sky|enko|vili|dze)$"
)
_MIN_KEY = 3


class GazetteerLike(Protocol):
    """What the extraction stages need from a gazetteer (the real one or a test double)."""

    def name_keys(self) -> Iterable[str]:
        """Every folded name key."""
        ...

    def candidates(self, name: str) -> tuple[Any, ...]:
        """Every place any of whose names folds to ``fold(name)``."""
        ...

    def resolve(self, name: str, context: Sequence[Any] = (), *, countries: Sequence[str] = ()) -> Any:
        """The best place for ``name`` given the other names of the text, or None."""
        ...


class MentionFinder:
    """An Aho-Corasick automaton over a gazetteer's folded names and the mention rules."""

    def __init__(
        self,
        gazetteer: GazetteerLike,
        *,
        region: Iterable[str] = DEFAULT_REGION,
        cues: Cues | None = None,
    ) -> None:
        from gazetteer import fold_with_offsets

        self._fold_with_offsets = fold_with_offsets
        self.gazetteer = gazetteer
        self.region = frozenset(region)
        self.cues = cues or load_cues()
        automaton = ahocorasick.Automaton()
        for key in gazetteer.name_keys():
            if len(key) >= _MIN_KEY and not key.isdigit() and key not in self.cues.never_places:
                automaton.add_word(key, len(key))
        self._empty = len(automaton) == 0
        if not self._empty:
            automaton.make_automaton()
        self._automaton = automaton
        self._region_memo: dict[str, bool] = {}

    def in_region(self, name: str) -> bool:
        """Whether the gazetteer knows a place called ``name`` in the conflict region."""
        key = name.lower()
        known = self._region_memo.get(key)
        if known is None:
            known = any(getattr(p, "country", "") in self.region for p in self.gazetteer.candidates(name))
            self._region_memo[key] = known
        return known

    def find(self, text: str, sentences: Sequence[Sentence]) -> tuple[Mention, ...]:
        """Every place name in ``text`` that passes the rules, in text order.

        Names outside every sentence (a page header the sentence splitter left out) are
        skipped, because nothing can be said about them.
        """
        if self._empty or not text:
            return ()
        folded, offsets = self._fold_with_offsets(text)
        starts = [s.start for s in sentences]
        hits: list[tuple[int, int]] = []
        for end_index, length in self._automaton.iter(folded):
            start = end_index - length + 1
            end = end_index + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end < len(folded) and folded[end].isalnum():
                continue
            hits.append((start, end))
        candidates: list[tuple[int, int, int]] = []  # original start, end, sentence index
        for start, end in hits:
            o_start = offsets[start]
            o_end = offsets[end - 1] + 1
            index = bisect.bisect_right(starts, o_start) - 1
            if index < 0 or o_end > sentences[index].end:
                continue
            if self._keep(text, o_start, o_end, folded[start:end], sentences[index]):
                candidates.append((o_start, o_end, index))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        kept: list[Mention] = []
        last_end = -1
        for o_start, o_end, index in candidates:
            if o_start < last_end:
                continue
            kept.append(Mention(text[o_start:o_end], o_start, o_end, index))
            last_end = o_end
        return tuple(kept)

    def _after_a_name(self, before: str, surface: str) -> bool:
        """Whether the name follows a capitalised word that makes it a surname ("Allan Kaval").

        Not when that word is a place-type word ("Kota", "Bandara", "Central"), a side's
        name ("Armenian"), a known place itself, or when the name is a country or region.
        """
        match = _PREVIOUS_WORD.search(before)
        if match is None or surface.isupper():
            return False
        word = match.group(1)
        if word.lower() in self.cues.place_before or word.isupper() or self.cues.sides(word):
            return False
        candidates = self.gazetteer.candidates(surface)
        if any(getattr(p, "is_country", False) or getattr(p, "is_region", False) for p in candidates):
            return False
        return not self.gazetteer.candidates(word)

    def _keep(self, text: str, start: int, end: int, key: str, sentence: Sentence) -> bool:
        surface = text[start:end]
        if not surface[:1].isupper():
            return False
        if key in self.cues.never_places:
            return False
        before = text[sentence.start : start]
        words_before = _WORD.findall(before)
        sentence_initial = not words_before or bool(re.search(r"[\n:\"“”]\s*$", before))
        if key in self.cues.capitalised_places:
            if sentence_initial or surface.isupper() or not self.in_region(surface):
                return False
        if words_before:
            previous = words_before[-1].lower().rstrip(".")
            two = " ".join(w.lower() for w in words_before[-2:])
            if previous in self.cues.person_before or two in self.cues.person_before:
                return False
        if not sentence_initial and not _title_case(sentence.text) and self._after_a_name(before, surface):
            return False
        after = _WORD.match(text, _skip_spaces(text, end))  # no copy of the rest of the text
        if after and text[end : end + 1] == " " and _SURNAME.match(after.group(0)):
            if not self.in_region(after.group(0)):
                return False
        return True


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index] == " ":
        index += 1
    return index


_PREVIOUS_WORD = re.compile(r"(?<![\w-])([A-ZÀ-ÖØ-Þ][\w'’]*)[ \t]+$")


def _title_case(line: str) -> bool:
    """A headline written in Title Case, where every word is capitalised: "Rudal Armenia Hantam Ganja"."""
    words = [w for w in _WORD.findall(line) if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)


_FINDERS: dict[tuple[int, frozenset[str]], tuple[GazetteerLike, MentionFinder]] = {}


def finder_for(gazetteer: GazetteerLike, *, region: Iterable[str] = DEFAULT_REGION) -> MentionFinder:
    """The memoised :class:`MentionFinder` of ``gazetteer``: the automaton is built once per process."""
    key = (id(gazetteer), frozenset(region))
    entry = _FINDERS.get(key)
    if entry is None or entry[0] is not gazetteer:
        if len(_FINDERS) >= 4:  # a few gazetteers at most (tests build tiny ones)
            _FINDERS.pop(next(iter(_FINDERS)))
        entry = (gazetteer, MentionFinder(gazetteer, region=region))
        _FINDERS[key] = entry
    return entry[1]


def find_mentions(
    text: str,
    sentences: Sequence[Sentence],
    gazetteer: GazetteerLike,
    *,
    region: Iterable[str] = DEFAULT_REGION,
) -> tuple[Mention, ...]:
    """Every place name of ``text`` (see the module docstring for the rules), in text order."""
    return finder_for(gazetteer, region=region).find(text, sentences)
