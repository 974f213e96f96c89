"""tests/reporting/: the pages in the structures of real reporting (issue 14) and their gold.

Consistency of the files (no pipeline), then the pipeline's figures on them held just under
what was measured when the six classes were fixed: P 0.985, R 0.971, dates 1.00, sides 1.00
(66 of 68 gold events; tuning material, so an upper bound for unseen text).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from mapapp.evaluate import Report, evaluate, load_gold
from mapapp.manifest import load_manifest
from mapapp.pipeline import extract_file
from tests.test_corpus_files import (
    COREFERENCE_WINDOW,
    ENTRY_KEYS,
    EVENT_KEYS,
    LANGUAGES,
    SIDES,
    WAR_START,
    _occurs,
)

__all__: list[str] = []

FOLDER = Path(__file__).parent / "reporting"
ENTRIES = json.loads((FOLDER / "gold.json").read_text(encoding="utf-8"))
# the war, then the handover of Aghdam, Kalbajar and Lachin (by 1 December) and the returns after it
LAST_EVENT_DAY = dt.date(2020, 12, 31)


def test_manifest_gold_and_files_agree() -> None:
    with (FOLDER / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = {p.name for p in FOLDER.iterdir() if p.suffix in {".txt", ".html"}}
    assert {row["file"] for row in rows} == {entry["file"] for entry in ENTRIES} == names
    gold = {entry["file"]: entry for entry in ENTRIES}
    for row in rows:
        entry = gold[row["file"]]
        assert (row["published"], row["language"]) == (entry["published"], entry["language"]), row["file"]
        assert _occurs(row["title"], (FOLDER / row["file"]).read_text(encoding="utf-8")), row["file"]
    assert sum(len(entry["events"]) for entry in ENTRIES) == 68


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["file"] for entry in ENTRIES])
def test_gold_entry(entry: dict) -> None:
    assert set(entry) == ENTRY_KEYS and entry["language"] in LANGUAGES
    text = (FOLDER / entry["file"]).read_text(encoding="utf-8")
    published = dt.date.fromisoformat(entry["published"])
    for event in entry["events"]:
        assert set(event) == EVENT_KEYS and event["side"] in SIDES
        day = dt.date.fromisoformat(event["date"])
        assert WAR_START <= day <= min(published, LAST_EVENT_DAY), (entry["file"], event["place"], day)
        start = text.find(event["evidence"])
        assert start >= 0, f"{entry['file']}: evidence not verbatim: {event['evidence']!r}"
        context = text[max(0, start - COREFERENCE_WINDOW) : start + len(event["evidence"])]
        assert _occurs(event["place"], context), (entry["file"], event["place"])
        assert event["coord_source"].startswith("GeoNames")
    for name in entry["optional"] + entry["distractors"]:
        assert _occurs(name, text), (entry["file"], name)


@pytest.fixture(scope="module")
def report() -> Report:
    from gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    manifest = load_manifest(FOLDER / "manifest.csv")
    predictions = {
        entry["file"]: extract_file(FOLDER / entry["file"], gazetteer, manifest=manifest).events
        for entry in ENTRIES
    }
    return evaluate(load_gold(FOLDER / "gold.json"), predictions)


def test_figures_on_the_structures_of_real_reporting(report: Report) -> None:
    overall = report.to_dict()["overall"]
    assert report.recall >= 0.93 and report.precision >= 0.93, overall
    assert report.date_accuracy is not None and report.date_accuracy >= 0.95, overall
    assert report.side_accuracy is not None and report.side_accuracy >= 0.95, overall
    assert not report.wrong_names, overall
