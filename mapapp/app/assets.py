"""Copy the map's browser assets (Leaflet) from installed packages into ``mapapp/app/static/vendor/``.

The app serves Leaflet itself through Streamlit's static serving, so the map draws with no
internet. Leaflet comes from the ``XStatic-Leaflet`` wheel on PyPI; nothing is fetched here.
Three things put the files in place: the wheel's build (``setup.py``), ``make prepare``
(``python -m mapapp.app.assets``), and the app itself when it starts (:func:`ensure_assets`,
which copies nothing when they are there and raises :class:`AssetError`, one line, when it
cannot). Only the standard library is imported here, so the build can load this file alone.
"""

from __future__ import annotations

import argparse
import contextlib
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
    """The map's assets cannot be put in place: not in the installed packages, or not writable."""


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


def ensure_assets(vendor_dir: Path | None = None) -> list[Path]:
    """Copy the assets that are missing or differ into ``vendor_dir`` (default :data:`VENDOR_DIR`);
    return the files written (none when up to date).

    Raises :class:`AssetError` (one line: the file and what to do) when a source file is not
    installed or ``vendor_dir`` cannot be written, e.g. a read-only site-packages.
    """
    vendor_dir = VENDOR_DIR if vendor_dir is None else vendor_dir
    written = []
    for asset in assets():
        if not asset.source.is_file():
            raise AssetError(f"{asset.source}: missing from {asset.package}; reinstall it")
        target = vendor_dir / asset.target
        if target.is_file() and filecmp.cmp(asset.source, target, shallow=False):
            continue
        tmp = target.with_suffix(target.suffix + ".tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.source, tmp)
            tmp.replace(target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise AssetError(
                f"{target}: cannot copy the map's {asset.package} file there ({exc.strerror or exc}); "
                "run `python -m mapapp.app.assets` as a user who may write it"
            ) from None
        written.append(target)
    return written


def missing_assets(vendor_dir: Path | None = None) -> list[str]:
    """Targets not present under ``vendor_dir`` (default :data:`VENDOR_DIR`)."""
    vendor_dir = VENDOR_DIR if vendor_dir is None else vendor_dir
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
