"""The home page by need and the « Contribuer » page: what they list, decided here from the corpus and the
repository (templates/pages/home.md.j2, contribute.md.j2 render it). Counts are computed, never written."""

from __future__ import annotations

from pathlib import Path

import yaml

from . import indexing
from .model import Corpus
from .registry import FACETS, TYPES

FEATURED = 3  # dynamics shown on the home page
NEWEST = 6  # newest records shown on the home page
FACET_PAGES = [f for f in FACETS if f.page and f.page_type == "monograph"]


def home(corpus: Corpus) -> dict:
    """Counts per type, methods per phase, ways into the monographs, featured dynamics and the newest records."""
    methods = corpus.of_type("method")
    dynamics = [m for m in corpus.of_type("monograph") if m.meta.kind == "dynamique"]
    phases = indexing.facet(corpus, methods, "phases", next(f for f in FACETS if f.field == "phases").values)
    # featured: the dynamics that document the most methods of the library (then by title)
    featured = sorted(indexing.by_title(dynamics), key=lambda m: -len([i for i in m.meta.methods if i in corpus.entries]))
    records = [e for e in corpus.entries.values() if e.type != "page"]
    newest = sorted(indexing.by_title(records), key=lambda e: e.meta.updated.toordinal() if e.meta.updated else 0, reverse=True)
    return dict(
        counts={name: len(corpus.of_type(name)) for name in TYPES if name != "page"},
        dynamics=len(dynamics),
        phases=[(value, len(group)) for value, group in phases.groups],
        phase_page=next(f.page for f in FACETS if f.field == "phases"),
        facet_pages=[(f.page_title, f.page, _plural(f.label.lower()), len({v for m in dynamics for v in f.values(m.meta)}))
                     for f in FACET_PAGES],
        featured=featured[:FEATURED],
        newest=newest[:NEWEST],
    )


def _plural(label: str) -> str:
    """« type de dynamique » -> « types de dynamique »: the head word takes the mark."""
    head, _, rest = label.partition(" ")
    return " ".join(filter(None, [head if head.endswith(("s", "x")) else head + "s", rest]))


def issue_forms(root: Path, repo_url: str) -> list[tuple[str, str, str]]:
    """(name, description, address) of the repository's issue forms (.github/ISSUE_TEMPLATE/*.yml)."""
    if not repo_url:
        return []
    forms = []
    for path in sorted((root / ".github" / "ISSUE_TEMPLATE").glob("*.yml")):
        if path.name == "config.yml":
            continue
        form = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(form, dict) and form.get("name"):
            forms.append((str(form["name"]), str(form.get("description", "")), f"{repo_url}/issues/new?template={path.name}"))
    return forms
