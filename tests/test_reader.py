"""What a reader sees, proven in headless Chromium on the REAL site: the repository's own records, built once
per session (conftest.real_repo) and served on 127.0.0.1 under /centre-ressources/ as GitHub Pages serves it.

Search, glossary definitions on hover, keyboard focus and tap, keywords, facets and backlinks, phone and
desktop layouts (screenshots in test-artifacts/screenshots/), the 404 page and print."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from generator.text import plain

from .browser import ARTIFACTS, DESKTOP, PHONE, new_context, open_search, overflow, screenshot, search_results

BASE = "/centre-ressources/"

METHOD = "chantier-collectif"  # a method page whose running text uses glossary terms


@pytest.fixture(scope="module")
def desktop(chromium):
    context = new_context(chromium, **DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone(chromium):
    context = new_context(chromium, **PHONE)
    yield context
    context.close()


@pytest.fixture
def page(desktop):
    page = desktop.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == [], errors  # no script error on any page a test opened


def path_of(url: str) -> str:
    return urlsplit(url).path


def page_of(entry) -> str:
    """The URL path of a record's page."""
    return BASE + entry.page.removesuffix(".md") + "/"


# --- search -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "title", "path"), [
    ("economie", "Économie de la fonctionnalité et de la coopération",
     "glossaire/economie-de-la-fonctionnalite-et-de-la-cooperation/"),
    ("cooperation", "Coopération", "glossaire/cooperation/"),
    ("externalites", "Externalités", "glossaire/externalites/"),
    ("tiers lieu", "Tiers-lieu", "glossaire/tiers-lieu/"),
    ("tiers-lieux", "Tiers-lieu", "glossaire/tiers-lieu/"),  # a hyphen joins words, it does not exclude one
    ("PTCE", "Pôle territorial de coopération économique", "glossaire/pole-territorial-de-cooperation-economique/"),
    ("ECT", "Écosystème coopératif territorialisé", "glossaire/ecosysteme-cooperatif-territorialise/"),
    ("forum ouvert", "Forum ouvert", "methodes/forum-ouvert/"),
])
def test_search_puts_the_expected_record_first(page, reader, query, title, path):
    page.goto(reader)
    open_search(page, query)
    results = search_results(page)
    assert results, f"no result for {query!r}"
    assert (results[0]["title"], results[0]["path"]) == (title, BASE + path), results[:3]


def test_search_shows_the_sigle_of_a_term(page, reader):
    page.goto(reader)
    open_search(page, "PTCE")
    assert search_results(page)[0]["tags"] == ["PTCE"]


# --- glossary definitions -----------------------------------------------------------------------------------

def first_term(page, real_corpus):
    """The first glossary term linked in the method's running text, and the term record it points to."""
    term = page.locator("article a.efc-term").first
    target = urljoin(page.url, term.get_attribute("href"))
    entry = next(e for e in real_corpus.of_type("term") if page_of(e) == path_of(target))
    return term, entry


def tooltip_text(page) -> str:
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-tooltip2--active .md-tooltip2__inner'))"
                           ".opacity === '1'")  # faded in: what the reader reads, and what the screenshot shows
    return tooltip.inner_text().strip()


def test_term_definition_on_hover(page, reader, real_corpus):
    page.goto(reader + f"methodes/{METHOD}/")
    term, entry = first_term(page, real_corpus)
    term.hover()
    assert tooltip_text(page) == plain(entry.meta.definition)
    page.mouse.move(0, 0)
    page.locator(".md-tooltip2--active").wait_for(state="detached", timeout=5_000)


def test_term_definition_on_keyboard_focus_then_enter_opens_the_term(page, reader, real_corpus):
    page.goto(reader + f"methodes/{METHOD}/")
    term, entry = first_term(page, real_corpus)
    href = term.get_attribute("href")
    # reach it with the Tab key, as a keyboard user does
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("h => document.activeElement.classList.contains('efc-term') "
                         "&& document.activeElement.getAttribute('href') === h", href):
            break
    else:
        pytest.fail("the glossary term cannot be reached with the Tab key")
    assert tooltip_text(page) == plain(entry.meta.definition)
    described = page.evaluate("() => document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
                              "?.textContent.trim()")
    assert described == plain(entry.meta.definition)  # screen readers hear the definition too
    page.keyboard.press("Enter")
    page.wait_for_url("**" + page_of(entry))
    assert page.locator("article h1").inner_text().replace("¶", "").strip() == entry.title


def test_term_definition_on_tap_then_second_tap_opens_the_term(phone, reader, real_corpus):
    page = phone.new_page()
    page.goto(reader + f"methodes/{METHOD}/")
    term, entry = first_term(page, real_corpus)
    term.scroll_into_view_if_needed()
    term.tap()
    assert tooltip_text(page) == plain(entry.meta.definition)
    assert path_of(page.url) == BASE + f"methodes/{METHOD}/"  # the first tap did not leave the page
    screenshot(page, "term-tap-phone", full_page=False)
    term.tap()
    page.wait_for_url("**" + page_of(entry))
    assert page.locator("article h1").inner_text().replace("¶", "").strip() == entry.title
    page.close()


def test_tap_elsewhere_closes_the_definition(phone, reader, real_corpus):
    page = phone.new_page()
    page.goto(reader + f"methodes/{METHOD}/")
    term, _ = first_term(page, real_corpus)
    term.scroll_into_view_if_needed()
    term.tap()
    tooltip_text(page)
    page.locator("article h1").tap()
    page.locator(".md-tooltip2--active").wait_for(state="detached", timeout=5_000)
    term.tap()  # shows the definition again rather than leaving the page
    tooltip_text(page)
    assert path_of(page.url) == BASE + f"methodes/{METHOD}/"
    page.close()
