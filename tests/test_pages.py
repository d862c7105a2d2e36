"""The reader's path on the REAL site (issue 14): what every page shows is text and links, never raw Markdown;
each record is listed once per page; French typography; no request leaves the site; readers keep their place.

HTML scans read every file of `real_site` with selectolax; browser tests use the `reader` server and Chromium."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from .conftest import write

RAW = ("](", "[[", "]]", "{ .", "**")  # Markdown and wiki syntax a reader should never see
CODE = {"code", "pre", "kbd", "samp", "script", "style", "template", "textarea"}
RECORD_SECTIONS = ("methodes", "monographies", "glossaire", "referentiel", "ressources")


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
              "Fiches qui s'appuient sur cette ressource", "Où elle a été utilisée", "Sources")
LOOSE = ("Voir aussi", "Pages qui renvoient ici", "Pages qui emploient ce terme", "Ce qui l'illustre")


def listed_by_section(article) -> tuple[list[tuple[str, str]], set[str]]:
    """(h2 heading, target path) of the first link of every list item, in page order; and every link target
    of the parts that are not generated sections (the body's wiki links; glossary terms in the text do not list)."""
    items, body, heading = [], set(), ""
    for node in article.traverse():
        if node.tag == "h2":
            heading = node.text().strip().rstrip("¶").strip()
        elif node.tag == "a" and heading not in STRUCTURED + LOOSE and "efc-term" not in (node.attributes.get("class") or ""):
            body.add((node.attributes.get("href") or "").split("#")[0])
        elif node.tag == "li" and (a := node.css_first("a")) is not None:
            href = a.attributes.get("href") or ""
            if "efc-term" not in (a.attributes.get("class") or "") and not href.startswith(("http", "#", "mailto:")):
                items.append((heading, href.split("#")[0]))
    return items, body


def test_no_record_page_lists_the_same_page_twice(real_site):
    """Generated sections list each page once, in one section; the loose ones (« Voir aussi », backlinks,
    illustrations) leave out what the body already links to."""
    repeated = {}
    pages = record_pages(real_site)
    assert len(pages) > 250
    for path in pages:
        article = parse(path).css_first("article")
        items, in_body = listed_by_section(article)
        generated = [href for heading, href in items if heading in STRUCTURED + LOOSE]
        twice = sorted({h for h in generated if generated.count(h) > 1})
        twice += sorted({href for heading, href in items if heading in LOOSE and href in in_body})
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
    """The text of an element as a reader reads it, each code element replaced by one NUL."""
    parts = []
    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            parts.append("\0" if in_code(node.parent) else node.text_content)
    return "".join(parts)


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
    from .test_cli import run

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
