"""Indexes: keyword and facet groupings, the glossary A–Z, the referential tree, homonyms."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Corpus, Entry
from .registry import FACETS, RELATIONS, TYPES, facets_of, relations_of
from .text import initial, sort_key

TYPE_ORDER = list(TYPES)  # listing order of mixed lists: the registry's


def by_title(entries) -> list[Entry]:
    return sorted(entries, key=lambda e: sort_key(e.title))


def newest_first(entries) -> list[Entry]:
    return sorted(by_title(entries), key=lambda e: -(getattr(e.meta, "year", None) or 0))


def group_by_type(entries) -> list[tuple[str, list[Entry]]]:
    groups = defaultdict(list)
    for entry in entries:
        groups[entry.type].append(entry)
    return [(t, by_title(groups[t])) for t in TYPE_ORDER if groups.get(t)]


@dataclass
class Facet:
    """Entries grouped by the values of one vocabulary."""

    vocabulary: str
    groups: list[tuple[str, list[Entry]]]  # (value id, entries), in vocabulary order


def facet(corpus: Corpus, entries: list[Entry], vocabulary: str, values_of) -> Facet:
    groups = defaultdict(list)
    for entry in entries:
        for value in values_of(entry.meta):
            if value is not None:
                groups[value].append(entry)
    order = list(corpus.vocabularies.get(vocabulary, {}))
    return Facet(vocabulary, [(v, by_title(groups[v])) for v in order if groups.get(v)])


def keywords(corpus: Corpus) -> dict[str, list[Entry]]:
    """keyword id -> entries carrying it (only keywords in use), in vocabulary order."""
    used = defaultdict(list)
    for entry in corpus.entries.values():
        for keyword in getattr(entry.meta, "keywords", []):
            used[keyword].append(entry)
    return {k: used[k] for k in corpus.vocabularies.get("keywords", {}) if used.get(k)}


def alphabet(entries) -> list[tuple[str, list[Entry]]]:
    letters = defaultdict(list)
    for entry in entries:
        letters[initial(entry.title)].append(entry)
    return [(letter, by_title(letters[letter])) for letter in sorted(letters)]


def tree(corpus: Corpus) -> list[tuple[Entry, list]]:
    """The referential as nested (concept, children) pairs, ordered by `order` then title."""
    children = defaultdict(list)
    concepts = corpus.of_type("concept")
    for concept in concepts:
        parent = concept.meta.parent if concept.meta.parent in corpus.entries else None
        children[parent].append(concept)

    def build(parent, seen):
        nodes = sorted(children.get(parent, []), key=lambda c: (c.meta.order, sort_key(c.title)))
        return [(c, build(c.id, seen | {c.id})) for c in nodes if c.id not in seen]

    return build(None, frozenset())


def homonyms(corpus: Corpus) -> dict[str, list[Entry]]:
    """term id -> other terms that share a surface form (e.g. the two meanings of ECT)."""
    out = defaultdict(set)
    for ids in (*corpus.matcher.exact.values(), *corpus.matcher.folded.values()):
        for term_id in ids:
            out[term_id] |= ids - {term_id}
    return {k: by_title(corpus.entries[i] for i in v) for k, v in out.items() if v}


# --- what each page shows: decided here, rendered by the templates ------------------------------------

def _unique(ids, entries, shown: set[str]) -> list[Entry]:
    """The entries of `ids` not shown yet on the page, in order; they count as shown from now on."""
    out = []
    for i in ids:
        if i in entries and i not in shown:
            shown.add(i)
            out.append(entries[i])
    return out


def record_view(corpus: Corpus, entry: Entry, homonyms: list[Entry]) -> dict:
    """Everything a record page lists, each other record once, in its most specific section:
    the type's own lists (methods used, programme members, children, citing records, forward references),
    then « Voir aussi » (related), then the pages that mention it."""
    entries, back = corpus.entries, corpus.backlinks.get(entry.id, {})
    shown = {entry.id}
    forward = {}
    for relation in relations_of(entry.type):
        if relation.name in ("related", "source"):
            continue
        value = getattr(entry.meta, relation.field, None)
        forward[relation.name] = _unique(value if isinstance(value, list) else [value] if value else [], entries, shown)
    inverse = {}
    for relation in RELATIONS:
        if relation.target == entry.type and relation.name != "related":
            found = _unique(back.get(relation.name, []), entries, shown)
            if relation.name == "parent":  # the referential's order
                found.sort(key=lambda c: (c.meta.order, sort_key(c.title)))
            inverse[relation.name] = found if relation.name == "parent" else by_title(found)
    # the loose lists below (illustrations, « Voir aussi », mentions) leave out what the page already shows:
    # the records its body links to and the resources of its « Sources »
    shown |= set(corpus.outgoing.get(entry.id, {}).get("wiki", []))
    shown |= {s.ref for s in getattr(entry.meta, "sources", [])}
    illustrations = []
    if entry.type == "concept":  # the monographs and methods that refer to a concept illustrate it
        candidates = [i for i in back.get("related", []) + back.get("wiki", []) if entries[i].type in ("monograph", "method")]
        illustrations = by_title(_unique(candidates, entries, shown))
    related = _unique(entry.meta.related, entries, shown) if hasattr(entry.meta, "related") else []
    mentions = back.get("wiki", []) + back.get("related", []) + (back.get("term", []) if entry.type == "term" else [])
    cited = defaultdict(list)  # a resource cited at several places is listed once, with each place
    for s in getattr(entry.meta, "sources", []):
        cited[s.ref].append(s)
    sources = [(entries.get(ref), places) for ref, places in cited.items()]
    inferred = [(FIELD_LABELS.get(key, key), reason) for key, reason in getattr(entry.meta, "inferred", {}).items()]
    mentions = [e for _, group in group_by_type(_unique(mentions, entries, shown)) for e in group]
    return dict(forward=forward, inverse=inverse, illustrations=illustrations, related=related, inferred=inferred,
                mentions=mentions, sources=sources, homonyms=homonyms, chips=chips(corpus, entry),
                shown=frozenset(shown))  # every record the page already shows or links to (proches.py adds none of them)


FIELD_LABELS = {f.field: f.label.lower() for f in FACETS} | {
    "place": "lieu", "place.commune": "commune", "place.departement": "département", "place.lat": "coordonnées",
    "place.lon": "coordonnées", "start_year": "année de démarrage", "legal_form": "forme juridique",
    "governance": "gouvernance", "actors": "acteurs", "methods": "méthodes", "programme": "programme",
    "inhabitants": "implication des habitants", "participants": "participants", "duration": "durée",
    "year": "année", "authors": "auteurs", "publisher": "éditeur", "url": "adresse"}


def chips(corpus: Corpus, entry: Entry) -> dict[str, list[tuple[str, str]]]:
    """facet field -> (label, docs page#anchor) of each value the record carries, for facets with pages."""
    out = {}
    for facet in facets_of(entry.type):
        values = facet.values(entry.meta)
        out[facet.field] = [(corpus.label(facet.vocabulary, v), facet.value_page(v, entry.type)) for v in values]
    return out


ECT_PILLARS = [("portage_collectif", "Portage collectif"), ("ancrage_territorial", "Ancrage territorial"),
               ("resilience", "Résilience (finalité)"), ("modele_economique_hybride", "Modèle économique hybride")]

