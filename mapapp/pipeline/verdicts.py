"""What became of every place mention of an article: the event it is part of, or why it is none.

No mention disappears silently. :func:`mapapp.pipeline.extract_document` gives each mention
of :attr:`~mapapp.pipeline.Extraction.mentions` one :class:`MentionVerdict`, in the same
order: ``event`` with the id of the event it is part of, or another :class:`Outcome` with the
reason. The extraction's notes name every mention that is not an event (``tests/test_verdicts.py``
checks it on every page of the repository and on generated punctuation, quote and spacing
variants).

    >>> # [(v.mention.surface, v.outcome.value, v.reason) for v in extraction.verdicts]
    >>> # [('MOSKWA', 'not an event', 'dateline'), ('Martakert', 'event', "event: attack 'diserang'")]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from mapapp.model import Mention

__all__ = ["MentionVerdict", "Outcome", "furniture_note", "off_map_note"]


class Outcome(StrEnum):
    """What became of a place mention."""

    EVENT = "event"  # part of the event ``event_id``
    NOT_AN_EVENT = "not an event"  # judged no event place: a dateline, a venue, no event word nearby...
    FURNITURE = "page furniture"  # in a "Baca juga" line, a related headline, a menu, a caption
    OFF_MAP = "not a town of the region"  # a country, a region, a place outside the conflict region
    UNDATED = "undated"  # an event place with no dated day and no publication date
    BACKGROUND = "background"  # an event of an earlier war or era
    SCHEDULED = "scheduled"  # an event announced for a day after publication


@dataclass(frozen=True, slots=True)
class MentionVerdict:
    """The verdict on one place mention: its outcome, the reason, and the event it joined if any.

    ``place`` is the gazetteer name the mention resolved to ("" when it did not resolve).
    """

    mention: Mention
    outcome: Outcome
    reason: str
    place: str = ""
    event_id: str = ""

    def __post_init__(self) -> None:
        if (self.outcome is Outcome.EVENT) != bool(self.event_id):
            raise ValueError(f"{self.mention.surface!r}: an event verdict needs an event id, and only it")
        if not self.reason:
            raise ValueError(f"{self.mention.surface!r}: a verdict needs a reason")


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def furniture_note(verdicts: Sequence[MentionVerdict]) -> list[str]:
    """The note naming the towns of the region found only in page furniture, with what the furniture is."""
    names = _unique(f"{v.mention.surface} ({v.reason})" for v in verdicts if v.outcome is Outcome.FURNITURE)
    return ["not made events (page furniture): " + "; ".join(names)] if names else []


def off_map_note(verdicts: Sequence[MentionVerdict]) -> list[str]:
    """The note naming the place names that are not towns of the conflict region (never map points)."""
    names = _unique(v.mention.surface for v in verdicts if v.outcome is Outcome.OFF_MAP)
    if not names:
        return []
    return ["not map points (countries, regions, places outside the conflict region): " + ", ".join(names)]
