"""What a reader sees, in a real headless Chromium: French search that forgives accents and plurals,
glossary tooltips on hover and keyboard focus."""

from __future__ import annotations

import pytest

from .browser import Server, open_search, require_chromium, search_results
from .conftest import RECORDS, ROOT, make_repo
from .test_cli import run

EXTRA = {
    "glossary/externalites.md": """\
        ---
        title: Externalités
        definition: Effets d'une activité sur des tiers, positifs ou négatifs, sans contrepartie.
        sources: [{ref: rapport-test, loc: p. 7}]
        ---

        Les externalités sont au cœur de l'évaluation.
        """,
    "glossary/pole-territorial-de-cooperation-economique.md": """\
        ---
        title: Pôle territorial de coopération économique (PTCE)
        definition: Regroupement d'acteurs de l'ESS et d'entreprises sur un territoire.
        sources: [{ref: rapport-test, loc: p. 8}]
        ---

        Les PTCE sont reconnus par la loi de 2014.
        """,
    "glossary/tiers-lieu.md": """\
        ---
        title: Tiers-lieu
        definition: Lieu partagé d'activités, ni domicile ni travail.
        aliases: [tiers-lieux, tiers lieu]
        sources: [{ref: rapport-test, loc: p. 9}]
        ---

        Un tiers lieu accueille des activités variées.
        """,
    "tools_methods/cafe-citoyen.md": """\
        ---
        title: Café citoyen
        summary: Une rencontre conviviale.
        sources: [{ref: rapport-test, loc: p. 10}]
        ---

        Un café citoyen se tient dans un tiers-lieu et parle des externalités et des PTCE.
        """,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_chromium()
    repo = make_repo(tmp_path_factory.mktemp("browser-repo"), {**RECORDS, **EXTRA})
    result = run(repo, "build")
    assert result.returncode == 0, result.stderr
    with Server(repo / "site") as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(served, chromium):
    return chromium  # the session's one browser (conftest)


def search(browser, url: str, query: str) -> list[str]:
    page = browser.new_page()
    logs = []
    page.on("console", lambda m: logs.append(m.text))
    page.on("pageerror", lambda e: logs.append(str(e)))
    try:
        page.goto(url)
        open_search(page, query)  # waits until the results shown are those of the query typed
        titles = [r["title"] for r in search_results(page)]
        if not titles:  # say what the reader saw, and what the console said
            pytest.fail(f"no result for {query!r}: {page.locator('.efc-search__output').inner_text()!r}, console: {logs}")
        return titles
    finally:
        page.close()


def shot(page, name: str):
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("query", "expected"), [
    ("economie", "Économie de la fonctionnalité et de la coopération"),
    ("Économie", "Économie de la fonctionnalité et de la coopération"),
    ("cooperation", "Économie de la fonctionnalité et de la coopération"),
    ("externalites", "Externalités"),
    ("externalite", "Externalités"),
    ("PTCE", "Pôle territorial de coopération économique (PTCE)"),
    ("tiers lieu", "Tiers-lieu"),
])
def test_search_forgives_accents_and_plurals(browser, served, query, expected):
    titles = search(browser, served, query)
    assert expected in titles[:3], titles


def test_term_tooltip_on_hover_and_keyboard_focus(browser, served):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served + "methodes/cafe-citoyen/")
    term = page.locator("a.efc-term").first
    assert term.inner_text() == "tiers-lieu"
    tooltip = page.locator(".md-tooltip2")
    term.hover()
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "Lieu partagé d'activités" in tooltip.inner_text()
    page.mouse.move(0, 0)
    tooltip.wait_for(state="hidden", timeout=5_000)
    term.focus()  # keyboard users and taps: focus shows the definition too
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "Lieu partagé d'activités" in tooltip.inner_text()
    shot(page, "method-desktop")
    page.close()
