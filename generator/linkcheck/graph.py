"""The generator's link graph against the built site, and where a link of a page is written (record file:line)."""

from __future__ import annotations

import html
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from .. import urls
from ..loader import discover
from .results import Report, Result, Where
from .site import Site


def record_pages(root: Path) -> dict[str, str]:
    """HTML page -> record file, from the file names alone (the ids the generator gives its records)."""
    return {urls.html_file(urls.record_page(type_name, rel.rpartition("/")[2].removesuffix(".md"))): rel
            for type_name, rel, _ in discover(root)}


def check_graph(corpus, site: Site, report: Report) -> None:
    """Every record page, and so every target of the generator's link graph, must be in the built site."""
    missing = {}
    for entry in corpus.entries.values():
        url = urls.html_file(entry.page)
        if url not in site.files:
            missing[entry.id] = Result(url, "broken", message="page de la fiche absente du site (site périmé : relancez build)",
                                       where=[Where(url, url, entry.path, 1)])
    for link in corpus.links:
        if link.target in missing and link.source not in missing:
            source, target = corpus.entries[link.source], corpus.entries[link.target]
            where = Where(urls.html_file(source.page), urls.relative(source.page, target.page), source.path,
                          corpus.line(link))
            missing[link.target].where.append(where)
    report.internal += missing.values()


class Locator:
    """Finds where a link of an HTML page is written: the record's file and line, else the HTML page."""

    def __init__(self, root: Path, site: Site, corpus=None):
        self.root, self.site = root, site
        self.corpus = corpus
        self.records = {urls.html_file(e.page): e for e in corpus.entries.values()} if corpus else {}
        self.graph: dict[tuple[str, str], object] = {}  # (record id, target HTML page) -> the graph's Link
        for link in corpus.links if corpus else ():
            self.graph.setdefault((link.source, urls.html_file(corpus.entries[link.target].page)), link)
        self.texts: dict[str, dict[str, str]] = {}  # page -> href -> link text

    def __call__(self, where: Where) -> Where:
        if not where.file:
            where.file, where.line = self._record_line(where) or (where.page, self._html_line(where))
        return where

    def _record_line(self, where: Where) -> tuple[str, int] | None:
        entry = self.records.get(where.page)
        if entry is None:
            return None
        try:
            lines = (self.root / entry.path).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return None
        specific = len(where.href.strip("./#")) > 4  # not "../" nor "#"
        for number, line in enumerate(lines if specific else ()):  # an address written as is, body or front matter
            if where.href in line:
                return entry.path, number + 1
        path, _, fragment = where.href.partition("#")
        _, target, _ = self.site.resolve(where.page.rpartition("/")[0], where.href)
        link = None if fragment else self.graph.get((entry.id, target))
        if link is not None:  # a wiki link, a glossary term or a front-matter reference
            return entry.path, self.corpus.line(link)
        stem, text = path.rstrip("/").rpartition("/")[2], self._text(where)
        needles = [f"[{text}](" if text else "", f"{stem}.md" if stem not in ("", "..", ".") else "",
                   f"#{fragment}" if fragment else ""]  # a Markdown link that MkDocs rewrote
        for number in range(entry.raw.body_line - 1, len(lines)):
            line = lines[number]
            if ("](" in line or "href" in line) and any(n and n in line for n in needles):
                return entry.path, number + 1
        return None

    def _text(self, where: Where) -> str:
        """The text of the link, as MkDocs rendered it (the Markdown link text, in most cases)."""
        if where.page not in self.texts:
            tree = LexborHTMLParser((self.site.folder / where.page).read_bytes())
            self.texts[where.page] = {a.attributes.get("href"): a.text().strip() for a in tree.css("a[href]")}
        return self.texts[where.page].get(where.href, "")

    def _html_line(self, where: Where) -> int:
        try:
            text = (self.site.folder / where.page).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return 1
        for needle in (f'"{where.href}"', f'"{html.escape(where.href)}"', where.href):
            position = text.find(needle)
            if position >= 0:
                return text.count("\n", 0, position) + 1
        return 1
