"""The layout rules of STYLE.md, checked on the source: who may import what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module imported by a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def python_files(*parts: str) -> list[Path]:
    return sorted((ROOT.joinpath(*parts)).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("gazetteer"), ids=lambda p: str(p.relative_to(ROOT)))
def test_gazetteer_imports_neither_pandas_nor_streamlit(path: Path) -> None:
    banned = {"pandas", "geopandas", "streamlit", "streamlit_folium", "mapapp"}
    assert not imported_modules(path) & banned, f"{path} imports {imported_modules(path) & banned}"


@pytest.mark.parametrize(
    "path",
    [p for p in python_files("mapapp") if "app" not in p.relative_to(ROOT / "mapapp").parts[:1]],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_only_the_app_imports_streamlit(path: Path) -> None:
    assert not imported_modules(path) & {"streamlit", "streamlit_folium"}


def test_every_subcommand_has_a_module_with_the_contract() -> None:
    from mapapp.cli import SUBCOMMANDS, build_parser

    parser = build_parser()
    for name in SUBCOMMANDS:
        args = parser.parse_args([name, *_minimal_args(name)])
        assert callable(args._run), name


def _minimal_args(name: str) -> list[str]:
    return {
        "geocode": ["Stepanakert"],
        "extract": ["seeds/000_6cc985955b2ee2e6.txt"],
        "evaluate": ["--gold", "seeds/gold.json", "seeds"],
        "ingest": ["seeds"],
        "export": ["--format", "geojson", "-"],
        "forget": ["x.txt"],
        "serve": [],
    }[name]
