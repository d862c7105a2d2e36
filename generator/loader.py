"""Loading: find record files, read them safely, split and parse the front matter.

Nothing here raises on bad input: every problem is added to `Problems` and the
file is skipped or kept with what could be read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problems
from .schema import TYPES
from .text import SLUG, slugify

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_YAML_DEPTH = 8
MAX_YAML_NODES = 20_000
SHORT_YAML, MAX_PARSE_DEPTH = 10_000, 1_000  # guards for libyaml itself, far above MAX_YAML_DEPTH
CONTROL = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters other than tab and line breaks
VOCABULARY_FILE = "content/vocabulaires.yml"


@dataclass
class RawRecord:
    path: str  # relative to the root, with forward slashes
    type: str
    id: str
    data: dict
    node: yaml.Node | None
    body: str
    body_line: int  # line number of the first body line in the file
    front: str = ""  # the front matter as written
    yaml_line: int = 2  # file line of the first YAML line (2 after the opening '---', 1 for a plain YAML file)
    _lines: dict[tuple, int] | None = field(default=None, repr=False)

    def line_of(self, loc: tuple = ()) -> int:
        """The line of a front-matter key or value (loc as pydantic gives it; keys compared as written)."""
        if self._lines is None:
            self._lines = {}
            if self.node is not None:
                _index_lines(self.node, (), self._lines, self.yaml_line)
        loc = tuple(str(part) for part in loc)  # a key written 0 is the int 0 once constructed
        for end in range(len(loc), 0, -1):
            if loc[:end] in self._lines:
                return self._lines[loc[:end]]
        return self.yaml_line


def _index_lines(node: yaml.Node, path: tuple, out: dict, first: int) -> None:
    """path (of strings) -> file line, for every key (its own line) and every list item."""
    out.setdefault(path, node.start_mark.line + first)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (str(key.value),)
            out[sub] = key.start_mark.line + first
            _index_lines(value, sub, out, first)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (str(i),), out, first)


SHAPE_HINT = "Écrivez les valeurs en toutes lettres, sans ancres ni imbrication excessive."


def _check_shape(node: yaml.Node) -> tuple[str, str, str, int] | None:
    """Refuse aliases (billion-laughs bombs), deep nesting, huge documents and duplicate keys:
    (code, message, hint, line in the YAML text) of the first one found."""
    seen: set[int] = set()
    stack = [(node, 0)]
    count = 0
    while stack:
        current, depth = stack.pop()
        line = current.start_mark.line
        if id(current) in seen:
            return "yaml-shape", "En-tête refusé : les ancres et alias YAML (&, *) ne sont pas acceptés.", SHAPE_HINT, line
        seen.add(id(current))
        count += 1
        if depth > MAX_YAML_DEPTH:
            return "yaml-shape", f"En-tête refusé : imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux).", SHAPE_HINT, line
        if count > MAX_YAML_NODES:
            return "yaml-shape", f"En-tête refusé : en-tête trop volumineux (plus de {MAX_YAML_NODES} valeurs).", SHAPE_HINT, line
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key, _ in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        return ("yaml-duplicate-key", f"La clé « {key.value} » apparaît deux fois.",
                                "Gardez une seule occurrence de chaque clé.", key.start_mark.line)
                    keys.add(key.value)
            for key, value in current.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in current.value)
    return None


def _too_deep(text: str) -> int | None:
    """libyaml composes nodes recursively in C: some 40,000 nested levels crash the process, and deeply nested
    flow collections ([[[…) take minutes to parse. A short text cannot nest that deep; a long one is measured
    first, brackets then libyaml's events (its parser is not recursive). Returns the line where it gets too deep."""
    if len(text) < SHORT_YAML:
        return None
    depth = 0
    for bracket in re.finditer(r"[\[\]{}]", text):  # a bound on flow nesting (brackets in strings count too)
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_PARSE_DEPTH:
            return text.count("\n", 0, bracket.start())
    loader, depth = Loader(text), 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_PARSE_DEPTH:
                    return event.start_mark.line
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # the syntax error is reported by the real parse
    finally:
        loader.dispose()
    return None


def _impossible_date(node: yaml.Node, loader) -> yaml.ScalarNode | None:
    """The first scalar written like a date that is no date (2024-13-45); the tree is already known to be small."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode) and current.tag == "tag:yaml.org,2002:timestamp":
            try:
                loader.construct_yaml_timestamp(current)
            except ValueError:
                return current
        elif isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in reversed(current.value) for n in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
    return None


def parse_yaml(text: str, rel: str, problems: Problems, line_offset: int = 0):
    """Parse one YAML document: (data, node); (None, None) after reporting a problem. An empty text gives
    ({}, None); a document that is only null (~, null) gives (None, node), which is no error here."""
    if (line := _too_deep(text)) is not None:
        problems.error(rel, line_offset + line + 1, "yaml-shape",
                       f"En-tête refusé : imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux).", SHAPE_HINT)
        return None, None
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, None
        if shape := _check_shape(node):
            code, message, hint, line = shape
            problems.error(rel, line_offset + line + 1, code, message, hint)
            return None, None
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_offset + (mark.line + 1 if mark else 1)
        what = (exc.problem or "syntaxe invalide").strip()
        hint = ("Vérifiez l'indentation (espaces, pas de tabulations) et mettez entre guillemets "
                "les textes qui contiennent « : » ou commencent par un caractère spécial.")
        if "duplicate" in what or "found duplicate" in str(exc):
            hint = "Chaque clé ne doit apparaître qu'une fois."
        problems.error(rel, line, "yaml-syntax", f"Erreur de syntaxe YAML : {what}.", hint)
        return None, None
    except ValueError as exc:  # a value libyaml reads but Python cannot build: an impossible date
        bad = _impossible_date(node, loader)
        if bad is None:
            problems.error(rel, line_offset + 1, "yaml-syntax", f"Erreur YAML : {exc}.", "Corrigez la syntaxe de l'en-tête.")
        else:
            problems.error(rel, line_offset + bad.start_mark.line + 1, "field-type", f"Date impossible : « {bad.value} » ({exc}).",
                           "Écrivez une date qui existe, au format AAAA-MM-JJ.")
        return None, None
    except (yaml.YAMLError, RecursionError) as exc:
        problems.error(rel, line_offset + 1, "yaml-syntax", f"Erreur YAML : {exc}.", "Corrigez la syntaxe de l'en-tête.")
        return None, None
    finally:
        loader.dispose()
    return data, node


def read_text(path: Path, rel: str, root: Path, problems: Problems) -> str | None:
    """Read a file as UTF-8 text, refusing links outside the root, binaries and huge files."""
    try:
        # realpath, unlike Path.resolve, never raises on a symbolic link loop; a linked folder counts too
        if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
            problems.error(rel, 1, "file-symlink", "Ce fichier est un lien vers l'extérieur du dépôt.",
                           "Remplacez le lien par le fichier lui-même.")
            return None
        if path.is_dir():
            problems.error(rel, 1, "file-not-a-file", f"« {path.name} » est un dossier, pas une fiche.",
                           "Renommez le dossier sans l'extension .md.")
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(rel, 1, "file-too-large", f"Fichier trop volumineux ({size // 1024} Kio, maximum {MAX_FILE_BYTES // 1024} Kio).",
                           "Découpez le contenu en plusieurs fiches.")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(rel, 1, "file-unreadable", f"Fichier illisible : {exc.strerror}.",
                       "Vérifiez que le fichier existe et se lit ; un lien symbolique doit mener à un fichier du dépôt.")
        return None
    if b"\x00" in raw:
        problems.error(rel, 1, "file-binary", "Ce fichier n'est pas du texte (octet nul trouvé).",
                       "Une fiche est un fichier Markdown en UTF-8.")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(rel, line, "encoding", "Le fichier n'est pas encodé en UTF-8.",
                       "Enregistrez-le en UTF-8 (dans l'éditeur : « Enregistrer avec l'encodage » → UTF-8).")
        return None
    if control := CONTROL.search(raw):  # Python-Markdown drops some of them, which can glue "<scr\x02ipt>" back together
        line = raw[: control.start()].count(b"\n") + 1
        problems.error(rel, line, "file-control-char", f"Caractère de contrôle invisible (U+{raw[control.start()]:04X}) dans le fichier.",
                       "Supprimez-le : il vient souvent d'un copier-coller (retapez la ligne).")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, rel: str, problems: Problems):
    """Return (yaml_text, body, body_line) or None after reporting."""
    if not text.strip():
        problems.error(rel, 1, "empty-file", "Le fichier est vide.",
                       "Une fiche commence par un en-tête YAML entre deux lignes « --- ».")
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            problems.error(rel, 1, "front-matter-unclosed", "L'en-tête YAML n'est pas fermé.",
                           "Ajoutez une ligne « --- » après la dernière clé de l'en-tête.")
        else:
            problems.error(rel, 1, "front-matter-missing", "La fiche n'a pas d'en-tête YAML.",
                           "Commencez le fichier par « --- », les champs (title: …), puis « --- ».")
        return None
    yaml_text = match.group(1) or ""
    if "\t" in yaml_text:
        line = yaml_text[: yaml_text.index("\t")].count("\n") + 2
        problems.error(rel, line, "yaml-tab", "Tabulation dans l'en-tête YAML.",
                       "Indentez avec des espaces : YAML refuse les tabulations.")
        return None
    body_line = text[: match.end()].count("\n") + 1
    return yaml_text, text[match.end():], body_line


def discover(root: Path) -> list[tuple[str, Path]]:
    """(type, path) of every record file, in a stable order."""
    found = []
    for type_name, (_, folder, _, _) in TYPES.items():
        base = root / folder
        if not base.is_dir():
            continue
        if type_name == "page":
            files = sorted(base.glob("*.md"))
        else:
            files = sorted(p for p in base.rglob("*.md"))
        found.extend((type_name, p) for p in files if not p.name.startswith((".", "_")))
    return found


def load_records(root: Path, problems: Problems) -> list[RawRecord]:
    records = []
    for type_name, path in discover(root):
        rel = path.relative_to(root).as_posix()
        record_id = path.stem
        if not SLUG.match(record_id):
            problems.error(rel, 1, "id-invalid",
                           f"Nom de fichier « {path.name} » invalide : l'identifiant doit être en minuscules, sans accents ni espaces.",
                           f"Renommez le fichier en « {slugify(record_id) or 'titre'}.md ».")
            continue
        text = read_text(path, rel, root, problems)
        if text is None:
            continue
        parts = split_front_matter(text, rel, problems)
        if parts is None:
            continue
        yaml_text, body, body_line = parts
        data, node = parse_yaml(yaml_text, rel, problems, line_offset=1)
        if data is None and node is None:  # already reported
            continue
        if not isinstance(data, dict):
            problems.error(rel, 2, "front-matter-type", "L'en-tête doit être une liste de champs « clé: valeur ».",
                           "Exemple : title: \"Forum ouvert\"")
            continue
        records.append(RawRecord(rel, type_name, record_id, data, node, body, body_line, yaml_text))
    return records


def load_vocabularies(root: Path, problems: Problems) -> tuple[dict, RawRecord | None]:
    path = root / VOCABULARY_FILE
    if not path.is_file():
        problems.error(VOCABULARY_FILE, 1, "vocabulary-missing", "Fichier des vocabulaires introuvable.",
                       "Créez content/vocabulaires.yml (voir CONTRIBUTING.md).")
        return {}, None
    text = read_text(path, VOCABULARY_FILE, root, problems)
    if text is None:
        return {}, None
    data, node = parse_yaml(text, VOCABULARY_FILE, problems)
    if data is None and node is None:  # already reported
        return {}, None
    if not isinstance(data, dict):
        problems.error(VOCABULARY_FILE, 1, "vocabulary-type", "Le fichier des vocabulaires doit être un dictionnaire.",
                       "Chaque vocabulaire est une section « nom: » suivie de ses valeurs (voir CONTRIBUTING.md).")
        return {}, None
    return data, RawRecord(VOCABULARY_FILE, "vocabulary", "vocabulaires", data, node, "", 0, text, yaml_line=1)

