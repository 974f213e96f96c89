"""Skip rule patterns that cannot match a text: a screen of the literal words every match must contain.

A rule table compiles to large word alternations (``events.toml`` gives one regex per event
kind with dozens of words each). Python's regex engine tries every alternative at every word
start, so a sentence costs the same whether it names an attack or not. Most sentences hold
the words of one or two kinds at most. :class:`ScreenedPattern` wraps a compiled pattern and
first looks, with one Aho-Corasick pass over the text lower-cased, for the literal words one
of which every match contains (taken from the pattern's own parse); without any of them the
answer is "no match" at once, else the regex runs as before. A match is never dropped.

    >>> import re
    >>> shelling = ScreenedPattern(re.compile(r"(?i)\\bshell(?:s|ed|ing)?\\b"))
    >>> shelling.search("Two people were killed.") is None     # no "shell" in it: the regex never runs
    True
    >>> shelling.search("Artillery SHELLED the town.").group(0)
    'SHELLED'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import ahocorasick

__all__ = ["LiteralScreen", "ScreenedPattern", "canonical", "required_literals", "screened"]

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


_LAST: tuple[str, str] = ("", "")  # the last text canonicalised, and its form: rules ask in turn


def canonical(text: str) -> str:
    """``text`` lower-cased so that whatever an ASCII literal matches, ignoring case, becomes that literal.

    >>> canonical("KILLED İn ſhelling")
    'killed in shelling'
    """
    global _LAST
    last = _LAST
    if last[0] is text:
        return last[1]
    folded = text.translate(_EXTRA_CASES) if not text.isascii() and _EXTRA_RE.search(text) else text
    folded = folded.lower()
    _LAST = (text, folded)
    return folded


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
    """Which patterns of a group asked about the same text may match it: one scan for the group.

    >>> screen = LiteralScreen([re.compile(r"(?i)shell(?:s|ed|ing)?"), re.compile(r"killed|dead")])
    >>> screen.candidates("Artillery shelled the town."), screen.candidates("Two were killed.")
    ((0,), (1,))
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.size = len(patterns)
        self._all = (1 << self.size) - 1
        self._always = 0  # bit i: pattern i has nothing to screen on, it always runs
        owners: dict[str, int] = {}
        for index, pattern in enumerate(patterns):
            required = required_literals(pattern)
            if required is None:
                self._always |= 1 << index
                continue
            for literal in required:
                owners[literal] = owners.get(literal, 0) | 1 << index
        self._automaton = _automaton_of(owners) if owners else None

    def mask(self, text: str) -> int:
        """Bit ``i`` set when pattern ``i`` may match ``text``."""
        if self._automaton is None:
            return self._all
        found = self._always
        for _, owners in self._automaton.iter(canonical(text)):
            found |= owners
            if found == self._all:
                break
        return found

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indexes of the patterns that may match ``text``, in order; the others cannot."""
        found = self.mask(text)
        return tuple(i for i in range(self.size) if found >> i & 1)

    def select(self, items: Iterable[tuple[Any, ...]], text: str) -> Iterator[tuple[Any, ...]]:
        """The items (their last element the pattern, in the screen's order) that may match ``text``,
        each pattern unwrapped from its :class:`ScreenedPattern`: screened once here, not twice."""
        found = self.mask(text)
        for index, item in enumerate(items):
            if found >> index & 1:
                pattern = item[-1]
                yield (*item[:-1], pattern.regex) if isinstance(pattern, ScreenedPattern) else item


def _automaton_of(owners: dict[str, Any]) -> Any:
    automaton = ahocorasick.Automaton()
    for literal, value in owners.items():
        automaton.add_word(literal, value)
    automaton.make_automaton()
    return automaton


class ScreenedPattern:
    """A compiled pattern that answers "no match" without running when its literals are absent.

    Stands in for the :class:`re.Pattern` it wraps: ``search``, ``match``, ``fullmatch``,
    ``finditer`` and ``findall`` are screened and give what the pattern gives; everything else
    (``pattern``, ``flags``, ``sub``...) is the wrapped pattern's own.
    """

    __slots__ = ("_automaton", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        required = required_literals(regex)
        self._automaton = _automaton_of(dict.fromkeys(required, True)) if required else None

    def possible(self, text: str) -> bool:
        """False when no match can exist in ``text``; True when the regex must decide."""
        automaton = self._automaton
        if automaton is None:
            return True
        last = _LAST
        for _ in automaton.iter(last[1] if last[0] is text else canonical(text)):
            return True
        return False

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        """:meth:`re.Pattern.search`, screened."""
        return self.regex.search(string, *args) if self.possible(string) else None

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        """:meth:`re.Pattern.match`, screened."""
        return self.regex.match(string, *args) if self.possible(string) else None

    def fullmatch(self, string: str, *args: int) -> re.Match[str] | None:
        """:meth:`re.Pattern.fullmatch`, screened."""
        return self.regex.fullmatch(string, *args) if self.possible(string) else None

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        """:meth:`re.Pattern.finditer`, screened."""
        return self.regex.finditer(string, *args) if self.possible(string) else iter(())

    def findall(self, string: str, *args: int) -> list[Any]:
        """:meth:`re.Pattern.findall`, screened."""
        return self.regex.findall(string, *args) if self.possible(string) else []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)

    def __repr__(self) -> str:
        return f"ScreenedPattern({self.regex!r})"


def screened(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` wrapped in a :class:`ScreenedPattern` when it has literals to screen on, else itself.

    Typed as the pattern it stands in for: callers use it exactly as the compiled pattern.
    """
    if required_literals(regex) is None:
        return regex
    return ScreenedPattern(regex)  # type: ignore[return-value]
