"""Curated-data validation (file:line messages), the cache and its fingerprint, the build command."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from gazetteer import GazetteerDataError, Place
from gazetteer.build import Compiled, _read, _write, apply_aliases, cache_path, fingerprint, load_compiled
from gazetteer.table import ALIAS_COLUMNS, PLACE_COLUMNS, POPULATION_COLUMNS, read_aliases, read_places

PLACE_HEADER = ",".join(PLACE_COLUMNS)
ALIAS_HEADER = ",".join(ALIAS_COLUMNS)
POPULATION_HEADER = ",".join(POPULATION_COLUMNS)
GOOD_PLACE = 'curated:talish,Talish,40.38139,46.74083,AZ,Tartar,PPL,0,Tonashen,"Wikipedia: Talish, Tartar"'


def _curated(folder: Path, *, places: str = "", aliases: str = "", populations: str = "") -> Path:
    """A curated data folder with every expected file (header, then the given rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, header, rows in (
        ("places.csv", PLACE_HEADER, places),
        ("aliases.csv", ALIAS_HEADER, aliases),
        ("populations.csv", POPULATION_HEADER, populations),
    ):
        (folder / name).write_text(f"{header}\n{rows}\n" if rows else f"{header}\n", encoding="utf-8")
    return folder


# (rows after the header, the line that fails, words the message must contain)
BAD_PLACES = [
    ('curated:x,X,146.7,46.7,AZ,,PPL,0,,"Wikipedia: X"', 3, "expected lat in [-90, 90], got '146.7'"),
    ('curated:x,X,39.8,north,AZ,,PPL,0,,"Wikipedia: X"', 3, "expected lon as a decimal number, got 'north'"),
    ("curated:x,X,39.8,46.7,AZ,,PPL,0,,", 3, "missing source: expected a GeoNames id or a cited reference"),
    ('curated:x,X,39.8,46.7,Azerbaijan,,PPL,0,,"W"', 3, "expected country as an ISO 3166 alpha-2 code"),
    ('curated:x,X,39.8,46.7,AZ,,town,0,,"W"', 3, "unknown kind 'town': expected one of PPL"),
    ('curated:x,X,39.8,46.7,AZ,,PPL,many,,"W"', 3, "expected population as a whole number, got 'many'"),
    ('talish,X,39.8,46.7,AZ,,PPL,0,,"W"', 3, "expected id as 'curated:<lowercase-slug>', got 'talish'"),
    ("curated:x,X,39.8,46.7", 3, "expected 10 fields"),
    (GOOD_PLACE.replace("Talish,", "Talish2,", 1), 3, "duplicate id 'curated:talish' (first on line 2)"),
]


@pytest.mark.parametrize(
    ("row", "line", "message"), BAD_PLACES, ids=[m.split(":")[0][:40] for _, _, m in BAD_PLACES]
)
def test_malformed_place_rows_fail_with_file_and_line(
    tmp_path: Path, row: str, line: int, message: str
) -> None:
    path = tmp_path / "places.csv"
    path.write_text(f"{PLACE_HEADER}\n{GOOD_PLACE}\n{row}\n", encoding="utf-8")
    with pytest.raises(GazetteerDataError) as caught:
        read_places(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)
    assert caught.value.line == line and caught.value.path == str(path)
    assert isinstance(caught.value, ValueError)


def test_a_wrong_header_names_the_expected_one(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text("# comment\nid,name,lat,lon\n", encoding="utf-8")
    with pytest.raises(
        GazetteerDataError, match=rf"places.csv:2: expected the header {PLACE_HEADER}, got id,name"
    ):
        read_places(path)


def test_comment_lines_are_skipped_and_line_numbers_kept(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(f"# about\n{PLACE_HEADER}\n# more\n{GOOD_PLACE}\n", encoding="utf-8")
    (row,) = read_places(path)
    assert (row.line, row.id, row.lat, row.names) == (4, "curated:talish", 40.38139, ("Tonashen",))


BAD_ALIASES = [
    ("Berdzor,147625,hy,W", "expected place_id like 'geonames:146970'"),
    (",geonames:147625,hy,W", "missing alias"),
    ("Berdzor,geonames:147625,Armenian,W", "expected lang as an ISO 639 code"),
    ("Berdzor,geonames:147625,hy,", "missing source"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ALIASES, ids=[m[:30] for _, m in BAD_ALIASES])
def test_malformed_alias_rows_fail_with_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(f"{ALIAS_HEADER}\n{row}\n", encoding="utf-8")
    with pytest.raises(GazetteerDataError, match=rf"aliases.csv:2: .*{message}"):
        read_aliases(path)


def test_an_alias_to_an_unknown_place_fails_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(f"{ALIAS_HEADER}\nBerdzor,geonames:1,hy,W\n", encoding="utf-8")
    with pytest.raises(
        GazetteerDataError, match=r"aliases.csv:2: unknown place_id 'geonames:1' for alias 'Berdzor'"
    ):
        apply_aliases({}, read_aliases(path), path)


def test_the_shipped_curated_files_are_valid() -> None:
    data = Path(__file__).resolve().parents[1] / "gazetteer" / "data"
    places = read_places(data / "places.csv")
    aliases = read_aliases(data / "aliases.csv")
    assert len(places) >= 8 and len(aliases) >= 300
    assert all(p.source for p in places) and all(a.source for a in aliases)


def test_a_malformed_curated_file_fails_the_build_fast(tmp_path: Path) -> None:
    _curated(tmp_path, places="curated:x,X,146.7,46.7,AZ,,PPL,0,,W")
    env = {"GAZETTEER_DATA_DIR": str(tmp_path), "GAZETTEER_CACHE_DIR": str(tmp_path / "cache"), "PATH": ""}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "gazetteer.build"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert f"{tmp_path / 'places.csv'}:2: expected lat in [-90, 90], got '146.7'" in done.stderr
    assert time.perf_counter() - started < 5
    assert not (tmp_path / "cache").exists()


def test_the_fingerprint_follows_the_curated_files(tmp_path: Path) -> None:
    _curated(tmp_path, places=GOOD_PLACE)
    before = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == before
    (tmp_path / "places.csv").write_text(
        f"{PLACE_HEADER}\n{GOOD_PLACE.replace('40.38139', '40.38')}\n", encoding="utf-8"
    )
    assert fingerprint(tmp_path) != before


def test_the_cache_is_read_back_only_under_its_fingerprint(tmp_path: Path) -> None:
    place = Place("curated:x", "X", 39.8, 46.7, "AZ", "", "PPL", 0, "test", ("X",))
    path = tmp_path / "gazetteer.pickle"
    _write(Compiled("abc", (place,), {"x": (0,)}), path)
    again = _read(path, "abc")
    assert again is not None and again.places == (place,) and again.index == {"x": (0,)}
    assert _read(path, "other") is None
    path.write_bytes(b"not a pickle")
    assert _read(path, "abc") is None


def test_prepare_is_a_fast_no_op_when_up_to_date() -> None:
    load_compiled()
    assert cache_path().exists()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "gazetteer.build"], capture_output=True, text=True, check=True, timeout=60
    )
    elapsed = time.perf_counter() - started
    assert "up to date" in done.stdout
    assert elapsed < 2.0, elapsed


def test_the_compiled_gazetteer_loads_in_under_a_second() -> None:
    load_compiled()
    script = (
        "import time; t = time.perf_counter(); from gazetteer import load_gazetteer; "
        "gz = load_gazetteer(); print(time.perf_counter() - t, len(gz))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    seconds, count = done.stdout.split()
    assert float(seconds) < 1.0
    assert int(count) > 30_000


def test_the_gazetteer_imports_neither_pandas_nor_streamlit() -> None:
    script = (
        "import sys; import gazetteer, gazetteer.geocoder, gazetteer.build; "
        "gazetteer.load_gazetteer().resolve('Stepanakert'); "
        "print(sorted(m for m in ('pandas', 'streamlit', 'geopandas') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
