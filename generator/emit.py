"""Emitter: the linked corpus becomes ordinary Markdown pages and JSON in a folder.

Any static site tool that reads Markdown (MkDocs, Zensical) can build the result;
nothing here imports MkDocs.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import indexing, schemas
from .linking import relative
from .model import Corpus, Entry
from .schema import TYPES
from .text import fenced, is_acronym, md_text, meta_text, plain

TEMPLATES = Path(__file__).parent / "templates" / "pages"

SECTIONS = {  # section -> (index title, record type)
    "methodes": ("Méthodes et outils", "method"),
    "monographies": ("Monographies", "monograph"),
    "glossaire": ("Glossaire", "term"),
    "referentiel": ("Référentiel", "concept"),
    "ressources": ("Ressources", "resource"),
}

ICONS = {
    "method": "material-tools",
    "monograph": "material-map-marker-radius",
    "programme": "material-sitemap",
    "term": "material-book-alphabet",
    "concept": "material-file-tree",
    "resource": "material-bookshelf",
    "page": "material-file-document-outline",
    "keyword": "material-tag-outline",
}

FACETS = {  # page -> (title, intro, vocabulary, record type, values)
    "methodes/par-phase.md": ("Méthodes par phase", "Les méthodes classées selon la phase de la dynamique qu'elles servent.",
                              "phases", "method", lambda e: e.meta.phases),
    "monographies/par-region.md": ("Monographies par région", "Les dynamiques et programmes classés par région.",
                                   "regions", "monograph", lambda e: [e.meta.place.region if e.meta.place else None]),
    "monographies/par-type.md": ("Monographies par type de dynamique", "Les monographies classées par type de dynamique.",
                                 "dynamic_types", "monograph", lambda e: [e.meta.dynamic_type]),
    "monographies/par-theme.md": ("Monographies par thème", "Les monographies classées par thème.",
                                  "themes", "monograph", lambda e: e.meta.themes),
}


REFUSED = "*Le corps de cette fiche contient du HTML refusé par la vérification : il est affiché tel qu'il est écrit.*\n\n"


@dataclass(frozen=True)
class Settings:
    site_name: str = "Centre de ressources EFC"
    site_url: str = ""
    repo_url: str = ""
    edit_branch: str = "main"


def _text(value):
    """Every `{{ value }}` of a page template: a string is text (HTML escaped, Markdown syntax made inert);
    Markup (macros, rendered bodies, links built here, JSON) passes as it is."""
    return value if isinstance(value, Markup) or not isinstance(value, str) else Markup(md_text(value))


@functools.cache  # templates are compiled once per process (serve re-emits on every change)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plain"] = plain
    env.tests["acronym"] = is_acronym
    env.filters["attr"] = lambda s: plain(s or "").replace('"', "”")
    env.filters["meta"] = meta_text
    # Jinja's join returns Markup (HTML escaped only), which `_text` would let through: join plain strings instead
    env.filters["join"] = lambda values, separator="": separator.join(str(v) for v in values)
    return env


def record_data(entry: Entry, settings: Settings) -> dict:
    """What the JSON export says of one record."""
    data = {"id": entry.id, "type": entry.type, "title": entry.title, "summary": entry.summary,
            "url": settings.site_url.rstrip("/") + "/" + entry.page.removesuffix(".md") + "/",
            "source": entry.path}
    data.update(entry.meta.model_dump(mode="json", exclude_none=True, exclude={"title", "summary"}))
    return data


class Emitter:
    def __init__(self, corpus: Corpus, settings: Settings):
        self.corpus = corpus
        self.settings = settings
        self.env = _environment()
        self.backlinks = corpus.backlinks()
        self.homonyms = indexing.homonyms(corpus)
        self.files: dict[str, str] = {}

    # helpers exposed to templates
    def context(self, here: str, **extra) -> dict:
        corpus = self.corpus

        def rel(target: str) -> str:
            return relative(here, target)

        def link(entry_or_id) -> Markup:
            entry = corpus.entries[entry_or_id] if isinstance(entry_or_id, str) else entry_or_id
            return Markup(f"[{md_text(entry.title)}]({rel(entry.page)})")

        def label(vocabulary: str, value: str) -> str:
            return corpus.label(vocabulary, value)

        def icon(entry: Entry | str) -> str:
            key = entry if isinstance(entry, str) else (
                "programme" if entry.type == "monograph" and entry.meta.kind == "programme" else entry.type)
            return f":{ICONS[key]}:"

        def entries(ids) -> list[Entry]:
            return [corpus.entries[i] for i in ids if i in corpus.entries]

        return dict(here=here, corpus=corpus, settings=self.settings, rel=rel, link=link, label=label, icon=icon,
                    entries=entries, by_title=indexing.by_title, newest_first=indexing.newest_first, group_by_type=indexing.group_by_type,
                    vocab=corpus.vocabularies, types=TYPES, **extra)

    def body(self, entry: Entry) -> str:
        if entry.id in self.corpus.refused:  # only a forced build gets here: the text is shown, never run
            return REFUSED + fenced(entry.raw.body)
        return self.corpus.bodies[entry.id]

    def render(self, template: str, here: str, **extra) -> None:
        self.files[here] = self.env.get_template(template).render(self.context(here, **extra))

    def emit(self) -> dict[str, str]:
        corpus = self.corpus
        for entry in corpus.entries.values():
            if entry.type == "page":
                self.render("page.md.j2", entry.page, entry=entry, body=self.body(entry))
            else:
                self.render("record.md.j2", entry.page, entry=entry, body=self.body(entry),
                            back=self.backlinks.get(entry.id, {}), homonyms=self.homonyms.get(entry.id, []))
        extra = {"glossaire": {"az": indexing.alphabet(corpus.of_type("term"))},
                 "referentiel": {"tree": indexing.tree(corpus)}}
        for section, (title, type_name) in SECTIONS.items():
            self.render(f"index-{section}.md.j2", f"{section}/index.md", title=title,
                        records=indexing.by_title(corpus.of_type(type_name)), **extra.get(section, {}))
        for page, (title, intro, vocabulary, type_name, values) in FACETS.items():
            self.render("facet.md.j2", page, title=title, intro=intro, vocabulary=vocabulary,
                        facet=indexing.facet(corpus, corpus.of_type(type_name), vocabulary, values))
        keywords = indexing.keywords(corpus)
        self.render("index-mots-cles.md.j2", "mots-cles/index.md", title="Mots-clés", keywords=keywords)
        for keyword, tagged in keywords.items():
            self.render("keyword.md.j2", f"mots-cles/{keyword}.md", keyword=keyword, tagged=tagged)
        if "index.md" not in self.files:
            self.render("page.md.j2", "index.md", entry=None, body="")
        records = [record_data(e, self.settings) for e in indexing.by_title(corpus.entries.values())]
        self.files["data/fiches.json"] = json.dumps(records, ensure_ascii=False, indent=1)
        self.files["data/vocabulaires.json"] = json.dumps(
            {name: {k: v.model_dump() for k, v in values.items()} for name, values in corpus.vocabularies.items()},
            ensure_ascii=False, indent=1)
        for name, schema in schemas.json_schemas(corpus.vocabularies).items():
            self.files[f"{schemas.SCHEMA_DIR}/{name}"] = schemas.render(schema)
        return self.files


def emit(corpus: Corpus, settings: Settings) -> dict[str, str]:
    """Relative path -> text of every file of the docs folder."""
    return Emitter(corpus, settings).emit()
