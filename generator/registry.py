"""The registry: every record type, relation and facet of the centre, declared once.

Validation, indexing, the emitter and its templates, the JSON Schemas, `new`, the link checker and the
tests read these tables; nothing else lists the types. Adding a record type means: a model in
`schema.py`, one `RecordType` here (and its relations and facets), its templates and its archetype.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel

from . import schema
from .text import slugify


@dataclass(frozen=True)
class RecordType:
    name: str  # the type name (front matter of the JSON export, `new TYPE`, URL parameter `type=`)
    model: type[BaseModel]
    folder: str  # where its files are, relative to the repository root
    section: str  # URL section of its pages ("" for free pages at the site root)
    singular: str  # « Méthode »
    plural: str  # « Méthodes »
    article: str  # « une méthode »: in messages (« une méthode est attendue »)
    icon: str  # Material icon shortcode, without colons
    description: str  # one sentence for contributors (JSON Schema) and readers (explorer)
    index_title: str | None = None  # the section's index page (section/index.md), when it has one
    archetype: bool = True  # `new TYPE "Titre"` writes templates/new/TYPE.md
    recursive: bool = True  # records in sub-folders too
    variants: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # `kind` -> (singular, icon, schema.org type)
    schema_org: str = "CreativeWork"  # the schema.org type of its page's main node (jsonld.py)
    complete: tuple[str, ...] = ()  # the reader-facing fields that make it complete, in the badge's order (dotted: nested)
    read_order: int = 100  # the contributor board lists the types readers open most first (a declared order)

    @property
    def index_page(self) -> str | None:
        return f"{self.section}/index.md" if self.index_title else None


@dataclass(frozen=True)
class Relation:
    """A front-matter field whose values are ids of other records."""

    field: str  # the field (a list, or one id); `sources` items carry their id in `ref`
    name: str  # the link's relation in the graph (Corpus.links)
    types: tuple[str, ...] | None  # types whose records carry it (None: every record type but pages)
    target: str | None  # the type its values must be (None: any record)
    inverse: str  # heading on the target's page listing the records that point to it
    check: Callable | None = None  # target entry -> French message when it is the right type but not acceptable
    item_key: str | None = None  # key of the id inside each list item (sources: ref)


@dataclass(frozen=True)
class Facet:
    """A field whose values come from a controlled vocabulary: filters, facet pages, chips, JSON Schema enums."""

    field: str  # dotted for a nested field (place.region); a list, a value, or a mapping keyed by values
    vocabulary: str  # name in content/vocabulaires.yml
    types: tuple[str, ...]  # record types that carry it
    param: str  # URL parameter of the explorer (explorer/?theme=alimentation)
    label: str  # « Thème »
    page: str | None = None  # a static page grouping records of `page_type` by value, anchors per value (#value)
    page_type: str | None = None
    page_title: str = ""
    page_intro: str = ""
    per_value_pages: str | None = None  # a folder with one page per value (mots-cles/)
    # a facet without vocabulary, derived from the record: (corpus, entry) -> [(value id, label, definition)];
    # the explorer's only (validation, JSON Schemas and chips read the vocabulary facets of FACETS)
    derive: Callable | None = None

    def values(self, meta) -> list[str]:
        """The values a record's front matter gives this facet."""
        obj = meta
        for part in self.field.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return []
        if isinstance(obj, dict):
            return list(obj)
        return list(obj) if isinstance(obj, list) else [obj]

    def value_page(self, value: str, type_name: str) -> str | None:
        """The docs page (and anchor) listing a record of this type by this value, or None when there is none."""
        if self.per_value_pages:
            return f"{self.per_value_pages}{value}.md"
        if self.page and self.page_type == type_name:
            return f"{self.page}#{value}"
        return None


TYPES: dict[str, RecordType] = {t.name: t for t in (
    RecordType("method", schema.Method, "tools_methods", "methodes", "Méthode", "Méthodes", "une méthode", "material-tools",
               "Méthode ou outil : à quoi elle sert, pour quelles phases, avec qui, étapes et points de vigilance.",
               index_title="Méthodes et outils", schema_org="TechArticle",
               complete=("purpose", "phases", "participants", "duration", "steps"), read_order=1),
    RecordType("monograph", schema.Monograph, "monographs", "monographies", "Monographie", "Monographies", "une monographie",
               "material-map-marker-radius",
               "Monographie : une dynamique territoriale ou un programme, son lieu, ses acteurs, ses méthodes.",
               index_title="Monographies", variants={"programme": ("Programme", "material-sitemap", "Article")},
               schema_org="Report", read_order=2, complete=("place", "dynamic_type", "territory", "origin", "legal_form",
                                                           "governance", "start_year", "actors", "methods")),
    RecordType("term", schema.Term, "glossary", "glossaire", "Terme", "Termes", "un terme", "material-book-alphabet",
               "Terme du glossaire : définition courte (infobulle), sigles et variantes.", index_title="Glossaire",
               schema_org="DefinedTerm", complete=("definition", "sources"), read_order=3),
    RecordType("concept", schema.Concept, "content/referentiel", "referentiel", "Concept", "Concepts", "un concept",
               "material-file-tree", "Concept du référentiel EFC/ECT : principe, pilier, grille, avec ses éléments ordonnés.",
               index_title="Référentiel", schema_org="Article", complete=("summary", "sources"), read_order=5),
    RecordType("resource", schema.Resource, "content/ressources", "ressources", "Ressource", "Ressources", "une ressource",
               "material-bookshelf", "Ressource bibliographique : rapport, note, article, vidéo ou site.", index_title="Ressources",
               complete=("authors", "year", "publisher", "url"), read_order=4),
    RecordType("acteur", schema.Acteur, "content/acteurs", "acteurs", "Acteur", "Acteurs", "un acteur", "material-account-group",
               "Acteur : une structure ou un réseau que les sources nomment, ce qu'il fait dans ce champ et où.",
               index_title="Acteurs", schema_org="Organization", complete=("kind", "roles", "summary", "sources"), read_order=6),
    RecordType("path", schema.Path, "content/parcours", "parcours", "Parcours", "Parcours", "un parcours", "material-map-marker-path",
               "Parcours de lecture : pour un type de lecteur, une suite ordonnée de fiches et ce que chacune apporte.",
               index_title="Parcours de lecture", schema_org="LearningResource", complete=("summary", "steps"), read_order=7),
    RecordType("page", schema.Page, "content", "", "Page", "Pages", "une page", "material-file-document-outline",
               "Page libre du site (accueil, à propos, licence).", archetype=False, recursive=False),
)}

RECORD_TYPES = [t for t in TYPES.values() if t.name != "page"]  # the types a reader explores


def _programme(target) -> str | None:
    return None if target.meta.kind == "programme" else f"« {target.id} » n'est pas une monographie de type programme."


RELATIONS: list[Relation] = [
    Relation("related", "related", None, None, "Voir aussi"),
    Relation("sources", "source", None, "resource", "Fiches qui s'appuient sur cette ressource", item_key="ref"),
    Relation("methods", "methods", ("monograph",), "method", "Où elle a été utilisée"),
    Relation("programme", "programme", ("monograph",), "monograph", "Dynamiques de ce programme", check=_programme),
    Relation("parent", "parent", ("concept",), "concept", "Dans cette partie du référentiel"),
    Relation("acteurs", "acteurs", ("monograph", "method", "resource"), "acteur", "Où cet acteur intervient"),
    Relation("steps", "step", ("path",), None, "Parcours qui passent par cette fiche", item_key="ref"),
]
RELATION_BY_NAME = {r.name: r for r in RELATIONS}

RECORDS = tuple(t.name for t in RECORD_TYPES)
FACETS: list[Facet] = [
    Facet("keywords", "keywords", RECORDS, "keyword", "Mot-clé", per_value_pages="mots-cles/"),
    Facet("phases", "phases", ("method",), "phase", "Phase", page="methodes/par-phase.md", page_type="method",
          page_title="Méthodes par phase",
          page_intro="Les méthodes classées selon la phase de la dynamique qu'elles servent."),
    Facet("themes", "themes", ("method", "monograph"), "theme", "Thème", page="monographies/par-theme.md", page_type="monograph",
          page_title="Monographies par thème", page_intro="Les monographies classées par thème."),
    Facet("place.region", "regions", ("monograph",), "region", "Région", page="monographies/par-region.md", page_type="monograph",
          page_title="Monographies par région", page_intro="Les dynamiques et programmes classés par région."),
    Facet("dynamic_type", "dynamic_types", ("monograph",), "dynamic_type", "Type de dynamique",
          page="monographies/par-type.md", page_type="monograph",
          page_title="Monographies par type de dynamique", page_intro="Les monographies classées par type de dynamique."),
    Facet("territory", "territories", ("monograph",), "territory", "Type de territoire"),
    Facet("origin", "origins", ("monograph",), "origin", "Origine"),
    Facet("funding", "funding_types", ("monograph",), "funding", "Ressources mobilisées"),
    Facet("kind", "actor_kinds", ("acteur",), "actor_kind", "Nature de l'acteur", page="acteurs/par-nature.md", page_type="acteur",
          page_title="Acteurs par nature", page_intro="Les structures et réseaux classés par nature : laboratoires, réseaux, financeurs…"),
    Facet("roles", "actor_roles", ("acteur",), "role", "Rôle", page="acteurs/annuaire.md", page_type="acteur",  # cartography.py
          page_title="Annuaire de l'accompagnement", page_intro="Les structures d'appui, par ce qu'elles offrent."),
    Facet("regions", "regions", ("acteur",), "actor_region", "Région d'intervention"),
    Facet("kind", "resource_kinds", ("resource",), "resource_kind", "Nature de la ressource"),
]
FACET_BY_PARAM = {f.param: f for f in FACETS}


def facets_of(type_name: str) -> list[Facet]:
    return [f for f in FACETS if type_name in f.types]


def relations_of(type_name: str) -> list[Relation]:
    return [r for r in RELATIONS if (r.types is None and type_name != "page") or (r.types and type_name in r.types)]


def vocabulary_names() -> list[str]:
    """Every vocabulary the registry uses, in declaration order."""
    return list(dict.fromkeys(f.vocabulary for f in FACETS))


# --- reuse: open data, citation, structured data, completeness (opendata.py, citation.py, jsonld.py, completeness.py) ---

LICENCE = ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/")  # the content's licence (LICENSE-CONTENT)

# Derived from the record types (one declaration per type, above).
COMPLETE: dict[str, tuple[str, ...]] = {t.name: t.complete for t in RECORD_TYPES}
MOST_READ = tuple(t.name for t in sorted(RECORD_TYPES, key=lambda t: t.read_order))
SCHEMA_ORG = {t.name: t.schema_org for t in RECORD_TYPES} | {
    kind: variant[2] for t in RECORD_TYPES for kind, variant in t.variants.items()}


@dataclass(frozen=True)
class KindFormats:
    """How a resource of one `kind` is typed when the document itself is cited or described."""

    schema_org: str
    bibtex: str  # biblatex entry type
    ris: str  # RIS TY
    csl: str  # CSL-JSON type


KIND_FORMATS: dict[str, KindFormats] = {
    "rapport": KindFormats("Report", "report", "RPRT", "report"),
    "note": KindFormats("Report", "report", "RPRT", "report"),
    "article": KindFormats("ScholarlyArticle", "article", "JOUR", "article-journal"),
    "ouvrage": KindFormats("Book", "book", "BOOK", "book"),
    "video": KindFormats("VideoObject", "video", "VIDEO", "motion_picture"),
    "site": KindFormats("WebSite", "online", "ELEC", "webpage"),
    "texte-juridique": KindFormats("Legislation", "legal", "STAT", "legislation"),
    "guide": KindFormats("Book", "book", "BOOK", "book"),
    "these": KindFormats("Thesis", "thesis", "THES", "thesis"),
    "contrat": KindFormats("CreativeWork", "misc", "GEN", "document"),
}
DEFAULT_KIND_FORMATS = KindFormats("CreativeWork", "misc", "GEN", "document")


# --- the explorer (explorer/): facets derived from the records, and the order its filters come in -------------

def _departement(corpus, entry) -> list[tuple[str, str, str]]:
    """« Jura (39) » -> ("jura", "Jura (39)", …): the département a monograph's place gives."""
    place = getattr(entry.meta, "place", None)
    name = place.departement if place else None
    if not name:
        return []
    region = corpus.label("regions", place.region) if place.region else ""
    return [(slugify(name.split("(")[0]) or slugify(name), name, f"Département{' de la région ' + region if region else ''}.")]


def _programme_of(corpus, entry) -> list[tuple[str, str, str]]:
    """The programme a dynamic belongs to (a monograph of kind « programme »), by its id."""
    target = corpus.entries.get(getattr(entry.meta, "programme", None) or "")
    return [(target.id, target.title, target.summary or "")] if target else []


DERIVED_FACETS: list[Facet] = [
    Facet("place.departement", "", ("monograph",), "departement", "Département", derive=_departement),
    Facet("programme", "", ("monograph",), "programme", "Programme", derive=_programme_of),
]
# the explorer's filters, after the record type (`type=`), by their URL parameter
EXPLORER_FACETS: list[Facet] = [{f.param: f for f in FACETS + DERIVED_FACETS}[p] for p in (
    "theme", "keyword", "phase", "region", "departement", "dynamic_type", "origin", "territory", "programme",
    "funding", "resource_kind")]
