"""The validated, linked model of the whole corpus. Knows nothing of MkDocs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .loader import RawRecord
from .schema import TYPES, VocabularyEntry


@dataclass
class Entry:
    raw: RawRecord
    meta: BaseModel

    @property
    def id(self) -> str:
        return self.raw.id

    @property
    def type(self) -> str:
        return self.raw.type

    @property
    def path(self) -> str:
        return self.raw.path

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def summary(self) -> str | None:
        return getattr(self.meta, "summary", None) or getattr(self.meta, "definition", None)

    @property
    def section(self) -> str:
        return TYPES[self.type][2]

    @property
    def type_label(self) -> str:
        if self.type == "monograph" and self.meta.kind == "programme":
            return "Programme"
        return TYPES[self.type][3]

    @property
    def page(self) -> str:
        """The page this entry becomes, relative to the built docs folder."""
        if self.type == "page":
            return f"{self.id}.md"
        return f"{self.section}/{self.id}.md"


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    relation: str  # related, methods, programme, parent, source, wiki, term
    line: int  # body line for wiki and term links; 0 for front-matter references


@dataclass
class Corpus:
    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    vocabularies: dict[str, dict[str, VocabularyEntry]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)  # id -> body with links resolved
    refused: set[str] = field(default_factory=set)  # ids whose body holds forbidden HTML (shown as text by a forced build)
    matcher: object = None  # the linking.TermMatcher built from the glossary

    def of_type(self, type_name: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.type == type_name]

    def backlinks(self) -> dict[str, dict[str, list[str]]]:
        """target -> relation -> ordered, unique source ids."""
        out: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))  # dicts: ordered sets
        for link in self.links:
            if link.source != link.target:
                out[link.target][link.relation][link.source] = None
        return {target: {relation: list(sources) for relation, sources in relations.items()}
                for target, relations in out.items()}

    def label(self, vocabulary: str, value: str) -> str:
        entry = self.vocabularies.get(vocabulary, {}).get(value)
        return entry.label if entry else value
