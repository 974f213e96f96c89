"""Tile layers the user may switch on over the offline base map, and where they are configured.

The map never loads a tile unless the user picks a tile layer in its layer control. Two
public layers are offered (OpenStreetMap, and OpenTopoMap for terrain); a team adds its own
(a tile server, or an MBTiles file behind a small tile server for offline use) with
``$MAPAPP_TILES`` or a ``[tiles.NAME]`` table in the settings file (``$MAPAPP_SETTINGS``,
else ``mapapp.toml`` in the working directory):

.. code-block:: toml

    [tiles.team]
    name = "Team server"                                 # shown in the layer control
    url = "https://tiles.example.org/{z}/{x}/{y}.png"    # {s} for subdomains, {z} {x} {y} or {-y}
    attribution = "© Example team, © OpenStreetMap contributors"
    max_zoom = 18                                        # optional: deepest zoom the server has

``MAPAPP_TILES`` holds one layer per line as ``name|url|attribution``. Names and
attributions from the settings are shown as text (escaped), never as HTML.
"""

from __future__ import annotations

import html
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mapapp.errors import SettingsError

__all__ = [
    "ONLINE_TILES",
    "OPENSTREETMAP",
    "OPENTOPOMAP",
    "SETTINGS_FILE",
    "SETTINGS_VARIABLE",
    "TILES_VARIABLE",
    "TileSource",
    "configured_tiles",
    "settings_path",
    "tiles_from_env",
    "tiles_from_settings",
]

TILES_VARIABLE = "MAPAPP_TILES"
SETTINGS_VARIABLE = "MAPAPP_SETTINGS"
SETTINGS_FILE = "mapapp.toml"
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_KNOWN = ("name", "url", "attribution", "max_zoom", "subdomains")


@dataclass(frozen=True, slots=True)
class TileSource:
    """An XYZ tile layer: ``key`` identifies it in the saved choice, ``name`` labels it.

    ``attribution_html`` is what Leaflet shows in the corner (it is inserted as HTML):
    the built-in layers carry their own links, configured ones their escaped text.

    >>> TileSource("team", "Team", "https://t.example.org/{z}/{x}/{y}.png", "© Team").attribution_html
    '© Team'
    >>> TileSource("x", "X", "https://t.example.org/tiles.png", "© X")
    Traceback (most recent call last):
    ...
    ValueError: tile layer 'x': the url must hold {z}, {x} and {y} (or {-y}), got 'https://t.example.org/tiles.png'
    """

    key: str
    name: str
    url: str
    attribution: str
    max_zoom: int = 18
    subdomains: str = "abc"
    attribution_is_html: bool = False

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ValueError(f"tile layer key {self.key!r}: use 1-40 lower-case letters, digits, '-' or '_'")
        if not self.name.strip():
            raise ValueError(f"tile layer {self.key!r}: give it a name to show in the layer control")
        if not all(part in self.url for part in ("{z}", "{x}")) or not (
            "{y}" in self.url or "{-y}" in self.url
        ):
            raise ValueError(
                f"tile layer {self.key!r}: the url must hold {{z}}, {{x}} and {{y}} (or {{-y}}), "
                f"got {self.url!r}"
            )
        if not self.url.startswith(("http://", "https://", "/")):
            raise ValueError(
                f"tile layer {self.key!r}: the url must start with http://, https:// or / , got {self.url!r}"
            )
        if not self.attribution.strip():
            raise ValueError(
                f"tile layer {self.key!r}: an attribution is required (the tiles' licence asks for it)"
            )
        if not 1 <= self.max_zoom <= 22:
            raise ValueError(f"tile layer {self.key!r}: max_zoom must be in 1..22, got {self.max_zoom!r}")

    @property
    def attribution_html(self) -> str:
        """The attribution as HTML: the built-in layers' own markup, anything configured escaped."""
        return self.attribution if self.attribution_is_html else html.escape(self.attribution)

    @property
    def label_html(self) -> str:
        """The name as the layer control shows it (Leaflet inserts it as HTML)."""
        return html.escape(self.name)


OPENSTREETMAP = TileSource(
    key="osm",
    name="OpenStreetMap (online)",
    url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    max_zoom=19,
    attribution_is_html=True,
)
OPENTOPOMAP = TileSource(
    key="topo",
    name="Terrain: OpenTopoMap (online)",
    url="https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
    attribution='Map data &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    'contributors, SRTM · style &copy; <a href="https://opentopomap.org">OpenTopoMap</a> (CC-BY-SA)',
    max_zoom=17,
    attribution_is_html=True,
)
ONLINE_TILES: tuple[TileSource, ...] = (OPENSTREETMAP, OPENTOPOMAP)


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30] or "tiles"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def tiles_from_env(value: str, *, where: str = f"${TILES_VARIABLE}") -> tuple[TileSource, ...]:
    """Tile layers from ``$MAPAPP_TILES``: one ``name|url|attribution`` a line (blank lines skipped).

    >>> [t.key for t in tiles_from_env("Team|https://t.example.org/{z}/{x}/{y}.png|© Team")]
    ['team']
    """
    sources: list[TileSource] = []
    taken = {t.key for t in ONLINE_TILES}
    for n, line in enumerate(value.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise SettingsError(
                where,
                f"line {n}: expected name|url|attribution, got {line.strip()!r} "
                f"(for example: Team|https://tiles.example.org/{{z}}/{{x}}/{{y}}.png|© Team)",
            )
        name, url, attribution = parts
        try:
            source = TileSource(_slug(name, taken), name, url, attribution)
        except ValueError as exc:
            raise SettingsError(where, f"line {n}: {exc}") from None
        taken.add(source.key)
        sources.append(source)
    return tuple(sources)


def tiles_from_settings(path: Path) -> tuple[TileSource, ...]:
    """Tile layers from the ``[tiles.NAME]`` tables of the TOML settings file ``path``."""
    try:
        with path.open("rb") as handle:
            settings = tomllib.load(handle)
    except OSError as exc:
        raise SettingsError(path, f"cannot read the settings file ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(path, f"not valid TOML: {exc}") from None
    tables = settings.get("tiles", {})
    if not isinstance(tables, dict):
        raise SettingsError(
            path, "[tiles] must hold one table per layer, e.g. [tiles.team] with name, url, attribution"
        )
    taken = {t.key for t in ONLINE_TILES}
    sources = []
    for key, table in tables.items():
        if not isinstance(table, dict):
            raise SettingsError(path, f"tiles.{key} must be a table with name, url and attribution")
        unknown = sorted(set(table) - set(_KNOWN))
        if unknown:
            raise SettingsError(
                path, f"[tiles.{key}]: unknown key(s) {', '.join(unknown)}; valid: {', '.join(_KNOWN)}"
            )
        missing = [k for k in ("url", "attribution") if not isinstance(table.get(k), str)]
        if missing:
            raise SettingsError(path, f"[tiles.{key}]: {' and '.join(missing)} missing (text expected)")
        if key in taken:
            raise SettingsError(path, f"[tiles.{key}]: the key is taken by a built-in layer; choose another")
        try:
            source = TileSource(
                key=str(key),
                name=str(table.get("name", key)),
                url=table["url"],
                attribution=table["attribution"],
                max_zoom=int(table.get("max_zoom", 18)),
                subdomains=str(table.get("subdomains", "abc")),
            )
        except (TypeError, ValueError) as exc:
            raise SettingsError(path, f"[tiles.{key}]: {exc}") from None
        taken.add(source.key)
        sources.append(source)
    return tuple(sources)


def settings_path(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Path | None:
    """The settings file: ``$MAPAPP_SETTINGS`` (which must exist), else ``./mapapp.toml`` if there."""
    env = os.environ if env is None else env
    named = env.get(SETTINGS_VARIABLE, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(path, f"${SETTINGS_VARIABLE} names no file: create it or unset the variable")
        return path
    local = (cwd or Path.cwd()) / SETTINGS_FILE
    return local if local.is_file() else None


def configured_tiles(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> tuple[TileSource, ...]:
    """The built-in online layers, then the settings file's, then ``$MAPAPP_TILES``'s.

    Raises :class:`~mapapp.errors.SettingsError` (naming the file or variable and what to
    write) for a malformed entry; the caller decides to go on with :data:`ONLINE_TILES`.
    """
    env = os.environ if env is None else env
    sources = list(ONLINE_TILES)
    path = settings_path(env, cwd)
    if path is not None:
        sources.extend(tiles_from_settings(path))
    extra = tiles_from_env(env.get(TILES_VARIABLE, ""))
    sources.extend(extra)
    seen: set[str] = set()
    for source in sources:
        values = {source.key, source.name.strip().casefold()}
        if values & seen:
            where = f"${TILES_VARIABLE}" if source in extra else str(path)
            raise SettingsError(
                where, f"a layer named {source.name!r} is configured twice: give each layer its own name"
            )
        seen |= values
    return tuple(sources)
