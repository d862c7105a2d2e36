"""Accessibility of the real site, checked by axe-core (pinned in package.json, installed by `npm ci`) in
headless Chromium: no serious or critical violation on the home page, a page of each record type, a keyword
page, a facet page, the search results and the 404 page; light scheme at phone and desktop widths, dark
scheme at desktop width.

Theme violations we cannot fix by an override would be listed in THEME_ALLOWED (none today: the unnamed
search is ours, overrides/partials/efc-search.html; the colours are fixed by efc.css)."""

from __future__ import annotations

import pytest

from .browser import AXE, DESKTOP, PHONE, axe, new_context, open_search
from .helpers import ROOT, missing

PAGES = {
    "home": "",
    "method": "methodes/forum-ouvert/",
    "term": "glossaire/tiers-lieu/",
    "monograph": "monographies/figeacteurs/",
    "concept": "referentiel/grille-du-score-ect/",
    "resource": "ressources/ademe-carnet-des-projets-coop-ter-2024/",
    "keyword": "mots-cles/cooperation/",
    "facet": "monographies/par-region/",
    "search": "",  # the search open, with results for a query
    "404": "page-qui-n-existe-pas/",
}
SETTINGS = {
    "light-desktop": {**DESKTOP, "color_scheme": "light"},
    "light-phone": {**PHONE, "color_scheme": "light"},
    "dark-desktop": {**DESKTOP, "color_scheme": "dark"},
}

# (rule id, CSS target) of violations that come from Material itself and cannot be fixed by an override.
THEME_ALLOWED: set[tuple[str, str]] = set()


@pytest.fixture(scope="module", params=list(SETTINGS))
def context(request, chromium):
    if not AXE.is_file():
        missing(f"axe-core introuvable ({AXE.relative_to(ROOT)}) : npm ci")
    # axe is injected as an inline script, which the site's Content-Security-Policy refuses: the test bypasses it
    context = new_context(chromium, bypass_csp=True, **SETTINGS[request.param])
    yield context
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation(context, reader, name):
    page = context.new_page()
    page.goto(reader + PAGES[name])
    if name == "search":
        open_search(page, "cooperation")
    page.wait_for_load_state("networkidle")
    found = [f"{v['impact']} {v['id']}: {v['help']} → {node['target']} {node['failureSummary']}"
             for v in axe(page) if v["impact"] in ("serious", "critical")
             for node in v["nodes"] if (v["id"], " ".join(node["target"])) not in THEME_ALLOWED]
    page.close()
    assert found == []


def test_axe_is_the_pinned_version():
    import json

    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    if not AXE.is_file():
        missing("axe-core introuvable : npm ci")
    installed = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned
