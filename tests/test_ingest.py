"""Ingest through the extractor seam: counts, idempotence, bad files, parallel workers, uploads, CLI."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from mapapp.cli import build_parser, main
from mapapp.commands import ingest as ingest_command
from mapapp.errors import ArticleError
from mapapp.ingest import IngestReport, find_articles, ingest, ingest_texts
from mapapp.model import Article, Event, Excerpt, Side, event_id
from mapapp.pipeline import DEFAULT_MAX_CHARS
from mapapp.pipeline.read import DEFAULT_MAX_BYTES, read_bytes, read_document
from mapapp.store import EventStore, open_store

COORDS = {
    "Stepanakert": (39.8153, 46.7519),
    "Ganja": (40.6828, 46.3606),
    "Shusha": (39.7583, 46.7483),
    "Tartar": (40.3420, 46.9320),
    "Martuni": (39.7950, 47.1120),
}
CLAIM = re.compile(
    r"(?m)^Serangan di (\w+) pada (\d{4}-\d\d-\d\d) menurut (armenia|azerbaijan|independent)\."
)


@dataclass(frozen=True, slots=True)
class Extraction:
    article: Article
    events: tuple[Event, ...]
    mentions: tuple = ()
    notes: tuple[str, ...] = ()


def extraction_from_text(source: str, text: str, *, published: date | None = None) -> Extraction:
    """A deterministic stand-in for the pipeline: one event per 'Serangan di X pada D menurut S.' line."""
    article = Article(
        source=source,
        text=text,
        title=text.splitlines()[0][:60],
        outlet="Test Outlet",
        published=published or date(2020, 10, 10),
        published_how="option",
        language="id",
    )
    events: dict[str, Event] = {}
    for m in CLAIM.finditer(text):
        place, day, side = m.group(1), date.fromisoformat(m.group(2)), Side(m.group(3))
        lat, lon = COORDS[place]
        eid = event_id(article.sha256, f"t:{place}", day, side)
        events.setdefault(
            eid,
            Event(
                id=eid,
                source=source,
                place=place,
                place_resolved=place,
                gazetteer_id=f"t:{place}",
                lat=lat,
                lon=lon,
                date=day,
                side=side,
                excerpts=(Excerpt(m.group(0), m.start(), m.end()),),
                outlet=article.outlet,
                title=article.title,
                published=article.published,
                language="id",
            ),
        )
    return Extraction(article, tuple(events.values()))


class LineExtractor:
    """Reads files with the real reader (so every reading check applies), then the stand-in extraction."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes

    def __call__(self, path: str) -> Extraction:
        doc = read_document(path, max_bytes=self.max_bytes)
        return extraction_from_text(doc.source, doc.text)


def upload_extractor(name: str, content: bytes) -> Extraction:
    doc = read_bytes(content, source=name, format="txt")
    return extraction_from_text(doc.source, doc.text)


def article_text(title: str, *claims: str) -> str:
    lines = [title, ""] + [f"Serangan di {c}." for c in claims]
    return "\n".join(lines) + "\n"


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    with open_store(f"sqlite:///{tmp_path}/store/events.sqlite") as s:
        yield s


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(
        article_text(
            "Serangan Stepanakert",
            "Stepanakert pada 2020-10-01 menurut armenia",
            "Ganja pada 2020-10-04 menurut azerbaijan",
        ),
        encoding="utf-8",
    )
    (d / "sub" / "b.txt").write_text(
        article_text("Shusha", "Shusha pada 2020-10-08 menurut independent"), encoding="utf-8"
    )
    (d / "notes.md").write_text("not an article", encoding="utf-8")
    (d / ".hidden").mkdir()
    (d / ".hidden" / "c.txt").write_text(article_text("x", "Tartar pada 2020-10-02 menurut armenia"))
    return d


def test_folder_is_walked_recursively_and_only_articles_are_taken(folder: Path) -> None:
    assert [p.relative_to(folder).as_posix() for p in find_articles([folder])] == ["a.txt", "sub/b.txt"]
    assert len(find_articles([folder, folder / "a.txt"])) == 2


def test_ingest_then_again_is_unchanged(folder: Path, store: EventStore) -> None:
    first = ingest([folder], store, extractor=LineExtractor())
    assert first == IngestReport(read=2, new=2, events_added=3)
    version = store.version()
    again = ingest([folder], store, extractor=LineExtractor())
    assert again == IngestReport(read=2, unchanged=2)
    assert store.version() == version


def test_changed_article_replaces_its_events(folder: Path, store: EventStore) -> None:
    ingest([folder], store, extractor=LineExtractor())
    (folder / "a.txt").write_text(
        article_text(
            "Serangan Stepanakert",
            "Stepanakert pada 2020-10-01 menurut armenia",
            "Martuni pada 2020-10-05 menurut armenia",
        ),
        encoding="utf-8",
    )
    report = ingest([folder], store, extractor=LineExtractor())
    assert report == IngestReport(
        read=2, changed=1, unchanged=1, events_added=1, events_updated=1, events_removed=1
    )
    assert sorted(e.place for e in store.load()) == ["Martuni", "Shusha", "Stepanakert"]


def test_bad_files_fail_one_by_one_and_the_others_go_in(tmp_path: Path, store: EventStore) -> None:
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "good.txt").write_text(article_text("Baik", "Ganja pada 2020-10-04 menurut azerbaijan"))
    big = d / "big.txt"
    with big.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    report = ingest([d], store, extractor=LineExtractor())
    assert (report.read, report.new, report.failed) == (4, 1, 3)
    reasons = dict((Path(p).name, r) for p, r in report.failures)
    assert set(reasons) == {"empty.txt", "binary.txt", "big.txt"}
    assert "limit" in reasons["big.txt"] and "20" in reasons["big.txt"]
    assert all("\n" not in r and "Traceback" not in r for r in reasons.values())


def test_file_that_disappears_mid_run_is_one_failure(folder: Path, store: EventStore) -> None:
    real = LineExtractor()

    def vanishing(path: str) -> Extraction:
        if path.endswith("a.txt"):
            Path(path).unlink()  # deleted between listing and reading
        return real(path)

    report = ingest([folder], store, extractor=vanishing)
    assert (report.new, report.failed) == (1, 1)
    assert report.failures[0][0].endswith("a.txt")


def test_a_crashing_extractor_is_reported_not_raised(folder: Path, store: EventStore) -> None:
    def broken(path: str) -> Extraction:
        if path.endswith("b.txt"):
            raise KeyError("pipeline bug\nwith two lines")
        return LineExtractor()(path)

    report = ingest([folder], store, extractor=broken)
    assert report.new == 1 and report.failed == 1
    assert "KeyError" in report.failures[0][1] and "\n" not in report.failures[0][1]


def test_same_file_name_in_two_folders_is_refused_not_overwritten(tmp_path: Path, store: EventStore) -> None:
    for sub, place in (("x", "Ganja"), ("y", "Shusha")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(
            article_text(place, f"{place} pada 2020-10-04 menurut armenia")
        )
    report = ingest([tmp_path / "x", tmp_path / "y"], store, extractor=LineExtractor())
    assert (report.new, report.failed) == (1, 1)
    assert "same file name" in report.failures[0][1]
    assert [e.place for e in store.load()] == ["Ganja"]


def test_parallel_workers_give_the_same_store_as_one_process(tmp_path: Path) -> None:
    d = tmp_path / "many"
    d.mkdir()
    places = list(COORDS)
    for i in range(24):
        claims = [
            f"{places[(i + k) % 5]} pada 2020-10-{1 + (i + k) % 28:02d} menurut armenia" for k in range(3)
        ]
        (d / f"{i:03d}.txt").write_text(article_text(f"Artikel {i}", *claims))
    (d / "broken.txt").write_bytes(b"")
    reports, dumps = [], []
    for workers in (1, 2):
        with open_store(f"sqlite:///{tmp_path}/w{workers}.sqlite") as s:
            seen: list[int] = []
            reports.append(
                ingest(
                    [d],
                    s,
                    workers=workers,
                    extractor=LineExtractor(),
                    progress=lambda done, total, path, seen=seen: seen.append(done),
                )
            )
            assert seen == list(range(26))
            dumps.append([(e.id, e.excerpts) for e in s.load()])
    assert reports[0] == reports[1]
    assert reports[0].new == 24 and reports[0].failed == 1
    assert dumps[0] == dumps[1]


def test_uploads_go_through_the_same_path(store: EventStore) -> None:
    items = [
        ("../../etc/a.txt", article_text("A", "Ganja pada 2020-10-04 menurut azerbaijan").encode()),
        ("empty.txt", b""),
        ("b.txt", article_text("B", "Shusha pada 2020-10-08 menurut independent").encode("cp1252")),
    ]
    report = ingest_texts(items, store, extractor=upload_extractor)
    assert (report.new, report.failed) == (2, 1)
    assert report.failures[0][0] == "empty.txt"
    assert {a.source for a in store.articles()} == {"a.txt", "b.txt"}
    assert ingest_texts(items[:1], store, extractor=upload_extractor).unchanged == 1


def test_report_must_add_up() -> None:
    with pytest.raises(ValueError, match="inconsistent report"):
        IngestReport(read=2, new=1)


# -- the command line ---------------------------------------------------------------------


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["ingest", *argv])


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = ingest_command.run(parse(*argv), extractor=LineExtractor())
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_summary_and_exit_status(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    status, out, err = run_cli(capsys, str(folder), "--store", url)
    assert status == 0, err
    assert "articles: 2 read, 2 new, 0 changed, 0 unchanged, 0 failed" in out
    assert "events: 3 added, 0 updated, 0 removed" in out
    (folder / "empty.txt").write_bytes(b"")
    status, out, err = run_cli(capsys, str(folder), "--store", url)
    assert status == 1
    assert "2 unchanged, 1 failed" in out
    assert err.count("\n") == 1 and re.match(r"^.*empty\.txt: .+$", err.strip())


CASES = {
    "cp1252": (
        "Kafé.txt",
        "Serangan “Ganja”\n\nSerangan di Ganja pada 2020-10-04 menurut azerbaijan.\n".encode("cp1252"),
    ),
    "latin-1": (
        "latin.txt",
        "Été à Ganja\n\nSerangan di Ganja pada 2020-10-04 menurut azerbaijan.\n".encode("latin-1"),
    ),
    "nul byte": ("nul.txt", b"Judul\n\nSerangan di Shusha pada 2020-10-08 menurut\x00 independent.\n"),
    "script in txt": (
        "script.txt",
        b"<script>alert('x')</script> judul\n\nSerangan di Tartar pada 2020-10-02 menurut armenia.\n",
    ),
    "spaces and non-ASCII name": (
        "Şuşa xəbər 27 Sentyabr.txt",
        "Şuşa\n\nSerangan di Shusha pada 2020-10-08 menurut armenia.\n".encode(),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_reads_awkward_files(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name, content = CASES[case]
    path = tmp_path / name
    path.write_bytes(content)
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    status, _out, err = run_cli(capsys, str(path), "--store", url)
    assert status == 0, err
    with open_store(url) as s:
        (record,) = s.articles()
        assert record.source == name
        assert len(s.load()) == 1, record.text
        if case == "script in txt":
            assert record.text.startswith("<script>alert('x')</script>")
        if case in ("cp1252", "latin-1"):
            assert ("“Ganja”" if case == "cp1252" else "Été à Ganja") in record.text
        assert "\x00" not in record.text


@pytest.mark.parametrize(
    ("case", "content", "reason"),
    [
        ("empty", b"", "empty"),
        ("binary", bytes(range(256)) * 8, "binary"),
        ("too big", None, "limit"),
    ],
)
def test_cli_refuses_bad_files_with_one_line(
    case: str, content: bytes | None, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad file.txt"
    if content is None:
        with path.open("wb") as f:
            f.truncate(50 * 1024 * 1024)
    else:
        path.write_bytes(content)
    status, _out, err = run_cli(capsys, str(path), "--store", f"sqlite:///{tmp_path}/s.sqlite")
    assert status == 1
    (line,) = err.strip().splitlines()
    assert line.startswith(f"{path}: ") and reason in line.lower()
    if case == "too big":
        assert "20" in line  # names the limit


def test_cli_max_bytes_option_names_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_text(article_text("A", "Ganja pada 2020-10-04 menurut azerbaijan") + "x" * 3000)
    status, _, err = run_cli(
        capsys, str(path), "--max-bytes", "2KiB", "--store", f"sqlite:///{tmp_path}/s.sqlite"
    )
    assert status == 1 and "limit" in err


def test_cli_uses_a_folders_manifest_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "with manifest"
    d.mkdir()
    (d / "a.txt").write_text(article_text("A", "Ganja pada 2020-10-04 menurut azerbaijan"))
    (d / "manifest.csv").write_text("file,outlet,title,published,language,url\na.txt,X,T,2020-10-05,id,\n")
    status, _out, err = run_cli(capsys, str(d), "--store", f"sqlite:///{tmp_path}/s.sqlite")
    assert status == 0
    assert f"using manifest {d / 'manifest.csv'}" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing-folder"], "no such file or folder"),
        (["{folder}", "--published", "05/10/2020"], "expected a date as YYYY-MM-DD"),
        (["{folder}", "--store", "mysql:///x"], "unknown scheme"),
        (["{folder}", "--manifest", "{folder}/nope.csv"], "no such manifest"),
        (["{folder}", "--workers", "0"], "at least 1"),
        (["{folder}/notes.md"], None),
    ],
)
def test_cli_usage_errors_exit_2(
    argv: list[str],
    message: str | None,
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    args = [a.format(folder=folder) for a in argv]
    if "--store" not in args:
        args += ["--store", f"sqlite:///{tmp_path}/s.sqlite"]
    try:
        status = ingest_command.run(parse(*args), extractor=LineExtractor())
    except SystemExit as exc:  # argparse's own usage errors
        status = exc.code
    _, err = capsys.readouterr()
    if message is None:  # a named file with an unsupported suffix is read and refused: exit 1
        assert status == 1 and "unsupported file type" in err
    else:
        assert status == 2 and message in err


def test_article_error_carries_path_and_reason() -> None:
    exc = ArticleError("x.txt", "empty")
    assert (exc.path, exc.reason) == ("x.txt", "empty")


class CountingExtractor(LineExtractor):
    """Counts the files it really extracted (in this process: use workers=1)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def __call__(self, path: str) -> Extraction:
        self.calls.append(Path(path).name)
        return super().__call__(path)


def test_unchanged_files_are_not_extracted_again(folder: Path, store: EventStore) -> None:
    first = CountingExtractor()
    ingest([folder], store, extractor=first, workers=1)
    assert sorted(first.calls) == ["a.txt", "b.txt"]
    again = CountingExtractor()
    assert ingest([folder], store, extractor=again, workers=1) == IngestReport(read=2, unchanged=2)
    assert again.calls == []
    (folder / "a.txt").write_text(article_text("Baru", "Ganja pada 2020-10-04 menurut azerbaijan"))
    third = CountingExtractor()
    assert ingest([folder], store, extractor=third, workers=1).changed == 1
    assert third.calls == ["a.txt"]


def test_new_options_mean_extracting_again(folder: Path, store: EventStore) -> None:
    ingest([folder], store, extractor=CountingExtractor(), workers=1)
    other_day = CountingExtractor()
    ingest([folder], store, extractor=other_day, workers=1, published=date(2020, 10, 5))
    assert sorted(other_day.calls) == ["a.txt", "b.txt"]  # the extraction may depend on the date


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("20000000", 20_000_000),
        ("20MB", 20_000_000),
        ("20 MiB", 20 * 1024**2),
        ("512KiB", 512 * 1024),
        ("1.5G", 1_500_000_000),
        ("100b", 100),
    ],
)
def test_max_bytes_accepts_units(text: str, size: int) -> None:
    assert ingest_command.byte_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-5", "0", "20 TB"])
def test_max_bytes_refuses_nonsense(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="size"):
        ingest_command.byte_size(text)


class UpgradedExtractor(LineExtractor):
    """A 'newer pipeline': same articles, one event fewer for articles with two or more."""

    def __call__(self, path: str) -> Extraction:
        ex = super().__call__(path)
        return Extraction(ex.article, ex.events[:1])


def test_reextract_applies_a_newer_pipeline_to_unchanged_files(folder: Path, store: EventStore) -> None:
    ingest([folder], store, extractor=LineExtractor(), workers=1)
    assert len(store.load()) == 3
    plain = ingest([folder], store, extractor=UpgradedExtractor(), workers=1)
    # same texts: nothing rewritten; b.txt's one event is what the new pipeline makes too, so it is
    # the new pipeline's now, while a.txt keeps events the new one would not make and says so
    assert plain == IngestReport(read=2, unchanged=2, outdated=("a.txt",), outdated_in_store=1)
    assert "older pipeline: 1 of these articles (1 in the store)" in plain.summary()
    again = ingest([folder], store, extractor=UpgradedExtractor(), workers=1, reextract=True)
    assert again == IngestReport(read=2, changed=1, unchanged=1, events_updated=1, events_removed=1)
    assert len(store.load()) == 2
    assert "older pipeline" not in again.summary()


def test_cli_reextract_flag(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/re.sqlite"
    assert ingest_command.run(parse(str(folder), "--store", url), extractor=LineExtractor()) == 0
    status = ingest_command.run(
        parse(str(folder), "--store", url, "--reextract"), extractor=UpgradedExtractor()
    )
    assert status == 0
    assert "1 changed, 1 unchanged" in capsys.readouterr().out


# -- one name, two files: evidence is never replaced silently -----------------------------


def two_index_files(tmp_path: Path) -> tuple[Path, Path]:
    """x/index.html and y/index.html (as scraped sites name every page), with other text."""
    paths = []
    claims = {"x": "Ganja pada 2020-10-04 menurut azerbaijan", "y": "Shusha pada 2020-10-08 menurut armenia"}
    for sub, claim in claims.items():
        (tmp_path / sub).mkdir()
        path = tmp_path / sub / "index.txt"
        path.write_text(article_text(f"Halaman {sub}", claim))
        paths.append(path)
    return paths[0], paths[1]


def test_cli_same_name_from_another_folder_in_a_later_run_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    x, y = two_index_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path}/s.sqlite"
    assert run_cli(capsys, "x/index.txt", "--store", url)[0] == 0
    with open_store(url) as s:
        before = (s.version(), [(e.id, e.place) for e in s.load()], s.articles())
    status, out, err = run_cli(capsys, "y/index.txt", "--store", url)
    assert status == 1
    assert "0 new, 0 changed, 0 unchanged, 1 failed" in out
    (line,) = err.strip().splitlines()
    assert line == (
        f"y/index.txt: index.txt is already stored from {x}, with other text: articles are keyed by "
        "file name, so rename it, or `mapapp forget index.txt` first to replace it"
    )
    with open_store(url) as s:
        assert (s.version(), [(e.id, e.place) for e in s.load()], s.articles()) == before
        assert [e.place for e in s.load()] == ["Ganja"]
    # what the message says to do works
    assert main(["forget", "--store", url, "index.txt"]) == 0
    assert run_cli(capsys, "y/index.txt", "--store", url)[0] == 0
    with open_store(url) as s:
        assert [e.place for e in s.load()] == ["Shusha"]
        assert s.article("index.txt").path == str(y)


def test_the_same_file_with_new_text_still_replaces_its_events_and_its_path_is_stored_resolved(
    tmp_path: Path, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, _ = two_index_files(tmp_path)
    monkeypatch.chdir(tmp_path / "y")
    assert ingest(["../x/index.txt"], store, extractor=LineExtractor()).new == 1
    assert store.article("index.txt").path == str(x)  # absolute, not as written
    x.write_text(article_text("Baru", "Tartar pada 2020-10-02 menurut armenia"))
    monkeypatch.chdir(tmp_path)
    report = ingest([Path("x")], store, extractor=LineExtractor())  # same file, written another way
    assert report == IngestReport(read=1, changed=1, events_added=1, events_removed=1)
    assert [e.place for e in store.load()] == ["Tartar"]


def test_the_same_text_from_another_folder_is_unchanged(tmp_path: Path, store: EventStore) -> None:
    x, y = two_index_files(tmp_path)
    ingest([x], store, extractor=LineExtractor())
    y.write_bytes(x.read_bytes())
    assert ingest([y], store, extractor=LineExtractor()) == IngestReport(read=1, unchanged=1)
    assert store.article("index.txt").path == str(x)


def test_an_upload_never_replaces_a_files_article(tmp_path: Path, store: EventStore) -> None:
    x, y = two_index_files(tmp_path)
    ingest([x], store, extractor=LineExtractor())
    version = store.version()
    report = ingest_texts([("index.txt", y.read_bytes())], store, extractor=upload_extractor)
    assert (report.read, report.failed) == (1, 1)
    (path, reason), = report.failures
    assert path == "upload:index.txt"
    assert f"already stored from {x}" in reason and "`mapapp forget index.txt`" in reason
    assert store.version() == version and [e.place for e in store.load()] == ["Ganja"]
    # uploads have no path: an upload still replaces an earlier upload of its name
    first = article_text("A", "Ganja pada 2020-10-04 menurut azerbaijan").encode()
    second = article_text("B", "Shusha pada 2020-10-08 menurut independent").encode()
    assert ingest_texts([("up.txt", first)], store, extractor=upload_extractor).new == 1
    assert ingest_texts([("up.txt", second)], store, extractor=upload_extractor).changed == 1
    assert store.article("up.txt").path == ""


# -- links to nothing ----------------------------------------------------------------------


def test_cli_reports_a_broken_link_in_a_folder(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "moved away.txt"
    (folder / "sub" / "link.txt").symlink_to(target)
    (folder / "link-to-notes").symlink_to(tmp_path / "gone")  # not an article by its name: ignored
    status, out, err = run_cli(capsys, str(folder), "--store", f"sqlite:///{tmp_path}/s.sqlite")
    assert status == 1
    assert "articles: 3 read, 2 new, 0 changed, 0 unchanged, 1 failed" in out
    assert err.strip().splitlines() == [f"{folder / 'sub' / 'link.txt'}: broken link to {target}"]


def test_cli_names_a_broken_link_given_as_a_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("nowhere.txt")
    status, _, err = run_cli(capsys, str(link), "--store", f"sqlite:///{tmp_path}/s.sqlite")
    assert status == 2 and f"{link}: broken link to nowhere.txt" in err


# -- pathological text: refused by length, not minutes of work --------------------------------

REPEATED = "Drone menyerang Tartar pada Senin (5/10), kata Kemenhan Azerbaijan. "


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_cli_refuses_an_article_text_over_max_chars(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "repeated.txt"
    path.write_text(REPEATED * (DEFAULT_MAX_CHARS // len(REPEATED) + 1))  # just over the default
    n = len(read_document(path).text)  # as read: the trailing space trimmed
    store = ["--store", f"sqlite:///{tmp_path}/s.sqlite"] if command == "ingest" else []
    assert main([command, str(path), "--published", "2020-10-06", *store]) == 1
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line == (
        f"{path}: the article's text is {n:,} characters, over the 300,000 limit (--max-chars 300000): "
        "split it or raise the limit"
    )
    small = tmp_path / "small.txt"
    small.write_text(REPEATED * 20)
    assert main([command, str(small), "--published", "2020-10-06", "--max-chars", "1000", *store]) == 1
    assert "over the 1,000 limit (--max-chars 1000)" in capsys.readouterr().err
    assert main([command, str(small), "--published", "2020-10-06", "--max-chars", "5000", *store]) == 0
