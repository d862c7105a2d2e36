"""Indexes: keyword and facet groupings, the glossary A–Z, the referential tree, homonyms."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Corpus, Entry
from .text import initial, sort_key

TYPE_ORDER = ["method", "monograph", "term", "concept", "resource", "page"]


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
        for value in values_of(entry):
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
