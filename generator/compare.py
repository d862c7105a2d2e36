"""« Comparer des dynamiques » (comparer/?ids=a,b,c): two to four monographs side by side on the facts the study's
tables compare (origin, legal form, resources, inhabitants, governance and room for debate, methods, programme)
and where, what and since when.

Python decides the rows and each record's text for them, written once as data/comparer.json; the page holds the
form (one checkbox per monograph) and, for readers without JavaScript, the list of the monographs.
`overrides/efc/compare.js` reads `ids` from the URL as text, keeps the known ones (four at most) and draws the
table. Each monograph page links here with its own id, and with its closest « dynamique proche ».
"""

from __future__ import annotations

from . import ect, typography, urls
from .model import Corpus, Entry
from .text import plain, sort_key

PAGE = "comparer/index.md"
DATA = "data/comparer.json"
MAXIMUM = 4
# (key, row label): the order of the table's rows
ROWS = [("kind", "Nature"), ("place", "Lieu"), ("dynamic_type", "Type de dynamique"), ("territory", "Type de territoire"),
        ("start_year", "Démarrage"), ("origin", "Origine"), ("legal_form", "Forme juridique"),
        ("governance", "Gouvernance et place du débat"), ("funding", "Ressources mobilisées (néant à +++)"),
        ("inhabitants", "Implication des habitants (néant à +++)"), ("programme", "Programme"), ("methods", "Méthodes et outils"),
        ("acteurs", "Structures impliquées"), ("themes", "Thèmes"), ("ect", "Score ECT")]


def _link(corpus: Corpus, record_id: str) -> list[str] | None:
    target = corpus.entries.get(record_id)
    return [plain(target.title), urls.path(target.page)] if target else None


def facts(corpus: Corpus, entry: Entry) -> dict:
    """row key -> text, or a list of [title, site path] links; the rows the record says nothing of are left out."""
    meta, label = entry.meta, corpus.label
    place = meta.place
    out: dict = {"kind": "Programme" if meta.kind == "programme" else "Dynamique territoriale"}
    if place:
        where = [place.commune, place.departement, label("regions", place.region) if place.region else None]
        out["place"] = ", ".join(w for w in where if w)
    if meta.dynamic_type:
        out["dynamic_type"] = label("dynamic_types", meta.dynamic_type)
    if meta.territory:
        out["territory"] = label("territories", meta.territory)
    if meta.start_year:
        out["start_year"] = str(meta.start_year)
    if meta.origin:
        out["origin"] = label("origins", meta.origin)
    if meta.legal_form:
        out["legal_form"] = meta.legal_form
    if meta.governance:
        out["governance"] = meta.governance
    if meta.funding:
        out["funding"] = " ; ".join(f"{label('funding_types', k)} {v}" for k, v in meta.funding.items())
    if meta.inhabitants:
        out["inhabitants"] = meta.inhabitants
    for key, ids in (("programme", [meta.programme] if meta.programme else []), ("methods", meta.methods),
                     ("acteurs", meta.acteurs)):
        links = [link for link in (_link(corpus, i) for i in ids) if link]
        if links:
            out[key] = sorted(links, key=lambda link: sort_key(link[0])) if key != "programme" else links
    if meta.themes:
        out["themes"] = ", ".join(label("themes", t) for t in meta.themes)
    score = meta.ect_score
    if score is not None and score.score_ect is not None:
        out["ect"] = f"{ect.number(score.score_ect)} sur 8"
    return {k: typography.french(plain(v)) if isinstance(v, str) else v for k, v in out.items()}


def comparable(corpus: Corpus) -> list[Entry]:
    """The monographs, dynamics first, then programmes, each by title."""
    return sorted(corpus.of_type("monograph"), key=lambda e: (e.meta.kind != "dynamique", sort_key(e.title)))


def data(corpus: Corpus) -> dict:
    """What data/comparer.json holds: the rows, then every monograph with its facts."""
    return {"max": MAXIMUM, "rows": [{"key": k, "label": text} for k, text in ROWS],
            "records": [{"id": e.id, "title": plain(e.title), "path": urls.path(e.page), "facts": facts(corpus, e)}
                        for e in comparable(corpus)]}


def page_view(corpus: Corpus) -> dict:
    """The page: where the data and the site root are, and the checkboxes, grouped as a reader names them."""
    groups = []
    for kind, heading in (("dynamique", "Dynamiques territoriales"), ("programme", "Programmes")):
        found = [e for e in comparable(corpus) if e.meta.kind == kind]
        if found:
            groups.append((heading, found))
    return dict(data=urls.relative_url(PAGE, DATA), root=urls.relative_url(PAGE, "") or "./", groups=groups,
                maximum=MAXIMUM)


def links(entry: Entry, proches: list[tuple[Entry, list[str]]]) -> dict | None:
    """The « Comparer avec… » links of a monograph page: with itself alone (the reader adds others), and with its
    closest « dynamique proche », when it has one."""
    if entry.type != "monograph":
        return None
    base = urls.relative_url(entry.page, urls.path(PAGE))
    closest = proches[0][0] if proches else None
    return dict(alone=f"{base}?ids={entry.id}", closest=closest.title if closest else None,
                pair=f"{base}?ids={entry.id},{closest.id}" if closest else None)
