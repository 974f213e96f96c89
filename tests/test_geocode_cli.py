"""`mapapp geocode`: text and JSON output, misses, and Stepanakert pinned through the whole chain."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from gazetteer import load_gazetteer
from gazetteer.geocoder import GazetteerGeocoder
from mapapp.cli import main


def test_text_output_lists_place_fields_and_alternatives(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Martuni"]) == 0
    out = capsys.readouterr().out
    for field in ("name", "lat", "lon", "country", "admin1", "kind", "population", "source", "reason"):
        assert f"\n{field} " in f"\n{out}", field
    assert "Khojavend" in out and "39.79496" in out and "47.11170" in out
    assert "alternatives" in out and "geonames:616438" in out


def test_json_output_is_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Xocavənd", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["found"] is True
    assert record["id"] == "geonames:146969"
    assert {"name", "lat", "lon", "country", "admin1", "kind", "population", "source", "alternatives"} <= set(
        record
    )


def test_context_changes_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Martuni", "--context", "Vardenis", "--context", "Sevan", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == "geonames:616438"
    assert "km from" in record["reason"]


def test_country_cue_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Martuni", "--country", "AM", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["country"] == "AM"


def test_a_miss_exits_1_with_the_closest_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Stepanakrt"]) == 1
    captured = capsys.readouterr()
    assert "no place named 'Stepanakrt'" in captured.err
    assert "closest names: Stepanakert" in captured.err


def test_a_miss_in_json_says_not_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Stepanakrt", "--json"]) == 1
    record = json.loads(capsys.readouterr().out)
    assert record == {"query": "Stepanakrt", "found": False, "closest": record["closest"]}
    assert record["closest"][0] == "Stepanakert"


def test_stepanakert_is_pinned_at_39_82_n_46_75_e_through_the_whole_chain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    place = load_gazetteer().resolve("Stepanakert").place
    location = GazetteerGeocoder().geocode("Stepanakert")
    assert main(["geocode", "Stepanakert", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    for lat, lon in (
        (place.lat, place.lon),
        (location.latitude, location.longitude),
        (record["lat"], record["lon"]),
    ):
        assert lat == pytest.approx(39.82, abs=0.01)  # north, not east: lat/lon not swapped
        assert lon == pytest.approx(46.75, abs=0.01)


def test_a_cold_process_answers_in_under_a_second() -> None:
    load_gazetteer()  # the cache exists
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mapapp.cli", "geocode", "Stepanakert", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    assert json.loads(done.stdout)["id"] == "geonames:146970"
    assert elapsed < 1.5, elapsed  # < 1 s on an idle machine; slack for a busy CI runner


@pytest.mark.parametrize("name", ["", "   ", "\t\n"], ids=["empty", "spaces", "whitespace"])
def test_a_blank_name_is_a_usage_error(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert main(["geocode", name]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"mapapp geocode: expected a place name, got {name!r}" in captured.err
    assert "Escaldes" not in captured.err  # no suggestions for nothing


# (a miss, a folded key or lower-case romanisation once suggested for it)
MISSES = [("Stepanakrt", "stepani"), ("Arumenya", "arumenia")]


@pytest.mark.parametrize(("name", "never"), MISSES, ids=[n for n, _ in MISSES])
def test_suggestions_on_a_miss_are_display_names(
    capsys: pytest.CaptureFixture[str], name: str, never: str
) -> None:
    assert main(["geocode", name, "--json"]) == 1
    captured = capsys.readouterr()
    closest = json.loads(captured.out)["closest"]
    assert closest and never not in closest
    assert all(s[:1].isupper() for s in closest), closest
    assert f", {never}" not in captured.err and f": {never}" not in captured.err


# (query, expected place id, words of the reason)
CLI_QUERIES = [
    ("Martuni, Armenia", "geonames:616438", "country cue from ', Armenia'"),
    ("Stepanakert (Khankendi)", "geonames:146970", "name the same place"),
    ("Nagorno-Karabakh's", "curated:nagorno-karabakh", "possessive"),
    ("Martakert region", "rg:AZ:martakert", "no region named 'Martakert'"),
]


@pytest.mark.parametrize(("query", "expected", "why"), CLI_QUERIES, ids=[q for q, _, _ in CLI_QUERIES])
def test_query_forms_on_the_command_line(
    capsys: pytest.CaptureFixture[str], query: str, expected: str, why: str
) -> None:
    assert main(["geocode", query, "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == expected
    assert why in record["reason"]
