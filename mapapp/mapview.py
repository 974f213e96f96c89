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
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from mapapp.basemap import (
    POPUP_LIMIT,
    REGION_BOUNDS,
    AssetLinks,
    Legend,
    MapStyle,
    country_outlines,
)
from mapapp.basemap import base_map as _base_map
from mapapp.model import DateHow, Event, EventKind, Side
from mapapp.store.base import PlaceCount, PlaceSummary, newest_first, place_key, summarise_places

__all__ = [
    "POPUP_LIMIT",
    "REGION_BOUNDS",
    "SIDE_COLOURS",
    "SIDE_LABELS",
    "SIDE_SHORT_LABELS",
    "AssetLinks",
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
.mapapp-popup { font: 12.5px/1.4 system-ui, sans-serif; color: #222; overflow-wrap: anywhere; }
.mapapp-popup h4 { font-size: 14px; margin: 0; }
.mapapp-popup p { color: #666; margin: 0 0 4px; }
.mapapp-popup section { border-top: 1px solid #e3e3e3; padding: 5px 0; }
.mapapp-popup section i { display: inline-block; width: .7em; height: .7em; border-radius: 50%;
    margin-right: .3em; }
.mapapp-popup section div + div { color: #444; }
.mapapp-popup blockquote { margin: 4px 0 0; padding-left: 8px; border-left: 3px solid #ccc; color: #222; }
.mapapp-popup mark, .mapapp-mark { background: #fff1a8; padding: 0 1px; border-radius: 2px; }
</style>
"""


def base_map(style: MapStyle | None = None) -> folium.Map:
    """The fixed part of the map (:func:`mapapp.basemap.base_map`) with the markers' and popups' CSS."""
    m = _base_map(style)
    m.get_root().header.add_child(folium.Element(_MAP_CSS), name="mapapp_css")
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
