"""Helpers for the browser tests: a built site served on 127.0.0.1 and Debian's Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

from .helpers import ROOT, Server, missing  # noqa: F401  (Server is re-exported: the browser tests import it from here)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def require_chromium():
    """Skip locally without Chromium; in CI (EFC_STRICT_TESTS=1) a missing browser fails the run."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        missing(f"Chromium introuvable ({CHROMIUM}) : apt-get install -y chromium")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save what the reader sees under test-artifacts/screenshots/ (uploaded by CI)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def overflow(page) -> dict:
    """The document's width against the viewport's, and the elements that stick out on the right."""
    return page.evaluate("""() => ({
        scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
        culprits: [...document.querySelectorAll('.md-main *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.md-typeset__scrollwrap'))
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')),
    })""")


# Counts the queries Material's main thread sends to its search worker and the answers it gets back, so that a
# test reads the results of the last query typed, not those of a slower intermediate one ("tiers-l…").
SEARCH_PROBE = """(() => {
    const Native = window.Worker;
    const probe = window.__efcSearch = {sent: 0, answered: 0};
    window.Worker = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", e => { if (e.data && e.data.type === 3) probe.answered++; });
        }
        postMessage(message, ...rest) {
            if (message && message.type === 2) probe.sent++;
            return super.postMessage(message, ...rest);
        }
    };
})();"""

SETTLE = """(selector) => new Promise(resolve => {
    const target = document.querySelector(selector);
    let timer;
    const done = () => { observer.disconnect(); resolve(); };
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 300); });
    observer.observe(target, {childList: true, subtree: true, characterData: true});
    timer = setTimeout(done, 300);
})"""


def new_context(browser, **options):
    """A browser context whose pages carry the search probe."""
    context = browser.new_context(**options)
    context.add_init_script(SEARCH_PROBE)
    return context


def open_search(page, query: str) -> None:
    """Open the search as a reader does (if it is not open yet), type the query key by key, and wait until the
    worker has answered every query sent and the results have stopped changing."""
    field = page.locator("input.md-search__input")
    if not page.evaluate("() => document.getElementById('__search').checked"):
        # a phone shows a search button in the header; a desktop, the search field itself
        page.locator("label.md-header__button[for='__search']:visible, input.md-search__input:visible").first.click()
        # the worker has built the index when the meta line leaves "Initialisation…"
        page.wait_for_function("() => !document.querySelector('.md-search-result__meta').textContent.includes('Initialisation')")
    field.fill("")
    field.press_sequentially(query, delay=20)
    assert field.input_value() == query
    wait_for_results(page)


def wait_for_results(page) -> None:
    """Wait until the search worker has answered every query sent and the results have stopped changing."""
    page.wait_for_function("() => __efcSearch.sent > 0 && __efcSearch.answered === __efcSearch.sent", timeout=30_000)
    page.evaluate(SETTLE, ".md-search-result")


def search_results(page) -> list[dict]:
    """The pages found, in order: title and URL path (without the highlight query)."""
    return page.eval_on_selector_all(".md-search-result__item > a", """els => els
        .filter(a => a.querySelector('h1'))
        .map(a => ({title: a.querySelector('h1').textContent.trim(), path: new URL(a.href).pathname,
                    tags: [...a.querySelectorAll('.md-tag')].map(t => t.textContent.trim())}))""")


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]
