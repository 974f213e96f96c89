"""Stored events follow the rules that made them: the pipeline's identity, and what ingest and the app
say when stored events come from an older pipeline."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp.cli import main
from mapapp.pipeline.identity import PACKAGES, identity, pipeline_id
from mapapp.store import open_store
from tests.test_app import APP, fill

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PRINT_ID = "from mapapp.pipeline.identity import pipeline_id; print(pipeline_id())"


# -- the identity: what decides the output, and nothing else ----------------------------------


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two copies of the packages in different folders, as two installs would hold them."""
    out = []
    for name in ("one", "two"):
        site = tmp_path_factory.mktemp(name)
        for package in ("mapapp", "gazetteer"):
            shutil.copytree(ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
        out.append(site)
    return out[0], out[1]


def identity_of(site: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTEER_", "PYTHON"))}
    done = subprocess.run(
        [sys.executable, "-c", PRINT_ID], cwd=site, env={**env, "PYTHONPATH": str(site)},
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return done.stdout.strip()


def test_the_same_files_anywhere_are_the_same_pipeline(copies: tuple[Path, Path]) -> None:
    one, two = copies
    assert identity_of(one) == identity_of(two) == pipeline_id()


# (file whose bytes change, whether the pipeline's output may change with it)
EDITS = [
    ("mapapp/pipeline/cues/events.toml", True),
    ("mapapp/pipeline/data/boilerplate.tsv", True),
    ("gazetteer/data/aliases.csv", True),
    ("gazetteer/data/places.csv", True),
    ("mapapp/pipeline/dates.py", True),
    ("mapapp/model.py", True),
    ("gazetteer/resolve.py", True),
    ("gazetteer/build.py", True),
    ("mapapp/export.py", False),
    ("mapapp/app/views/map_page.py", False),
]


@pytest.mark.parametrize(("path", "decides"), EDITS, ids=[p for p, _ in EDITS])
def test_a_change_to_what_decides_the_output_is_another_pipeline(
    tmp_path: Path, path: str, decides: bool
) -> None:
    site = tmp_path / "site"
    for package in ("mapapp", "gazetteer"):
        shutil.copytree(ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    with (site / path).open("a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")
    assert (identity_of(site) != pipeline_id()) is decides


def test_the_identity_names_the_libraries_that_reach_the_output() -> None:
    parts = identity()
    assert parts.packages.startswith("mapapp=")
    for name in PACKAGES:
        assert f";{name}=" in parts.packages
    assert "absent" not in parts.packages  # every one is installed: they are declared dependencies


# -- mapapp ingest says so, with the count and the command --------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_ingest_says_which_stored_events_an_older_pipeline_made_and_how_to_refresh_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    url = f"sqlite:///{tmp_path}/events.sqlite"
    ingest = ("ingest", "seeds", "--manifest", "seeds/manifest.csv", "--store", url)
    status, out, _ = run_cli(capsys, *ingest)
    assert status == 0 and "5 new" in out and "older pipeline" not in out
    with open_store(url) as store:
        assert set(store.pipelines().values()) == {pipeline_id()}
        events = store.load()
    # what a store looks like after an upgrade: its events were made by other rules
    conn = sqlite3.connect(tmp_path / "events.sqlite")
    with conn:
        conn.execute("UPDATE articles SET pipeline = 'rules-of-last-month' WHERE source < '003'")
        conn.execute("UPDATE articles SET pipeline = '' WHERE source LIKE '003%'")  # before it was kept
    conn.close()

    status, out, _ = run_cli(capsys, *ingest)
    assert status == 0 and "5 unchanged" in out
    (line,) = [line for line in out.splitlines() if line.startswith("older pipeline")]
    command = f"mapapp ingest seeds --manifest seeds/manifest.csv --store {url} --reextract"
    assert line == (
        "older pipeline: 4 of these articles (4 in the store) have events made before the rules, gazetteer "
        f"or code changed; refresh them with `{command}`"
    )
    status, out, _ = run_cli(capsys, *shlex.split(command)[1:])
    assert status == 0 and "5 unchanged" in out and "older pipeline" not in out
    with open_store(url) as store:
        assert set(store.pipelines().values()) == {pipeline_id()}
        assert store.load() == events  # the same rules made them: nothing was rewritten


def test_ingest_of_one_folder_counts_the_older_articles_of_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/events.sqlite"
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SEEDS / "000_6cc985955b2ee2e6.txt", one)
    assert run_cli(capsys, "ingest", str(SEEDS), "--store", url)[0] == 0
    conn = sqlite3.connect(tmp_path / "events.sqlite")
    with conn:
        conn.execute("UPDATE articles SET pipeline = 'old' WHERE source != '000_6cc985955b2ee2e6.txt'")
    conn.close()
    status, out, _ = run_cli(capsys, "ingest", str(one), "--store", url)
    assert status == 0
    assert (
        "older pipeline: 4 other stored articles have events made before the rules, gazetteer or code "
        "changed; refresh them with `mapapp ingest --reextract` over their files"
    ) in out


# -- the app says so too ----------------------------------------------------------------------


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/events.sqlite"
    fill(url)  # saved with no pipeline: as a store from before pipelines were kept
    monkeypatch.setenv("MAPAPP_STORE", url)
    return url


def older_warnings(at: AppTest) -> list[str]:
    return [w.value.replace("\\", "") for w in at.warning if "older pipeline" in w.value]


def stamp(url: str, pipeline: str) -> None:
    with open_store(url) as store:
        path = store.path  # type: ignore[attr-defined]
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE articles SET pipeline = ?", (pipeline,))
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    conn.close()


def test_the_map_page_says_how_many_articles_an_older_pipeline_made(store_url: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (warning,) = older_warnings(at)
    assert warning.startswith("3 of 3 articles have events from an older pipeline")
    assert f"mapapp ingest FILES --reextract --store {store_url}" in warning
    stamp(store_url, pipeline_id())
    at.run()
    assert older_warnings(at) == []


def _sources_app(url: str) -> None:
    from mapapp.app import state
    from mapapp.app.views import sources_page

    state.init(url)
    sources_page.page()


def test_the_sources_page_marks_the_older_articles_and_names_their_folders(store_url: str) -> None:
    with open_store(store_url) as store:
        path = store.path  # type: ignore[attr-defined]
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE articles SET path = '/news/oct 2020/a.txt' WHERE source = 'a.txt'")
        conn.execute("UPDATE articles SET pipeline = ? WHERE source = 'b.txt'", (pipeline_id(),))
    conn.close()
    at = AppTest.from_function(_sources_app, args=(store_url,), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (warning,) = older_warnings(at)
    assert warning == (
        "2 articles have events from an older pipeline (marked below): refresh them with `mapapp ingest "
        f"'/news/oct 2020' --reextract --store {store_url}`; 1 upload: upload it again."
    )
    frame = at.dataframe[0].value
    assert dict(zip(frame["source"], frame["pipeline"], strict=True)) == {
        "a.txt": "older", "b.txt": "current", "xss.txt": "older",
    }  # fmt: skip
