"""The reader's path on the REAL site (issue 14): what every page shows is text and links, never raw Markdown;
each record is listed once per page; French typography; no request leaves the site; readers keep their place.

HTML scans read every file of `real_site` with selectolax; browser tests use the `reader` server and Chromium."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from .helpers import ROOT, run, write

RAW = ("](", "[[", "]]", "{ .", "**")  # Markdown and wiki syntax a reader should never see
CODE = {"code", "pre", "kbd", "samp", "script", "style", "template", "textarea"}
RECORD_SECTIONS = ("methodes", "monographies", "glossaire", "referentiel", "ressources", "parcours", "acteurs")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def record_pages(site: Path) -> list[Path]:
    return [f for section in RECORD_SECTIONS for f in sorted((site / section).glob("*/index.html"))
            if not f.parent.name.startswith("par-")]


def in_code(node) -> bool:
    while node is not None:
        if node.tag in CODE:
            return True
        node = node.parent
    return False


def text_nodes(root):
    """The visible text nodes of an element, outside code."""
    for node in root.traverse(include_text=True):
        if node.tag == "-text" and node.text_content.strip() and not in_code(node.parent):
            yield node


def parse(path: Path):
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


# --- 1. no raw Markdown -------------------------------------------------------------------------------------

def test_no_page_shows_raw_markdown_or_wiki_syntax(real_site):
    pages = html_pages(real_site)
    assert len(pages) > 300
    found = defaultdict(list)
    for path in pages:
        body = parse(path).body
        for node in text_nodes(body):
            text = node.text_content
            for mark in RAW:
                if mark in text:
                    found[str(path.relative_to(real_site))].append(f"{mark} in {text.strip()[:60]!r}")
    assert dict(found) == {}


def test_keyword_index_links_every_keyword(real_site, real_corpus):
    from generator.indexing import keywords

    tree = parse(real_site / "mots-cles" / "index.html")
    links = {a.text().strip(): a.attributes["href"] for a in tree.css("article td a")}
    expected = {real_corpus.label("keywords", k): f"{k}/" for k in keywords(real_corpus)}
    assert links == expected


# --- relations: each record listed once ---------------------------------------------------------------------

STRUCTURED = ("Méthodes et outils mobilisés", "Dynamiques de ce programme", "Dans cette partie du référentiel",
              "Fiches qui s'appuient sur cette ressource", "Où elle a été utilisée", "Où cet acteur intervient", "Sources")
LOOSE = ("Voir aussi", "Pages qui renvoient ici", "Pages qui emploient ce terme", "Ce qui l'illustre")


def listed_by_section(article) -> tuple[list[tuple[str, str]], set[str]]:
    """(h2 heading, target path) of the first link of every list item, in page order; and every link target
    of the parts that are not generated sections (the body's wiki links; glossary terms in the text do not list)."""
    items, body, heading = [], set(), ""
    for node in article.traverse():
        if node.tag == "h2":
            heading = node.text().strip().rstrip("¶").strip()
        elif node.tag == "a" and heading not in STRUCTURED + LOOSE and "efc-term" not in (node.attributes.get("class") or "") \
                and node.parent.parent.tag != "nav":  # the breadcrumb (nav > p > a) lists nothing
            body.add((node.attributes.get("href") or "").split("#")[0])
        elif node.tag == "li" and (a := node.css_first("a")) is not None:
            href = a.attributes.get("href") or ""
            if "efc-term" not in (a.attributes.get("class") or "") and not href.startswith(("http", "#", "mailto:")):
                items.append((heading, href.split("#")[0]))
    return items, body


def test_no_record_page_lists_the_same_page_twice(real_site):
    """Relation sections list each page once, in one section, and « Sources » each resource once; the loose
    lists (« Voir aussi », backlinks, illustrations) leave out what the body links to and the sources."""
    repeated = {}
    pages = record_pages(real_site)
    assert len(pages) > 250
    for path in pages:
        article = parse(path).css_first("article")
        items, in_body = listed_by_section(article)
        generated = [href for heading, href in items if heading in STRUCTURED + LOOSE and heading != "Sources"]
        sources = [href for heading, href in items if heading == "Sources"]
        twice = sorted({h for h in generated if generated.count(h) > 1} | {h for h in sources if sources.count(h) > 1})
        twice += sorted({href for heading, href in items if heading in LOOSE and (href in in_body or href in sources)})
        if twice:
            repeated[str(path.relative_to(real_site))] = twice
    assert repeated == {}


def test_wiki_link_titles_do_not_double_the_article(real_site):
    doubled = {}
    for path in record_pages(real_site) + [real_site / "index.html"]:
        text = parse(path).css_first("article").text(separator="")
        hits = re.findall(r"\b(?:[Ll]e|[Ll]a|[Ll]es) (?:Le|La|Les)\b|\b[Ll]['’] ?L['’]", text)
        if hits:
            doubled[str(path.relative_to(real_site))] = hits
    assert doubled == {}


def test_article_before_a_wiki_link():
    from generator.linking import _after_article

    assert _after_article("dans la ", "La Biovallée") == "Biovallée"
    assert _after_article("à l’", "L'Atelier") == "Atelier"
    assert _after_article("des ", "Les Jardins de la voie romaine") == "Jardins de la voie romaine"
    assert _after_article("voir ", "La Biovallée") == "La Biovallée"
    assert _after_article("la ", "Lavande") == "Lavande"
    assert _after_article("de la ", "Le Lab") == "Le Lab"



# --- 2. French typography -----------------------------------------------------------------------------------

NNBSP = "\u202f"
MISSING_SPACE = re.compile(r"[^\W_][ ]?[;:!?](?=\s|$)|« |«(?=\w)| »|(?<=\w)»")  # no space or a breaking one


def visible_text(root) -> str:
    """The text of an element as a reader reads it, each code element replaced by one NUL; hidden elements (what
    the search index reads besides the page) left out."""
    parts = []
    for node in root.traverse(include_text=True):
        if node.tag == "-text" and not any("hidden" in (parent.attributes or {}) for parent in _ancestors(node)):
            parts.append("\0" if in_code(node.parent) else node.text_content)
    return "".join(parts)


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def test_french_spaces_before_high_punctuation_and_inside_guillemets(real_site):
    wrong, right = {}, 0
    for path in html_pages(real_site):
        article = parse(path).css_first("article")
        if article is None:
            continue
        text = visible_text(article)
        right += text.count(NNBSP)
        found = [text[max(0, m.start() - 25):m.end() + 5] for m in MISSING_SPACE.finditer(text)]
        if found:
            wrong[str(path.relative_to(real_site))] = found[:5]
    assert wrong == {}
    assert right > 5000  # the site has thousands of them: the rule ran


def test_numbers_and_units_do_not_break(real_site):
    text = visible_text(parse(real_site / "monographies" / "biovallee" / "index.html").css_first("article"))
    assert re.search(r"\d \d{3}\b|\d (?:M€|k€|€|%)", text) is None
    assert re.search("\\d\u00a0(?:M€|k€|€|%)", "".join(visible_text(parse(p).css_first("article") or parse(p).body)
                                                       for p in record_pages(real_site)))


def test_typography_leaves_code_urls_attributes_and_syntax_alone():
    from generator.typography import french

    page = ('---\ntitle: "A : B"\n---\n\n# Titre : sous-titre\n\nVoir `a : b` et [Lien ?](../x.md "titre : t"), '
            "https://x.org/a?b=c : fin.\n\n:material-tag-outline: <span data-label=\"x : y\">Mots-clés :</span> "
            "&amp; « oui » 18,5 M€, 1 000 habitants, en 2019 2020, 10:30.\n\nPhases\n:   valeur\n\n"
            "```\ncode : x ?\n```\n\n!!! warning \"Ne pas confondre\"\n    Vraiment !\n")
    out = french(page)
    assert out == ('---\ntitle: "A : B"\n---\n\n# Titre\u202f: sous-titre\n\nVoir `a : b` et [Lien\u202f?](../x.md "titre : t"), '
                   "https://x.org/a?b=c\u202f: fin.\n\n:material-tag-outline: <span data-label=\"x : y\">Mots-clés\u202f:</span> "
                   "&amp; «\u202foui\u202f» 18,5\u00a0M€, 1\u00a0000 habitants, en 2019 2020, 10:30.\n\nPhases\n:   valeur\n\n"
                   "```\ncode : x ?\n```\n\n!!! warning \"Ne pas confondre\"\n    Vraiment\u202f!\n")
    assert french(out) == out


def test_built_code_and_addresses_keep_their_spaces(repo):

    write(repo, "tools_methods/code-et-adresses.md", """\
        ---
        title: "Code et adresses"
        summary: "Une fiche : avec du code."
        keywords: [animation]
        sources:
          - ref: rapport-test
            loc: "page 9"
        ---

        Lancer `python -m generator check : ok ?` puis lire https://example.org/a?b=c : voilà !
        Voir [l'exemple](https://example.org/?q=a:b "titre : t").

        ```text
        clé : valeur ; autre ! « non »
        ```
        """)
    assert run(repo, "build").returncode == 0
    tree = parse(repo / "site" / "methodes" / "code-et-adresses" / "index.html")
    codes = [c.text() for c in tree.css("article code")]
    assert "python -m generator check : ok ?" in codes
    assert any("clé : valeur ; autre ! « non »" in c for c in codes)
    assert "https://example.org/?q=a:b" in [a.attributes["href"] for a in tree.css("article a")]
    assert "titre : t" in [a.attributes.get("title") for a in tree.css("article a")]
    assert f"https://example.org/a?b=c{NNBSP}: voilà" in visible_text(tree.css_first("article"))
    assert f"voilà{NNBSP}!" in visible_text(tree.css_first("article"))
    assert f"Une fiche{NNBSP}: avec du code." in visible_text(tree.css_first("article"))


# --- 3. privacy: no request leaves the site -----------------------------------------------------------------

# one page of each type: home, section indexes, facets, keyword index and page, a record of each type, 404
PAGE_TYPES = ["", "methodes/", "methodes/par-phase/", "methodes/forum-ouvert/", "monographies/", "monographies/par-theme/",
              "monographies/biovallee/", "glossaire/", "glossaire/cooperation/", "referentiel/",
              "referentiel/grille-du-score-ect/", "ressources/", "ressources/atemis-ect-2024/", "mots-cles/",
              "mots-cles/cooperation/", "a-propos/", "licence/", "page-qui-n-existe-pas/"]


@pytest.fixture(scope="module")
def pages_of(chromium):
    from .browser import DESKTOP, PHONE, new_context

    contexts = {"desktop": new_context(chromium, **DESKTOP), "phone": new_context(chromium, **PHONE)}
    yield contexts
    for context in contexts.values():
        context.close()


def test_no_page_requests_another_host(pages_of, reader):
    from urllib.parse import urlsplit

    from .browser import open_search

    site = urlsplit(reader)
    for name, context in pages_of.items():
        requested: list[str] = []
        context.on("request", lambda r, seen=requested: seen.append(r.url))
        # every page type at once, each in its own tab, until its network has been idle for 500 ms (what a page
        # asks late, after its load event, is seen too); the browser refuses other hosts (browser.CHROMIUM_ARGS)
        pages = [context.new_page() for _ in PAGE_TYPES]
        for page, path in zip(pages, PAGE_TYPES, strict=True):
            page.goto(reader + path, wait_until="commit")
        for page in pages:
            page.wait_for_load_state("networkidle")
        open_search(pages[0], "cooperation")  # the search worker and its index
        pages[0].wait_for_load_state("networkidle")
        for page in pages:
            page.close()
        off_site = sorted({u for u in requested if urlsplit(u).scheme in ("http", "https")
                           and (urlsplit(u).hostname, urlsplit(u).port) != (site.hostname, site.port)})
        assert off_site == [], name
        assert {urlsplit(u).path.removeprefix(site.path) for u in requested} >= set(PAGE_TYPES)  # the listener saw them
        assert any(urlsplit(u).path.startswith(site.path + "pagefind/") for u in requested)  # and the search index
        # Material fetches sitemap.xml (all the site's pages) for each <link rel="alternate">, taken for a language:
        # the feed is advertised as rel="alternate feed", which it leaves alone (and feed readers still find)
        assert [u for u in requested if urlsplit(u).path.endswith("sitemap.xml")] == [], name


def test_repository_link_without_api(real_site):
    for path in (real_site / "index.html", real_site / "methodes" / "forum-ouvert" / "index.html"):
        html = path.read_text(encoding="utf-8")
        assert 'data-md-component="source"' not in html  # Material's script would ask api.github.com
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
        link = parse(path).css_first("a.md-source")
        assert link.attributes["href"] == "https://github.com/centre-ressources-efc/centre-ressources"
        assert "centre-ressources" in link.text()


# --- 4. readers keep their place ----------------------------------------------------------------------------

ACTIVE_TAB = {"methodes/forum-ouvert/": "Méthodes", "monographies/biovallee/": "Monographies",
              "glossaire/cooperation/": "Glossaire", "referentiel/grille-du-score-ect/": "Référentiel",
              "ressources/atemis-ect-2024/": "Ressources", "mots-cles/cooperation/": "Mots-clés",
              "methodes/par-phase/": "Méthodes", "licence/": "À propos", "": "Accueil"}


def test_the_tab_of_the_page_section_is_active(real_site):
    for path, tab in ACTIVE_TAB.items():
        tree = parse(real_site / path / "index.html")
        assert [t.text().strip() for t in tree.css(".md-tabs__item--active")] == [tab], path


def test_every_record_page_has_a_breadcrumb_to_its_section(real_site, real_corpus):
    from generator.registry import TYPES
    from generator.text import md_text
    from generator.typography import french

    records = [e for e in real_corpus.entries.values() if e.type != "page"]
    for entry in records:
        tree = parse(real_site / entry.page.removesuffix(".md") / "index.html")
        crumbs = tree.css_first("nav.efc-breadcrumb")
        assert crumbs is not None, entry.id
        links = [(a.text(), a.attributes["href"]) for a in crumbs.css("a")]
        assert links[0][0] == "Accueil"
        assert links[1] == (TYPES[entry.type].index_title, "../")
        assert crumbs.css_first("[aria-current=page]").text() == html.unescape(french(md_text(entry.title))), entry.id


def test_long_records_list_their_sections_and_each_leads_to_a_heading(real_site, real_corpus):
    long_pages = 0
    for entry in (e for e in real_corpus.entries.values() if e.type != "page"):
        tree = parse(real_site / entry.page.removesuffix(".md") / "index.html")
        h2 = [h.attributes["id"] for h in tree.css("article h2[id]")]
        toc = tree.css_first("details.efc-page-toc")
        if len(h2) < 4:
            assert toc is None, entry.id
            continue
        long_pages += 1
        assert toc.css_first("summary").text().strip() == "Sur cette page"
        assert [a.attributes["href"] for a in toc.css("a")] == [f"#{i}" for i in h2], entry.id
    assert long_pages > 100


def test_record_pages_on_desktop_have_no_empty_column_and_on_phones_a_contents(pages_of, reader):
    from .browser import screenshot

    desktop, phone = pages_of["desktop"].new_page(), pages_of["phone"].new_page()
    for path in ("monographies/biovallee/", "methodes/forum-ouvert/", "mots-cles/cooperation/"):
        desktop.goto(reader + path)
        left = desktop.evaluate("""() => { const s = document.querySelector('.md-sidebar--primary');
            return s.offsetWidth && getComputedStyle(s).display !== 'none' ? s.innerText.trim().length : -1 }""")
        assert left != 0, path  # hidden (-1), or a column with something in it
        content = desktop.locator("article").bounding_box()
        assert content["x"] < 120, path  # the text starts near the left edge, not after an empty column
        assert not desktop.locator("details.efc-page-toc").is_visible()  # Material's contents is on the right
        screenshot(desktop, "reader-" + path.strip("/").replace("/", "-") + "-desktop", full_page=False)
    phone.goto(reader + "monographies/biovallee/")
    toc = phone.locator("details.efc-page-toc")
    assert toc.is_visible()
    toc.locator("summary").click()
    phone.locator("details.efc-page-toc a").nth(2).click()
    phone.wait_for_timeout(300)
    target = phone.evaluate("() => location.hash")
    assert target and phone.locator(f"h2{target}").bounding_box()["y"] < 300
    screenshot(phone, "reader-biovallee-contents-phone", full_page=False)
    # the drawer still holds the navigation on phones
    phone.locator("label.md-header__button[for='__drawer']").click()
    phone.wait_for_timeout(400)
    assert phone.locator(".md-sidebar--primary .md-nav__link", has_text="Méthodes").first.is_visible()
    desktop.close()
    phone.close()


# --- 5. wide tables, tooltips, chips, titles ----------------------------------------------------------------

WIDE = ["referentiel/grille-du-score-ect/"]  # the pillar table of the scored monographs became a chart (test_compare.py)


@pytest.mark.parametrize("path", WIDE)
def test_wide_tables_keep_their_key_column_on_phones_and_fit_on_desktops(chromium, reader, path):
    from .browser import PHONE, new_context, screenshot

    context = new_context(chromium, **PHONE)
    page = context.new_page()
    page.goto(reader + path)
    scrolled = page.evaluate("""() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1)
        .map(w => { w.scrollLeft = w.scrollWidth; const key = w.querySelector('tbody td'), box = w.getBoundingClientRect();
                    const r = key.getBoundingClientRect(); return [Math.round(r.left - box.left), Math.round(r.width)]; })""")
    assert scrolled, "a table wider than a phone"
    for left, width in scrolled:
        assert left <= 1 and width > 60  # scrolled to the end, the key column is still there
    screenshot(page, "reader-wide-table-" + path.strip("/").split("/")[-1] + "-phone", full_page=False)
    context.close()
    context = new_context(chromium, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(reader + path)
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.md-content table')]
        .filter(t => t.scrollWidth > t.clientWidth + 1
                     || t.getBoundingClientRect().right > t.closest('.md-content__inner').getBoundingClientRect().right + 1)
        .length""")
    assert overflowing == 0
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 1366
    context.close()


def test_glossary_tooltips_are_readable(pages_of, reader):
    page = pages_of["desktop"].new_page()
    page.goto(reader + "methodes/chantier-collectif/")
    page.locator("a.efc-term").first.hover()
    tip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    tip.wait_for()
    size = float(tip.evaluate("e => getComputedStyle(e.querySelector('*') || e).fontSize").removesuffix("px"))
    assert size >= 14
    page.close()


def test_themes_and_keywords_are_told_apart(pages_of, reader):
    page = pages_of["desktop"].new_page()
    page.goto(reader + "monographies/biovallee/")
    theme, keyword = page.locator(".efc-chips--theme a.efc-chip").first, page.locator(".efc-chips--keyword a.efc-chip").first
    said = "e => e.previousElementSibling.className + '|' + e.previousElementSibling.textContent"  # said, not shown
    assert theme.evaluate(said) == "efc-sr-only|Thème\u202f: "
    assert keyword.evaluate(said) == "efc-sr-only|Mot-clé\u202f: "
    style = "e => { const s = getComputedStyle(e); return [s.borderRadius, s.backgroundColor, s.borderTopColor]; }"
    assert theme.evaluate(style) != keyword.evaluate(style)
    page.close()


def test_record_titles_are_not_lighter_than_section_headings(pages_of, reader):
    page = pages_of["desktop"].new_page()
    page.goto(reader + "methodes/forum-ouvert/")
    style = "e => { const s = getComputedStyle(e); return [parseInt(s.fontWeight), s.color]; }"
    h1_weight, h1_color = page.locator("article h1").evaluate(style)
    h2_weight, h2_color = page.locator("article h2").first.evaluate(style)
    assert h1_weight >= h2_weight
    assert h1_color == h2_color or h1_color == page.locator("article p").first.evaluate("e => getComputedStyle(e).color")
    page.close()


# --- 6. the home page by need, « Contribuer » ---------------------------------------------------------------

def test_home_page_leads_by_need_with_computed_counts(real_site, real_corpus):
    tree = parse(real_site / "index.html")
    article = tree.css_first("article")
    headings = [h.text().strip().rstrip("¶").strip() for h in article.css("h2")]
    assert headings[:4] == ["Je cherche une méthode pour…", "Des dynamiques comme la mienne", "Comprendre l'EFC et l'ECT",
                            "Contribuer"]
    text = visible_text(article).replace(NNBSP, " ")
    methods = real_corpus.of_type("method")
    assert f"{len(methods)} méthodes et outils" in text
    for value, entry in real_corpus.vocabularies["phases"].items():
        count = sum(value in m.meta.phases for m in methods)
        link = article.css_first(f'a[href="methodes/par-phase/#{value}"]')
        assert link is not None and link.text() == entry.label
        assert f"{count} méthode" in link.parent.text()
    dynamics = [m for m in real_corpus.of_type("monograph") if m.meta.kind == "dynamique"]
    assert f"{len(dynamics)} dynamiques territoriales" in text
    featured = article.css("h2#dynamiques ~ ul")[1].css("li > a, li > p > a")
    assert len(featured) == 3 and all(a.attributes["href"].startswith("monographies/") for a in featured)
    assert article.css_first("h2#nouveautes") is not None
    assert len(article.css("h2#nouveautes ~ ul li")) == 6
    assert f"parmi {sum(1 for e in real_corpus.entries.values() if e.type != 'page')} fiches" in text
    assert article.css_first('a[href="contribuer/"]') is not None


def test_contribute_page_links_the_issue_forms_and_the_guide(real_site):
    from generator.site import settings


    repo_url = settings(ROOT).repo_url.rstrip("/")
    forms = sorted(p.name for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
    assert forms
    tree = parse(real_site / "contribuer" / "index.html")
    hrefs = [a.attributes.get("href") for a in tree.css("article a")]
    for form in forms:
        assert f"{repo_url}/issues/new?template={form}" in hrefs
    assert f"{repo_url}/blob/main/CONTRIBUTING.md" in hrefs
    about = [a.text().strip() for a in tree.css("nav.md-tabs a, .md-nav a")]
    assert "Contribuer" in about  # in the navigation, under « À propos »


def test_no_page_tells_readers_to_run_the_generator(real_site):
    told = [str(p.relative_to(real_site)) for p in html_pages(real_site)
            if "python -m generator" in parse(p).body.text()]  # code included: a command is what it would show
    assert told == []


# --- 7. reading paths (« parcours ») --------------------------------------------------------------------------

def test_reading_paths_list_their_steps_in_order(real_site, real_corpus):
    paths = real_corpus.of_type("path")
    assert len(paths) == 4
    index = parse(real_site / "parcours" / "index.html")
    assert sorted(a.attributes["href"] for a in index.css("article li > a, article li > p > a")) == \
        sorted(f"{p.id}/" for p in paths)
    for path in paths:
        tree = parse(real_site / "parcours" / path.id / "index.html")
        steps = tree.css("h2#etapes + ol > li")
        assert len(steps) == len(path.meta.steps) >= 2
        for li, step in zip(steps, path.meta.steps, strict=True):
            target = real_corpus.entries[step.ref]
            assert li.css_first("a").attributes["href"] == "../../" + target.page.removesuffix(".md") + "/"
            assert visible_text(li).replace(NNBSP, " ").rstrip().endswith(step.why.replace(NNBSP, " "))


def test_reading_path_steps_are_checked(repo):

    write(repo, "content/parcours/parcours-test.md", """\
        ---
        title: "Parcours de test"
        summary: "Un parcours."
        audience: "les testeurs"
        steps:
          - ref: forum-ouvert
            why: "Une méthode."
          - ref: forum-ouvrt
            why: "Une faute de frappe."
          - ref: cas-test
        ---

        Un parcours.
        """)
    result = run(repo, "check")
    assert result.returncode == 1  # a step without its sentence
    assert "content/parcours/parcours-test.md:10: erreur [field-missing] Champ obligatoire « steps › élément 3 › why »" in result.stdout
    text = (repo / "content/parcours/parcours-test.md").read_text(encoding="utf-8")
    (repo / "content/parcours/parcours-test.md").write_text(text.replace("  - ref: cas-test\n", ""), encoding="utf-8")
    result = run(repo, "check")
    assert result.returncode == 1
    assert "content/parcours/parcours-test.md:8: erreur [ref-unknown] « forum-ouvrt » ne correspond à aucune fiche" in result.stdout
    assert "vouliez-vous dire « forum-ouvert » ?" in result.stdout
    write(repo, "content/parcours/parcours-test.md", """\
        ---
        title: "Parcours de test"
        audience: "les testeurs"
        steps:
          - ref: forum-ouvert
            why: "Une seule étape."
        ---

        Un parcours.
        """)
    result = run(repo, "check")
    assert result.returncode == 1 and "la liste est trop courte" in result.stdout + result.stderr


PAGE_SCRIPTS = {"explorer/": ["efc/dom.js", "efc/explorer.js"], "methodes/": ["efc/dom.js", "efc/explorer.js"],
                "monographies/": ["efc/dom.js", "efc/explorer.js"], "carte/": ["efc/carte.js"],
                "comparer/": ["efc/dom.js", "efc/compare.js"], "reseau/": ["efc/reseau.js"]}


def test_page_scripts_load_only_on_their_pages(real_site, real_corpus):
    """The explorer's, the map's, comparer's and the network's scripts (efc_scripts front matter, overrides/main.html)
    load on their pages, after the shared ones, and on no record page; comparer shows its table before the choice."""
    def scripts(page: str) -> list[str]:
        tree = LexborHTMLParser((real_site / page / "index.html").read_text(encoding="utf-8"))
        return [re.sub(r"^(\.\./)+", "", s.attributes["src"]) for s in tree.css("script[src]")]

    own = {src for sources in PAGE_SCRIPTS.values() for src in sources}
    for page, expected in PAGE_SCRIPTS.items():
        found = scripts(page)
        assert [s for s in found if s in own] == expected, page
        assert found.index(expected[0]) > found.index("efc/search.js"), page
    for entry in list(real_corpus.entries.values())[:40]:
        if entry.type != "page":
            assert not own & set(scripts(entry.page.removesuffix(".md"))), entry.page
    comparer = (real_site / "comparer" / "index.html").read_text(encoding="utf-8")
    assert comparer.index('class="efc-compare-out"') < comparer.index('class="efc-compare-form"')
