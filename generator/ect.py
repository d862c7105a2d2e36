"""The ECT score charts: a monograph's four pillars (0 to 2) as horizontal bars drawn at build time, with their
text alternative, the totals and what the notes mean; on the grid's own page, every scored site side by side.

Numbers come from the monographs' `ect_score` (schema.EctScore); what the levels mean comes from the grid's
concept record (the concept whose items are the four pillars of indexing.ECT_PILLARS, each criterion with its
`levels`). The source gives one note per pillar, not per criterion: no criterion is drawn.
Decided here, drawn by templates/pages/ect-chart.md.j2.
"""

from __future__ import annotations

from markupsafe import Markup

from . import urls
from .indexing import ECT_PILLARS
from .model import Corpus, Entry
from .text import sort_key

NNBSP = "\u202f"
WIDTH, ROW, BAR = 340, 40, 14  # SVG user units: the chart's width, one pillar's row, a bar's height
LEFT, SCALE = 4, 130  # where 0 is, and the length of one point (the scale runs from 0 to 2)
MAXIMUM = 2


def number(value: float) -> str:
    """1.8 -> « 1,8 », 4.0 -> « 4 », 13.5 -> « 13,5 »: as the report's French tables write them."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def grid(corpus: Corpus) -> Entry | None:
    """The concept that describes the grid: its items are the four pillars, in order, and its criteria are graded."""
    labels = [label for _, label in ECT_PILLARS]
    for concept in sorted(corpus.of_type("concept"), key=lambda e: e.id):
        items = concept.meta.items
        if [i.label for i in items] == labels and all(c.levels for i in items for c in i.items):
            return concept
    return None


def levels(concept: Entry | None) -> list[dict]:
    """Each pillar's criteria and what each note (0, 1, 2) means, from the grid's record."""
    if concept is None:
        return []
    return [dict(pillar=item.label, criteria=[dict(label=c.label, levels=sorted((c.levels or {}).items()))
                                              for c in item.items]) for item in concept.meta.items]


def chart(entry: Entry, here: str, grid_entry: Entry | None) -> dict | None:
    """What the chart of one monograph draws and says; None when it has no pillar note."""
    score = getattr(entry.meta, "ect_score", None)
    if score is None:
        return None
    bars = []
    for key, label in ECT_PILLARS:
        value = getattr(score, key)
        if value is None:
            continue
        y = len(bars) * ROW
        bars.append(dict(key=key, label=label, value=value, text=number(value), y_label=y + 13, y_bar=y + 19,
                         width=round(value * SCALE, 1), x_value=round(LEFT + value * SCALE + 6, 1), y_value=y + 31))
    if not bars:
        return None
    height = len(bars) * ROW + 26
    axis_y = len(bars) * ROW + 6
    ticks = [dict(x=LEFT + t * SCALE, text=str(t)) for t in range(MAXIMUM + 1)]
    said = f"{NNBSP}; ".join(f"{b['label'].lower()} {b['text']} sur 2" for b in bars)
    total = f"{NNBSP}; score ECT {number(score.score_ect)} sur 8" if score.score_ect is not None else ""
    name = f"Score ECT de {entry.title}{NNBSP}: {said}{total}."
    return dict(id=entry.id, title=entry.title, url=urls.relative_url(here, urls.path(entry.page)), bars=bars,
                width=WIDTH, height=height, axis_y=axis_y, bar=BAR, left=LEFT, ticks=ticks, name=Markup.escape(name),
                score_ect=number(score.score_ect) if score.score_ect is not None else None,
                criteres=number(score.criteres_terrain) if score.criteres_terrain is not None else None,
                total=number(score.score_total) if score.score_total is not None else None, note=score.note,
                grid_url=urls.relative_url(here, urls.path(grid_entry.page)) if grid_entry else None,
                grid_title=grid_entry.title if grid_entry else None)


def scored(corpus: Corpus) -> list[Entry]:
    """The monographs that carry a pillar note, by title."""
    return sorted((e for e in corpus.of_type("monograph") if e.meta.ect_score is not None
                   and any(getattr(e.meta.ect_score, k) is not None for k, _ in ECT_PILLARS)),
                  key=lambda e: sort_key(e.title))


def view(corpus: Corpus, entry: Entry, grid_entry: Entry | None) -> dict | None:
    """The ECT block of a record page: a scored monograph's chart, or the grid's page (`grid`) with every scored
    site."""
    if entry.type == "monograph":
        one = chart(entry, entry.page, grid_entry)
        return dict(charts=[one], levels=levels(grid_entry), side_by_side=False) if one else None
    if grid_entry is not None and entry.id == grid_entry.id:
        charts = [chart(e, entry.page, grid_entry) for e in scored(corpus)]
        return dict(charts=charts, levels=[], side_by_side=True) if charts else None
    return None
