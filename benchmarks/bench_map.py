"""Map benchmark: the real app in headless Chromium over stores of 100,000 and 1,000,000 generated events.

``python -m benchmarks.bench_map`` (or ``--sizes 10000 100000`` / ``--quick``) measures, for
each store size: the time to the first map in the browser (page open -> markers drawn),
cold (the first visitor after the server starts) and warm (the median of the next ones);
the time from a slider step to the updated map (7-day window and everything to date);
the time from a click on a marker to its excerpts in the panel; the app server's peak
memory (VmHWM); and two floors, in the same Streamlit and the same run: an empty map (the
app's base map and nothing else, ``benchmarks/floor_app.py``), and this tree's app on a
store of one event (what the page itself costs, whatever the store holds).

``--baseline main`` also measures the app of that git revision, on a copy of the same
store, in the same run: before and after side by side. ``--store-url`` names the stores
to measure (``{n}`` is replaced by the size, e.g. ``postgresql://bench@localhost/bench_{n}``);
an empty one is filled first. Chromium: ``/usr/bin/chromium`` or $MAPAPP_CHROMIUM.
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.generate import FIRST_DAY, generate_extractions

__all__ = ["Variant", "build_store", "main", "measure_app", "measure_floor", "measure_queries"]

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
TIMEOUT_MS = 300_000  # the app before the store answered the map's questions took 48 s at 1M events
MID = FIRST_DAY + timedelta(days=20)
EMPTY_MAP = "floor: empty map"
ONE_EVENT = "floor: this tree, one event"  # where the 7-day window of the query timings ends


@dataclass(frozen=True, slots=True)
class Variant:
    """A source tree whose app is measured: this checkout, or a git revision exported for the run."""

    name: str
    root: Path


@dataclass(slots=True)
class Row:
    """What was measured for one store size and one variant (or the floor)."""

    variant: str
    events: int
    app: dict[str, float] = field(default_factory=dict)
    queries: dict[str, float] = field(default_factory=dict)


def build_store(n_events: int, url: str, *, seed: int = 7) -> int:
    """Fill the store at ``url`` up to about ``n_events`` generated events; return how many it holds."""
    from mapapp.store import open_store

    with open_store(url) as store:
        total = store.totals().n_events
        batch = 0
        while total < n_events:
            n_articles = max(50, (n_events - total) // 5)
            for extraction in generate_extractions(n_articles, seed=seed * 1000 + batch):
                total += store.save_extraction(extraction).events_added
                if total >= n_events:
                    break
            batch += 1
    return total


# the same loop for a baseline tree, using only what every version of the store offers
_BUILD_IN_TREE = """
import sys
from benchmarks.generate import generate_extractions
from mapapp.store import open_store
n, url, total, batch = int(sys.argv[1]), sys.argv[2], 0, 0
with open_store(url) as store:
    while total < n:
        for extraction in generate_extractions(max(50, (n - total) // 5), seed=7000 + batch):
            total += store.save_extraction(extraction).events_added
            if total >= n:
                break
        batch += 1
print(total)
"""


_PREPARE_BASEMAP = """
import runpy, sys
sys.argv = ["mapapp.basemap", "--dest", "mapapp/app/static/basemap"]
runpy.run_module("mapapp.basemap", run_name="__main__")
"""
_OPEN = """
import sys
from mapapp.store import open_store
with open_store(sys.argv[1]) as store:
    print(store.totals().n_events)
"""


def _python(variant: Variant, code: str, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=variant.root,
        env={**os.environ, "PYTHONPATH": str(variant.root)},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise RuntimeError(f"{variant.name}: {out.stderr[-2000:]}")
    return out.stdout.strip()


def export_revision(revision: str, into: Path) -> Variant:
    """``git archive`` of ``revision`` into ``into``, with its map assets and this checkout's gazetteer."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    cache = ROOT / "data" / "cache"
    if cache.is_dir():  # generated data, not in git: the same gazetteer build
        shutil.copytree(cache, into / "data" / "cache", dirs_exist_ok=True)
    variant = Variant(revision, into)
    _python(variant, "from mapapp.app.assets import ensure_assets; ensure_assets()")
    if (into / "mapapp" / "basemap" / "__main__.py").is_file():  # as `make prepare` does
        _python(variant, _PREPARE_BASEMAP)
    return variant


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(variant: Variant, url: str, log: Path, *, script: Path | None = None) -> Iterator[tuple[str, int]]:
    """Streamlit serving ``variant``'s app (or ``script``) for ``url``: yields (base URL, server pid)."""
    from mapapp.commands.serve import streamlit_command

    port = _free_port()
    command = streamlit_command(url, port=port, host="127.0.0.1")
    command[command.index("run") + 1] = str(script or variant.root / "mapapp" / "app" / "main.py")
    cut = command.index("--")
    command[cut:cut] = ["--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=variant.root,
            env={**os.environ, "PYTHONPATH": str(variant.root)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not become healthy in 90 s") from None
                time.sleep(0.25)
        yield f"http://127.0.0.1:{port}/", proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def peak_memory_mib(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


@contextmanager
def _browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _first_maps(browser: Any, base: str, runs: int, drawn: str) -> tuple[list[float], Any]:
    """Open the page ``runs`` times; seconds until ``drawn`` shows in the map; the last page stays open."""
    times: list[float] = []
    page: Any = None
    for _ in range(runs):
        if page is not None:
            page.close()
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        started = time.perf_counter()
        page.goto(base)
        page.frame_locator(MAP_FRAME).locator(drawn).first.wait_for(timeout=TIMEOUT_MS)
        times.append(time.perf_counter() - started)
    return times, page


def measure_floor(base: str, *, runs: int = 3, drawn: str = ".mapapp-legend") -> dict[str, float]:
    """Seconds to a page's first map (``drawn`` shows: the base map's legend, drawn by its script)."""
    with _browser() as browser:
        times, page = _first_maps(browser, base, runs, drawn)
        page.close()
    return {"cold_first_map_s": times[0], "first_map_s": statistics.median(times[1:] or times)}


def measure_app(base: str, *, runs: int = 3, steps: int = 4, clicks: int = 3) -> dict[str, float]:
    """First map cold and warm, slider steps per window mode, and click to excerpt (medians, seconds)."""
    with _browser() as browser:
        first_maps, page = _first_maps(browser, base, runs, ".mapapp-place")
        received = [0]
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))
            ),
        )
        page.reload()  # with the websocket watched
        page.frame_locator(MAP_FRAME).locator(".mapapp-place").first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_selector(READY, timeout=TIMEOUT_MS)
        frame = next(f for f in page.frames if "streamlit_folium" in f.url)
        step_times: dict[str, list[float]] = {"7 days": [], "Up to day": []}
        ws_bytes: list[int] = []
        for mode in step_times:
            page.get_by_text(mode, exact=True).click()
            page.wait_for_selector(READY, timeout=TIMEOUT_MS)
            page.wait_for_timeout(1500)
            thumb = page.locator("[data-testid='stSlider'] input[type='range']")
            for _ in range(steps):
                before = frame.evaluate(SIGNATURE)
                received[0] = 0
                thumb.focus()
                started = time.perf_counter()
                thumb.press("ArrowLeft")
                frame.wait_for_function(
                    f"before => ({SIGNATURE})() !== before", arg=before, timeout=TIMEOUT_MS
                )
                step_times[mode].append(time.perf_counter() - started)
                page.wait_for_selector(READY, timeout=TIMEOUT_MS)
                page.wait_for_timeout(400)
                ws_bytes.append(received[0])
        click_times = []
        keys = frame.evaluate(
            """() => Array.from(document.querySelectorAll('.mapapp-place'))
                .sort((a, b) => b.getAttribute('data-count') - a.getAttribute('data-count'))
                .map(e => e.getAttribute('data-place'))"""
        )
        cards = page.locator(".mapapp-event")
        for key in keys[:clicks]:
            frame.evaluate("() => window.map && window.map.closePopup()")
            before = cards.first.get_attribute("data-event") if cards.count() else None
            started = time.perf_counter()
            frame.locator(f".mapapp-place[data-place='{key}']").dispatch_event("click")
            page.wait_for_function(
                """before => { const c = document.querySelector('.mapapp-event');
                               return c !== null && c.getAttribute('data-event') !== before; }""",
                arg=before,
                timeout=TIMEOUT_MS,
            )
            click_times.append(time.perf_counter() - started)
            page.wait_for_selector(READY, timeout=TIMEOUT_MS)
            page.wait_for_timeout(400)
        page.close()
    return {
        "cold_first_map_s": first_maps[0],
        "first_map_s": statistics.median(first_maps[1:] or first_maps),
        "step_week_s": statistics.median(step_times["7 days"]),
        "step_to_date_s": statistics.median(step_times["Up to day"]),
        "ws_kib_per_step": statistics.median(ws_bytes) / 1024,
        "click_s": statistics.median(click_times),
    }


def measure_queries(url: str) -> dict[str, float]:
    """This tree's store answers and map build, in-process (ms): what one slider step asks the store."""
    from streamlit_folium import _get_feature_group_string

    from mapapp.mapview import AssetLinks, MapStyle, Window, map_view
    from mapapp.store import EventQuery, open_existing_store

    # as the app draws it: Leaflet and the base map's detail served by the app, not inline
    assets = AssetLinks.served_from("/app/static/vendor")
    style = MapStyle(assets=assets, detail_url="/app/static/basemap/detail.json")
    out: dict[str, float] = {}
    with open_existing_store(url) as store:
        first = store.totals().first or MID
        for label, mode in (("week", "week"), ("to_date", "to-date")):
            window = Window.ending(MID, mode, first=first)
            query = EventQuery(window=(window.start, window.end))
            times = []
            for _ in range(5):
                started = time.perf_counter()
                places = store.places(query, newest=style.popup_limit)
                store.totals(query)
                times.append(time.perf_counter() - started)
            out[f"store_{label}_ms"] = statistics.median(times) * 1000
            started = time.perf_counter()
            view = map_view(places, window, style)
            view.map.get_root().render()
            layer = _get_feature_group_string(view.layer, view.map)
            out[f"layer_{label}_ms"] = (time.perf_counter() - started) * 1000
            out[f"layer_{label}_kib"] = len(layer.encode()) / 1024
            out[f"places_{label}"] = len(places)
    return out


def _floor_script(variant: Variant, into: Path) -> Path:
    """The floor page beside a ``static`` link to the variant's assets (Streamlit serves ./static)."""
    into.mkdir(parents=True, exist_ok=True)
    script = into / "floor_app.py"
    shutil.copy(ROOT / "benchmarks" / "floor_app.py", script)
    (into / "static").symlink_to(variant.root / "mapapp" / "app" / "static", target_is_directory=True)
    return script


def _one_event_store(workdir: Path) -> str:
    """A store of this tree with one generated event (made once per run)."""
    url = f"sqlite:///{workdir}/one-event.sqlite"
    from mapapp.store import open_store

    with open_store(url) as store:
        if store.totals().empty:
            store.save_extraction(generate_extractions(1, seed=1, events_per_article=(1, 1))[0])
    return url


def _sqlite_file(url: str) -> Path | None:
    from mapapp.store.url import parse_store_url

    parsed = parse_store_url(url)
    return parsed.path if parsed.scheme == "sqlite" else None


def run(
    sizes: Sequence[int], *, baseline: str | None, store_url: str | None, workdir: Path, runs: int, steps: int
) -> list[Row]:
    """Build (or reuse) each store, measure every variant and the floor; the rows of the table."""
    current = Variant("this tree", ROOT)
    base = export_revision(baseline, workdir / "baseline") if baseline else None
    rows: list[Row] = []
    for n in sizes:
        url = (store_url or f"sqlite:///{workdir}/events-{{n}}.sqlite").format(n=n)
        if base is not None:  # built by the baseline, so both can open it (the newer one migrates its copy)
            path = _sqlite_file(url)
            if path is None:
                raise SystemExit("bench_map: --baseline compares SQLite stores only (a copy for each side)")
            if not path.exists():
                _python(base, _BUILD_IN_TREE, str(n), url)
            stores = {}
            for variant in (base, current):
                copy = workdir / f"{variant.name.replace(' ', '-')}-{n}.sqlite"
                shutil.copy(path, copy)
                stores[variant.name] = f"sqlite:///{copy}"
        else:
            build_store(n, url)
            stores = {current.name: url}
        started = time.perf_counter()
        total = int(_python(current, _OPEN, stores[current.name]))
        migrated = time.perf_counter() - started
        print(f"{total:,} events; this tree opened (and migrated) the store in {migrated:.1f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        logs = workdir / "logs"
        logs.mkdir(exist_ok=True)
        floor_script = _floor_script(current, workdir / f"floor-{n}")
        with serve(current, "", logs / f"floor-{n}.log", script=floor_script) as (address, pid):
            floor = Row(EMPTY_MAP, total, measure_floor(address, runs=runs))
            floor.app["peak_mib"] = peak_memory_mib(pid)
        rows.append(floor)
        with serve(current, _one_event_store(workdir), logs / f"one-{n}.log") as (address, pid):
            floor = Row(ONE_EVENT, total, measure_floor(address, runs=runs, drawn=".mapapp-place"))
            floor.app["peak_mib"] = peak_memory_mib(pid)
        rows.append(floor)
        for variant in (base, current):
            if variant is None:
                continue
            log = logs / f"{variant.name}-{n}.log".replace(" ", "-")
            with serve(variant, stores[variant.name], log) as (address, pid):
                row = Row(variant.name, total, measure_app(address, runs=runs, steps=steps))
                row.app["peak_mib"] = peak_memory_mib(pid)
            if variant is current:
                row.queries = measure_queries(stores[variant.name])
            rows.append(row)
            print(f"measured {variant.name} at {total:,} events", file=sys.stderr, flush=True)
    return rows


def table(rows: Sequence[Row]) -> str:
    """The markdown table of :func:`run`'s rows."""
    references = (EMPTY_MAP, ONE_EVENT)
    floors = {(r.events, r.variant): r.app["first_map_s"] for r in rows if r.variant in references}
    lines = [
        "| events in store | app | first map, cold / warm | warm ÷ empty map / ÷ one-event app "
        "| slider step, 7 days / all to date | click to excerpt | server peak memory |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        a = r.app
        ratios = " / ".join(f"{a['first_map_s'] / floors[r.events, f]:.2f}" for f in references)
        first = f"{a['cold_first_map_s']:.2f} / {a['first_map_s']:.2f} s"
        if r.variant in references:
            lines.append(f"| {r.events:,} | {r.variant} | {first} | {ratios} | | | {a['peak_mib']:.0f} MiB |")
            continue
        lines.append(
            f"| {r.events:,} | {r.variant} | {first} | {ratios} "
            f"| {a['step_week_s']:.2f} / {a['step_to_date_s']:.2f} s "
            f"| {a['click_s']:.2f} s | {a['peak_mib']:.0f} MiB |"
        )
    queried = [r for r in rows if r.queries]
    if queried:
        lines += [
            "",
            "| events in store | store: places + totals, 7 days / all to date | layer built and rendered "
            "| layer sent, 7 days / all | places drawn |",
            "|---:|---:|---:|---:|---:|",
        ]
        for r in queried:
            q = r.queries
            lines.append(
                f"| {r.events:,} | {q['store_week_ms']:.0f} / {q['store_to_date_ms']:.0f} ms "
                f"| {q['layer_week_ms']:.0f} / {q['layer_to_date_ms']:.0f} ms "
                f"| {q['layer_week_kib']:.0f} / {q['layer_to_date_kib']:.0f} KiB "
                f"| {q['places_week']:.0f} / {q['places_to_date']:.0f} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_map", description=__doc__)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="events per store"
    )
    parser.add_argument("--quick", action="store_true", help="one store of 2,000 events, fewer runs")
    parser.add_argument(
        "--baseline", metavar="REV", help="also measure the app of this git revision (e.g. main)"
    )
    parser.add_argument(
        "--store-url", metavar="URL", help="the stores to measure, {n} for the size (default: SQLite files)"
    )
    parser.add_argument("--runs", type=int, default=3, help="page loads per app (the first is cold)")
    args, _ = parser.parse_known_args(argv)
    sizes = [2_000] if args.quick else args.sizes
    runs, steps = (2, 2) if args.quick else (args.runs, 4)
    if not Path(CHROMIUM).exists():
        print(f"bench_map: Chromium not found at {CHROMIUM} (set MAPAPP_CHROMIUM)", file=sys.stderr)
        return 1
    from mapapp.app.assets import ensure_assets

    ensure_assets()
    with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
        rows = run(
            sizes, baseline=args.baseline, store_url=args.store_url, workdir=Path(tmp), runs=runs, steps=steps
        )
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {date.today():%Y-%m-%d}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
