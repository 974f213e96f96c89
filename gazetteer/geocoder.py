"""A geopy geocoder over the offline gazetteer: ``GazetteerGeocoder().geocode("Stepanakert")``.

Works with no constructor arguments, so ``geopandas.tools.geocode(names,
provider=GazetteerGeocoder)`` can instantiate it; never touches the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from gazetteer.place import Place, Resolution
from gazetteer.resolve import Gazetteer, Prior

__all__ = ["GazetteerGeocoder"]


class GazetteerGeocoder(Geocoder):
    """Resolve place names offline; ``raw`` of each Location is our record of the place.

    ``gazetteer`` defaults to :func:`gazetteer.load_gazetteer` (under ``prior`` if given).
    Queries may take the forms people pass a geocoder: ``"Yerevan, Armenia"`` (the country
    keeps its candidates), ``"Stepanakert (Khankendi)"``, ``"Shusha's"``, ``"Hadrut region"``;
    ``raw["reason"]`` says how the query was read (see :meth:`gazetteer.Gazetteer.resolve`).
    """

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        prior: Prior | None = None,
        user_agent: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(user_agent=user_agent or "mapapp-gazetteer", **kwargs)
        if gazetteer is None:
            from gazetteer import load_gazetteer

            gazetteer = load_gazetteer(prior) if prior is not None else load_gazetteer()
        elif prior is not None:
            gazetteer = gazetteer.with_prior(prior)
        self.gazetteer = gazetteer

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        context: Iterable[str | Place] = (),
        countries: Iterable[str] = (),
        **_: Any,
    ) -> Location | list[Location] | None:
        """The best place for ``query`` (``exactly_one``) or every candidate best first; None on a miss."""
        if not isinstance(query, str) or not query.strip():
            return None
        resolution = self.gazetteer.resolve(query, context, countries=countries)
        if resolution is None:
            return None
        if exactly_one:
            return _location(resolution.place, resolution, query)
        places = (resolution.place, *resolution.alternatives)
        return [
            _location(place, resolution if place is resolution.place else None, query) for place in places
        ]

    def reverse(self, query: Any, *, exactly_one: bool = True, **_: Any) -> None:
        """Not supported offline: raises NotImplementedError."""
        raise NotImplementedError(
            "GazetteerGeocoder resolves names to places; reverse geocoding is not offered"
        )


def _location(place: Place, resolution: Resolution | None, query: str) -> Location:
    raw = place.to_dict()
    raw["query"] = query
    if resolution is not None:
        raw["score"] = resolution.score
        raw["reason"] = resolution.reason
    address = ", ".join(x for x in (place.name, place.admin1, place.country) if x)
    return Location(address, (place.lat, place.lon), raw)
