"""Distributed ingest on a real Dask cluster on loopback: same store as one process, a killed worker,
a poison article, the command line. Each test starts its own cluster (scheduler, worker processes) and
stops it."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import dask
import pytest

from mapapp.cli import main
from mapapp.cluster import DaskEngine
from mapapp.errors import ClusterError
from mapapp.ingest import FileExtractor, ingest, load_manifests
from mapapp.store import open_store

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("seeds", "tests/corpus", "tests/heldout", "tests/heldout2")

pytestmark = pytest.mark.slow


class SlowExtractor(FileExtractor):
    """The real pipeline, a little slower, so that a worker can be killed while it holds work."""

    def extract_bytes(self, path: str, content: bytes):  # type: ignore[no-untyped-def]
        time.sleep(0.2)
        return super().extract_bytes(path, content)


class PoisonExtractor(FileExtractor):
    """The real pipeline, except that an article named poison* kills the worker process extracting it."""

    def extract_bytes(self, path: str, content: bytes):  # type: ignore[no-untyped-def]
        if Path(path).name.startswith("poison"):
            os._exit(1)
        return super().extract_bytes(path, content)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict]:
    """The project's 45 pages with their manifests merged (file names are unique across the sets)."""
    paths = [ROOT / folder for folder in FOLDERS]
    manifest = load_manifests([p / "manifest.csv" for p in paths])
    return paths, manifest


@pytest.fixture(scope="module")
def one_process_events(corpus: tuple[list[Path], dict], tmp_path_factory: pytest.TempPathFactory) -> list:
    paths, manifest = corpus
    url = f"sqlite:///{tmp_path_factory.mktemp('one') / 'events.sqlite'}"
    with open_store(url) as store:
        report = ingest(paths, store, manifest=manifest, workers=1)
        assert report.ok and report.new == 45
        return store.load()


def test_dask_ingest_stores_the_same_events_as_one_process(
    corpus: tuple[list[Path], dict], one_process_events: list, store_url: str
) -> None:
    """On both backends: the client writes through the store contract, SQLite file or PostGIS server."""
    paths, manifest = corpus
    seen: list[tuple[int, int]] = []
    with DaskEngine(workers=2, batch_size=4) as engine, open_store(store_url) as store:
        assert "2 worker(s)" in engine.where
        report = ingest(
            paths, store, manifest=manifest, engine=engine, progress=lambda d, n, _: seen.append((d, n))
        )
        assert report.ok and report.new == 45 and report.failed == 0
        events = store.load()
        assert [e.id for e in events] == [e.id for e in one_process_events]
        assert events == one_process_events  # every field, event for event
        assert seen[0] == (0, 45) and seen[-1] == (45, 45)  # progress as with the local pool
        again = ingest(paths, store, manifest=manifest, engine=engine)
        assert again.unchanged == 45 and again.new == 0 and store.load() == one_process_events


def test_a_worker_killed_mid_run_loses_nothing(
    corpus: tuple[list[Path], dict], one_process_events: list, tmp_path: Path
) -> None:
    paths, manifest = corpus
    extractor = SlowExtractor(manifest=manifest)
    killed: list[int] = []
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    with DaskEngine(workers=2, batch_size=3) as engine, open_store(url) as store:
        pids = sorted(engine.client.run(os.getpid).values())
        assert len(pids) == 2

        def progress(done: int, total: int, path: str) -> None:
            if done == 6 and not killed:  # some batches stored, others in flight on both workers
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        report = ingest(
            paths, store, manifest=manifest, extractor=extractor, engine=engine, progress=progress
        )
        assert killed, "the run ended before a worker could be killed"
        assert report.ok and report.new == 45, report.failures
        assert store.load() == one_process_events  # the killed worker's batches were extracted elsewhere


def test_an_article_that_kills_every_worker_is_reported_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", folder)
    (folder / "poison_001.txt").write_text("Serangan di Martakert pada Rabu.\n", encoding="utf-8")
    manifest = load_manifests([folder / "manifest.csv"])
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        url = f"sqlite:///{tmp_path / 'p.sqlite'}"
        with DaskEngine(workers=2, batch_size=3) as engine, open_store(url) as store:
            report = ingest([folder], store, manifest=manifest, extractor=PoisonExtractor(manifest=manifest),
                            engine=engine)
            stored = {a.source for a in store.articles()}
    assert report.read == 6 and report.new == 5 and report.failed == 1
    (path, reason), = report.failures
    assert Path(path).name == "poison_001.txt"
    # allowed-failures 1: two deaths in its batch or alone, two more in its run on its own
    assert "died 4 times" in reason and "not stored" in reason
    assert "poison_001.txt" not in stored and len(stored) == 5  # the batch's other articles went in


def test_cli_ingest_with_the_dask_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    status = main(["ingest", str(ROOT / "seeds"), "--engine", "dask", "--workers", "1", "--store", url])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "dask: tcp://127.0.0.1:" in err and "1 worker(s)" in err
    assert "5 read, 5 new" in out and "7 added" in out


def test_cli_dask_options_need_the_dask_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["ingest", str(ROOT / "seeds"), "--scheduler", "tcp://127.0.0.1:8786",
                   "--store", f"sqlite:///{tmp_path / 'x.sqlite'}"])
    assert status == 2
    assert capsys.readouterr().err.strip() == "mapapp ingest: --scheduler needs --engine dask"


def test_an_unreachable_scheduler_is_one_clear_error() -> None:
    expected = r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9 .*`dask scheduler`"
    with pytest.raises(ClusterError, match=expected):
        with DaskEngine(scheduler="tcp://127.0.0.1:9", timeout=2):
            pass
