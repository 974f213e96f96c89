"""The sources page: every stored article, and a reader that highlights its event places."""

from __future__ import annotations

import html
import shlex
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from mapapp.app import loaders, state
from mapapp.app.safe import markdown_literal
from mapapp.app.state import Key
from mapapp.mapview import counted, highlight_html

__all__ = ["page", "refresh_line"]

FOLDERS_SHOWN = 3


def refresh_line(n_older: int, folders: Sequence[str], uploads: int, url: str) -> str:
    """How to renew the events an older pipeline made: the ingest command over their folders.

    >>> refresh_line(3, ["/data/a", "/data/b c"], 1, "sqlite:///x.sqlite")
    "3 articles have events from an older pipeline (marked below): refresh them with `mapapp ingest \
/data/a '/data/b c' --reextract --store sqlite:///x.sqlite`; 1 upload: upload it again."
    """
    shown = [*folders[:FOLDERS_SHOWN], *(["..."] if len(folders) > FOLDERS_SHOWN else [])]
    line = f"{n_older} articles have events from an older pipeline (marked below)"
    if folders:
        paths = " ".join(p if p == "..." else shlex.quote(p) for p in shown)
        line += f": refresh them with `mapapp ingest {paths} --reextract --store {url}`"
    if uploads:
        line += f"; {uploads} uploads: upload them again" if uploads > 1 else "; 1 upload: upload it again"
    return line + "."


def page() -> None:
    """Draw the list of stored articles and the reader."""
    url = state.get(Key.STORE_URL)
    store = loaders.store(url)
    version = store.version()
    records = store.articles()
    st.title("Sources")
    if not records:
        if state.get(Key.READ_ONLY):
            st.info("No articles in the store yet.")
        else:
            st.info("No articles in the store yet: add some on the map page (sidebar, **Add articles**).")
        return
    st.caption(f"{len(records):,} articles; every event on the map comes from one of them.")
    older = set(loaders.outdated(url, version))
    if older:
        folders = sorted({str(Path(r.path).parent) for r in records if r.source in older and r.path})
        uploads = sum(1 for r in records if r.source in older and not r.path)
        st.warning(markdown_literal(refresh_line(len(older), folders, uploads, url)))
    frame = pd.DataFrame(
        [
            {
                "source": r.source,
                "outlet": r.outlet,
                "title": r.title,
                "published": r.published,
                "language": r.language,
                "events": r.n_events,
                "pipeline": "older" if r.source in older else "current",
            }
            for r in records
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(records)))
    source = st.selectbox(
        "Read an article",
        [r.source for r in records],
        index=None,
        placeholder="Choose a source file",
        key="sources-reader",
    )
    if not source:
        return
    record = loaders.article(url, version, source)
    if record is None:
        st.warning("That article is no longer in the store.")
        return
    names = loaders.article_places(url, version, source)
    published = record.published.isoformat() if record.published else "unknown"
    lines = [line for line in record.text.split("\n") if line.strip()]
    paragraphs = "".join(f'<p style="margin:0 0 .6em">{highlight_html(line, names)}</p>' for line in lines)
    st.html(
        '<div class="mapapp-reader" style="font:15px/1.55 Georgia,serif;max-width:52em">'
        f'<h3 style="font-family:system-ui,sans-serif">{html.escape(record.title or record.source)}</h3>'
        f'<div style="font:13px system-ui,sans-serif;color:#555;margin-bottom:10px">'
        f"{html.escape(record.outlet or 'unknown outlet')} · published {published} · "
        f"{html.escape(record.language or '?')} · {counted(record.n_events, 'event')} · "
        f"places highlighted: {html.escape(', '.join(names) or 'none')}</div>{paragraphs}</div>"
    )
