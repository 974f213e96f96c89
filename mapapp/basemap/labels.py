"""Which zoom each place name appears at, so that names never overlap: placed once, at build time.

Labels are placed greedily in priority order (capitals, then bigger towns, then district
names, then smaller towns). A label gets the first zoom, from the one its population
earns, at which its box on screen touches no label already placed at that zoom; a label
shows from that zoom on (a box only grows apart from the others as the map zooms in).
Boxes are measured in Web Mercator pixels with the sizes the map's CSS gives the text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "DISTRICT",
    "LAST_ZOOM",
    "TOWN",
    "Label",
    "Placed",
    "box_at",
    "first_zoom",
    "place_labels",
]

TOWN = "town"
DISTRICT = "district"
FIRST_ZOOM = 6  # the opening view is about 7.25; nothing is named below this
LAST_ZOOM = 13  # a label that still collides at this zoom is shown from here anyway
# pixels per character and line height of the label CSS (mapapp/basemap/elements.py)
_CHAR_PX = {TOWN: 6.2, DISTRICT: 6.4}
_HEIGHT_PX = {TOWN: 13.0, DISTRICT: 12.0}
_GAP_PX = 4.0  # free space kept around every label
_DOT_PX = 9.0  # the town's dot and the space after it


@dataclass(frozen=True, slots=True)
class Label:
    """A name to draw at (lat, lon); ``rank`` orders placement (lower first), ``zoom`` is the earliest."""

    text: str
    lat: float
    lon: float
    kind: str = TOWN
    rank: float = 0.0
    zoom: int = FIRST_ZOOM

    def __post_init__(self) -> None:
        if self.kind not in (TOWN, DISTRICT):
            raise ValueError(f"label kind must be {TOWN!r} or {DISTRICT!r}, got {self.kind!r}")
        if not self.text.strip():
            raise ValueError(f"a label needs text, got {self.text!r} at {self.lat}, {self.lon}")


@dataclass(frozen=True, slots=True)
class Placed:
    """A label and the zoom from which it shows."""

    label: Label
    zoom: int


def first_zoom(population: int, *, capital: bool = False) -> int:
    """The earliest zoom a town's name may show at, by its population (0 = unknown).

    >>> first_zoom(1_100_000, capital=True), first_zoom(55_000), first_zoom(3_700), first_zoom(0)
    (6, 8, 10, 12)
    """
    if capital or population >= 500_000:
        return 6
    for floor, zoom in ((100_000, 7), (20_000, 8), (5_000, 9), (1_000, 10), (1, 11)):
        if population >= floor:
            return zoom
    return 12


def _pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    scale = 256 * 2**zoom
    x = (lon + 180.0) / 360.0 * scale
    s = math.sin(math.radians(max(-85.0, min(85.0, lat))))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


def box_at(label: Label, zoom: int) -> tuple[float, float, float, float]:
    """The label's box on screen at ``zoom`` (x0, y0, x1, y1 in world pixels), gap included.

    A town's name starts just right of its dot; a district's name is centred on its point.
    """
    x, y = _pixel(label.lat, label.lon, zoom)
    width = len(label.text) * _CHAR_PX[label.kind]
    half = _HEIGHT_PX[label.kind] / 2
    if label.kind == TOWN:
        x0, x1 = x - 4.0, x + _DOT_PX + width
    else:
        x0, x1 = x - width / 2, x + width / 2
    return (x0 - _GAP_PX, y - half - _GAP_PX, x1 + _GAP_PX, y + half + _GAP_PX)


_CELL = 256.0


def _cells(box: tuple[float, float, float, float]) -> Iterable[tuple[int, int]]:
    for i in range(int(box[0] // _CELL), int(box[2] // _CELL) + 1):
        for j in range(int(box[1] // _CELL), int(box[3] // _CELL) + 1):
            yield i, j


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(labels: Sequence[Label], *, last_zoom: int = LAST_ZOOM) -> list[Placed]:
    """Each label with the zoom it shows from; at every zoom the shown boxes are disjoint
    (bar labels pushed to ``last_zoom`` that still collide there). Order: by rank, then text.
    """
    grids: dict[int, dict[tuple[int, int], list[tuple[float, float, float, float]]]] = {
        z: defaultdict(list) for z in range(FIRST_ZOOM, last_zoom + 1)
    }
    placed = []
    for label in sorted(labels, key=lambda lb: (lb.rank, lb.text, lb.lat, lb.lon)):
        start = max(FIRST_ZOOM, min(label.zoom, last_zoom))
        zoom = last_zoom
        for z in range(start, last_zoom + 1):
            box = box_at(label, z)
            grid = grids[z]
            if not any(_overlaps(box, other) for cell in _cells(box) for other in grid[cell]):
                zoom = z
                break
        for z in range(zoom, last_zoom + 1):  # it shows at every deeper zoom too
            box = box_at(label, z)
            for cell in _cells(box):
                grids[z][cell].append(box)
        placed.append(Placed(label, zoom))
    return placed
