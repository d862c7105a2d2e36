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
