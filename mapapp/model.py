"""Value objects that flow through the pipeline: article -> sentences -> mentions -> events.

Every object here is frozen, hashable and validated in ``__post_init__``; no loose
dicts cross module boundaries. Coordinates are (lat, lon) everywhere in this package;
only :mod:`mapapp.geo` converts to shapely's (x=lon, y=lat).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

__all__ = [
    "Article",
    "DateHow",
    "Event",
    "EventKind",
    "Excerpt",
    "Mention",
    "Precision",
    "Sentence",
    "Side",
    "event_id",
]


class Side(StrEnum):
    """Whose claim an event is: the reporting side, never the attacker."""

    ARMENIA = "armenia"
    AZERBAIJAN = "azerbaijan"
    THIRD_PARTY = "third-party"
    INDEPENDENT = "independent"

    @classmethod
    def parse(cls, value: str) -> Side:
        """Return the side named by ``value``; unknown names list the valid ones."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            valid = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown side {value!r}: expected one of {valid}") from None


class Precision(StrEnum):
    """How precisely an event is located."""

    TOWN = "town"
    REGION = "region"
    COUNTRY = "country"


class DateHow(StrEnum):
    """How an event's date was found."""

    EXPLICIT = "explicit"  # a calendar date in the text: "27 September", "(27/9)"
    RELATIVE = "relative"  # a weekday or relative word: "Rabu", "kemarin", "last Sunday"
    PUBLICATION = "publication"  # no cue: the publication date, flagged as such


class EventKind(StrEnum):
    """What happened at an event place, as the words of its excerpts say (``events.toml``).

    Close to ACLED's event types: ``attack`` is explosions/remote violence (shelling, strikes,
    drones, missiles), ``fighting`` battles, ``capture`` and ``retreat`` territory changing hands,
    ``handover`` an agreed transfer; ``casualties``, ``damage`` and ``evacuation`` say what the
    attack did. An event may have several.
    """

    ATTACK = "attack"
    CASUALTIES = "casualties"
    DAMAGE = "damage"
    CAPTURE = "capture"
    FIGHTING = "fighting"
    EVACUATION = "evacuation"
    RETREAT = "retreat"
    HANDOVER = "handover"


@dataclass(frozen=True, slots=True)
class Article:
    """One news page as read: its body text and the metadata found on it or given for it.

    ``text`` is the article text as the pipeline saw it (HTML already reduced to text);
    character offsets in :class:`Sentence`, :class:`Mention` and :class:`Excerpt` point
    into it. ``published_how`` says where the date came from (``manifest``, ``option``,
    ``page``, ``latest-in-text``, ``none``).
    """

    source: str
    text: str
    title: str = ""
    outlet: str = ""
    published: date | None = None
    published_how: str = "none"
    published_time: datetime | None = None
    language: str = ""
    path: str = ""

    @property
    def sha256(self) -> str:
        """Hash of the normalised text and the source: the article's identity in the store."""
        normalised = " ".join(self.text.split())
        return hashlib.sha256(f"{self.source}\n{normalised}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article, with offsets into ``Article.text``."""

    text: str
    start: int
    end: int
    paragraph: int = 0
    boilerplate: bool = False

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad sentence span {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in an article, as written, with its offsets."""

    surface: str
    start: int
    end: int
    sentence_index: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"bad mention span {self.start}..{self.end} for {self.surface!r}")


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The verbatim sentence(s) that state an event, with offsets into the article text."""

    text: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Event:
    """One place + one day + one reporting side, from one article.

    ``place`` is the name as written; ``place_resolved`` the gazetteer's name.
    ``date_cue``/``side_cue`` are the words that decided date and side.
    ``disputed_by`` holds sides that denied the claim in the same article; ``kinds`` what
    happened there, in :class:`EventKind` order.
    """

    id: str
    source: str
    place: str
    place_resolved: str
    gazetteer_id: str
    lat: float
    lon: float
    date: date
    side: Side
    excerpts: tuple[Excerpt, ...]
    outlet: str = ""
    title: str = ""
    published: date | None = None
    language: str = ""
    country: str = ""
    precision: Precision = Precision.TOWN
    date_how: DateHow = DateHow.PUBLICATION
    date_cue: str = ""
    side_cue: str = ""
    confidence: float = 0.5
    disputed_by: tuple[Side, ...] = field(default=())
    kinds: tuple[EventKind, ...] = field(default=())

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0:
            raise ValueError(f"event {self.id}: expected lat in [-90, 90], got {self.lat!r}")
        if not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"event {self.id}: expected lon in [-180, 180], got {self.lon!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"event {self.id}: expected confidence in [0, 1], got {self.confidence!r}")
        if not isinstance(self.side, Side):
            object.__setattr__(self, "side", Side.parse(str(self.side)))
        if not isinstance(self.precision, Precision):
            object.__setattr__(self, "precision", Precision(str(self.precision)))
        if not isinstance(self.date_how, DateHow):
            object.__setattr__(self, "date_how", DateHow(str(self.date_how)))
        if not all(isinstance(k, EventKind) for k in self.kinds):
            try:
                kinds = tuple(EventKind(str(k)) for k in self.kinds)
            except ValueError:
                valid = ", ".join(k.value for k in EventKind)
                raise ValueError(
                    f"event {self.id}: unknown kind in {self.kinds!r}: expected {valid}"
                ) from None
            object.__setattr__(self, "kinds", kinds)

    @property
    def excerpt(self) -> str:
        """All excerpts joined, as shown to a reader."""
        return " … ".join(e.text for e in self.excerpts)


def event_id(article: str, gazetteer_id: str, day: date, side: Side | str) -> str:
    """Stable event id: the same claim of the same article keeps its id.

    The id is ``ev_`` and 16 hex digits of a hash of ``article`` (the pipeline passes the
    article's source, its file name, which names one article in a store), the place's
    gazetteer id, the day and the side. Re-extracting an unchanged article yields the same
    ids, and so does an article whose text was edited (a typo fixed, a paragraph added) for
    every claim the edit left alone: ids an analyst has joined on in QGIS stay valid.

    >>> event_id("a.txt", "geonames:146970", date(2020, 10, 4), "armenia")
    'ev_03c9ee3a6d359325'
    """
    key = f"{article}|{gazetteer_id}|{day.isoformat()}|{Side(side).value}"
    return "ev_" + hashlib.sha256(key.encode()).hexdigest()[:16]
