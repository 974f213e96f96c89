"""Map benchmark: the real app in headless Chromium over stores of 10,000 and 100,000 generated events.

``python -m benchmarks.bench_map`` (or ``--sizes 1000 10000`` / ``--quick``) measures, for
each store size: time to the first map in the browser (page open -> markers drawn), time
from a slider move to the updated map (7-day window and everything-to-date), and what
the map sends: the base map's script, the changing layer, and the websocket bytes of one
slider step. Prints a markdown table. Chromium: ``/usr/bin/chromium`` or $MAPAPP_CHROMIUM.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from benchmarks.generate import FIRST_DAY, generate_extractions

__all__ = ["build_store", "main", "measure_browser", "measure_payload"]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("MAPAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
SIGNATURE = """() => Array.from(document.querySelectorAll('.mapapp-place'))
    .map(e => e.getAttribute('data-place') + ':' + e.getAttribute('data-count')).join('|')"""


def build_store(n_events: int, path: Path, *, seed: int = 7) -> int:
    """Fill a new SQLite store at ``path`` with about ``n_events`` generated events; return the count."""
    from mapapp.store import open_store

    total, batch = 0, 0
    with open_store(f"sqlite:///{path}") as store:
        while total < n_events:
            n_articles = max(50, (n_events - total) // 5)
            for extraction in generate_extractions(n_articles, seed=seed * 1000 + batch):
                store.save_extraction(extraction)
                total += len(extraction.events)
                if total >= n_events:
                    break
            batch += 1
    return total


def measure_payload(url: str, day: date, mode: str) -> dict[str, float]:
    """Sizes (KiB) of what st_folium sends for the map at ``day``: base map script and changing layer."""
    from streamlit_folium import _get_feature_group_string, _get_map_string

    from mapapp.mapview import AssetLinks, MapStyle, Window, build_map
    from mapapp.store import open_store

    with open_store(url) as store:
        first, _ = store.date_range()  # type: ignore[misc]
        events = store.load()
    started = time.perf_counter()
    # as the app draws it: Leaflet and the base map's detail served by the app, not inline
    assets = AssetLinks.served_from("/app/static/vendor")
    style = MapStyle(assets=assets, detail_url="/app/static/basemap/detail.json")
    view = build_map(events, Window.ending(day, mode, first=first), style)
    view.map.get_root().render()
    base = _get_map_string(view.map)
    layer = _get_feature_group_string(view.layer, view.map)
    return {
        "build_s": time.perf_counter() - started,
        "base_kib": len(base.encode()) / 1024,
        "layer_kib": len(layer.encode()) / 1024,
        "places": len(view.places),
        "events": view.n_events,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    from mapapp.commands.serve import streamlit_command

    command = streamlit_command(url, port=port, host="127.0.0.1")
    cut = command.index("--")
    command[cut:cut] = ["--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise RuntimeError("streamlit did not become healthy in 90 s")


def measure_browser(url: str, *, steps: int = 4, runs: int = 3) -> dict[str, float]:
    """Seconds to the first map and per slider step (medians), per window mode.

    The first page is *cold* (the server loads the events); the others are *warm*
    (events cached, what every later visitor gets).
    """
    from playwright.sync_api import sync_playwright

    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
        proc = _serve(url, port, Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                first_maps, step_times = [], {"7 days": [], "Up to day": []}
                ws_bytes: list[int] = []
                for run in range(runs):
                    page = browser.new_page(viewport={"width": 1500, "height": 1100})
                    received = [0]
                    page.on(
                        "websocket",
                        lambda ws, received=received: ws.on(
                            "framereceived",
                            lambda payload: received.__setitem__(0, received[0] + len(payload)),
                        ),
                    )
                    started = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/")
                    page.frame_locator(MAP_FRAME).locator(".mapapp-place").first.wait_for(timeout=120_000)
                    first_maps.append(time.perf_counter() - started)
                    if run == runs - 1:  # slider steps on the last page
                        frame = next(f for f in page.frames if "streamlit_folium" in f.url)
                        for mode in ("7 days", "Up to day"):
                            page.get_by_text(mode, exact=True).click()
                            page.wait_for_selector(READY, timeout=120_000)
                            page.wait_for_timeout(1500)
                            thumb = page.locator("[data-testid='stSlider'] input[type='range']")
                            for _ in range(steps):
                                before = frame.evaluate(SIGNATURE)
                                received[0] = 0
                                thumb.focus()
                                started = time.perf_counter()
                                thumb.press("ArrowLeft")
                                frame.wait_for_function(
                                    f"before => ({SIGNATURE})() !== before", arg=before, timeout=120_000
                                )
                                step_times[mode].append(time.perf_counter() - started)
                                page.wait_for_selector(READY, timeout=120_000)
                                page.wait_for_timeout(400)
                                ws_bytes.append(received[0])
                    page.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    return {
        "cold_first_map_s": first_maps[0],
        "first_map_s": statistics.median(first_maps[1:] or first_maps),
        "step_week_s": statistics.median(step_times["7 days"]),
        "step_to_date_s": statistics.median(step_times["Up to day"]),
        "ws_kib_per_step": statistics.median(ws_bytes) / 1024,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Build each store, measure, print a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_map", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="events per store")
    parser.add_argument("--quick", action="store_true", help="one store of 2,000 events")
    args = parser.parse_args(argv)
    sizes = [2_000] if args.quick else args.sizes
    if not Path(CHROMIUM).exists():
        print(f"bench_map: Chromium not found at {CHROMIUM} (set MAPAPP_CHROMIUM)", file=sys.stderr)
        return 1
    from mapapp.app.assets import ensure_assets

    ensure_assets()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"events-{n}.sqlite"
            started = time.perf_counter()
            total = build_store(n, path)
            built = time.perf_counter() - started
            url = f"sqlite:///{path}"
            mid = FIRST_DAY + timedelta(days=20)
            week = measure_payload(url, mid, "week")
            everything = measure_payload(url, mid + timedelta(days=24), "to-date")
            browser = measure_browser(url)
            rows.append((total, built, week, everything, browser))
            print(f"measured {total:,} events", file=sys.stderr, flush=True)
    print("| events in store | first map, cold / warm | slider step, 7-day window | slider step, all to date "
          "| places drawn (7 days / all) | base map script | layer sent (7 days / all) "
          "| websocket per step | map build in Python (all) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for total, _built, week, everything, b in rows:
        print(
            f"| {total:,} | {b['cold_first_map_s']:.2f} / {b['first_map_s']:.2f} s "
            f"| {b['step_week_s']:.2f} s "
            f"| {b['step_to_date_s']:.2f} s "
            f"| {week['places']:.0f} / {everything['places']:.0f} | {week['base_kib']:.0f} KiB "
            f"| {week['layer_kib']:.0f} / {everything['layer_kib']:.0f} KiB | {b['ws_kib_per_step']:.0f} KiB "
            f"| {everything['build_s'] * 1000:.0f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
