"""The curated data as the build must treat it: present or a clear error, points inside their
country, populations corrected with a cited source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gazetteer import Gazetteer, GazetteerDataError, GazetteerError, MissingDataError, load_gazetteer
from gazetteer.build import (
    CURATED_FILES,
    apply_populations,
    cache_path,
    country_boxes,
    curated_files,
    data_dir,
    fingerprint,
)
from gazetteer.table import (
    PLACE_COLUMNS,
    POPULATION_COLUMNS,
    PlaceRow,
    check_countries,
    check_points,
    read_places,
    read_populations,
)
from mapapp.cli import main

REPO = Path(__file__).resolve().parents[1]
PLACE_HEADER = ",".join(PLACE_COLUMNS)
POPULATION_HEADER = ",".join(POPULATION_COLUMNS)
GOOD_PLACE = 'curated:talish,Talish,40.38139,46.74083,AZ,Tartar,PPL,0,Tonashen,"Wikipedia: Talish, Tartar"'


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


def _curated(folder: Path, *, places: str = "", populations: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "places.csv").write_text(f"{PLACE_HEADER}\n{places}\n", encoding="utf-8")
    (folder / "aliases.csv").write_text("alias,place_id,lang,source\n", encoding="utf-8")
    (folder / "populations.csv").write_text(f"{POPULATION_HEADER}\n{populations}\n", encoding="utf-8")
    return folder


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTEER_", "PYTHON"))}
    return {**env, **extra}


# -- 1. a missing curated folder or file is an error that says what to do ---------------------

# (what is missing, the path the message must start with, relative to the curated folder)
MISSING = [("the folder", "."), *((name, name) for name in CURATED_FILES)]


@pytest.mark.parametrize(("what", "named"), MISSING, ids=[w for w, _ in MISSING])
def test_a_missing_curated_folder_or_file_is_an_error_naming_it(
    tmp_path: Path, what: str, named: str
) -> None:
    folder = _curated(tmp_path / "curated")
    if named == ".":
        shutil.rmtree(folder)
    else:
        (folder / named).unlink()
    expected = folder if named == "." else folder / named
    for call in (curated_files, fingerprint):
        with pytest.raises(MissingDataError) as caught:
            call(folder)
        message = str(caught.value)
        assert message.startswith(f"{expected}: "), message
        assert "reinstall mapapp" in message and "GAZETTEER_DATA_DIR" in message
        assert caught.value.path == str(expected)
        assert isinstance(caught.value, GazetteerError) and isinstance(caught.value, FileNotFoundError)


def test_the_shipped_folder_has_every_curated_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GAZETTEER_DATA_DIR", raising=False)
    assert set(curated_files()) == set(CURATED_FILES)
    assert data_dir() == REPO / "gazetteer" / "data"


def _site_copy(tmp_path: Path, *ignored: str) -> Path:
    """The gazetteer package copied on its own, as a non-editable install leaves it."""
    site = tmp_path / "site-packages"
    ignore = shutil.ignore_patterns("__pycache__", *ignored)
    shutil.copytree(REPO / "gazetteer", site / "gazetteer", ignore=ignore)
    return site


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    return _site_copy(tmp_path)


@pytest.fixture
def broken_copy(tmp_path: Path) -> Path:
    """An installed copy that lost its data/ folder."""
    return _site_copy(tmp_path, "data")


# (command run inside the copy, exit status expected)
NON_EDITABLE = [
    (["-m", "gazetteer.build"], 1),
    (["-c", "from gazetteer import load_gazetteer; load_gazetteer()"], 1),
    (["-m", "mapapp.cli", "geocode", "Tonashen"], 2),
]


@pytest.mark.parametrize(("command", "status"), NON_EDITABLE, ids=[" ".join(c[:2]) for c, _ in NON_EDITABLE])
def test_an_install_without_its_data_fails_instead_of_building_without_the_curated_places(
    broken_copy: Path, command: list[str], status: int
) -> None:
    cache = broken_copy.parent / "cache"
    done = subprocess.run(
        [sys.executable, *command],
        cwd=broken_copy.parent,
        env=_env(PYTHONPATH=str(broken_copy), GAZETTEER_CACHE_DIR=str(cache)),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == status, done.stderr
    assert f"{broken_copy / 'gazetteer' / 'data'}: " in done.stderr  # the copy's own, not the repo's
    assert "reinstall mapapp" in done.stderr and "GAZETTEER_DATA_DIR" in done.stderr
    if command[0] == "-m":  # the commands say it in a line; a bare call raises MissingDataError
        assert "Traceback" not in done.stderr
    assert not cache.exists()


INSPECT = "import gazetteer.build as b; print(b.__file__); print(b.data_dir()); print(b.cache_path())"


def test_an_installed_copy_reads_its_own_data_and_caches_in_the_users_cache_folder(
    site_copy: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", INSPECT],
        cwd=site_copy.parent,
        env=_env(PYTHONPATH=str(site_copy), XDG_CACHE_HOME=str(tmp_path / "xdg")),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    module, folder, cache = done.stdout.splitlines()
    assert module.startswith(str(site_copy))
    assert folder == str(site_copy / "gazetteer" / "data")
    assert cache == str(tmp_path / "xdg" / "mapapp" / "gazetteer" / "gazetteer.pickle")


def test_a_checkout_caches_in_its_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GAZETTEER_CACHE_DIR", raising=False)
    assert cache_path() == REPO / "data" / "cache" / "gazetteer.pickle"


def test_an_installed_copy_reads_the_folder_gazetteer_data_dir_names(site_copy: Path, tmp_path: Path) -> None:
    folder = _curated(tmp_path / "elsewhere", places=GOOD_PLACE)
    done = subprocess.run(
        [sys.executable, "-c", INSPECT],
        cwd=site_copy.parent,
        env=_env(PYTHONPATH=str(site_copy), GAZETTEER_DATA_DIR=str(folder)),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.splitlines()[1] == str(folder)


def test_gazetteer_data_dir_naming_no_folder_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAZETTEER_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(MissingDataError, match=r"GAZETTEER_DATA_DIR='.*nowhere' names no folder"):
        curated_files()


# -- 4. a curated point must lie in its country; a country code must be known -------------------

# (row after the header, words the message must contain)
BAD_POINTS = [
    ('curated:x,X,46.0,40.5,AZ,,PPL,0,,"W"', "point (46.0, 40.5) lies outside AZ"),
    ('curated:x,X,46.0,40.5,AZ,,PPL,0,,"W"', "lat/lon swapped? (40.5, 46.0) lies inside"),
    ('curated:x,X,39.8,46.7,XX,,PPL,0,,"W"', "unknown country code 'XX': expected an ISO 3166 alpha-2 code"),
    ('curated:x,X,10.0,10.0,AM,,PPL,0,,"W"', "lies outside AM"),
    ('curated:x,X,39.8,46.7,RU,,PPL,0,,"W"', "lies outside RU"),
    ('curated:x,X,-39.8,46.7,AZ,,PPL,0,,"W"', "check the coordinates against the source"),
]


def _check(path: Path, gz: Gazetteer) -> None:
    rows = read_places(path)
    check_countries(rows, {p.country for p in gz if p.is_country}, path)
    check_points(rows, country_boxes(p for p in gz if not p.id.startswith("curated:")), path)


@pytest.mark.parametrize(("row", "message"), BAD_POINTS, ids=[m[:30] for _, m in BAD_POINTS])
def test_a_point_outside_its_country_or_an_unknown_country_fails_with_file_and_line(
    tmp_path: Path, gz: Gazetteer, row: str, message: str
) -> None:
    path = tmp_path / "places.csv"
    path.write_text(f"{PLACE_HEADER}\n{GOOD_PLACE}\n{row}\n", encoding="utf-8")
    with pytest.raises(GazetteerDataError) as caught:
        _check(path, gz)
    assert str(caught.value).startswith(f"{path}:3: ")
    assert message in str(caught.value)


def test_a_point_off_its_country_that_swapping_would_not_fix_does_not_say_swapped(
    tmp_path: Path, gz: Gazetteer
) -> None:
    path = tmp_path / "places.csv"
    path.write_text(f'{PLACE_HEADER}\ncurated:x,X,10.0,10.0,AM,,PPL,0,,"W"\n', encoding="utf-8")
    with pytest.raises(GazetteerDataError) as caught:
        _check(path, gz)
    assert "swapped" not in str(caught.value)


def test_the_shipped_places_lie_inside_their_countries(gz: Gazetteer) -> None:
    _check(data_dir() / "places.csv", gz)


# (row, the line that fails, words the message must contain): the full build, as `make prepare` runs it
BUILD_FAILURES = [
    ('curated:x,X,39.8,46.7,XX,,PPL,0,,"W"', 3, "unknown country code 'XX'"),
    ('curated:x,X,46.0,40.5,AZ,,PPL,0,,"W"', 3, "lat/lon swapped?"),
]


@pytest.mark.parametrize(("row", "line", "message"), BUILD_FAILURES, ids=["unknown-country", "swapped"])
def test_the_build_fails_on_a_point_outside_its_country(
    tmp_path: Path, row: str, line: int, message: str
) -> None:
    folder = _curated(tmp_path / "curated", places=f"{GOOD_PLACE}\n{row}")
    done = subprocess.run(
        [sys.executable, "-m", "gazetteer.build"],
        env=_env(GAZETTEER_DATA_DIR=str(folder), GAZETTEER_CACHE_DIR=str(tmp_path / "cache")),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 1
    assert f"error: {folder / 'places.csv'}:{line}: " in done.stderr
    assert message in done.stderr
    assert not (tmp_path / "cache").exists()


# -- 5. populations.csv corrects package populations, every row with its source -----------------

BAD_POPULATIONS = [
    ('146970,55200,2015,"W"', "expected place_id of a package place like 'geonames:146970'"),
    ('curated:talish,500,2015,"W"', "curated places carry their population in places.csv"),
    ('geonames:146970,many,2015,"W"', "expected population as a whole number, got 'many'"),
    ('geonames:146970,0,2015,"W"', "expected population > 0, got 0"),
    ('geonames:146970,55200,15,"W"', "expected year in [1800, 2100], got 15"),
    ('geonames:146970,55200,recent,"W"', "expected year as four digits like 2015, got 'recent'"),
    ("geonames:146970,55200,2015,", "missing source"),
    ('geonames:146970,1,2015,"W"\ngeonames:146970,2,2015,"W"', "duplicate place_id 'geonames:146970'"),
]


@pytest.mark.parametrize(("rows", "message"), BAD_POPULATIONS, ids=[m[:30] for _, m in BAD_POPULATIONS])
def test_malformed_population_rows_fail_with_file_and_line(tmp_path: Path, rows: str, message: str) -> None:
    path = tmp_path / "populations.csv"
    path.write_text(f"{POPULATION_HEADER}\n{rows}\n", encoding="utf-8")
    with pytest.raises(GazetteerDataError, match=r"populations.csv:\d: ") as caught:
        read_populations(path)
    assert message in str(caught.value)


def test_a_population_for_an_unknown_place_fails_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "populations.csv"
    path.write_text(f'{POPULATION_HEADER}\ngeonames:1,10,2015,"W"\n', encoding="utf-8")
    rows = read_populations(path)
    assert apply_populations({}, rows, path, final=False) == rows  # left for the regions and countries
    with pytest.raises(GazetteerDataError, match=r"populations.csv:2: unknown place_id 'geonames:1'"):
        apply_populations({}, rows, path)


# (name, expected place id, population): NKR 2015 census figures, via Wikipedia
POPULATIONS = [
    ("Stepanakert", "geonames:146970", 55_200),
    ("Martakert", "rg:AZ:martakert", 4_600),
    ("Hadrut", "rg:AZ:hadrut", 3_000),
]


@pytest.mark.parametrize(("name", "place_id", "population"), POPULATIONS, ids=[n for n, _, _ in POPULATIONS])
def test_corrected_populations_reach_the_gazetteer_with_their_source(
    gz: Gazetteer, capsys: pytest.CaptureFixture[str], name: str, place_id: str, population: int
) -> None:
    place = gz.resolve(name).place
    assert (place.id, place.population) == (place_id, population)
    assert f"population {population:,} (2015): NKR 2015 census, via Wikipedia" in place.source
    assert main(["geocode", name]) == 0
    assert f"population  {population:,}\n" in capsys.readouterr().out


def test_every_shipped_population_row_is_valid_and_sourced() -> None:
    rows = read_populations(data_dir() / "populations.csv")
    assert {row.place_id for row in rows} >= {place_id for _, place_id, _ in POPULATIONS}
    assert all(row.source for row in rows)


def test_a_country_without_package_places_is_not_checked() -> None:
    row = PlaceRow(2, "curated:x", "X", 40.0, 46.0, "AZ", "", "PPL", 0, (), "W")
    check_points([row], {}, Path("places.csv"))  # no box to check against: no error
