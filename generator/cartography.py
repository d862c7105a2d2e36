"""The map of the dynamics (carte/), the directory of support structures (acteurs/annuaire.md), the locator map
of each monograph and the grouping of an acteur's involvements: view data decided here, drawn by templates.

The map is a build-time SVG (no tile server, no script needed, no request to another host): the outlines of
the régions come from generator/data/france.json (IGN Admin Express COG 2018, Licence Ouverte), projected by
geography.project; a marker is an SVG link named by the record's title.
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup

from . import geography, urls
from .model import Corpus, Entry
from .registry import TYPES, facets_of
from .text import sort_key

MAP_PAGE = "carte/index.md"
BACKGROUND = "carte/fond.svg"  # the régions alone, behind each monograph's locator map
ANNUAIRE = "acteurs/annuaire.md"
MARKER_RADIUS = 10  # km (SVG user units)
CLUSTER_DISTANCE = 45  # markers closer than this share one place: they are set around it
LEVELS = (0, 1, 3, 6)  # colour classes of the régions: 0, 1-2, 3-5, 6 or more records


def _attr(value: str) -> Markup:
    return Markup(html.escape(value, quote=True))


def group_by_variant(entries) -> list[tuple[str, list[Entry]]]:
    """Records grouped as a reader names them: dynamics, programmes, methods, resources…"""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.variant].append(entry)
    order = {"dynamique": 0, "programme": 1} | {t: i + 2 for i, t in enumerate(TYPES)}
    heading = {"dynamique": "Dynamiques territoriales", "programme": "Programmes"}
    return [(heading.get(v) or TYPES[v].plural, sorted(groups[v], key=lambda e: sort_key(e.title)))
            for v in sorted(groups, key=lambda v: order.get(v, 99))]


def region_codes(corpus: Corpus) -> dict[str, str]:
    """Vocabulary id of a région -> its INSEE code (written in the vocabulary's definition)."""
    out = {}
    for key, value in corpus.vocabularies.get("regions", {}).items():
        found = re.search(r"code INSEE (\d+)", value.definition)
        if found:
            out[key] = found.group(1)
    return out


def departement_code(text: str | None) -> str | None:
    found = re.fullmatch(r".+ \((\w{2,3})\)", text or "")
    return found.group(1) if found else None


def _centroid(rings) -> tuple[float, float]:
    ring = max(rings, key=len)
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (3 * area), cy / (3 * area)


@dataclass
class Marker:
    entry: Entry
    x: float  # where it is drawn
    y: float
    precise: bool  # the commune's coordinates (True) or the département's centre (False)
    place: str  # « Lons-le-Saunier, Jura (39) »
    url: str = ""
    label: Markup = Markup("")
    data: dict[str, str] = field(default_factory=dict)  # facet URL parameter -> space-separated values


@dataclass
class Place:
    name: str
    x: float
    y: float
    markers: list[Marker]


def located(corpus: Corpus) -> tuple[list[Marker], list[Entry], list[Entry]]:
    """(markers of the records with a commune or a département, records placed at a région only, national or
    placeless records)."""
    departements = geography.outlines()["departements"]
    markers, regional, elsewhere = [], [], []
    for entry in sorted(corpus.of_type("monograph"), key=lambda e: sort_key(e.title)):
        place = entry.meta.place
        code = departement_code(place.departement) if place else None
        if place and place.lat is not None and place.lon is not None:
            x, y = geography.project(place.lon, place.lat)
            markers.append(Marker(entry, x, y, True, ", ".join(p for p in (place.commune, place.departement) if p)))
        elif code in departements:
            x, y = _centroid(departements[code]["rings"])
            markers.append(Marker(entry, x, y, False, f"{place.departement}, lieu précis non indiqué"))
        elif place and place.region and place.region != "national":
            regional.append(entry)
        else:
            elsewhere.append(entry)
    return markers, regional, elsewhere


def _places(markers: list[Marker]) -> list[Place]:
    """Markers closer than CLUSTER_DISTANCE form one place; its markers are set on a ring around it."""
    places: list[Place] = []
    for marker in sorted(markers, key=lambda m: (not m.precise, sort_key(m.entry.title))):
        near = next((p for p in places if math.dist((p.x, p.y), (marker.x, marker.y)) < CLUSTER_DISTANCE), None)
        if near is None:
            places.append(Place(marker.place.split(",")[0], marker.x, marker.y, [marker]))
        else:
            near.markers.append(marker)
    for place in places:
        count = len(place.markers)
        if count > 1:
            place.x = sum(m.x for m in place.markers) / count
            place.y = sum(m.y for m in place.markers) / count
            radius = max(2.6 * MARKER_RADIUS, count * 2.4 * MARKER_RADIUS / (2 * math.pi))
            for i, marker in enumerate(place.markers):
                angle = -math.pi / 2 + 2 * math.pi * i / count
                marker.x, marker.y = place.x + radius * math.cos(angle), place.y + radius * math.sin(angle)
    for place in places:  # a place is named by the communes (or départements) it gathers
        place.name = ", ".join(dict.fromkeys(m.place.split(",")[0] for m in place.markers))
    return sorted(places, key=lambda p: sort_key(p.name))


def map_view(corpus: Corpus, here: str) -> dict:
    """Everything carte/ draws and lists."""
    data = geography.outlines()
    markers, regional, elsewhere = located(corpus)
    facets = [f for f in facets_of("monograph")]
    for marker in markers:
        marker.url = urls.relative_url(here, urls.path(marker.entry.page))
        marker.label = _attr(f"{marker.entry.title} ({marker.entry.type_label.lower()}, {marker.place})")
        marker.data = {f.param: " ".join(str(v) for v in f.values(marker.entry.meta)) for f in facets}
        marker.data["type"] = marker.entry.type
    places = _places(markers)
    codes = region_codes(corpus)
    counts: dict[str, list[Entry]] = defaultdict(list)
    for entry in corpus.of_type("monograph"):
        region = entry.meta.place.region if entry.meta.place else None
        if region in codes:
            counts[codes[region]].append(entry)
    names = {code: key for key, code in codes.items()}
    regions = []
    for code, region in data["regions"].items():
        count = len(counts.get(code, []))
        level = max(i for i, low in enumerate(LEVELS) if count >= low)
        regions.append(dict(code=code, id=names.get(code, code), name=corpus.label("regions", names.get(code, "")) or region["nom"],
                            count=count, level=level, d=geography.path_data(region["rings"])))
    legend = [(i, f"{low}" if i == 0 else (f"{low} ou plus" if i == len(LEVELS) - 1 else f"{low} à {LEVELS[i + 1] - 1}"))
              for i, low in enumerate(LEVELS)]
    return dict(box=" ".join(str(v) for v in data["box"]), regions=regions, places=places, markers=markers,
                regional=regional, elsewhere=elsewhere, legend=legend, radius=MARKER_RADIUS,
                attribution=geography.ATTRIBUTION, counted=sum(r["count"] for r in regions))


def background_svg() -> str:
    """The régions of metropolitan France as one small SVG file (the locator maps' background)."""
    data = geography.outlines()
    paths = "".join(f'<path d="{geography.path_data(r["rings"])}"/>' for r in data["regions"].values())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{" ".join(map(str, data["box"]))}">'
            f'<g fill="#e0eeec" stroke="#5f7f7b" stroke-width="2">{paths}</g></svg>\n')


def locator(entry: Entry) -> dict | None:
    """The small map of one monograph: where its point is, on the régions' background."""
    if entry.type != "monograph":
        return None
    for marker in located_one(entry):
        box = geography.outlines()["box"]
        return dict(box=" ".join(map(str, box)), x=round(marker.x, 1), y=round(marker.y, 1), precise=marker.precise,
                    background=urls.relative_url(entry.page, BACKGROUND), place=marker.place,
                    map_url=urls.relative_url(entry.page, urls.path(MAP_PAGE)), bx=box[0], by=box[1],
                    bw=box[2], bh=box[3])
    return None


def located_one(entry: Entry) -> list[Marker]:
    place = entry.meta.place
    if place is None:
        return []
    if place.lat is not None and place.lon is not None:
        x, y = geography.project(place.lon, place.lat)
        return [Marker(entry, x, y, True, ", ".join(p for p in (place.commune, place.departement) if p))]
    code = departement_code(place.departement)
    departements = geography.outlines()["departements"]
    if code in departements:
        x, y = _centroid(departements[code]["rings"])
        return [Marker(entry, x, y, False, f"{place.departement}, lieu précis non indiqué")]
    return []


def annuaire_view(corpus: Corpus) -> dict:
    """The support structures by what they offer (roles), then by where they work."""
    acteurs = sorted(corpus.of_type("acteur"), key=lambda e: sort_key(e.title))
    roles = [(role, [a for a in acteurs if role in a.meta.roles]) for role in corpus.vocabularies.get("actor_roles", {})]
    regions = []
    for region in corpus.vocabularies.get("regions", {}):
        found = [a for a in acteurs if region in a.meta.regions]
        if found:
            regions.append((region, found))
    return dict(roles=[(r, group) for r, group in roles if group], regions=regions, acteurs=acteurs)


def pages(emitter) -> None:
    """Render this module's pages into the emitter (after the generic index and facet pages)."""
    corpus = emitter.corpus
    emitter.render("carte.md.j2", MAP_PAGE, title="Carte des dynamiques", map=map_view(corpus, MAP_PAGE))
    emitter.files[BACKGROUND] = background_svg()
    if corpus.of_type("acteur"):  # the roles facet's page, written with its own template
        emitter.render("annuaire.md.j2", ANNUAIRE, title="Annuaire de l'accompagnement", annuaire=annuaire_view(corpus))
