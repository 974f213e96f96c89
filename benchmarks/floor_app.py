"""The floor of ``bench_map``: an empty map in the same Streamlit, the app's own base map and no events.

``bench_map`` serves this page beside the app, with the same server options, and
measures its first map the same way: what any map costs here before a single event is
drawn. The base map's style is the map page's own (served Leaflet and detail, tile
choices). Not part of the app.
"""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from mapapp.app.views.map_page import _style
from mapapp.mapview import base_map

st.set_page_config(page_title="floor · empty map", layout="wide")
st_folium(
    base_map(_style()),
    key="map",
    feature_group_to_add=folium.FeatureGroup(name="Events", control=False),
    returned_objects=["last_object_clicked", "last_object_clicked_count"],
    height=610,
    use_container_width=True,
)
