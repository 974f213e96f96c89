"""The pure map builder: windows, per-place aggregation, clicks, escaping, markers, outlines, assets."""

from __future__ import annotations

import re
from datetime import date

import pytest
from shapely.geometry import shape
from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

from mapapp.geo import point
from mapapp.mapview import (
    SIDE_COLOURS,
    AssetLinks,
    MapStyle,
    Window,
    WindowMode,
    aggregate,
    base_map,
    build_map,
    country_outlines,
    events_in_window,
    highlight_html,
    highlight_segments,
    marker_background,
    marker_size,
    place_at,
    popup_html,
    tooltip_html,
)
from mapapp.model import DateHow, Event, Excerpt, Side

XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'

STEPANAKERT = ("geonames:174875", "Stepanakert", 39.8177, 46.7528)
SHUSHA = ("geonames:174972", "Shusha", 39.7583, 46.7484)
GANJA = ("geonames:587084", "Ganja", 40.6828, 46.3606)


def make_event(
    n: int,
    where: tuple[str, str, float, float] = STEPANAKERT,
    day: date = date(2020, 10, 4),
    side: Side = Side.ARMENIA,
    *,
    text: str = "",
    title: str = "A title",
    outlet: str = "Kompas.com",
    place: str | None = None,
) -> Event:
    gid, name, lat, lon = where
    excerpt = text or f"Serangan roket menghantam {place or name} pada Minggu."
    return Event(
        id=f"ev_{n:016x}",
        source=f"article-{n}.txt",
        place=place or name,
        place_resolved=name,
        gazetteer_id=gid,
        lat=lat,
        lon=lon,
        date=day,
        side=side,
        excerpts=(Excerpt(excerpt, 0, len(excerpt)),),
        outlet=outlet,
        title=title,
        published=day,
        language="id",
        country="AZ",
        date_how=DateHow.EXPLICIT,
    )


# -- windows --------------------------------------------------------------------------------

FIRST = date(2020, 9, 27)
WINDOWS = [
    pytest.param(date(2020, 10, 7), WindowMode.DAY, date(2020, 10, 7), date(2020, 10, 7), id="day"),
    pytest.param(date(2020, 10, 7), WindowMode.WEEK, date(2020, 10, 1), date(2020, 10, 7), id="week"),
    pytest.param(date(2020, 10, 7), WindowMode.TO_DATE, FIRST, date(2020, 10, 7), id="to-date"),
    pytest.param(FIRST, WindowMode.TO_DATE, FIRST, FIRST, id="to-date-first-day"),
    pytest.param(date(2020, 9, 1), WindowMode.TO_DATE, date(2020, 9, 1), date(2020, 9, 1), id="before-data"),
    pytest.param(date(2020, 10, 7), "week", date(2020, 10, 1), date(2020, 10, 7), id="mode-as-string"),
]


@pytest.mark.parametrize(("day", "mode", "start", "end"), WINDOWS)
def test_window_ending(day: date, mode: WindowMode, start: date, end: date) -> None:
    window = Window.ending(day, mode, first=FIRST)
    assert (window.start, window.end) == (start, end)
    assert window.days == (end - start).days + 1
    assert day in window


def test_window_refuses_end_before_start() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Window(date(2020, 10, 2), date(2020, 10, 1))


def test_window_refuses_unknown_mode() -> None:
    with pytest.raises(ValueError, match="month"):
        Window.ending(date(2020, 10, 2), "month", first=FIRST)


@pytest.mark.parametrize(
    ("window", "label"),
    [
        (Window(date(2020, 9, 30), date(2020, 9, 30)), "30 Sep 2020"),
        (Window(date(2020, 9, 24), date(2020, 9, 30)), "24 Sep – 30 Sep 2020"),
        (Window(date(2019, 12, 30), date(2020, 1, 2)), "30 Dec 2019 – 2 Jan 2020"),
    ],
)
def test_window_label(window: Window, label: str) -> None:
    assert window.label() == label


def test_events_in_window_keeps_both_ends_and_order() -> None:
    days = [date(2020, 9, 30), date(2020, 10, 1), date(2020, 10, 4), date(2020, 10, 5)]
    events = [make_event(i, day=d) for i, d in enumerate(days)]
    kept = events_in_window(events, Window(date(2020, 10, 1), date(2020, 10, 4)))
    assert [e.date for e in kept] == days[1:3]
    assert events_in_window(events, None) == events


# -- aggregation ----------------------------------------------------------------------------


def test_events_at_one_place_make_one_marker_with_their_count() -> None:
    events = [
        make_event(1, STEPANAKERT, date(2020, 10, 4), Side.ARMENIA),
        make_event(2, STEPANAKERT, date(2020, 10, 5), Side.AZERBAIJAN),
        make_event(3, STEPANAKERT, date(2020, 10, 5), Side.ARMENIA),
        make_event(4, GANJA, date(2020, 10, 4), Side.AZERBAIJAN),
    ]
    places = aggregate(events)
    assert [(p.name, p.n) for p in places] == [("Stepanakert", 3), ("Ganja", 1)]
    stepanakert = places[0]
    assert stepanakert.counts == {Side.ARMENIA: 2, Side.AZERBAIJAN: 1}
    # newest first, then the legend's side order
    assert [(e.date.day, e.side) for e in stepanakert.events] == [
        (5, Side.ARMENIA),
        (5, Side.AZERBAIJAN),
        (4, Side.ARMENIA),
    ]
    assert (stepanakert.first, stepanakert.last) == (date(2020, 10, 4), date(2020, 10, 5))


def test_place_name_is_the_most_common_gazetteer_name_and_names_include_spellings() -> None:
    events = [
        make_event(1, STEPANAKERT, place="Khankendi"),
        make_event(2, STEPANAKERT, place="Stepanakert"),
    ]
    (place,) = aggregate(events)
    assert place.name == "Stepanakert"
    assert place.names == ("Stepanakert", "Khankendi")


def test_aggregate_of_nothing_is_empty() -> None:
    assert aggregate([]) == ()


CLICKS = [
    pytest.param(STEPANAKERT[2], STEPANAKERT[3], "Stepanakert", id="on-the-marker"),
    pytest.param(SHUSHA[2] + 0.001, SHUSHA[3], "Shusha", id="next-to-a-close-neighbour"),
    pytest.param(40.60, 46.30, "Ganja", id="a-few-km-off"),
    pytest.param(41.7, 44.8, None, id="empty-map-tbilisi"),
]


@pytest.mark.parametrize(("lat", "lon", "expected"), CLICKS)
def test_click_finds_the_place_and_its_events(lat: float, lon: float, expected: str | None) -> None:
    events = [make_event(1, STEPANAKERT), make_event(2, SHUSHA), make_event(3, GANJA), make_event(4, GANJA)]
    place = place_at(aggregate(events), lat, lon)
    assert (place.name if place else None) == expected
    if place is not None:
        assert all(e.place_resolved == expected for e in place.events)


# -- text and escaping ----------------------------------------------------------------------

SEGMENTS = [
    pytest.param("Serangan di Stepanakert.", ["Stepanakert"], ["Stepanakert"], id="plain"),
    pytest.param("serangan di STEPANAKERT", ["Stepanakert"], ["STEPANAKERT"], id="any-case"),
    pytest.param("Ganjaly dan Ganja", ["Ganja"], ["Ganja"], id="whole-words-only"),
    pytest.param("Nagorno-Karabakh dan Karabakh", ["Karabakh", "Nagorno-Karabakh"],
                 ["Nagorno-Karabakh", "Karabakh"], id="longest-first"),
    pytest.param("Tidak ada tempat", ["Ganja"], [], id="no-match"),
    pytest.param("Şuşa və Füzuli", ["Şuşa", "Füzuli"], ["Şuşa", "Füzuli"], id="azerbaijani-letters"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "names", "marked"), SEGMENTS)
def test_highlight_segments(text: str, names: list[str], marked: list[str]) -> None:
    pieces = highlight_segments(text, names)
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, is_name in pieces if is_name] == marked


def test_highlight_html_escapes_everything_but_its_marks() -> None:
    out = highlight_html(f"{XSS} near Ganja", ["Ganja"])
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "onerror=&quot;" in out
    assert out.endswith('near <mark class="mapapp-mark">Ganja</mark>')


def test_popup_and_tooltip_escape_every_article_field() -> None:
    where = ("curated:x", XSS, GANJA[2], GANJA[3])  # even a gazetteer name is escaped
    event = make_event(1, where, text=f"{XSS} Ganja hit", title=XSS, outlet=XSS, place="Ganja")
    (place,) = aggregate([event])
    for out in (popup_html(place), tooltip_html(place)):
        assert "<script" not in out and "<img" not in out
        assert "&lt;script&gt;" in out
        assert "&amp;lt;" not in out  # escaped once, not twice
    popup = popup_html(place)
    assert "<mark>Ganja</mark>" in popup
    assert "2020-10-04" in popup and "armenia" in popup


def test_popup_lists_at_most_the_limit_and_points_to_the_panel() -> None:
    events = [make_event(i, GANJA, date(2020, 10, 1 + i % 20)) for i in range(30)]
    (place,) = aggregate(events)
    popup = popup_html(place, limit=5)
    assert popup.count("<section>") == 5
    assert "and 25 more" in popup
    assert "30 events in the window" in popup


def test_popup_flags_publication_dates_and_denials() -> None:
    event = make_event(1, GANJA)
    flagged = Event(**{**{f: getattr(event, f) for f in Event.__slots__},
                       "date_how": DateHow.PUBLICATION, "disputed_by": (Side.ARMENIA,)})  # fmt: skip
    popup = popup_html(aggregate([flagged])[0])
    assert "date = publication day" in popup
    assert "denied by armenia" in popup


# -- markers --------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "size"), [(1, 26), (2, 29), (10, 39), (100, 52), (10**6, 58)])
def test_marker_size_grows_with_log_count_and_is_capped(n: int, size: int) -> None:
    assert marker_size(n) == size


def test_marker_size_refuses_empty_markers() -> None:
    with pytest.raises(ValueError, match="n=0"):
        marker_size(0)


def test_marker_background_is_a_pie_of_sides_in_legend_order() -> None:
    assert marker_background({Side.INDEPENDENT: 2}) == SIDE_COLOURS[Side.INDEPENDENT]
    pie = marker_background({Side.ARMENIA: 1, Side.THIRD_PARTY: 1, Side.INDEPENDENT: 2})
    assert pie == (
        f"conic-gradient({SIDE_COLOURS[Side.ARMENIA]} 0.0% 25.0%, "
        f"{SIDE_COLOURS[Side.THIRD_PARTY]} 25.0% 50.0%, {SIDE_COLOURS[Side.INDEPENDENT]} 50.0% 100.0%)"
    )
    with pytest.raises(ValueError, match="at least one side"):
        marker_background({})


def test_side_colours_are_distinct_okabe_ito_colours_for_every_side() -> None:
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert set(SIDE_COLOURS) == set(Side)
    assert len(set(SIDE_COLOURS.values())) == len(Side)
    assert set(SIDE_COLOURS.values()) <= okabe_ito


# -- the folium map -------------------------------------------------------------------------


def _events() -> list[Event]:
    return [
        make_event(1, STEPANAKERT, date(2020, 10, 1), Side.ARMENIA),
        make_event(2, STEPANAKERT, date(2020, 10, 4), Side.AZERBAIJAN),
        make_event(3, GANJA, date(2020, 10, 4), Side.AZERBAIJAN, text=f"{XSS} Ganja"),
        make_event(4, SHUSHA, date(2020, 10, 9), Side.INDEPENDENT),
    ]


def test_build_map_shows_the_places_of_the_window() -> None:
    view = build_map(_events(), Window(date(2020, 10, 1), date(2020, 10, 4)))
    assert [(p.name, p.n) for p in view.places] == [("Stepanakert", 2), ("Ganja", 1)]
    assert view.n_events == 3
    day = build_map(_events(), Window(date(2020, 10, 9), date(2020, 10, 9)))
    assert [p.name for p in day.places] == ["Shusha"]


def test_base_map_javascript_is_the_same_whatever_the_window() -> None:
    """streamlit-folium re-mounts the map when this hash changes: the slider must not change it."""
    hashes = set()
    one_day = Window(date(2020, 10, 1), date(2020, 10, 1))
    for window in (one_day, Window(date(2020, 9, 27), date(2020, 10, 9))):
        view = build_map(_events(), window)
        view.map.get_root().render()
        hashes.add(generate_js_hash(_get_map_string(view.map), "map"))
    assert len(hashes) == 1


def test_layer_javascript_carries_article_text_only_as_escaped_json() -> None:
    view = build_map(_events())
    view.map.get_root().render()
    js = _get_feature_group_string(view.layer, view.map)
    assert "<script" not in js and "<img" not in js
    assert "&lt;script&gt;" in js  # html.escape'd once, then JSON
    data = js.split("var group")[1].split(".forEach")[0]
    assert "</" not in data  # nothing in the data can close a <script> element
    assert "`" not in js.split("forEach")[0]  # no template literal around the data
    assert js.count('"key":') == 3


def test_map_loads_only_leaflet_and_from_the_given_place() -> None:
    style = MapStyle(assets=AssetLinks.served_from("/app/static/vendor"))
    m = base_map(style)
    html = m.get_root().render()
    sources = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+)"', html)
    vendor = "/app/static/vendor/leaflet"
    assert sorted(sources) == [f"{vendor}/leaflet.css", f"{vendor}/leaflet.js"]
    assert re.search(r'"maxZoom": 18\b', html)  # without it Leaflet has no zoom limit (no tile layer)


def test_standalone_map_holds_markers_outlines_and_legend() -> None:
    html = build_map(_events()).standalone().get_root().render()
    for fragment in ("mapapp-place", "L.geoJSON", "Who reported it", "Stepanakert", "fitBounds", "Khankendi"):
        assert fragment in html
    # tile layers are offered, but the offline land is what the map opens with (browser tests check
    # that no tile is requested)
    assert "var chosen = land;" in html and html.count("chosen.addTo(map)") == 1


def test_map_style_validates_its_bounds() -> None:
    with pytest.raises(ValueError, match="south, west"):
        MapStyle(bounds=((41.0, 44.0), (38.0, 50.0)))


def test_country_outlines_hold_the_region_in_lon_lat_order() -> None:
    outlines = country_outlines()
    by_iso = {f["properties"]["iso_a3"]: f for f in outlines["features"]}
    assert {"ARM", "AZE", "GEO", "IRN", "TUR"} <= set(by_iso)
    assert by_iso["AZE"]["properties"]["focus"] and not by_iso["IRN"]["properties"]["focus"]
    # Stepanakert (39.82 N, 46.75 E) lies in Azerbaijan's polygon, Yerevan in Armenia's
    assert shape(by_iso["AZE"]["geometry"]).contains(point(39.8177, 46.7528))
    assert shape(by_iso["ARM"]["geometry"]).contains(point(40.1811, 44.5136))
    for feature in outlines["features"]:
        lon_min, lat_min, lon_max, lat_max = shape(feature["geometry"]).bounds
        assert 34.0 <= lat_min <= lat_max <= 45.0 and 38.0 <= lon_min <= lon_max <= 56.0


@pytest.mark.parametrize(
    "text",
    ["</script><script>alert(1)</script>", "<!-- x", "line\u2028separator", 'a " and \\', "`${x}`"],
)
def test_script_json_is_a_literal_that_cannot_break_out(text: str) -> None:
    import json

    from mapapp.mapview import script_json

    out = script_json({"t": text})
    assert "</" not in out and "<!--" not in out and "\u2028" not in out
    assert json.loads(out.replace("<\\/", "</").replace("<\\!--", "<!--")) == {"t": text}
