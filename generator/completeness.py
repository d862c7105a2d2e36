"""Completeness, computed: which reader-facing fields (registry.COMPLETE) a record still lacks."""

from __future__ import annotations

from .indexing import FIELD_LABELS
from .model import Entry
from .registry import COMPLETE, MOST_READ, TYPES

LABELS = FIELD_LABELS | {"purpose": "ce qu'elle permet", "phases": "phases", "steps": "étapes", "definition": "définition",
                         "summary": "résumé", "sources": "sources", "origin": "origine", "governance": "gouvernance"}
BOARD = "contribuer/a-completer.md"


def _value(meta, dotted: str):
    for part in dotted.split("."):
        meta = getattr(meta, part, None)
    return meta


def missing(entry: Entry) -> list[str]:
    """The fields of registry.COMPLETE that are empty and not flagged as inferred, in the registry's order."""
    inferred = getattr(entry.meta, "inferred", {})
    return [f for f in COMPLETE.get(entry.type, ()) if _value(entry.meta, f) in (None, "", [], {}) and f not in inferred]


def label(field: str, type_name: str) -> str:
    if field == "origin" and type_name == "method":
        return "origine de la méthode"
    return LABELS.get(field, field.replace("_", " "))


def labels(entry: Entry) -> list[str]:
    return [label(f, entry.type) for f in missing(entry)]


def board(entries) -> list[dict]:
    """The contributor board: per type (most-read first), per field, the records lacking it."""
    out = []
    for type_name in MOST_READ:
        of_type = [e for e in entries if e.type == type_name]
        lacking = {e.id: missing(e) for e in of_type}
        fields = [(label(f, type_name), f, sorted((e for e in of_type if f in lacking[e.id]), key=lambda e: e.title.casefold()))
                  for f in COMPLETE.get(type_name, ())]
        out.append(dict(type=TYPES[type_name], total=len(of_type), complete=sum(1 for m in lacking.values() if not m),
                        fields=[(text, f, records) for text, f, records in fields if records]))
    return out
