"""End to end through the real pipeline: the seeds into a store, again, exported; bad files via the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mapapp.cli import main
from mapapp.ingest import IngestReport, ingest
from mapapp.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="module")
def gazetteer():
    from gazetteer import load_gazetteer

    return load_gazetteer()


def test_seeds_ingest_is_idempotent_and_matches_extraction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], gazetteer
) -> None:
    from mapapp.manifest import load_manifest
    from mapapp.pipeline import extract_file

    url = f"sqlite:///{tmp_path}/seeds.sqlite"
    assert main(["ingest", str(SEEDS), "--store", url]) == 0
    out, err = capsys.readouterr()
    assert f"using manifest {SEEDS / 'manifest.csv'}" in err
    assert "articles: 5 read, 5 new, 0 changed, 0 unchanged, 0 failed" in out
    # the two seed pages without a town-level event are named, so a user can look at them
    assert "no event found in 2: 002_8f93afd6af636940.txt, 003_f0e90226f7118da7.txt" in out

    manifest = load_manifest(SEEDS / "manifest.csv")
    expected = {}
    for path in sorted(SEEDS.glob("*.txt")):
        extraction = extract_file(path, gazetteer, manifest=manifest)
        expected[path.name] = sorted(e.id for e in extraction.events)
    with open_store(url) as store:
        stored = {a.source: sorted(e.id for e in store.load(sources=[a.source])) for a in store.articles()}
        assert stored == expected
        assert sum(map(len, expected.values())) > 0
        assert store.article("001_9da027cb6d3a529b.txt").outlet == "Kompas.com"
        assert store.integrity_check() == []

    before = tmp_path / "before.geojson"
    assert main(["export", "--store", url, "--format", "geojson", str(before)]) == 0
    assert main(["ingest", str(SEEDS), "--store", url]) == 0
    assert "5 unchanged, 0 failed" in capsys.readouterr().out
    after = tmp_path / "after.geojson"
    assert main(["export", "--store", url, "--format", "geojson", str(after)]) == 0
    assert after.read_bytes() == before.read_bytes()
    features = json.loads(after.read_text())["features"]
    assert {f["properties"]["source"] for f in features} <= set(expected)


def test_changed_text_replaces_events_through_the_pipeline(tmp_path: Path, gazetteer) -> None:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    with open_store(f"sqlite:///{tmp_path}/s.sqlite") as store:
        first = ingest([folder], store, manifest=folder / "manifest.csv", workers=1)
        assert first.new == 5 and first.failed == 0
        path = folder / "000_6cc985955b2ee2e6.txt"
        path.write_text(path.read_text(encoding="utf-8").replace("Martuni", "Hadrut"), encoding="utf-8")
        second = ingest([folder], store, manifest=folder / "manifest.csv", workers=1)
        assert (second.changed, second.unchanged, second.failed) == (1, 4, 0)
        places = {e.place for e in store.load(sources=[path.name])}
        assert "Martuni" not in places
        assert store.integrity_check() == []


def test_parallel_workers_store_the_same_events_as_one(tmp_path: Path) -> None:
    folders = [SEEDS] + ([CORPUS] if (CORPUS / "manifest.csv").is_file() else [])
    from mapapp.ingest import discover_manifests, load_manifests

    manifest = load_manifests(discover_manifests(folders))
    results = []
    for workers in (1, 2):
        with open_store(f"sqlite:///{tmp_path}/w{workers}.sqlite") as store:
            report = ingest(folders, store, manifest=manifest, workers=workers)
            results.append((report, [(e.id, e.excerpts, e.side, e.date) for e in store.load()]))
    assert results[0] == results[1]
    assert results[0][0].failed == 0


# -- awkward files through the real reader and pipeline, via the CLI -----------------------

BODY = (
    "Kementerian Pertahanan Azerbaijan mengatakan pasukan Armenia menembaki kota Tartar pada Rabu (30/9), "
    "menewaskan dua warga sipil."
)


def _write_cases(folder: Path) -> dict[str, str]:
    """Each awkward file and what must happen to it: 'ok' or a word of the refusal."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "cp1252.txt").write_bytes(f"Serangan “Tartar” – café\n\n{BODY}\n".encode("cp1252"))
    (folder / "latin1.txt").write_bytes(f"Été à Tartar\n\n{BODY}\n".encode("latin-1"))
    with (folder / "huge.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: instant, no disk used
    (folder / "scripts.html").write_text(
        "<html><head><title>Tartar diserang</title><script>var x = '<p>Ganja</p>'; alert(1)</script></head>"
        f"<body><article><h1>Tartar diserang</h1><p>{BODY}</p><p>{BODY.replace('dua', 'tiga')}</p>"
        "<script>document.write('Shusha')</script></article></body></html>",
        encoding="utf-8",
    )
    (folder / "nul.txt").write_bytes(f"Judul\n\n{BODY}\x00\n".encode())
    (folder / "Şuşa xəbər 30 Sentyabr.txt").write_text(f"Judul\n\n{BODY}\n", encoding="utf-8")
    (folder / "script.txt").write_text(f"<script>alert('x')</script> Judul\n\n{BODY}\n", encoding="utf-8")
    return {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "huge.txt": "limit",
        "cp1252.txt": "ok",
        "latin1.txt": "ok",
        "scripts.html": "ok",
        "nul.txt": "ok",
        "Şuşa xəbər 30 Sentyabr.txt": "ok",
        "script.txt": "ok",
    }


def test_cli_bad_inputs_through_the_real_pipeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "awkward files"
    cases = _write_cases(folder)
    url = f"sqlite:///{tmp_path}/awkward.sqlite"
    status = main(["ingest", str(folder), "--store", url, "--published", "2020-10-01", "--workers", "1"])
    out, err = capsys.readouterr()
    assert status == 1
    refused = {Path(line.split(": ", 1)[0]).name: line for line in err.strip().splitlines()}
    assert set(refused) == {name for name, want in cases.items() if want != "ok"}
    for name, line in refused.items():
        assert cases[name] in line.lower(), line
    assert "20" in refused["huge.txt"]  # names the limit
    assert "Traceback" not in err
    assert "9 read, 6 new, 0 changed, 0 unchanged, 3 failed" in out
    with open_store(url) as store:
        texts = {a.source: a.text for a in store.articles()}
        assert "“Tartar” – café" in texts["cp1252.txt"]
        assert "Été à Tartar" in texts["latin1.txt"]
        assert "\x00" not in texts["nul.txt"]
        assert texts["script.txt"].startswith("<script>alert('x')</script>")
        assert "alert" not in texts["scripts.html"] and "document.write" not in texts["scripts.html"]
        tartar = {e.source for e in store.load() if e.place == "Tartar"}
        assert {"cp1252.txt", "latin1.txt", "nul.txt", "Şuşa xəbər 30 Sentyabr.txt", "script.txt"} <= tartar


def test_a_file_deleted_mid_run_is_one_failure(tmp_path: Path) -> None:
    folder = tmp_path / "vanishing"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"Judul {i}\n\n{BODY}\n", encoding="utf-8")

    def delete_the_last(done: int, total: int, path: str) -> None:
        if done == 1:
            (folder / "2.txt").unlink()

    with open_store(f"sqlite:///{tmp_path}/v.sqlite") as store:
        report = ingest([folder], store, published=None, workers=1, progress=delete_the_last)
    assert (report.new, report.failed) == (2, 1)
    ((path, reason),) = report.failures
    assert path.endswith("2.txt") and "no such file" in reason


def test_report_type_is_what_the_cli_prints() -> None:
    assert IngestReport(read=1, new=1, events_added=2).summary().splitlines() == [
        "articles: 1 read, 1 new, 0 changed, 0 unchanged, 0 failed",
        "events: 2 added, 0 updated, 0 removed",
    ]
    assert IngestReport(read=2, new=2, events_added=2, eventless=("b.txt",)).summary().splitlines()[-1] == (
        "no event found in 1: b.txt"
    )
