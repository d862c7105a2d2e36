"""JSON Schemas of the front matter of each record type, derived from the pydantic models.

Never written by hand: `python -m generator schemas` writes them to schemas/, the build
publishes them with the site, and a test keeps the committed files current. The values
of controlled vocabularies become `enum`s, so that an editor completes and checks them.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .registry import FACETS, TYPES
from .schema import Vocabularies

SCHEMA_DIR = Path("schemas")
DIALECT = "http://json-schema.org/draft-07/schema#"  # what most editors and AJV read by default
# Contributors read these in their editor: French, unlike the models' docstrings.
# (the record types' own descriptions are in the registry)
DESCRIPTIONS = {
    "SourceRef": "Citation d'une ressource : son identifiant et l'endroit cité.",
    "Place": "Lieu de la dynamique.",
    "EctScore": "Score ECT de la grille du Clus'Ter Jura : chaque pilier noté de 0 à 2.",
    "Item": "Élément d'un concept : principe, pilier, critère…",
}


def _resolve(schema: dict, node: dict) -> dict:
    """Follow `$ref` and optional (`anyOf` with null) wrappers down to the object or value schema."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            node = next(branch for branch in node["anyOf"] if branch.get("type") != "null")
        else:
            return node


def _constrain(schema: dict, dotted: str, values: list[str]) -> None:
    node = schema
    for name in dotted.split("."):
        node = _resolve(schema, node)["properties"][name]
    target = _resolve(schema, node)
    if target.get("type") == "array":
        target = target["items"]
    elif target.get("type") == "object":  # a mapping keyed by vocabulary values (funding)
        target["propertyNames"] = {}
        target = target["propertyNames"]
    target.pop("minLength", None)
    target["enum"] = values


@functools.cache
def _model_schema(model: type) -> str:
    """pydantic's schema of a model, made once per process (it takes longer than the rest of a small build's
    emit), kept as text so that each caller gets its own copy to constrain."""
    return json.dumps(model.model_json_schema())


def json_schemas(vocabularies: Vocabularies) -> dict[str, dict]:
    """file name -> JSON Schema, one per record type."""
    out = {}
    for type_name, record_type in TYPES.items():
        schema = json.loads(_model_schema(record_type.model))
        for sub_name, sub in [(None, schema), *schema.get("$defs", {}).items()]:
            for field in sub.get("properties", {}).values():
                field.pop("title", None)  # titles made from English field names say less than the descriptions
            if sub_name:
                sub["description"] = DESCRIPTIONS.get(sub_name, "")
        for facet in FACETS:
            if type_name in facet.types:
                _constrain(schema, facet.field, sorted(vocabularies.get(facet.vocabulary, {})))
        name = f"{type_name}.schema.json"
        out[name] = {"$schema": DIALECT, "$id": name, **schema,
                     "title": f"{record_type.singular} : en-tête d'une fiche de {record_type.folder}/",
                     "description": record_type.description}
    return out


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(root: Path, vocabularies: Vocabularies, check_only: bool = False) -> list[str]:
    """Write schemas/*.schema.json; return the files that were (or, with check_only, would be) changed."""
    target = root / SCHEMA_DIR
    changed = []
    for name, schema in json_schemas(vocabularies).items():
        path, text = target / name, render(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed.append(f"{SCHEMA_DIR}/{name}")
            if not check_only:
                target.mkdir(exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return changed
