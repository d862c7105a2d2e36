"""What a reader sees, proven in headless Chromium on the REAL site: the repository's own records, built once
per session (conftest.real_repo) and served on 127.0.0.1 under /centre-ressources/ as GitHub Pages serves it.

Search, glossary definitions on hover, keyboard focus and tap, keywords, facets and backlinks, phone and
desktop layouts (screenshots in test-artifacts/screenshots/), the 404 page and print."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from generator.text import plain
from generator.typography import french

from .browser import ARTIFACTS, DESKTOP, PHONE, new_context, open_search, overflow, screenshot, search_results, wait_for_results

BASE = "/centre-ressources/"

METHOD = "chantier-collectif"  # a method page whose running text uses glossary terms


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
def test_search_puts_the_expected_record_first(search_page, query, title, path):
    open_search(search_page, query)
    results = search_results(search_page)
    assert results, f"no result for {query!r}"
    assert (results[0]["title"], results[0]["path"]) == (title, BASE + path), results[:3]


def test_search_shows_the_sigle_of_a_term(search_page):
    open_search(search_page, "PTCE")
    assert search_results(search_page)[0]["tags"] == ["PTCE"]


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


def tap_first_term(phone, reader, real_corpus):
    """A method page on a phone, its first glossary term tapped once: (page, term, entry)."""
    page = phone.new_page()
    page.goto(reader + f"methodes/{METHOD}/")
    term, entry = first_term(page, real_corpus)
    term.scroll_into_view_if_needed()
    term.tap()
    return page, term, entry


def test_term_definition_on_tap_then_second_tap_opens_the_term(phone, reader, real_corpus):
    page, term, entry = tap_first_term(phone, reader, real_corpus)
    assert tooltip_text(page) == plain(entry.meta.definition)
    assert path_of(page.url) == BASE + f"methodes/{METHOD}/"  # the first tap did not leave the page
    screenshot(page, "term-tap-phone", full_page=False)
    term.tap()
    page.wait_for_url("**" + page_of(entry))
    assert page.locator("article h1").inner_text().replace("¶", "").strip() == entry.title
    page.close()


def test_tap_elsewhere_closes_the_definition(phone, reader, real_corpus):
    page, term, _ = tap_first_term(phone, reader, real_corpus)
    tooltip_text(page)
    page.locator("article h1").tap()
    page.locator(".md-tooltip2--active").wait_for(state="detached", timeout=5_000)
    term.tap()  # shows the definition again rather than leaving the page
    tooltip_text(page)
    assert path_of(page.url) == BASE + f"methodes/{METHOD}/"
    page.close()


# --- keywords, facets, backlinks ----------------------------------------------------------------------------

# one record of each type, used for the keyword chips, the layouts, accessibility and print
RECORDS = {"method": "forum-ouvert", "term": "tiers-lieu", "monograph": "figeacteurs",
           "concept": "grille-du-score-ect", "resource": "ademe-carnet-des-projets-coop-ter-2024"}


def listed(page, heading_id: str | None = None) -> dict[str, list[str]]:
    """The records listed under each h2 of the article (or under one h2): h2 id -> URL paths, in order."""
    return page.evaluate("""(only) => {
        const out = {};
        for (const h2 of document.querySelectorAll('article h2[id]')) {
            if (only && h2.id !== only) continue;
            const paths = out[h2.id] = [];
            for (let el = h2.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling)
                for (const li of el.matches('ul') ? el.children : [])
                    for (const a of li.querySelectorAll(':scope > a:not(.efc-term)')) paths.push(new URL(a.href).pathname);
        }
        return out;
    }""", heading_id)


@pytest.mark.parametrize("type_name", list(RECORDS))
def test_keyword_chip_leads_to_its_keyword_page_which_lists_the_record(page, reader, real_corpus, type_name):
    entry = real_corpus.entries[RECORDS[type_name]]
    assert entry.type == type_name and entry.meta.keywords
    keyword = entry.meta.keywords[-1]
    page.goto(reader + page_of(entry).removeprefix(BASE))
    chip = page.locator(".efc-keywords a.efc-chip", has_text=real_corpus.label("keywords", keyword))
    assert chip.count() == 1
    chip.click()
    page.wait_for_url(f"**{BASE}mots-cles/{keyword}/")
    assert page.locator("article h1").inner_text().replace("¶", "").strip() == real_corpus.label("keywords", keyword)
    listed_paths = [p for paths in listed(page).values() for p in paths]
    tagged = {page_of(e) for e in real_corpus.entries.values() if keyword in getattr(e.meta, "keywords", [])}
    assert page_of(entry) in listed_paths
    assert set(listed_paths) == tagged and len(listed_paths) == len(tagged)


def test_every_keyword_page_lists_exactly_the_records_that_carry_it(real_site, real_corpus):
    from selectolax.lexbor import LexborHTMLParser

    wrong = {}
    keywords = {k for e in real_corpus.entries.values() for k in getattr(e.meta, "keywords", [])}
    for keyword in sorted(keywords):
        html = LexborHTMLParser((real_site / "mots-cles" / keyword / "index.html").read_text(encoding="utf-8"))
        shown = {urljoin(f"{BASE}mots-cles/{keyword}/", a.attributes["href"])
                 for a in html.css("article li > a:not(.efc-term)")}
        tagged = {page_of(e) for e in real_corpus.entries.values() if keyword in getattr(e.meta, "keywords", [])}
        if shown != tagged:
            wrong[keyword] = (sorted(shown - tagged), sorted(tagged - shown))
    assert wrong == {}


FACETS = {  # facet page -> (record type, vocabulary, the values a record's front matter gives)
    "methodes/par-phase/": ("method", "phases", lambda e: e.meta.phases),
    "monographies/par-region/": ("monograph", "regions",
                                 lambda e: [e.meta.place.region] if e.meta.place and e.meta.place.region else []),
    "monographies/par-type/": ("monograph", "dynamic_types", lambda e: [e.meta.dynamic_type] if e.meta.dynamic_type else []),
    "monographies/par-theme/": ("monograph", "themes", lambda e: e.meta.themes),
}


@pytest.mark.parametrize("facet", list(FACETS))
def test_facet_page_lists_the_records_of_each_value(page, reader, real_corpus, facet):
    type_name, vocabulary, values_of = FACETS[facet]
    expected: dict[str, set[str]] = {}
    for entry in real_corpus.of_type(type_name):
        for value in values_of(entry):
            expected.setdefault(value, set()).add(page_of(entry))
    page.goto(reader + facet)
    shown = listed(page)
    assert {value: set(paths) for value, paths in shown.items()} == expected
    assert all(len(paths) == len(set(paths)) for paths in shown.values())
    # the chips at the top count the records of each value and lead to its section
    chips = page.eval_on_selector_all("nav.efc-facet-nav a.efc-chip", "els => els.map(a => a.getAttribute('href') + ' ' + a.textContent)")
    assert sorted(chips) == sorted(f"#{v} {real_corpus.label(vocabulary, v)} ({len(p)})" for v, p in expected.items())


def test_backlinks_between_methods_and_monographs_on_both_ends(real_site, real_corpus):
    """Every method a monograph names is listed on the monograph, and the monograph on the method's page."""
    from selectolax.lexbor import LexborHTMLParser

    def under(entry, heading_id: str) -> set[str]:
        here = page_of(entry)
        html = LexborHTMLParser((real_site / here.removeprefix(BASE) / "index.html").read_text(encoding="utf-8"))
        heading = html.css_first(f"article h2#{heading_id}")
        assert heading is not None, f"{here}: no h2#{heading_id}"
        paths, node = set(), heading.next
        while node is not None and node.tag != "h2":
            if node.tag == "ul":
                paths |= {urljoin(here, a.attributes["href"]) for a in node.css("li > a:not(.efc-term)")}
            node = node.next
        return paths

    pairs = [(m, real_corpus.entries[x]) for m in real_corpus.of_type("monograph") for x in m.meta.methods
             if x in real_corpus.entries]
    assert len(pairs) >= 50
    missing_on_monograph = [(m.id, x.id) for m, x in pairs if page_of(x) not in under(m, "methodes-et-outils-mobilises")]
    missing_on_method = [(m.id, x.id) for m, x in pairs if page_of(m) not in under(x, "ou-elle-a-ete-utilisee")]
    assert (missing_on_monograph, missing_on_method) == ([], [])


def test_backlink_round_trip_in_the_browser(page, reader, real_corpus):
    monograph = real_corpus.entries[RECORDS["monograph"]]
    method = real_corpus.entries[monograph.meta.methods[0]]
    page.goto(reader + page_of(monograph).removeprefix(BASE))
    page.locator("article h2#methodes-et-outils-mobilises + ul a", has_text=method.title).click()
    page.wait_for_url("**" + page_of(method))
    assert page_of(monograph) in listed(page, "ou-elle-a-ete-utilisee")["ou-elle-a-ete-utilisee"]
    page.locator("article h2#ou-elle-a-ete-utilisee + ul a", has_text=monograph.title).click()
    page.wait_for_url("**" + page_of(monograph))


# --- layouts at phone and desktop widths --------------------------------------------------------------------

LAYOUT_PAGES = {
    "home": "",
    "404": "glossaire/tiers-lieux/",
    **{type_name: f"{section}/{RECORDS[type_name]}/" for type_name, section in (
        ("method", "methodes"), ("term", "glossaire"), ("monograph", "monographies"), ("concept", "referentiel"),
        ("resource", "ressources"))},
    "keyword": "mots-cles/cooperation/",
    "facet": "monographies/par-region/",
    "monographs-index": "monographies/",
    "keywords-index": "mots-cles/",
}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(scope="module", params=list(WIDTHS))
def sized(request, chromium):
    context = new_context(chromium, **WIDTHS[request.param])
    yield request.param, context
    context.close()


@pytest.mark.parametrize("name", list(LAYOUT_PAGES))
def test_layout_without_horizontal_overflow(sized, reader, name):
    width, context = sized
    page = context.new_page()
    page.goto(reader + LAYOUT_PAGES[name])
    page.wait_for_load_state("networkidle")
    screenshot(page, f"{name}-{width}")
    measure = overflow(page)
    assert measure["scrollWidth"] <= measure["innerWidth"], measure
    assert measure["culprits"] == [], measure
    # tables the generator writes never need a sideways scroll (on phones their rows become cards)
    assert page.evaluate("[...document.querySelectorAll('.efc-table .md-typeset__scrollwrap')]"
                         ".every(w => w.scrollWidth <= w.clientWidth)")
    if name in RECORDS and width == "phone":
        # the metadata panel stacks its labels above their values instead of squeezing two columns
        columns = page.evaluate("() => getComputedStyle(document.querySelector('.efc-meta dl') || document.body)"
                                ".gridTemplateColumns.split(' ').length")
        assert columns == 1 or page.locator(".efc-meta dl").count() == 0
    page.close()


def test_search_results_layout(sized, reader):
    width, context = sized
    page = context.new_page()
    page.goto(reader)
    open_search(page, "tiers lieu")
    screenshot(page, f"search-{width}", full_page=False)
    assert search_results(page)[0]["title"] == "Tiers-lieu"
    assert page.locator(".efc-search__results").is_visible()
    measure = overflow(page)
    assert measure["scrollWidth"] <= measure["innerWidth"], measure
    page.close()


def test_navigation_on_phone_opens_the_drawer_with_every_section(phone, reader):
    page = phone.new_page()
    page.goto(reader)
    assert not page.locator(".md-tabs").is_visible()  # no tab bar on a phone: the drawer holds the sections
    page.locator("label.md-header__button[for='__drawer']").tap()
    drawer = page.locator("nav.md-nav--primary")
    drawer.wait_for(state="visible")
    # the drawer slides in: wait until its transition has ended
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    screenshot(page, "navigation-phone", full_page=False)
    labels = drawer.evaluate("nav => [...nav.querySelectorAll(':scope > ul > li')]"
                             ".map(li => li.querySelector('.md-nav__link').textContent.trim())")
    assert labels == SECTIONS
    measure = overflow(page)
    assert measure["scrollWidth"] <= measure["innerWidth"], measure
    drawer.get_by_role("link", name="Glossaire", exact=True).tap()
    page.wait_for_url(f"**{BASE}glossaire/")
    page.close()


SECTIONS = ["Accueil", "Explorer", "Méthodes", "Monographies", "Glossaire", "Référentiel", "Carte", "Réseau", "Acteurs",
            "Ressources", "Mots-clés", "Parcours", "Données", "À propos"]


def test_navigation_on_desktop_shows_every_section_as_a_tab(page, reader):
    page.goto(reader + "glossaire/")
    tabs = [t.strip() for t in page.locator(".md-tabs__link").all_inner_texts()]
    assert tabs == SECTIONS
    active = page.locator(".md-tabs__item--active").inner_text().strip()
    assert active == "Glossaire"
    screenshot(page, "navigation-desktop", full_page=False)


# --- the 404 page -------------------------------------------------------------------------------------------

def test_unknown_address_gets_the_french_404_page_which_leads_back(page, reader, real_site):
    assert (real_site / "404.html").is_file()  # written by MkDocs from overrides/404.html
    response = page.goto(reader + "glossaire/tiers-lieux/")  # a plausible wrong address: the plural
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.title() == "Page introuvable - Centre de ressources EFC"
    assert page.locator("article h1").inner_text().replace("¶", "").strip() == "Page introuvable"
    assert "faute de frappe" in page.locator("article").inner_text()
    # styled at any depth: the theme's stylesheet and ours are found through absolute URLs
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == "rgb(0, 122, 108)"
    # every section of the site, each link alive
    sections = page.locator("ul.efc-notfound-sections a")
    assert [t.strip() for t in sections.all_inner_texts()] == SECTIONS
    for href in sections.evaluate_all("els => els.map(a => a.href)"):
        assert page.request.get(href).status == 200, href
    # the search, pre-filled with the words of the address; submitting it opens the site's search
    field = page.get_by_label("Chercher dans le centre")
    assert field.input_value() == "tiers lieux"
    screenshot(page, "404-desktop", full_page=False)
    field.press("Enter")
    page.wait_for_url(f"**{BASE}?q=tiers+lieux")
    wait_for_results(page)
    assert search_results(page)[0]["path"] == BASE + "glossaire/tiers-lieu/"


def test_404_page_at_any_depth_and_outside_the_site(page, reader):
    response = page.goto(reader + "a/b/c/inconnu.html")
    assert response.status == 404
    assert page.get_by_label("Chercher dans le centre").input_value() == "inconnu"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == "rgb(0, 122, 108)"
    response = page.goto(urljoin(reader, "/ailleurs/"))
    assert response.status == 404
    assert page.locator("article h1").inner_text().replace("¶", "").strip() == "Page introuvable"


# --- print --------------------------------------------------------------------------------------------------

HIDDEN_IN_PRINT = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".efc-search",
                   ".md-footer", ".efc-contribute"]


def after(page, selector: str) -> str:
    return page.eval_on_selector(selector, "a => getComputedStyle(a, '::after').content")


@pytest.mark.parametrize("type_name", ["method", "resource"])
def test_record_prints_cleanly(page, reader, real_corpus, type_name):
    entry = real_corpus.entries[RECORDS[type_name]]
    page.goto(reader + page_of(entry).removeprefix(BASE))
    for selector in HIDDEN_IN_PRINT[:-1]:
        if selector == ".md-sidebar--primary":  # records are outside the navigation: no empty column, even on screen
            assert page.locator(selector).first.get_attribute("hidden") is not None
            continue
        assert page.locator(selector).first.is_visible(), selector  # on screen, all of them are there
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("article h1").is_visible()
    # the licence line and the citation block are kept, whole
    cite = page.locator(".efc-cite")
    assert cite.is_visible()
    assert "Ce contenu est diffusé sous licence CC BY-SA 4.0" in cite.inner_text()
    citation = page.locator(".efc-citation").inner_text()
    assert citation.startswith(f"Centre de ressources EFC, «\u202f{french(entry.title)}\u202f»")  # French spaces
    assert "https://centre-ressources-efc.github.io/centre-ressources/" + page_of(entry).removeprefix(BASE) in citation
    assert page.eval_on_selector(".efc-cite", "e => getComputedStyle(e).breakInside") == "avoid"
    # internal links print as text: their relative address would mean nothing on paper
    assert after(page, "article .efc-kicker a") == "none"
    if type_name == "resource":  # the address shown as the link's text is not printed twice
        assert page.locator("a.efc-url").inner_text() == entry.meta.link
        assert after(page, "a.efc-url") == "none"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"print-{type_name}.png"), full_page=True)
    pdf = page.pdf(path=str(ARTIFACTS / f"print-{type_name}.pdf"), format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    assert 1 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 6  # a record is a few pages, not the whole site


def test_external_link_prints_its_address_after_its_text(page, reader):
    page.goto(reader + "licence/")
    page.emulate_media(media="print")
    link = "article a[href^='https://creativecommons.org/']"
    href = page.eval_on_selector(link, "a => a.href")
    assert after(page, link) == f'" ({href})"'
