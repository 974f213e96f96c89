"""The manifest CSV: rows keyed by file name, and errors that name the file, line and fix."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mapapp.errors import ManifestError
from mapapp.manifest import COLUMNS, ManifestRow, load_manifest, parse_manifest

SEEDS = Path(__file__).parent.parent / "seeds"
HEADER = "file,outlet,title,published,language,url\n"


def test_seed_manifest_loads() -> None:
    rows = load_manifest(SEEDS / "manifest.csv")
    assert len(rows) == 5
    row = rows["004_57a5f8c875698f1e.txt"]
    assert row == ManifestRow(
        file="004_57a5f8c875698f1e.txt",
        outlet="Serambinews.com",
        title="Perang Armenia dan Azerbaijan Terus Berlanjut, Rusia Tawarkan Jadi Tuan Rumah "
        "Pembicaraan Damai",
        published=date(2020, 10, 1),
        language="id",
        url="",
    )
    assert {r.published for r in rows.values()} >= {date(2020, 9, 30), date(2020, 10, 23)}


def test_bom_blank_cells_blank_lines_and_column_order(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("\ufefflanguage,file,published\n\nen,a b.txt,\nid,c.html,2020-10-04\n", encoding="utf-8")
    rows = load_manifest(path)
    assert rows["a b.txt"] == ManifestRow(file="a b.txt", language="en")
    assert rows["c.html"].published == date(2020, 10, 4)


def test_a_path_in_the_file_column_is_reduced_to_its_name() -> None:
    rows = parse_manifest(HEADER + "seeds/000.txt,Suara,T,2020-10-23,id,\n")
    assert list(rows) == ["000.txt"]


# (id, csv text, line, words the reason must contain)
MALFORMED = [
    ("bad-date", HEADER + "a.txt,Kompas,T,30-09-2020,id,\n", 2, "expected YYYY-MM-DD, got '30-09-2020'"),
    ("impossible-date", HEADER + "a.txt,Kompas,T,2020-02-30,id,\n", 2, "got '2020-02-30'"),
    ("short-date", HEADER + "a.txt,Kompas,T,2020-9-30,id,\n", 2, "expected YYYY-MM-DD"),
    (
        "missing-file-column",
        "outlet,title,published\nKompas,T,2020-09-30\n",
        1,
        "missing column file: expected columns file, outlet, title, published, language, url",
    ),
    ("unknown-column", "file,outlet,date\na.txt,K,2020-09-30\n", 1, "unknown column 'date'"),
    ("empty-file-cell", HEADER + ",Kompas,T,2020-09-30,id,\n", 2, "empty 'file' cell"),
    ("unknown-language", HEADER + "a.txt,Kompas,T,2020-09-30,ru,\n", 2, "expected language one of id, en"),
    ("too-few-cells", HEADER + "a.txt,Kompas\n", 2, "expected 6 cells"),
    (
        "duplicate-file",
        HEADER + "a.txt,K,T,,id,\nb.txt,K,T,,id,\na.txt,K,T,,id,\n",
        4,
        "'a.txt' is listed twice",
    ),
    ("empty-manifest", "", 1, "empty manifest"),
]


@pytest.mark.parametrize(("text", "line", "reason"), [pytest.param(*row[1:], id=row[0]) for row in MALFORMED])
def test_malformed_manifests(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="no such manifest file"):
        load_manifest(tmp_path / "none.csv")


def test_non_utf8_manifest_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(HEADER.encode() + "a.txt,Caf\u00e9,T,,id,\n".encode("cp1252"))
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    assert caught.value.line == 2
    assert "UTF-8" in caught.value.reason


def test_columns_match_the_seed_manifest_header() -> None:
    header = (SEEDS / "manifest.csv").read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == COLUMNS
