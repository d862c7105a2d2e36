"""Helpers for the browser tests: a built site served on 127.0.0.1 and Debian's Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from .helpers import ROOT, Server, missing  # noqa: F401  (Server is re-exported: the browser tests import it from here)

CHROMIUM = "/usr/bin/chromium"
# No host but 127.0.0.1 resolves: whatever a page asks of another host fails in the browser itself, for every test.
# A test that must prove nothing leaves records the requests (record_off_site), without routing them: a route
# sends every request through Python and turns the HTTP cache off (each page load then fetches every asset again).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


# Zensical 0.0.73's bundle builds a selector from the hash without escaping it: a quote in the hash throws (an
# error, not a script run); Material's does not
ZENSICAL_HASH_ERROR = re.compile(r"^Failed to execute 'querySelector' on 'Document': '\[id=\".*\"\]' is not a valid selector\.$", re.S)


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


def new_context(browser, **options):
    """A browser context (the search needs no probe: its results say which query they answer)."""
    return browser.new_context(**options)


def record_off_site(context, local=lambda url: urlsplit(url).hostname == "127.0.0.1") -> list[str]:
    """The URLs that the pages of `context` ask of anything but the local server (`local`), in order; the browser
    refuses them (CHROMIUM_ARGS)."""
    asked: list[str] = []
    context.on("request", lambda request: None if local(request.url) else asked.append(request.url))
    return asked


def open_search(page, query: str) -> None:
    """Open the search as a reader does (if it is not open yet), type the query key by key, and wait until the
    results shown answer the query typed (overrides/efc/search.js marks them) and have stopped changing."""
    field = page.locator("input.efc-search__input")
    if not page.evaluate("() => document.querySelector('[data-efc-search]').classList.contains('efc-search--open')"):
        # a phone shows a search button in the header; a desktop, the search field itself
        page.locator("button.efc-search__open:visible, input.efc-search__input:visible").first.click()
    field.fill("")
    field.press_sequentially(query, delay=20)
    assert field.input_value() == query
    wait_for_results(page)


def wait_for_results(page) -> None:
    """Wait until the results shown are those of the query in the field."""
    page.wait_for_function("""() => { const o = document.querySelector('.efc-search__output');
        return o.dataset.state === 'done' && o.dataset.query === document.querySelector('.efc-search__input').value; }""",
                           timeout=30_000)


def search_results(page) -> list[dict]:
    """The pages found, in order: title, URL path, sigles shown, type label and summary."""
    return page.eval_on_selector_all(".efc-search__item > a", """els => els
        .map(a => ({title: a.querySelector('.efc-search__title').textContent.trim(), path: new URL(a.href).pathname,
                    tags: [...a.querySelectorAll('.efc-search__tag')].map(t => t.textContent.trim()),
                    type: a.querySelector('.efc-search__type').textContent.trim(),
                    summary: (a.querySelector('.efc-search__summary') || {textContent: ''}).textContent.trim()}))""")


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]
