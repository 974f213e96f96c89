"""The one build step pyproject.toml cannot say: put the map's Leaflet into the wheel.

``mapapp.app.assets`` copies Leaflet from the XStatic-Leaflet wheel (a build requirement) into
``mapapp/app/static/vendor/`` of the tree being packed, so an installed mapapp serves its map's
JavaScript itself, offline, even where site-packages is read-only. Editable installs skip it:
``make prepare`` (or the app at start) copies into the checkout instead. Everything else about
the package is in pyproject.toml.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _assets_module() -> ModuleType:
    """``mapapp/app/assets.py`` loaded on its own: it needs only the standard library and xstatic."""
    spec = importlib.util.spec_from_file_location("_mapapp_assets", HERE / "mapapp" / "app" / "assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


class BuildWithAssets(build_py):
    """``build_py``, then Leaflet copied into the built package (not for editable installs)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        assets = _assets_module()
        target = Path(self.build_lib) / "mapapp" / "app" / "static" / "vendor"
        written = assets.ensure_assets(target)
        print(f"vendored {len(written)} map asset(s) into {target}")


setup(cmdclass={"build_py": BuildWithAssets})
