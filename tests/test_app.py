"""The Streamlit app's logic through AppTest (no browser): slider, filters, panel, uploads, errors."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp.app.safe import markdown_literal
from mapapp.app.views.map_page import clicked_place, filters_from, report_lines
from mapapp.ingest import IngestReport
from mapapp.mapview import aggregate
from mapapp.model import Article, DateHow, Event, Excerpt, Side, event_id
from mapapp.pipeline.events import event_kinds
from mapapp.store import StoreNotFoundError, open_existing_store, open_store, redact

APP = str(Path(__file__).resolve().parents[1] / "mapapp" / "app" / "main.py")
XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'

PLACES = {
    "Stepanakert": ("geonames:174875", 39.8177, 46.7528),
    "Ganja": ("geonames:587084", 40.6828, 46.3606),
    "Tartar": ("geonames:585170", 40.3419, 46.9323),
    "Hadrut": ("geonames:174991", 39.5200, 47.0300),
}


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the store saves: an article and its events."""

    article: Article
    events: tuple[Event, ...]


def extraction(
    source: str,
    claims: list[tuple[str, date, Side, str]],
    *,
    outlet: str = "Kompas.com",
    title: str = "Pertempuran di Nagorno-Karabakh",
    language: str = "id",
    published: date = date(2020, 10, 10),
) -> Extraction:
    """An article whose text is its claims' sentences, and one event per claim."""
    text = "\n".join(sentence for *_, sentence in claims)
    article = Article(source, text, title=title, outlet=outlet, published=published, language=language)
    events, at = [], 0
    for place, day, side, sentence in claims:
        gid, lat, lon = PLACES[place]
        start = text.index(sentence, at)
        at = start + len(sentence)
        events.append(
            Event(
                id=event_id(article.sha256, gid, day, side),
                source=source, place=place, place_resolved=place, gazetteer_id=gid, lat=lat, lon=lon,
                date=day, side=side, excerpts=(Excerpt(sentence, start, at),), outlet=outlet, title=title,
                published=published, language=language, country="AZ", date_how=DateHow.EXPLICIT,
                kinds=event_kinds([sentence]),
            )
        )  # fmt: skip
    return Extraction(article, tuple(events))


def fill(url: str) -> None:
    with open_store(url) as store:
        store.save_extraction(
            extraction(
                "a.txt",
                [
                    ("Stepanakert", date(2020, 9, 27), Side.ARMENIA,
                     "Media Armenia mengatakan Stepanakert ditembaki roket pada Minggu (27/9)."),
                    ("Tartar", date(2020, 9, 28), Side.AZERBAIJAN,
                     "Kementerian Pertahanan Azerbaijan mengatakan Tartar diserang artileri pada Senin."),
                ],
            )
        )
        store.save_extraction(
            extraction(
                "b.txt",
                [
                    ("Ganja", date(2020, 10, 4), Side.AZERBAIJAN,
                     "Azerbaijan mengatakan rudal menghantam Ganja pada Minggu (4/10), drone juga terlihat."),
                    ("Stepanakert", date(2020, 10, 4), Side.INDEPENDENT,
                     "Wartawan AFP melihat warga mengungsi dari Stepanakert pada Minggu (4/10)."),
                ],
                outlet="AFP",
                title="Shelling hits Stepanakert and Ganja",
                language="en",
            )
        )
        store.save_extraction(
            extraction(
                "xss.txt",
                [("Hadrut", date(2020, 10, 9), Side.THIRD_PARTY,
                  f"Rusia mengatakan Hadrut dibom {XSS} pada Jumat (9/10).")],
                outlet=XSS,
                title=XSS,
            )
        )  # fmt: skip


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/events.sqlite"
    fill(url)
    monkeypatch.setenv("MAPAPP_STORE", url)
    return url


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def counts(at: AppTest) -> tuple[int, int]:
    """(events, places) from the headline above the map."""
    for element in at.html:
        match = re.search(r"<b>([\d,]+)</b> events at <b>([\d,]+)</b>", element.value)
        if match:
            return int(match.group(1)), int(match.group(2))
    raise AssertionError("no headline with event and place counts on the page")


def page_html(at: AppTest) -> str:
    return "\n".join(element.value for element in at.html)


# -- the page -------------------------------------------------------------------------------


def test_page_opens_on_the_last_day_with_every_event(store_url: str) -> None:
    at = run_app()
    assert at.slider(key="day").value == date(2020, 10, 9)
    assert counts(at) == (5, 4)
    assert "27 Sep – 9 Oct 2020" in page_html(at)


@pytest.mark.parametrize(
    ("mode", "day", "expected"),
    [
        pytest.param("to-date", date(2020, 9, 28), (2, 2), id="up-to-28-sep"),
        pytest.param("day", date(2020, 10, 4), (2, 2), id="day-4-oct"),
        pytest.param("day", date(2020, 10, 1), (0, 0), id="a-quiet-day"),
        pytest.param("week", date(2020, 10, 4), (3, 3), id="week-to-4-oct"),
        pytest.param("to-date", date(2020, 10, 9), (5, 4), id="everything"),
    ],
)
def test_slider_and_window_change_the_events_shown(
    store_url: str, mode: str, day: date, expected: tuple[int, int]
) -> None:
    at = run_app()
    at.segmented_control(key="mode").set_value(mode)
    at.slider(key="day").set_value(day)
    at.run()
    assert not at.exception
    assert counts(at) == expected


def test_step_buttons_move_the_day(store_url: str) -> None:
    at = run_app()
    at.button(key="step-back").click().run()
    assert at.slider(key="day").value == date(2020, 10, 8)
    assert counts(at) == (4, 3)
    at.button(key="step-forward").click().run()
    at.button(key="step-forward").click().run()  # clamped at the last day
    assert at.slider(key="day").value == date(2020, 10, 9)


@pytest.mark.parametrize(
    ("widget", "value", "expected"),
    [
        pytest.param("filter_sides", ["azerbaijan"], (2, 2), id="one-side"),
        pytest.param("filter_sides", ["armenia", "independent"], (2, 1), id="two-sides"),
        pytest.param("filter_outlets", ["AFP"], (2, 2), id="outlet"),
        pytest.param("filter_languages", ["en"], (2, 2), id="language"),
        pytest.param("filter_text", "drone", (1, 1), id="text-search"),
        pytest.param("filter_text", "ROKET", (1, 1), id="text-search-any-case"),
        pytest.param("filter_text", "no such words", (0, 0), id="text-search-nothing"),
        pytest.param("filter_kinds", ["capture"], (0, 0), id="kind-none"),
        pytest.param("filter_kinds", ["evacuation"], (1, 1), id="kind"),
        pytest.param("filter_kinds", ["evacuation", "attack"], (5, 4), id="kinds-any"),
    ],
)
def test_filters_narrow_the_map(
    store_url: str, widget: str, value: object, expected: tuple[int, int]
) -> None:
    at = run_app()
    if widget == "filter_text":
        at.text_input(key=widget).input(value).run()
    else:
        at.multiselect(key=widget).set_value(value).run()
    assert not at.exception
    assert counts(at) == expected
    assert "filtered" in page_html(at)


def test_panel_lists_a_places_events_escaped_and_opens_the_article(store_url: str) -> None:
    at = run_app()
    hadrut = next(b for b in at.button if b.key == "busiest-geonames:174991")
    hadrut.click().run()
    html = page_html(at)
    assert "Hadrut" in html and "third-party" in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html  # title, outlet and excerpt, as text
    assert "<script" not in html and "<img" not in html
    assert '<mark class="mapapp-mark">Hadrut</mark>' in html
    read = next(b for b in at.button if b.key and b.key.startswith("read-"))
    read.click().run()
    reader = page_html(at)
    assert "mapapp-reader" in reader and "xss.txt" in reader
    assert '<mark class="mapapp-mark">Hadrut</mark>' in reader
    assert "<script" not in reader


def test_selected_place_outside_the_window_says_so(store_url: str) -> None:
    at = run_app()
    next(b for b in at.button if b.key == "busiest-geonames:174991").click().run()
    at.slider(key="day").set_value(date(2020, 10, 4)).run()
    assert any("No events at the selected place" in i.value for i in at.info)


def test_upload_adds_the_articles_events_and_shows_errors_per_file(store_url: str) -> None:
    at = run_app()
    assert counts(at) == (5, 4)
    article = (
        b"Baku (ANTARA) - Kementerian Pertahanan Azerbaijan mengatakan pasukan Armenia menembaki kota Barda "
        b"pada Rabu (28/10), menewaskan 21 warga sipil.\n"
        b"Armenia membantah laporan tersebut.\n"
    )
    quiet = b"Menteri luar negeri kedua negara bertemu di Moskwa pada Jumat (9/10) untuk berunding.\n"
    at.file_uploader[0].set_value(
        [
            ("barda.txt", article, "text/plain"),
            ("empty.txt", b"", "text/plain"),
            ("talks.txt", quiet, "text/plain"),
        ]
    )
    at.date_input(key="upload-published").set_value(date(2020, 10, 29))
    at.run()
    add = next(b for b in at.button if b.label == "Add to the map")
    add.click().run()
    assert not at.exception, [e.value for e in at.exception]
    summaries = [w.value.replace("\\", "") for w in at.warning]
    assert any(s.startswith("3 file(s) read: 2 new") for s in summaries), summaries
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any(e.startswith("empty.txt: ") for e in errors), errors
    notes = [i.value.replace("\\", "") for i in at.info]
    assert [n for n in notes if "no town-level event" in n] == [  # named per file, only the eventless one
        n for n in notes if n.startswith("talks.txt: read, but no town-level event")
    ] != []
    with open_store(store_url) as store:
        barda = [e for e in store.load() if e.source == "barda.txt"]
    assert barda, "the uploaded article made no event"
    events, _ = counts(at)
    assert events == 5 + len(barda)


def test_empty_store_says_how_to_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/empty.sqlite"
    monkeypatch.setenv("MAPAPP_STORE", url)
    at = run_app()
    assert any("no events yet" in i.value for i in at.info)
    assert any("mapapp ingest seeds" in c.value and url in c.value for c in at.code)
    assert at.file_uploader, "the uploader must be there to add the first articles"


def test_bad_store_url_is_an_error_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPAPP_STORE", "mysql://db/events")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error and "mysql" in at.error[0].value


@pytest.fixture
def read_only_url(new_store_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch) -> str:
    """A filled store on each backend, and the app started with ``-- --read-only``."""
    url = new_store_url()
    fill(url)
    monkeypatch.setenv("MAPAPP_STORE", url)
    monkeypatch.setattr(sys, "argv", [APP, "--read-only"])
    return url


def test_read_only_app_shows_the_map_without_uploads_and_masks_the_password(read_only_url: str) -> None:
    at = run_app()
    assert counts(at) == (5, 4)
    assert not at.file_uploader and not any(b.label == "Add to the map" for b in at.button)
    assert any("Read-only" in c.value for c in at.caption)
    shown = [c.value for c in at.code]
    assert redact(read_only_url) in shown
    if redact(read_only_url) != read_only_url:  # postgresql: the URL carries the server's password
        assert not any(read_only_url in text for text in [*shown, page_html(at)])


def test_read_only_app_never_creates_a_store(
    new_store_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = new_store_url()
    monkeypatch.setenv("MAPAPP_STORE", url)
    monkeypatch.setattr(sys, "argv", [APP, "--read-only"])
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error and "no event store at" in at.error[0].value
    with pytest.raises(StoreNotFoundError):  # the app created nothing
        open_existing_store(url)


# -- pure steps of the page -------------------------------------------------------------------


def _places():
    fixture = extraction(
        "c.txt",
        [
            ("Ganja", date(2020, 10, 4), Side.AZERBAIJAN, "Rudal menghantam Ganja."),
            ("Ganja", date(2020, 10, 5), Side.ARMENIA, "Armenia membantah serangan di Ganja."),
            ("Tartar", date(2020, 10, 5), Side.AZERBAIJAN, "Tartar diserang."),
        ],
    )
    return aggregate(fixture.events)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"last_object_clicked": {"lat": 40.6828, "lng": 46.3606}}, ("Ganja", 2), id="ganja"),
        pytest.param({"last_object_clicked": {"lat": 40.3419, "lng": 46.9323}}, ("Tartar", 1), id="tartar"),
        pytest.param({"last_object_clicked": {"lat": 41.7, "lng": 44.8}}, None, id="far-from-markers"),
        pytest.param({"last_object_clicked": None}, None, id="no-click-yet"),
        pytest.param(None, None, id="component-not-drawn"),
    ],
)
def test_clicked_marker_gives_its_places_events(value: dict | None, expected: tuple[str, int] | None) -> None:
    place = clicked_place(_places(), value)
    assert ((place.name, place.n) if place else None) == expected


@pytest.mark.parametrize(
    ("sides", "outlets", "languages", "text", "expected"),
    [
        pytest.param([s.value for s in Side], [], [], "  ", (None, None, None, None), id="nothing-chosen"),
        pytest.param(["independent", "armenia"], ["AFP"], ["en"], " drone ",
                     (("armenia", "independent"), ("AFP",), ("en",), "drone"), id="everything-chosen"),
        pytest.param([], [], [], "", ((), None, None, None), id="no-side-matches-nothing"),
    ],
)  # fmt: skip
def test_filters_from_the_sidebar(sides, outlets, languages, text, expected) -> None:
    f = filters_from(sides, outlets, languages, text)
    assert (f.sides, f.outlets, f.languages, f.text) == expected


def test_report_lines_name_each_failed_file() -> None:
    report = IngestReport(read=2, new=1, failed=1, events_added=3, failures=(("x.txt", "file is empty"),))
    summary, failures = report_lines(report)
    assert summary.startswith("2 file(s) read: 1 new") and "3 added" in summary
    assert failures == ["x.txt: file is empty"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\<\/script\>"),
        ("**bold** [x](javascript:y)", r"\*\*bold\*\* \[x\]\(javascript\:y\)"),
        ("plain words", "plain words"),
    ],
)
def test_markdown_literal_leaves_nothing_to_interpret(text: str, expected: str) -> None:
    assert markdown_literal(text) == expected


def test_exports_offer_geojson_and_csv_of_the_window(store_url: str) -> None:
    at = run_app()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["GeoJSON of what's on the map", "CSV of what's on the map"]


def test_serve_runs_streamlit_with_static_serving_and_the_store() -> None:
    from mapapp.cli import build_parser
    from mapapp.commands.serve import APP as ENTRY
    from mapapp.commands.serve import run, streamlit_command

    command = streamlit_command("sqlite:////tmp/x.sqlite", port=8600)
    assert command[command.index("run") + 1] == str(ENTRY) == APP
    assert command[command.index("--server.enableStaticServing") + 1] == "true"
    assert command[command.index("--server.port") + 1] == "8600"
    assert command[-3:] == ["--", "--store", "sqlite:////tmp/x.sqlite"]
    assert run(build_parser().parse_args(["serve", "--port", "0"])) == 2
    assert run(build_parser().parse_args(["serve", "--store", "mysql://x"])) == 2


def test_panel_pages_through_a_busy_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    from mapapp.app.views.map_page import PANEL_LIMIT

    url = f"sqlite:///{tmp_path}/busy.sqlite"
    claims = [
        ("Ganja", date(2020, 9, 27) + timedelta(days=i // 4), list(Side)[i % 4], f"Ledakan ke-{i} di Ganja.")
        for i in range(PANEL_LIMIT + 10)
    ]
    with open_store(url) as store:
        store.save_extraction(extraction("busy.txt", claims))
    monkeypatch.setenv("MAPAPP_STORE", url)
    at = run_app()
    next(b for b in at.button if b.key == "busiest-geonames:587084").click().run()
    cards = lambda: sum(e.value.count('class="mapapp-event"') for e in at.html)  # noqa: E731
    assert cards() == PANEL_LIMIT
    more = next(b for b in at.button if b.key == "panel-more")
    assert more.label == "Show 10 more of 10 older events"
    more.click().run()
    assert cards() == PANEL_LIMIT + 10
    assert not [b for b in at.button if b.key == "panel-more"]


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2020, 10, 4), date(2020, 10, 4)), (date(2020, 10, 1), date(2020, 10, 7))],
    ids=["one-day", "seven-days"],
)
def test_timeline_shades_whole_days_of_the_window_and_rules_its_last_day(start: date, end: date) -> None:
    from mapapp.app.charts import timeline
    from mapapp.mapview import Window

    spec = timeline([], Window(start, end), first=date(2020, 9, 27), last=date(2020, 11, 10))
    band = spec["datasets"][spec["layer"][0]["data"]["name"]]  # the band's one row, the rule's too
    assert band[0]["start"].startswith(start.isoformat())
    assert band[0]["end"].startswith((end + timedelta(days=1)).isoformat())
    assert band[0]["day"].startswith(f"{end.isoformat()}T12:00")


def test_timeline_is_valid_vega_lite_holding_the_counts_and_the_window() -> None:
    import altair as alt

    from mapapp.app.charts import timeline
    from mapapp.mapview import Window
    from mapapp.store import DayCount

    counts = [DayCount(date(2020, 10, 4), Side.ARMENIA, 3), DayCount(date(2020, 10, 5), Side.AZERBAIJAN, 1)]
    first, last = date(2020, 9, 27), date(2020, 11, 10)
    week, day = Window(date(2020, 10, 1), date(2020, 10, 7)), Window(date(2020, 10, 9), date(2020, 10, 9))
    spec = timeline(counts, week, first=first, last=last)
    alt.LayerChart.from_dict(spec)  # raises on a spec Vega-Lite would refuse
    bars = spec["datasets"][spec["layer"][1]["data"]["name"]]
    assert [(row["day"][:10], row["side"], row["events"]) for row in bars] == [
        ("2020-10-04", "armenia", 3),
        ("2020-10-05", "azerbaijan", 1),
    ]
    other = timeline(counts, day, first=first, last=last)  # another window: only its row differs
    band = other["datasets"].pop(other["layer"][0]["data"]["name"])
    spec["datasets"].pop(spec["layer"][0]["data"]["name"])
    assert other == spec and band[0]["start"].startswith("2020-10-09")
