"""Real MkDocs builds: the HTML a reader gets."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser


@pytest.fixture(scope="module")
def site(built_repo) -> Path:
    return built_repo / "site"  # the session's small build (conftest.py)


def page(site: Path, path: str) -> HTMLParser:
    return HTMLParser((site / path / "index.html").read_text(encoding="utf-8"))


def test_record_page_has_metadata_relations_sources_and_citation(site):
    html = page(site, "methodes/forum-ouvert")
    assert html.css_first("h1").text().replace("¶", "").strip() == "Forum ouvert"
    assert html.css_first(".efc-meta dl") is not None
    used = [a.text() for a in html.css("h2#ou-elle-a-ete-utilisee ~ ul a")]
    assert "Cas de test" in used
    assert html.css_first(".efc-citation").text().startswith("Centre de ressources EFC, «\u202fForum ouvert\u202f»")
    edit = [a.attributes["href"] for a in html.css("a.efc-edit")]
    assert edit and edit[0].endswith("/edit/main/tools_methods/forum-ouvert.md")


def test_term_tooltip_carries_the_definition(site):
    html = page(site, "methodes/forum-ouvert")
    term = html.css_first("a.efc-term")
    assert term.attributes["title"].startswith("Modèle qui vend des effets utiles")
    assert term.attributes["href"] == "../../glossaire/economie-de-la-fonctionnalite-et-de-la-cooperation/"


def test_backlinks_on_both_ends(site):
    monograph = page(site, "monographies/cas-test")
    assert "Forum ouvert" in [a.text() for a in monograph.css("h2#methodes-et-outils-mobilises ~ ul a")]
    term = page(site, "glossaire/solution-integree")
    users = {a.text() for a in term.css("h2#pages-qui-emploient-ce-terme ~ ul a")}
    assert "Forum ouvert" in users
    resource = page(site, "ressources/rapport-test")
    assert "Cas de test" in resource.text()


def test_a_page_listed_by_a_section_is_not_repeated_under_pages_linking_here(site):
    """The monograph lists the method in `methods:` and links it in its text: shown once, where it was used."""
    method = page(site, "methodes/forum-ouvert")
    assert [a.text() for a in method.css("a") if a.text() == "Cas de test"] == ["Cas de test"]
    assert [a.text() for a in method.css("h2#pages-qui-renvoient-ici + ul a")] == ["Accueil"]  # the home page's wiki link


def test_keyword_chip_leads_to_keyword_page_listing_the_record(site):
    html = page(site, "methodes/forum-ouvert")
    chip = next(a for a in html.css("a.efc-chip") if a.text() == "Animation de collectifs")
    assert chip.attributes["href"] == "../../mots-cles/animation/"
    keyword = page(site, "mots-cles/animation")
    assert "Forum ouvert" in [a.text() for a in keyword.css("article a")]
    index = page(site, "mots-cles")
    assert "Animation de collectifs" in index.text()


def test_facet_pages(site):
    regions = page(site, "monographies/par-region")
    assert regions.css_first("h2#bourgogne-franche-comte") is not None
    phases = page(site, "methodes/par-phase")
    assert "Forum ouvert" in phases.text()


def test_glossary_a_to_z_files_accented_titles_under_plain_letters(site):
    html = page(site, "glossaire")
    assert html.css_first("h2#e") is not None
    assert "Économie de la fonctionnalité" in html.text()


def test_search_index_is_pagefind_with_the_records_fields_and_facets(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert list(entry["languages"]) == ["fr"] and entry["languages"]["fr"]["page_count"] == len(pages)
    assert (site / "pagefind" / "pagefind.js").is_file()
    # Material's search (lunr and its patch) is gone
    assert not (site / "search" / "search_index.json").exists()
    assert "efcFold" not in (site / "assets/javascripts/lunr/min/lunr.fr.min.js").read_text(encoding="utf-8")
    html = page(site, "methodes/forum-ouvert")
    body = html.css_first("[data-pagefind-body]")
    assert body is not None and body.css_first("h1").text().startswith("Forum ouvert")
    meta = {n.attributes["data-pagefind-meta"]: n.text() for n in body.css("[data-pagefind-meta]")}
    assert meta["type"] == "method" and meta["label"] == "Méthode" and meta["icon"] == "method" and meta["summary"]
    filters = {(n.attributes["data-pagefind-filter"], n.text()) for n in body.css("[data-pagefind-filter]")}
    assert ("type", "method") in filters and ("phase", "emergence") in filters
    # the citation block is not indexed, nor is what lies outside the page's content
    assert "data-pagefind-ignore" in body.css_first(".efc-cite").attributes
    assert html.css_first("header [data-pagefind-body], nav [data-pagefind-body], footer [data-pagefind-body]") is None
    icons = (site / "efc" / "icons.svg").read_text(encoding="utf-8")
    assert all(f'<symbol id="{name}"' in icons for name in ("method", "monograph", "programme", "term", "listing"))


def test_json_export(site):
    records = json.loads((site / "data" / "fiches.json").read_text(encoding="utf-8"))
    forum = next(r for r in records if r["id"] == "forum-ouvert")
    assert forum["type"] == "method" and forum["phases"] == ["emergence"]
    assert forum["source"] == "tools_methods/forum-ouvert.md"


def test_every_internal_link_resolves(site):
    broken = []
    for html_file in site.rglob("*.html"):
        if html_file.name == "404.html":  # served at any depth, so it uses absolute URLs
            continue
        tree = HTMLParser(html_file.read_text(encoding="utf-8"))
        for node in tree.css("a[href], img[src], link[href], script[src]"):
            url = node.attributes.get("href") or node.attributes.get("src") or ""
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("//", "#", "mailto:")) or not parts.path:
                continue
            target = (html_file.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(site)} → {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
                if parts.fragment not in ids:
                    broken.append(f"{html_file.relative_to(site)} → {url} (ancre)")
    assert broken == []


def test_resource_link_comes_from_url_or_citation():
    from generator.schema import Resource

    cited = Resource(title="R", kind="note", citation="Auteur, « R », 2019. https://example.org/r.pdf.")
    assert cited.link == "https://example.org/r.pdf"
    assert Resource(title="R", kind="note", url="https://a.example/", citation="https://b.example/").link == "https://a.example/"
    assert Resource(title="R", kind="note").link is None
