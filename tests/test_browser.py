"""End to end in headless Chromium: the real app on a real store, with every outside request blocked.

These tests never skip: without Chromium they fail and say how to install it
(``make chromium``). Screenshots of each step go to ``tests/artifacts/browser/``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, Route, expect, sync_playwright

from mapapp.app.assets import ensure_assets
from mapapp.commands.serve import streamlit_command
from mapapp.ingest import ingest
from mapapp.mapview import Window, WindowMode, aggregate, events_in_window
from mapapp.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM = os.environ.get("MAPAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
MARKERS = ".mapapp-place"

# an article whose title, outlet and text try to run code; each payload sets a different flag
PAYLOAD_TITLE = '<script>window.__pwned=1</script>Serangan <img src=x onerror="window.__pwned=2">'
PAYLOAD_OUTLET = '<img src=x onerror="window.__pwned=3">Kabar'
PAYLOAD_TEXT = (
    "Kementerian Pertahanan Azerbaijan mengatakan pasukan Armenia menembaki kota Tartar pada Senin (19/10), "
    '<script>window.__pwned=4</script> <img src=x onerror="window.__pwned=5"> menewaskan dua warga.\n'
    "Armenia membantah laporan tersebut.\n"
)
UPLOAD_HTML = """<!doctype html><html><head><title>Rudal hantam Barda - ANTARA News</title>
<meta property="og:site_name" content="ANTARA News">
<meta property="article:published_time" content="2020-10-29T08:00:00+07:00"></head>
<body><article><h1>Rudal hantam Barda</h1>
<p>Baku (ANTARA) - Kementerian Pertahanan Azerbaijan mengatakan pasukan Armenia menembaki kota Barda
pada Rabu (28/10), menewaskan 21 warga sipil.</p><p>Armenia membantah laporan tersebut.</p>
</article></body></html>"""
BARDA = "geonames:587057"
TIMINGS: dict[str, float] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"streamlit not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The five seed articles ingested for real, plus the hostile article."""
    folder = tmp_path_factory.mktemp("browser-store")
    hostile = folder / "hostile"
    hostile.mkdir()
    (hostile / "xss_article.txt").write_text(PAYLOAD_TEXT, encoding="utf-8")
    with (hostile / "manifest.csv").open("w", newline="", encoding="utf-8") as fp:
        writer = csv.writer(fp)
        writer.writerow(["file", "outlet", "title", "published", "language", "url"])
        writer.writerow(["xss_article.txt", PAYLOAD_OUTLET, PAYLOAD_TITLE, "2020-10-20", "id", ""])
    url = f"sqlite:///{folder}/events.sqlite"
    with open_store(url) as store:
        seeds = ingest([ROOT / "seeds"], store, manifest=ROOT / "seeds" / "manifest.csv", workers=1)
        xss = ingest([hostile / "xss_article.txt"], store, manifest=hostile / "manifest.csv", workers=1)
        assert seeds.ok and seeds.events_added >= 5, seeds.summary()
        assert xss.ok and xss.events_added == 1, xss.summary()
        record = store.article("xss_article.txt")
        assert record is not None and record.title == PAYLOAD_TITLE and record.outlet == PAYLOAD_OUTLET
    return url


class TileServer:
    """A tile server on loopback standing in for a team's own: every request is recorded, any tile is grey."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        images = ROOT / "mapapp" / "app" / "static" / "vendor" / "leaflet" / "images"
        tile = (images / "layers.png").read_bytes()
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tiles/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def tiles() -> Iterator[TileServer]:
    ensure_assets()
    server = TileServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def app(store_url: str, tiles: TileServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by Streamlit on a free port, with the loopback tile server set up; yields its URL."""
    ensure_assets()
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    command = [*streamlit_command(store_url, port=port, host="127.0.0.1")]
    command[command.index("--") : command.index("--")] = ["--server.fileWatcherType", "none"]
    env = {**os.environ, "MAPAPP_TILES": f"Test tiles|{tiles.url}|© the test's tile server"}
    env.pop("MAPAPP_SETTINGS", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        f"Chromium not found at {CHROMIUM}: install it (`make chromium`, Debian package `chromium`) "
        "or point MAPAPP_CHROMIUM at one. Browser tests never skip."
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Offline:
    """Every request that leaves localhost is aborted and recorded."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def __call__(self, route: Route) -> None:
        url = route.request.url
        host = url.split("/")[2] if "://" in url else ""
        if url.startswith(("data:", "blob:", "about:")) or host.split(":")[0] in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def offline() -> Offline:
    return Offline()


@pytest.fixture
def page(browser: Browser, offline: Offline) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1500, "height": 1150})
    context.route("**/*", offline)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not dialogs, f"a dialog fired: {dialogs}"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_ready(page: Page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)


def open_app(page: Page, base: str) -> FrameLocator:
    start = time.monotonic()
    page.goto(base)
    wait_ready(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(MARKERS).first.wait_for(timeout=30_000)
    TIMINGS["first_map_s"] = round(time.monotonic() - start, 2)
    page.wait_for_timeout(300)
    return frame


def places_now(store_url: str, mode: WindowMode = WindowMode.TO_DATE, back: int = 0) -> set[str]:
    """Place keys the map should show with the slider ``back`` days before the last day."""
    with open_store(store_url) as store:
        first, last = store.date_range()  # type: ignore[misc]
        events = store.load()
    window = Window.ending(last - timedelta(days=back), mode, first=first)
    return {p.key for p in aggregate(events_in_window(events, window))}


def marker_keys(frame: FrameLocator) -> set[str]:
    return set(frame.locator(MARKERS).evaluate_all("els => els.map(e => e.getAttribute('data-place'))"))


def open_popup_of(page: Page, frame: FrameLocator, key: str) -> str:
    frame.locator("body").evaluate("() => window.map && window.map.closePopup()")
    frame.locator(f"{MARKERS}[data-place='{key}']").dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content").last
    expect(popup).to_be_visible(timeout=10_000)
    page.wait_for_timeout(350)  # Leaflet's fade-in and auto-pan
    return popup.inner_text()


# -- the tests -------------------------------------------------------------------------------


def test_seed_store_markers(page: Page, app: str, store_url: str, offline: Offline) -> None:
    frame = open_app(page, app)
    expected = places_now(store_url)
    expect(frame.locator(MARKERS)).to_have_count(len(expected))
    assert marker_keys(frame) == expected
    counts = frame.locator(MARKERS).evaluate_all("els => els.map(e => +e.getAttribute('data-count'))")
    with open_store(store_url) as store:
        assert sum(counts) == len(store.load())
    assert frame.locator(".mapapp-legend").inner_text().startswith("Who reported it")
    # the legend hides none of the theatre's towns in the opening view (front-line towns at its edges)
    hidden = frame.locator("body").evaluate(
        """(_, towns) => {
            const box = document.querySelector('.mapapp-legend').getBoundingClientRect();
            const map = window.map.getContainer().getBoundingClientRect();
            return towns.filter(([name, lat, lon]) => {
                const p = window.map.latLngToContainerPoint([lat, lon]);
                const x = p.x + map.left, y = p.y + map.top;
                return x >= box.left - 12 && x <= box.right + 12 && y >= box.top - 12 && y <= box.bottom + 12;
            }).map(t => t[0]);
        }""",
        [
            ["Zangilan", 39.084, 46.660], ["Jabrayil", 39.400, 47.026], ["Horadiz", 39.448, 47.336],
            ["Beylagan", 39.776, 47.618], ["Mingachevir", 40.764, 47.062], ["Ganja", 40.683, 46.361],
            ["Tovuz", 40.992, 45.629], ["Ijevan", 40.879, 45.148], ["Goris", 39.511, 46.339],
            ["Kapan", 39.207, 46.405], ["Stepanakert", 39.818, 46.753], ["Barda", 40.376, 47.126],
        ],
    )
    assert hidden == []
    shot(page, "01-seed-store")


def test_slider_step_changes_the_markers(page: Page, app: str, store_url: str) -> None:
    frame = open_app(page, app)
    before, after = places_now(store_url), places_now(store_url, back=1)
    assert before != after, "the fixture's last day must add a place"
    body = frame.locator("body")
    body.evaluate("() => { window.map.setZoom(8.5, {animate: false}); window.map.__mountedOnce = true; }")
    thumb = page.locator("[data-testid='stSlider'] input[type='range']")
    thumb.focus()
    start = time.monotonic()
    thumb.press("ArrowLeft")
    expect(frame.locator(MARKERS)).to_have_count(len(after), timeout=15_000)
    TIMINGS["slider_step_s"] = round(time.monotonic() - start, 2)
    assert marker_keys(frame) == after
    wait_ready(page)
    shot(page, "02-slider-one-day-back")
    # the map was not re-mounted: the same Leaflet map object, with the zoom the user chose
    assert body.evaluate("() => [window.map.__mountedOnce === true, window.map.getZoom()]") == [True, 8.5]
    assert frame.locator(".leaflet-container").count() == 1


def test_play_steps_through_the_days(page: Page, app: str, store_url: str) -> None:
    frame = open_app(page, app)
    with open_store(store_url) as store:
        first, last = store.date_range()  # type: ignore[misc]
    page.get_by_role("button", name="Play").click()  # from the last day, play starts over at the first
    page.wait_for_timeout(3_000)
    page.get_by_role("button", name="Pause").click()
    wait_ready(page)
    page.wait_for_timeout(500)
    shown = page.locator("[data-testid='stSlider'] [data-testid='stSliderThumbValue']").inner_text()
    day = datetime.strptime(shown.strip(), "%a %d %b %Y").date()
    assert first < day < last, f"play should have restarted at {first} and moved on, slider shows {day}"
    expected = places_now(store_url, back=(last - day).days)
    expect(frame.locator(MARKERS)).to_have_count(len(expected), timeout=15_000)
    shot(page, "02b-play-paused")


def test_click_marker_shows_excerpts_in_popup_and_panel(page: Page, app: str, store_url: str) -> None:
    frame = open_app(page, app)
    with open_store(store_url) as store:
        events = store.load()
    place = max(aggregate(events), key=lambda p: p.n)
    popup = open_popup_of(page, frame, place.key)
    event = place.events[0]
    assert place.name in popup
    assert event.excerpt[:60] in popup.replace("\n", " ")
    shot(page, "03-popup")
    card = page.locator(".mapapp-event").first
    expect(card).to_be_visible(timeout=15_000)
    panel = " ".join(page.locator(".mapapp-event").all_inner_texts())
    assert event.excerpt[:60] in panel.replace("\n", " ")
    assert page.locator(".mapapp-event mark").count() >= 1
    shot(page, "04-panel")
    page.get_by_role("button", name="Read the whole article").first.click()
    reader = page.locator(".mapapp-reader")
    expect(reader).to_be_visible(timeout=15_000)
    assert reader.locator("mark").count() >= 1
    shot(page, "05-reader")


def test_a_closed_place_opens_again_on_a_second_click(page: Page, app: str, store_url: str) -> None:
    frame = open_app(page, app)
    with open_store(store_url) as store:
        place = max(aggregate(store.load()), key=lambda p: p.n)
    cards = page.locator(".mapapp-event")
    open_popup_of(page, frame, place.key)
    expect(cards.first).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Close").first.click()
    expect(cards).to_have_count(0, timeout=15_000)
    wait_ready(page)
    open_popup_of(page, frame, place.key)  # the same marker, the same position: a new click all the same
    expect(cards.first).to_be_visible(timeout=15_000)
    shot(page, "05b-reopened")


def test_play_stops_on_the_last_day(page: Page, app: str, store_url: str) -> None:
    open_app(page, app)
    thumb = page.locator("[data-testid='stSlider'] input[type='range']")
    thumb.focus()
    thumb.press("ArrowLeft")
    wait_ready(page)
    with open_store(store_url) as store:
        _, last = store.date_range()  # type: ignore[misc]
    page.get_by_role("button", name="Play").click()
    # one step to the last day, then the button offers Play again (not a Pause that restarts)
    shown = page.locator("[data-testid='stSlider'] [data-testid='stSliderThumbValue']")
    expect(shown).to_have_text(last.strftime("%a %d %b %Y"), timeout=15_000)
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=15_000)
    wait_ready(page)
    page.wait_for_timeout(1_500)  # longer than a play step: it stays on the last day
    expect(shown).to_have_text(last.strftime("%a %d %b %Y"))
    assert page.get_by_role("button", name="Pause").count() == 0


def test_upload_adds_its_event_to_the_map(page: Page, app: str, tmp_path: Path) -> None:
    frame = open_app(page, app)
    assert BARDA not in marker_keys(frame)
    upload = tmp_path / "barda-antara.html"
    upload.write_text(UPLOAD_HTML, encoding="utf-8")
    page.get_by_text("Add articles").click()
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload))
    add = page.get_by_role("button", name="Add to the map")
    expect(add).to_be_enabled(timeout=10_000)
    add.click()
    expect(frame.locator(f"{MARKERS}[data-place='{BARDA}']")).to_have_count(1, timeout=60_000)
    expect(page.get_by_text("1 new", exact=False)).to_be_visible()
    shot(page, "06-upload")


def test_exports_hold_what_is_on_the_map(page: Page, app: str, store_url: str) -> None:
    """The downloads ask the store for the window on the map when clicked: one row per event there."""
    frame = open_app(page, app)
    page.get_by_text("7 days", exact=True).click()
    wait_ready(page)
    thumb = page.locator("[data-testid='stSlider'] input[type='range']")
    thumb.focus()
    thumb.press("ArrowLeft")
    wait_ready(page)
    with open_store(store_url) as store:
        first, last = store.date_range()  # type: ignore[misc]
        window = Window.ending(last - timedelta(days=1), WindowMode.WEEK, first=first)
        expected = sorted(e.id for e in events_in_window(store.load(), window))
    assert expected, "the fixture must have events in the week before its last day"
    expect(page.locator("[data-mapapp='window']")).to_have_text(window.label(), timeout=15_000)
    expect(frame.locator(MARKERS)).to_have_count(len(places_now(store_url, WindowMode.WEEK, back=1)))
    wait_ready(page)
    page.wait_for_timeout(500)  # the buttons of this run are drawn
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV of what's on the map").click()
    rows = list(csv.DictReader(Path(download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert sorted(row["id"] for row in rows) == expected
    assert download.value.suggested_filename == f"karabakh-events_{window.start}_{window.end}.csv"
    with page.expect_download() as download:
        page.get_by_role("button", name="GeoJSON of what's on the map").click()
    features = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["features"]
    assert sorted(f["id"] for f in features) == expected
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 1  # the timeline is drawn
    shot(page, "06b-exports")


def wait_detail(page: Page, frame: FrameLocator) -> None:
    """Wait until the base map's offline detail (fetched from the app) is drawn."""
    for _ in range(100):
        if frame.locator("body").evaluate("() => window.map.__mapappDetail === true"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the base map's detail was not drawn within 10 s")


def test_map_draws_with_the_network_closed(page: Page, app: str, offline: Offline, tiles: TileServer) -> None:
    frame = open_app(page, app)
    wait_detail(page, frame)
    assert frame.locator(MARKERS).count() > 0
    assert frame.locator(".leaflet-mapapp-land-pane path").count() >= 5  # land of the countries
    assert frame.locator(".leaflet-mapapp-lines-pane path").count() >= 8  # borders, districts, Karabakh
    assert frame.locator(".mapapp-country-label").filter(has_text="Azerbaijan").count() == 1
    loaded = frame.locator("body").evaluate("() => typeof L === 'object' && L.version")
    assert loaded == "1.9.3"
    assert offline.blocked == [] and tiles.paths == []  # nothing asked of any server but the app's
    shot(page, "07-offline")


def test_offline_detail_names_towns_as_the_user_zooms_in(
    page: Page, app: str, offline: Offline, tiles: TileServer
) -> None:
    frame = open_app(page, app)
    wait_detail(page, frame)
    body = frame.locator("body")
    names = "() => Array.from(document.querySelectorAll('.mapapp-town')).map(e => e.textContent)"
    opening = body.evaluate(names)
    assert "Khankendi" not in opening and {"Ganja", "Yerevan"} <= set(opening)
    body.evaluate("() => window.map.setView([39.82, 46.75], 10, {animate: false})")
    page.wait_for_timeout(400)
    close = body.evaluate(names)
    assert {"Khankendi", "Shusha"} <= set(close) and len(close) > len(opening)
    districts = body.evaluate(
        "() => Array.from(document.querySelectorAll('.mapapp-district')).map(e => e.textContent)"
    )
    assert {"Khojaly", "Shusha"} <= set(districts)
    assert frame.locator(".mapapp-legend").inner_text().count("1991 boundary (disputed area)") == 1
    shot(page, "07b-offline-zoomed")
    assert offline.blocked == [] and tiles.paths == []


def test_names_and_lines_never_take_a_markers_click(page: Page, app: str) -> None:
    frame = open_app(page, app)
    wait_detail(page, frame)
    body = frame.locator("body")
    body.evaluate("() => window.map.setView([39.82, 46.75], 9, {animate: false})")
    page.wait_for_timeout(400)
    hits = body.evaluate(
        """() => Array.from(document.querySelectorAll('.mapapp-place')).map(m => {
            const r = m.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) { return null; }
            const top = document.elementFromPoint(x, y);
            return top && top.closest('.mapapp-place') === m;
        }).filter(v => v !== null)"""
    )
    assert hits and all(hits), f"something covers a marker: {hits}"


def choose_layer(page: Page, frame: FrameLocator, name: str) -> None:
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-base label").filter(has_text=name).click()
    frame.locator(".leaflet-container").hover(position={"x": 60, "y": 300})  # the control folds again
    page.wait_for_timeout(300)


def wait_tiles(page: Page, tiles: TileServer, more_than: int) -> None:
    for _ in range(100):
        if len(tiles.paths) > more_than:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no tile was requested from {tiles.url}")


def test_a_tile_layer_turns_on_without_losing_the_popup_or_the_zoom(
    page: Page, app: str, store_url: str, offline: Offline, tiles: TileServer
) -> None:
    frame = open_app(page, app)
    wait_detail(page, frame)
    body = frame.locator("body")
    body.evaluate("() => { window.map.setZoom(8.5, {animate: false}); window.map.__mountedOnce = true; }")
    with open_store(store_url) as store:
        place = max(aggregate(store.load()), key=lambda p: p.n)
    open_popup_of(page, frame, place.key)
    seen = len(tiles.paths)
    choose_layer(page, frame, "Test tiles")
    wait_tiles(page, tiles, seen)
    assert all(re.fullmatch(r"/tiles/\d+/\d+/\d+\.png", p) for p in tiles.paths[seen:])
    assert {p.split("/")[2] for p in tiles.paths[seen:]} == {"9"}  # zoom 8.5 asks for level-9 tiles
    expect(frame.locator(".leaflet-popup-content")).to_be_visible()
    assert body.evaluate("() => [window.map.__mountedOnce === true, window.map.getZoom()]") == [True, 8.5]
    assert frame.locator(".leaflet-mapapp-land-pane path").count() == 0  # the offline land made way
    assert frame.locator(".leaflet-mapapp-lines-pane path").count() >= 8  # borders and lines stay on top
    shot(page, "11-tile-layer")
    # the choice survives a slider step (no re-mount) ...
    thumb = page.locator("[data-testid='stSlider'] input[type='range']")
    thumb.focus()
    thumb.press("ArrowLeft")
    wait_ready(page)
    page.wait_for_timeout(500)
    assert body.evaluate("() => [window.map.__mountedOnce === true, window.map.getZoom()]") == [True, 8.5]
    assert frame.locator(".leaflet-tile-pane img").count() > 0
    # ... and a new visit: the browser remembers it
    seen = len(tiles.paths)
    frame = open_app(page, app)
    wait_tiles(page, tiles, seen)
    frame.locator(".leaflet-control-layers").hover()
    base = frame.locator(".leaflet-control-layers-base label")
    assert base.filter(has_text="Test tiles").locator("input").is_checked()
    # the public layers ask their own servers (blocked here, so nothing leaves the machine)
    assert not [u for u in offline.blocked if "openstreetmap" in u]
    choose_layer(page, frame, "OpenStreetMap")
    for _ in range(50):
        if any(u.startswith("https://tile.openstreetmap.org/") for u in offline.blocked):
            break
        page.wait_for_timeout(100)
    osm = r"https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png"
    assert any(re.fullmatch(osm, u) for u in offline.blocked)
    choose_layer(page, frame, "Offline map")
    page.wait_for_timeout(300)
    asked = (len(offline.blocked), len(tiles.paths))
    frame.locator("body").evaluate("() => window.map.setZoom(9, {animate: false})")
    page.wait_for_timeout(500)
    assert (len(offline.blocked), len(tiles.paths)) == asked  # back offline: no more tile requests
    assert frame.locator(".leaflet-mapapp-land-pane path").count() >= 5


def test_hostile_article_runs_nothing_and_reads_as_text(page: Page, app: str, store_url: str) -> None:
    frame = open_app(page, app)
    keys = sorted(marker_keys(frame))
    for key in keys:  # every popup
        open_popup_of(page, frame, key)
        page.wait_for_timeout(150)
    with open_store(store_url) as store:
        hostile = next(e for e in store.load() if e.source == "xss_article.txt")
    popup = open_popup_of(page, frame, hostile.gazetteer_id)
    assert "<script>window.__pwned=4</script>" in popup
    assert "&lt;script" not in popup
    expect(page.locator(".mapapp-event").filter(has_text="window.__pwned=1")).to_have_count(1, timeout=15_000)
    panel = page.locator(".mapapp-event").filter(has_text="window.__pwned=1").inner_text()
    assert PAYLOAD_TITLE in panel and "<img src=x onerror=" in panel and "&lt;" not in panel
    shot(page, "08-hostile-panel")
    page.get_by_role("button", name="Read the whole article").first.click()
    expect(page.locator(".mapapp-reader")).to_be_visible(timeout=15_000)
    reader = page.locator(".mapapp-reader").inner_text()
    assert "<script>window.__pwned=4</script>" in reader
    shot(page, "09-hostile-reader")
    flags = [page.evaluate("() => window.__pwned"), frame.locator("body").evaluate("() => window.__pwned")]
    assert flags == [None, None], f"the payload ran: window.__pwned = {flags}"
    assert page.locator("script:has-text('__pwned')").count() == 0
    assert frame.locator("script:has-text('__pwned')").count() == 0
    page.get_by_role("link", name="Sources").click()  # and the sources page with its reader
    wait_ready(page)
    page.get_by_text("Read an article").wait_for()
    page.locator("[data-testid='stSelectbox']").click()
    page.get_by_role("option", name="xss_article.txt").click()
    wait_ready(page)
    expect(page.locator(".mapapp-reader")).to_contain_text(PAYLOAD_TITLE)
    shot(page, "10-hostile-sources-page")
    assert page.evaluate("() => window.__pwned") is None


def _descendants(pid: int) -> list[int]:
    """Processes started, directly or not, by ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def test_team_read_only_app_on_postgis_shows_the_map_and_offers_no_upload(
    page: Page, team: dict[str, str], tmp_path: Path
) -> None:
    """`mapapp serve --read-only` as the README's reader role: the map, no upload, no password anywhere."""
    with open_store(team["writer"]) as store:
        assert ingest([ROOT / "seeds"], store, manifest=ROOT / "seeds" / "manifest.csv", workers=1).ok
    expected = places_now(team["writer"])
    secret = "change-me-reader"
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mapapp.cli", "serve", "--read-only", "--port", str(port),
             "--host", "127.0.0.1", "--store", team["reader"]],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log)
        command_lines = [Path(f"/proc/{p}/cmdline").read_bytes() for p in [proc.pid, *_descendants(proc.pid)]]
        assert any(b"streamlit" in c for c in command_lines[1:]), "mapapp serve did not start streamlit"
        assert not any(secret.encode() in c for c in command_lines[1:]), "password on streamlit's cmdline"
        page.goto(base)
        wait_ready(page)
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator(MARKERS)).to_have_count(len(expected), timeout=30_000)
        assert marker_keys(frame) == expected
        expect(page.get_by_text("Read-only: this app shows the shared store")).to_be_visible()
        assert page.get_by_text("Add articles").count() == 0
        assert page.locator("[data-testid='stFileUploader']").count() == 0
        assert secret not in page.content() and "postgresql://mapapp_reader:***@" in page.content()
        shot(page, "11-team-read-only")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert secret not in log.read_text(errors="replace")


def test_zz_timings_are_recorded() -> None:
    """Write the measured times next to the screenshots (runs last)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps(TIMINGS, indent=2))
    assert TIMINGS.get("first_map_s", 99) < 30
