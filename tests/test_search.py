"""The site's search on Pagefind, proven in headless Chromium on the REAL site (conftest.real_repo, served on
127.0.0.1): French that forgives (accents, ligatures, elision, plurals, hyphens, sigles and aliases, homonyms,
typos in titles), ranking, the results (type icon, title, summary, excerpt with marks only), the keyboard, the
phone, what is indexed and filtered, the Content-Security-Policy, and payloads in the URL and the search box.
Every test runs on both builds of the same pages: MkDocs + Material (the default) and Zensical (--engine zensical)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

from generator.registry import FACETS, RECORD_TYPES
from generator.text import plain

from .browser import ZENSICAL_HASH_ERROR, open_search, overflow, screenshot, search_results, wait_for_results

BASE = "/centre-ressources/"
EFC = ("Économie de la fonctionnalité et de la coopération", "glossaire/economie-de-la-fonctionnalite-et-de-la-cooperation/")
PTCE = ("Pôle territorial de coopération économique", "glossaire/pole-territorial-de-cooperation-economique/")
TIERS_LIEU = ("Tiers-lieu", "glossaire/tiers-lieu/")
BIOVALLEE = ("La Biovallée (vallée de la Drôme)", "monographies/biovallee/")


@pytest.fixture(scope="module")
def reader(built):
    """Every test on both builds (conftest.built: MkDocs + Material, then Zensical)."""
    return built[1]


def first(search_page, query):
    open_search(search_page, query)
    results = search_results(search_page)
    assert results, f"no result for {query!r}"
    return results


# --- French that forgives -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("economie", EFC), ("Économie", EFC), ("ÉCONOMIE", EFC), ("économie", EFC),  # accents both ways, any case
    ("l'economie", EFC), ("l’Économie", EFC), ("d'economie", EFC),  # elision
    ("cooperation", ("Coopération", "glossaire/cooperation/")),
    ("cooperations", ("Coopération", "glossaire/cooperation/")),  # plural
    ("externalite", ("Externalités", "glossaire/externalites/")),  # singular of a plural title
    ("externalites", ("Externalités", "glossaire/externalites/")),
    ("tiers lieu", TIERS_LIEU), ("tiers-lieux", TIERS_LIEU), ("tiers lieux", TIERS_LIEU), ("Tiers-Lieux", TIERS_LIEU),
    ("PTCE", PTCE), ("ptce", PTCE), ("pole territorial de cooperation economique", PTCE),
    ("score ECT", ("Score ECT", "glossaire/score-ect/")),
    ("forum ouvert", ("Forum ouvert", "methodes/forum-ouvert/")),
    ("biovalee", BIOVALLEE), ("biovallee", BIOVALLEE), ("Biovallée", BIOVALLEE), ("bioovallee", BIOVALLEE),  # typos
])
def test_the_expected_record_comes_first(search_page, query, expected):
    results = first(search_page, query)
    assert (results[0]["title"], results[0]["path"]) == (expected[0], BASE + expected[1]), results[:3]


@pytest.mark.parametrize(("query", "word"), [("coeur", "cœur"), ("oeuvre", "œuvre"), ("cœur", "cœur"), ("OEUVRE", "œuvre")])
def test_ligatures_are_folded(search_page, query, word):
    results = first(search_page, query)
    assert word in results[0]["title"].lower(), results[:3]


def test_a_hyphen_and_a_space_give_the_same_results(search_page):
    assert first(search_page, "tiers-lieux")[:5] == first(search_page, "tiers lieux")[:5]


def test_a_sigle_and_the_words_it_stands_for_find_the_same_term_which_shows_its_sigle(search_page, real_corpus):
    by_sigle = first(search_page, "PTCE")[0]
    by_words = first(search_page, "pôle territorial de coopération économique")[0]
    assert by_sigle == by_words
    assert by_sigle["tags"] == ["PTCE"]
    assert by_sigle["type"] == "Terme"
    term = real_corpus.entries["pole-territorial-de-cooperation-economique"]
    assert by_sigle["summary"] == plain(term.summary)  # the summary, not the type, says what it is


def test_the_two_meanings_of_ect_are_both_found_and_told_apart(search_page, real_corpus):
    results = first(search_page, "ECT")
    meanings = {e.title: e for e in real_corpus.of_type("term") if "ECT" in (e.meta.aliases or [])}
    assert len(meanings) == 2
    top = results[:2]
    assert {r["title"] for r in top} == set(meanings), results[:4]
    assert top[0]["title"] == "Écosystème coopératif territorialisé"  # the meaning more pages use
    for r in top:
        assert r["tags"] == ["ECT"]
        assert r["summary"] == plain(meanings[r["title"]].summary)
    assert top[0]["summary"] != top[1]["summary"]


@pytest.mark.parametrize("query", ["tiers lieux", "cooperation", "PTCE", "forum ouvert"])
def test_records_whose_title_matches_come_before_listing_pages_and_mere_mentions(search_page, query):
    results = first(search_page, query)
    assert results[0]["type"] != "Page", results[:3]
    pages = [i for i, r in enumerate(results) if r["type"] == "Page"]
    assert all(i > 0 for i in pages)
    if query == "tiers lieux":  # the keyword page « Tiers-lieux » lists the term: it comes after it
        assert [r["title"] for r in results].index("Mot-clé : Tiers-lieux") > 0


def test_results_show_type_icon_title_summary_and_an_excerpt_with_marks_only(search_page):
    first(search_page, "forum ouvert")
    item = search_page.locator(".efc-search__item").first
    assert item.locator(".efc-search__type").inner_text() == "Méthode"
    href = item.locator("svg.efc-search__icon use").get_attribute("href")
    assert urlsplit(href).path == BASE + "efc/icons.svg" and urlsplit(href).fragment == "method"
    assert search_page.request.get(href.split("#")[0]).status == 200
    assert item.locator(".efc-search__summary").inner_text()
    excerpt = item.locator(".efc-search__excerpt")
    marks = excerpt.evaluate("e => [...e.querySelectorAll('*')].map(n => n.tagName)")
    assert marks and set(marks) == {"MARK"}
    assert any("forum" in m.lower() or "ouvert" in m.lower() for m in excerpt.locator("mark").all_inner_texts())


def test_a_query_that_is_no_title_loads_only_the_fragments_it_ranks(chromium, reader):
    """Pagefind answers a word it does not hold with the pages holding its longest known prefix: the whole-title
    token of a query that begins no title (« zzthabitants ») finds every record, by the « zzt » they all hold. Only the
    first whole-title results are candidates (efc/search.js, EXACT), and only those the query found are shown."""
    from .browser import DESKTOP

    context = chromium.new_context(**DESKTOP)  # its own cache: every fragment fetched is counted
    fragments = set()
    context.on("request", lambda r: fragments.add(r.url) if "/pagefind/fragment/" in r.url else None)
    page = context.new_page()
    page.goto(reader + "a-propos/")
    field = page.locator("input.efc-search__input")
    field.click()
    field.fill("habitants")  # one query: typed key by key on a busy machine, the prefixes typed on the way are
    wait_for_results(page)  # searched too (each pause longer than the debounce) and load their own fragments
    assert search_results(page)
    assert 0 < len(fragments) <= 12 + 5, len(fragments)  # HEAD + EXACT (it was one per record)
    shown = int(page.locator(".efc-search__status").inner_text().split()[0])
    found = page.evaluate("""async (base) => {
        const pf = await import(base + 'pagefind/pagefind.js'); await pf.options({baseUrl: base});
        return (await pf.search('habitants')).results.length; }""", BASE)
    context.close()
    assert shown == found  # the records that only hold « zzt » are not counted


# --- keyboard, phone ----------------------------------------------------------------------------------------

def test_slash_opens_arrows_choose_enter_follows(page, reader):
    page.goto(reader + "a-propos/")
    page.keyboard.press("/")
    field = page.locator("input.efc-search__input")
    assert page.evaluate("document.activeElement.id") == "efc-search-q"
    field.press_sequentially("forum ouvert", delay=20)
    # (functions, not expressions: Playwright evaluates an expression with eval, which the policy refuses)
    page.wait_for_function("() => document.querySelector('.efc-search__output').dataset.query === 'forum ouvert'")
    page.wait_for_function("() => document.querySelector('.efc-search__output').dataset.state === 'done'")
    field.press("ArrowDown")
    field.press("ArrowDown")
    field.press("ArrowUp")
    selected = page.locator(".efc-search__results [role='option'][aria-selected='true']")
    assert selected.count() == 1
    assert field.get_attribute("aria-activedescendant") == selected.get_attribute("id") == "efc-search-result-0"
    field.press("Enter")
    page.wait_for_url(f"**{BASE}methodes/forum-ouvert/")


def test_ctrl_k_opens_and_escape_closes(page, reader):
    page.goto(reader + "glossaire/")
    page.locator("article").click()
    page.keyboard.press("Control+k")
    assert page.evaluate("document.activeElement.id") == "efc-search-q"
    open_search(page, "PTCE")
    assert page.locator(".efc-search__results").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator(".efc-search__results").is_visible()
    assert page.evaluate("document.activeElement.id") != "efc-search-q"
    assert "efc-search--open" not in page.locator("[data-efc-search]").get_attribute("class")


def test_search_in_the_header_on_phone(phone, reader, built):
    page = phone.new_page()
    page.goto(reader + "methodes/forum-ouvert/")
    button = page.locator("button.efc-search__open")
    assert button.is_visible() and not page.locator("input.efc-search__input").is_visible()
    assert button.bounding_box()["y"] < 60  # in the header
    button.tap()
    assert page.locator("input.efc-search__input").is_visible()
    assert page.evaluate("document.activeElement.id") == "efc-search-q"
    open_search(page, "biovalee")
    assert search_results(page)[0]["title"] == BIOVALLEE[0]
    screenshot(page, f"search-pagefind-{built[2]}-phone", full_page=False)
    measure = overflow(page)
    assert measure["scrollWidth"] <= measure["innerWidth"], measure
    page.keyboard.press("Escape")
    assert not page.locator("input.efc-search__input").is_visible()
    page.close()


def test_search_in_the_header_on_desktop(page, reader, built):
    page.goto(reader + "monographies/")
    field = page.locator("input.efc-search__input")
    assert field.is_visible() and field.bounding_box()["y"] < 60
    assert field.get_attribute("placeholder") == "Rechercher"
    open_search(page, "ECT")
    assert page.locator(".efc-search__status").inner_text().endswith("résultats")
    screenshot(page, f"search-pagefind-{built[2]}-desktop", full_page=False)


# --- what is indexed ----------------------------------------------------------------------------------------

PAGEFIND = """async (base) => {
    const pf = await import(base + 'pagefind/pagefind.js');
    await pf.options({baseUrl: base});
    return pf;
}"""


def test_filters_are_the_registry_facets_with_counts(page, reader, real_corpus):
    page.goto(reader)
    filters = page.evaluate("""async (base) => {
        const pf = await import(base + 'pagefind/pagefind.js'); await pf.options({baseUrl: base});
        return await pf.filters(); }""", BASE)
    counts = {t.name: len(real_corpus.of_type(t.name)) for t in RECORD_TYPES}
    assert {k: v for k, v in filters["type"].items() if k != "page"} == {k: v for k, v in counts.items() if v}
    for facet in FACETS:
        expected = {}
        for entry in real_corpus.entries.values():
            if entry.type in facet.types:
                for value in facet.values(entry.meta):
                    expected[str(value)] = expected.get(str(value), 0) + 1
        assert filters.get(facet.param, {}) == expected, facet.param


def test_navigation_backlinks_and_citation_are_not_indexed(page, reader):
    """What Pagefind holds of a record page: its content and fields, not the header, tabs, sidebars, footer,
    backlink list, citation block or contribution links."""
    page.goto(reader)
    content = page.evaluate("""async (base) => {
        const pf = await import(base + 'pagefind/pagefind.js'); await pf.options({baseUrl: base});
        const found = (await pf.search('forum ouvert')).results;
        for (const r of found) { const d = await r.data(); if (d.url.endsWith('/methodes/forum-ouvert/')) return d.content; }
        return null; }""", BASE)
    assert content and "Forum ouvert" in content and "Open Space Technology" in content
    for absent in ("Citer cette page", "Proposer une modification", "Signaler une erreur", "Pages qui renvoient ici",
                   "Table des matières", "Passer en mode sombre", "Centre de ressources EFC, «", "Mots-clés Glossaire"):
        assert absent not in content, absent


def test_the_404_page_is_not_indexed_and_every_page_has_the_policy(built):
    pages = list(built[0].rglob("*.html"))
    assert len(pages) > 300
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert re.search(r"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; "
                         r"script-src 'self' 'wasm-unsafe-eval';", html), path
        head = html[:html.index("Content-Security-Policy")]
        assert "<script" not in head, path  # the policy comes before any script
        data = ("application/json", "application/ld+json")  # data, never run
        inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) if not any(kind in s for kind in data)]
        assert inline == [], path  # no inline script: the policy would refuse it
        assert ("data-pagefind-body" in html) == (path.name != "404.html"), path


# --- the policy and payloads --------------------------------------------------------------------------------

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    '<svg onload="window.__pwned=1;alert(1)">',
    'javascript:window.__pwned=1;alert(1)',
    '</script><script>window.__pwned=1;alert(1)</script>',
    '{{constructor.constructor("window.__pwned=1;alert(1)")()}}',
    '${window.__pwned=1}',
    '"><img src=x onerror=alert(1)>',
    "'-alert(1)-'",
    '<a href="javascript:alert(1)">forum</a>',
    '<mark onmouseover="alert(1)">forum</mark>',
]


def off_site(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("javascript", "vbscript") or (parts.scheme in ("http", "https", "ws", "wss")
                                                         and parts.hostname != "127.0.0.1")


def watch(page, engine="mkdocs"):
    """Dialogs, script errors, script-src violations and requests off 127.0.0.1 that the policy did not stop
    (Material asks Google Fonts and the GitHub API: the policy refuses both before anything leaves the browser)."""
    events, leaving = [], {}
    page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: None if engine == "zensical" and ZENSICAL_HASH_ERROR.match(str(e))
            else events.append(f"pageerror {e}"))
    page.on("request", lambda r: leaving.setdefault(id(r), r.url) if off_site(r.url) else None)
    page.on("requestfailed", lambda r: leaving.pop(id(r), None) if r.failure == "csp" else None)
    page.on("console", lambda m: events.append(f"csp {m.text}")
            if "Content Security Policy" in m.text and "script-src" in m.text else None)

    def found():
        return events + [f"request {url}" for url in leaving.values()]
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_the_query_the_hash_the_404_address_and_the_search_box_stay_text(desktop, reader, built, payload):
    page = desktop.new_page()
    events = watch(page, built[2])
    page.goto(reader + "?q=" + quote(payload))  # the search opens with it, as text
    page.wait_for_function("() => document.querySelector('.efc-search__output').dataset.state === 'done'")
    assert page.locator("input.efc-search__input").input_value() == payload
    page.goto(reader + "glossaire/#" + quote(payload))
    page.goto(reader + "glossaire/" + quote(payload, safe="") + "/")  # the 404 page pre-fills its field
    assert page.locator("#efc-notfound-q").count() == 1
    page.goto(reader + "methodes/forum-ouvert/?q=" + quote(payload) + "#" + quote(payload))
    open_search(page, payload)
    for item in page.locator(".efc-search__item").all()[:3]:
        item.hover()
    page.locator("input.efc-search__input").press("Enter")
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('.efc-search img, .efc-search__results svg:not(.efc-search__icon), "
                         ".efc-search script, .efc-search [onerror], .efc-search [onload]').length") == 0
    page.close()
    assert events() == []


def test_material_scripts_run_under_the_policy(page, reader):
    """Material's helpers and palette restore, moved to files, still work: the scheme chosen is kept."""
    events = watch(page)
    page.goto(reader + "glossaire/")
    assert page.evaluate("typeof __md_get") == "function"
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    changed = page.evaluate("document.body.dataset.mdColorScheme")
    assert changed != scheme
    page.reload()
    assert page.evaluate("document.body.dataset.mdColorScheme") == changed  # restored by efc/material-palette.js
    page.evaluate("localStorage.clear()")
    page.goto(reader + "methodes/chantier-collectif/")
    page.locator("article a.efc-term").first.hover()  # tooltips (Material's bundle) still work
    page.locator(".md-tooltip2").first.wait_for(state="visible", timeout=5_000)
    assert events() == []
