"""`mapapp extract` and `mapapp evaluate` through the real command line entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mapapp.cli import main

__all__: list[str] = []

SEEDS = Path(__file__).parent.parent / "seeds"
SEED = SEEDS / "004_57a5f8c875698f1e.txt"


def test_extract_json_prints_events_with_export_columns(capsys: pytest.CaptureFixture[str]) -> None:
    from mapapp.geo import PROPERTY_NAMES

    assert main(["extract", str(SEED), "--manifest", str(SEEDS / "manifest.csv")]) == 0
    out, err = capsys.readouterr()
    events = json.loads(out)
    assert {(e["place"], e["date"], e["side"]) for e in events} == {
        ("Tonashen", "2020-09-30", "azerbaijan"),
        ("Martakert", "2020-09-30", "armenia"),
    }
    assert all(tuple(e) == PROPERTY_NAMES for e in events)
    assert "004_57a5f8c875698f1e.txt: not made events: MOSKWA (dateline)" in err


def test_extract_geojson_is_a_feature_collection(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED), "--published", "2020-10-01", "--format", "geojson"]) == 0
    collection = json.loads(capsys.readouterr().out)
    assert collection["type"] == "FeatureCollection"
    martakert = next(f for f in collection["features"] if f["properties"]["place"] == "Martakert")
    lon, lat = martakert["geometry"]["coordinates"]
    assert lat == pytest.approx(40.21, abs=0.03) and lon == pytest.approx(46.82, abs=0.03)
    assert {"source", "place", "date", "side", "precision", "excerpt", "id"} <= set(martakert["properties"])


def test_published_option_moves_relative_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED), "--published", "2020-10-08"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert {e["date"] for e in events} == {"2020-10-07"}  # "pada Rabu" before Thursday 8 October


def test_unreadable_file_is_one_line_and_the_others_go_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "kosong.txt"
    empty.write_text("", encoding="utf-8")
    missing = tmp_path / "hilang.txt"
    assert main(["extract", str(empty), str(SEED), str(missing), "--published", "2020-10-01"]) == 1
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 2
    failures = [line for line in err.splitlines() if line.startswith(str(tmp_path))]
    assert len(failures) == 2 and all(": " in line for line in failures)


def test_folder_uses_its_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(SEED, tmp_path / SEED.name)
    shutil.copy(SEEDS / "manifest.csv", tmp_path / "manifest.csv")
    assert main(["extract", str(tmp_path)]) == 0
    events = json.loads(capsys.readouterr().out)
    assert {e["outlet"] for e in events} == {"Serambinews.com"}


def test_evaluate_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--gold", str(SEEDS / "gold.json"), str(SEEDS)]) == 0
    out = capsys.readouterr().out
    overall = next(line for line in out.splitlines() if line.startswith("OVERALL"))
    assert overall.split()[1:3] == ["6", "6"] and "100.0%" in overall
    assert "names wrongly made events: none" in out


def test_evaluate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "evaluate",
                "--gold",
                str(SEEDS / "gold.json"),
                "--json",
                str(SEED),
                "--manifest",
                str(SEEDS / "manifest.csv"),
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["f1"] == 1.0 and report["articles"][0]["file"] == SEED.name


def test_evaluate_gives_precision_both_ways(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = SEEDS.parent / "tests" / "corpus"
    assert main(["evaluate", "--gold", str(corpus / "gold.json"), "--json", str(corpus)]) == 0
    overall = json.loads(capsys.readouterr().out)["overall"]
    assert overall["at_optional_places"] > 0
    assert overall["precision_strict"] < overall["precision"]
    assert main(["evaluate", "--gold", str(corpus / "gold.json"), str(corpus)]) == 0
    assert "as optional as wrong:" in capsys.readouterr().out


def test_evaluate_the_dictionary_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's baseline row has a command: every town in the body, publication day, independent."""
    corpus = SEEDS.parent / "tests" / "corpus"
    gold = str(corpus / "gold.json")
    assert main(["evaluate", "--gold", gold, "--json", "--baseline", "dictionary", str(corpus)]) == 0
    baseline = json.loads(capsys.readouterr().out)["overall"]
    assert main(["evaluate", "--gold", gold, "--json", str(corpus)]) == 0
    ours = json.loads(capsys.readouterr().out)["overall"]
    assert baseline["recall"] >= 0.9 and baseline["precision"] < 0.5 and baseline["side_accuracy"] < 0.3
    assert ours["f1"] >= baseline["f1"] + 0.35


def test_evaluate_bad_gold_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "gold.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["evaluate", "--gold", str(bad), str(SEED)]) == 2
    assert "gold.json" in capsys.readouterr().err
