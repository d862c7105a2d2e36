"""Places are checked, not guessed: commune, département and région of every monograph agree with
the official French administrative divisions (npm package @etalab/decoupage-administratif)."""

from __future__ import annotations

import json
import re

import pytest

from generator.build import build_corpus
from generator.text import fold

from .helpers import ROOT, missing

DATA = ROOT / "node_modules" / "@etalab" / "decoupage-administratif" / "data"


@pytest.fixture(scope="module")
def divisions():
    if not DATA.is_dir():
        missing("données @etalab/decoupage-administratif absentes : lancez npm ci")
    load = lambda name: json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))  # noqa: E731
    return load("communes"), load("departements"), load("regions")


def test_monograph_places_agree_with_official_divisions(divisions):
    communes, departements, regions = divisions
    corpus, _ = build_corpus(ROOT)
    region_codes = {key: re.search(r"code INSEE (\d+)", v.definition).group(1)
                    for key, v in corpus.vocabularies["regions"].items() if "INSEE" in v.definition}
    departement_by_code = {d["code"]: d for d in departements}
    errors = []
    checked = 0
    for entry in corpus.of_type("monograph"):
        place = entry.meta.place
        if place is None or place.departement is None:
            continue
        match = re.fullmatch(r"(.+) \((\w{2,3})\)", place.departement)
        if not match:
            errors.append(f"{entry.path}: département « {place.departement} » n'a pas la forme « Nom (code) »")
            continue
        name, code = match.groups()
        departement = departement_by_code.get(code)
        if departement is None or fold(departement["nom"]) != fold(name):
            errors.append(f"{entry.path}: {place.departement} n'est pas un département officiel")
            continue
        if place.region and region_codes.get(place.region) != departement["region"]:
            errors.append(f"{entry.path}: {place.departement} n'est pas en {place.region}")
        if place.commune:
            found = [c for c in communes if c["departement"] == code
                     and fold(c["nom"]) == fold(place.commune)]
            if not found:
                errors.append(f"{entry.path}: pas de commune « {place.commune} » dans le département {code}")
        if place.lat is not None and not (41 <= place.lat <= 51.5 and -5.5 <= place.lon <= 10):
            errors.append(f"{entry.path}: coordonnées hors de la France métropolitaine")
        checked += 1
    assert errors == []
    assert checked >= 25


# --- the data shipped in the package, and the check that uses it ------------------------------------------

PACKAGED = ROOT / "generator" / "data"


def test_packaged_codes_are_the_official_ones(divisions):
    """generator/data/cog.json is what tools/geodata.py makes of the pinned @etalab/decoupage-administratif."""
    import runpy

    made = runpy.run_path(str(ROOT / "tools" / "geodata.py"))["cog"]()
    shipped = json.loads((PACKAGED / "cog.json").read_text(encoding="utf-8"))
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["@etalab/decoupage-administratif"]
    assert shipped["source"] == f"@etalab/decoupage-administratif {pinned}"
    assert shipped == made
    communes, departements, regions = divisions
    assert len(shipped["departements"]) == len(departements) and len(shipped["regions"]) == len(regions)
    assert "Lons-le-Saunier" in shipped["communes"]["39"] and shipped["departements"]["39"] == ["Jura", "27"]


def test_every_metropolitan_departement_has_an_outline():
    from generator import geography

    codes = geography.codes()["departements"]
    outlines = geography.outlines()["departements"]
    metropolitan = {c for c in codes if len(c) == 2 or c in ("2A", "2B")} - {"20"}
    assert set(outlines) == metropolitan and len(outlines) == 96
    assert geography.departement_of(5.55, 46.67) == "39"  # Lons-le-Saunier
    assert geography.departement_of(-1.47, 43.49) == "64"  # Bayonne
    assert geography.distance_to("39", 1.44, 43.6) > 400  # Toulouse is far from the Jura


PLACES = {  # record -> (place lines, expected (code, line, hint fragment))
    "modele.md": ('  commune: "Commune"\n  departement: "Département (00)"\n  region: bourgogne-franche-comte\n'
                  "  lat: 46.67\n  lon: 5.55\n", [("place-departement", 6, "Jura (39)")]),
    "code-faux.md": ('  commune: "Figeac"\n  departement: "Jura (46)"\n', [("place-departement", 6, "« Jura » a le code 39")]),
    "sans-code.md": ('  departement: "Jura"\n', [("place-departement", 5, "« Jura (39) »")]),
    "commune.md": ('  commune: "Lons le Saulnier"\n  departement: "Jura (39)"\n', [("place-commune", 5, "Lons-le-Saunier")]),
    "ailleurs.md": ('  commune: "Figeac"\n  departement: "Jura (39)"\n', [("place-commune", 5, "Lot (46)")]),
    "region.md": ('  departement: "Jura (39)"\n  region: occitanie\n', [("place-region", 6, "region: bourgogne-franche-comte")]),
    "coordonnees.md": ('  commune: "Lons-le-Saunier"\n  departement: "Jura (39)"\n  lat: 43.6\n  lon: 1.44\n',
                       [("place-coordinates", 7, "Haute-Garonne")]),
    "inversees.md": ('  commune: "Lons-le-Saunier"\n  departement: "Jura (39)"\n  lat: 5.55\n  lon: 46.67\n',
                     [("place-coordinates", 7, "hors de la France métropolitaine : la latitude et la longitude semblent inversées")]),
    "juste.md": ('  commune: "Lons-le-Saunier"\n  departement: "Jura (39)"\n  region: bourgogne-franche-comte\n'
                 "  lat: 46.67\n  lon: 5.55\n", []),
}


def test_check_reports_wrong_places_with_file_line_and_suggestion(repo):
    from .conftest import write
    from .helpers import run

    for name, (lines, _) in PLACES.items():
        write(repo, f"monographs/{name}", f"---\ntitle: Lieu {name}\nkind: dynamique\nplace:\n{lines}---\n\nTexte.\n")
    problems = json.loads(run(repo, "check", "--format", "json").stdout)
    for name, (_, expected) in PLACES.items():
        found = [(p["code"], p["line"], p["hint"]) for p in problems
                 if p["file"] == f"monographs/{name}" and p["code"].startswith("place-")]
        assert [(code, line) for code, line, _ in found] == [(code, line) for code, line, _ in expected], name
        for (_, _, hint), (_, _, fragment) in zip(found, expected, strict=True):
            assert fragment in hint, (name, hint)
    far = next(p for p in problems if p["file"] == "monographs/coordonnees.md" and p["code"] == "place-coordinates")
    assert far["message"] == "Les coordonnées (43.6, 1.44) sont à 434 km du département Jura (39)."


def test_the_new_monograph_archetype_names_no_fake_place():
    from generator.new import render_record

    text = render_record("monograph", "Essai")
    assert "Département (00)" not in text and '"Commune"' not in text
