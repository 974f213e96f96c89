"""Scoring: 15 km one-to-one matching, optional names excused, distractors listed, date/side/km figures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mapapp.errors import GoldError
from mapapp.evaluate import (
    GoldArticle,
    GoldEvent,
    evaluate,
    format_report,
    haversine_km,
    load_gold,
    score_article,
)
from mapapp.model import Event, Excerpt, Side

__all__: list[str] = []

D1, D2 = date(2020, 9, 29), date(2020, 9, 30)
STEPANAKERT = (39.8177, 46.7528)
SHUSHA = (39.75766, 46.74799)  # 7 km from Stepanakert
MARTUNI = (39.79496, 47.1117)
GANJA = (40.68278, 46.36056)


def ev(
    place: str, point: tuple[float, float], day: date = D1, side: Side = Side.ARMENIA, resolved: str = ""
) -> Event:
    return Event(
        id=f"ev_{place}{day}{side}",
        source="a.txt",
        place=place,
        place_resolved=resolved or place,
        gazetteer_id=f"test:{place}",
        lat=point[0],
        lon=point[1],
        date=day,
        side=side,
        excerpts=(Excerpt(place),),
    )


def gold(
    *events: GoldEvent, optional: tuple[str, ...] = (), distractors: tuple[str, ...] = ()
) -> GoldArticle:
    return GoldArticle("a.txt", events=events, optional=optional, distractors=distractors)


def g(place: str, point: tuple[float, float], day: date = D1, side: Side = Side.ARMENIA) -> GoldEvent:
    return GoldEvent(place, point[0], point[1], day, side)


def test_haversine_known_distance() -> None:
    assert haversine_km(*STEPANAKERT, *MARTUNI) == pytest.approx(30.7, abs=0.5)


def test_perfect_match() -> None:
    score = score_article(gold(g("Stepanakert", STEPANAKERT)), [ev("Stepanakert", STEPANAKERT)])
    assert (score.precision, score.recall, score.f1, score.date_accuracy, score.side_accuracy) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert score.median_km == 0


def test_too_far_is_a_miss_and_a_false_positive() -> None:
    score = score_article(gold(g("Stepanakert", STEPANAKERT)), [ev("Martuni", MARTUNI)])
    assert (len(score.matches), len(score.misses), len(score.false_positives)) == (0, 1, 1)
    assert score.f1 == 0.0


def test_within_15_km_matches_and_counts_the_error() -> None:
    score = score_article(gold(g("Stepanakert", STEPANAKERT)), [ev("Shusha", SHUSHA)])
    assert len(score.matches) == 1 and 5 < score.median_km < 9


def test_one_to_one_a_duplicate_is_a_false_positive() -> None:
    score = score_article(
        gold(g("Ganja", GANJA)), [ev("Ganja", GANJA), ev("Ganja", GANJA, side=Side.AZERBAIJAN)]
    )
    assert (len(score.matches), len(score.false_positives)) == (1, 1)
    assert score.matches[0].side_ok  # the agreeing prediction is the one matched
    assert score.precision == 0.5 and score.recall == 1.0


def test_two_gold_days_pair_with_the_right_predictions() -> None:
    article = gold(g("Ganja", GANJA, D1), g("Ganja", GANJA, D2))
    score = score_article(article, [ev("Ganja", GANJA, D2), ev("Ganja", GANJA, D1)])
    assert score.date_accuracy == 1.0 and len(score.matches) == 2


def test_wrong_date_and_side_are_counted_over_matches() -> None:
    score = score_article(
        gold(g("Ganja", GANJA, D1, Side.AZERBAIJAN)), [ev("Ganja", GANJA, D2, Side.ARMENIA)]
    )
    assert score.f1 == 1.0 and score.date_accuracy == 0.0 and score.side_accuracy == 0.0


def test_optional_names_are_neither_misses_nor_false_positives() -> None:
    article = gold(g("Stepanakert", STEPANAKERT), optional=("Ganja",))
    with_optional = score_article(
        article, [ev("Stepanakert", STEPANAKERT), ev("Gəncə", GANJA, resolved="Ganja")]
    )
    assert with_optional.precision == 1.0 and [e.place for e in with_optional.excused] == ["Gəncə"]
    assert with_optional.precision_strict == 0.5  # counted as wrong, the other way to quote it
    without = score_article(article, [ev("Stepanakert", STEPANAKERT)])
    assert without.recall == 1.0 and without.precision_strict == 1.0


def test_distractors_made_events_are_listed_and_counted() -> None:
    score = score_article(gold(distractors=("Moskwa",)), [ev("MOSKWA", (55.75, 37.62))])
    assert score.wrong_names == ("Moskwa",) and score.precision == 0.0
    assert score.recall == 1.0  # no gold events: nothing to miss


def test_overall_is_a_micro_average_and_unknown_files_are_listed() -> None:
    golds = {"a.txt": gold(g("Ganja", GANJA)), "b.txt": GoldArticle("b.txt", events=(g("Martuni", MARTUNI),))}
    report = evaluate(golds, {"a.txt": [ev("Ganja", GANJA)], "b.txt": [], "c.txt": [ev("Ganja", GANJA)]})
    assert (report.precision, report.recall) == (1.0, 0.5)
    assert report.missing_files == ("c.txt",)
    text = format_report(report)
    assert "OVERALL" in text and "missed: Martuni" in text and "no gold for: c.txt" in text
    assert report.to_dict()["overall"]["recall"] == 0.5


def test_load_gold_reads_the_seed_format() -> None:
    seeds = load_gold(Path(__file__).parent.parent / "seeds" / "gold.json")
    assert seeds["004_57a5f8c875698f1e.txt"].events[0].side is Side.AZERBAIJAN
    assert "Moskwa" in seeds["004_57a5f8c875698f1e.txt"].distractors


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"file": "a"}', "expected a JSON list"),
        ('[{"events": []}]', "'file'"),
        (
            '[{"file": "a.txt", "events": [{"place": "X", "lat": 1, "lon": 2, "date": "2020-10-01"}]}]',
            "missing side",
        ),
        (
            '[{"file": "a.txt", "events": [{"place": "X", "lat": 1, "lon": 2, "date": "1/10", '
            '"side": "armenia"}]}]',
            "a.txt",
        ),
        (
            '[{"file": "a.txt", "events": [{"place": "X", "lat": 1, "lon": 2, "date": "2020-10-01", '
            '"side": "us"}]}]',
            "expected one of",
        ),
    ],
    ids=["json", "not-a-list", "no-file", "missing-key", "bad-date", "bad-side"],
)
def test_bad_gold_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "gold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold\.json") as info:
        load_gold(path)
    assert message in str(info.value)


def test_missing_gold_file(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="cannot read"):
        load_gold(tmp_path / "nope.json")


def test_report_json_is_serialisable() -> None:
    report = evaluate({"a.txt": gold(g("Ganja", GANJA))}, {"a.txt": [ev("Ganja", GANJA, D2)]})
    data = json.loads(json.dumps(report.to_dict()))
    assert data["articles"][0]["wrong_dates"] == ["Ganja: 2020-09-30 instead of 2020-09-29"]
