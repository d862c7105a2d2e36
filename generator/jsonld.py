"""schema.org JSON-LD of the pages: what a reader sees, said for machines (search engines, Zotero, harvesters).

One module holds the mapping (with registry.SCHEMA_ORG and KIND_FORMATS); templates only place the script.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from . import urls
from .config import SiteConfig
from .model import Corpus, Entry
from .registry import DEFAULT_KIND_FORMATS, KIND_FORMATS, LICENCE, SCHEMA_ORG, TYPES

CONTEXT = "https://schema.org"


def script(data: dict) -> Markup:
    """A <script type="application/ld+json"> element; `</` and `<!--` inside the JSON cannot end or hide it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("</", "<\\/").replace("<!--", "<\\u0021--")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def organization(config: SiteConfig) -> dict:
    return {"@type": "Organization", "name": config.site_name, "url": config.site_url}


def breadcrumb(config: SiteConfig, trail: list[tuple[str, str]]) -> dict:
    """(name, docs page) from the home page to the page itself."""
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": urls.public(page, config.site_url)}
        for i, (name, page) in enumerate(trail, 1)]}


def _place(corpus: Corpus, place) -> dict | None:
    """The monograph's place: commune in its département (code officiel géographique) in its région (code INSEE)."""
    if place is None:
        return None
    node: dict = {"@type": "Place"}
    areas = []
    if place.departement:
        name, _, code = place.departement.partition(" (")
        area = {"@type": "AdministrativeArea", "name": name.strip()}
        if code.rstrip(")"):
            area["identifier"] = {"@type": "PropertyValue", "propertyID": "code officiel géographique", "value": code.rstrip(")")}
        areas.append(area)
    if place.region:
        area = {"@type": "AdministrativeArea", "name": corpus.label("regions", place.region)}
        found = re.search(r"code INSEE (\w+)", corpus.vocabularies.get("regions", {}).get(place.region).definition
                          if place.region in corpus.vocabularies.get("regions", {}) else "")
        if found:
            area["identifier"] = {"@type": "PropertyValue", "propertyID": "code INSEE de la région", "value": found.group(1)}
        areas.append(area)
    node["name"] = place.commune or (areas[0]["name"] if areas else "")
    if place.lat is not None and place.lon is not None:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": place.lat, "longitude": place.lon}
    if areas:  # the innermost first: the commune is in the département, which is in the région
        node["containedInPlace"] = areas[0]
        if len(areas) > 1:
            areas[0]["containedInPlace"] = areas[1]
    return node if node["name"] else None


def record(corpus: Corpus, entry: Entry, config: SiteConfig) -> dict:
    """The @graph of a record page: its main node and its BreadcrumbList."""
    meta, url = entry.meta, urls.public(entry.page, config.site_url)
    record_type = TYPES[entry.type]
    crumbs = breadcrumb(config, [("Accueil", "index.md"), (record_type.index_title or record_type.plural, record_type.index_page),
                                 (entry.title, entry.page)])
    page = {"name": entry.title, "url": url, "inLanguage": "fr", "license": LICENCE[1], "publisher": organization(config),
            "isPartOf": {"@type": "WebSite", "name": config.site_name, "url": config.site_url}}
    if entry.summary:
        page["description"] = entry.summary
    if meta.updated:
        page["dateModified"] = meta.updated.isoformat()
    keywords = [corpus.label("keywords", k) for k in getattr(meta, "keywords", [])]
    if keywords:
        page["keywords"] = keywords
    if entry.type == "resource":
        return {"@context": CONTEXT, "@graph": [_resource(entry, url, page), crumbs]}
    node = {"@type": SCHEMA_ORG.get(entry.variant, SCHEMA_ORG[entry.type]), "@id": url, **page}
    if entry.type == "term":
        glossary = TYPES["term"].index_page
        node["inDefinedTermSet"] = {"@type": "DefinedTermSet", "@id": urls.public(glossary, config.site_url),
                                    "name": TYPES["term"].index_title, "url": urls.public(glossary, config.site_url)}
        node["termCode"] = entry.id
        if meta.aliases:
            node["alternateName"] = meta.aliases
    else:
        node["headline"] = entry.title
        node["author"] = organization(config)
    if entry.type == "monograph":
        place = _place(corpus, meta.place)
        if place:
            node["spatialCoverage"] = place
        if meta.start_year:
            node["temporalCoverage"] = f"{meta.start_year}/.."
    return {"@context": CONTEXT, "@graph": [node, crumbs]}


def _resource(entry: Entry, url: str, page: dict) -> dict:
    """A resource page describes a document: the document is the node, with the record page as its WebPage
    (which carries the centre's licence; the document keeps its own, when the source gives it)."""
    meta = entry.meta
    node = {"@type": KIND_FORMATS.get(meta.kind, DEFAULT_KIND_FORMATS).schema_org, "@id": url + "#document", "name": meta.title,
            "url": meta.link or url, "inLanguage": "fr",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url, **page}}
    if entry.summary:
        node["description"] = entry.summary
    if meta.authors:  # people or organisations: the sources do not say which
        node["author"] = meta.authors
    if meta.publisher:
        node["publisher"] = {"@type": "Organization", "name": meta.publisher}
    if meta.year:
        node["datePublished"] = str(meta.year)
    if meta.licence:
        node["license"] = meta.licence
    return node
