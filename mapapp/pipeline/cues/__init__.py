"""Rule tables of extraction (event cues, non-event contexts, speakers, stop words), loaded from TOML.

The tables are data: each ``*.toml`` file next to this module says where its entries
came from, and the code here only compiles them. Unknown table names or keys fail with
:class:`~mapapp.errors.CueTableError`, listing the valid ones, so a typo in a table never
silently drops a rule.

    >>> cues = load_cues()
    >>> [m.kind for m in cues.event_cues("tiga warga tewas dalam serangan udara")]
    ['casualties', 'attack']
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mapapp.errors import CueTableError
from mapapp.model import EventKind
from mapapp.pipeline.cues.screen import LiteralScreen, screened

__all__ = [
    "EVENT_KINDS",
    "NON_EVENT_KINDS",
    "SIDE_NAMES",
    "CueMatch",
    "Cues",
    "load_cues",
]

HERE = Path(__file__).parent
_RECENT = 128  # answers kept by Cues.event_cues and Cues.sides: about one article's sentences and phrases
LANGUAGES = ("id", "en")
EVENT_KINDS = tuple(kind.value for kind in EventKind)  # the tables of events.toml
NON_EVENT_KINDS = (
    "reference", "destination", "launch", "venue", "hospital", "metonym", "home", "future", "reaction",
    "scheduled",
)
SIDE_NAMES = ("armenia", "azerbaijan", "third-party", "independent")
# Words that may sit between a context phrase and the place name: "20 km dari kota X",
# "the border with the town of X", "penduduk desa X".
_DETERMINERS = (
    r"(?:(?:the |a )?(?:town|city|village|settlement|district|region|capital|regional capital|"
    r"border town|border village|strategic town|frontline town)(?: of)? |the |kota |desa |kampung |"
    r"wilayah |daerah |distrik |kabupaten |provinsi |ibu kota |ibukota |permukiman |pemukiman |"
    r"daerah sekitar |sekitar |tetangga |neighbou?ring )*"
)


@dataclass(frozen=True, slots=True)
class CueMatch:
    """One cue found in a text: its span, kind (``attack``, ``armenia``, ...) and weight."""

    start: int
    end: int
    kind: str
    text: str
    weight: float = 1.0


_ESCAPE = re.compile(r"\\.")


def _compile_words(
    patterns: Iterable[str], *, source: str, hyphen_after: bool = False
) -> re.Pattern[str] | None:
    """One regex matching any of ``patterns`` as whole words; capitals match case-sensitively.

    With ``hyphen_after`` a word may be the first part of a compound ("Armenian-backed").
    """
    lower: list[str] = []
    exact: list[str] = []
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip():
            raise CueTableError(source, f"expected non-empty pattern strings, got {pattern!r}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CueTableError(source, f"bad pattern {pattern!r}: {exc}") from None
        # a capital letter makes the pattern case-sensitive ("AP", "Trend"); escapes such as \S do not
        (exact if any(c.isupper() for c in _ESCAPE.sub("", pattern)) else lower).append(pattern)
    parts = []
    if lower:
        parts.append("(?i:" + "|".join(sorted(set(lower), key=len, reverse=True)) + ")")
    if exact:
        parts.append("(?:" + "|".join(sorted(set(exact), key=len, reverse=True)) + ")")
    if not parts:
        return None
    end = r"(?!\w)" if hyphen_after else r"(?![\w-])"
    return screened(re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")" + end))


def _load(name: str, directory: Path = HERE) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CueTableError(path, f"cannot read the table: {exc}") from None


def _check_keys(table: Mapping[str, Any], valid: Iterable[str], *, where: str) -> None:
    valid = tuple(valid)
    for key in table:
        if key not in valid:
            raise CueTableError(where, f"unknown key {key!r}: expected one of {', '.join(valid)}")


def _words(table: Mapping[str, Any], *, where: str) -> list[str]:
    words: list[str] = []
    for language in LANGUAGES:
        value = table.get(language, [])
        if not isinstance(value, list):
            raise CueTableError(where, f"{language!r} must be a list of patterns, got {type(value).__name__}")
        words.extend(value)
    return words


@dataclass(frozen=True, slots=True)
class Cues:
    """The compiled rule tables; build with :func:`load_cues`."""

    event_patterns: tuple[tuple[str, float, re.Pattern[str]], ...]
    non_event_before: Mapping[str, re.Pattern[str]]
    non_event_after: Mapping[str, re.Pattern[str]]
    side_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    verb_before: re.Pattern[str]
    verb_after: re.Pattern[str]
    denial: re.Pattern[str]
    anaphora: re.Pattern[str]
    relay: re.Pattern[str]
    never_places: frozenset[str]
    capitalised_places: frozenset[str]
    person_before: frozenset[str]
    place_before: frozenset[str]
    anterior: re.Pattern[str]
    same_day: re.Pattern[str]
    since: re.Pattern[str]
    era: re.Pattern[str]
    counted: re.Pattern[str]  # "enam hari setelah", "setahun kemudian": see timeline.toml [later]
    comparison: re.Pattern[str]
    next_day: re.Pattern[str]
    previous_day: re.Pattern[str]
    place_anaphora: re.Pattern[str]
    months: Mapping[str, int]
    event_anaphora: re.Pattern[str]
    hypothetical: re.Pattern[str] | None = None
    reaction: re.Pattern[str] | None = None
    outlet_patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # literal screens of the pattern groups asked together, built on first use (see _screen), and
    # the last answers of event_cues and sides: the stages ask about the same sentence in turn
    screens: dict[str, LiteralScreen] = field(default_factory=dict, compare=False, hash=False, repr=False)
    recent: dict[tuple[str, str], tuple[CueMatch, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def _recall(self, kind: str, text: str) -> tuple[CueMatch, ...] | None:
        return self.recent.get((kind, text))

    def _remember(self, kind: str, text: str, found: list[CueMatch]) -> list[CueMatch]:
        if len(self.recent) >= _RECENT:
            self.recent.clear()
        self.recent[(kind, text)] = tuple(found)
        return found

    def _screen(self, name: str, patterns: Sequence[re.Pattern[str]]) -> LiteralScreen:
        """The :class:`LiteralScreen` of a group of these patterns (one text scan for all of them)."""
        found = self.screens.get(name)
        if found is None:
            found = self.screens[name] = LiteralScreen(patterns)
        return found

    def event_cues(self, text: str) -> list[CueMatch]:
        """Event cue words in ``text``, in text order (overlaps resolved to the longest)."""
        known = self._recall("events", text)
        if known is not None:
            return list(known)
        found: list[CueMatch] = []
        screen = self._screen("events", [pattern for _, _, pattern in self.event_patterns])
        for kind, weight, pattern in screen.select(self.event_patterns, text):
            for m in pattern.finditer(text):
                found.append(CueMatch(m.start(), m.end(), kind, m.group(0), weight))
        found.sort(key=lambda c: (c.start, -(c.end - c.start)))
        kept: list[CueMatch] = []
        for cue in found:
            if kept and cue.start < kept[-1].end:
                continue
            kept.append(cue)
        return self._remember("events", text, kept)

    def context_before(self, text_before: str) -> str | None:
        """The non-event kind whose ``before`` phrase ends ``text_before``, or None.

        ``text_before`` is the text up to a place name: "lebih dari 20 km dari " gives
        ``"reference"``.
        """
        screen = self._screen("before", list(self.non_event_before.values()))
        for kind, pattern in screen.select(self.non_event_before.items(), text_before):
            if pattern.search(text_before):
                return kind
        return None

    def context_after(self, text_after: str) -> str | None:
        """The non-event kind whose ``after`` phrase starts ``text_after``, or None."""
        screen = self._screen("after", list(self.non_event_after.values()))
        for kind, pattern in screen.select(self.non_event_after.items(), text_after):
            if pattern.match(text_after):
                return kind
        return None

    def outlet_side(self, outlet: str) -> str | None:
        """The side whose own media ``outlet`` is ("Armenpress" -> ``"armenia"``), or None.

        >>> load_cues().outlet_side("AZERTAC"), load_cues().outlet_side("Reuters")
        ('azerbaijan', None)
        """
        for side, pattern in self.outlet_patterns:
            if pattern.search(outlet):
                return side
        return None

    def sides(self, text: str) -> list[CueMatch]:
        """Side words in ``text`` (a speaker's phrase), in text order."""
        known = self._recall("sides", text)
        if known is not None:
            return list(known)
        screen = self._screen("sides", [pattern for _, pattern in self.side_patterns])
        found = [
            CueMatch(m.start(), m.end(), side, m.group(0))
            for side, pattern in screen.select(self.side_patterns, text)
            for m in pattern.finditer(text)
        ]
        found.sort(key=lambda c: (c.start, -(c.end - c.start)))
        return self._remember("sides", text, found)


def _before_pattern(patterns: list[str], *, source: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CueTableError(source, f"bad pattern {pattern!r}: {exc}") from None
    alternation = "|".join(sorted(set(patterns), key=len, reverse=True))
    return screened(re.compile(r"(?i)(?<![\w-])(?:" + alternation + r")\s*" + _DETERMINERS + r"$"))


def _after_pattern(patterns: list[str], *, source: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CueTableError(source, f"bad pattern {pattern!r}: {exc}") from None
    alternation = "|".join(sorted(set(patterns), key=len, reverse=True))
    return screened(re.compile(r"(?i)\s*(?:" + alternation + r")(?![\w-])"))


def _counted(later: re.Pattern[str], earlier: re.Pattern[str], recall: re.Pattern[str]) -> re.Pattern[str]:
    """One pattern for a count of days/weeks/months/years and the word after it: named groups
    ``n`` (a number or number word), ``se`` (Indonesian "se-", one), ``u`` (the unit) and
    ``later``/``earlier``/``recall`` (which table the word after it is in)."""
    from mapapp.pipeline.dates import load_date_words

    words = load_date_words()

    def alt(items: Iterable[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(items, key=len, reverse=True))

    count = rf"(?:(?P<n>\d{{1,3}}|{alt(words.number)})\s+|(?P<se>se))(?P<u>{alt(words.unit)})"
    return re.compile(
        rf"(?i)(?<![\w-]){count}(?:\s+lagi)?\s+"
        rf"(?:(?P<later>{later.pattern})|(?P<earlier>{earlier.pattern})|(?P<recall>{recall.pattern}))"
    )


@cache
def load_cues(directory: Path = HERE) -> Cues:
    """Load and compile every rule table once per process (``directory`` holds the tables)."""
    events = _load("events.toml", directory)
    _check_keys(events, EVENT_KINDS, where=str(directory / "events.toml"))
    event_patterns = []
    for kind in EVENT_KINDS:
        table = events.get(kind, {})
        where = f"{directory / 'events.toml'} [{kind}]"
        _check_keys(table, (*LANGUAGES, "weight"), where=where)
        weight = float(table.get("weight", 1.0))
        if not 0.0 < weight <= 1.0:
            raise CueTableError(where, f"expected weight in (0, 1], got {weight!r}")
        pattern = _compile_words(_words(table, where=where), source=where)
        if pattern is not None:
            event_patterns.append((kind, weight, pattern))

    non_events = _load("nonevents.toml", directory)
    _check_keys(non_events, NON_EVENT_KINDS, where=str(directory / "nonevents.toml"))
    before: dict[str, re.Pattern[str]] = {}
    after: dict[str, re.Pattern[str]] = {}
    future_words = list(non_events.get("future", {}).get("before", []))
    reaction_words = list(non_events.get("reaction", {}).get("before", []))
    for kind in NON_EVENT_KINDS:
        table = non_events.get(kind, {})
        where = f"{directory / 'nonevents.toml'} [{kind}]"
        _check_keys(table, ("before", "after"), where=where)
        b = _before_pattern(list(table.get("before", [])), source=where)
        a = _after_pattern(list(table.get("after", [])), source=where)
        if b is not None:
            before[kind] = b
        if a is not None:
            after[kind] = a

    speakers = _load("speakers.toml", directory)
    where = str(directory / "speakers.toml")
    _check_keys(speakers, ("sides", "verbs", "anaphora", "relays", "outlets"), where=where)
    _check_keys(speakers.get("outlets", {}), ("armenia", "azerbaijan"), where=f"{where} [outlets]")
    outlet_patterns = []
    for side, patterns in speakers.get("outlets", {}).items():
        if not isinstance(patterns, list):
            raise CueTableError(f"{where} [outlets]", f"{side!r} must be a list of patterns")
        compiled_outlets = _compile_words(patterns, source=f"{where} [outlets.{side}]")
        if compiled_outlets is not None:
            outlet_patterns.append((side, compiled_outlets))
    _check_keys(speakers.get("sides", {}), SIDE_NAMES, where=f"{where} [sides]")
    side_patterns = []
    for side in SIDE_NAMES:
        table = speakers["sides"].get(side, {})
        _check_keys(table, ("terms",), where=f"{where} [sides.{side}]")
        pattern = _compile_words(table.get("terms", []), source=f"{where} [sides.{side}]", hyphen_after=True)
        if pattern is not None:
            side_patterns.append((side, pattern))
    verbs = speakers.get("verbs", {})
    _check_keys(verbs, ("before", "after", "denials"), where=f"{where} [verbs]")
    _check_keys(speakers.get("anaphora", {}), ("terms",), where=f"{where} [anaphora]")
    _check_keys(speakers.get("relays", {}), ("terms",), where=f"{where} [relays]")

    def required(patterns: list[str], what: str) -> re.Pattern[str]:
        compiled = _compile_words(patterns, source=f"{where} [{what}]")
        if compiled is None:
            raise CueTableError(where, f"[{what}] must not be empty")
        return compiled

    stop = _load("stopwords.toml", directory)
    swhere = str(directory / "stopwords.toml")
    _check_keys(stop, ("never", "capitalised", "person_before", "place_before"), where=swhere)
    for key in ("never", "capitalised", "person_before", "place_before"):
        _check_keys(stop.get(key, {}), LANGUAGES, where=f"{swhere} [{key}]")

    def word_set(key: str) -> frozenset[str]:
        return frozenset(w.strip().lower() for w in _words(stop.get(key, {}), where=f"{swhere} [{key}]"))

    references = _load("references.toml", directory)
    rwhere = str(directory / "references.toml")
    _check_keys(references, ("place", "event"), where=rwhere)
    anaphora: dict[str, re.Pattern[str]] = {}
    for key in ("place", "event"):
        _check_keys(references.get(key, {}), LANGUAGES, where=f"{rwhere} [{key}]")
        words = _words(references.get(key, {}), where=rwhere)
        compiled_words = _compile_words(words, source=f"{rwhere} [{key}]")
        if compiled_words is None:
            raise CueTableError(rwhere, f"[{key}] must not be empty")
        anaphora[key] = compiled_words

    timeline = _load("timeline.toml", directory)
    twhere = str(directory / "timeline.toml")
    keys = (
        "anterior", "same_day", "since", "comparison", "next_day", "previous_day", "era", "later", "earlier",
        "recall",
    )
    _check_keys(timeline, (*keys, "months"), where=twhere)
    months: dict[str, int] = {}
    for language in LANGUAGES:
        names = timeline.get("months", {}).get(language, [])
        if len(names) != 12:
            raise CueTableError(twhere, f"[months] {language}: expected 12 month names, got {len(names)}")
        months.update({name.lower(): number for number, name in enumerate(names, start=1)})
    compiled: dict[str, re.Pattern[str]] = {}
    for key in keys:
        _check_keys(timeline.get(key, {}), LANGUAGES, where=f"{twhere} [{key}]")
        pattern = _compile_words(_words(timeline.get(key, {}), where=twhere), source=f"{twhere} [{key}]")
        if pattern is None:
            raise CueTableError(twhere, f"[{key}] must not be empty")
        compiled[key] = pattern

    return Cues(
        anterior=compiled["anterior"],
        same_day=compiled["same_day"],
        since=compiled["since"],
        era=compiled["era"],
        counted=_counted(compiled["later"], compiled["earlier"], compiled["recall"]),
        comparison=compiled["comparison"],
        next_day=compiled["next_day"],
        previous_day=compiled["previous_day"],
        place_anaphora=anaphora["place"],
        months=months,
        event_anaphora=anaphora["event"],
        event_patterns=tuple(event_patterns),
        non_event_before=before,
        non_event_after=after,
        side_patterns=tuple(side_patterns),
        outlet_patterns=tuple(outlet_patterns),
        verb_before=required(verbs.get("before", []), "verbs.before"),
        verb_after=required(verbs.get("after", []), "verbs.after"),
        denial=required(verbs.get("denials", []), "verbs.denials"),
        anaphora=required(speakers.get("anaphora", {}).get("terms", []), "anaphora"),
        relay=required(speakers.get("relays", {}).get("terms", []), "relays"),
        never_places=word_set("never"),
        capitalised_places=word_set("capitalised"),
        person_before=word_set("person_before"),
        hypothetical=_compile_words(future_words, source=f"{directory / 'nonevents.toml'} [future]"),
        reaction=screened(re.compile(
            r"(?i)(?<![\w-])(?:" + "|".join(reaction_words) + r")\s+(?:(?:the|a|an|itu|tersebut)\s+)?$"
        )) if reaction_words else None,
        place_before=word_set("place_before"),
    )
