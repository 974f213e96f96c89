"""The base map under the markers: offline layers (Natural Earth, gazetteer), tile choices, legend.

Modules: :mod:`~mapapp.basemap.base` (style and the fixed folium map),
:mod:`~mapapp.basemap.elements` (Leaflet parts), :mod:`~mapapp.basemap.tiles` (tile layers
and their configuration), :mod:`~mapapp.basemap.detail` (the offline detail, built once),
:mod:`~mapapp.basemap.labels` (which zoom a name shows at) and
:mod:`~mapapp.basemap.source` (the maintainers' cut of Natural Earth into ``data/``).
"""

from mapapp.basemap.base import (
    CDN_CSS,
    CDN_JS,
    OUTLINE_BOUNDS,
    POPUP_LIMIT,
    REGION_BOUNDS,
    AssetLinks,
    MapStyle,
    base_map,
)
from mapapp.basemap.detail import country_outlines, detail_data, ensure_detail_file
from mapapp.basemap.elements import BaseLayers, Legend
from mapapp.basemap.tiles import ONLINE_TILES, TileSource, configured_tiles

__all__ = [
    "CDN_CSS",
    "CDN_JS",
    "ONLINE_TILES",
    "OUTLINE_BOUNDS",
    "POPUP_LIMIT",
    "REGION_BOUNDS",
    "AssetLinks",
    "BaseLayers",
    "Legend",
    "MapStyle",
    "TileSource",
    "base_map",
    "configured_tiles",
    "country_outlines",
    "detail_data",
    "ensure_detail_file",
]
