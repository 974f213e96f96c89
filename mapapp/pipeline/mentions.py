"""Find every gazetteer name in an article's text: keys looked up at capitalised words, then context rules.

The key tables are built once per gazetteer (:func:`finder_for` memoises them) from the
gazetteer's folded name keys; an article is folded once with
:func:`gazetteer.fold_with_offsets`. A name is written with a capital, so only the words that
start with one are looked at: from each, the folded text up to each following word boundary
is looked up among the keys, for as long as it is the start of some key. Every hit is mapped
back to its span in the original text and kept as a :class:`~mapapp.model.Mention` when

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
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

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
_NOT_ALNUM = re.compile(r"[\W_]")  # what ends a word: a character for which str.isalnum() is False
_OPENERS = "\n:\"“”"  # a line break, colon or quote just before a name: it opens a sentence


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
    """A gazetteer's folded names, looked up at capitalised words, and the mention rules."""

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
        keys = {
            key for key in gazetteer.name_keys()
            if len(key) >= _MIN_KEY and not key.isdigit() and key not in self.cues.never_places
        }
        # every start of a key that ends right before one of its non-alphanumeric characters
        # ("nagorno" of "nagorno karabakh"): a lookup goes on past a word boundary only from these
        self._keys = frozenset(keys)
        self._starts = frozenset(
            key[:i] for key in keys if not key.isalnum() for i in range(1, len(key)) if not key[i].isalnum()
        )
        self._empty = not keys
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
        size = len(folded)
        keys, key_starts, boundary_after = self._keys, self._starts, _NOT_ALNUM.search
        for capital in _capitals().finditer(text):
            if not capital.group().isupper():
                continue  # a character beyond the Basic Multilingual Plane that is not a capital
            # the folded characters this capital became, each a possible start of a name
            where = capital.start()
            first = bisect.bisect_left(offsets, where, 0, size)
            last = first + 1 if first + 1 < size and offsets[first + 1] != where else (
                bisect.bisect_right(offsets, where, first, size)
            )
            for start in range(first, last):
                if offsets[start] != where or (start > 0 and folded[start - 1].isalnum()):
                    continue  # folded to nothing, or inside a word: no name starts here
                end = start
                while end < size:  # each following word boundary, while a key can still end there
                    boundary = boundary_after(folded, end + 1)
                    end = boundary.start() if boundary else size
                    span = folded[start:end]
                    if span in keys:
                        hits.append((start, end))
                    if span not in key_starts:
                        break
        candidates: list[tuple[int, int, int]] = []  # original start, end, sentence index
        title_case: dict[int, bool] = {}  # per sentence, computed once when first asked
        for start, end in hits:
            o_start = offsets[start]
            o_end = offsets[end - 1] + 1
            index = bisect.bisect_right(starts, o_start) - 1
            if index < 0 or o_end > sentences[index].end:
                continue
            if self._keep(text, o_start, o_end, folded[start:end], sentences[index], index, title_case):
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

    def _keep(
        self, text: str, start: int, end: int, key: str, sentence: Sentence, index: int,
        title_case: dict[int, bool],
    ) -> bool:
        surface = text[start:end]
        if not surface[:1].isupper():
            return False
        if key in self.cues.never_places:
            return False
        before = text[sentence.start : start]
        words_before = _last_two_words(before)
        sentence_initial = not words_before or _opens_sentence(before)
        if key in self.cues.capitalised_places:
            if sentence_initial or surface.isupper() or not self.in_region(surface):
                return False
        if words_before:
            previous = words_before[-1].lower().rstrip(".")
            two = " ".join(w.lower() for w in words_before[-2:])
            if previous in self.cues.person_before or two in self.cues.person_before:
                return False
        if not sentence_initial:
            headline = title_case.get(index)
            if headline is None:
                headline = title_case[index] = _title_case(sentence.text)
            if not headline and self._after_a_name(before, surface):
                return False
        after = _WORD.match(text, _skip_spaces(text, end))  # no copy of the rest of the text
        if after and text[end : end + 1] == " " and _SURNAME.match(after.group(0)):
            if not self.in_region(after.group(0)):
                return False
        return True


_LAST_TWO_REVERSED = re.compile(r"[^\w'’-]*([\w'’-]+)(?:[^\w'’-]+([\w'’-]+))?")


def _last_two_words(before: str) -> list[str]:
    """``_WORD.findall(before)[-2:]``, read from the end of the text instead of from its start."""
    found = _LAST_TWO_REVERSED.match(before[::-1])
    if found is None:
        return []
    last, previous = found.group(1)[::-1], found.group(2)
    return [previous[::-1], last] if previous else [last]


def _opens_sentence(before: str) -> bool:
    """Whether ``re.search(r'[\\n:"“”]\\s*$', before)``: a line break, colon or quote, then only spaces."""
    stripped = before.rstrip()
    return (bool(stripped) and stripped[-1] in _OPENERS) or "\n" in before[len(stripped) :]


@functools.cache
def _capitals() -> re.Pattern[str]:
    """Every character of the Basic Multilingual Plane for which ``str.isupper()`` holds (built once:
    the first letter of a name), and every character beyond it (checked one by one where found:
    a class with those would be a slow list of ranges instead of a bitmap)."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if chr(code).isupper():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    parts = [re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges]
    return re.compile("[" + "".join(parts) + "\U00010000-\U0010ffff]")


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
