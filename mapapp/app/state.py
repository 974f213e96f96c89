"""The app's session state, in one place: every key, its default, and the few moves that change it.

Widgets whose value the app itself changes (the day slider, stepped by the play
button) cannot be written once drawn in a run; :func:`request_day` parks the new day
and :func:`apply_pending` moves it in at the start of the next run.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import streamlit as st

from mapapp.mapview import WindowMode
from mapapp.model import Side

__all__ = [
    "Key",
    "apply_pending",
    "clear_selection",
    "get",
    "init",
    "more_events",
    "put",
    "request_day",
    "select_place",
    "step_day",
    "toggle_play",
]


class Key(StrEnum):
    """Every session-state key the app uses."""

    STORE_URL = "store_url"
    READ_ONLY = "read_only"  # the app was started with --read-only: no uploads, the store refuses writes
    DAY = "day"  # the slider's day (widget key)
    PENDING_DAY = "pending_day"  # a day to move the slider to on the next run
    BOUNDS = "bounds"  # (first, last) day the slider spans, to clamp steps
    MODE = "mode"  # WindowMode (widget key)
    PLAYING = "playing"
    SIDES = "filter_sides"  # widget keys of the filters
    OUTLETS = "filter_outlets"
    LANGUAGES = "filter_languages"
    KINDS = "filter_kinds"
    TEXT = "filter_text"
    LAST_CLICK = "last_click"  # the map's last reported click, to tell a new click from a rerun
    SELECTED = "selected_place"  # key of the place whose events the panel shows
    PANEL_PAGES = "panel_pages"  # how many pages of the selected place's events the panel lists
    READER = "reader_source"  # source of the article open in the reader
    UPLOAD_NONCE = "upload_nonce"  # bumped to clear the file uploader after an ingest
    UPLOAD_REPORT = "upload_report"  # the last upload's IngestReport, shown until dismissed


_DEFAULTS: Mapping[Key, Any] = {
    Key.MODE: WindowMode.TO_DATE.value,
    Key.PLAYING: False,
    Key.SIDES: [s.value for s in Side],
    Key.TEXT: "",
    Key.OUTLETS: [],
    Key.LANGUAGES: [],
    Key.KINDS: [],
    Key.LAST_CLICK: None,
    Key.SELECTED: None,
    Key.PANEL_PAGES: 1,
    Key.READER: None,
    Key.UPLOAD_NONCE: 0,
    Key.UPLOAD_REPORT: None,
    Key.PENDING_DAY: None,
    Key.BOUNDS: None,
}


def init(store_url: str, *, read_only: bool = False) -> None:
    """Fill in every missing key with its default; remember the store the app reads, and how."""
    st.session_state[Key.STORE_URL.value] = store_url
    st.session_state[Key.READ_ONLY.value] = read_only
    for key, value in _DEFAULTS.items():
        if key.value not in st.session_state:
            st.session_state[key.value] = list(value) if isinstance(value, list) else value


def get(key: Key) -> Any:
    """The value under ``key`` (its default when never set)."""
    return st.session_state.get(key.value, _DEFAULTS.get(key))


def put(key: Key, value: Any) -> None:
    """Set ``key``; only for keys whose widget is not drawn yet in this run."""
    st.session_state[key.value] = value


def request_day(day: date) -> None:
    """Move the slider to ``day`` on the next run."""
    st.session_state[Key.PENDING_DAY.value] = day


def apply_pending(first: date, last: date) -> None:
    """Before the slider is drawn: clamp its day into [first, last] and apply a requested day."""
    previous = st.session_state.get(Key.BOUNDS.value)
    st.session_state[Key.BOUNDS.value] = (first, last)
    pending = st.session_state.pop(Key.PENDING_DAY.value, None)
    day = pending or st.session_state.get(Key.DAY.value) or last
    if pending is None and previous is not None and day == previous[1]:
        day = last  # the slider sat on the last day: follow it when new events extend the range
    st.session_state[Key.DAY.value] = min(max(day, first), last)


def step_day(days: int) -> None:
    """Callback: move the slider ``days`` days (negative: back), within the data's range."""
    bounds = st.session_state.get(Key.BOUNDS.value)
    current = st.session_state.get(Key.DAY.value)
    if bounds is None or current is None:
        return
    first, last = bounds
    st.session_state[Key.DAY.value] = min(max(current + timedelta(days=days), first), last)


def toggle_play() -> None:
    """Callback of the play button: start (from the first day when at the end) or pause."""
    playing = not st.session_state.get(Key.PLAYING.value, False)
    st.session_state[Key.PLAYING.value] = playing
    bounds = st.session_state.get(Key.BOUNDS.value)
    if playing and bounds and st.session_state.get(Key.DAY.value) == bounds[1]:
        st.session_state[Key.DAY.value] = bounds[0]


def select_place(key: str | None) -> None:
    """Show the events of the place ``key`` in the panel (``None``: none), from its first page."""
    st.session_state[Key.SELECTED.value] = key
    st.session_state[Key.PANEL_PAGES.value] = 1


def more_events() -> None:
    """Callback: list one more page of the selected place's events."""
    st.session_state[Key.PANEL_PAGES.value] = st.session_state.get(Key.PANEL_PAGES.value, 1) + 1


def clear_selection() -> None:
    """Callback: close the panel's place and the article reader."""
    st.session_state[Key.SELECTED.value] = None
    st.session_state[Key.READER.value] = None
