"""Pure map building: places + window + style -> a fixed folium base map and the layer the slider changes.

The page draws one marker per *place* in the date window, never one per event: a
place's marker is a disc whose slices show which sides reported something there and
whose number says how many events it holds. The places come from the store
(:meth:`mapapp.store.EventStore.places`, a ``GROUP BY`` in the database) or, for a list of
events in hand, from :func:`aggregate`, which gives the same answer in Python. The base
map (country outlines, legend, framing) never changes between reruns, so streamlit-folium
does not re-mount it; only the :class:`folium.FeatureGroup` from :func:`places_layer`
changes with the slider.

Everything that comes from an article (names, titles, outlets, excerpts) is untrusted:
every HTML string built here goes through :func:`html.escape`, and data reaches the
page's JavaScript only through Jinja's ``tojson`` (which escapes ``<``, ``>``, ``&``
and quotes), never through a JavaScript template literal.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from mapapp.geo import point
from mapapp.model import DateHow, Event, EventKind, Side
from mapapp.store.base import PlaceCount, PlaceSummary, newest_first, place_key, summarise_places

__all__ = [
    "POPUP_LIMIT",
    "REGION_BOUNDS",
    "SIDE_COLOURS",
    "SIDE_LABELS",
    "SIDE_SHORT_LABELS",
    "AssetLinks",
    "CountryOutlines",
    "Legend",
    "MapPlace",
    "MapStyle",
    "MapView",
    "PlaceLayer",
    "Window",
    "WindowMode",
    "aggregate",
    "base_map",
    "build_map",
    "counted",
    "country_outlines",
    "events_in_window",
    "highlight_html",
    "highlight_segments",
    "kinds_label",
    "map_view",
    "marker_background",
    "marker_size",
    "markers",
    "markers_js",
    "place_at",
    "places_layer",
    "popup_html",
    "script_json",
    "tooltip_html",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour
# vision deficiency. One mapping for the markers, the legend, the panel and the timeline.
SIDE_COLOURS: Mapping[Side, str] = MappingProxyType(
    {
        Side.ARMENIA: "#E69F00",  # orange
        Side.AZERBAIJAN: "#0072B2",  # blue
        Side.THIRD_PARTY: "#009E73",  # bluish green
        Side.INDEPENDENT: "#CC79A7",  # reddish purple
    }
)

SIDE_SHORT_LABELS: Mapping[Side, str] = MappingProxyType(
    {
        Side.ARMENIA: "Armenia",
        Side.AZERBAIJAN: "Azerbaijan",
        Side.THIRD_PARTY: "Third parties",
        Side.INDEPENDENT: "Independent",
    }
)
SIDE_LABELS: Mapping[Side, str] = MappingProxyType(
    {
        Side.ARMENIA: "Armenia / Artsakh officials and media",
        Side.AZERBAIJAN: "Azerbaijan officials and media",
        Side.THIRD_PARTY: "Third parties (Russia, OSCE, UN, ICRC, Turkey…)",
        Side.INDEPENDENT: "Independent (journalists, NGOs, residents)",
    }
)

# south-west and north-east corners, (lat, lon): Armenia, Azerbaijan and Karabakh with a margin
REGION_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((38.85, 44.4), (41.05, 48.3))
# outlines are clipped to a wider box so panning a little never shows a cut edge
OUTLINE_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((34.0, 38.0), (45.0, 56.0))

POPUP_LIMIT = 5  # newest events listed in a popup (its size is the layer's size); the panel lists all

_LEAFLET_VERSION = "1.9.3"
CDN_JS = f"https://cdn.jsdelivr.net/npm/leaflet@{_LEAFLET_VERSION}/dist/leaflet.js"
CDN_CSS = f"https://cdn.jsdelivr.net/npm/leaflet@{_LEAFLET_VERSION}/dist/leaflet.css"


class WindowMode(StrEnum):
    """How the date slider's day becomes a window of days."""

    DAY = "day"  # only the chosen day
    WEEK = "week"  # the seven days ending on the chosen day
    TO_DATE = "to-date"  # from the first day of the data to the chosen day


@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive range of days.

    >>> Window.ending(date(2020, 10, 7), WindowMode.WEEK, first=date(2020, 9, 27))
    Window(start=datetime.date(2020, 10, 1), end=datetime.date(2020, 10, 7))
    >>> Window.ending(date(2020, 9, 29), WindowMode.WEEK, first=date(2020, 9, 27)).start
    datetime.date(2020, 9, 23)
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start}): swap the two days")

    @classmethod
    def ending(cls, day: date, mode: WindowMode | str, *, first: date) -> Window:
        """The window the slider shows when it sits on ``day``.

        ``first`` is the first day of the data, used by :attr:`WindowMode.TO_DATE`
        (a ``day`` before ``first`` gives the one-day window ``day..day``).
        """
        mode = WindowMode(mode)
        if mode is WindowMode.DAY:
            return cls(day, day)
        if mode is WindowMode.WEEK:
            return cls(day - timedelta(days=6), day)
        return cls(min(first, day), day)

    @property
    def days(self) -> int:
        """Number of days in the window, both ends included."""
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def label(self) -> str:
        """Human form: ``30 Sep 2020`` or ``24 Sep – 30 Sep 2020``."""
        end = f"{self.end.day} {self.end:%b %Y}"
        if self.start == self.end:
            return end
        start = f"{self.start.day} {self.start:%b}"
        if self.start.year != self.end.year:
            start += f" {self.start:%Y}"
        return f"{start} – {end}"


# what one marker stands for: the store's per-place summary (``events`` may be only the newest)
MapPlace = PlaceSummary


def events_in_window(events: Iterable[Event], window: Window | None) -> list[Event]:
    """The events whose day lies in ``window`` (all of them for ``None``), order kept."""
    if window is None:
        return list(events)
    start, end = window.start, window.end
    return [e for e in events if start <= e.date <= end]


def aggregate(events: Iterable[Event], *, newest: int | None = None) -> tuple[MapPlace, ...]:
    """Group events by place: one :class:`MapPlace` per gazetteer id (without one: per point).

    The Python twin of :meth:`mapapp.store.EventStore.places`, for events in hand: the
    same ``GROUP BY`` (gazetteer id, point, gazetteer name, side) and the same
    :func:`mapapp.store.base.summarise_places`, so names, points, counts and order agree.
    Each place keeps its events newest first (then the legend's side order, source, id):
    all of them, or the ``newest`` few.
    """
    rows: dict[tuple[str, float, float, str, Side], list[Event]] = {}
    for event in events:
        group = (event.gazetteer_id, event.lat, event.lon, event.place_resolved, event.side)
        rows.setdefault(group, []).append(event)
    counts = [
        PlaceCount(gid, lat, lon, name, side, len(group), *_span(group))
        for (gid, lat, lon, name, side), group in rows.items()
    ]
    by_place: dict[str, list[Event]] = {}
    for group in rows.values():
        by_place.setdefault(place_key(group[0].gazetteer_id, group[0].lat, group[0].lon), []).extend(group)
    listed = {key: sorted(group, key=newest_first)[:newest] for key, group in by_place.items()}
    return tuple(summarise_places(counts, listed))


def _span(events: Sequence[Event]) -> tuple[date, date]:
    days = [e.date for e in events]
    return min(days), max(days)


def place_at(
    places: Sequence[MapPlace], lat: float, lon: float, *, max_km: float = 25.0
) -> MapPlace | None:
    """The place of the marker clicked at (lat, lon): the nearest one within ``max_km``.

    Leaflet reports a marker's own position on a click, so the nearest place is the
    clicked one; ``None`` when nothing is that close (a click on the empty map, or a
    marker of a window that is no longer shown).
    """
    best: tuple[float, MapPlace] | None = None
    for place in places:
        km = _km(lat, lon, place.lat, place.lon)
        if km <= max_km and (best is None or km < best[0]):
            best = (km, place)
    return best[1] if best else None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless one, with thousands separators.

    >>> counted(1, "event"), counted(1200, "event"), counted(0, "article")
    ('1 event', '1,200 events', '0 articles')
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@lru_cache(maxsize=1024)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)


def highlight_segments(text: str, names: Iterable[str]) -> list[tuple[str, bool]]:
    """Split ``text`` into (piece, is_a_name) pairs, matching ``names`` whole-word, any case.

    Longer names win over the shorter names inside them; the pieces join back to ``text``.

    >>> highlight_segments("Serangan di Stepanakert, kata warga.", ["Stepanakert"])
    [('Serangan di ', False), ('Stepanakert', True), (', kata warga.', False)]
    """
    wanted = tuple(sorted({n for n in names if n and n.strip()}, key=lambda n: (-len(n), n)))
    if not text or not wanted:
        return [(text, False)] if text else []
    pattern = _names_pattern(wanted)
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            pieces.append((text[at : match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def highlight_html(text: str, names: Iterable[str], *, mark_class: str = "mapapp-mark") -> str:
    """``text`` escaped for HTML, with every name wrapped in ``<mark>`` (of ``mark_class``, if any).

    >>> highlight_html("<b>Ganja</b> hit", ["Ganja"])
    '&lt;b&gt;<mark class="mapapp-mark">Ganja</mark>&lt;/b&gt; hit'
    """
    mark = f'<mark class="{mark_class}">' if mark_class else "<mark>"
    out = []
    for piece, is_name in highlight_segments(text, names):
        escaped = html.escape(piece)
        out.append(f"{mark}{escaped}</mark>" if is_name else escaped)
    return "".join(out)


def _event_facts(event: Event) -> str:
    facts = [
        f"<b>{event.date.isoformat()}</b>",
        f'<i style="background:{SIDE_COLOURS[event.side]}"></i>{html.escape(event.side.value)}',
    ]
    if event.kinds:
        facts.append(html.escape(kinds_label(event.kinds)))
    if event.date_how is DateHow.PUBLICATION:
        facts.append("<em>date = publication day</em>")
    if event.disputed_by:
        facts.append("denied by " + ", ".join(html.escape(s.value) for s in event.disputed_by))
    return " · ".join(facts)


def kinds_label(kinds: Iterable[EventKind]) -> str:
    """What happened, in words: ``(ATTACK, CASUALTIES)`` -> ``"attack, casualties"``."""
    return ", ".join(kind.value for kind in kinds)


def popup_html(place: MapPlace, *, limit: int = POPUP_LIMIT) -> str:
    """The popup of a marker: the place and its newest ``limit`` events, all text escaped.

    Each event shows its date, side, outlet, title, publication day and the excerpt
    with the place's names highlighted; a last line says how many more the panel
    beside the map lists. Markup is terse (styled by the base map's CSS): the popups
    are most of what a slider step sends.
    """
    names = place.names
    parts = [
        f'<div class="mapapp-popup"><h4>{html.escape(place.name)}</h4>',
        f"<p>{counted(place.n, 'event')} in the window · "
        f"{place.lat:.4f}, {place.lon:.4f}</p>",
    ]
    shown = place.events[:limit]
    for event in shown:
        published = event.published.isoformat() if event.published else "unknown"
        parts.append(
            f"<section><div>{_event_facts(event)}</div>"
            f"<div>{html.escape(event.outlet or 'unknown outlet')} — "
            f"{html.escape(event.title or event.source)} (published {published})</div>"
            f'<blockquote>{highlight_html(event.excerpt, names, mark_class="")}</blockquote></section>'
        )
    more = f"and {place.n - len(shown)} more: " if place.n > len(shown) else ""
    parts.append(f"<p><em>{more}all events and whole articles in the panel beside the map</em></p></div>")
    return "".join(parts)


def tooltip_html(place: MapPlace) -> str:
    """The hover label: place name, event count and count per side, escaped."""
    per_side = ", ".join(f"{side.value} {n}" for side, n in place.counts.items())
    noun = "event" if place.n == 1 else "events"
    return f"<b>{html.escape(place.name)}</b> · {place.n} {noun} ({html.escape(per_side)})"


def marker_size(n: int, *, smallest: int = 26, largest: int = 58) -> int:
    """Marker diameter in pixels for ``n`` events: grows with log(n), capped.

    >>> marker_size(1), marker_size(10), marker_size(10_000)
    (26, 39, 58)
    """
    if n < 1:
        raise ValueError(f"a marker holds at least one event, got n={n!r}")
    return int(min(largest, smallest + 13 * math.log10(n)))


def marker_background(counts: Mapping[Side, int]) -> str:
    """CSS background for a marker: one colour, or a pie of the sides' shares.

    >>> marker_background({Side.ARMENIA: 1})
    '#E69F00'
    >>> marker_background({Side.ARMENIA: 1, Side.AZERBAIJAN: 3})
    'conic-gradient(#E69F00 0.0% 25.0%, #0072B2 25.0% 100.0%)'
    """
    shown = [(Side(s), n) for s, n in counts.items() if n > 0]
    if not shown:
        raise ValueError("a marker needs at least one side with events")
    if len(shown) == 1:
        return SIDE_COLOURS[shown[0][0]]
    total = sum(n for _, n in shown)
    stops, at = [], 0.0
    for side, n in shown:
        end = 100.0 if side is shown[-1][0] else at + 100.0 * n / total
        stops.append(f"{SIDE_COLOURS[side]} {at:.1f}% {end:.1f}%")
        at = end
    return "conic-gradient(" + ", ".join(stops) + ")"


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
    """How the map looks; the same style gives the same base map, byte for byte (bar folium's ids)."""

    assets: AssetLinks = field(default_factory=AssetLinks)
    bounds: tuple[tuple[float, float], tuple[float, float]] = REGION_BOUNDS
    outlines: bool = True
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


class Legend(MacroElement):
    """A Leaflet control listing the sides' colours and how to read a marker."""

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

    def __init__(self, *, position: str = "bottomright") -> None:
        super().__init__()
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
            'A marker\'s number: events at the place in the window.">Who reported it:</b>'
            f"{items}"
        )


class CountryOutlines(MacroElement):
    """Country borders and names drawn from bundled data: the map makes sense with no tiles."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var data = {{ this.data|tojson }};
            L.geoJSON(data, {
                interactive: false,
                style: function (f) {
                    var focus = f.properties.focus;
                    return {color: "#6b6b6b", weight: focus ? 1.6 : 0.9, opacity: 0.9, fillOpacity: 1,
                            fillColor: focus ? "#fbfaf5" : "#eceae4"};
                }
            }).addTo({{ this._parent.get_name() }});
            data.features.forEach(function (f) {
                var label = L.marker([f.properties.label_lat, f.properties.label_lon], {
                    interactive: false, keyboard: false,
                    icon: L.divIcon({className: "mapapp-country-label", html: "", iconSize: null})
                });
                label.on("add", function () { label.getElement().textContent = f.properties.name; });
                label.addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "CountryOutlines"
        self.data = data


class PlaceLayer(MacroElement):
    """Draws places as count markers into its parent layer, from data only (no JS built from strings)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            {{ this.data_js }}.forEach(function (p) {
                var icon = L.divIcon({
                    className: "mapapp-place",
                    html: '<div class="mapapp-disc"><span></span></div>',
                    iconSize: [p.size, p.size]
                });
                var marker = L.marker([p.lat, p.lon], {icon: icon, riseOnHover: true,
                                                       zIndexOffset: p.z, keyboard: true});
                marker.bindTooltip(p.tooltip, {direction: "top", offset: [0, -p.size / 2]});
                marker.bindPopup(p.popup, {maxWidth: 380, maxHeight: 340, autoPanPadding: [20, 20]});
                marker.on("add", function () {  // the icon's element exists once on a map
                    var el = marker.getElement();
                    el.setAttribute("data-place", p.key);
                    el.setAttribute("data-count", String(p.n));
                    el.setAttribute("aria-label", p.label);
                    var disc = el.firstChild;
                    disc.style.background = p.background;
                    disc.firstChild.textContent = String(p.n);
                });
                marker.addTo(group);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data_js: str) -> None:
        super().__init__()
        self._name = "PlaceLayer"
        self.data_js = data_js  # see markers_js: a literal safe inside a <script> element


def markers(places: Sequence[MapPlace], *, popup_limit: int = POPUP_LIMIT) -> list[dict[str, Any]]:
    """What each place's marker needs: point, size, colours and its escaped tooltip, popup and label."""
    return [
        {
            "key": place.key,
            "lat": round(place.lat, 5),
            "lon": round(place.lon, 5),
            "n": place.n,
            "size": marker_size(place.n),
            "z": 1000 - min(place.n, 999),
            "background": marker_background(place.counts),
            "tooltip": tooltip_html(place),
            "popup": popup_html(place, limit=popup_limit),
            "label": f"{place.name}: {counted(place.n, 'event')}",
        }
        for place in places
    ]


def markers_js(places: Sequence[MapPlace], *, popup_limit: int = POPUP_LIMIT) -> str:
    """The places' :func:`markers` as a JavaScript literal, safe inside a ``<script>`` element too.

    Every article string in them is already HTML-escaped, so the only ``<`` are our own
    tags; JSON quoting keeps the strings strings, and ``</`` and ``<!--`` are broken up
    so no text can end the script element (:func:`script_json`). This keeps the layer a
    third the size of Jinja's ``tojson``, which spells each ``<`` as ``\\u003c``. Most of
    a slider step's server time is here and in rendering it: the app caches it per window.
    """
    return script_json(markers(places, popup_limit=popup_limit))


def script_json(data: Any) -> str:
    """JSON for a JavaScript literal inside HTML: ``</`` and ``<!--`` cannot close or comment the script.

    >>> script_json({"html": "<b>x</b><!--"})
    '{"html":"<b>x<\\\\/b><\\\\!--"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--").replace("\u2028", "\\u2028").replace(
        "\u2029", "\\u2029"
    )


# CSS of markers, popups and labels, in the base map's header (fixed between reruns)
_MAP_CSS = """
<style>
.mapapp-place { background: none; border: none; }
.mapapp-disc { width: 100%; height: 100%; border-radius: 50%; box-sizing: border-box;
    border: 1.5px solid #fff; box-shadow: 0 0 0 1px rgba(0,0,0,.6), 0 1px 4px rgba(0,0,0,.45);
    display: flex; align-items: center; justify-content: center; cursor: pointer; }
.mapapp-disc span { font: 700 11px/1 system-ui, sans-serif; color: #111; background: #fff;
    border-radius: 50%; width: 56%; height: 56%; min-width: 15px; min-height: 15px;
    display: flex; align-items: center; justify-content: center; }
.mapapp-place:focus .mapapp-disc, .mapapp-place:hover .mapapp-disc { box-shadow: 0 0 0 2px #111; }
.mapapp-country-label { font: 600 11px/1 system-ui, sans-serif; letter-spacing: .12em; color: #8a8780;
    text-transform: uppercase; white-space: nowrap; pointer-events: none; background: none; border: none; }
.mapapp-popup { font: 12.5px/1.4 system-ui, sans-serif; color: #222; overflow-wrap: anywhere; }
.mapapp-popup h4 { font-size: 14px; margin: 0; }
.mapapp-popup p { color: #666; margin: 0 0 4px; }
.mapapp-popup section { border-top: 1px solid #e3e3e3; padding: 5px 0; }
.mapapp-popup section i { display: inline-block; width: .7em; height: .7em; border-radius: 50%;
    margin-right: .3em; }
.mapapp-popup section div + div { color: #444; }
.mapapp-popup blockquote { margin: 4px 0 0; padding-left: 8px; border-left: 3px solid #ccc; color: #222; }
.mapapp-popup mark, .mapapp-mark { background: #fff1a8; padding: 0 1px; border-radius: 2px; }
.leaflet-container { background: #d8e4ea; }
</style>
"""


_NATURALEARTH = ("pyogrio", "tests", "fixtures", "naturalearth_lowres", "naturalearth_lowres.shp")
_FOCUS = ("ARM", "AZE")


def _xy_bounds(bounds: tuple[tuple[float, float], tuple[float, float]]) -> tuple[float, float, float, float]:
    from shapely import MultiPoint

    (south, west), (north, east) = bounds
    return MultiPoint([point(south, west), point(north, east)]).bounds


@cache
def country_outlines(
    bounds: tuple[tuple[float, float], tuple[float, float]] = OUTLINE_BOUNDS,
) -> dict[str, Any]:
    """Country polygons clipped to ``bounds``, as a GeoJSON FeatureCollection.

    The shapes are Natural Earth's 1:110m countries (public domain) as shipped inside the
    ``pyogrio`` wheel, so nothing is downloaded. Each feature has ``name``, ``iso_a3``,
    ``focus`` (Armenia and Azerbaijan) and a label position. Raises ``FileNotFoundError``
    naming the missing file when the installed pyogrio does not ship it.
    """
    import pyogrio
    from shapely import box, clip_by_rect, set_precision

    path = Path(pyogrio.__file__).parent.joinpath(*_NATURALEARTH[1:])
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: Natural Earth outlines are missing from the installed pyogrio; "
            "reinstall it (`pip install --force-reinstall pyogrio`) or start the map with outlines off"
        )
    xmin, ymin, xmax, ymax = _xy_bounds(bounds)
    focus_box = box(*_xy_bounds(REGION_BOUNDS))
    frame = pyogrio.read_dataframe(path, bbox=(xmin, ymin, xmax, ymax), columns=["name", "iso_a3"])
    features = []
    for name, iso, geometry in zip(frame["name"], frame["iso_a3"], frame.geometry, strict=True):
        shape = set_precision(clip_by_rect(geometry, xmin, ymin, xmax, ymax), 0.001)
        if shape.is_empty:
            continue
        inner = shape.intersection(focus_box)
        anchor = (inner if not inner.is_empty and inner.area > 0.05 else shape).representative_point()
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": str(name),
                    "iso_a3": str(iso),
                    "focus": iso in _FOCUS,
                    "label_lat": round(anchor.y, 3),
                    "label_lon": round(anchor.x, 3),
                },
                "geometry": shape.__geo_interface__,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def base_map(style: MapStyle | None = None) -> folium.Map:
    """The fixed part of the map: framing, outlines, legend, styles; no events.

    Built fresh on each rerun; the same ``style`` gives the same JavaScript, so
    streamlit-folium keeps the mounted map (and the user's zoom) across reruns.
    """
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
    m.get_root().header.add_child(folium.Element(_MAP_CSS), name="mapapp_css")
    if style.outlines:
        CountryOutlines(country_outlines()).add_to(m)
    Legend().add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    return m


def places_layer(
    places: Sequence[MapPlace], style: MapStyle | None = None, *, data_js: str | None = None
) -> folium.FeatureGroup:
    """The layer the slider changes: one count marker per place (``data_js``: their :func:`markers_js`)."""
    style = style or MapStyle()
    group = folium.FeatureGroup(name="Events", control=False)
    if data_js is None:
        data_js = markers_js(places, popup_limit=style.popup_limit)
    PlaceLayer(data_js).add_to(group)
    return group


@dataclass(frozen=True, slots=True)
class MapView:
    """A map ready to draw: the fixed base map, the changing layer and what the layer shows."""

    map: folium.Map
    layer: folium.FeatureGroup
    window: Window | None
    places: tuple[MapPlace, ...]

    @property
    def n_events(self) -> int:
        """Events in the layer."""
        return sum(p.n for p in self.places)

    def standalone(self) -> folium.Map:
        """The base map with the layer added: a whole map for ``save()`` or a notebook."""
        self.layer.add_to(self.map)
        return self.map


def map_view(
    places: Sequence[MapPlace],
    window: Window | None = None,
    style: MapStyle | None = None,
    *,
    data_js: str | None = None,
) -> MapView:
    """Place summaries (a store's :meth:`~mapapp.store.EventStore.places`) -> base map and layer.

    ``data_js`` is the places' :func:`markers_js` when the caller has it already (cached).
    """
    style = style or MapStyle()
    layer = places_layer(places, style, data_js=data_js)
    return MapView(map=base_map(style), layer=layer, window=window, places=tuple(places))


def build_map(
    events: Iterable[Event], window: Window | None = None, style: MapStyle | None = None
) -> MapView:
    """Events + window + style -> the base map and the layer of places in the window.

    For events in hand (a notebook, a script); the app asks the store for the places instead.
    """
    return map_view(aggregate(events_in_window(events, window)), window, style)
