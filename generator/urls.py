"""Page addresses: the only module that knows how a docs page becomes an HTML file and a URL.

MkDocs and Zensical both use directory URLs (`use_directory_urls`, the default): `a/b.md` is written as
`a/b/index.html` and served as `a/b/`; `index.md` and `a/index.md` are `index.html` and `a/index.html`.
Pages are named relative to the docs folder, with forward slashes.
"""

from __future__ import annotations

import functools
import posixpath

from .registry import TYPES


def record_page(type_name: str, record_id: str) -> str:
    """The docs page of a record: methodes/forum-ouvert.md; a free page sits at the root (a-propos.md)."""
    section = TYPES[type_name].section
    return f"{section}/{record_id}.md" if section else f"{record_id}.md"


def _is_index(stem: str) -> bool:
    return stem == "index" or stem.endswith("/index")


def html_file(page: str) -> str:
    """The HTML file written for a docs page: a/b.md -> a/b/index.html, index.md -> index.html."""
    stem = page.removesuffix(".md")
    return stem + ".html" if _is_index(stem) else stem + "/index.html"


def path(page: str) -> str:
    """The page's URL path relative to the site root: a/b.md -> a/b/, a/index.md -> a/, index.md -> ''."""
    stem = page.removesuffix(".md")
    if _is_index(stem):
        return stem.removesuffix("index")
    return stem + "/"


def public(page: str, site_url: str) -> str:
    """The page's public address under site_url: https://…/centre-ressources/methodes/forum-ouvert/."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + path(page)


def relative(from_page: str, to_page: str) -> str:
    """A Markdown link between two docs pages (methodes/a.md -> ../glossaire/b.md); MkDocs turns it into a URL.
    `to_page` may carry an anchor (x.md#value)."""
    to_dir, _, name = to_page.rpartition("/")
    return _relative_dir(from_page.rpartition("/")[0], to_dir) + name


def relative_url(from_page: str, to: str) -> str:
    """A URL from one page's HTML to a site path (for links written in HTML: explorer/, data/fiches.json)."""
    here = path(from_page)
    target_dir, _, name = to.rpartition("/")
    return _relative_dir(here.rstrip("/"), target_dir) + name


@functools.lru_cache(maxsize=4096)
def _relative_dir(from_dir: str, to_dir: str) -> str:
    rel = posixpath.relpath(to_dir or ".", from_dir or ".")
    return "" if rel == "." else rel + "/"
