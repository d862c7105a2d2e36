"""Open data: one CSV per record type and one of the vocabularies, their data dictionary, and the `Dataset`.

Columns come from the registry and the pydantic models, never from a hand list: `id`, then the fields every
record export has (title, summary, page address, source file), then each model field in declaration order, a nested
model's fields as dotted columns (place.commune), then `a_completer` (registry.COMPLETE).

Format (README, « Open data »): UTF-8 with a BOM, « ; » between cells, CRLF line ends, every cell quoted when
needed (csv.QUOTE_MINIMAL), decimal numbers with a comma, lists joined by « ; » in one cell. This is what Excel
with a French locale opens by a double click (it reads the BOM as UTF-8, uses the locale's list separator
« ; » and decimal comma), and what LibreOffice's import dialog detects. A text cell that a spreadsheet would
take for a formula (starting with = + - @) is prefixed with an apostrophe (the intensities « ++ »).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import types
import typing

from pydantic import BaseModel

from . import citation, completeness, jsonld, urls
from .config import SiteConfig
from .model import Corpus, Entry
from .registry import LICENCE, RECORD_TYPES, TYPES

FOLDER = "data"
PAGE = "donnees/index.md"
SEPARATOR = ";"
JOIN = " ; "
BOM = "\ufeff"
FORMULA = ("=", "+", "-", "@", "\t", "\r")
COMMON = (("id", "Identifiant de la fiche (nom de son fichier, sans « .md »)."), ("title", "Titre de la fiche."),
          ("summary", "Résumé (pour un terme : sa définition)."), ("page", "Adresse stable de la fiche sur le site."),
          ("source", "Fichier de la fiche dans le dépôt."))
MISSING = ("a_completer", "Champs que la fiche n'a pas encore (voir « Fiches à compléter »).")


def csv_path(type_name: str) -> str:
    return f"{FOLDER}/{TYPES[type_name].section}.csv"


def _model(annotation) -> type[BaseModel] | None:
    """The pydantic model a field holds directly (Place, EctScore), unwrapping Optional."""
    candidates = typing.get_args(annotation) if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union \
        else (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def columns(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str]]:
    """(column, description) of a model's fields, nested models flattened to dotted columns."""
    out = []
    for name, info in model.model_fields.items():
        if not prefix and name in ("title", "summary"):
            continue
        nested = _model(info.annotation)
        if nested is not None:
            out += columns(nested, f"{prefix}{name}.")
        else:
            out.append((prefix + name, info.description or ""))
    return out


def record_columns(type_name: str) -> list[tuple[str, str]]:
    return [*COMMON, *columns(TYPES[type_name].model), MISSING]


def _number(value: float) -> str:
    return repr(value).replace(".", ",")


def cell(value) -> str:
    """One value as a spreadsheet cell (text)."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, int):
        return str(value)
    text = _text(value)
    return "'" + text if text.startswith(FORMULA) else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return JOIN.join(f"{k} : {_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return JOIN.join(_text(v) for v in value)
    if isinstance(value, BaseModel):  # a source as « ref (loc) », a referential element by its label
        if hasattr(value, "ref") and hasattr(value, "loc"):  # (a reading path's step: JSON below)
            return f"{value.ref} ({value.loc})"
        if hasattr(value, "label"):
            return value.label
        return json.dumps(value.model_dump(mode="json", exclude_none=True), ensure_ascii=False)
    return " ".join(str(value).split())


def _get(meta, dotted: str):
    for part in dotted.split("."):
        meta = getattr(meta, part, None)
    return meta


def _write(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return BOM + out.getvalue()


def records_csv(entries: list[Entry], type_name: str, config: SiteConfig) -> str:
    names = [name for name, _ in record_columns(type_name)]
    rows = []
    for entry in entries:
        common = [entry.id, entry.title, entry.summary, urls.public(entry.page, config.site_url), entry.path]
        fields = [_get(entry.meta, name) for name in names[len(COMMON):-1]]
        rows.append([cell(v) for v in common + fields] + [JOIN.join(completeness.missing(entry))])
    return _write(names, rows)


VOCABULARY_COLUMNS = (("vocabulaire", "Nom du vocabulaire (clé de content/vocabulaires.yml)."),
                      ("valeur", "Valeur employée dans les fiches."), ("libelle", "Libellé affiché."), ("definition", "Définition."))


def vocabularies_csv(corpus: Corpus) -> str:
    rows = [[name, value, cell(entry.label), cell(entry.definition)]
            for name, values in corpus.vocabularies.items() for value, entry in values.items()]
    return _write([name for name, _ in VOCABULARY_COLUMNS], rows)


def version(corpus: Corpus) -> dt.date | None:
    """The data's version: the newest `updated` of the records."""
    dates = [e.meta.updated for e in corpus.entries.values() if getattr(e.meta, "updated", None)]
    return max(dates) if dates else None


def files(corpus: Corpus, config: SiteConfig, by_title) -> dict[str, str]:
    """docs path -> text of the CSV files (fiches.json and vocabulaires.json are the emitter's)."""
    out = {csv_path(t.name): records_csv(by_title(corpus.of_type(t.name)), t.name, config) for t in RECORD_TYPES}
    out[f"{FOLDER}/vocabulaires.csv"] = vocabularies_csv(corpus)
    return out


def attribution(config: SiteConfig, day: dt.date | None) -> str:
    when = f", version du {citation.french_date(day)}" if day else ""
    return (f"« {config.site_name} »{when}, {config.site_url}, sous licence {LICENCE[0]} ({LICENCE[1]}). "
            "Si vous modifiez les données, indiquez-le et partagez-les sous la même licence.")


def downloads(corpus: Corpus, config: SiteConfig, schema_names: list[str]) -> list[dict]:
    """Every file of the page: docs path, title, what it holds, media type, its columns when it is a table."""
    counts = {t.name: len(corpus.of_type(t.name)) for t in RECORD_TYPES}
    out = [dict(path=f"{FOLDER}/fiches.json", title="Toutes les fiches (JSON)", format="application/json", kind="JSON",
                what=f"Les {len(corpus.entries)} fiches, tous types confondus, avec tous leurs champs (un tableau d'objets).",
                columns=[])]
    for record_type in RECORD_TYPES:
        out.append(dict(path=csv_path(record_type.name), title=f"{record_type.plural} (CSV)", format="text/csv", kind="CSV",
                        what=f"{counts[record_type.name]} lignes, une par fiche.", columns=record_columns(record_type.name)))
    out.append(dict(path=f"{FOLDER}/vocabulaires.json", title="Vocabulaires (JSON)", format="application/json", kind="JSON",
                    what="Les vocabulaires contrôlés : pour chacun, ses valeurs avec libellé et définition.", columns=[]))
    out.append(dict(path=f"{FOLDER}/vocabulaires.csv", title="Vocabulaires (CSV)", format="text/csv", kind="CSV",
                    what=f"{sum(len(v) for v in corpus.vocabularies.values())} lignes, une par valeur.",
                    columns=list(VOCABULARY_COLUMNS)))
    for name in schema_names:
        out.append(dict(path=f"schemas/{name}", title=f"Schéma JSON « {name.removesuffix('.schema.json')} »",
                        format="application/schema+json", kind="JSON Schema",
                        what="Les champs d'un type de fiche, leurs types et valeurs permises (JSON Schema draft-07).", columns=[]))
    return out


def dataset(corpus: Corpus, config: SiteConfig, items: list[dict]) -> dict:
    """The schema.org Dataset of the page, one DataDownload per file."""
    day = version(corpus)
    url = urls.public(PAGE, config.site_url)
    data = {"@context": jsonld.CONTEXT, "@type": "Dataset", "@id": url, "name": f"{config.site_name} : fiches en données ouvertes",
            "description": ("Les fiches du centre de ressources de l'économie de la fonctionnalité et de la coopération (EFC) et des "
                            "écosystèmes coopératifs territoriaux : méthodes, monographies de dynamiques territoriales, glossaire, "
                            "référentiel et ressources bibliographiques, avec leurs sources, en JSON et en CSV, et les "
                            "vocabulaires contrôlés qui les décrivent."),
            "url": url, "license": LICENCE[1], "inLanguage": "fr", "isAccessibleForFree": True,
            "creator": jsonld.organization(config), "publisher": jsonld.organization(config),
            "keywords": ["économie de la fonctionnalité et de la coopération", "écosystème coopératif territorial",
                         "dynamiques territoriales", "monographies", "méthodes"],
            "spatialCoverage": {"@type": "Place", "name": "France"},
            "distribution": [{"@type": "DataDownload", "name": item["title"], "encodingFormat": item["format"],
                              "contentUrl": config.site_url.rstrip("/") + "/" + item["path"]} for item in items]}
    if day:
        data |= {"dateModified": day.isoformat(), "version": day.isoformat()}
    return data
