"""The speed-ups of the rule stages give what the plain regexes give: literal screens, one-pass scans."""

from __future__ import annotations

import itertools
import random
import re
import sys
from pathlib import Path

import pytest

from mapapp.pipeline.cues import load_cues
from mapapp.pipeline.cues.screen import LiteralScreen, ScreenedPattern, canonical, required_literals, screened
from mapapp.pipeline.dates import _patterns
from mapapp.pipeline.scan import last_tokens, last_words

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("seeds", "tests/corpus", "tests/heldout", "tests/heldout2")
PAGES = sorted(p for d in FOLDERS for p in (ROOT / d).glob("*.*") if p.suffix in (".txt", ".html"))


def _every_cue_pattern() -> list[tuple[str, re.Pattern[str]]]:
    cues = load_cues()
    found: list[tuple[str, re.Pattern[str]]] = []
    found += [(f"events.{kind}", p) for kind, _, p in cues.event_patterns]
    found += [(f"before.{kind}", p) for kind, p in cues.non_event_before.items()]
    found += [(f"after.{kind}", p) for kind, p in cues.non_event_after.items()]
    found += [(f"sides.{side}", p) for side, p in cues.side_patterns]
    found += [(f"outlets.{side}", p) for side, p in cues.outlet_patterns]
    for name in ("verb_before", "verb_after", "denial", "anaphora", "relay", "anterior", "same_day", "since",
                 "comparison", "next_day", "previous_day", "place_anaphora", "event_anaphora", "hypothetical",
                 "reaction"):
        found.append((name, getattr(cues, name)))
    dates = _patterns()
    found += [(f"dates.{name}", getattr(dates, name)) for name in dates.__slots__]
    return found


def _texts() -> list[str]:
    """Sentences and fragments of the project's pages, and the same with changed case."""
    lines = [line for page in PAGES for line in page.read_text(encoding="utf-8").splitlines() if line.strip()]
    pieces = [part for line in lines for part in re.split(r"(?<=[.!?])\s+", line)]
    fragments = [p[i : i + 60] for p in pieces for i in range(0, len(p), 37)]
    changed = [p.upper() for p in pieces[::3]] + [p.title() for p in pieces[1::3]]
    return pieces + fragments + changed


def test_canonical_form_covers_every_character_that_matches_an_ascii_letter_ignoring_case() -> None:
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for code in range(128):
        literal = chr(code)
        for found in re.findall("(?i)" + re.escape(literal), everything):
            assert canonical(found) == literal.lower(), (literal, found, hex(ord(found)))


PATTERNS = _every_cue_pattern()


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_screened_patterns_find_what_the_plain_ones_find(name: str, pattern: re.Pattern[str]) -> None:
    plain = pattern.regex if isinstance(pattern, ScreenedPattern) else pattern
    screen = ScreenedPattern(plain)
    for text in _texts():
        assert [m.span() for m in screen.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        found = plain.search(text)
        if found is not None:  # the screen never says "impossible" where the regex matches
            assert screen.possible(text), (name, text)


def test_a_group_screen_keeps_every_pattern_that_matches() -> None:
    patterns = [p for _, p in _every_cue_pattern()]
    screen = LiteralScreen(patterns)
    plain = [p.regex if isinstance(p, ScreenedPattern) else p for p in patterns]
    for text in _texts()[::5]:
        possible = set(screen.candidates(text))
        assert {i for i, p in enumerate(plain) if p.search(text)} <= possible, text


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"(?:me|di|ter)?nyerang|serang(?:an|annya)?", {"nyerang", "serang"}),
        (r"(?i)\bshell(?:s|ed|ing)?\b", {"shell"}),
        (r"(?:roket|rudal)(?: \w+)? (?:jatuh|mendarat)", {"jatuh", "mendarat"}),  # the longer pair
        (r"\w+", None),
        (r"a|bc", None),  # a literal of one letter screens nothing
        (r"(?:x)?yz", {"yz"}),
    ],
)
def test_required_literals(pattern: str, literals: set[str] | None) -> None:
    found = required_literals(re.compile(pattern))
    assert (set(found) if found is not None else None) == literals


def test_screened_keeps_an_unscreenable_pattern_as_it_is() -> None:
    plain = re.compile(r"\d+/\d+")
    assert screened(plain) is plain
    assert isinstance(screened(re.compile("said|says")), ScreenedPattern)


LAST_WORDS = re.compile(r"(?:[\w'’-]+\W+){0,5}$")
LAST_TOKENS = re.compile(r"(?:[\w'’().,/-]+\s+){0,4}$")


def test_last_words_is_the_regex_on_every_short_string() -> None:
    for size in range(8):
        for chars in itertools.product("a '-.", repeat=size):
            text = "".join(chars)
            assert last_words(text) == LAST_WORDS.search(text).group(0), repr(text)  # type: ignore[union-attr]


def test_last_words_and_tokens_are_the_regexes_on_random_text() -> None:
    rng = random.Random(13)
    parts = ["kata", "Armenia", "'", "-", "’", " ", ", ", "(", "é", "_", "x-y", ". ", "\u00a0", "2020"]
    parts += ["\n", "“", "/"]
    for _ in range(20000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 24)))
        assert last_words(text) == LAST_WORDS.search(text).group(0), repr(text)  # type: ignore[union-attr]
        assert last_tokens(text, 4) == LAST_TOKENS.search(text).group(0), repr(text)  # type: ignore[union-attr]
