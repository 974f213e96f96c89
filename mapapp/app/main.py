"""Entry point of the map app (``streamlit run mapapp/app/main.py -- --store URL``): it only routes."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import streamlit as st

from mapapp.app import loaders, state
from mapapp.app.safe import markdown_literal
from mapapp.app.views import map_page, sources_page
from mapapp.errors import StoreError
from mapapp.store import resolve_store_url

__all__ = ["main", "read_only_from", "store_url_from"]


def _options(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store", default=None)
    parser.add_argument("--read-only", action="store_true")
    known, _ = parser.parse_known_args(list(argv))
    return known


def store_url_from(argv: Sequence[str]) -> str:
    """The store URL: ``--store URL`` after streamlit's ``--``, else ``$MAPAPP_STORE``, else the default."""
    return resolve_store_url(_options(argv).store)


def read_only_from(argv: Sequence[str]) -> bool:
    """Whether ``--read-only`` was given after streamlit's ``--``: no uploads, the store refuses writes."""
    return bool(_options(argv).read_only)


def main(argv: Sequence[str]) -> None:
    """Configure the page, resolve the store and run the page the user is on."""
    st.set_page_config(page_title="Karabakh 2020 · event map", page_icon="🗺️", layout="wide")
    loaders.asset_problem()  # the map's Leaflet in place before any page draws (the map page says if not)
    try:
        url = store_url_from(argv)
    except StoreError as exc:
        st.error(markdown_literal(str(exc)))
        st.stop()
    state.init(url, read_only=read_only_from(argv))
    pages = [
        st.Page(map_page.page, title="Map", icon=":material/map:", url_path="map", default=True),
        st.Page(sources_page.page, title="Sources", icon=":material/article:", url_path="sources"),
    ]
    try:
        st.navigation(pages, position="top").run()
    except StoreError as exc:
        st.error(markdown_literal(f"The event store cannot be read: {exc}"))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
