"""The store answers the map's questions: places, a place's events, events per day, totals.

Every answer is checked against the plain definition computed in Python from
``store.events(query)`` (:func:`mapapp.mapview.aggregate` for places), over a table of
queries that takes each code path: the SQLite store's per-day roll-up (window, sides,
bounding box) and the events table (every other filter), on every backend (``store_url``
is parametrised over SQLite and PostgreSQL/PostGIS in tests/conftest.py).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from mapapp.mapview import aggregate
from mapapp.model import Article, DateHow, Event, EventKind, Excerpt, Side, event_id
from mapapp.store import EVERYTHING, DayCount, EventQuery, EventStore, EventTotals, open_store
from mapapp.store.base import PlaceSummary, newest_first, parse_place_key, place_key
from mapapp.store.sql import POSTGRESQL, SQLITE, where

D0 = date(2020, 9, 27)
POINTS = {  # gazetteer id -> (name, lat, lon)
    "gn:174979": ("Stepanakert", 39.8153, 46.7519),
    "gn:147622": ("Ganja", 40.6828, 46.3606),
    "gn:585156": ("Shusha", 39.7583, 46.7483),
    "gn:585225": ("Martuni", 39.7950, 47.1120),
    "": ("Unnamed hill", 39.5, 46.9),  # an event stored without a gazetteer id: a place by its point
}
SIDES = list(Side)


@dataclass(frozen=True, slots=True)
class Extraction:
    article: Article
    events: tuple[Event, ...]


def article(
    source: str,
    claims: list[tuple[str, int, Side]],
    *,
    outlet: str = "Kompas.com",
    language: str = "id",
    spelling: dict[str, str] | None = None,
    moved: dict[str, tuple[float, float]] | None = None,
) -> Extraction:
    """An article whose events are ``(gazetteer id, day offset from D0, side)`` claims."""
    sentences = []
    for gid, offset, side in claims:
        name = (spelling or {}).get(gid, POINTS[gid][0])
        kind = "diserang drone" if offset % 3 == 0 else "dievakuasi warga"
        sentences.append(f"Menurut {side.value}, {name} {kind} pada hari ke-{offset}.")
    text = " ".join(sentences)
    record = Article(source, text, title=f"Title {source}", outlet=outlet, published=D0, language=language)
    events = []
    at = 0
    for (gid, offset, side), sentence in zip(claims, sentences, strict=True):
        name, lat, lon = POINTS[gid]
        lat, lon = (moved or {}).get(gid, (lat, lon))
        start = text.index(sentence, at)
        at = start + len(sentence)
        day = D0 + timedelta(days=offset)
        events.append(
            Event(
                id=event_id(source, gid or f"{lat},{lon}", day, side),
                source=source, place=(spelling or {}).get(gid, name), place_resolved=name, gazetteer_id=gid,
                lat=lat, lon=lon, date=day, side=side, excerpts=(Excerpt(sentence, start, at),),
                outlet=outlet, title=f"Title {source}", published=D0, language=language,
                date_how=DateHow.EXPLICIT,
                kinds=(EventKind.ATTACK,) if offset % 3 == 0 else (EventKind.EVACUATION,),
            )
        )  # fmt: skip
    return Extraction(record, tuple(events))


def fill(store: EventStore) -> None:
    """26 articles over three weeks: five places, four sides, three outlets, two languages."""
    gids = list(POINTS)
    for i in range(18):
        claims = [
            (gids[(i + j) % len(gids)], (i + 2 * j) % 21, SIDES[(i * 3 + j) % 4]) for j in range(1 + i % 4)
        ]
        store.save_extraction(
            article(
                f"a{i:02d}.txt",
                claims,
                outlet="Reuters" if i % 3 == 0 else "Kompas.com",
                language="en" if i % 3 == 0 else "id",
                spelling={"gn:174979": "Khankendi"} if i % 5 == 0 else None,
            )
        )
    # other outlets reporting the same claims: several events per place, day and side
    for i in range(6):
        same = [
            (gids[(i + j) % len(gids)], (i + 2 * j) % 21, SIDES[(i * 3 + j) % 4]) for j in range(1 + i % 4)
        ]
        store.save_extraction(article(f"b{i:02d}.txt", same, outlet="AFP", language="en"))
    # the gazetteer moved Ganja a little between two ingests: one place, two points
    store.save_extraction(article("moved.txt", [("gn:147622", 20, Side.THIRD_PARTY)], moved={
        "gn:147622": (40.6829, 46.3607)}))  # fmt: skip
    # an article whose events are far apart in time: a window between them holds none of it
    store.save_extraction(
        article("span.txt", [("gn:585225", 2, Side.ARMENIA), ("gn:585225", 18, Side.ARMENIA)])
    )


@pytest.fixture
def store(store_url: str) -> EventStore:
    with open_store(store_url) as s:
        fill(s)
        yield s


def w(first: int | None, last: int | None) -> tuple[date | None, date | None]:
    return (
        None if first is None else D0 + timedelta(days=first),
        None if last is None else D0 + timedelta(days=last),
    )


QUERIES = [
    pytest.param(EVERYTHING, id="everything"),
    pytest.param(EventQuery(window=w(0, 6)), id="first-week"),
    pytest.param(EventQuery(window=w(10, 10)), id="one-day"),
    pytest.param(EventQuery(window=w(5, 12)), id="inside-a-long-article"),
    pytest.param(EventQuery(window=w(None, 9)), id="open-start"),
    pytest.param(EventQuery(window=w(15, None)), id="open-end"),
    pytest.param(EventQuery(window=w(40, 50)), id="after-the-data"),
    pytest.param(EventQuery(sides=["armenia"]), id="one-side"),
    pytest.param(EventQuery(window=w(0, 13), sides=["azerbaijan", "independent"]), id="window-two-sides"),
    pytest.param(EventQuery(sides=()), id="no-side"),
    pytest.param(EventQuery(bbox=(39.7, 46.7, 39.9, 46.8)), id="bbox"),
    pytest.param(EventQuery(window=w(3, 17), bbox=(39.0, 46.0, 41.0, 47.0)), id="window-bbox"),
    pytest.param(EventQuery(outlets=["Reuters"]), id="outlet"),
    pytest.param(EventQuery(window=w(0, 10), languages=["id"]), id="window-language"),
    pytest.param(EventQuery(text="DRONE"), id="text"),
    pytest.param(EventQuery(text="no such words"), id="text-nothing"),
    pytest.param(EventQuery(kinds=["evacuation"]), id="kind"),
    pytest.param(EventQuery(window=w(0, 20), kinds=[]), id="no-kind"),
    pytest.param(EventQuery(sources=["a03.txt", "span.txt"]), id="sources"),
    pytest.param(EventQuery(outlets=["Kompas.com' OR '1'='1"]), id="hostile-outlet"),
]


def expected_totals(events: list[Event]) -> EventTotals:
    days = [e.date for e in events]
    return EventTotals(
        len(events), len({e.source for e in events}), min(days, default=None), max(days, default=None)
    )


def expected_day_counts(events: list[Event]) -> list[DayCount]:
    tally = Counter((e.date, e.side) for e in events)
    return [
        DayCount(day, side, n)
        for (day, side), n in sorted(tally.items(), key=lambda i: (i[0][0], SIDES.index(i[0][1])))
    ]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("newest", [0, 1, 5], ids=lambda n: f"newest-{n}")
def test_places_are_the_events_grouped_by_place(store: EventStore, query: EventQuery, newest: int) -> None:
    assert store.places(query, newest=newest) == list(aggregate(store.events(query), newest=newest))


@pytest.mark.parametrize("query", QUERIES)
def test_totals_and_day_counts_are_those_of_the_events(store: EventStore, query: EventQuery) -> None:
    events = store.events(query)
    assert store.totals(query) == expected_totals(events)
    assert store.day_counts(query) == expected_day_counts(events)


@pytest.mark.parametrize("query", QUERIES)
def test_a_places_events_come_newest_first_and_page(store: EventStore, query: EventQuery) -> None:
    events = store.events(query)
    for place in store.places(query, newest=0):
        mine = sorted(
            (e for e in events if place_key(e.gazetteer_id, e.lat, e.lon) == place.key), key=newest_first
        )
        assert store.place_events(place.key, query) == mine
        assert len(mine) == place.n
        pages = [store.place_events(place.key, query, limit=2, offset=at) for at in range(0, len(mine), 2)]
        assert [e for page in pages for e in page] == mine


def test_the_fixture_takes_both_paths_and_every_kind_of_place(store: EventStore) -> None:
    places = {p.key: p for p in store.places()}
    assert "latlon:39.5,46.9" in places  # stored without a gazetteer id
    ganja = places["gn:147622"]
    assert ganja.lat == 40.6829  # the point of its newest event
    assert places["gn:174979"].names == ("Stepanakert", "Khankendi")
    busiest = max(store.day_counts(), key=lambda c: c.n)
    assert busiest.n > 1  # events that share a place, day and side
    # span.txt has events on days 2 and 18 only: a window between them does not count it
    between = EventQuery(window=w(5, 12), sources=["span.txt"])
    assert store.totals(between) == EventTotals(0, 0, None, None)
    assert "span.txt" not in {e.source for e in store.events(EventQuery(window=w(5, 12)))}


def test_unknown_place_has_no_events(store: EventStore) -> None:
    assert store.place_events("gn:0") == []
    assert store.place_events("latlon:1.0,2.0") == []


def test_events_limit_keeps_the_order(store: EventStore) -> None:
    everything = store.events()
    assert store.events(limit=7) == everything[:7]
    assert store.events(limit=0) == []
    assert store.load() == everything
    assert [(e.date, e.source, e.id) for e in everything] == sorted(
        (e.date, e.source, e.id) for e in everything
    )


@pytest.mark.parametrize("bad", [{"limit": -1}, {"offset": -1}])
def test_negative_paging_is_refused(store: EventStore, bad: dict) -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        store.place_events("gn:147622", **bad)


def test_the_answers_follow_every_write(store_url: str) -> None:
    """Replace and forget: the answers still equal the events' (and integrity_check agrees: roll-ups too)."""
    with open_store(store_url) as store:
        fill(store)
        queries = [EVERYTHING, EventQuery(window=w(0, 6)), EventQuery(window=w(10, 20), sides=["armenia"])]

        def consistent() -> None:
            assert store.integrity_check() == []
            for q in queries:
                assert store.places(q) == list(aggregate(store.events(q), newest=5))
                assert store.totals(q) == expected_totals(store.events(q))

        consistent()
        changed = article("a04.txt", [("gn:585156", 1, Side.ARMENIA), ("", 19, Side.INDEPENDENT)])
        changed = replace(changed, article=replace(changed.article, text=changed.article.text + " Lagi."))
        assert store.save_extraction(changed).status == "changed"
        consistent()
        assert store.forget("a05.txt") is not None
        consistent()
        again = article("a06.txt", [("gn:147622", 3, Side.AZERBAIJAN)])
        store.forget("a06.txt")
        store.save_extraction(again)
        consistent()
        for source in [r.source for r in store.articles()]:
            store.forget(source)
        consistent()
        assert store.places() == [] and store.totals() == EventTotals(0, 0, None, None)
        assert store.day_counts() == []


def test_a_sqlite_store_from_before_the_rollup_gets_it_on_opening(tmp_path: Path) -> None:
    from mapapp.store.sqlite import MIGRATIONS

    path = tmp_path / "v4.sqlite"  # a store as mapapp wrote it before the roll-up (migration 5)
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT, applied_at TEXT)"
    )
    for version, description, statements in MIGRATIONS[:4]:
        for statement in statements:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (?, ?, 'then')", (version, description))
    conn.execute("INSERT INTO meta VALUES ('store_id', 'old'), ('generation', '1')")
    conn.execute(
        "INSERT INTO articles (source, sha256, text, n_events, ingested_at) "
        "VALUES ('old.txt', ?, 'x', 2, 'then')",
        ("0" * 64,),
    )
    for day, side in (("2020-10-04", "azerbaijan"), ("2020-10-06", "armenia")):
        conn.execute(
            "INSERT INTO events (id, source, place, place_resolved, gazetteer_id, lat, lon, precision, "
            "date, date_how, side, confidence) VALUES (?, 'old.txt', 'Ganja', 'Ganja', 'gn:1', 40.68, "
            "46.36, 'town', ?, 'relative', ?, 0.8)",
            (f"ev_{side}", day, side),
        )
    conn.commit()
    conn.close()
    with open_store(f"sqlite:///{path}") as store:
        assert store.integrity_check() == []
        (ganja,) = store.places()
        assert (ganja.key, ganja.counts) == ("gn:1", {Side.ARMENIA: 1, Side.AZERBAIJAN: 1})
        assert store.totals(EventQuery(window=(date(2020, 10, 5), date(2020, 10, 5)))) == EventTotals(
            0, 0, None, None
        )
        assert store.totals(EventQuery(window=(date(2020, 10, 5), None))).n_sources == 1


# -- the query value object and the shared SQL -------------------------------------------------


def test_queries_that_ask_the_same_are_equal() -> None:
    a = EventQuery(
        sides=["independent", "Armenia", "armenia"],
        outlets=["b", "a", "a"],
        text=" x ",
        kinds=["damage", "attack"],
    )
    b = EventQuery(
        sides=[Side.ARMENIA, Side.INDEPENDENT],
        outlets=("a", "b"),
        text="x",
        kinds=[EventKind.ATTACK, "damage"],
    )
    assert a == b and hash(a) == hash(b)
    assert a.sides == (Side.ARMENIA, Side.INDEPENDENT) and a.kinds == (EventKind.ATTACK, EventKind.DAMAGE)
    assert EventQuery(window=(None, None)) == EVERYTHING == EventQuery(text="  ")
    assert not EventQuery(window=w(1, 2)).filtered and EventQuery(sides=()).filtered
    assert EventQuery().within(D0, D0).window == (D0, D0)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"sides": ["russia"]}, ValueError, "unknown side 'russia'"),
        ({"sides": "armenia"}, TypeError, "sides takes a list"),
        ({"window": (date(2020, 11, 1), date(2020, 10, 1))}, ValueError, "starts after it ends"),
        ({"bbox": (41, 46, 39, 47)}, ValueError, "min_lat"),
        ({"kinds": ["parade"]}, ValueError, "parade"),
    ],
)
def test_bad_queries_name_the_bad_value(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        EventQuery(**kwargs)


def test_place_keys_round_trip() -> None:
    assert parse_place_key(place_key("gn:1", 1.0, 2.0)) == ("gn:1", None, None)
    assert parse_place_key(place_key("", 39.81, -46.7)) == ("", 39.81, -46.7)
    with pytest.raises(ValueError, match="bad place key"):
        parse_place_key("latlon:north")


def test_a_place_summary_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="has no events"):
        PlaceSummary("gn:1", "Ganja", 40.0, 46.0, (0, 0, 0, 0), D0, D0)
    with pytest.raises(ValueError, match="one count >= 0 per side"):
        PlaceSummary("gn:1", "Ganja", 40.0, 46.0, (1, 0), D0, D0)


def test_where_is_one_builder_for_every_placeholder_style() -> None:
    query = EventQuery(window=w(0, 3), sides=["armenia"], kinds=["attack"], outlets=[])
    for dialect, day in ((SQLITE, "2020-09-27"), (POSTGRESQL, D0)):
        sql, params = where(query, dialect)
        assert sql.count(dialect.param) == len(params)
        assert params[0] == day and "1 = 0" in sql  # no outlet matches nothing
    assert "%s" not in where(query, SQLITE)[0] and "?" not in where(query, POSTGRESQL)[0]
    assert where(EVERYTHING, SQLITE) == ("1 = 1", [])
    hostile = "x' OR '1'='1"
    sql, params = where(EventQuery(outlets=[hostile], text=hostile), SQLITE)
    assert hostile not in sql and params == [hostile, hostile.casefold()]


def test_pipeline_counts_tally_the_articles_pipelines(store_url: str) -> None:
    with open_store(store_url) as store:
        store.save_extraction(article("a.txt", [("gn:147622", 1, Side.ARMENIA)]), pipeline="p1")
        store.save_extraction(article("b.txt", [("gn:147622", 2, Side.ARMENIA)]), pipeline="p1")
        store.save_extraction(article("c.txt", [("gn:585156", 2, Side.AZERBAIJAN)]))
        assert store.pipeline_counts() == dict(Counter(store.pipelines().values())) == {"p1": 2, "": 1}
