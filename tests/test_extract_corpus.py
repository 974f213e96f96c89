"""The pipeline on the held-out-style corpus (tests/corpus/): figures must stay near what was measured.

Measured when these thresholds were set (20 articles, 68 gold events): precision 0.97,
recall 0.99, F1 0.98, dates 0.93, sides 1.00, no distractor made an event; a plain
dictionary geoparser scores F1 0.50 (precision 0.34, dates 0.36, sides 0.18). The
thresholds sit about 0.05 below, so a regression fails and one new hard article does not.
The rules were written for kinds of text while looking at these articles' errors, so these
figures are an upper bound for unseen text; the seeds and the short articles in
test_events.py are the other checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mapapp.evaluate import Report, evaluate, load_gold
from mapapp.manifest import load_manifest
from mapapp.model import Event
from mapapp.pipeline import extract_file

__all__: list[str] = []

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def gazetteer():  # type: ignore[no-untyped-def]
    from gazetteer import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="module")
def files() -> list[str]:
    manifest = load_manifest(CORPUS / "manifest.csv")
    gold = load_gold(CORPUS / "gold.json")
    names = sorted(name for name in manifest if name in gold and (CORPUS / name).is_file())
    assert len(names) >= 12, "the corpus should hold at least 12 articles with gold"
    return names


@pytest.fixture(scope="module")
def report(gazetteer, files) -> Report:  # type: ignore[no-untyped-def]
    manifest = load_manifest(CORPUS / "manifest.csv")
    predictions = {name: extract_file(CORPUS / name, gazetteer, manifest=manifest).events for name in files}
    return evaluate(load_gold(CORPUS / "gold.json"), predictions)


def test_place_precision_recall_f1(report: Report) -> None:
    assert report.precision >= 0.92, report.to_dict()["overall"]
    assert report.recall >= 0.93, report.to_dict()["overall"]
    assert report.f1 >= 0.93, report.to_dict()["overall"]


def test_dates_and_sides_of_matched_events(report: Report) -> None:
    assert report.date_accuracy is not None and report.date_accuracy >= 0.87
    assert report.side_accuracy is not None and report.side_accuracy >= 0.94


def test_distractors_stay_out(report: Report) -> None:
    assert len(report.wrong_names) <= 1, report.wrong_names


def test_geocoding_is_on_the_gold_points(report: Report) -> None:
    assert report.median_km is not None and report.median_km < 3


def _dictionary_baseline(path: Path, gazetteer, manifest) -> list[Event]:  # type: ignore[no-untyped-def]
    """What a plain dictionary geoparser does (mapapp.baseline, `mapapp evaluate --baseline dictionary`)."""
    from mapapp.baseline import dictionary_events
    from mapapp.pipeline.read import read_document

    doc = read_document(path)
    return dictionary_events(doc, gazetteer, manifest.get(doc.source))


def test_beats_a_dictionary_baseline_by_a_wide_margin(gazetteer, files, report: Report) -> None:  # type: ignore[no-untyped-def]
    manifest = load_manifest(CORPUS / "manifest.csv")
    baseline = evaluate(
        load_gold(CORPUS / "gold.json"),
        {name: _dictionary_baseline(CORPUS / name, gazetteer, manifest) for name in files},
    )
    assert report.f1 >= baseline.f1 + 0.35, (report.f1, baseline.f1)
    assert report.precision >= baseline.precision + 0.5, (report.precision, baseline.precision)
    assert report.date_accuracy >= (baseline.date_accuracy or 0) + 0.4  # type: ignore[operator]
    assert report.side_accuracy >= (baseline.side_accuracy or 0) + 0.5  # type: ignore[operator]
