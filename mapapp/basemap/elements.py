"""The base map's Leaflet parts as folium elements: offline layers, their layer control, the legend.

Custom behaviour lives in Jinja templates; data reaches the page's JavaScript only through
``tojson``. Every offline layer sits in a pane below Leaflet's marker pane (600) and takes
no pointer events, so nothing here can hide a marker or catch its click:

=================  =======  ======================================================
pane               z-index  holds
=================  =======  ======================================================
``mapapp-land``    210      the land fill (the "Offline map" base layer)
tile pane          200      a tile layer, when the user picks one instead
``mapapp-lines``   380      country borders, district lines, the disputed-area lines
``mapapp-names``   450      country, district and town names
=================  =======  ======================================================
"""

from __future__ import annotations

import html
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from mapapp.model import Side

__all__ = [
    "BASE_CSS",
    "DISPUTED_STYLES",
    "STORAGE_KEY",
    "BaseLayers",
    "Legend",
    "line_swatch",
]

STORAGE_KEY = "mapapp.basemap.v1"  # the browser's localStorage entry that keeps the layer choice
OFFLINE_LABEL = "Offline map (no network)"
# how each Nagorno-Karabakh line is drawn, and what the legend and the layer control call it
DISPUTED_STYLES: dict[str, dict[str, Any]] = {
    "nkao-1991": {
        "color": "#b2182b",
        "weight": 2.2,
        "dash": "7 4",
        "label": "Nagorno-Karabakh, 1991 boundary (disputed area)",
        "title": "The disputed area: the boundary of the Nagorno-Karabakh Autonomous Oblast as it stood "
        "in 1991 "
        "(Natural Earth). A historical boundary, not a front line.",
    },
    "ceasefire-1994": {
        "color": "#542788",
        "weight": 1.8,
        "dash": "2 4",
        "label": "1994 ceasefire line",
        "title": "The line of contact fixed by the 1994 ceasefire (Natural Earth): where the front stood "
        "when the war began on 27 September 2020.",
    },
}
DISTRICT_STYLE = {"color": "#8d8a84", "weight": 0.8, "dash": "3 3"}

BASE_CSS = """
<style>
.leaflet-container { background: #d8e4ea; }
.mapapp-country-label { font: 600 11px/1 system-ui, sans-serif; letter-spacing: .12em; color: #8a8780;
    text-transform: uppercase; white-space: nowrap; pointer-events: none; background: none; border: none; }
.mapapp-name { pointer-events: none; background: none; border: none; }
.mapapp-name span { position: absolute; white-space: nowrap; pointer-events: none;
    text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.mapapp-town span { left: -4px; top: -6.5px; font: 500 11px/13px system-ui, sans-serif; color: #3b3a36; }
.mapapp-town span::before { content: ""; display: inline-block; width: 4px; height: 4px; border-radius: 50%;
    background: #5b5a55; margin-right: 5px; vertical-align: 2px; }
.mapapp-district span { transform: translate(-50%, -50%); font: italic 10.5px/12px system-ui, sans-serif;
    letter-spacing: .04em; color: #7a776f; }
.leaflet-control-layers-list { font: 12px/1.5 system-ui, sans-serif; }
.leaflet-control-layers-list svg { vertical-align: middle; margin-right: 3px; }
</style>
"""


def line_swatch(color: str, weight: float, dash: str, *, width: int = 22) -> str:
    """A short line drawn as the map draws it (inline SVG), for the legend and the layer control."""
    return (
        f'<svg width="{width}" height="8" aria-hidden="true"><line x1="1" y1="4" x2="{width - 1}" y2="4" '
        f'stroke="{color}" stroke-width="{weight}" stroke-dasharray="{dash}"/></svg>'
    )


class BaseLayers(MacroElement):
    """The offline layers, the tile layers on offer and a layer control that remembers the choice.

    The "Offline map" base layer (land fill) is shown unless the browser's saved choice
    (``localStorage[STORAGE_KEY]``) names a tile layer; tile layers are only built into
    Leaflet objects, so no tile is requested until the user picks one. The detail (borders,
    districts, Nagorno-Karabakh lines, names) is fetched from ``detail_url`` or given inline.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var options = {{ this.options|tojson }};
            var panes = {"mapapp-land": 210, "mapapp-lines": 380, "mapapp-names": 450};
            Object.keys(panes).forEach(function (name) {
                var pane = map.createPane(name);
                pane.style.zIndex = String(panes[name]);
                pane.style.pointerEvents = "none";
            });
            var saved = {};
            try { saved = JSON.parse(window.localStorage.getItem(options.storage_key) || "{}") || {}; }
            catch (e) { saved = {}; }
            var save = function () {
                try { window.localStorage.setItem(options.storage_key, JSON.stringify(saved)); } catch (e) {}
            };
            var land = L.layerGroup([], {pane: "mapapp-land"});
            var bases = {}, byName = {};
            bases[options.offline_label] = land;
            byName[options.offline_label] = "offline";
            var chosen = land;
            options.tiles.forEach(function (t) {
                var layer = L.tileLayer(t.url, {attribution: t.attribution, maxNativeZoom: t.max_zoom,
                                                maxZoom: options.max_zoom, subdomains: t.subdomains});
                bases[t.label] = layer;
                byName[t.label] = t.key;
                if (saved.base === t.key) { chosen = layer; }
            });
            chosen.addTo(map);
            var lines = L.layerGroup([], {pane: "mapapp-lines"}).addTo(map);  // country borders: always
            var overlays = {};
            var named = {};
            options.overlays.forEach(function (o) {
                var group = L.layerGroup([], {pane: o.key === "names" ? "mapapp-names" : "mapapp-lines"});
                overlays[o.label] = group;
                byName[o.label] = o.key;
                named[o.key] = group;
                if ((saved.off || []).indexOf(o.key) < 0) { group.addTo(map); }
            });
            var control = L.control.layers(bases, overlays, {collapsed: true, position: "topright"});
            control.addTo(map);
            map.on("baselayerchange", function (e) { saved.base = byName[e.name]; save(); });
            map.on("overlayadd overlayremove", function (e) {
                var key = byName[e.name];
                var off = (saved.off || []).filter(function (k) { return k !== key; });
                if (e.type === "overlayremove") { off.push(key); }
                saved.off = off;
                save();
            });
            var path = function (style, pane) {
                return {pane: pane, interactive: false, color: style.color, weight: style.weight,
                        dashArray: style.dash || null, fill: false, opacity: 0.95};
            };
            var name = function (lat, lon, text, cls) {
                var marker = L.marker([lat, lon], {
                    pane: "mapapp-names", interactive: false, keyboard: false,
                    icon: L.divIcon({className: "mapapp-name " + cls, html: "<span></span>",
                                     iconSize: [0, 0]})
                });
                marker.on("add", function () { marker.getElement().firstChild.textContent = text; });
                return marker;
            };
            var draw = function (detail) {
                detail.land.forEach(function (c) {
                    L.geoJSON(c.geometry, {pane: "mapapp-land", interactive: false, style: {
                        stroke: false, fillOpacity: 1, fillColor: c.focus ? "#fbfaf5" : "#eceae4"
                    }}).addTo(land);
                    L.geoJSON(c.geometry, {interactive: false, style: path(
                        {color: "#6b6b6b", weight: c.focus ? 1.6 : 0.9}, "mapapp-lines")}).addTo(lines);
                });
                detail.countries.forEach(function (c) {
                    var marker = L.marker([c[0], c[1]], {
                        pane: "mapapp-names", interactive: false, keyboard: false,
                        icon: L.divIcon({className: "mapapp-country-label", html: "", iconSize: null})
                    });
                    marker.on("add", function () { marker.getElement().textContent = c[2]; });
                    marker.addTo(lines);
                });
                if (named.districts) {
                    L.geoJSON(detail.districts, {interactive: false,
                        style: path(options.district_style, "mapapp-lines")}).addTo(named.districts);
                }
                if (named.disputed) {
                    detail.disputed.forEach(function (d) {
                        var style = options.disputed_styles[d.kind];
                        L.geoJSON(d.geometry, {interactive: false, style: path(style, "mapapp-lines")})
                            .addTo(named.disputed);
                    });
                }
                if (named.names) {
                    var shown = {}, made = {};
                    var update = function () {
                        if (!map.hasLayer(named.names)) { return; }
                        var zoom = map.getZoom() + 1e-6, view = map.getBounds().pad(0.3);
                        detail.labels.forEach(function (t, i) {
                            var want = t[3] <= zoom && view.contains([t[0], t[1]]);
                            if (want && !shown[i]) {
                                made[i] = made[i] || name(t[0], t[1], t[2], "mapapp-" + t[4]);
                                named.names.addLayer(made[i]);
                                shown[i] = true;
                            } else if (!want && shown[i]) {
                                named.names.removeLayer(made[i]);
                                shown[i] = false;
                            }
                        });
                    };
                    map.on("zoomend moveend overlayadd", update);
                    update();
                }
                map.fire("mapapp:detail");
                map.__mapappDetail = true;
            };
            if (options.detail) {
                draw(options.detail);
            } else if (options.detail_url) {
                fetch(options.detail_url).then(function (r) {
                    if (!r.ok) { throw new Error(r.status + " " + r.statusText); }
                    return r.json();
                }).then(draw).catch(function (e) {
                    // say so on the map: without the detail it shows no land, borders or names
                    var notice = L.control({position: "topleft"});
                    notice.onAdd = function () {
                        var div = L.DomUtil.create("div", "mapapp-legend mapapp-detail-missing");
                        div.textContent = "The base map's borders and names did not load (" + e.message +
                            "): run `make prepare` and reload.";
                        return div;
                    };
                    notice.addTo(map);
                });
            }
            map.__mapappLayers = {bases: bases, overlays: overlays, control: control};
        })();
        {% endmacro %}
        """
    )

    def __init__(self, style: Any, *, detail: dict[str, Any] | None = None) -> None:
        super().__init__()
        self._name = "BaseLayers"
        overlays = []
        if style.outlines:
            nk = DISPUTED_STYLES["nkao-1991"]
            overlays = [
                {
                    "key": "districts",
                    "label": line_swatch(**_swatch(DISTRICT_STYLE)) + "Districts (rayons, marzer)",
                },
                {
                    "key": "disputed",
                    "label": line_swatch(**_swatch(nk)) + "Nagorno-Karabakh lines (1991, 1994)",
                },
                {"key": "names", "label": "Town and district names"},
            ]
            if detail is None and style.detail_url is None:
                from mapapp.basemap.detail import detail_data

                detail = detail_data()
        self.options = {
            "storage_key": STORAGE_KEY,
            "offline_label": html.escape(OFFLINE_LABEL),
            "max_zoom": style.max_zoom,
            "tiles": [
                {
                    "key": t.key,
                    "label": t.label_html,
                    "url": t.url,
                    "attribution": t.attribution_html,
                    "max_zoom": t.max_zoom,
                    "subdomains": t.subdomains,
                }
                for t in style.tiles
            ],
            "overlays": overlays,
            "district_style": DISTRICT_STYLE,
            "disputed_styles": {
                k: {x: v[x] for x in ("color", "weight", "dash")} for k, v in DISPUTED_STYLES.items()
            },
            "detail_url": style.detail_url if style.outlines else None,
            "detail": detail if style.outlines and style.detail_url is None else None,
        }


def _swatch(style: dict[str, Any]) -> dict[str, Any]:
    return {"color": style["color"], "weight": style["weight"], "dash": style["dash"]}


class Legend(MacroElement):
    """A Leaflet control listing the sides' colours, how to read a marker and the Nagorno-Karabakh lines."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .mapapp-legend { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 6px;
            transition: opacity .15s;
            box-shadow: 0 1px 4px rgba(0,0,0,.3); font: 11.5px/1.4 system-ui, sans-serif; color: #222; }
        .mapapp-legend { white-space: nowrap; padding: 3px 8px; }
        .mapapp-legend b { margin-right: 4px; cursor: help; }
        .mapapp-legend span { margin-left: 8px; }
        .mapapp-legend div.mapapp-lines { margin-top: 1px; }
        .mapapp-legend span[title] { cursor: help; }
        .mapapp-legend svg { vertical-align: middle; margin-right: 3px; }
        .mapapp-legend i { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
            margin-right: 4px; vertical-align: -1px; border: 1px solid rgba(0,0,0,.35); }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "mapapp-legend");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
            // a popup is what the user is reading: the legend steps back while one is open
            var fade = function (opacity) {
                return function () { legend.getContainer().style.opacity = opacity; };
            };
            {{ this._parent.get_name() }}.on("popupopen", fade(0.12)).on("popupclose", fade(1));
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, position: str = "bottomright", lines: bool = True) -> None:
        super().__init__()
        from mapapp.mapview import SIDE_COLOURS, SIDE_LABELS, SIDE_SHORT_LABELS

        self._name = "Legend"
        self.position = position
        # one short row along the map's bottom edge (the Araks valley and Iran): a legend in
        # a corner would hide front-line places such as Zangilan or Mingachevir
        items = "".join(
            f'<span title="{html.escape(SIDE_LABELS[side])}"><i style="background:{SIDE_COLOURS[side]}">'
            f"</i>{html.escape(SIDE_SHORT_LABELS[side])}</span>"
            for side in Side
        )
        self.html = (
            '<b title="The side that made the claim, not who attacked. '
            "A marker's number: events at the place in the window.\">Who reported it:</b>"
            f"{items}"
        )
        self.html = f"<div>{self.html}</div>"
        if lines:  # a second row: the disputed-area lines, each explained on hover
            rows = "".join(
                f'<span title="{html.escape(style["title"])}">{line_swatch(**_swatch(style))}'
                f"{html.escape(style['label'])}</span>"
                for style in DISPUTED_STYLES.values()
            )
            self.html += (
                f'<div class="mapapp-lines"><b title="Drawn from Natural Earth">Lines:</b>{rows}</div>'
            )
