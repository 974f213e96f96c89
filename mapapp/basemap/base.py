"""The fixed part of the map: framing, offline layers, tile choices, legend; one style, one map.

streamlit-folium keeps a mounted map only while the base map's JavaScript stays the same,
so nothing here depends on the events or the window: the slider's layer is added apart
(:func:`mapapp.mapview.places_layer`). The offline detail (districts, disputed-area lines,
town names) is fetched by the page from ``MapStyle.detail_url`` when the app serves it, so
the base map's script stays small; a standalone map carries it inline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import folium

from mapapp.basemap.tiles import ONLINE_TILES, TileSource
from mapapp.geo import point

__all__ = [
    "CDN_CSS",
    "CDN_JS",
    "OUTLINE_BOUNDS",
    "POPUP_LIMIT",
    "REGION_BOUNDS",
    "AssetLinks",
    "MapStyle",
    "base_map",
    "xy_box",
]

# south-west and north-east corners, (lat, lon): Armenia, Azerbaijan and Karabakh with a margin
REGION_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((38.85, 44.4), (41.05, 48.3))
# outlines are clipped to a wider box so panning a little never shows a cut edge
OUTLINE_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((34.0, 38.0), (45.0, 56.0))

POPUP_LIMIT = 5  # newest events listed in a popup (its size is the layer's size); the panel lists all

_LEAFLET_VERSION = "1.9.3"
CDN_JS = f"https://cdn.jsdelivr.net/npm/leaflet@{_LEAFLET_VERSION}/dist/leaflet.js"
CDN_CSS = f"https://cdn.jsdelivr.net/npm/leaflet@{_LEAFLET_VERSION}/dist/leaflet.css"


def xy_box(bounds: tuple[tuple[float, float], tuple[float, float]]) -> tuple[float, float, float, float]:
    """``((south, west), (north, east))`` as shapely's ``(xmin, ymin, xmax, ymax)``.

    >>> xy_box(((38.85, 44.4), (41.05, 48.3)))
    (44.4, 38.85, 48.3, 41.05)
    """
    (south, west), (north, east) = bounds
    sw, ne = point(south, west), point(north, east)
    return (sw.x, sw.y, ne.x, ne.y)


@dataclass(frozen=True, slots=True)
class AssetLinks:
    """Where the map's page loads Leaflet from: the project's own copy, or the public CDN.

    Only Leaflet is needed: markers, popups and the legend use no jQuery, Bootstrap or
    Font Awesome, so folium's other default assets are dropped.
    """

    leaflet_js: str = CDN_JS
    leaflet_css: str = CDN_CSS

    @classmethod
    def served_from(cls, base_url: str) -> AssetLinks:
        """Links into a folder laid out by ``python -m mapapp.app.assets``.

        >>> AssetLinks.served_from("/app/static/vendor/").leaflet_js
        '/app/static/vendor/leaflet/leaflet.js'
        """
        base = base_url.rstrip("/")
        return cls(leaflet_js=f"{base}/leaflet/leaflet.js", leaflet_css=f"{base}/leaflet/leaflet.css")


@dataclass(frozen=True, slots=True)
class MapStyle:
    """How the map looks; the same style gives the same base map, byte for byte (bar folium's ids).

    ``outlines`` draws the offline layers (land, borders, districts, disputed-area lines,
    names). ``detail_url`` is where the page fetches the built detail layers
    (:func:`mapapp.basemap.detail.ensure_detail_file`); ``None`` puts them inline in the
    map (a standalone map, or an app that cannot serve the file). ``tiles`` are the tile
    layers offered in the layer control, none of them shown until the user picks one.
    """

    assets: AssetLinks = field(default_factory=AssetLinks)
    bounds: tuple[tuple[float, float], tuple[float, float]] = REGION_BOUNDS
    outlines: bool = True
    detail_url: str | None = None
    tiles: tuple[TileSource, ...] = ONLINE_TILES
    popup_limit: int = POPUP_LIMIT
    min_zoom: int = 5
    max_zoom: int = 18

    def __post_init__(self) -> None:
        (south, west), (north, east) = self.bounds
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise ValueError(
                f"map bounds must be ((south, west), (north, east)) in degrees, got {self.bounds!r}"
            )
        if self.popup_limit < 1:
            raise ValueError(f"popup_limit must be at least 1, got {self.popup_limit!r}")
        keys = [t.key for t in self.tiles]
        if len(set(keys)) != len(keys):
            raise ValueError(f"tile layer keys must differ, got {keys!r}")


def base_map(style: MapStyle | None = None) -> folium.Map:
    """The fixed part of the map: framing, offline layers, layer control, legend, styles; no events.

    Built fresh on each rerun; the same ``style`` gives the same JavaScript, so
    streamlit-folium keeps the mounted map (and the user's zoom and layer choice) across reruns.
    """
    from mapapp.basemap.elements import BASE_CSS, BaseLayers, Legend

    style = style or MapStyle()
    (south, west), (north, east) = style.bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=7,
        tiles=None,
        control_scale=True,
        maxZoom=style.max_zoom,  # folium sets zoom limits on its tile layer, and there is none
        minZoom=style.min_zoom,
        zoomSnap=0.25,  # fit the theatre closely; whole zoom levels leave it small
        zoomDelta=0.5,
        prefer_canvas=False,
    )
    m.default_js = [("leaflet", style.assets.leaflet_js)]
    m.default_css = [("leaflet_css", style.assets.leaflet_css)]
    m.get_root().header.add_child(folium.Element(BASE_CSS), name="mapapp_base_css")
    BaseLayers(style).add_to(m)
    Legend(lines=style.outlines).add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    return m
