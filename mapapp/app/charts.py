"""The timeline under the map: events per day by reporting side, with the slider's window marked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import altair as alt
import pandas as pd

from mapapp.mapview import SIDE_COLOURS, Window
from mapapp.model import Side
from mapapp.store import DayCount

__all__ = ["daily_counts", "timeline"]


def daily_counts(counts: Iterable[DayCount]) -> pd.DataFrame:
    """One row per (day, side) of a store's ``day_counts``: columns ``day``, ``side``, ``events``."""
    rows = [{"day": c.day, "side": c.side.value, "events": c.n} for c in counts]
    frame = pd.DataFrame(rows, columns=["day", "side", "events"])
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


def timeline(
    counts: Iterable[DayCount], window: Window, *, first: date, last: date, height: int = 150
) -> alt.Chart:
    """Stacked bars of events per day by side over [first, last], the window shaded, its end ruled."""
    frame = daily_counts(counts)
    sides = [s.value for s in Side]
    colour = alt.Color(
        "side:N",
        scale=alt.Scale(domain=sides, range=[SIDE_COLOURS[s] for s in Side]),
        legend=alt.Legend(orient="top", title=None),
        sort=sides,
    )
    span = [pd.Timestamp(first - timedelta(days=1)), pd.Timestamp(last + timedelta(days=1))]
    x_scale = alt.Scale(domain=span)
    bars = (
        alt.Chart(frame)
        .mark_bar(width={"band": 0.9})
        .encode(
            x=alt.X("yearmonthdate(day):T", title=None, scale=x_scale, axis=alt.Axis(format="%d %b")),
            y=alt.Y("sum(events):Q", title="events per day", stack="zero"),
            color=colour,
            order=alt.Order("side_order:Q"),
            tooltip=[
                alt.Tooltip("yearmonthdate(day):T", title="day"),
                alt.Tooltip("side:N"),
                alt.Tooltip("sum(events):Q", title="events"),
            ],
        )
        .transform_calculate(side_order=f"indexof({sides!r}, datum.side)")
    )
    # a day's bar spans that day from 00:00 to the next 00:00: shade whole days, rule mid-day
    band_frame = pd.DataFrame(
        {
            "start": [pd.Timestamp(window.start)],
            "end": [pd.Timestamp(window.end) + pd.Timedelta(days=1)],
            "day": [pd.Timestamp(window.end) + pd.Timedelta(hours=12)],
        }
    )
    band = alt.Chart(band_frame).mark_rect(color="#333", opacity=0.08).encode(x="start:T", x2="end:T")
    rule = alt.Chart(band_frame).mark_rule(color="#333", strokeDash=[4, 3]).encode(x="day:T")
    return (band + bars + rule).properties(height=height)
