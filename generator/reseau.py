"""The network of the dynamics, programmes and acteurs (reseau/): a build-time SVG and its table alternative.

Deterministic layout, no force simulation: on the left, each programme followed by its dynamics (the `programme`
relation drawn as a bracket), then the dynamics without programme, each group by title; on the right, the
acteurs, each set at the mean height of the monographs it is linked to (the `acteurs` relation), so that few
lines cross, then pushed apart to keep one row each. A line joins a monograph and an acteur; two monographs
that share an acteur meet at its node. Methods and resources linked to an acteur are not drawn: the acteur's
name and the table list them. Every node is an SVG link named by its record's title and what it is linked to.
Decided here, drawn by templates/pages/reseau.md.j2; overrides/efc/reseau.js lights a node's lines on focus.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup

from . import urls
from .indexing import by_title
from .model import Corpus, Entry
from .text import sort_key

PAGE = "reseau/index.md"
ROW, GAP, TOP = 22, 12, 16  # SVG user units: one node's row, the space between two groups, the top margin
LEFT_X, INDENT, LEFT_EDGE = 10, 18, 340  # programmes' text, dynamics' indent, where the left nodes' lines start
RIGHT_EDGE, WIDTH = 580, 900  # where the acteurs' lines end (their dots), the drawing's width
CHARS = 44  # a drawn label is cut after this many characters (the link's name keeps the whole title)
CHAR_WIDTH = 6.6  # the mean width of one character at the drawing's font size, to size the hit areas


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _short(title: str, chars: int = CHARS) -> str:
    """The title, or its beginning cut at a word (the drawing adds « … », hidden from the link's name, which
    then still holds every word shown)."""
    if len(title) <= chars:
        return title
    cut = title[: chars - 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
    for opening, closing in (("(", ")"), ("«", "»")):  # no bracket left open
        if cut.count(opening) > cut.count(closing):
            cut = cut[: cut.rindex(opening)]
    return cut.rstrip(" ,:;–-")


@dataclass
class Node:
    entry: Entry
    kind: str  # programme, dynamique, acteur
    x: float = 0  # where its text starts
    y: float = 0
    dot: float = 0  # x of its dot, where its lines meet it
    links: list[str] = field(default_factory=list)  # ids of the nodes it is joined to
    label: str = ""
    cut: bool = False  # the label is the title's beginning
    name: Markup = Markup("")
    url: str = ""
    width: float = 0

    @property
    def id(self) -> str:
        return self.entry.id


def graph(corpus: Corpus) -> dict:
    """Nodes and lines: monographs (programmes, dynamics) and acteurs, joined by `acteurs` and `programme`."""
    entries = corpus.entries
    monographs = sorted(corpus.of_type("monograph"), key=lambda e: sort_key(e.title))
    acteurs = sorted(corpus.of_type("acteur"), key=lambda e: sort_key(e.title))
    members = defaultdict(list)
    for m in monographs:
        if m.meta.kind != "programme" and m.meta.programme in entries:
            members[m.meta.programme].append(m)
    groups = [(p, members[p.id]) for p in monographs if p.meta.kind == "programme"]
    alone = [m for m in monographs if m.meta.kind != "programme" and m.meta.programme not in entries]
    edges = [(m.id, a) for m in monographs for a in dict.fromkeys(m.meta.acteurs) if a in entries]
    # acteur id -> type -> the methods and resources that name it (the `acteurs` relation's inverse)
    others = {a.id: {kind: by_title(entries[i] for i in corpus.backlinks.get(a.id, {}).get("acteurs", [])
                                    if entries[i].type == kind) for kind in ("method", "resource")} for a in acteurs}
    return dict(groups=groups, alone=alone, acteurs=acteurs, edges=edges, others=others)


def view(corpus: Corpus, here: str = PAGE) -> dict:
    """Everything reseau/ draws and lists."""
    g = graph(corpus)
    nodes: dict[str, Node] = {}
    brackets = []
    y = TOP
    for programme, group in g["groups"]:
        nodes[programme.id] = Node(programme, "programme", LEFT_X, y)
        first = y
        for member in group:
            y += ROW
            nodes[member.id] = Node(member, "dynamique", LEFT_X + INDENT, y)
        if group:
            brackets.append(dict(x=LEFT_X + 4, y1=first + 5, y2=y, ticks=[first + ROW * (i + 1) for i in range(len(group))]))
        y += ROW + GAP
    for member in g["alone"]:
        nodes[member.id] = Node(member, "dynamique", LEFT_X, y)
        y += ROW
    height_left = y
    for left, right in g["edges"]:
        nodes[left].links.append(right)
    # the acteurs: at the mean height of their monographs, then pushed apart (down, then up from the bottom)
    linked = defaultdict(list)
    for left, right in g["edges"]:
        linked[right].append(nodes[left].y)
    order = sorted(g["acteurs"], key=lambda a: (not linked[a.id], sum(linked[a.id]) / len(linked[a.id]) if linked[a.id] else 0,
                                                sort_key(a.title)))
    wanted = [sum(linked[a.id]) / len(linked[a.id]) if linked[a.id] else 0 for a in order]
    placed, previous = [], TOP - ROW
    for want in wanted:
        previous = max(want, previous + ROW)
        placed.append(previous)
    bottom = max(height_left - ROW, placed[-1] if placed else 0)
    for i in range(len(placed) - 1, -1, -1):  # nothing below the drawing's last row
        bottom = min(placed[i], bottom)
        placed[i] = bottom
        bottom -= ROW
    shift = max(0, TOP - (placed[0] if placed else TOP))
    for acteur, at in zip(order, placed, strict=True):
        nodes[acteur.id] = Node(acteur, "acteur", RIGHT_EDGE + 10, round(at + shift, 1))
    for left, right in g["edges"]:
        nodes[right].links.append(left)
    height = max(height_left, max((n.y for n in nodes.values()), default=0) + ROW) + 4
    for node in nodes.values():
        node.dot = RIGHT_EDGE if node.kind == "acteur" else LEFT_EDGE
        node.label = _short(node.entry.title, CHARS - 5 if node.kind == "programme" else CHARS)  # bold: wider
        node.cut = node.label != node.entry.title
        node.width = round(min((len(node.label) + node.cut) * CHAR_WIDTH + 8, (LEFT_EDGE - node.x - 6) if node.kind != "acteur"
                               else WIDTH - node.x), 1)
        node.url = urls.relative_url(here, urls.path(node.entry.page))
        node.name = Markup.escape(_name(node, nodes, g))
    lines = []
    for left, right in g["edges"]:
        a, b = nodes[left], nodes[right]
        middle = (a.dot + b.dot) / 2
        lines.append(dict(a=left, b=right, d=f"M{a.dot} {a.y - 4}C{middle} {a.y - 4} {middle} {b.y - 4} {b.dot} {b.y - 4}"))
    return dict(nodes=list(nodes.values()), lines=lines, brackets=brackets, width=WIDTH, height=round(height),
                table=_table(corpus, g), counts=dict(monographs=sum(1 for n in nodes.values() if n.kind != "acteur"),
                                                     acteurs=sum(1 for n in nodes.values() if n.kind == "acteur"),
                                                     lines=len(lines)))


def _name(node: Node, nodes: dict[str, Node], g: dict) -> str:
    """The link's accessible name: the whole title, what it is, what it is joined to."""
    title = node.entry.title
    if node.kind == "acteur":
        parts = [_plural(len(node.links), "dynamique ou programme", "dynamiques ou programmes")]
        others = g["others"].get(node.id, {})
        if others.get("method"):
            parts.append(_plural(len(others["method"]), "méthode", "méthodes"))
        if others.get("resource"):
            parts.append(_plural(len(others["resource"]), "ressource", "ressources"))
        return f"{title} (acteur{NNBSP}: {', '.join(parts)})"
    parts = []
    if node.kind == "programme":
        count = sum(1 for n in nodes.values() if n.kind == "dynamique" and n.entry.meta.programme == node.id)
        if count:
            parts.append(_plural(count, "dynamique", "dynamiques"))
    parts.append(_plural(len(node.links), "acteur", "acteurs"))
    return f"{title} ({node.kind}{NNBSP}: {', '.join(parts)})"


NNBSP = "\u202f"


def _table(corpus: Corpus, g: dict) -> dict:
    """The table alternative: each node, what it is, and its links, as records."""
    entries = corpus.entries
    by_acteur = defaultdict(list)
    for left, right in g["edges"]:
        by_acteur[right].append(entries[left])
    programmes = [dict(entry=p, members=group, acteurs=_acteurs(p, entries)) for p, group in g["groups"]]
    dynamics = []
    for m in sorted([m for _, group in g["groups"] for m in group] + g["alone"], key=lambda e: sort_key(e.title)):
        shared = {o.id: o for a in _acteurs(m, entries) for o in by_acteur[a.id] if o.id != m.id}
        dynamics.append(dict(entry=m, programme=entries.get(m.meta.programme or ""), acteurs=_acteurs(m, entries),
                             shared=sorted(shared.values(), key=lambda e: sort_key(e.title))))
    acteurs = [dict(entry=a, monographs=sorted(by_acteur[a.id], key=lambda e: sort_key(e.title)),
                    methods=g["others"].get(a.id, {}).get("method", []),
                    resources=g["others"].get(a.id, {}).get("resource", [])) for a in g["acteurs"]]
    return dict(programmes=programmes, dynamics=dynamics, acteurs=acteurs)


def _acteurs(entry: Entry, entries) -> list[Entry]:
    return sorted((entries[a] for a in dict.fromkeys(entry.meta.acteurs) if a in entries), key=lambda e: sort_key(e.title))
