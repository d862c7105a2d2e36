"""Validation: each check takes records (and what they may refer to) and reports `Problems`. Nothing here
builds the corpus: `build.py` calls these checks in order."""

from __future__ import annotations

import re

from pydantic import ValidationError

from . import geography, safety
from .loader import VOCABULARY_FILE, RawRecord
from .model import Corpus, Entry, Link
from .problems import Problem, Problems
from .registry import TYPES, Relation, facets_of, relations_of, vocabulary_names
from .schema import Vocabularies, VocabularyEntry
from .text import SLUG, did_you_mean, fold, slugify

# --- schema errors -------------------------------------------------------------------

EXPECTED = {
    "string_type": "un texte est attendu",
    "list_type": "une liste est attendue (par exemple [a, b] ou une ligne « - a » par élément)",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "float_type": "un nombre est attendu",
    "float_parsing": "un nombre est attendu",
    "bool_type": "true ou false est attendu",
    "bool_parsing": "true ou false est attendu",
    "date_type": "une date AAAA-MM-JJ est attendue",
    "date_parsing": "une date AAAA-MM-JJ est attendue",
    "date_from_datetime_parsing": "une date AAAA-MM-JJ est attendue",
    "dict_type": "des champs « clé: valeur » sont attendus",
    "model_type": "des champs « clé: valeur » sont attendus",
    "model_attributes_type": "des champs « clé: valeur » sont attendus",
    "string_too_short": "le texte est vide",
    "too_short": "la liste est trop courte",
    "string_pattern_mismatch": "une adresse web complète (https://…) est attendue",
}


def _where(loc: tuple) -> str:
    parts = []
    for part in loc:
        parts.append(f"élément {part + 1}" if isinstance(part, int) else str(part))
    return " › ".join(parts)


def _schema_problem(raw: RawRecord, error: dict, model, problems: Problems) -> None:
    loc, kind = tuple(error["loc"]), error["type"]
    line = raw.line_of(loc)
    where = _where(loc)
    if kind == "missing":
        problems.error(raw.path, line, "field-missing", f"Champ obligatoire « {where} » manquant.",
                       f"Ajoutez « {loc[-1]}: … » à l'en-tête.")
    elif kind == "invalid_key":  # a key written 1 or 2024-01-01 is not text once read
        problems.error(raw.path, line, "field-unknown", f"Champ inconnu « {loc[-1]} ».",
                       "Les noms de champs sont des mots (title, summary…) : vérifiez l'en-tête.")
    elif kind == "extra_forbidden":
        fields = model.model_fields if len(loc) == 1 else {}
        hint = did_you_mean(str(loc[-1]), list(fields)) if fields else ""
        problems.error(raw.path, line, "field-unknown", f"Champ inconnu « {where} ».",
                       hint or "Supprimez ce champ ou vérifiez son nom dans CONTRIBUTING.md.")
    elif kind == "literal_error":
        problems.error(raw.path, line, "field-invalid", f"Valeur invalide pour « {where} ».",
                       f"Valeurs possibles : {error['ctx']['expected']}.")
    elif kind == "string_too_long":
        problems.error(raw.path, line, "field-too-long", f"« {where} » est trop long.",
                       f"{error['ctx']['max_length']} caractères au plus : raccourcissez le texte.")
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(error["ctx"].values()))
        sign = "≥" if kind.startswith("greater") else "≤"
        problems.error(raw.path, line, "field-invalid", f"Valeur hors limites pour « {where} ».",
                       f"La valeur doit être {sign} {bound}.")
    else:
        expected = EXPECTED.get(kind, error["msg"])
        problems.error(raw.path, line, "field-type", f"Valeur invalide pour « {where} » : {expected}.",
                       "Corrigez la valeur (les textes qui contiennent « : » se mettent entre guillemets).")


def record(raw: RawRecord, problems: Problems):
    """The record's validated front matter (its pydantic model), or None after reporting why."""
    model = TYPES[raw.type].model
    try:
        return model.model_validate(raw.data)
    except ValidationError as exc:
        for error in exc.errors():
            _schema_problem(raw, error, model, problems)
        return None


def vocabularies(data: dict, raw: RawRecord | None, problems: Problems) -> Vocabularies:
    """The controlled vocabularies the registry's facets name, each value with a label and a definition."""
    vocabularies: dict[str, dict[str, VocabularyEntry]] = {name: {} for name in vocabulary_names()}
    if raw is None:  # unreadable file: already reported
        return vocabularies
    fields(raw, problems)  # labels and definitions reach keyword and facet pages
    for name in vocabulary_names():
        values = data.get(name)
        if not isinstance(values, dict):
            problems.error(VOCABULARY_FILE, raw.line_of((name,)), "vocabulary-missing", f"Vocabulaire « {name} » absent ou mal formé.",
                           f"Ajoutez une section « {name}: » avec des valeurs « id: {{label: …, definition: …}} ».")
            vocabularies[name] = {}
            continue
        vocabularies[name] = {}
        for key, value in values.items():
            if not SLUG.match(str(key)):  # a value id becomes a page name (mots-cles/<id>.md) and an anchor
                problems.error(VOCABULARY_FILE, raw.line_of((name, key)), "vocabulary-id",
                               f"Identifiant « {key} » invalide dans « {name} ».",
                               f"Un identifiant est en minuscules, sans accents ni espaces : « {slugify(str(key)) or 'valeur'} ».")
                continue
            try:
                vocabularies[name][str(key)] = VocabularyEntry.model_validate(value)
            except ValidationError:
                problems.error(VOCABULARY_FILE, raw.line_of((name, key)), "vocabulary-entry",
                               f"Valeur « {name} › {key} » mal formée.", "Chaque valeur a un « label » et une « definition ».")
    return vocabularies


# --- checks of one record against the others ---------------------------------------------

def _values(meta, dotted: str):
    """Yield (loc, value) for a field that may be a scalar, a list or a dict's keys."""
    obj = meta
    parts = dotted.split(".")
    for part in parts:
        obj = getattr(obj, part, None)
        if obj is None:
            return
    loc = tuple(parts)
    if isinstance(obj, list):
        for i, value in enumerate(obj):
            yield loc + (i,), value
    elif isinstance(obj, dict):
        for key in obj:
            yield loc + (key,), key
    else:
        yield loc, obj


def vocabulary_values(entry: Entry, vocabularies: Vocabularies, problems: Problems) -> None:
    """Every facet value of a record comes from its vocabulary."""
    for facet in facets_of(entry.type):
        allowed = vocabularies.get(facet.vocabulary, {})
        for loc, value in _values(entry.meta, facet.field):
            if value not in allowed:
                hint = did_you_mean(value, allowed) or f"Valeurs possibles : voir « {facet.vocabulary} » dans {VOCABULARY_FILE}."
                problems.error(entry.path, entry.raw.line_of(loc), "vocabulary-unknown",
                               f"« {value} » n'est pas une valeur du vocabulaire « {facet.vocabulary} ».",
                               hint + " Pour une nouvelle valeur, ajoutez-la d'abord au vocabulaire.")


def _reference(entry: Entry, entries: dict[str, Entry], problems: Problems, relation: Relation, loc: tuple,
               target: str) -> Link | None:
    found = entries.get(target)
    expected = relation.target
    line = entry.raw.line_of  # resolved only when a problem is reported
    if relation.name == "parent" and target == entry.id:
        problems.error(entry.path, line(loc), "ref-cycle", "Un concept ne peut pas être son propre parent.")
        return None
    if found is None:
        pool = [e.id for e in entries.values() if expected is None or e.type == expected]
        what = TYPES[expected].article if expected else "une fiche"
        problems.error(entry.path, line(loc), "ref-unknown", f"« {target} » ne correspond à aucune fiche ({what} est attendue).",
                       did_you_mean(target, pool) or "Vérifiez l'identifiant : c'est le nom du fichier sans « .md ».")
        return None
    if expected and found.type != expected:
        wanted = TYPES[expected].article
        problems.error(entry.path, line(loc), "ref-wrong-type",
                       f"« {target} » est {TYPES[found.type].article}, alors que {wanted} est attendue ici.",
                       f"Citez {wanted} ou déplacez la référence dans « related ».")
        return None
    if relation.check and (message := relation.check(found)):
        problems.error(entry.path, line(loc), "ref-wrong-type", message)
        return None
    return Link(entry.id, target, relation.name, loc=loc)


def references(entry: Entry, entries: dict[str, Entry], problems: Problems) -> list[Link]:
    """The record's front-matter references (registry relations) that resolve; the others are reported."""
    links = []
    for relation in relations_of(entry.type):
        value = getattr(entry.meta, relation.field, None)
        items = [(i, v) for i, v in enumerate(value)] if isinstance(value, list) else ([(None, value)] if value else [])
        for i, item in items:
            target = getattr(item, relation.item_key) if relation.item_key else item
            loc = (relation.field,) if i is None else (relation.field, i) + ((relation.item_key,) if relation.item_key else ())
            if link := _reference(entry, entries, problems, relation, loc, target):
                links.append(link)
    return links


def inferred(entry: Entry, problems: Problems) -> None:
    """Each key of `inferred` names a field of the record that holds a value."""
    for key in getattr(entry.meta, "inferred", {}):
        if not next(_values(entry.meta, key), None) or key.split(".")[0] in ("inferred", "title"):
            fields = [f for f, v in entry.meta if v not in (None, [], {}) and f not in ("inferred", "title")]
            problems.error(entry.path, entry.raw.line_of(("inferred", key)), "inferred-unknown",
                           f"« inferred » signale « {key} », qui n'est pas un champ rempli de cette fiche.",
                           did_you_mean(key, fields) or "La clé est le nom d'un champ rempli (ex. territory, place.region).")


def fields(raw: RawRecord, problems: Problems) -> None:
    """Fields (and vocabulary labels) are plain text: no tag at all, no link, no attribute list."""
    for loc, value in _strings(raw.data):
        if safety.unsafe_field(value):
            problems.error(raw.path, raw.line_of(loc), "html-in-field",
                           f"Le champ « {_where(loc)} » contient du HTML ou une adresse dangereuse.",
                           "Les champs de l'en-tête sont du texte simple : retirez les balises « < > », "
                           "les liens Markdown et les listes d'attributs « { } ».")


def safety_scan(raw: RawRecord) -> list[Problem]:
    """Forbidden HTML in the body and HTML in front-matter fields. Pure: cached by file hash."""
    problems = Problems()
    for offset, message in safety.html_problems(raw.body):
        problems.error(raw.path, raw.body_line + offset, "html-forbidden", f"HTML refusé : {message}.",
                       "Écrivez en Markdown simple ; les liens commencent par https:// ou désignent une fiche avec [[id]].")
    fields(raw, problems)
    return problems.items


def _strings(value, loc=()):
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _strings(sub, loc + (str(key),))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _strings(sub, loc + (i,))


def warnings(corpus: Corpus, problems: Problems) -> None:
    """Terms nobody uses, records nothing leads to."""
    others = [link for link in corpus.links if link.source != link.target]
    reached = {link.target for link in others}
    in_text = {link.target for link in others if link.relation in ("term", "wiki")}
    for entry in corpus.entries.values():
        if entry.type == "page":
            continue
        if entry.type == "term" and entry.id not in in_text:
            problems.warning(entry.path, 1, "term-unused", f"Le terme « {entry.title} » n'apparaît dans aucune autre fiche.",
                             "Employez-le dans une fiche, ajoutez un alias, ou liez-le avec [[" + entry.id + "]].")
        elif entry.id not in reached:
            problems.warning(entry.path, 1, "orphan", f"Aucune fiche ne mène à « {entry.title} ».",
                             "Ajoutez un lien [[" + entry.id + "]] ou une référence (related, methods, sources) depuis une fiche voisine.")


# --- places against the official geographic code (generator/data, from @etalab/decoupage-administratif) -----

COORDINATES_TOLERANCE_KM = 10  # outlines are simplified and coordinates are often a commune's approximate centre


def places(entry: Entry, vocabularies: Vocabularies, problems: Problems) -> None:
    """A monograph's commune exists in its département, the département in its région, its coordinates fall
    inside the département's outline (or within COORDINATES_TOLERANCE_KM of it)."""
    place = getattr(entry.meta, "place", None)
    if place is None or any(safety.unsafe_field(v) for v in (place.commune, place.departement) if v):
        return  # a field holding HTML is reported as such (html-in-field), not as an unknown place
    codes = geography.codes()
    line = entry.raw.line_of
    code = None
    if place.departement is not None:
        code = _departement(entry, place.departement, codes, problems)
    if code and place.region and place.region in vocabularies.get("regions", {}):
        expected = codes["departements"][code][1]
        given = re.search(r"code INSEE (\d+)", vocabularies["regions"][place.region].definition)
        if given and given.group(1) != expected:
            right = next((k for k, v in vocabularies["regions"].items() if f"code INSEE {expected})" in v.definition), expected)
            problems.error(entry.path, line(("place", "region")), "place-region",
                           f"Le département {place.departement} n'est pas en « {place.region} ».",
                           f"Il est en {codes['regions'].get(expected, expected)} : « region: {right} ».")
    if code and place.commune is not None:
        names = geography.communes_folded(code)
        if fold(place.commune) not in names:
            elsewhere = [c for c, folded in ((c, geography.communes_folded(c)) for c in codes["communes"]) if fold(place.commune) in folded]
            if elsewhere:
                hint = "Cette commune est dans le département " + ", ".join(
                    f"{codes['departements'][c][0]} ({c})" for c in elsewhere if c in codes["departements"]) + " : corrigez l'un des deux."
            else:
                hint = did_you_mean(place.commune, list(names.values())) or (
                    "Écrivez le nom officiel de la commune (code officiel géographique), ou retirez « commune: ».")
            problems.error(entry.path, line(("place", "commune")), "place-commune",
                           f"Aucune commune « {place.commune} » dans le département {place.departement}.", hint)
    if code and place.lat is not None and place.lon is not None:
        distance = geography.distance_to(code, place.lon, place.lat)
        if distance is not None and distance > COORDINATES_TOLERANCE_KM:
            found = geography.departement_of(place.lon, place.lat)
            if found in codes["departements"]:
                where = f"Elles tombent dans le département {codes['departements'][found][0]} ({found})"
            else:
                where = "Elles tombent hors de la France métropolitaine"
            swapped = geography.distance_to(code, place.lat, place.lon)
            advice = ("la latitude et la longitude semblent inversées" if swapped is not None and swapped <= COORDINATES_TOLERANCE_KM
                      else "vérifiez la latitude (lat, nord) et la longitude (lon, est) de la commune, ou le département")
            problems.error(entry.path, line(("place", "lat")), "place-coordinates",
                           f"Les coordonnées ({place.lat}, {place.lon}) sont à {distance:.0f} km du département {place.departement}.",
                           f"{where} : {advice}.")


def _departement(entry: Entry, text: str, codes: dict, problems: Problems) -> str | None:
    """The official code of « Nom (code) », or None after reporting why."""
    line = entry.raw.line_of(("place", "departement"))
    official = {c: f"{name} ({c})" for c, (name, _) in codes["departements"].items()}
    found = re.fullmatch(r"\s*(.+?)\s*\(\s*(\w{1,3})\s*\)\s*", text)
    by_name = {fold(name): c for c, (name, _) in codes["departements"].items()}
    if found is None:
        guess = by_name.get(fold(text.strip()))
        problems.error(entry.path, line, "place-departement", f"Département « {text} » : la forme « Nom (code) » est attendue.",
                       f"Par exemple « {official[guess]} »." if guess else "Par exemple « Jura (39) ».")
        return None
    name, code = found.groups()
    if code in codes["departements"] and fold(codes["departements"][code][0]) == fold(name):
        return code
    guess = by_name.get(fold(name))
    if guess:
        hint = f"« {name} » a le code {guess} : « {official[guess]} »."
    elif code in official:
        hint = f"Le code {code} est celui de « {official[code]} »."
    else:
        hint = did_you_mean(text, list(official.values())) or (
            "Écrivez le nom et le code officiels du département, par exemple « Jura (39) ».")
    problems.error(entry.path, line, "place-departement", f"« {text} » n'est pas un département officiel.", hint)
    return None
