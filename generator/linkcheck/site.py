"""The built site: its files, and for every HTML page its anchors and the URLs it refers to; internal links checked."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from .results import Report, Result, Where

IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "about:", "blob:")
LINKED = "[href], [src], [srcset], [id], [name]"  # one selector list: one pass over the tree
NOT_RESOURCES = {"preconnect", "dns-prefetch"}  # <link rel=…> that load nothing


class Site:
    """Every file of the built site, and for every HTML page its anchors and the URLs it refers to."""

    def __init__(self, folder: Path, site_url: str = ""):
        parts = urlsplit(site_url or "https://site.invalid/")
        self.folder = folder
        self.host = parts.netloc.lower()
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.base = f"https://{self.host}{self.prefix}"
        self.files: set[str] = set()
        self.anchors: dict[str, set[str]] = {}
        self.refs: dict[str, list[str]] = {}  # page -> URLs as written
        for directory, _, names in os.walk(folder):
            rel = os.path.relpath(directory, folder).replace(os.sep, "/")
            rel = "" if rel == "." else rel + "/"
            self.files.update(rel + name for name in names)

    def scan(self, progress=None) -> None:
        pages = sorted(f for f in self.files if f.endswith(".html"))
        for i, page in enumerate(pages):
            try:
                self.anchors[page], self.refs[page] = _scan_page((self.folder / page).read_bytes())
            except OSError:  # a dangling link or no permission: the page and links to it are broken
                self.files.discard(page)
            if progress:
                progress(i + 1, len(pages))
        if "sitemap.xml" in self.files:  # MkDocs lists every page there, under the site's address
            import xml.etree.ElementTree as ET

            try:
                tree = ET.parse(self.folder / "sitemap.xml")
            except (ET.ParseError, OSError):
                return
            self.refs["sitemap.xml"] = [loc.text.strip() for loc in tree.iter() if loc.tag.endswith("}loc") and loc.text]

    def resolve(self, directory: str, href: str) -> tuple[str, str, str]:
        """(kind, target, fragment) of a URL written in a page of `directory` ("" or "a/b").

        kind: internal (target: a file of the site, maybe missing), external (target: the absolute URL
        without fragment), outside (a path of our host outside the site) or ignored.
        """
        href = href.strip()
        if not href or href.lower().startswith(IGNORED_SCHEMES):
            return "ignored", "", ""
        absolute = href.lower().startswith(("http://", "https://"))
        url = href if absolute else urljoin(self.base + directory + ("/" if directory else ""), href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "ignored", "", ""
        if parts.netloc.lower() != self.host:
            return "external", url.partition("#")[0], ""
        path = unquote(parts.path)
        if not (path + "/").startswith(self.prefix):
            return "outside", path, ""
        path = path[len(self.prefix):]
        if path == "" or path.endswith("/"):
            path += "index.html"
        elif path not in self.files and path + "/index.html" in self.files:
            path += "/index.html"
        return "internal", path, unquote(parts.fragment)


def _scan_page(html: bytes) -> tuple[set[str], list[str]]:
    anchors, refs = set(), []
    for node in LexborHTMLParser(html).css(LINKED):
        attrs, tag = node.attributes, node.tag
        if attrs.get("id"):
            anchors.add(attrs["id"])
            if tag == "script" and attrs["id"] == "__config":  # Material's search worker
                try:
                    refs.append(json.loads(node.text())["search"])
                except (ValueError, KeyError, TypeError):
                    pass
        if tag == "a" and attrs.get("name"):
            anchors.add(attrs["name"])
        href, src, srcset = attrs.get("href"), attrs.get("src"), attrs.get("srcset")
        if href is not None and tag != "base" and not (tag == "link" and NOT_RESOURCES.intersection((attrs.get("rel") or "").split())):
            refs.append(href)
        if src is not None:
            refs.append(src)
        if srcset:
            refs += [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
    return anchors, refs


def _shortcut(directory: str, href: str) -> tuple[str, str]:
    """Climb the leading ../ of a relative URL: pages of many folders then share one resolution."""
    if "://" in href or href.startswith("/"):
        return "", href
    while directory and (href.startswith("../") or href == ".."):
        directory, href = directory.rpartition("/")[0], href[3:]
    return directory, href


def _has_anchor(site: Site, page: str, fragment: str) -> bool:
    # an empty fragment and "top" lead to the top of any page (HTML standard)
    return not fragment or fragment in site.anchors.get(page, ()) or fragment.lower() == "top"


def check_html(site: Site, report: Report) -> dict[str, list[Where]]:
    """Internal links of the HTML pages into report.internal; returns external URL -> occurrences."""
    broken: dict[str, Result] = {}
    external: dict[str, list[Where]] = {}
    seen: dict[tuple[str, str], tuple[str, str, str]] = {}
    for page, refs in site.refs.items():
        directory = page.rpartition("/")[0]
        for href in refs:
            if href.startswith("#"):
                kind, target, fragment = "internal", page, unquote(href[1:]) if "%" in href else href[1:]
            else:
                key = _shortcut(directory, href)
                resolved = seen.get(key)
                if resolved is None:
                    resolved = seen[key] = site.resolve(*key)
                kind, target, fragment = resolved
            if kind == "ignored":
                continue
            if kind == "external":
                external.setdefault(target, []).append(Where(page, href))
                continue
            report.links += 1
            if kind == "outside":
                message = f"adresse hors du site (le site est servi sous {site.prefix})"
            elif target not in site.files:
                message = f"page ou fichier introuvable : {target}"
            elif fragment and target.endswith(".html") and not _has_anchor(site, target, fragment):
                message = f"ancre « #{fragment} » absente de {target}"
            else:
                continue
            url = target + (f"#{fragment}" if fragment else "")
            broken.setdefault(url, Result(url, "broken", message=message)).where.append(Where(page, href))
    report.internal += broken.values()
    return external
