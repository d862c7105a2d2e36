"""Record schemas: one small pydantic model per record type.

A schema says what a field holds (type, required or not). What a value may be
(a controlled vocabulary, an existing record id) is checked in `validate.py`,
because it depends on the whole corpus. Every model forbids unknown fields so
that a typo in a key is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Intensity = Literal["néant", "+", "++", "+++"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    """A citation of a bibliographic resource: which one, and where in it."""

    ref: Id = Field(description="Identifiant de la ressource citée (fichier de content/ressources/).")
    loc: Text = Field(description="Où lire le passage, pour un lecteur : section (numéro et titre), annexe, tableau, page.")
    lines: Text | None = Field(
        None, description="Lignes du texte source (pour les mainteneurs qui vérifient un fait), par exemple « 308-312, 320 ».")


class Record(Strict):
    """Fields shared by every record type."""

    title: Text = Field(description="Titre de la fiche.")
    summary: Text | None = Field(None, description="Une ou deux phrases : listes, cartes, infobulles.")
    keywords: list[Id] = Field(default_factory=list, description="Mots-clés du vocabulaire `keywords`.")
    sources: list[SourceRef] = Field(default_factory=list, description="Ressources citées, avec localisation.")
    related: list[Id] = Field(default_factory=list, description="Autres fiches liées (tout type).")
    updated: dt.date | None = Field(None, description="Date de dernière mise à jour (AAAA-MM-JJ).")
    inferred: dict[str, Text] = Field(
        default_factory=dict,
        description="Faits déduits par les rédacteurs plutôt qu'énoncés par une source : "
                    "champ (ex. territory, place.region) → raison courte.")


class Method(Record):
    """A method or tool (`tools_methods/`)."""

    purpose: Text | None = Field(None, description="Ce que la méthode permet.")
    phases: list[Id] = Field(default_factory=list, description="Phases de la dynamique (vocabulaire `phases`).")
    themes: list[Id] = Field(default_factory=list, description="Thèmes (vocabulaire `themes`).")
    participants: Text | None = Field(None, description="Qui participe, et combien.")
    duration: Text | None = Field(None, description="Durée indicative.")
    materials: list[Text] = Field(default_factory=list, description="Matériel nécessaire.")
    steps: list[Text] = Field(default_factory=list, description="Étapes, dans l'ordre.")
    pitfalls: list[Text] = Field(default_factory=list, description="Points de vigilance.")
    variants: list[Text] = Field(default_factory=list, description="Variantes.")
    origin: Text | None = Field(None, description="Qui a formalisé ou documenté la méthode.")
    usage_note: Text | None = Field(
        None, description="Si aucune monographie n'utilise la méthode : pourquoi (ex. méthode proposée, non encore documentée)."
    )
    acteurs: list[Id] = Field(default_factory=list, description="Structures qui l'ont conçue ou employée (fiches de content/acteurs/).")


class Term(Record):
    """A glossary term (`glossary/`)."""

    definition: Text = Field(max_length=300, description="Définition courte (infobulle, 300 caractères au plus).")
    aliases: list[Text] = Field(default_factory=list, description="Sigles, pluriels irréguliers, variantes.")
    autolink: bool = Field(True, description="Lier automatiquement le terme dans le texte des autres fiches.")


class Place(Strict):
    commune: Text | None = Field(None, description="Commune principale.")
    departement: Text | None = Field(None, description="Département, sous la forme « Jura (39) ».")
    region: Id | None = Field(None, description="Région (vocabulaire `regions`).")
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude de la commune (WGS 84).")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude de la commune (WGS 84).")
    note: Text | None = Field(None, description="Précision : périmètre, lieu déduit plutôt qu'indiqué par la source…")


class EctScore(Strict):
    """The ECT score of the Clus'Ter Jura grid: each pillar scored 0 to 2."""

    portage_collectif: float | None = Field(None, ge=0, le=2)
    ancrage_territorial: float | None = Field(None, ge=0, le=2)
    resilience: float | None = Field(None, ge=0, le=2)
    modele_economique_hybride: float | None = Field(None, ge=0, le=2)
    score_ect: float | None = Field(None, ge=0, le=8, description="Somme des quatre piliers.")
    criteres_terrain: float | None = Field(None, ge=0, description="Total des neuf critères de choix du terrain.")
    score_total: float | None = Field(None, ge=0, description="Score total tel que le rapport le donne.")
    note: Text | None = None


class Monograph(Record):
    """A case study or a programme (`monographs/`)."""

    kind: Literal["dynamique", "programme"] = Field("dynamique", description="Dynamique territoriale ou programme.")
    dynamic_type: Id | None = Field(None, description="Type de dynamique (vocabulaire `dynamic_types`).")
    place: Place | None = Field(None, description="Lieu.")
    territory: Id | None = Field(None, description="Type de territoire (vocabulaire `territories`).")
    start_year: int | None = Field(None, ge=1900, le=2100, description="Année de démarrage.")
    legal_form: Text | None = Field(None, description="Forme juridique du portage.")
    origin: Id | None = Field(None, description="Origine de la dynamique (vocabulaire `origins`).")
    governance: Text | None = Field(None, description="Gouvernance en quelques mots.")
    themes: list[Id] = Field(default_factory=list, description="Thèmes (vocabulaire `themes`).")
    actors: list[Text] = Field(default_factory=list, description="Acteurs impliqués.")
    methods: list[Id] = Field(default_factory=list, description="Méthodes et outils utilisés (fiches de tools_methods/).")
    programme: Id | None = Field(None, description="Programme dont la dynamique fait partie (monographie de type programme).")
    funding: dict[Id, Intensity] = Field(
        default_factory=dict, description="Ressources mobilisées et leur intensité (vocabulaire `funding_types`)."
    )
    inhabitants: Intensity | None = Field(None, description="Implication des habitants (néant, +, ++, +++).")
    ect_score: EctScore | None = Field(None, description="Score ECT (Clus'Ter Jura), quand la source le donne.")
    acteurs: list[Id] = Field(default_factory=list, description="Structures impliquées (fiches de content/acteurs/).")


class Item(Strict):
    """One element of a concept: a principle, a pillar, a criterion…"""

    label: Text
    text: Text | None = None
    levels: dict[int, Text] | None = Field(None, description="Niveaux d'une grille (0, 1, 2…) et leur description.")
    items: list[Item] = Field(default_factory=list)


class Concept(Record):
    """A page of the EFC/ECT referential (`content/referentiel/`)."""

    parent: Id | None = Field(None, description="Concept parent dans l'arbre du référentiel.")
    order: int = Field(100, description="Rang parmi les concepts de même parent.")
    items: list[Item] = Field(default_factory=list, description="Éléments énumérés, dans l'ordre.")


class Resource(Record):
    """A bibliographic resource (`content/ressources/`)."""

    kind: Id = Field(description="Nature (vocabulaire `resource_kinds`).")
    authors: list[Text] = Field(default_factory=list, description="Auteurs (personnes ou organisations).")
    year: int | None = Field(None, ge=1800, le=2100)
    date: Text | None = Field(None, description="Date plus précise si connue (mois, jour).")
    publisher: Text | None = Field(None, description="Éditeur ou organisme.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    licence: Text | None = None
    citation: Text | None = Field(None, description="Référence complète telle que la source la donne (adresse web comprise).")
    acteurs: list[Id] = Field(default_factory=list, description="Structures qui l'ont écrite ou publiée (fiches de content/acteurs/).")

    @property
    def link(self) -> str | None:
        """The web address: `url`, or the first one the citation gives."""
        if self.url:
            return self.url
        found = re.search(r"https?://[^\s»\"]+", self.citation or "")
        return found.group(0).rstrip(".,;)") if found else None


class Acteur(Record):
    """An organisation or network the sources name (`content/acteurs/`)."""

    kind: Id = Field(description="Nature de la structure (vocabulaire `actor_kinds`).")
    roles: list[Id] = Field(default_factory=list, description="Ce qu'elle fait dans ce champ (vocabulaire `actor_roles`).")
    regions: list[Id] = Field(default_factory=list, description="Régions où elle intervient (vocabulaire `regions` ; `national`).")
    area: Text | None = Field(None, description="Où elle intervient, en mots : territoire, bassin de vie, pays.")
    address: Text | None = Field(None, description="Adresse postale, seulement si une source la donne.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        None, description="Site web, seulement si une source ou une documentation publique le donne.")


class Step(Strict):
    """One step of a reading path: a record, and why it matters to the path's readers."""

    ref: Id = Field(description="Identifiant de la fiche de cette étape (tout type de fiche).")
    why: Text = Field(description="Une phrase : ce que cette étape apporte au lecteur du parcours.")


class Path(Record):
    """A reading path (`content/parcours/`): an ordered sequence of records for one kind of reader."""

    audience: Text = Field(description="À qui s'adresse le parcours, en quelques mots (« les élus »).")
    steps: list[Step] = Field(min_length=2, description="Les étapes, dans l'ordre de lecture (au moins deux).")


class Page(Strict):
    """A free page of `content/` (home, about, licence)."""

    title: Text
    summary: Text | None = None
    order: int = 100
    updated: dt.date | None = None


class VocabularyEntry(Strict):
    label: Text
    definition: Text


Vocabularies = dict[str, dict[str, VocabularyEntry]]
