"""The validated, linked model of the whole corpus. Knows nothing of MkDocs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

from . import urls
from .loader import RawRecord
from .registry import TYPES
from .schema import VocabularyEntry


@dataclass
class Entry:
    raw: RawRecord
    meta: BaseModel
    id: str = field(init=False)  # the raw record's, copied: read a million times at 10,000 records
    type: str = field(init=False)
    path: str = field(init=False)

    def __post_init__(self):
        self.id, self.type, self.path = self.raw.id, self.raw.type, self.raw.path

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def summary(self) -> str | None:
        return getattr(self.meta, "summary", None) or getattr(self.meta, "definition", None)

    @property
    def variant(self) -> str:
        """The type, or its variant (a monograph of kind « programme »): what icons and labels follow."""
        kind = getattr(self.meta, "kind", None)
        return kind if kind in TYPES[self.type].variants else self.type

    @property
    def type_label(self) -> str:
        record_type = TYPES[self.type]
        return record_type.variants[self.variant][0] if self.variant in record_type.variants else record_type.singular

    @property
    def icon(self) -> str:
        record_type = TYPES[self.type]
        return record_type.variants[self.variant][1] if self.variant in record_type.variants else record_type.icon

    @cached_property
    def page(self) -> str:
        """The page this entry becomes, relative to the built docs folder (urls.py)."""
        return urls.record_page(self.type, self.id)


class Link(NamedTuple):  # a tuple: a corpus holds a hundred thousand of them (a frozen dataclass costs 5× more)
    source: str
    target: str
    relation: str  # a registry relation name (related, source, methods, programme, parent), or wiki, term
    line: int = 0  # body line of a wiki or term link
    loc: tuple = ()  # front-matter place of a reference (("sources", 2, "ref")): its line is read when needed


@dataclass(frozen=True)
class Corpus:
    root: Path
    entries: dict[str, Entry]
    vocabularies: dict[str, dict[str, VocabularyEntry]]
    links: list[Link]
    bodies: dict[str, str]  # id -> body with links resolved
    refused: frozenset[str] = frozenset()  # ids whose body holds forbidden HTML (shown as text by a forced build)
    matcher: object = field(default=None, compare=False)  # the linking.TermMatcher built from the glossary

    def of_type(self, type_name: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.type == type_name]

    def line(self, link: Link) -> int:
        """The file line a link was written on (body line, or the front-matter line of a reference)."""
        return link.line or self.entries[link.source].raw.line_of(link.loc)

    @cached_property
    def backlinks(self) -> dict[str, dict[str, list[str]]]:
        """target -> relation -> ordered, unique source ids."""
        return _grouped((link.target, link.relation, link.source) for link in self.links if link.source != link.target)

    @cached_property
    def outgoing(self) -> dict[str, dict[str, list[str]]]:
        """source -> relation -> ordered, unique target ids."""
        return _grouped((link.source, link.relation, link.target) for link in self.links)

    def label(self, vocabulary: str, value: str) -> str:
        entry = self.vocabularies.get(vocabulary, {}).get(value)
        return entry.label if entry else value


def _grouped(triples) -> dict[str, dict[str, list[str]]]:
    """(key, relation, value) -> key -> relation -> ordered, unique values."""
    out: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))  # dicts: ordered sets
    for key, relation, value in triples:
        out[key][relation][value] = None
    return {key: {relation: list(values) for relation, values in relations.items()} for key, relations in out.items()}
