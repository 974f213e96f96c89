"""SIGKILL an ingest at random moments, many times, on every backend: the store must open, pass
integrity checks, and hold every article whole or not at all."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from mapapp.model import Article, Event, Excerpt, Side, event_id

ROOT = Path(__file__).resolve().parents[1]
SIDES = tuple(Side)
N_ARTICLES = 160
KILLS = 24


@dataclass(frozen=True, slots=True)
class Extraction:
    article: Article
    events: tuple[Event, ...]
    mentions: tuple = ()
    notes: tuple[str, ...] = ()


def _n(source: str, variant: int) -> int:
    return 3 + int(hashlib.sha256(f"{source}|{variant}".encode()).hexdigest(), 16) % 40


def synthetic(source: str, variant: int) -> Extraction:
    """A deterministic article with many events; its text says which variant it is."""
    n = _n(source, variant)
    text = f"variant={variant}\n" + "\n".join(
        f"Serangan ke desa nomor {k} dilaporkan oleh sumber {source}, versi {variant}. " * 3 for k in range(n)
    )
    article = Article(
        source=source,
        text=text,
        title=source,
        outlet="Synthetic",
        published=date(2020, 11, 1),
        published_how="option",
        language="id",
    )
    events = []
    for k in range(n):
        day = date(2020, 9, 27) + timedelta(days=k % 45)
        side = SIDES[k % 4]
        gid = f"syn:{k}"
        events.append(
            Event(
                id=event_id(article.sha256, gid, day, side),
                source=source,
                place=f"Desa {k}",
                place_resolved=f"Desa {k}",
                gazetteer_id=gid,
                lat=39.0 + k / 100,
                lon=46.0 + k / 100,
                date=day,
                side=side,
                excerpts=tuple(
                    Excerpt(f"Kalimat {j} tentang desa {k}.", j, j + 10) for j in range(1 + k % 3)
                ),
                outlet="Synthetic",
                title=source,
                published=date(2020, 11, 1),
                language="id",
            )
        )
    return Extraction(article, tuple(events))


def variant_for(source: str, run: int) -> int:
    """Every fourth article changes from run to run; the others stay the same."""
    return run % 3 if int(source[3:6]) % 4 == 0 else 0


class RunExtractor:
    def __init__(self, run: int) -> None:
        self.run = run

    def __call__(self, path: str) -> Extraction:
        source = Path(path).name
        return synthetic(source, variant_for(source, self.run))


def child_main(url: str, run: int, n_articles: int) -> None:
    """The process that gets killed: a plain ingest through mapapp.ingest."""
    from mapapp.ingest import ingest
    from mapapp.store import open_store

    def progress(done: int, total: int, path: str) -> None:
        if done:
            print(f"stored {done}", flush=True)  # the parent kills at a chosen article, not a clock time

    with open_store(url) as store:
        print("ready", flush=True)
        paths = [f"/nonexistent/art{i:03d}.txt" for i in range(n_articles)]
        ingest(paths, store, extractor=RunExtractor(run), workers=1, progress=progress)
    print("done", flush=True)


def spawn_child(url: str, run: int, n_articles: int = N_ARTICLES) -> subprocess.Popen[str]:
    code = f"from tests.test_crash_safety import child_main; child_main({url!r}, {run}, {n_articles})"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def check_store(url: str) -> dict[str, int]:
    """Open, integrity-check, and compare every stored article with what its extraction gives."""
    from mapapp.store import open_store

    with open_store(url) as store:
        assert store.integrity_check() == []
        seen = {}
        events_by_source: dict[str, list[Event]] = {}
        for event in store.load():
            events_by_source.setdefault(event.source, []).append(event)
        for record in store.articles():
            variant = int(record.text.split("\n", 1)[0].removeprefix("variant="))
            expected = synthetic(record.source, variant)
            assert record.text == expected.article.text
            stored = sorted(events_by_source.pop(record.source, []), key=lambda e: e.id)
            assert stored == sorted(expected.events, key=lambda e: e.id), record.source
            seen[record.source] = variant
        assert events_by_source == {}, "events without their article"
        return seen


@pytest.mark.slow
def test_sigkill_at_random_moments_never_breaks_the_store(store_url: str) -> None:
    url = store_url
    rng = random.Random(20201110)
    killed_mid_run = 0
    stored_counts = []
    for run in range(KILLS):
        child = spawn_child(url, run)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        # kill after a random number of articles, then a random part of the next one: the
        # moment depends on the run's progress, not on how fast this machine is
        for _ in range(rng.randrange(0, N_ARTICLES - 10)):
            child.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.004))
        if child.poll() is None:
            killed_mid_run += 1
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
        stored_counts.append(len(check_store(url)))
    # the kills really landed during ingests, at different stages
    assert killed_mid_run >= KILLS * 0.8
    assert len(set(stored_counts)) > 3
    # and a final uninterrupted run completes every article
    child = spawn_child(url, KILLS)
    out, _ = child.communicate(timeout=60)
    lines = out.splitlines()
    assert child.returncode == 0 and lines[0] == "ready" and lines[-1] == "done"
    assert lines[-2] == f"stored {N_ARTICLES}"
    assert len(check_store(url)) == N_ARTICLES


class SlowRunExtractor(RunExtractor):
    """Slow enough that the workers are surely busy when the ingest is killed."""

    def __call__(self, path: str) -> Extraction:
        time.sleep(0.02)
        return super().__call__(path)


def parallel_child_main(url: str, n_articles: int) -> None:
    from mapapp.ingest import ingest
    from mapapp.store import open_store

    with open_store(url) as store:
        print("ready", flush=True)
        paths = [f"/nonexistent/art{i:03d}.txt" for i in range(n_articles)]
        ingest(paths, store, extractor=SlowRunExtractor(0), workers=2)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_killed_parallel_ingest_leaves_no_workers_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/parallel.sqlite"
    code = f"from tests.test_crash_safety import parallel_child_main; parallel_child_main({url!r}, 400)"
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 20
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [
            p
            for p in _children(child.pid)
            if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
        ]
        time.sleep(0.1)
    assert len(workers) == 2, "the ingest did not start its two workers"
    from mapapp.store import open_store

    with open_store(url) as store:  # kill mid-run: once some articles are in, long before all are
        while time.monotonic() < deadline + 20 and not store.articles():
            time.sleep(0.05)
    assert child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    child.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    lingering = [p for p in workers if _alive(p)]
    for pid in lingering:  # do not leave them to the next test run either
        os.kill(pid, signal.SIGKILL)
    assert lingering == []
    assert 0 < len(check_store(url)) < 400
