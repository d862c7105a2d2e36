"""The explorer (explorer/): every record with its facet values and key facts, as one compact JSON, and the page.

Python decides what the explorer knows: which facets (the registry's vocabulary facets and its derived ones,
in EXPLORER_FACETS' order, after the record type), each value's label, definition and count, each record's
card (title, summary, URL path, the key facts of its type). `overrides/efc/explorer.js` only filters and
renders this data; every value it reads from the URL, the hash or the text box is text.
"""

from __future__ import annotations

from collections import Counter

from . import urls
from .model import Corpus, Entry
from .registry import EXPLORER_FACETS, FACETS, RECORD_TYPES, TYPES, Facet
from .text import plain, sort_key

DATA = "data/explorer.json"
PAGE = "explorer/index.md"
TYPE_PARAM = "type"


def _values(corpus: Corpus, facet: Facet, entry: Entry) -> list[tuple[str, str, str]]:
    """(value id, label, definition) of each value the record gives this facet."""
    if facet.derive:
        return facet.derive(corpus, entry)
    vocabulary = corpus.vocabularies.get(facet.vocabulary, {})
    return [(v, vocabulary[v].label, vocabulary[v].definition) if v in vocabulary else (v, v, "")
            for v in facet.values(entry.meta) if v is not None]


def _join(values, separator=", ") -> str:
    return separator.join(v for v in values if v)


def facts(corpus: Corpus, entry: Entry) -> list[tuple[str, str]]:
    """The key facts a card shows, by type: (label, text), the empty ones left out."""
    meta, label = entry.meta, corpus.label
    if entry.type == "method":
        rows = [("Phases", _join(label("phases", p) for p in meta.phases)), ("Durée", meta.duration or ""),
                ("Participants", meta.participants or "")]
    elif entry.type == "monograph":
        place = meta.place
        where = _join([place.commune, place.departement, label("regions", place.region) if place.region else ""],
                      " · ") if place else ""
        rows = [("Lieu", where), ("Type", label("dynamic_types", meta.dynamic_type) if meta.dynamic_type else ""),
                ("Depuis", str(meta.start_year) if meta.start_year else "")]
    elif entry.type == "resource":
        rows = [("Nature", label("resource_kinds", meta.kind)), ("Année", str(meta.year) if meta.year else ""),
                ("Auteurs", _join(meta.authors))]
    elif entry.type == "term":
        rows = [("Sigles et variantes", _join(meta.aliases))]
    elif entry.type == "concept":
        parent = corpus.entries.get(meta.parent or "")
        rows = [("Partie de", parent.title if parent else "")]
    else:
        rows = []
    return [(k, plain(v)) for k, v in rows if v]


def data(corpus: Corpus) -> dict:
    """What data/explorer.json holds: the facets (type first) with their values, then the records."""
    entries = sorted((e for e in corpus.entries.values() if e.type in TYPES and e.type != "page"),
                     key=lambda e: sort_key(e.title))
    records, found = [], {f.param: {} for f in EXPLORER_FACETS}
    counts = {f.param: Counter() for f in EXPLORER_FACETS}
    for entry in entries:
        values = {TYPE_PARAM: [entry.type]}
        for facet in EXPLORER_FACETS:
            if entry.type not in facet.types:
                continue
            given = _values(corpus, facet, entry)
            if given:
                values[facet.param] = list(dict.fromkeys(v for v, _, _ in given))
                for value, text, definition in given:
                    found[facet.param].setdefault(value, (text, definition))
                counts[facet.param].update(values[facet.param])
        records.append({"id": entry.id, "type": entry.type, "variant": entry.variant, "kind": entry.type_label,
                        "title": plain(entry.title), "summary": plain(entry.summary or ""),
                        "path": urls.path(entry.page), "facets": values, "facts": facts(corpus, entry)})
    type_counts = Counter(e.type for e in entries)
    facets = [{"param": TYPE_PARAM, "label": "Type de fiche", "types": [t.name for t in RECORD_TYPES],
               "values": [{"id": t.name, "label": t.plural, "definition": t.description, "count": type_counts[t.name]}
                          for t in RECORD_TYPES if type_counts[t.name]]}]
    for facet in EXPLORER_FACETS:
        order = list(corpus.vocabularies.get(facet.vocabulary, {})) if facet.vocabulary else \
            sorted(found[facet.param], key=lambda v: sort_key(found[facet.param][v][0]))
        facets.append({"param": facet.param, "label": facet.label, "types": list(facet.types),
                       "values": [{"id": v, "label": plain(found[facet.param][v][0]),
                                   "definition": plain(found[facet.param][v][1]), "count": counts[facet.param][v]}
                                  for v in order if v in found[facet.param]]})
    return {"facets": [f for f in facets if f["values"]], "records": records}


def static_pages() -> list[tuple[str, str]]:
    """(title, docs page) of the pages that classify records without JavaScript: section indexes, facet pages,
    keywords."""
    pages = [(t.index_title, t.index_page) for t in RECORD_TYPES if t.index_page]
    pages += [(f.page_title, f.page) for f in FACETS if f.page]
    return pages + [("Mots-clés", "mots-cles/index.md")]


def variants() -> list[tuple[str, str]]:
    """(variant, icon) of every record type and variant: the icons the page renders for the script's cards."""
    out = []
    for t in RECORD_TYPES:
        out.append((t.name, t.icon))
        out += [(name, variant[1]) for name, variant in t.variants.items()]
    return out


def widget(here: str, only: str | None = None, opened: tuple[str, ...] = ()) -> dict:
    """What a page embedding the explorer gives the template: where the data and the site root are, the icons,
    the record type it is restricted to (a section index), if any, and the facets shown open (by `param`)."""
    return {"data": urls.relative_url(here, DATA), "root": urls.relative_url(here, "") or "./",
            "only": only or "", "open": " ".join(opened), "variants": variants()}
