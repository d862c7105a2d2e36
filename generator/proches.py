"""« Dynamiques proches »: for a monograph, the other dynamics and programmes it shares something with
(acteurs, a programme, methods, a département, themes), each with the reason stated. Decided here, shown by
templates/pages/proches.md.j2. A record the page already lists (Voir aussi, programme, members…) is not repeated."""

from __future__ import annotations

from collections import defaultdict

from .model import Corpus, Entry
from .text import sort_key

LIMIT = 6
WEIGHTS = {"acteurs": 3, "programme": 3, "methods": 2, "departement": 2, "themes": 1}
MINIMUM = 2  # one shared theme alone is not a reason to show a dynamic


def _shared(meta) -> list[tuple[str, str]]:
    """What a monograph can share with another beyond themes (alone, they never make it close)."""
    place = meta.place.departement if meta.place else None
    return ([("acteurs", a) for a in meta.acteurs] + [("methods", m) for m in meta.methods]
            + ([("programme", meta.programme)] if meta.programme else []) + ([("departement", place)] if place else []))


def index(corpus: Corpus) -> dict[tuple[str, str], list[Entry]]:
    """(field, value) -> the monographs that have it, in corpus order: a page compares itself with these only."""
    out = defaultdict(list)
    for other in corpus.of_type("monograph"):
        for key in _shared(other.meta):
            out[key].append(other)
    return out


def of(corpus: Corpus, entry: Entry, view: dict, by_value: dict | None = None) -> list[tuple[Entry, list[str]]]:
    """(record, reasons in French) of the closest other monographs, best first (`by_value`: index(corpus))."""
    if entry.type != "monograph":
        return []
    entries, label = corpus.entries, corpus.label
    shown = view["shown"] | {entry.id}
    mine = entry.meta
    found = []
    by_value = index(corpus) if by_value is None else by_value
    candidates = {other.id: other for key in _shared(mine) for other in by_value.get(key, [])}
    for other in candidates.values():
        if other.id in shown:
            continue
        theirs = other.meta
        score, reasons = 0, []
        acteurs = [a for a in mine.acteurs if a in theirs.acteurs and a in entries]
        if acteurs:
            score += WEIGHTS["acteurs"] * len(acteurs)
            reasons.append(("acteur commun : " if len(acteurs) == 1 else "acteurs communs : ")
                           + ", ".join(entries[a].title for a in acteurs))
        if mine.programme and mine.programme == theirs.programme and mine.programme in entries:
            score += WEIGHTS["programme"]
            reasons.append(f"même programme : {entries[mine.programme].title}")
        methods = [m for m in mine.methods if m in theirs.methods and m in entries]
        if methods:
            score += WEIGHTS["methods"] * len(methods)
            reasons.append(("méthode commune : " if len(methods) == 1 else "méthodes communes : ")
                           + ", ".join(entries[m].title for m in methods))
        here, there = (m.place.departement if m.place else None for m in (mine, theirs))
        if here and here == there:
            score += WEIGHTS["departement"]
            reasons.append(f"même département : {here}")
        themes = [t for t in mine.themes if t in theirs.themes]
        if themes:
            score += WEIGHTS["themes"] * len(themes)
            reasons.append(("thème commun : " if len(themes) == 1 else "thèmes communs : ")
                           + ", ".join(label("themes", t) for t in themes))
        if score >= MINIMUM and (len(reasons) > 1 or not themes):
            found.append((score, other, reasons))
    found.sort(key=lambda item: (-item[0], sort_key(item[1].title)))
    return [(other, [reasons[0][0].upper() + reasons[0][1:], *reasons[1:]]) for _, other, reasons in found[:LIMIT]]
