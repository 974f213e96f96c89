"""What an install needs, checked without installing: every import declared, a missing package one line,
the map's assets put in place (or a one-line reason). Installing for real is tests/test_install.py."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp.app import assets, loaders
from mapapp.app.assets import AssetError, ensure_assets, missing_assets
from tests.test_app import APP, fill

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tests" / "corpus" / "c10_sindonews.html"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(specs: list[str]) -> set[str]:
    return {_normalised(re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0]) for spec in specs}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return _names(project["dependencies"])


# modules that only an optional feature imports, lazily, and the extra that declares them
EXTRA_ONLY = {"distributed": "dask", "dask": "dask"}


def declared_in_extra(extra: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return _names(project["optional-dependencies"][extra])


def third_party_imports() -> dict[str, set[str]]:
    """Top-level module -> files importing it, for every import (lazy ones too) in mapapp/ and gazetteer/."""
    found: dict[str, set[str]] = {}
    for path in sorted([*ROOT.joinpath("mapapp").rglob("*.py"), *ROOT.joinpath("gazetteer").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("mapapp", "gazetteer"):
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_package_the_code_imports_is_declared() -> None:
    distributions = importlib.metadata.packages_distributions()
    undeclared = {}
    for module, files in third_party_imports().items():
        names = {_normalised(d) for d in distributions.get(module, [module])}
        wanted = declared_in_extra(EXTRA_ONLY[module]) if module in EXTRA_ONLY else declared()
        if not names & wanted:
            undeclared[module] = sorted(files)
    assert undeclared == {}, f"imported but not in pyproject.toml's dependencies: {undeclared}"


def test_what_the_code_reads_from_other_packages_and_imports_through_them_is_declared() -> None:
    from gazetteer.sources import PACKAGES

    wanted = declared()
    # the gazetteer reads GeoNames files out of these; trafilatura's jusText imports lxml.html.clean,
    # whose code lives in lxml_html_clean (pips before 23.3 drop jusText's lxml[html_clean] extra)
    for name in (*PACKAGES, "lxml_html_clean", "XStatic-Leaflet", "platformdirs"):
        assert _normalised(name) in wanted, name
    import justext.core

    assert "lxml.html.clean" in Path(justext.core.__file__).read_text(encoding="utf-8")


# -- reading HTML without a package it needs: one line naming the file and the package ------------

# lxml_html_clean blocked as pip leaves it out: lxml then raises "lxml.html.clean module is now a
# separate project lxml_html_clean" from inside trafilatura's import
WITHOUT_CLEAN = (
    "import sys; sys.modules['lxml_html_clean'] = None; from mapapp.cli import main; sys.exit(main())"
)
WITHOUT = {
    "lxml_html_clean": WITHOUT_CLEAN,
    "trafilatura": WITHOUT_CLEAN.replace("'lxml_html_clean'", "'trafilatura'"),
}
COMMANDS = {"extract": ["extract", str(PAGE)], "ingest": ["ingest", str(PAGE), "--store", "sqlite:///{tmp}/e.sqlite"]}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("package", sorted(WITHOUT))
def test_a_package_missing_for_html_is_one_line_naming_the_file_and_the_package(
    tmp_path: Path, command: str, package: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[command]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT[package], *args], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "cannot read HTML" in line]
    assert line == (
        f"{PAGE}: cannot read HTML: the Python package {package} is not installed; "
        f"run `pip install {package}`, or reinstall mapapp to get every package it declares"
    )


# -- the map's assets: copied once, cheap when there, one line when they cannot be -----------------


def test_assets_are_copied_once_then_left_alone(tmp_path: Path) -> None:
    written = ensure_assets(tmp_path / "vendor")
    assert sorted(p.relative_to(tmp_path / "vendor").as_posix() for p in written) == sorted(
        a.target for a in assets.assets()
    )
    assert "leaflet/leaflet.js" in {a.target for a in assets.assets()}
    assert ensure_assets(tmp_path / "vendor") == [] and missing_assets(tmp_path / "vendor") == []
    (tmp_path / "vendor" / "leaflet" / "leaflet.js").write_text("broken")
    assert [p.name for p in ensure_assets(tmp_path / "vendor")] == ["leaflet.js"]


def test_assets_that_cannot_be_written_are_one_line_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where the folder should be")
    with pytest.raises(AssetError) as caught:
        ensure_assets(tmp_path / "blocker" / "vendor")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'blocker' / 'vendor' / 'leaflet'}/")
    assert "cannot copy the map's XStatic-Leaflet file there" in message


@pytest.fixture
def app_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/events.sqlite"
    fill(url)
    monkeypatch.setenv("MAPAPP_STORE", url)
    loaders.asset_problem.clear()  # once per server process: each test is a new "process"
    yield url
    loaders.asset_problem.clear()


def test_the_app_puts_its_assets_in_place_when_it_starts(
    app_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vendor = tmp_path / "static" / "vendor"
    monkeypatch.setattr(assets, "VENDOR_DIR", vendor)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert missing_assets(vendor) == []
    assert not [w for w in at.warning if "Leaflet" in w.value]


def test_the_app_says_in_one_line_when_its_assets_cannot_be_put_in_place(
    app_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "blocker").write_text("not a folder")
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "blocker" / "vendor")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (warning,) = [w.value.replace("\\", "") for w in at.warning if "Leaflet" in w.value]
    assert warning.startswith(
        "The map's Leaflet files cannot be served, so the map needs the internet: "
        f"{tmp_path / 'blocker' / 'vendor' / 'leaflet'}/"
    )
    assert "\n" not in warning
