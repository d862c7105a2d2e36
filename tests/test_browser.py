"""What a reader sees, in a real headless Chromium: French search that forgives accents and plurals,
glossary tooltips on hover and keyboard focus."""

from __future__ import annotations

import pytest

from .browser import Server, new_context, open_search, require_chromium, search_results
from .helpers import ROOT


@pytest.fixture(scope="module")
def served(built_repo):
    require_chromium()
    with Server(built_repo / "site") as server:  # the session's small build (conftest.py)
        yield server.url


@pytest.fixture(scope="module")
def browser(served, chromium):
    return chromium  # the session's one browser (conftest)


def search(browser, url: str, query: str) -> list[str]:
    context = new_context(browser)  # the search probe: we wait for the worker's answers, not for a fixed time
    page = context.new_page()
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
        context.close()


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


def test_the_browser_refuses_other_hosts_and_the_tests_see_what_was_asked(browser, served):
    """What the no-request-leaves tests rely on (browser.CHROMIUM_ARGS, browser.record_off_site)."""
    from playwright.sync_api import Error as PlaywrightError

    from .browser import record_off_site

    context = new_context(browser)
    asked = record_off_site(context)
    page = context.new_page()
    page.goto(served)
    elsewhere = served.replace("127.0.0.1", "localhost")  # the same server under another name: refused all the same
    for url in ("http://example.org/ailleurs", elsewhere):
        with pytest.raises(PlaywrightError, match="ERR_NAME_NOT_RESOLVED"):
            page.goto(url)
    context.close()
    assert asked == ["http://example.org/ailleurs", elsewhere]
