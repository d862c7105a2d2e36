"""« Dynamiques proches »: for a monograph, the other dynamics and programmes it shares something with
(acteurs, a programme, methods, a département, themes), each with the reason stated. Decided here, shown by
templates/pages/proches.md.j2. A record the page already lists (Voir aussi, programme, members…) is not repeated."""

from __future__ import annotations

from .model import Corpus, Entry
from .text import sort_key

LIMIT = 6
WEIGHTS = {"acteurs": 3, "programme": 3, "methods": 2, "departement": 2, "themes": 1}
MINIMUM = 2  # one shared theme alone is not a reason to show a dynamic


def of(corpus: Corpus, entry: Entry, view: dict) -> list[tuple[Entry, list[str]]]:
    """(record, reasons in French) of the closest other monographs, best first."""
    if entry.type != "monograph":
        return []
    entries, label = corpus.entries, corpus.label
    shown = view["shown"] | {entry.id}
    mine = entry.meta
    found = []
    for other in corpus.of_type("monograph"):
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
