"""The only module that converts between (lat, lon) and shapely/GeoJSON's (x=lon, y=lat).

Events become GeoJSON features and GeoDataFrames here; every other module speaks
(lat, lon) as geopy and folium do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from mapapp.model import Event

if TYPE_CHECKING:  # geopandas is heavy: imported lazily where used
    import geopandas as gpd
    from shapely.geometry import Point

__all__ = [
    "CRS",
    "PROPERTY_NAMES",
    "event_properties",
    "events_to_geodataframe",
    "events_to_geojson",
    "point",
]

CRS = "EPSG:4326"

# the columns of every export, in order (see event_properties)
PROPERTY_NAMES: tuple[str, ...] = (
    "id", "source", "place", "place_resolved", "gazetteer_id", "country", "lat", "lon",
    "precision", "date", "date_how", "date_cue", "side", "side_cue", "disputed_by", "kinds",
    "confidence", "excerpt", "outlet", "title", "published", "language",
)


def point(lat: float, lon: float) -> Point:
    """Return a shapely Point for a (lat, lon) pair: x is the longitude."""
    from shapely.geometry import Point

    return Point(lon, lat)


def event_properties(event: Event) -> dict[str, Any]:
    """Flat, JSON-ready properties of an event, the same in every export format.

    Dates are ISO strings (YYYY-MM-DD); ``disputed_by`` and ``kinds`` (what happened: attack,
    casualties, capture...) are comma-separated lists.
    """
    return {
        "id": event.id,
        "source": event.source,
        "place": event.place,
        "place_resolved": event.place_resolved,
        "gazetteer_id": event.gazetteer_id,
        "country": event.country,
        "lat": event.lat,
        "lon": event.lon,
        "precision": event.precision.value,
        "date": event.date.isoformat(),
        "date_how": event.date_how.value,
        "date_cue": event.date_cue,
        "side": event.side.value,
        "side_cue": event.side_cue,
        "disputed_by": ",".join(s.value for s in event.disputed_by),
        "kinds": ",".join(k.value for k in event.kinds),
        "confidence": round(event.confidence, 3),
        "excerpt": event.excerpt,
        "outlet": event.outlet,
        "title": event.title,
        "published": event.published.isoformat() if event.published else None,
        "language": event.language,
    }


def events_to_geojson(events: Iterable[Event]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of Point features, coordinates [lon, lat]."""
    features = [
        {
            "type": "Feature",
            "id": event.id,
            "geometry": {"type": "Point", "coordinates": [event.lon, event.lat]},
            "properties": event_properties(event),
        }
        for event in events
    ]
    return {"type": "FeatureCollection", "features": features}


def events_to_geodataframe(events: Iterable[Event]) -> gpd.GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) with one row per event and :func:`event_properties` columns."""
    import geopandas as gpd

    rows = [event_properties(e) for e in events]
    return gpd.GeoDataFrame(
        rows,
        columns=list(PROPERTY_NAMES),
        geometry=gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows]),
        crs=CRS,
    )
