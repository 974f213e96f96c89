"""The whole pipeline on the five seed pages: every gold event with its date and side, no distractor."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mapapp.evaluate import evaluate, load_gold
from mapapp.manifest import load_manifest
from mapapp.model import Precision
from mapapp.pipeline import Extraction, extract_file

__all__: list[str] = []

SEEDS = Path(__file__).parent.parent / "seeds"
GOLD = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gazetteer():  # type: ignore[no-untyped-def]
    from gazetteer import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="module")
def extractions(gazetteer) -> dict[str, Extraction]:  # type: ignore[no-untyped-def]
    manifest = load_manifest(SEEDS / "manifest.csv")
    return {name: extract_file(SEEDS / name, gazetteer, manifest=manifest) for name in sorted(manifest)}


GOLD_EVENTS = [(entry["file"], event) for entry in GOLD for event in entry["events"]]


@pytest.mark.parametrize(("file", "gold"), GOLD_EVENTS, ids=[f"{f[:3]}-{e['place']}" for f, e in GOLD_EVENTS])
def test_every_gold_event_is_found_with_its_date_and_side(
    extractions: dict[str, Extraction], file: str, gold: dict
) -> None:
    from mapapp.evaluate import haversine_km

    found = [
        e
        for e in extractions[file].events
        if haversine_km(e.lat, e.lon, gold["lat"], gold["lon"]) <= 15 and e.side.value == gold["side"]
    ]
    assert found, f"{gold['place']} not found: {[(e.place, e.side.value) for e in extractions[file].events]}"
    event = found[0]
    assert event.date.isoformat() == gold["date"], (event.date_cue, event.date_how)
    assert haversine_km(event.lat, event.lon, gold["lat"], gold["lon"]) < 3
    assert event.precision is Precision.TOWN
    assert gold["place"] in event.excerpt or event.place in event.excerpt


@pytest.mark.parametrize("entry", GOLD, ids=[e["file"][:3] for e in GOLD])
def test_no_distractor_becomes_an_event(extractions: dict[str, Extraction], entry: dict) -> None:
    from gazetteer import fold

    made = {fold(e.place) for e in extractions[entry["file"]].events}
    made |= {fold(e.place_resolved) for e in extractions[entry["file"]].events}
    assert not made & {fold(d) for d in entry["distractors"]}


def test_seed_scores_are_perfect(extractions: dict[str, Extraction]) -> None:
    report = evaluate(load_gold(SEEDS / "gold.json"), {k: v.events for k, v in extractions.items()})
    assert (report.precision, report.recall, report.f1) == (1.0, 1.0, 1.0)
    assert report.date_accuracy == 1.0 and report.side_accuracy == 1.0
    assert report.wrong_names == ()


def test_events_carry_everything_a_reader_needs(extractions: dict[str, Extraction]) -> None:
    for extraction in extractions.values():
        text = extraction.article.text
        for event in extraction.events:
            assert event.source == extraction.article.source and event.outlet and event.title
            assert event.published == extraction.article.published
            assert event.gazetteer_id and event.place_resolved and event.country in ("AM", "AZ")
            assert event.side_cue and 0.3 <= event.confidence <= 1.0
            for excerpt in event.excerpts:
                assert text[excerpt.start : excerpt.end] == excerpt.text


def test_denial_marks_the_event_instead_of_making_one(extractions: dict[str, Extraction]) -> None:
    events = extractions["001_9da027cb6d3a529b.txt"].events
    dashkesan = [e for e in events if e.place == "Dashkesan"]
    assert len(dashkesan) == 1 and [s.value for s in dashkesan[0].disputed_by] == ["armenia"]


def test_ids_are_stable(gazetteer) -> None:  # type: ignore[no-untyped-def]
    manifest = load_manifest(SEEDS / "manifest.csv")
    path = SEEDS / "004_57a5f8c875698f1e.txt"
    first = [e.id for e in extract_file(path, gazetteer, manifest=manifest).events]
    again = [e.id for e in extract_file(path, gazetteer, manifest=manifest).events]
    assert first == again and len(set(first)) == len(first)


def test_extraction_is_fast_after_warm_up(gazetteer, extractions) -> None:  # type: ignore[no-untyped-def]
    manifest = load_manifest(SEEDS / "manifest.csv")
    paths = [SEEDS / name for name in sorted(manifest)] * 4
    start = time.perf_counter()
    for path in paths:
        extract_file(path, gazetteer, manifest=manifest)
    per_article_ms = (time.perf_counter() - start) * 1000 / len(paths)
    assert per_article_ms < 100, f"{per_article_ms:.1f} ms per article"
