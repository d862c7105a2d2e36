"""Validation and linking: raw records in, a `Corpus` and its `Problems` out, in one pass."""

from __future__ import annotations

import functools
import gc
import hashlib
import html
import re
from pathlib import Path

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from pydantic import ValidationError

from .cache import Cache
from .linking import WIKI, TermMatcher, render_body
from .loader import VOCABULARY_FILE, RawRecord, load_records, load_vocabularies
from .model import Corpus, Entry, Link
from .problems import Problem, Problems
from .schema import TYPES, VOCABULARY_FIELDS, Vocabularies, VocabularyEntry
from .text import SLUG, did_you_mean, slugify

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


def _validate_schema(raw: RawRecord, problems: Problems):
    model = TYPES[raw.type][0]
    try:
        return model.model_validate(raw.data)
    except ValidationError as exc:
        for error in exc.errors():
            _schema_problem(raw, error, model, problems)
        return None


def _validate_vocabularies(data: dict, raw: RawRecord | None, problems: Problems) -> dict:
    vocabularies: dict[str, dict[str, VocabularyEntry]] = {name: {} for name in VOCABULARY_FIELDS}
    if raw is None:  # unreadable file: already reported
        return vocabularies
    _check_fields(raw, problems)  # labels and definitions reach keyword and facet pages
    for name in VOCABULARY_FIELDS:
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


# --- corpus-level checks -------------------------------------------------------------

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


def _check_vocabularies(entry: Entry, corpus: Corpus, problems: Problems) -> None:
    for name, fields in VOCABULARY_FIELDS.items():
        allowed = corpus.vocabularies.get(name, {})
        for type_name, dotted in fields:
            if entry.type != type_name:
                continue
            for loc, value in _values(entry.meta, dotted):
                if value not in allowed:
                    hint = did_you_mean(value, allowed) or f"Valeurs possibles : voir « {name} » dans {VOCABULARY_FILE}."
                    problems.error(entry.path, entry.raw.line_of(loc), "vocabulary-unknown",
                                   f"« {value} » n'est pas une valeur du vocabulaire « {name} ».",
                                   hint + " Pour une nouvelle valeur, ajoutez-la d'abord au vocabulaire.")


TYPE_NAMES = {"method": "une méthode", "term": "un terme", "monograph": "une monographie", "concept": "un concept",
              "resource": "une ressource", "page": "une page"}


def _ref(entry: Entry, corpus: Corpus, problems: Problems, loc: tuple, target: str, relation: str,
         expected: str | None = None, check=None) -> None:
    found = corpus.entries.get(target)
    line = entry.raw.line_of  # resolved only when a problem is reported
    if found is None:
        pool = [e.id for e in corpus.entries.values() if expected is None or e.type == expected]
        what = TYPE_NAMES[expected] if expected else "une fiche"
        problems.error(entry.path, line(loc), "ref-unknown", f"« {target} » ne correspond à aucune fiche ({what} est attendue).",
                       did_you_mean(target, pool) or "Vérifiez l'identifiant : c'est le nom du fichier sans « .md ».")
        return
    if expected and found.type != expected:
        problems.error(entry.path, line(loc), "ref-wrong-type",
                       f"« {target} » est {TYPE_NAMES[found.type]}, alors que {TYPE_NAMES[expected]} est attendue ici.",
                       f"Citez {TYPE_NAMES[expected]} ou déplacez la référence dans « related ».")
        return
    if check and (message := check(found)):
        problems.error(entry.path, line(loc), "ref-wrong-type", message)
        return
    corpus.links.append(Link(entry.id, target, relation, 0))


def _check_inferred(entry: Entry, problems: Problems) -> None:
    """Each key of `inferred` names a field of the record that holds a value."""
    for key in getattr(entry.meta, "inferred", {}):
        if not next(_values(entry.meta, key), None) or key.split(".")[0] in ("inferred", "title"):
            fields = [f for f, v in entry.meta if v not in (None, [], {}) and f not in ("inferred", "title")]
            problems.error(entry.path, entry.raw.line_of(("inferred", key)), "inferred-unknown",
                           f"« inferred » signale « {key} », qui n'est pas un champ rempli de cette fiche.",
                           did_you_mean(key, fields) or "La clé est le nom d'un champ rempli (ex. territory, place.region).")


def _check_references(entry: Entry, corpus: Corpus, problems: Problems) -> None:
    meta = entry.meta
    for i, ref in enumerate(getattr(meta, "related", [])):
        _ref(entry, corpus, problems, ("related", i), ref, "related")
    for i, source in enumerate(getattr(meta, "sources", [])):
        _ref(entry, corpus, problems, ("sources", i, "ref"), source.ref, "source", "resource")
    if entry.type == "monograph":
        for i, method in enumerate(meta.methods):
            _ref(entry, corpus, problems, ("methods", i), method, "methods", "method")
        if meta.programme:
            _ref(entry, corpus, problems, ("programme",), meta.programme, "programme", "monograph",
                 lambda m: None if m.meta.kind == "programme" else f"« {m.id} » n'est pas une monographie de type programme.")
    if entry.type == "concept" and meta.parent:
        if meta.parent == entry.id:
            problems.error(entry.path, entry.raw.line_of(("parent",)), "ref-cycle", "Un concept ne peut pas être son propre parent.")
        else:
            _ref(entry, corpus, problems, ("parent",), meta.parent, "parent", "concept")


# --- HTML a contributor may not use ----------------------------------------------------
#
# The scanner is more suspicious than any parser on the way (Python-Markdown, then the browser), because
# they disagree on the edges: every "<" followed by a letter is read as a tag, wherever it stands (inside a
# comment, a CDATA section, another tag, a <style>…); attributes are split as the HTML standard says (quotes,
# slashes, line breaks); the same checks run on the text once its entities are decoded (a link title or an
# abbreviation becomes a Material tooltip, which the browser decodes and Material injects as HTML). Only code
# that Python-Markdown is certain to leave as code is skipped.

FORBIDDEN_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta",
                  "base", "form", "svg", "math", "template", "noscript")
NOT_A_TAG = r"(?:[^\s/>=<]|<(?!/?[a-zA-Z]))"  # a "<" that starts a tag ends the current one (and is read on its own)
TAG_START = re.compile(r"<(/?)([a-zA-Z][^\s/><]*)")
ATTRIBUTE = re.compile(rf"""[\s/]*(={NOT_A_TAG}*|{NOT_A_TAG}+)(?:\s*=\s*("[^"]*"?|'[^']*'?|(?:[^\s><]|<(?!/?[a-zA-Z]))*))?""")
MD_URL = re.compile(r"\]\s*\(\s*<?([^)>]*)")  # inline links and images, a destination may span lines
MD_REF_URL = re.compile(r"\[[^\[\]\n]*\]:\s*<?(\S*)")  # reference definitions, the destination may be on the next line
EVENT_TEXT = re.compile(r"(?<![^\s\"'/])on[a-z]+\s*=", re.I)  # an event handler wherever it is (link titles…)
# What makes a text worth examining. Two expressions: the first has a literal first character in every branch,
# so `re` skips ahead to candidates; the second (no literal start) only runs on a text with an "=".
SUSPECT = re.compile(r"<|&|\]\s*[(:]|\{")
SUSPECT_EVENT = re.compile(r"(?<![a-z])on[a-z]+\s*=", re.I)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE
BACKTICKS = re.compile(r"`+")


def _bad_url(url: str) -> bool:
    if ":" not in url and "&" not in url:  # a scheme needs a colon, written as such or as an entity
        return False
    cleaned = re.sub(r"[\s\x00-\x20]+", "", html.unescape(html.unescape(url.strip("\"'<>")))).lower()
    return cleaned.startswith(BAD_SCHEMES)


def _attribute_problems(name: str, value: str | None) -> list[str]:
    found = []
    if name.lower().startswith("on"):
        found.append(f"attribut de script ({name.lower()}=)")
    if name.lower() == "style":
        found.append("attribut style")
    if value is not None and _bad_url(value):
        found.append(f"adresse dangereuse dans l'attribut {name.lower()}")
    return found


def _dangers(text: str) -> list[tuple[int, str]]:
    """(position, message) for every construct that could run script in a reader's browser."""
    found = []
    for tag in TAG_START.finditer(text):
        name = tag.group(2).lower()
        if name in FORBIDDEN_TAGS:
            found.append((tag.start(), f"balise <{name}> interdite"))
        if ":" in name and _bad_url(name):
            found.append((tag.start(), "lien automatique vers une adresse dangereuse"))
        pos = tag.end()
        while attribute := ATTRIBUTE.match(text, pos):
            found += [(attribute.start(1), f"{message} dans <{name}>") for message in _attribute_problems(*attribute.groups())]
            pos = attribute.end()
    for line in re.finditer(r"[^\n]+", text):  # attr_list reads from a "{" to the last "}" of the line
        start, end = text.find("{", line.start(), line.end()) + 1, text.rfind("}", line.start(), line.end())
        for attribute in ATTRIBUTE.finditer(text, start, end) if 0 < start <= end else ():
            found += [(start, f"{message} dans une liste d'attributs {{ }}") for message in _attribute_problems(*attribute.groups())]
    for pattern in (MD_URL, MD_REF_URL):
        found += [(url.start(1), "lien Markdown vers une adresse javascript:, data: ou vbscript:")
                  for url in pattern.finditer(text) if _bad_url(url.group(1))]
    found += [(event.start(), "attribut de script (on…=)") for event in EVENT_TEXT.finditer(text)]
    return found


def _blank(text: str, start: int, end: int) -> str:
    """Replace a span by spaces, keeping its line breaks (and so every line number)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _without_code(text: str) -> str:
    """The text with its code blanked: fenced blocks exactly as Python-Markdown finds them (on its normalized
    text), inline code only when no backtick can pair otherwise and no HTML block can hold it."""
    text = re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(4))
    index = 0
    while fence := FENCED_BLOCK.search(text, index):
        if fence.group("attrs") and get_attrs_and_remainder(fence.group("attrs"))[1]:
            index = fence.end("attrs")  # not a fence for Python-Markdown
            continue
        text, index = _blank(_blank(text, *fence.span("fence")), fence.start("code"), fence.end()), fence.end()  # attrs stay
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        runs = list(BACKTICKS.finditer(line.group()))
        if len(runs) % 2 or any(len(a.group()) != len(b.group()) for a, b in zip(runs[::2], runs[1::2], strict=True)):
            return text  # a backtick left alone could pair with one on another line
        spans += [(line.start() + a.start(), line.start() + b.end()) for a, b in zip(runs[::2], runs[1::2], strict=True)]
    outside = text
    for start, end in spans:
        outside = _blank(outside, start, end)
    if "\\`" in text or re.search(r"<[a-zA-Z!?/]", outside):
        return text  # an escaped backtick, or HTML around: code spans may not be code
    return outside


def _decoded(text: str) -> str:
    """Entities decoded line by line (a decoded line break must not shift the lines)."""
    return "\n".join(html.unescape(line).replace("\n", " ") for line in text.split("\n"))


def html_problems(text: str, code: bool = True) -> list[tuple[int, str]]:
    """(line offset, message) for every construct that could run script; code is skipped when `code` is true."""
    # no tag, no link target, no entity, no attribute list, no "on…=": nothing to examine
    if not SUSPECT.search(text) and not ("=" in text and SUSPECT_EVENT.search(text)):
        return []
    if code:
        text = _without_code(text)
    found = set()
    for candidate in {text, _decoded(text)} if "&" in text else {text}:
        found |= {(candidate.count("\n", 0, pos), message) for pos, message in _dangers(candidate)}
    return sorted(found)


def _strings(value, loc=()):
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _strings(sub, loc + (str(key),))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _strings(sub, loc + (i,))


def _check_fields(raw: RawRecord, problems: Problems) -> None:
    """Fields (and vocabulary labels) are plain text: no tag at all, no link, no attribute list."""
    for loc, value in _strings(raw.data):
        if TAG_START.search(value) or _bad_url(value) or html_problems(value, code=False):
            problems.error(raw.path, raw.line_of(loc), "html-in-field",
                           f"Le champ « {_where(loc)} » contient du HTML ou une adresse dangereuse.",
                           "Les champs de l'en-tête sont du texte simple : retirez les balises « < > », "
                           "les liens Markdown et les listes d'attributs « { } ».")


def _html_problems(raw: RawRecord) -> list[Problem]:
    """Forbidden HTML in the body and HTML in front-matter fields. Pure: cached by file hash."""
    problems = Problems()
    for offset, message in html_problems(raw.body):
        problems.error(raw.path, raw.body_line + offset, "html-forbidden", f"HTML refusé : {message}.",
                       "Écrivez en Markdown simple ; les liens commencent par https:// ou désignent une fiche avec [[id]].")
    _check_fields(raw, problems)
    return problems.items


# --- the pipeline ------------------------------------------------------------------------

def _prefer(corpus: Corpus):
    """Choose among homonym terms for one page: explicit links first, then shared sources."""
    @functools.cache
    def explicit_links(entry_id: str) -> frozenset[str]:
        entry = corpus.entries[entry_id]
        return frozenset(getattr(entry.meta, "related", [])) | {m.group(1).strip() for m in WIKI.finditer(entry.raw.body)}

    def prefer(entry: Entry, ids: set[str]) -> str | None:
        explicit = explicit_links(entry.id)
        chosen = ids & explicit
        if len(chosen) == 1:
            return chosen.pop()
        mine = {s.ref for s in getattr(entry.meta, "sources", [])}
        scores = {i: len(mine & {s.ref for s in corpus.entries[i].meta.sources}) for i in ids}
        best = max(scores.values())
        winners = [i for i, score in scores.items() if score == best]
        return winners[0] if best and len(winners) == 1 else None
    return prefer


def _link_context(corpus: Corpus) -> str:
    """What rendering a body depends on besides the body: every record's id, type and front matter."""
    digest = hashlib.blake2b(digest_size=16)
    for entry in corpus.entries.values():
        digest.update(f"{entry.id}\0{entry.type}\0{entry.raw.front}\0".encode())
    return digest.hexdigest()


def _link_bodies(corpus: Corpus, problems: Problems, cache: Cache) -> None:
    matcher = corpus.matcher = TermMatcher.build(corpus.of_type("term"))
    prefer = _prefer(corpus)
    context = _link_context(corpus)
    for entry in corpus.entries.values():
        rendered = cache.memo(("render", entry.path, entry.raw.digest, context), render_body, entry, corpus.entries, matcher, prefer)
        corpus.bodies[entry.id] = rendered.body
        for target, line in rendered.wiki:
            if target in corpus.entries:
                corpus.links.append(Link(entry.id, target, "wiki", line))
            else:
                problems.error(entry.path, line, "wikilink-unknown", f"Le lien [[{target}]] ne mène à aucune fiche.",
                               did_you_mean(target, corpus.entries) or "Vérifiez l'identifiant : c'est le nom du fichier sans « .md ».")
        for term_id, line in rendered.terms:
            corpus.links.append(Link(entry.id, term_id, "term", line))


def _warnings(corpus: Corpus, problems: Problems) -> None:
    incoming = corpus.backlinks()
    for entry in corpus.entries.values():
        if entry.type == "page":
            continue
        relations = incoming.get(entry.id, {})
        if entry.type == "term" and not relations.get("term") and not relations.get("wiki"):
            problems.warning(entry.path, 1, "term-unused", f"Le terme « {entry.title} » n'apparaît dans aucune autre fiche.",
                             "Employez-le dans une fiche, ajoutez un alias, ou liez-le avec [[" + entry.id + "]].")
        elif not relations:
            problems.warning(entry.path, 1, "orphan", f"Aucune fiche ne mène à « {entry.title} ».",
                             "Ajoutez un lien [[" + entry.id + "]] ou une référence (related, methods, sources) depuis une fiche voisine.")


def build_corpus(root: Path, cache: bool = False) -> tuple[Corpus, Problems]:
    """The validated, linked corpus and every problem found.

    With `cache`, results for unchanged files are taken from build/.cache/ (see cache.py)."""
    # The corpus is one large, acyclic graph of small objects kept to the end: the cyclic garbage
    # collector would rescan it again and again while it grows (measured: loading 10,000 records
    # took 2.2 s instead of 0.9 s). Nothing built here needs it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_corpus(root, Cache(root, enabled=cache))
    finally:
        if enabled:
            gc.enable()


def vocabularies(root: Path, problems: Problems) -> Vocabularies:
    """The controlled vocabularies, validated (all that `schemas` needs: no record is read)."""
    return _validate_vocabularies(*load_vocabularies(root, problems), problems)


def _build_corpus(root: Path, cache: Cache) -> tuple[Corpus, Problems]:
    problems = Problems()
    corpus = Corpus(root, vocabularies=vocabularies(root, problems))
    for raw in load_records(root, problems, cache):
        if raw.id in corpus.entries:
            other = corpus.entries[raw.id].path
            problems.error(raw.path, 1, "id-duplicate", f"L'identifiant « {raw.id} » est déjà utilisé par {other}.",
                           "Les identifiants (noms de fichiers) sont uniques dans tout le site : renommez l'un des deux.")
            continue
        meta = _validate_schema(raw, problems)
        if meta is None:
            continue
        entry = Entry(raw, meta)
        corpus.entries[raw.id] = entry
        if not raw.body.strip():
            problems.error(raw.path, raw.body_line, "body-empty", "Le corps de la fiche est vide.",
                           "Ajoutez au moins un paragraphe après l'en-tête.")
    for entry in corpus.entries.values():
        _check_vocabularies(entry, corpus, problems)
        _check_references(entry, corpus, problems)
        _check_inferred(entry, problems)
        found = cache.memo(("html", entry.path, entry.raw.digest), _html_problems, entry.raw)
        if any(p.code == "html-forbidden" for p in found):
            corpus.refused.add(entry.id)  # a forced build shows its text, never runs it
        problems.items.extend(found)
    _link_bodies(corpus, problems, cache)
    _warnings(corpus, problems)
    cache.save()
    return corpus, problems
