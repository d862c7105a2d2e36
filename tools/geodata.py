"""Write the geographic data the generator ships (generator/data/), from official open data:

- france.json: outlines of the metropolitan régions and départements, projected (generator.geography.project,
  kilometres, 0.1 km precision, points closer than MIN_STEP dropped), from the simplified IGN Admin Express
  COG 2018 outlines (Licence Ouverte; see ../shared/data/geo/README.md);
- cog.json: the official codes of régions, départements and communes (current communes, municipal
  arrondissements and delegated or associated communes, by département) from the npm package
  @etalab/decoupage-administratif pinned in package.json (`npm ci`).

    python3 tools/geodata.py [GEO_FOLDER]      # default: ../shared/data/geo

tests/test_geography.py compares cog.json with node_modules when it is installed.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.geography import ATTRIBUTION, DATA, project  # noqa: E402

ETALAB = ROOT / "node_modules" / "@etalab" / "decoupage-administratif" / "data"
MIN_STEP = 1.5  # km
COMMUNE_TYPES = ("commune-actuelle", "arrondissement-municipal", "commune-deleguee", "commune-associee")


def rings(geometry) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for polygon in polygons:
        for ring in polygon:
            points = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                if not points or math.dist(points[-1], (x, y)) >= MIN_STEP:
                    points.append((x, y))
            if len(points) >= 4:
                out.append([[round(x, 1), round(y, 1)] for x, y in points[:-1] if True])
    return out


def outlines(geo: Path) -> dict:
    def read(name):
        return json.loads((geo / f"{name}-version-simplifiee.geojson").read_text(encoding="utf-8"))["features"]

    departements = {f["properties"]["code"]: {"nom": f["properties"]["nom"], "rings": rings(f["geometry"])}
                    for f in read("departements")}
    regions = {f["properties"]["code"]: {"nom": f["properties"]["nom"], "rings": rings(f["geometry"])} for f in read("regions")}
    xs = [x for r in regions.values() for ring in r["rings"] for x, _ in ring]
    ys = [y for r in regions.values() for ring in r["rings"] for _, y in ring]
    box = [math.floor(min(xs)) - 10, math.floor(min(ys)) - 10, math.ceil(max(xs) - min(xs)) + 20, math.ceil(max(ys) - min(ys)) + 20]
    return {"attribution": ATTRIBUTION, "box": box, "regions": dict(sorted(regions.items())),
            "departements": dict(sorted(departements.items()))}


def cog() -> dict:
    def read(name):
        return json.loads((ETALAB / f"{name}.json").read_text(encoding="utf-8"))

    communes: dict[str, set[str]] = {}
    for commune in read("communes"):
        if commune["type"] in COMMUNE_TYPES and commune.get("departement"):
            communes.setdefault(commune["departement"], set()).add(commune["nom"])
    return {"source": "@etalab/decoupage-administratif " + json.loads((ETALAB.parent / "package.json").read_text())["version"],
            "regions": {r["code"]: r["nom"] for r in read("regions")},
            "departements": {d["code"]: [d["nom"], d["region"]] for d in read("departements")},
            "communes": {k: sorted(v) for k, v in sorted(communes.items())}}


def main() -> None:
    geo = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "geo"
    DATA.mkdir(exist_ok=True)
    (DATA / "france.json").write_text(json.dumps(outlines(geo), ensure_ascii=False, separators=(",", ":")) + "\n",
                                      encoding="utf-8")
    (DATA / "cog.json").write_text(json.dumps(cog(), ensure_ascii=False, separators=(",", ":"), indent=0) + "\n",
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
