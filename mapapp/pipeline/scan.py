"""Text scans the rule stages run many times per article, done in one pass instead of by regex backtracking.

:func:`last_words` is what ``re.search(r"(?:[\\w'’-]+\\W+){0,5}$", text).group(0)`` gives, the
text's last five words with what follows each, without the regex engine's retry at every
position (tens of microseconds on 60 characters, this on a few); :func:`last_tokens` the same
for ``(?:[\\w'’().,/-]+\\s+){0,N}$``, tokens separated by white space.

    >>> last_words("Kementerian Pertahanan Armenia mengatakan bahwa pasukan akan ")
    'Armenia mengatakan bahwa pasukan akan '
    >>> last_words("no space at the end")
    ''
"""

from __future__ import annotations

import re

__all__ = ["last_tokens", "last_words"]

MAX_WORDS = 5

# The regex, read from the end of the text: an automaton over sets of states. Each word of
# the regex, read backwards, is one or more non-word characters then one or more word
# characters ("'", "’" and "-" are both); state ("b", k) is inside the non-word part of word
# k + 1, ("w", k) inside its word part, which completes k + 1 words (an accepting state, as is
# the start: no word at all).
_START = ("start", 0)
_WORD, _GAP, _BOTH = "w", "g", "x"  # the three kinds of character


def _step(states: frozenset[tuple[str, int]], kind: str) -> frozenset[tuple[str, int]]:
    out = set()
    gap_char, word_char = kind in (_GAP, _BOTH), kind in (_WORD, _BOTH)
    for part, k in states:
        if part == "start":
            if gap_char:
                out.add(("b", 0))
        elif part == "b":
            if gap_char:
                out.add(("b", k))
            if word_char:
                out.add(("w", k))
        else:  # "w": k + 1 words complete
            if word_char:
                out.add(("w", k))
            if gap_char and k + 1 < MAX_WORDS:
                out.add(("b", k + 1))
    return frozenset(out)


def _accepting(states: frozenset[tuple[str, int]]) -> bool:
    return any(part != "b" for part, _ in states)


_TRANSITIONS: dict[tuple[frozenset[tuple[str, int]], str], tuple[frozenset[tuple[str, int]], bool]] = {}
# Runs of one kind of character: a run of word or of non-word characters moves the automaton
# once (a second character of the same kind leaves its states as they are); "'", "’" and "-"
# are both kinds and go one at a time.
_RUNS = re.compile(r"\w+|[^\w'’-]+|['’-]")


def last_words(text: str) -> str:
    """The end of ``text`` that ``(?:[\\w'’-]+\\W+){0,5}$`` matches when searched (module docstring)."""
    if "\n" in text:  # "$" also matches before a final newline: leave that case to the regex itself
        match = _LAST_WORDS.search(text)
        return match.group(0) if match else ""
    states = frozenset([_START])
    position = matched = len(text)  # the empty match at the end, if nothing longer
    for run in reversed(_RUNS.findall(text)):
        first = run[0]
        kind = _BOTH if first in "'’-" else _WORD if first.isalnum() or first == "_" else _GAP
        step = _TRANSITIONS.get((states, kind))
        if step is None:
            following = _step(states, kind)
            step = _TRANSITIONS[(states, kind)] = (following, _accepting(following))
        states, accepting = step
        if not states:
            break
        position -= len(run)
        if accepting:
            matched = position
    return text[matched:]


_LAST_WORDS = re.compile(r"(?:[\w'’-]+\W+){0,5}$")


_TOKEN_CHAR = re.compile(r"[\w'’().,/-]")
_TOKEN_RUNS = re.compile(r"[\w'’().,/-]+|\s+|[^\w'’().,/\s-]+")


def last_tokens(text: str, count: int) -> str:
    """The end of ``text`` that ``(?:[\\w'’().,/-]+\\s+){0,count}$`` matches when searched.

    The token and space characters are disjoint, so the match is the last ``count`` (token,
    spaces) pairs that run without a break to the end of the text.

    >>> last_tokens("dalam pernyataan yang dirilis (Senin) ", 4)
    'pernyataan yang dirilis (Senin) '
    >>> last_tokens("kata “Armenia” ", 4)
    ''
    """
    runs = _TOKEN_RUNS.findall(text)
    position = len(text)
    pairs = 0
    index = len(runs) - 1
    while index >= 1 and pairs < count:
        spaces, token = runs[index], runs[index - 1]
        if not spaces[0].isspace() or not _TOKEN_CHAR.match(token[0]):
            break
        position -= len(spaces) + len(token)
        pairs += 1
        index -= 2
    return text[position:]
