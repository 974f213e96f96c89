"""The map page: date slider and play, filters, map of places, place panel, timeline, exports, uploads.

Every run asks the store for what it draws (the places of the window, the clicked place's
events, events per day): its cost follows the places on the map, not the events stored.
"""

from __future__ import annotations

import html
import io
import time
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from mapapp.app import loaders, state
from mapapp.app.assets import STATIC_DIR, VENDOR_URL
from mapapp.app.charts import timeline
from mapapp.app.safe import markdown_literal
from mapapp.app.state import Key
from mapapp.basemap import ONLINE_TILES, TileSource, configured_tiles, detail_data, ensure_detail_file
from mapapp.errors import BaseMapError, SettingsError
from mapapp.export import geojson_text, write_csv
from mapapp.ingest import IngestReport, ingest_texts
from mapapp.mapview import (
    SIDE_COLOURS,
    AssetLinks,
    MapPlace,
    MapStyle,
    MapView,
    Window,
    WindowMode,
    counted,
    highlight_html,
    kinds_label,
    map_view,
    place_at,
)
from mapapp.model import DateHow, Event, EventKind, Side
from mapapp.store import EventQuery, EventStore, EventTotals, redact

__all__ = ["MAP_KEY", "clicked_place", "filters_from", "outdated_note", "page", "report_lines", "upload"]

BASEMAP_URL = "/app/static/basemap"  # where Streamlit serves STATIC_DIR / "basemap"
MAP_KEY = "map"  # st_folium's key: with a fixed base map, the map is mounted once per session
MAP_HEIGHT = 610
PANEL_LIMIT = 60  # events listed at once in the panel (the exports hold every one)
TABLE_LIMIT = 1000
PLAY_SECONDS = 0.8  # pause between two days while playing
SIDE_NAMES: Mapping[str, str] = {
    Side.ARMENIA.value: "Armenian side",
    Side.AZERBAIJAN.value: "Azerbaijani side",
    Side.THIRD_PARTY.value: "Third parties",
    Side.INDEPENDENT.value: "Independent",
}
MODE_LABELS: Mapping[str, str] = {
    WindowMode.DAY.value: "Day",
    WindowMode.WEEK.value: "7 days",
    WindowMode.TO_DATE.value: "Up to day",
}


# -- pure steps (tested without a browser) ----------------------------------------------


def clicked_place(places: Sequence[MapPlace], value: Mapping[str, Any] | None) -> MapPlace | None:
    """The place whose marker st_folium reports clicked (``last_object_clicked``), or ``None``."""
    click = (value or {}).get("last_object_clicked")
    if not click or click.get("lat") is None or click.get("lng") is None:
        return None
    return place_at(places, float(click["lat"]), float(click["lng"]))


def filters_from(
    sides: Sequence[str],
    outlets: Sequence[str],
    languages: Sequence[str],
    text: str,
    kinds: Sequence[str] = (),
) -> EventQuery:
    """The store query for the sidebar's choices (no window yet): all four sides, no outlet, no
    language, no kind = no filter."""
    return EventQuery(
        sides=None if set(sides) >= {s.value for s in Side} else tuple(sides),
        outlets=tuple(outlets) or None,
        languages=tuple(languages) or None,
        text=text,
        kinds=tuple(kinds) or None,
    )


def report_lines(report: IngestReport) -> tuple[str, list[str]]:
    """A one-line summary of an upload and one line per failed file (``name: reason``)."""
    summary = (
        f"{report.read} file(s) read: {report.new} new, {report.changed} changed, "
        f"{report.unchanged} unchanged, {report.failed} failed · events: {report.events_added} added, "
        f"{report.events_updated} updated, {report.events_removed} removed"
    )
    return summary, [f"{name}: {reason}" for name, reason in report.failures]


def outdated_note(n_older: int, n_articles: int, url: str) -> str:
    """What the app says when stored events come from an older pipeline, and how to refresh them.

    >>> outdated_note(2, 7, "sqlite:///data/events.sqlite")  # doctest: +ELLIPSIS
    '2 of 7 articles have events from an older pipeline ... --reextract --store sqlite:///data/events.sqlite`...'
    """
    return (
        f"{n_older} of {n_articles} articles have events from an older pipeline (its rules, gazetteer or "
        f"code changed since): refresh them with `mapapp ingest FILES --reextract --store {url}` (the "
        "Sources page lists them; uploads: upload them again)."
    )


def upload(files: Sequence[tuple[str, bytes]], url: str, *, published: date | None = None) -> IngestReport:
    """Ingest uploaded (file name, content) pairs into the store, like ``mapapp ingest --published``.

    ``published`` dates the files whose page gives no publication date (a bare .txt):
    without it, "pada Rabu (28/10)" has no year and no week to count from.
    """
    return ingest_texts(files, loaders.store(url), published=published)


# -- the page ------------------------------------------------------------------------------


def page() -> None:
    """Draw the map page for the store in the session state."""
    url = state.get(Key.STORE_URL)
    store = loaders.store(url)
    version = store.version()
    info = loaders.summary(url, version)
    filters = _sidebar(url, info, version)
    if info.empty:
        _empty_state(url)
        return
    assert info.first is not None and info.last is not None
    state.apply_pending(info.first, info.last)
    _title(info)
    window = _controls(info.first, info.last)
    shown = filters.within(window.start, window.end)
    style = _style()
    places = loaders.places(url, version, shown, style.popup_limit)
    view = map_view(places, window, style, data_js=loaders.markers(url, version, shown, style.popup_limit))
    totals = loaders.totals(url, version, shown)
    _headline(view, window, filters, totals)
    col_map, col_panel = st.columns([0.63, 0.37], gap="medium")
    with col_map:
        value = st_folium(
            view.map,
            key=MAP_KEY,
            feature_group_to_add=view.layer,
            returned_objects=["last_object_clicked", "last_object_clicked_count"],
            height=MAP_HEIGHT,
            use_container_width=True,
        )
        _take_click(view, value)
    with col_panel:
        _panel(url, version, view, shown)
    counts = loaders.day_counts(url, version, filters)
    st.vega_lite_chart(spec=timeline(counts, window, first=info.first, last=info.last), width="stretch")
    _exports(store, url, version, shown, totals, window)
    _play(info.last)


def _style() -> MapStyle:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    tiles = _tiles()
    if not st.get_option("server.enableStaticServing"):
        st.warning(
            "Static serving is off, so the map loads Leaflet from the internet. Start the app with "
            "`make run` or `mapapp serve` (they turn `server.enableStaticServing` on) to work offline."
        )
        return MapStyle(tiles=tiles, outlines=_detail_inline())
    name, problem = _detail_file()
    outlines = True
    if name is None:  # the file cannot be served: the detail goes inline, or the map goes without it
        outlines = _detail_inline()
        st.warning(markdown_literal(f"The base map's detail is sent with the map: {problem}"))
    detail_url = f"{prefix}{BASEMAP_URL}/{name}" if name else None
    asset = loaders.asset_problem()
    if asset:
        what = "The map's Leaflet files cannot be served, so the map needs the internet"
        st.warning(markdown_literal(f"{what}: {asset}"))
        return MapStyle(tiles=tiles, outlines=outlines, detail_url=detail_url)
    assets = AssetLinks.served_from(prefix + VENDOR_URL)
    return MapStyle(assets=assets, tiles=tiles, outlines=outlines, detail_url=detail_url)


def _tiles() -> tuple[TileSource, ...]:
    """The tile layers on offer: the built-in ones, plus the settings' and ``$MAPAPP_TILES``'s."""
    try:
        return configured_tiles()
    except SettingsError as exc:
        st.warning(markdown_literal(f"Tile layers from the settings are left out: {exc}"))
        return ONLINE_TILES


@st.cache_resource(show_spinner="Preparing the base map…")
def _detail_file() -> tuple[str | None, str | None]:
    """The served detail file's name (built once per server when ``make prepare`` did not), or why not."""
    try:
        return ensure_detail_file(STATIC_DIR / "basemap").name, None
    except BaseMapError as exc:
        return None, str(exc)


def _detail_inline() -> bool:
    """Whether the detail can be built in memory; says why not when it cannot."""
    try:
        detail_data()
    except BaseMapError as exc:
        st.warning(markdown_literal(f"The base map shows no borders, districts or names: {exc}"))
        return False
    return True


def _sidebar(url: str, info: loaders.StoreSummary, version: str) -> EventQuery:
    with st.sidebar:
        st.subheader("Filters")
        sides = st.multiselect(
            "Reported by",
            [s.value for s in Side],
            key=Key.SIDES.value,
            format_func=SIDE_NAMES.__getitem__,
            help="Whose claim an event is: the side that reported it, not the side that attacked.",
        )
        kinds = st.multiselect(
            "What happened",
            [k.value for k in EventKind],
            key=Key.KINDS.value,
            placeholder="Anything",
            help="Events whose excerpts report any of these: attack (shelling, strikes, drones), "
            "casualties, damage, capture, fighting, evacuation, retreat, handover. Events stored by an "
            "older mapapp have none until `mapapp ingest --reextract` runs over their files.",
        )
        outlets = st.multiselect(
            "Outlets", list(info.outlets), key=Key.OUTLETS.value, placeholder="All outlets"
        )
        languages = st.multiselect(
            "Languages", list(info.languages), key=Key.LANGUAGES.value, placeholder="All languages"
        )
        text = st.text_input(
            "Search the excerpts", key=Key.TEXT.value, placeholder="e.g. drone, rudal, shelling"
        )
        st.divider()
        if state.get(Key.READ_ONLY):
            st.caption("Read-only: this app shows the shared store and cannot add or remove articles.")
        else:
            _uploader(url, expanded=info.empty)
        st.divider()
        st.caption("Event store")
        st.code(redact(url), language=None, wrap_lines=True)
        if not info.empty:
            st.caption(
                f"{counted(info.n_events, 'event')} from {counted(info.n_sources, 'article')}, "
                f"{info.first:%d %b %Y} – {info.last:%d %b %Y}"
            )
        older, n_articles = loaders.outdated_count(url, version)
        if older:
            st.warning(markdown_literal(outdated_note(older, n_articles, url)))
    return filters_from(sides, outlets, languages, text, kinds)


def _uploader(url: str, *, expanded: bool) -> None:
    with st.expander("Add articles", expanded=expanded):
        files = st.file_uploader(
            "News articles (.txt or .html)",
            type=["txt", "html", "htm"],
            accept_multiple_files=True,
            key=f"upload-{state.get(Key.UPLOAD_NONCE)}",
            help="Each file goes through the same reading and extraction as `mapapp ingest`.",
        )
        published = st.date_input(
            "Publication date, for files that do not give one",
            value=None,
            min_value=date(1990, 1, 1),
            key="upload-published",
            help="Dates such as 'Rabu (28/10)' are counted from it. HTML pages usually carry their own date.",
        )
        if st.button("Add to the map", disabled=not files, type="primary", width="stretch"):
            with st.spinner("Reading and extracting…"):
                report = upload([(f.name, f.getvalue()) for f in files or []], url, published=published)
            state.put(Key.UPLOAD_REPORT, report)
            state.put(Key.UPLOAD_NONCE, state.get(Key.UPLOAD_NONCE) + 1)
            st.rerun()
        report = state.get(Key.UPLOAD_REPORT)
        if report is not None:
            summary, failures = report_lines(report)
            (st.success if report.ok else st.warning)(markdown_literal(summary))
            for line in failures:
                st.error(markdown_literal(line))
            for name in report.eventless:
                st.info(
                    markdown_literal(f"{name}: read, but no town-level event was found in it.")
                    + " For a plain .txt without a date, give its publication date above: weekdays "
                    "and '28/10' are counted from it."
                )


def _empty_state(url: str) -> None:
    st.title("Nagorno-Karabakh 2020: reported events")
    if state.get(Key.READ_ONLY):
        st.info("This store holds no events yet. Whoever feeds it ingests articles from a shell, e.g.:")
    else:
        st.info(
            "This store holds no events yet. Add articles with **Add articles** in the sidebar, "
            "or ingest a folder from a shell:"
        )
    st.code(f"mapapp ingest seeds --manifest seeds/manifest.csv --store {redact(url)}", language="bash")
    st.caption(
        "The seed folder holds five Indonesian articles about the war; any .txt or .html news page works."
    )


def _controls(first: Any, last: Any) -> Window:
    col_mode, col_slider, col_buttons = st.columns([0.26, 0.5, 0.24], vertical_alignment="bottom")
    with col_mode:
        mode = st.segmented_control(
            "Window",
            list(MODE_LABELS),
            format_func=MODE_LABELS.__getitem__,
            key=Key.MODE.value,
            help="Day: only that day. 7 days: the week ending on it. Up to day: everything until then.",
        ) or WindowMode.TO_DATE.value
    with col_slider:
        if first < last:
            day = st.slider(
                "Day",
                min_value=first,
                max_value=last,
                step=timedelta(days=1),
                format="ddd D MMM YYYY",
                key=Key.DAY.value,
            )
        else:
            day = first
            st.caption(f"All events are on {first:%d %b %Y}.")
    with col_buttons:
        back, play, forward = st.columns([0.25, 0.5, 0.25], gap="small")
        back.button(":material/chevron_left:", key="step-back", on_click=state.step_day, args=(-1,),
                    help="One day back", width="stretch")
        playing = state.get(Key.PLAYING)
        play.button(
            "Pause" if playing else "Play",
            icon=":material/pause:" if playing else ":material/play_arrow:",
            key="play",
            on_click=state.toggle_play,
            help="Pause" if playing else "Play: step through the war day by day",
            width="stretch",
        )
        forward.button(":material/chevron_right:", key="step-forward", on_click=state.step_day, args=(1,),
                       help="One day forward", width="stretch")
    return Window.ending(day, mode, first=first)


def _title(info: loaders.StoreSummary) -> None:
    st.html(
        '<div style="font:700 24px/1.2 system-ui,sans-serif;margin:0">Nagorno-Karabakh 2020: '
        'who reported what, where</div><div style="font:13px system-ui,sans-serif;color:#666">'
        f"{counted(info.n_events, 'event')} from {counted(info.n_sources, 'article')}. "
        "Each marker is a place; click it for "
        "the excerpts and their sources. Colours show the side that made the claim, not who attacked.</div>"
    )


def _headline(view: MapView, window: Window, filters: EventQuery, totals: EventTotals) -> None:
    n_sources = totals.n_sources
    counts = {side: 0 for side in Side}
    for place in view.places:
        for side, n in place.counts.items():
            counts[side] += n
    chips = " ".join(
        f'<span style="white-space:nowrap;margin-right:14px"><span style="display:inline-block;width:11px;'
        f'height:11px;border-radius:50%;background:{SIDE_COLOURS[s]};margin-right:5px"></span>'
        f"{html.escape(s.value)} <b>{n:,}</b></span>"
        for s, n in counts.items()
    )
    filtered = " · filtered" if filters.filtered else ""
    st.html(
        '<div class="mapapp-headline" style="display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 18px;'
        'font:14px/1.4 system-ui,sans-serif;margin:-4px 0 2px">'
        '<span style="font-size:17px;font-weight:700" data-mapapp="window">'
        f"{html.escape(window.label())}</span>"
        f'<span data-mapapp="counts"><b>{view.n_events:,}</b> events at <b>{len(view.places):,}</b> '
        f"places from <b>{n_sources:,}</b> articles{filtered}</span>"
        f"<span>{chips}</span></div>"
    )


def _take_click(view: MapView, value: Mapping[str, Any] | None) -> None:
    click = (value or {}).get("last_object_clicked")
    # the count tells a new click on the same marker (after Close) from a rerun that repeats it
    seen = (click, (value or {}).get("last_object_clicked_count"))
    if not click or seen == state.get(Key.LAST_CLICK):
        return
    state.put(Key.LAST_CLICK, seen)
    place = clicked_place(view.places, value)
    if place is not None:
        state.select_place(place.key)
        state.put(Key.READER, None)


def _open_reader(source: str) -> None:
    st.session_state[Key.READER.value] = source


def _panel(url: str, version: str, view: MapView, shown: EventQuery) -> None:
    reader = state.get(Key.READER)
    if reader:
        _reader(url, version, reader)
        return
    key = state.get(Key.SELECTED)
    place = next((p for p in view.places if p.key == key), None)
    if key is None or place is None:
        if key is not None:
            st.info("No events at the selected place in this window and with these filters.")
        else:
            st.info("Click a marker to read every report from that place in the window.")
        _busiest(view)
        return
    per_side = " · ".join(
        f'<span style="color:{SIDE_COLOURS[s]};font-weight:700">●</span> {html.escape(s.value)} {n}'
        for s, n in place.counts.items()
    )
    st.html(
        '<div class="mapapp-panel-head" style="font:14px/1.4 system-ui,sans-serif;overflow-wrap:anywhere">'
        f'<div style="font-size:19px;font-weight:700">{html.escape(place.name)}</div>'
        f'<div style="color:#555">{counted(place.n, "event")} in the window · '
        f"{place.lat:.4f}, {place.lon:.4f}</div><div>{per_side}</div></div>"
    )
    st.button("Close", key="close-place", on_click=state.clear_selection)
    listed = PANEL_LIMIT * state.get(Key.PANEL_PAGES)
    events = loaders.place_events(url, version, shown, place.key, listed)
    names = _names(place, events)
    with st.container(height=MAP_HEIGHT - 140, border=False):
        for event in events:
            st.html(_event_card(event, names))
            st.button(
                "Read the whole article",
                key=f"read-{event.id}",
                on_click=_open_reader,
                args=(event.source,),
            )
        if place.n > listed:
            st.button(
                f"Show {min(PANEL_LIMIT, place.n - listed)} more of {place.n - listed} older events",
                key="panel-more",
                on_click=state.more_events,
            )


def _names(place: MapPlace, events: Sequence[Event]) -> tuple[str, ...]:
    """The place's names as its summary and the listed events write them, longest first."""
    found = set(place.names) | {e.place for e in events} | {e.place_resolved for e in events}
    return tuple(sorted((n for n in found if n.strip()), key=lambda n: (-len(n), n)))


def _busiest(view: MapView) -> None:
    if not view.places:
        st.caption("No events in this window with these filters.")
        return
    st.caption("Places with the most events in the window")
    for place in view.places[:8]:
        st.button(
            markdown_literal(f"{place.name} ({place.n})"),
            key=f"busiest-{place.key}",
            on_click=state.select_place,
            args=(place.key,),
            width="stretch",
        )


def _event_card(event: Event, names: Sequence[str]) -> str:
    side = event.side
    published = event.published.isoformat() if event.published else "unknown"
    notes = []
    if event.kinds:
        notes.append(f"what: {kinds_label(event.kinds)}")
    if event.date_how is DateHow.PUBLICATION:
        notes.append("no date in the text: publication day used")
    elif event.date_cue:
        notes.append(f"date from “{event.date_cue}”")
    if event.side_cue:
        notes.append(f"side from “{event.side_cue}”")
    if event.disputed_by:
        notes.append("denied by " + ", ".join(s.value for s in event.disputed_by))
    return (
        f'<div class="mapapp-event" data-event="{html.escape(event.id)}" style="font:13.5px/1.45 system-ui,'
        f'sans-serif;border-left:4px solid {SIDE_COLOURS[side]};padding:2px 0 2px 10px;margin:6px 0 2px;'
        'overflow-wrap:anywhere">'
        f'<div><b>{event.date.isoformat()}</b> · <span style="color:{SIDE_COLOURS[side]};font-weight:700">'
        f"{html.escape(side.value)}</span> · {html.escape(event.outlet or 'unknown outlet')}</div>"
        f'<div style="font-weight:600">{html.escape(event.title or event.source)}</div>'
        f'<div style="color:#555;font-size:12px">published {published} · {html.escape(event.source)}</div>'
        f'<blockquote style="margin:4px 0;padding-left:8px;border-left:2px solid #ccc">'
        f"{highlight_html(event.excerpt, names)}</blockquote>"
        f'<div style="color:#666;font-size:12px">{html.escape(" · ".join(notes))}</div></div>'
    )


def _reader(url: str, version: str, source: str) -> None:
    record = loaders.article(url, version, source)
    st.button("← Back to the place", key="close-reader", on_click=_open_reader, args=("",))
    if record is None:
        st.warning(markdown_literal(f"{source} is no longer in the store."))
        return
    names = loaders.article_places(url, version, source)
    published = record.published.isoformat() if record.published else "unknown"
    st.html(
        '<div class="mapapp-reader-head" style="font:14px/1.4 system-ui,sans-serif">'
        f'<div style="font-size:18px;font-weight:700;overflow-wrap:anywhere">'
        f"{html.escape(record.title or record.source)}</div>"
        f'<div style="color:#555">{html.escape(record.outlet or "unknown outlet")} · published {published} · '
        f"{html.escape(record.language or '?')} · {html.escape(record.source)} · "
        f"{counted(record.n_events, 'event')}</div>"
        '<div style="color:#555;font-size:12px">Event places highlighted: '
        f"{html.escape(', '.join(names))}</div>"
        "</div>"
    )
    paragraphs = [p for p in record.text.split("\n") if p.strip()]
    body = "".join(f'<p style="margin:0 0 .6em">{highlight_html(p, names)}</p>' for p in paragraphs)
    with st.container(height=MAP_HEIGHT - 130):
        style = "font:14px/1.55 Georgia,serif;overflow-wrap:anywhere"
        st.html(f'<div class="mapapp-reader" style="{style}">{body}</div>')


def _exports(
    store: EventStore, url: str, version: str, shown: EventQuery, totals: EventTotals, window: Window
) -> None:
    """Downloads of what's on the map: the store is asked for the window's events when one is clicked."""
    stem = f"karabakh-events_{window.start.isoformat()}_{window.end.isoformat()}"
    col_geojson, col_csv, col_table = st.columns([0.3, 0.3, 0.4], vertical_alignment="center")
    col_geojson.download_button(
        "GeoJSON of what's on the map",
        data=lambda: geojson_text(store.events(shown)),
        file_name=f"{stem}.geojson",
        mime="application/geo+json",
        disabled=totals.empty,
        on_click="ignore",
    )
    col_csv.download_button(
        "CSV of what's on the map",
        data=lambda: _csv_text(store.events(shown)),
        file_name=f"{stem}.csv",
        mime="text/csv",
        disabled=totals.empty,
        on_click="ignore",
    )
    with col_table:
        show = st.toggle("Show the events as a table", key="show-table")
    if show and not totals.empty:
        import pandas as pd

        events = loaders.events(url, version, shown, TABLE_LIMIT)
        rows = [
            {
                "date": e.date,
                "side": e.side.value,
                "place": e.place_resolved or e.place,
                "as written": e.place,
                "outlet": e.outlet,
                "title": e.title,
                "published": e.published,
                "excerpt": e.excerpt,
                "confidence": e.confidence,
                "source": e.source,
            }
            for e in sorted(events, key=lambda e: (e.date, e.side, e.place))
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        if totals.n_events > len(events):
            st.caption(
                f"First {len(events):,} of {totals.n_events:,} events; the exports hold all of them."
            )


def _csv_text(events: Sequence[Event]) -> str:
    buffer = io.StringIO()
    write_csv(events, buffer)
    return buffer.getvalue()


def _play(last: Any) -> None:
    if not state.get(Key.PLAYING):
        return
    day = st.session_state.get(Key.DAY.value)
    if day is None or day >= last:
        state.put(Key.PLAYING, False)
        st.rerun()  # draw the button as "Play" again
    time.sleep(PLAY_SECONDS)
    state.request_day(day + timedelta(days=1))
    if day + timedelta(days=1) >= last:
        state.put(Key.PLAYING, False)  # the last day is drawn with "Play", and Play starts over
    st.rerun()
