"""Geography: the official codes (communes, départements, régions) and the outlines of metropolitan France,
shipped in `generator/data/` (written by tools/geodata.py), for the map and for `check`. No network, no Node.

Coordinates are projected with a Lambert conformal conic on a sphere (the parallels and meridian of
Lambert-93), in kilometres: x to the east, y to the south, so that the numbers are SVG user units.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from .text import fold

DATA = Path(__file__).parent / "data"
ATTRIBUTION = "IGN – Admin Express COG 2018, Licence Ouverte"
RADIUS = 6371.0
_P1, _P2, _P0, _L0 = (math.radians(a) for a in (44.0, 49.0, 46.5, 3.0))
_N = math.log(math.cos(_P1) / math.cos(_P2)) / math.log(math.tan(math.pi / 4 + _P2 / 2) / math.tan(math.pi / 4 + _P1 / 2))
_F = math.cos(_P1) * math.tan(math.pi / 4 + _P1 / 2) ** _N / _N
_RHO0 = RADIUS * _F / math.tan(math.pi / 4 + _P0 / 2) ** _N


def project(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) in km of a WGS 84 point, y growing southwards (SVG); the origin is 46.5° N, 3° E."""
    rho = RADIUS * _F / math.tan(math.pi / 4 + math.radians(lat) / 2) ** _N
    theta = _N * (math.radians(lon) - _L0)
    return rho * math.sin(theta), -(_RHO0 - rho * math.cos(theta))


@functools.cache
def outlines() -> dict:
    """{"regions": {code: {nom, rings}}, "departements": {code: {nom, region, rings}}, "box": [x, y, w, h]}"""
    return json.loads((DATA / "france.json").read_text(encoding="utf-8"))


@functools.cache
def codes() -> dict:
    """{"regions": {code: nom}, "departements": {code: [nom, région]}, "communes": {département: [noms]}}"""
    return json.loads((DATA / "cog.json").read_text(encoding="utf-8"))


@functools.cache
def communes_folded(departement: str) -> dict[str, str]:
    return {fold(name): name for name in codes()["communes"].get(departement, [])}


def path_data(rings) -> str:
    """SVG path data of polygon rings."""
    return " ".join("M" + "L".join(f"{x:g},{y:g}" for x, y in ring) + "Z" for ring in rings)


def _inside(x: float, y: float, ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _segment_distance(x, y, x1, y1, x2, y2) -> float:
    dx, dy = x2 - x1, y2 - y1
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy))) if dx or dy else 0.0
    return math.hypot(x - x1 - t * dx, y - y1 - t * dy)


def distance_to(code: str, lon: float, lat: float) -> float | None:
    """Kilometres from the point to the département's outline (0 inside); None for an unknown département."""
    departement = outlines()["departements"].get(code)
    if departement is None:
        return None
    x, y = project(lon, lat)
    rings = departement["rings"]
    if sum(_inside(x, y, ring) for ring in rings) % 2:
        return 0.0
    return min(_segment_distance(x, y, *a, *b) for ring in rings for a, b in zip(ring, ring[1:] + ring[:1], strict=True))


def departement_of(lon: float, lat: float) -> str | None:
    """The code of the département whose outline holds the point, if any."""
    for code in outlines()["departements"]:
        if distance_to(code, lon, lat) == 0.0:
            return code
    return None
