"""The event store contract on every backend: idempotent saves, replacement, forget, filters, versions.

Each test taking ``store``/``store_url`` runs on SQLite and on PostgreSQL/PostGIS (see
tests/conftest.py); the few that are about one backend's files say so in their name.
PostGIS-only behaviour (server, roles, PostGIS itself) is in test_store_postgis.py.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from mapapp.errors import StoreError, StoreURLError
from mapapp.model import Article, DateHow, Event, EventKind, Excerpt, Precision, Side, event_id
from mapapp.store import (
    DEFAULT_STORE_URL,
    ArticleChange,
    EventStore,
    StoreNotFoundError,
    StoreReadOnlyError,
    open_existing_store,
    open_store,
    resolve_store_url,
)
from mapapp.store.postgis import SCHEMA_VERSION as POSTGIS_SCHEMA_VERSION
from mapapp.store.sqlite import SCHEMA_VERSION
from mapapp.store.url import sqlite_path
from tests.backends import dump, execute, schema_version

PLACES = {  # gazetteer id -> (name, lat, lon)
    "gn:174979": ("Stepanakert", 39.8153, 46.7519),
    "gn:147622": ("Ganja", 40.6828, 46.3606),
    "gn:585156": ("Shusha", 39.7583, 46.7483),
    "gn:585225": ("Martuni", 39.7950, 47.1120),
    "gn:616052": ("Yerevan", 40.1811, 44.5136),
}


@dataclass(frozen=True, slots=True)
class FakeExtraction:
    article: Article
    events: tuple[Event, ...]
    mentions: tuple = ()
    notes: tuple[str, ...] = ()


def make_extraction(
    source: str,
    claims: list[tuple[str, str, str]],
    *,
    text: str | None = None,
    outlet: str = "Kompas.com",
    published: date = date(2020, 10, 4),
    language: str = "id",
) -> FakeExtraction:
    """An article and its events; each claim is (gazetteer id, ISO day, side)."""
    body = (
        text
        if text is not None
        else " ".join(f"Pasukan menggempur {PLACES[g][0]} pada {d} menurut {s}." for g, d, s in claims)
    )
    article = Article(
        source=source,
        text=body,
        title=f"Title of {source}",
        outlet=outlet,
        published=published,
        published_how="manifest",
        language=language,
    )
    events = []
    for i, (gid, day, side) in enumerate(claims):
        name, lat, lon = PLACES[gid]
        sentence = f"Pasukan menggempur {name} pada {day} menurut {side}."
        events.append(
            Event(
                id=event_id(article.sha256, gid, date.fromisoformat(day), side),
                source=source,
                place=name,
                place_resolved=name,
                gazetteer_id=gid,
                lat=lat,
                lon=lon,
                date=date.fromisoformat(day),
                side=Side(side),
                excerpts=(
                    Excerpt(sentence, i * 10, i * 10 + len(sentence)),
                    Excerpt("Kalimat kedua <script>alert(1)</script>.", 0, 5),
                ),
                outlet=outlet,
                title=f"Title of {source}",
                published=published,
                language=language,
                country="AZ",
                precision=Precision.TOWN,
                date_how=DateHow.RELATIVE,
                date_cue="pada Rabu",
                side_cue="kata kementerian",
                confidence=0.75,
                disputed_by=(Side.AZERBAIJAN,) if side == "armenia" else (),
                kinds=KINDS_BY_SIDE.get(side, ()),
            )
        )
    return FakeExtraction(article, tuple(events))


SCHEMA_VERSIONS = {"sqlite": SCHEMA_VERSION, "postgresql": POSTGIS_SCHEMA_VERSION}


@pytest.fixture
def store(store_url: str) -> EventStore:
    with open_store(store_url) as s:
        yield s


A = [("gn:174979", "2020-09-30", "armenia"), ("gn:147622", "2020-10-04", "azerbaijan")]
KINDS_BY_SIDE = {
    "armenia": (EventKind.ATTACK, EventKind.CASUALTIES),
    "azerbaijan": (EventKind.CAPTURE,),
}


def test_new_article_round_trips_every_field(store: EventStore) -> None:
    ex = make_extraction("a.txt", A)
    change = store.save_extraction(ex)
    assert change == ArticleChange("a.txt", "new", events_added=2)
    loaded = store.load()
    assert sorted(loaded, key=lambda e: e.id) == sorted(ex.events, key=lambda e: e.id)
    record = store.article("a.txt")
    assert record is not None
    assert (record.sha256, record.text, record.n_events, record.published) == (
        ex.article.sha256,
        ex.article.text,
        2,
        date(2020, 10, 4),
    )
    assert store.articles() == [record]
    assert store.article("missing.txt") is None


def test_same_article_again_is_unchanged_and_writes_nothing(store: EventStore, store_url: str) -> None:
    ex = make_extraction("a.txt", A)
    store.save_extraction(ex)
    before, version = dump(store_url), store.version()
    assert store.save_extraction(ex) == ArticleChange("a.txt", "unchanged")
    assert dump(store_url) == before
    assert store.version() == version


def test_whitespace_only_edit_is_the_same_article(store: EventStore) -> None:
    ex = make_extraction("a.txt", A, text="Stepanakert diserang.\n\nGanja juga.")
    store.save_extraction(ex)
    again = make_extraction("a.txt", A, text="Stepanakert   diserang. Ganja  juga.  ")
    assert store.save_extraction(again).status == "unchanged"


def test_changed_text_replaces_the_articles_events(store: EventStore) -> None:
    store.save_extraction(make_extraction("a.txt", A))
    store.save_extraction(make_extraction("b.txt", [("gn:616052", "2020-10-01", "third-party")]))
    version = store.version()
    changed = make_extraction(
        "a.txt", [A[0], ("gn:585156", "2020-10-08", "independent")], text="new text of the article"
    )
    change = store.save_extraction(changed)
    assert change == ArticleChange("a.txt", "changed", events_added=1, events_updated=1, events_removed=1)
    assert store.version() != version
    by_source = {e.source for e in store.load()}
    assert by_source == {"a.txt", "b.txt"}
    assert {e.id for e in store.load(sources=["a.txt"])} == {e.id for e in changed.events}
    assert store.article("a.txt").text == "new text of the article"
    assert store.integrity_check() == []


B_TEXT = "Pasukan menggempur Shusha pada 2020-10-08 menurut independent."


# (stored from, saved again from, outcome): "" is an upload; paths are made absolute under tmp_path
ORIGINS = [
    ("x/index.html", "x/index.html", "changed"),
    ("x/index.html", "x/../x/index.html", "changed"),  # the same file, written another way
    ("x/index.html", "y/index.html", "refused"),
    ("x/index.html", "", "refused"),  # an upload never replaces a file's article
    ("", "y/index.html", "refused"),  # nor a file an upload's
    ("", "", "changed"),  # an upload replaces an upload, as it always did
]


@pytest.mark.parametrize(("first", "second", "outcome"), ORIGINS, ids=lambda v: v or "upload")
def test_other_text_under_a_stored_name_replaces_only_its_own_origin(
    first: str, second: str, outcome: str, store: EventStore, store_url: str, tmp_path: Path
) -> None:
    def origin(rel: str) -> str:
        return str(tmp_path / rel) if rel else ""

    store.save_extraction(make_extraction("index.html", A), path=origin(first))
    before, version = dump(store_url), store.version()
    other = make_extraction("index.html", [("gn:585156", "2020-10-08", "independent")], text=B_TEXT)
    if outcome == "changed":
        assert store.save_extraction(other, path=origin(second)).status == "changed"
        assert store.article("index.html").text == B_TEXT
        return
    with pytest.raises(StoreError) as info:
        store.save_extraction(other, path=origin(second))
    message = str(info.value)
    assert f"index.html is already stored from {origin(first) or 'an upload'}, with other text" in message
    assert "rename it, or `mapapp forget index.html` first to replace it" in message
    assert dump(store_url) == before and store.version() == version  # untouched


def test_same_text_under_a_stored_name_from_another_file_is_unchanged(
    store: EventStore, tmp_path: Path
) -> None:
    store.save_extraction(make_extraction("index.html", A), path=str(tmp_path / "x/index.html"))
    again = store.save_extraction(make_extraction("index.html", A), path=str(tmp_path / "y/index.html"))
    assert again.status == "unchanged"
    assert store.article("index.html").path == str(tmp_path / "x/index.html")


def test_a_forgotten_name_takes_another_files_text(store: EventStore, tmp_path: Path) -> None:
    store.save_extraction(make_extraction("index.html", A), path=str(tmp_path / "x/index.html"))
    store.forget("index.html")
    other = make_extraction("index.html", A[:1], text=B_TEXT)
    assert store.save_extraction(other, path=str(tmp_path / "y/index.html")).status == "new"
    assert store.article("index.html").path == str(tmp_path / "y/index.html")


def test_new_publication_date_from_a_manifest_counts_as_a_change(store: EventStore) -> None:
    store.save_extraction(make_extraction("a.txt", A))
    moved = make_extraction("a.txt", A, published=date(2020, 10, 5))
    assert store.save_extraction(moved).status == "changed"
    assert store.article("a.txt").published == date(2020, 10, 5)


def test_forget_removes_article_events_and_excerpts(store: EventStore, store_url: str) -> None:
    store.save_extraction(make_extraction("a.txt", A))
    store.save_extraction(make_extraction("b.txt", [("gn:616052", "2020-10-01", "third-party")]))
    assert store.forget("a.txt") == ArticleChange("a.txt", "forgotten", events_removed=2)
    assert store.forget("a.txt") is None
    assert [e.source for e in store.load()] == ["b.txt"]
    assert execute(store_url, "SELECT count(*) FROM excerpts") == [(2,)]
    assert execute(store_url, "SELECT count(*) FROM events") == [(1,)]


def test_article_with_no_events_is_stored_so_it_is_not_re_read(store: EventStore) -> None:
    assert store.save_extraction(make_extraction("empty.txt", [], text="Tidak ada kejadian.")).status == "new"
    assert store.article("empty.txt").n_events == 0
    assert store.save_extraction(make_extraction("empty.txt", [], text="Tidak ada kejadian.")).status == (
        "unchanged"
    )


@pytest.fixture
def filled(store: EventStore) -> EventStore:
    store.save_extraction(make_extraction("a.txt", A, outlet="Kompas.com", language="id"))
    store.save_extraction(
        make_extraction(
            "b.txt",
            [("gn:616052", "2020-10-01", "third-party"), ("gn:585225", "2020-10-20", "independent")],
            outlet="Reuters",
            language="en",
        )
    )
    store.save_extraction(
        make_extraction("c.txt", [("gn:585156", "2020-11-08", "azerbaijan")], outlet="Bisnis.com")
    )
    return store


def names(events: list[Event]) -> list[str]:
    return [e.place for e in events]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["Stepanakert", "Yerevan", "Ganja", "Martuni", "Shusha"]),
        ({"window": (date(2020, 10, 1), date(2020, 10, 4))}, ["Yerevan", "Ganja"]),
        ({"window": (date(2020, 10, 4), date(2020, 10, 4))}, ["Ganja"]),
        ({"window": (None, date(2020, 9, 30))}, ["Stepanakert"]),
        ({"window": (date(2020, 11, 1), None)}, ["Shusha"]),
        ({"sides": ["azerbaijan"]}, ["Ganja", "Shusha"]),
        ({"sides": [Side.ARMENIA, "Third-Party"]}, ["Stepanakert", "Yerevan"]),
        ({"sides": []}, []),
        ({"bbox": (39.7, 46.7, 39.9, 46.8)}, ["Stepanakert", "Shusha"]),
        ({"bbox": (39.0, 46.0, 41.0, 48.0)}, ["Stepanakert", "Ganja", "Martuni", "Shusha"]),
        ({"outlets": ["Reuters"]}, ["Yerevan", "Martuni"]),
        ({"languages": ["en"]}, ["Yerevan", "Martuni"]),
        ({"text": "STEPANAKERT"}, ["Stepanakert"]),
        ({"text": "<script>"}, ["Stepanakert", "Yerevan", "Ganja", "Martuni", "Shusha"]),
        ({"text": "%"}, []),
        ({"text": "' OR 1=1 --"}, []),
        ({"sources": ["c.txt", "nope.txt"]}, ["Shusha"]),
        ({"kinds": ["capture"]}, ["Ganja", "Shusha"]),
        ({"kinds": [EventKind.CASUALTIES, "capture"]}, ["Stepanakert", "Ganja", "Shusha"]),
        ({"kinds": ["attack"], "sides": ["azerbaijan"]}, []),
        ({"kinds": []}, []),
        (
            {
                "window": (date(2020, 9, 1), date(2020, 12, 1)),
                "sides": ["azerbaijan"],
                "bbox": (39.0, 46.0, 40.0, 47.0),
            },
            ["Shusha"],
        ),
    ],
    ids=lambda v: repr(v)[:60] if isinstance(v, dict) else None,
)
def test_load_filters(filled: EventStore, kwargs: dict, expected: list[str]) -> None:
    assert names(filled.load(**kwargs)) == expected


def test_bbox_across_the_antimeridian(store: EventStore) -> None:
    store.save_extraction(make_extraction("a.txt", A))
    assert names(store.load(bbox=(-90, 179, 90, -179))) == []
    assert len(store.load(bbox=(-90, 40, 90, -179))) == 2


def test_bad_filters_name_the_bad_value(filled: EventStore) -> None:
    with pytest.raises(ValueError, match="unknown side 'russia'"):
        filled.load(sides=["russia"])
    with pytest.raises(ValueError, match="starts after it ends"):
        filled.load(window=(date(2020, 11, 1), date(2020, 10, 1)))
    with pytest.raises(ValueError, match="min_lat"):
        filled.load(bbox=(41, 46, 39, 47))


def test_summaries(filled: EventStore) -> None:
    assert filled.date_range() == (date(2020, 9, 30), date(2020, 11, 8))
    assert filled.outlets() == ["Bisnis.com", "Kompas.com", "Reuters"]
    assert filled.languages() == ["en", "id"]


def test_empty_store_summaries(store: EventStore) -> None:
    assert store.date_range() is None
    assert store.load() == []
    assert store.outlets() == [] and store.articles() == []


def test_version_changes_with_content_and_differs_between_stores(new_store_url: Callable[[], str]) -> None:
    with open_store(new_store_url()) as one, open_store(new_store_url()) as two:
        assert one.version() != two.version()
        v0 = one.version()
        one.save_extraction(make_extraction("a.txt", A))
        v1 = one.version()
        one.forget("a.txt")
        assert len({v0, v1, one.version()}) == 3


def test_reopening_keeps_content_and_schema_version(store_url: str, backend: str) -> None:
    with open_store(store_url) as s:
        s.save_extraction(make_extraction("a.txt", A))
        version = s.version()
    with open_store(store_url) as s, open_existing_store(store_url) as t:
        assert s.version() == version == t.version() and len(s.load()) == 2 == len(t.load())
    assert schema_version(store_url) == SCHEMA_VERSIONS[backend]


def test_sqlite_store_is_in_wal_mode(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/events.sqlite"
    open_store(url).close()
    assert execute(url, "PRAGMA journal_mode") == [("wal",)]


def test_store_from_a_newer_mapapp_is_refused(store_url: str, backend: str) -> None:
    open_store(store_url).close()
    newer = SCHEMA_VERSIONS[backend] + 1
    execute(
        store_url,
        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'future', '2030-01-01')",
        (newer,),
    )
    for opener in (open_store, open_existing_store):
        with pytest.raises(StoreError, match=f"schema version {newer}.*upgrade mapapp"):
            opener(store_url)


def test_a_sqlite_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match=r"notes\.sqlite: not a usable mapapp store"):
        open_store(f"sqlite:///{path}")


def test_events_of_another_source_or_duplicated_ids_are_refused(store: EventStore) -> None:
    ex = make_extraction("a.txt", A)
    with pytest.raises(StoreError, match="names another source"):
        store.save_extraction(replace(ex, article=replace(ex.article, source="z.txt")))
    with pytest.raises(StoreError, match="occurs twice"):
        store.save_extraction(replace(ex, events=(ex.events[0], ex.events[0])))
    assert store.articles() == []


def test_a_failed_save_leaves_the_previous_version_whole(store: EventStore) -> None:
    store.save_extraction(make_extraction("a.txt", A))
    store.save_extraction(make_extraction("b.txt", [("gn:616052", "2020-10-01", "third-party")]))
    clash = make_extraction("a.txt", [("gn:585156", "2020-10-08", "independent")], text="changed")
    stolen = replace(clash.events[0], id=store.load(sources=["b.txt"])[0].id)  # id already used by b.txt
    with pytest.raises(StoreError, match=r"a\.txt: its events could not be stored"):
        store.save_extraction(replace(clash, events=(stolen,)))
    assert names(store.load(sources=["a.txt"])) == ["Stepanakert", "Ganja"]
    assert store.integrity_check() == []


def test_threads_share_one_store(store: EventStore) -> None:
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(10):
                store.save_extraction(make_extraction(f"t{i}-{j}.txt", A))
                store.load(sides=["armenia"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.load()) == 80


@pytest.mark.parametrize(
    ("value", "env", "expected"),
    [
        (None, {}, DEFAULT_STORE_URL),
        ("", {}, DEFAULT_STORE_URL),
        (None, {"MAPAPP_STORE": "sqlite:///x/y.sqlite"}, "sqlite:///x/y.sqlite"),
        ("sqlite:////abs/z.sqlite", {"MAPAPP_STORE": "sqlite:///x/y.sqlite"}, "sqlite:////abs/z.sqlite"),
    ],
)
def test_resolve_store_url_precedence(value: str | None, env: dict, expected: str) -> None:
    assert resolve_store_url(value, env=env) == expected


def test_resolve_store_url_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPAPP_STORE", "sqlite:///from/env.sqlite")
    assert resolve_store_url() == "sqlite:///from/env.sqlite"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///data/events.sqlite", Path("data/events.sqlite")),
        ("sqlite:////tmp/events.sqlite", Path("/tmp/events.sqlite")),
        ("SQLite:///ünïcode dir/ev.sqlite", Path("ünïcode dir/ev.sqlite")),
    ],
)
def test_sqlite_paths(url: str, path: Path) -> None:
    assert sqlite_path(url) == path


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("data/events.sqlite", "not a store URL"),
        ("mysql:///x", "unknown scheme 'mysql'"),
        ("sqlite://host/x.sqlite", "takes no host"),
        ("sqlite:///:memory:", "names no database file"),
        ("sqlite:///", "names no database file"),
        ("sqlite:///x.sqlite?mode=ro", "query strings"),
    ],
)
def test_bad_store_urls_name_the_valid_forms(url: str, message: str) -> None:
    with pytest.raises(StoreURLError, match=message) as info:
        resolve_store_url(url)
    assert "sqlite:////absolute/path.sqlite" in str(info.value)


def test_relative_sqlite_url_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///sub/dir/events.sqlite") as s:
        s.save_extraction(make_extraction("a.txt", A))
    assert (tmp_path / "sub/dir/events.sqlite").is_file()


def test_open_existing_store_never_creates_a_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for url, path in [
        (f"sqlite:///{tmp_path}/typo/evnts.sqlite", tmp_path / "typo/evnts.sqlite"),
        ("sqlite:///rel/evnts.sqlite", Path("rel/evnts.sqlite")),
    ]:
        with pytest.raises(StoreNotFoundError) as info:
            open_existing_store(url)
        assert str(info.value) == (
            f"no event store at {path}: check --store / MAPAPP_STORE, or run `mapapp ingest` first"
        )
        assert info.value.path == str(path)
        assert isinstance(info.value, StoreURLError) and isinstance(info.value, FileNotFoundError)
    assert list(tmp_path.iterdir()) == []
    url = f"sqlite:///{tmp_path}/events.sqlite"
    with open_store(url) as s:
        s.save_extraction(make_extraction("a.txt", A))
    with open_existing_store(url) as s:
        assert len(s.load()) == 2


def test_a_read_only_store_reads_everything_and_refuses_every_write(
    store: EventStore, store_url: str
) -> None:
    from mapapp.ingest import ingest_texts

    store.save_extraction(make_extraction("a.txt", A), fingerprint="f" * 64)
    before = dump(store_url)
    with open_existing_store(store_url, read_only=True) as ro:
        assert (ro.load(), ro.version(), ro.articles(), ro.article("a.txt"), ro.fingerprints()) == (
            store.load(), store.version(), store.articles(), store.article("a.txt"), store.fingerprints()
        )
        assert (ro.date_range(), ro.outlets(), ro.languages(), ro.pipelines(), ro.url) == (
            store.date_range(), store.outlets(), store.languages(), store.pipelines(), store.url
        )
        with pytest.raises(StoreReadOnlyError, match=r"open read-only, so it cannot store 'b\.txt'"):
            ro.save_extraction(make_extraction("b.txt", A))
        with pytest.raises(StoreReadOnlyError, match=r"cannot forget 'a\.txt'"):
            ro.forget("a.txt")
        report = ingest_texts([("c.txt", b"...")], ro, extractor=lambda name, _: make_extraction(name, A))
        assert report.failed == 1 and "open read-only" in report.failures[0][1]
    assert isinstance(StoreReadOnlyError("x"), PermissionError)
    assert dump(store_url) == before


def test_closed_store_says_so(store_url: str) -> None:
    s = open_store(store_url)
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.load()


def test_a_version_1_sqlite_store_is_migrated_in_place(tmp_path: Path) -> None:
    from mapapp.store.sqlite import MIGRATIONS

    path = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT, applied_at TEXT)"
    )
    version, description, statements = MIGRATIONS[0]
    assert version == 1
    for statement in statements:
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (1, ?, 'then')", (description,))
    conn.execute("INSERT INTO meta VALUES ('store_id', 'old'), ('generation', '7')")
    conn.execute(
        "INSERT INTO articles (source, sha256, text, n_events, ingested_at) "
        "VALUES ('old.txt', ?, 'x', 1, 'then')",
        ("0" * 64,),
    )
    conn.execute(
        "INSERT INTO events (id, source, place, place_resolved, gazetteer_id, lat, lon, precision, date, "
        "date_how, side, confidence) VALUES ('ev_old', 'old.txt', 'Ganja', 'Ganja', 'gn:1', 40.68, 46.36, "
        "'town', '2020-10-04', 'relative', 'azerbaijan', 0.8)"
    )
    conn.commit()
    conn.close()
    with open_store(f"sqlite:///{path}") as store:
        assert [(e.id, e.kinds) for e in store.load()] == [("ev_old", ())]  # older rows: kinds unknown
        assert store.version() == "old:7"
        assert store.fingerprints() == {"old.txt": ""}
        assert store.pipelines() == {"old.txt": ""}  # made by a pipeline the store did not record
        assert store.article("old.txt").text == "x"
        store.save_extraction(make_extraction("a.txt", A), fingerprint="f" * 64)
        assert store.fingerprints()["a.txt"] == "f" * 64
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")] == list(
        range(1, SCHEMA_VERSION + 1)
    )
    conn.close()


def test_fingerprint_update_on_unchanged_content_keeps_the_version(store: EventStore) -> None:
    ex = make_extraction("a.txt", A)
    store.save_extraction(ex, fingerprint="a" * 64)
    version = store.version()
    assert store.save_extraction(ex, fingerprint="b" * 64).status == "unchanged"
    assert store.version() == version and store.fingerprints() == {"a.txt": "b" * 64}


def test_hostile_names_and_text_are_data_not_sql(store: EventStore) -> None:
    source = "x'); DROP TABLE events; --.txt"
    ex = make_extraction(source, A, text="'; DELETE FROM articles; -- \" <script>alert(1)</script>")
    assert store.save_extraction(ex).status == "new"
    assert store.article(source).text == ex.article.text
    assert len(store.load(sources=[source], text="'; delete")) == 0  # excerpts, not article text
    assert len(store.load(sources=[source], outlets=["Kompas.com' OR '1'='1"])) == 0
    assert store.forget(source) == ArticleChange(source, "forgotten", events_removed=2)
    assert store.integrity_check() == [] and store.articles() == []


def test_refresh_replaces_events_only_when_they_differ(store: EventStore, store_url: str) -> None:
    ex = make_extraction("a.txt", A)
    store.save_extraction(ex)
    before, version = dump(store_url), store.version()
    assert store.save_extraction(ex, refresh=True).status == "unchanged"
    assert dump(store_url) == before and store.version() == version
    better = replace(ex, events=(replace(ex.events[0], confidence=0.9), ex.events[1]))
    assert store.save_extraction(better).status == "unchanged"  # without refresh: keyed by text
    change = store.save_extraction(better, refresh=True)
    assert change == ArticleChange("a.txt", "changed", events_updated=2)
    assert sorted(e.confidence for e in store.load()) == [0.75, 0.9]


# -- which pipeline made an article's events -------------------------------------------------


def test_the_pipeline_that_made_the_events_is_kept_with_the_article(store: EventStore) -> None:
    store.save_extraction(make_extraction("a.txt", A), pipeline="p1")
    store.save_extraction(make_extraction("b.txt", A[:1]))
    assert store.pipelines() == {"a.txt": "p1", "b.txt": ""}
    assert store.article("a.txt").pipeline == "p1"
    assert [r.pipeline for r in store.articles()] == ["p1", ""]


def test_a_newer_pipeline_that_makes_the_same_events_takes_the_article_over(store: EventStore) -> None:
    ex = make_extraction("a.txt", A)
    store.save_extraction(ex, pipeline="p1")
    before, version = store.load(), store.version()
    assert store.save_extraction(ex, pipeline="p2").status == "unchanged"
    assert store.pipelines() == {"a.txt": "p2"}
    assert store.load() == before
    assert store.version() != version  # what the app says about older pipelines changed
    version = store.version()
    assert store.save_extraction(ex, pipeline="p2").status == "unchanged"
    assert store.version() == version


def test_a_newer_pipeline_with_other_events_leaves_the_article_older_until_refreshed(
    store: EventStore, store_url: str
) -> None:
    ex = make_extraction("a.txt", A)
    store.save_extraction(ex, pipeline="p1")
    before, version = dump(store_url), store.version()
    newer = replace(ex, events=ex.events[:1])
    assert store.save_extraction(newer, pipeline="p2").status == "unchanged"  # keyed by text: kept
    assert dump(store_url) == before and store.version() == version
    assert store.pipelines() == {"a.txt": "p1"}
    change = store.save_extraction(newer, pipeline="p2", refresh=True)
    assert change == ArticleChange("a.txt", "changed", events_updated=1, events_removed=1)
    assert store.pipelines() == {"a.txt": "p2"} and len(store.load()) == 1


def test_changed_text_takes_the_pipeline_that_read_it(store: EventStore) -> None:
    store.save_extraction(make_extraction("a.txt", A), pipeline="p1")
    store.save_extraction(make_extraction("a.txt", A, text="Teks lain tentang Ganja."), pipeline="p2")
    assert store.pipelines() == {"a.txt": "p2"}


def test_another_programs_sqlite_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"not a mapapp store \(it has tables customers\)"):
        open_store(f"sqlite:///{path}")
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["customers"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    conn.close()
