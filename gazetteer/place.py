"""The gazetteer's value objects: a :class:`Place` and the :class:`Resolution` of a name to one."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["COUNTRY", "REGION", "SETTLEMENT_KINDS", "Place", "Resolution"]

COUNTRY = "country"
REGION = "region"
# GeoNames feature codes of populated places that this gazetteer assigns.
SETTLEMENT_KINDS = frozenset({"PPL", "PPLA", "PPLA2", "PPLC", "PPLX"})


@dataclass(frozen=True, slots=True)
class Place:
    """One place: a settlement (GeoNames feature code in ``kind``), a region or a country.

    ``id`` is stable across builds: ``geonames:<geonameid>`` for GeoNames records,
    ``country:<ISO2>``, ``admin1:<ISO2>:<code>`` for first-order divisions,
    ``curated:<slug>`` for rows of ``gazetteer/data/places.csv``, ``rg:<ISO2>:<slug>``
    and ``geopointdb:<ISO2>:<slug>`` for places only those packages know.
    ``country`` is an ISO 3166 alpha-2 code ("" for none); ``population`` is 0 when
    unknown; ``source`` says where the record comes from.
    """

    id: str
    name: str
    lat: float
    lon: float
    country: str = ""
    admin1: str = ""
    kind: str = "PPL"
    population: int = 0
    source: str = ""
    names: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.id or ":" not in self.id:
            raise ValueError(f"place id must look like 'source:key', got {self.id!r}")
        if not -90.0 <= self.lat <= 90.0:
            raise ValueError(f"place {self.id}: expected lat in [-90, 90], got {self.lat!r}")
        if not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"place {self.id}: expected lon in [-180, 180], got {self.lon!r}")
        if self.population < 0:
            raise ValueError(f"place {self.id}: expected population >= 0, got {self.population!r}")
        if self.kind not in SETTLEMENT_KINDS and self.kind not in (COUNTRY, REGION):
            valid = ", ".join(sorted(SETTLEMENT_KINDS | {COUNTRY, REGION}))
            raise ValueError(f"place {self.id}: unknown kind {self.kind!r}: expected one of {valid}")

    @property
    def is_settlement(self) -> bool:
        """A town, village or city: an event here has town precision."""
        return self.kind in SETTLEMENT_KINDS

    @property
    def is_region(self) -> bool:
        """A region (province, rayon, marz, state, Nagorno-Karabakh): region precision."""
        return self.kind == REGION

    @property
    def is_country(self) -> bool:
        """A country: country precision."""
        return self.kind == COUNTRY

    @property
    def latlon(self) -> tuple[float, float]:
        """``(lat, lon)``, the order geopy and folium use."""
        return (self.lat, self.lon)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record of this place (names included)."""
        return {
            "id": self.id,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "kind": self.kind,
            "population": self.population,
            "source": self.source,
            "names": list(self.names),
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """A name resolved to ``place`` with a ``score`` in [0, 1], the runners-up, and why.

    ``alternatives`` holds the other candidates, best first; ``reason`` is a short
    human-readable account of what decided (population, region prior, context...).
    """

    place: Place
    score: float
    alternatives: tuple[Place, ...] = ()
    reason: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"resolution of {self.place.id}: expected score in [0, 1], got {self.score!r}")
