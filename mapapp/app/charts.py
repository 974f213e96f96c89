"""The timeline under the map: events per day by reporting side, with the slider's window marked.

The chart is a Vega-Lite spec built with Altair once per set of day counts (the store's
``day_counts``, which change with the filters and the store, not with the slider); a
slider step only rewrites the window's row, instead of building and validating the
whole chart again on every run.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

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
) -> dict[str, Any]:
    """Stacked bars of events per day by side over [first, last], the window shaded, its end ruled.

    A Vega-Lite spec for ``st.vega_lite_chart``; its ``datasets`` hold the window's row
    (``start`` and ``end`` bound whole days, ``day`` is mid-day of the last one) and the counts.
    """
    spec = json.loads(_chart(tuple(counts), first, last, height))
    spec["datasets"][spec["layer"][0]["data"]["name"]] = [
        {
            "start": f"{window.start.isoformat()}T00:00:00",
            "end": f"{(window.end + timedelta(days=1)).isoformat()}T00:00:00",
            "day": f"{window.end.isoformat()}T12:00:00",
        }
    ]
    return spec


@functools.lru_cache(maxsize=16)
def _chart(counts: tuple[DayCount, ...], first: date, last: date, height: int) -> str:
    """The chart as JSON, its window row a placeholder (:func:`timeline` fills it in)."""
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
    placeholder = [pd.Timestamp(first)]
    window = pd.DataFrame({"start": placeholder, "end": placeholder, "day": placeholder})
    band = alt.Chart(window).mark_rect(color="#333", opacity=0.08).encode(x="start:T", x2="end:T")
    rule = alt.Chart(window).mark_rule(color="#333", strokeDash=[4, 3]).encode(x="day:T")
    spec = (band + bars + rule).properties(height=height).to_dict()
    spec.pop("config", None)  # Altair's default theme (300 x 300 views): the page sizes the chart
    return json.dumps(spec)
