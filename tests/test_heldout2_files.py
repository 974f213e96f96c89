"""Consistency checks for the second held-out evaluation set under tests/heldout2/ (no pipeline involved)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from tests.test_corpus_files import (
    COREFERENCE_WINDOW,
    ENTRY_KEYS,
    EVENT_KEYS,
    LANGUAGES,
    MAX_KM_FROM_GAZETTEER,
    REGION,
    SIDES,
    WAR_END,
    WAR_START,
    Page,
    _gazetteer_points,
    _haversine_km,
    _occurs,
    _VisibleText,
)

__all__: list[str] = []

TESTS = Path(__file__).parent
HELDOUT2 = TESTS / "heldout2"
GOLD = HELDOUT2 / "gold.json"
MANIFEST = HELDOUT2 / "manifest.csv"
SEEDS = TESTS.parent / "seeds"
# Text the rules were tuned on or looked at: the seeds, the corpus and the first held-out set.
SEEN_SETS = (SEEDS, TESTS / "corpus", TESTS / "heldout")

# The set's shape as agreed: 10 pages, 6 Indonesian and 4 English, 2 of them HTML, one without town events.
EXPECTED = {"id": 6, "en": 4, "html": 2, "no_event": 1, "min_events": 25}
# Outlets that are one party's own media: their unattributed narration is that party's claim.
PARTY_MEDIA = {"Armenpress": "armenia", "AzerNews": "azerbaijan"}
# The Karabakh Martuni is Khojavend; a gold point near the Gegharkunik towns means the homonym trap won.
KHOJAVEND = (39.79496, 47.1117)
KARABAKH_NAMES_OF_KHOJAVEND = {"Martuni", "Khojavend", "Xocavənd"}
# A sentence this long shared with a seen page means the held-out text was copied from it.
SHARED_SENTENCE_CHARS = 60


def _read(path: Path) -> Page:
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        parser = _VisibleText()
        parser.feed(raw)
        parser.close()
        visible = " ".join(parser.parts)
    else:
        visible = raw
    return Page(name=path.name, raw=raw, visible=re.sub(r"\s+", " ", visible))


def _manifest_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _sentences(text: str) -> set[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return {part.strip() for part in parts if len(part.strip()) >= SHARED_SENTENCE_CHARS}


def _outlet_key(outlet: str) -> str:
    """'JawaPos.com', 'Jawa Pos' and 'jawapos' are one outlet."""
    key = re.sub(r"[^a-z0-9]", "", outlet.lower())
    return re.sub(r"(com|coid|id|net|org|az|am)$", "", key)


GOLD_ENTRIES: list[dict] = json.loads(GOLD.read_text(encoding="utf-8"))
GOLD_IDS = [entry["file"] for entry in GOLD_ENTRIES]
PAGES = {name: _read(HELDOUT2 / name) for name in GOLD_IDS if (HELDOUT2 / name).is_file()}
EVENTS = [(entry, event) for entry in GOLD_ENTRIES for event in entry["events"]]
EVENT_IDS = [f"{entry['file']}:{event['place']}:{event['date']}:{event['side']}" for entry, event in EVENTS]


def test_manifest_has_the_seed_columns() -> None:
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with (SEEDS / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        seed_header = next(csv.reader(handle))
    assert header == seed_header, f"{MANIFEST}: columns {header}, expected the seeds' {seed_header}"


def test_manifest_gold_and_files_agree() -> None:
    manifest_files = [row["file"] for row in _manifest_rows(MANIFEST)]
    assert len(manifest_files) == len(set(manifest_files)), f"{MANIFEST}: duplicate rows"
    assert len(GOLD_IDS) == len(set(GOLD_IDS)), f"{GOLD}: duplicate entries"
    on_disk = {p.name for p in HELDOUT2.iterdir() if p.suffix in {".txt", ".html"}}
    assert set(manifest_files) == set(GOLD_IDS) == on_disk, (
        f"manifest {sorted(manifest_files)}, gold {sorted(GOLD_IDS)}, files {sorted(on_disk)}: "
        "every page needs one manifest row and one gold entry"
    )


def test_manifest_rows_match_gold_metadata() -> None:
    gold = {entry["file"]: entry for entry in GOLD_ENTRIES}
    for row in _manifest_rows(MANIFEST):
        entry = gold[row["file"]]
        assert row["language"] == entry["language"], f"{row['file']}: language differs from gold.json"
        assert row["published"] == entry["published"], f"{row['file']}: published differs from gold.json"
        assert row["outlet"].strip() and row["title"].strip(), f"{row['file']}: outlet and title are required"
        assert row["url"] == "", f"{row['file']}: leave url empty, these pages are written for the project"
        assert _occurs(row["title"], PAGES[row["file"]].visible), f"{row['file']}: title not on the page"


def test_set_size_and_mix() -> None:
    languages = [entry["language"] for entry in GOLD_ENTRIES]
    html_pages = [name for name in GOLD_IDS if name.endswith(".html")]
    no_event = [entry["file"] for entry in GOLD_ENTRIES if not entry["events"]]
    found = {
        "id": languages.count("id"),
        "en": languages.count("en"),
        "html": len(html_pages),
        "no_event": len(no_event),
    }
    assert found == {key: EXPECTED[key] for key in found}, f"held-out mix {found}, expected {EXPECTED}"
    assert len(EVENTS) >= EXPECTED["min_events"], f"only {len(EVENTS)} gold events"


def test_every_side_and_party_media_are_measured() -> None:
    sides = {event["side"] for _, event in EVENTS}
    assert sides == SIDES, f"gold sides {sorted(sides)}: every side of {sorted(SIDES)} should be measured"
    rows = _manifest_rows(MANIFEST)
    party_pages = {row["file"]: row["outlet"] for row in rows if row["outlet"] in PARTY_MEDIA}
    assert party_pages, f"no page from a party's own media ({sorted(PARTY_MEDIA)})"
    gold = {entry["file"]: entry for entry in GOLD_ENTRIES}
    for name, outlet in party_pages.items():
        own = [event for event in gold[name]["events"] if event["side"] == PARTY_MEDIA[outlet]]
        assert own, f"{name}: a {outlet} page should carry claims of its own side"


def test_outlets_are_new() -> None:
    seen = {
        _outlet_key(row["outlet"]) for folder in SEEN_SETS for row in _manifest_rows(folder / "manifest.csv")
    }
    reused = sorted(row["outlet"] for row in _manifest_rows(MANIFEST) if _outlet_key(row["outlet"]) in seen)
    assert not reused, f"{reused} already used by a seen set (seeds/, corpus/, heldout/): imitate new outlets"


def test_held_out_pages_are_not_in_the_seen_sets() -> None:
    seen_names = {p.name for folder in SEEN_SETS for p in folder.iterdir() if p.suffix in {".txt", ".html"}}
    clash = sorted(set(GOLD_IDS) & seen_names)
    assert not clash, f"{clash} also exist in a seen set: give held-out pages their own names"
    seen_sentences: set[str] = set()
    for folder in SEEN_SETS:
        for path in folder.iterdir():
            if path.suffix in {".txt", ".html"}:
                seen_sentences |= _sentences(_read(path).visible)
    for name, page in PAGES.items():
        shared = _sentences(page.visible) & seen_sentences
        assert not shared, f"{name}: shares sentences with a seen page: {sorted(shared)[:2]}"


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_entry_shape(entry: dict) -> None:
    assert set(entry) == ENTRY_KEYS, f"{entry['file']}: keys {sorted(entry)}, expected {sorted(ENTRY_KEYS)}"
    assert entry["language"] in LANGUAGES, f"{entry['file']}: language {entry['language']!r}"
    published = dt.date.fromisoformat(entry["published"])
    latest = WAR_END + dt.timedelta(days=30)
    assert WAR_START <= published <= latest, f"{entry['file']}: published {published}"
    for event in entry["events"]:
        assert set(event) == EVENT_KEYS, f"{entry['file']}: event keys {sorted(event)}, expected {EVENT_KEYS}"


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_page_reads_like_a_news_page(entry: dict) -> None:
    page = PAGES[entry["file"]]
    words = len(page.visible.split())
    assert 250 <= words <= 1400, f"{entry['file']}: {words} visible words, expected a news story plus clutter"
    if entry["file"].endswith(".html"):
        for tag in ("<nav", "<script", "<aside", "<footer", "application/ld+json"):
            assert tag in page.raw, f"{entry['file']}: an HTML page should carry {tag} clutter"


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_names_and_evidence_occur_literally(entry: dict) -> None:
    page = PAGES[entry["file"]]
    for event in entry["events"]:
        assert _occurs(event["place"], page.visible), f"{entry['file']}: place {event['place']!r} not in text"
        start = page.visible.find(event["evidence"])
        assert start >= 0, f"{entry['file']}: evidence not verbatim: {event['evidence']!r}"
        context = page.visible[max(0, start - COREFERENCE_WINDOW) : start + len(event["evidence"])]
        assert _occurs(event["place"], context), (
            f"{entry['file']}: neither the evidence for {event['place']!r} nor the "
            f"{COREFERENCE_WINDOW} characters before it name the place"
        )
    for name in entry["distractors"] + entry["optional"]:
        assert _occurs(name, html.unescape(page.raw)), f"{entry['file']}: {name!r} listed but not in the page"
    places = {event["place"] for event in entry["events"]}
    for label, names in (("distractor", entry["distractors"]), ("optional", entry["optional"])):
        both = places & set(names)
        assert not both, f"{entry['file']}: {sorted(both)} is both a gold place and {label}"
    overlap = set(entry["distractors"]) & set(entry["optional"])
    assert not overlap, f"{entry['file']}: {sorted(overlap)} is both optional and a distractor"


@pytest.mark.parametrize(("entry", "event"), EVENTS, ids=EVENT_IDS)
def test_event_values(entry: dict, event: dict) -> None:
    assert event["side"] in SIDES, f"{entry['file']}: side {event['side']!r} not in {sorted(SIDES)}"
    day = dt.date.fromisoformat(event["date"])
    published = dt.date.fromisoformat(entry["published"])
    assert WAR_START <= day <= WAR_END, f"{entry['file']}: {event['place']} dated {day}, outside the war"
    assert day <= published, f"{entry['file']}: {event['place']} dated {day}, after publication {published}"
    assert REGION["lat"][0] <= event["lat"] <= REGION["lat"][1], f"{entry['file']}: {event['place']} lat"
    assert REGION["lon"][0] <= event["lon"] <= REGION["lon"][1], f"{entry['file']}: {event['place']} lon"
    assert event["coord_source"].startswith("GeoNames"), (
        f"{entry['file']}: {event['place']} coord_source {event['coord_source']!r}: use the GeoNames point"
    )
    if event["place"] in KARABAKH_NAMES_OF_KHOJAVEND:
        km = _haversine_km(event["lat"], event["lon"], *KHOJAVEND)
        assert km < 2.0, (
            f"{entry['file']}: {event['place']} is {km:.0f} km from Khojavend: the Gegharkunik homonym?"
        )


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_one_event_per_place_day_side(entry: dict) -> None:
    seen: dict[tuple[float, float, str, str], str] = {}
    for event in entry["events"]:
        key = (round(event["lat"], 2), round(event["lon"], 2), event["date"], event["side"])
        assert key not in seen, f"{entry['file']}: {event['place']} duplicates {seen[key]} on {key[2:]}"
        seen[key] = event["place"]


def test_coordinates_are_geonames_points() -> None:
    points = _gazetteer_points()
    far = []
    for entry, event in EVENTS:
        nearest = min(points, key=lambda p: _haversine_km(event["lat"], event["lon"], p[0], p[1]))
        km = _haversine_km(event["lat"], event["lon"], nearest[0], nearest[1])
        if km > MAX_KM_FROM_GAZETTEER:
            far.append(
                f"{entry['file']}: {event['place']} is {km:.1f} km from the nearest place, {nearest[2]}"
            )
    assert not far, "\n".join(far)


def test_the_same_place_has_the_same_point_everywhere() -> None:
    points: dict[str, tuple[float, float]] = {}
    for entry, event in EVENTS:
        here = (event["lat"], event["lon"])
        there = points.setdefault(event["place"], here)
        km = _haversine_km(*here, *there)
        assert km < 1.0, f"{entry['file']}: {event['place']} at {here}, elsewhere at {there} ({km:.1f} km)"
