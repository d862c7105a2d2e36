"""The build as a story: records in, a validated and linked `Corpus` and its `Problems` out.

    vocabularies → load → validate records → references → safety scan → link → corpus → warnings

Each step is one call; the corpus is built once, at the end, from what the steps returned. `cache` keeps the
pure steps' results (parse, safety scan, linked body) for unchanged files between runs (cache.py). What the
corpus becomes (pages, JSON, the site) is the emitter's and the site builder's business, not this module's.
"""

from __future__ import annotations

import functools
import gc
import hashlib
from pathlib import Path

from . import validate
from .cache import Cache
from .linking import WIKI, Rendered, TermMatcher, render_body
from .loader import RawRecord, load_records, load_vocabularies
from .model import Corpus, Entry, Link
from .problems import Problems
from .schema import Vocabularies
from .text import did_you_mean


def build_corpus(root: Path, cache: bool | Cache = False, bodies: bool = True, freeze: bool = False) -> tuple[Corpus, Problems]:
    """The validated, linked corpus and every problem found; without `bodies` (`check`), the rendered bodies are
    not kept (`Corpus.bodies` is empty): links and problems are the same. `freeze` (a command that ends with the
    corpus, cli.py) keeps the corpus out of the garbage collector's sight (gc.freeze): re-enabled, the collector
    would otherwise go through all of it at once (0.1 s at 10,000 records), and again at exit."""
    # The corpus is one large, acyclic graph of small objects kept to the end: the cyclic garbage collector
    # would rescan it again and again while it grows (loading 10,000 records: 2.2 s with it, 0.9 s without).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _story(root, cache if isinstance(cache, Cache) else Cache(root, enabled=cache), bodies)
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _story(root: Path, cache: Cache, with_bodies: bool) -> tuple[Corpus, Problems]:
    problems = Problems()
    vocabularies = read_vocabularies(root, problems)
    raws = load_records(root, problems, cache)
    entries = validate_records(raws, problems)
    links = []
    for entry in entries.values():
        validate.vocabulary_values(entry, vocabularies, problems)
        validate.places(entry, vocabularies, problems)
        validate.inferred(entry, problems)
        links += validate.references(entry, entries, problems)
    refused = safety_scan(entries, problems, cache)
    bodies, matcher, body_links = link_bodies(entries, problems, cache, with_bodies)
    corpus = Corpus(root, entries, vocabularies, links + body_links, bodies, refused, matcher)
    validate.warnings(corpus, problems)
    cache.save()
    return corpus, problems


def read_vocabularies(root: Path, problems: Problems) -> Vocabularies:
    """The controlled vocabularies, validated (all that `schemas` needs: no record is read)."""
    return validate.vocabularies(*load_vocabularies(root, problems), problems)


def validate_records(raws: list[RawRecord], problems: Problems) -> dict[str, Entry]:
    """id -> entry for every record whose front matter fits its model; ids are unique, bodies not empty."""
    entries: dict[str, Entry] = {}
    for raw in raws:
        if raw.id in entries:
            problems.error(raw.path, 1, "id-duplicate", f"L'identifiant « {raw.id} » est déjà utilisé par {entries[raw.id].path}.",
                           "Les identifiants (noms de fichiers) sont uniques dans tout le site : renommez l'un des deux.")
            continue
        meta = validate.record(raw, problems)
        if meta is None:
            continue
        entries[raw.id] = Entry(raw, meta)
        if raw.blank:
            problems.error(raw.path, raw.body_line, "body-empty", "Le corps de la fiche est vide.",
                           "Ajoutez au moins un paragraphe après l'en-tête.")
    return entries


def safety_scan(entries: dict[str, Entry], problems: Problems, cache: Cache) -> frozenset[str]:
    """HTML that could run script, in bodies and fields; returns the ids whose body is refused
    (a forced build shows their text, never runs it)."""
    refused = set()
    calls = [(("html", entry.path, entry.raw.digest), (entry.id,)) for entry in entries.values()]
    for entry, found in zip(entries.values(), cache.memo_all(calls, _scan, entries), strict=True):
        if any(p.code == "html-forbidden" for p in found):
            refused.add(entry.id)
        problems.items.extend(found)
    return frozenset(refused)


def _scan(entries: dict[str, Entry], entry_id: str):
    return validate.safety_scan(entries[entry_id].raw)


def link_bodies(entries: dict[str, Entry], problems: Problems, cache: Cache, with_bodies: bool = True):
    """Wiki links and glossary terms resolved in every body: (id -> body, the term matcher, the links).
    The cache keeps each body's links with the other results and the rendered body apart (Cache.text)."""
    matcher = TermMatcher.build([e for e in entries.values() if e.type == "term"])
    prefer = _prefer(entries)
    fronts = _link_context(entries)
    bodies, links = {}, []
    calls = [(("render", entry.path, entry.raw.digest, fronts), (entry.id,)) for entry in entries.values()]
    context = (entries, matcher, prefer)
    renders = cache.memo_all(calls, _render, context, keep=lambda r: Rendered(None, r.wiki, r.terms))
    for (key, _), entry, rendered in zip(calls, entries.values(), renders, strict=True):
        if with_bodies:
            bodies[entry.id] = cache.text(key, functools.partial(_body, context, entry.id, rendered))
        for target, line in rendered.wiki:
            if target in entries:
                links.append(Link(entry.id, target, "wiki", line))
            else:
                problems.error(entry.path, line, "wikilink-unknown", f"Le lien [[{target}]] ne mène à aucune fiche.",
                               did_you_mean(target, entries) or "Vérifiez l'identifiant : c'est le nom du fichier sans « .md ».")
        links += [Link(entry.id, term_id, "term", line) for term_id, line in rendered.terms]
    return bodies, matcher, links


def _render(context, entry_id: str):
    entries, matcher, prefer = context
    return render_body(entries[entry_id], entries, matcher, prefer)


def _body(context, entry_id: str, rendered: Rendered) -> str:
    """The linked body: just rendered, or (a cached rendering keeps only the links) rendered again."""
    return rendered.body if rendered.body is not None else _render(context, entry_id).body


def _prefer(entries: dict[str, Entry]):
    """Choose among homonym terms for one page: explicit links first, then shared sources."""
    @functools.cache
    def explicit_links(entry_id: str) -> frozenset[str]:
        entry = entries[entry_id]
        return frozenset(getattr(entry.meta, "related", [])) | {m.group(1).strip() for m in WIKI.finditer(entry.raw.body)}

    def prefer(entry: Entry, ids: set[str]) -> str | None:
        chosen = ids & explicit_links(entry.id)
        if len(chosen) == 1:
            return chosen.pop()
        mine = {s.ref for s in getattr(entry.meta, "sources", [])}
        scores = {i: len(mine & {s.ref for s in entries[i].meta.sources}) for i in ids}
        best = max(scores.values())
        winners = [i for i, score in scores.items() if score == best]
        return winners[0] if best and len(winners) == 1 else None
    return prefer


def _link_context(entries: dict[str, Entry]) -> str:
    """What rendering a body depends on besides the body: every record's id, type (its address) and title (a wiki
    link's text), and the glossary's front matter (terms, aliases, definitions, sources to choose among homonyms).
    Editing another field of a method or a monograph links no body again."""
    digest = hashlib.blake2b(digest_size=16)
    for entry in entries.values():
        digest.update(f"{entry.id}\0{entry.type}\0{entry.title}\0{entry.raw.front if entry.type == 'term' else ''}\0".encode())
    return digest.hexdigest()
