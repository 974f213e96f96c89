"""Copy the map's browser assets (Leaflet) from installed packages into ``mapapp/app/static/vendor/``.

Run ``python -m mapapp.app.assets`` at install time (``make prepare`` does): the app
then serves Leaflet itself through Streamlit's static serving, so the map draws with
no internet. Leaflet comes from the ``XStatic-Leaflet`` wheel on PyPI; nothing is
fetched here. A second run with nothing changed copies nothing.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "STATIC_DIR",
    "VENDOR_DIR",
    "VENDOR_URL",
    "Asset",
    "AssetError",
    "assets",
    "ensure_assets",
    "main",
    "missing_assets",
]

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
VENDOR_URL = "/app/static/vendor"  # where Streamlit serves VENDOR_DIR (server.enableStaticServing)


class AssetError(RuntimeError):
    """A vendored asset is missing from the installed packages."""


@dataclass(frozen=True, slots=True)
class Asset:
    """One file to vendor: where it is in an installed package and where it goes under ``vendor/``."""

    source: Path
    target: str
    package: str


def _leaflet_dir() -> Path:
    try:
        from xstatic.pkg import leaflet
    except ImportError as exc:
        raise AssetError(
            "XStatic-Leaflet is not installed: run `make install` (or `pip install XStatic-Leaflet`)"
        ) from exc
    return Path(leaflet.BASE_DIR)


def assets() -> list[Asset]:
    """Every file the map's page needs, from the installed packages."""
    base = _leaflet_dir()
    images = [f"images/{p.name}" for p in sorted((base / "images").glob("*.png"))]
    names = ["leaflet.js", "leaflet.css", *images]
    return [Asset(source=base / name, target=f"leaflet/{name}", package="XStatic-Leaflet") for name in names]


def ensure_assets(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the assets that are missing or differ; return the files written (none when up to date)."""
    written = []
    for asset in assets():
        if not asset.source.is_file():
            raise AssetError(f"{asset.source}: missing from {asset.package}; reinstall it")
        target = vendor_dir / asset.target
        if target.is_file() and filecmp.cmp(asset.source, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        shutil.copyfile(asset.source, tmp)
        tmp.replace(target)
        written.append(target)
    return written


def missing_assets(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Targets not present under ``vendor_dir`` (the app warns when the map cannot draw offline)."""
    return [a.target for a in assets() if not (vendor_dir / a.target).is_file()]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: copy the assets; ``--check`` only reports what is missing."""
    parser = argparse.ArgumentParser(prog="python -m mapapp.app.assets", description=__doc__)
    parser.add_argument(
        "--dest", type=Path, default=VENDOR_DIR, help="folder to copy into (default: %(default)s)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when an asset is missing; copy nothing")
    args = parser.parse_args(argv)
    try:
        if args.check:
            missing = missing_assets(args.dest)
            for name in missing:
                print(f"missing: {args.dest / name}", file=sys.stderr)
            return 1 if missing else 0
        written = ensure_assets(args.dest)
    except AssetError as exc:
        print(f"assets: {exc}", file=sys.stderr)
        return 1
    if written:
        print(f"assets: {len(written)} file(s) copied to {args.dest}")
    else:
        print(f"assets: {args.dest} up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
