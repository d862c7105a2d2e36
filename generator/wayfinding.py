"""Readers keep their place on record pages: the breadcrumb (home → section → … → record) and, on long pages,
the list of the page's sections (« Sur cette page », for phones, where Material shows no table of contents).

Decided here, rendered by templates/pages/wayfinding.md.j2. The section ids are the ones MkDocs will give:
the page's Markdown goes through Python-Markdown's own `toc` extension (same slugify) once, without its plain
paragraphs (the page's skeleton), which hold no heading and no id: converting whole pages twice (here, then in
MkDocs) was a third of the build.
"""

from __future__ import annotations

import functools
import html
import re
import threading

import markdown

from .model import Corpus, Entry
from .registry import TYPES

LONG = 4  # a page with at least this many sections gets « Sur cette page »
H2 = re.compile(r"^## ", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
EXTENSIONS = ["toc", "attr_list", "md_in_html", "def_list", "tables", "abbr", "admonition", "pymdownx.details"]
BLOCKS = re.compile(r"\n[ \t]*\n")
# what a block must hold to be kept: a line that may be a heading (also in a quote or a list, or a setext
# underline), an id (attribute list, HTML attribute), HTML (it shapes the blocks around it), a reference definition
# (a heading's link text may need it)
KEEP = re.compile(r"^[ \t>*+\-\d.:]*#|^[ \t]*(?:=+|-+)[ \t]*$|\{[^}\n]*#|\bid\s*=|<|\]:", re.MULTILINE)
INDENTED = re.compile(r"(?: {4}|\t)")
_local = threading.local()
RAW_START = re.compile(r"<(script|p|div|pre|table|figure|nav|details|section|aside)\b[^>]*>")  # block-level
CONTENTS_SLOT = "<!-- efc: sur cette page -->\n"  # where wayfinding.md.j2 leaves room for the sections


def breadcrumb(corpus: Corpus, entry: Entry) -> list[tuple[str, str | None]]:
    """(label, docs page or None for the page itself) from the home page to the record."""
    trail = [("Accueil", "index.md")]
    record_type = TYPES[entry.type]
    if record_type.index_page:
        trail.append((record_type.index_title, record_type.index_page))
    above, seen = [], {entry.id}
    parent = getattr(entry.meta, "parent", None) or getattr(entry.meta, "programme", None)
    while parent in corpus.entries and parent not in seen:  # the referential's parents, a dynamic's programme
        seen.add(parent)
        above.append(corpus.entries[parent])
        parent = getattr(corpus.entries[parent].meta, "parent", None)
    trail += [(e.title, e.page) for e in reversed(above)]
    return trail + [(entry.title, None)]


@functools.lru_cache(maxsize=8192)  # serve emits every page again on each change: only changed pages are converted
def contents(page_markdown: str) -> tuple[tuple[str, str], ...]:
    """(title, id) of the `##` sections of a long page, as MkDocs will number them; [] for a short page."""
    if len(H2.findall(page_markdown)) < LONG:
        return ()
    md = _converter()
    md.reset().convert(skeleton(FRONT_MATTER.sub("", page_markdown, count=1)))  # its closing line would make a heading
    tokens = md.toc_tokens
    if len(tokens) == 1 and tokens[0]["level"] == 1:  # the page's title holds the sections
        tokens = tokens[0]["children"]
    return tuple((html.unescape(re.sub(r"<[^>]+>", "", t["name"])), t["id"]) for t in tokens if t["level"] == 2)


def with_contents(page_markdown: str, contents_markdown: str) -> str:
    """The page with its list of sections (or nothing) in the slot wayfinding.md.j2 left for it, after the
    breadcrumb. The list has no heading and no id: the sections' ids are those it was computed from."""
    return page_markdown.replace(CONTENTS_SLOT, contents_markdown, 1)


def _converter() -> markdown.Markdown:
    """One Python-Markdown per thread (making one, with its extensions, cost more than converting a skeleton)."""
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(extensions=EXTENSIONS)
    return _local.md


def skeleton(text: str) -> str:
    """The page without the blocks that hold no heading and no id (lists, paragraphs, tables): for Python-Markdown,
    the same headings with the same ids, for a fraction of the work. A block followed by an indented one is kept
    (that one may continue it: a list item's heading is no code block)."""
    blocks = BLOCKS.split(text)
    kept = [block for block, after in zip(blocks, blocks[1:] + [""], strict=True)
            if (KEEP.search(block) or INDENTED.match(after.lstrip("\n"))) and not _raw_element(block)]
    return "\n\n".join(kept)


def _raw_element(block: str) -> bool:
    """A block that is one whole block-level HTML element without `markdown` (the JSON-LD script, the citation):
    Python-Markdown keeps it as it is, and reads no heading nor id in it."""
    opening = RAW_START.match(block.lstrip("\n"))
    if not opening or "markdown" in opening.group(0):
        return False
    tag = opening.group(1)
    return block.rstrip().endswith(f"</{tag}>") and len(re.findall(rf"<{tag}\b", block)) == block.count(f"</{tag}>")
