"""Skip rule patterns that cannot match a text: a screen of the literal words every match must contain.

A rule table compiles to large word alternations (``events.toml`` gives one regex per event
kind with dozens of words each). Python's regex engine tries every alternative at every word
start, so a sentence costs the same whether it names an attack or not. Most sentences hold
the words of one or two kinds at most; :class:`LiteralScreen` finds which patterns of a group
*can* match a text with one Aho-Corasick pass over the text lower-cased, and the caller runs
only those. The answer never drops a match: a pattern is screened out only when some literal
that every one of its matches contains (taken from the pattern's own parse) is absent.

    >>> import re
    >>> screen = LiteralScreen([re.compile(r"(?i)\\bshell(?:s|ed|ing)?\\b"), re.compile(r"killed|dead")])
    >>> screen.candidates("Artillery shelled the town.")
    (0,)
    >>> screen.candidates("Two people were killed.")
    (1,)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import ahocorasick

__all__ = ["LiteralScreen", "canonical", "required_literals"]

try:  # the parser behind re.compile: private, but it is what decides what a pattern matches
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - another Python: every pattern is simply always run
    _sre = _sre_parse = None  # type: ignore[assignment]

MIN_LITERAL = 2
"""Shortest literal worth screening on (a shorter one is in almost every sentence)."""

# Characters that match an ASCII letter under re.IGNORECASE without lower-casing to it with
# str.lower(): the Kelvin sign and dotted capital I (lower-case to "k" and "i" in the regex
# engine's simple case mapping) and dotless i and long s (the engine's extra equivalences).
# tests/test_cue_screen.py checks this list against every Unicode character.
_EXTRA_CASES = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_EXTRA_RE = re.compile("[" + "".join(map(chr, _EXTRA_CASES)) + "]")


def canonical(text: str) -> str:
    """``text`` lower-cased so that whatever an ASCII literal matches, ignoring case, becomes that literal.

    >>> canonical("KILLED İn ſhelling")
    'killed in shelling'
    """
    if not text.isascii() and _EXTRA_RE.search(text):
        text = text.translate(_EXTRA_CASES)
    return text.lower()


Requirement = frozenset[str]


def required_literals(pattern: re.Pattern[str]) -> Requirement | None:
    """Lower-cased ASCII words one of which every match of ``pattern`` contains, or None if none is known.

    >>> sorted(required_literals(re.compile(r"(?:me|di)?nyerang|serang(?:an)?")))
    ['nyerang', 'serang']
    >>> required_literals(re.compile(r"\\w+")) is None
    True
    """
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # a pattern this parser does not know: run it always
        return None
    found = _requirement(list(parsed))
    if found is None or min(map(len, found)) < MIN_LITERAL:
        return None
    return found


def _better(a: Requirement | None, b: Requirement | None) -> Requirement | None:
    """The more selective requirement: longer shortest literal, then fewer literals."""
    if a is None:
        return b
    if b is None:
        return a
    return b if (min(map(len, b)), -len(b)) > (min(map(len, a)), -len(a)) else a


def _requirement(items: Iterable[tuple[Any, Any]]) -> Requirement | None:
    """What every match of a sequence of parsed items contains: a run of literals, or what a
    group, a repeat of at least one, or every branch of an alternation requires."""
    best: Requirement | None = None
    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        if op is _sre.SUBPATTERN:
            best = _better(best, _requirement(av[-1]))
        elif op is _sre.ATOMIC_GROUP:
            best = _better(best, _requirement(av))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            best = _better(best, _requirement(av[2]))
        elif op is _sre.BRANCH:
            branches = [_requirement(branch) for branch in av[1]]
            if all(b is not None for b in branches):
                best = _better(best, frozenset().union(*branches))  # type: ignore[arg-type]
    if run:
        best = _better(best, frozenset(["".join(run)]))
    return best


class LiteralScreen:
    """Which patterns of a group may match a text (see the module docstring)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.size = len(patterns)
        self._always: tuple[int, ...] = ()
        owners: dict[str, set[int]] = {}
        always = []
        for index, pattern in enumerate(patterns):
            required = required_literals(pattern)
            if required is None:
                always.append(index)
                continue
            for literal in required:
                owners.setdefault(literal, set()).add(index)
        self._always = tuple(always)
        self._automaton: Any = None
        if owners:
            automaton = ahocorasick.Automaton()
            for literal, indexes in owners.items():
                automaton.add_word(literal, frozenset(indexes))
            automaton.make_automaton()
            self._automaton = automaton

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indexes of the patterns that may match ``text``, in order; the others cannot."""
        if self._automaton is None or len(self._always) == self.size:
            return tuple(range(self.size))
        found = set(self._always)
        for _, owners in self._automaton.iter(canonical(text)):
            found.update(owners)
            if len(found) == self.size:
                break
        return tuple(sorted(found))
