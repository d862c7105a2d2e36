"""What is new: the Atom feed (nouveautes.xml) and the « Nouveautés » page of new and updated records.

A record enters the feed by its `updated` date (the date a writer gives when creating or revising it); records
without one are not in it. The feed's date is the newest of them, so two builds of the same records give the
same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from . import urls
from .config import SiteConfig
from .model import Entry
from .text import sort_key

FEED = "nouveautes.xml"
PAGE = "nouveautes.md"
ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 100  # entries in the feed (the page lists every dated record)


def dated(entries) -> list[Entry]:
    """Records with an `updated` date, newest first, then by title."""
    found = [e for e in entries if e.type != "page" and getattr(e.meta, "updated", None)]
    return sorted(sorted(found, key=lambda e: sort_key(e.title)), key=lambda e: e.meta.updated, reverse=True)


def _stamp(entry: Entry) -> str:
    return entry.meta.updated.isoformat() + "T00:00:00Z"


def atom(entries, config: SiteConfig) -> str:
    records = dated(entries)[:LIMIT]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})

    def sub(parent, tag, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    sub(feed, "id", config.site_url.rstrip("/") + "/" + FEED)
    sub(feed, "title", f"{config.site_name} : nouveautés")
    sub(feed, "subtitle", "Fiches nouvelles et mises à jour : méthodes, monographies, glossaire, référentiel, ressources.")
    sub(feed, "updated", _stamp(records[0]) if records else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", type="application/atom+xml", href=config.site_url.rstrip("/") + "/" + FEED)
    sub(feed, "link", rel="alternate", type="text/html", href=urls.public(PAGE, config.site_url))
    author = sub(feed, "author")
    sub(author, "name", config.site_name)
    sub(feed, "rights", "Contenus sous licence CC BY-SA 4.0")
    for entry in records:
        url = urls.public(entry.page, config.site_url)
        item = sub(feed, "entry")
        sub(item, "id", url)
        sub(item, "title", entry.title)
        sub(item, "link", rel="alternate", type="text/html", href=url)
        sub(item, "updated", _stamp(entry))
        sub(item, "category", term=entry.type, label=entry.type_label)
        if entry.summary:
            sub(item, "summary", entry.summary)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def by_date(entries) -> list[tuple[object, list[Entry]]]:
    """(date, records) for the page, newest date first."""
    groups: dict = {}
    for entry in dated(entries):
        groups.setdefault(entry.meta.updated, []).append(entry)
    return list(groups.items())
