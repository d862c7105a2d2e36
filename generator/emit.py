"""Emitter: the linked corpus becomes ordinary Markdown pages and JSON in a folder.

Any static site tool that reads Markdown (MkDocs, Zensical) can build the result; nothing here imports MkDocs.
Python decides what each page shows (indexing.record_view, the registry's facets); templates only render:
they receive the page's own data and small helpers, never the corpus.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import cartography, compare, ect, explorer, indexing, proches, reseau, reuse, schemas, search, typography, urls, wayfinding
from . import home as homepage
from .config import SiteConfig
from .model import Corpus, Entry
from .registry import FACETS, TYPES
from .text import fenced, is_acronym, md_text, meta_text, plain

TEMPLATES = Path(__file__).parent / "templates" / "pages"
KEYWORD_ICON = "material-tag-outline"
NOJS = "Le filtrage combiné des fiches demande JavaScript ; sans lui, les pages de classement ci-dessous mènent aux mêmes fiches."
CONTRIBUTE = urls.record_page("page", "contribuer")
REFUSED = "*Le corps de cette fiche contient du HTML refusé par la vérification : il est affiché tel qu'il est écrit.*\n\n"


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


def record_data(entry: Entry, config: SiteConfig) -> dict:
    """What the JSON export says of one record: `url` is its page; a resource's own address is `link`."""
    data = {"id": entry.id, "type": entry.type, "title": entry.title, "summary": entry.summary,
            "url": urls.public(entry.page, config.site_url), "source": entry.path}
    data.update(entry.meta.model_dump(mode="json", exclude_none=True, exclude={"title", "summary", "url"}))
    if link := getattr(entry.meta, "link", None):
        data["link"] = link
    return data


class Emitter:
    def __init__(self, corpus: Corpus, config: SiteConfig):
        self.corpus = corpus
        self.config = config
        self.env = _environment()
        self.homonyms = indexing.homonyms(corpus)
        self.neighbours = proches.index(corpus)
        self.ect_grid = ect.grid(corpus)  # the concept record of the ECT grid (its levels), if there is one
        self.files: dict[str, str] = {}

    def context(self, here: str, **extra) -> dict:
        """What every template gets: where it is, the site's settings and helpers that turn records into links."""
        entries, vocabularies = self.corpus.entries, self.corpus.vocabularies

        def rel(target: str) -> str:
            return urls.relative(here, target)

        def link(entry_or_id) -> Markup:
            entry = entries[entry_or_id] if isinstance(entry_or_id, str) else entry_or_id
            return Markup(f"[{md_text(entry.title)}]({rel(entry.page)})")

        def page_link(text: str, page: str) -> Markup:  # a link to a generated page (keyword, facet), text escaped
            return Markup(f"[{md_text(text)}]({rel(page)})")

        def label(vocabulary: str, value: str) -> str:
            return self.corpus.label(vocabulary, value)

        def definition(vocabulary: str, value: str) -> str:
            return vocabularies[vocabulary][value].definition

        def icon(entry: Entry | str) -> str:
            return f":{entry if isinstance(entry, str) else entry.icon}:"

        return dict(here=here, config=self.config, page_url=urls.public(here, self.config.site_url), rel=rel, link=link,
                    page_link=page_link,
                    label=label, definition=definition, icon=icon, keyword_icon=KEYWORD_ICON, types=TYPES,
                    by_title=indexing.by_title, newest_first=indexing.newest_first, group_by_type=indexing.group_by_type,
                    group_by_variant=cartography.group_by_variant,
                    **extra)

    def body(self, entry: Entry) -> str:
        if entry.id in self.corpus.refused:  # only a forced build gets here: the text is shown, never run
            return REFUSED + fenced(entry.raw.body)
        return self.corpus.bodies[entry.id]

    def render(self, template: str, here: str, **extra) -> None:
        self.files[here] = self.snippet(template, here, **extra)

    def snippet(self, template: str, here: str, **extra) -> str:
        return typography.french(self.env.get_template(template).render(self.context(here, **extra)))

    def record_page(self, entry: Entry) -> None:
        """A record's page (and its citation files)."""
        corpus = self.corpus
        view = indexing.record_view(corpus, entry, self.homonyms.get(entry.id, []))
        view["search"] = search.page_data(entry, entry.raw.body, uses=len(view["mentions"]))
        close = proches.of(corpus, entry, view, self.neighbours)
        chart = ect.view(corpus, entry, self.ect_grid)
        if chart and chart["levels"]:  # the chart's notes link the grid: the loose lists leave it out
            for key in ("mentions", "related"):
                view[key] = [e for e in view[key] if e.id != self.ect_grid.id]
        page = dict(entry=entry, body=self.body(entry), view=view, ect=chart,
                    trail=wayfinding.breadcrumb(corpus, entry),
                    locator=cartography.locator(entry), proches=close,
                    compare=compare.links(entry, close),
                    **reuse.record(self, entry), entries_by_id=corpus.entries)
        self.render("record.md.j2", entry.page, **page, contents_slot=Markup(wayfinding.CONTENTS_SLOT))
        contents = wayfinding.contents(self.files[entry.page])  # long pages list their sections
        self.files[entry.page] = wayfinding.with_contents(
            self.files[entry.page], self.snippet("page-toc.md.j2", entry.page, contents=contents) if contents else "")

    def emit(self) -> dict[str, str]:
        corpus = self.corpus
        for entry in corpus.entries.values():
            if entry.type == "page":
                self.render("page.md.j2", entry.page, entry=entry, body=self.body(entry),  # the home and « Contribuer »
                            home=homepage.home(corpus) if entry.id == "index" else None,
                            forms=homepage.issue_forms(corpus.root, self.config.repo_url) if entry.page == CONTRIBUTE else None)
            else:  # (on two cores, forked workers made this slower: copying the pages back costs what they save)
                self.record_page(entry)
        extra = {"glossaire": {"az": indexing.alphabet(corpus.of_type("term"))},
                 "referentiel": {"tree": indexing.tree(corpus)},
                 # the section indexes embed the explorer restricted to their type
                 "methodes": {"widget": explorer.widget("methodes/index.md", "method", ("phase",)), "nojs": ""},
                 "monographies": {"widget": explorer.widget("monographies/index.md", "monograph", ("region", "dynamic_type")),
                                  "nojs": ""}}
        for record_type in TYPES.values():
            if record_type.index_page:
                self.render(f"index-{record_type.section}.md.j2", record_type.index_page, title=record_type.index_title,
                            records=indexing.by_title(corpus.of_type(record_type.name)), **extra.get(record_type.section, {}))
        for facet in FACETS:
            if facet.page:
                self.render("facet.md.j2", facet.page, title=facet.page_title, intro=facet.page_intro,
                            vocabulary=facet.vocabulary,
                            facet=indexing.facet(corpus, corpus.of_type(facet.page_type), facet.vocabulary, facet.values))
        keywords = indexing.keywords(corpus)
        self.render("index-mots-cles.md.j2", "mots-cles/index.md", title="Mots-clés", keywords=keywords)
        for keyword, tagged in keywords.items():
            self.render("keyword.md.j2", f"mots-cles/{keyword}.md", keyword=keyword, tagged=tagged)
        cartography.pages(self)  # carte/, the annuaire (roles facet page) and the locator maps' background
        self.render("comparer.md.j2", compare.PAGE, title="Comparer des dynamiques", view=compare.page_view(corpus))
        self.render("reseau.md.j2", reseau.PAGE, title="Réseau des dynamiques et des acteurs", net=reseau.view(corpus))
        self.files[compare.DATA] = json.dumps(compare.data(corpus), ensure_ascii=False, separators=(",", ":"))
        self.render("explorer.md.j2", explorer.PAGE, title="Explorer les fiches", static_pages=explorer.static_pages(),
                    description="Toutes les fiches du centre, à filtrer par type, thème, phase, territoire et mot-clé.",
                    widget=explorer.widget(explorer.PAGE), nojs=NOJS)
        self.files[explorer.DATA] = json.dumps(explorer.data(corpus), ensure_ascii=False, separators=(",", ":"))
        if "index.md" not in self.files:
            self.render("page.md.j2", "index.md", entry=None, body="", home=None, forms=None)
        if CONTRIBUTE not in self.files:  # the navigation names it
            self.render("contribute-page.md.j2", CONTRIBUTE, forms=homepage.issue_forms(corpus.root, self.config.repo_url))
        records = [record_data(e, self.config) for e in indexing.by_title(corpus.entries.values())]
        self.files["data/fiches.json"] = json.dumps(records, ensure_ascii=False, indent=1)
        self.files["data/vocabulaires.json"] = json.dumps(
            {name: {k: v.model_dump() for k, v in values.items()} for name, values in corpus.vocabularies.items()},
            ensure_ascii=False, indent=1)
        for name, schema in schemas.json_schemas(corpus.vocabularies).items():
            self.files[f"{schemas.SCHEMA_DIR}/{name}"] = schemas.render(schema)
        reuse.emit(self)  # open data, citation files, the feed, « Nouveautés », the completeness board
        return self.files


def emit(corpus: Corpus, config: SiteConfig) -> dict[str, str]:
    """Relative path -> text of every file of the docs folder."""
    return Emitter(corpus, config).emit()
