"""Loading: find record files, read them safely, split and parse the front matter.

Nothing here raises on bad input: every problem is added to `Problems` and the
file is skipped or kept with what could be read.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .cache import Cache
from .problems import Problem, Problems
from .registry import TYPES
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
    _body: str | None  # the body (`body`); None in the cache: read again from `source` when used
    body_line: int  # line number of the first body line in the file
    front: str = ""  # the front matter as written
    yaml_line: int = 2  # file line of the first YAML line (2 after the opening '---', 1 for a plain YAML file)
    digest: str = ""  # hash of the file's bytes (cache key)
    blank: bool = False  # the body holds only white space
    source: str = field(default="", repr=False, compare=False)  # the file's path, set on every load
    _lines: dict[tuple, int] | None = field(default=None, repr=False, compare=False)

    @property
    def body(self) -> str:
        """The Markdown after the front matter. The cache keeps no bodies (`check` needs few of them, and
        unpickling 10,000 of them cost more than reading the unchanged files again)."""
        if self._body is None:
            self._body = _read_body(self.source)
        return self._body

    def line_of(self, loc: tuple = ()) -> int:
        """The line of a front-matter key or value (loc as pydantic gives it).

        Lines are needed only when a problem is reported: the YAML is composed again then."""
        if self._lines is None:
            self._lines = {}
            try:
                node = yaml.compose(self.front, Loader=Loader) if self.front else None
            except yaml.YAMLError:
                node = None
            if node is not None:
                _index_lines(node, (), self._lines, self.yaml_line)
        loc = tuple(str(part) for part in loc)  # keys compared as written: a key written 0 is the int 0 once constructed
        for end in range(len(loc), 0, -1):
            if loc[:end] in self._lines:
                return self._lines[loc[:end]]
        return self.yaml_line


def _index_lines(node: yaml.Node, path: tuple, out: dict, first: int) -> None:
    """path -> file line, for every key (its own line) and every list item."""
    out.setdefault(path, node.start_mark.line + first)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (key.value,)
            out[sub] = key.start_mark.line + first
            _index_lines(value, sub, out, first)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (str(i),), out, first)


_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")}
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


SHAPE_HINT = "Écrivez les valeurs en toutes lettres, sans ancres, étiquettes ni imbrication excessive."


class _Refused(Exception):
    """A YAML document we do not accept: the 0-based line of the culprit, a code, a message and a hint."""

    def __init__(self, line: int, message: str, code: str = "yaml-shape", hint: str = SHAPE_HINT):
        super().__init__(message)
        self.line, self.message, self.code, self.hint = line, message, code, hint


def _construct(loader, root: yaml.Node):
    """Plain Python values from a composed document, in one walk that also refuses aliases
    (billion-laughs bombs: an alias is a node met twice), duplicate keys, explicit tags
    other than the plain scalar ones, impossible dates, deep nesting and huge documents."""
    seen: set[int] = set()

    def walk(node: yaml.Node, depth: int, line: int):
        """`line`: where the node is used (an alias is the node of its anchor: its own line is the anchor's)."""
        if id(node) in seen:
            raise _Refused(line, "En-tête refusé : les ancres et alias YAML (&, *) ne sont pas acceptés.")
        seen.add(id(node))
        if depth > MAX_YAML_DEPTH:
            raise _Refused(node.start_mark.line, f"En-tête refusé : imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux).")
        if len(seen) > MAX_YAML_NODES:
            raise _Refused(root.start_mark.line, f"En-tête refusé : en-tête trop volumineux (plus de {MAX_YAML_NODES} valeurs).")
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _SCALAR_TAGS:
            try:
                return loader.yaml_constructors[tag](loader, node)
            except (ValueError, OverflowError) as exc:  # libyaml reads it, Python cannot build it: 2024-13-45
                raise _Refused(node.start_mark.line, f"Valeur impossible : « {node.value} » ({exc}).", "field-type",
                               "Écrivez une date qui existe, au format AAAA-MM-JJ, ou mettez le texte entre guillemets.") from None
        if tag == _MAP:
            out = {}
            for key_node, value_node in node.value:
                key = walk(key_node, depth + 1, key_node.start_mark.line)
                if not isinstance(key, str | int | float | bool | None):
                    raise _Refused(key_node.start_mark.line, "En-tête refusé : une clé doit être un texte simple.")
                if key in out:
                    raise _Refused(key_node.start_mark.line, f"La clé « {key} » apparaît deux fois.", "yaml-duplicate-key",
                                   "Gardez une seule occurrence de chaque clé.")
                out[key] = walk(value_node, depth + 1, key_node.start_mark.line)
            return out
        if tag == _SEQ:
            return [walk(item, depth + 1, node.start_mark.line) for item in node.value]
        raise _Refused(node.start_mark.line, f"En-tête refusé : étiquette YAML « {tag} » non acceptée.")

    return walk(root, 0, root.start_mark.line)


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


def parse_yaml(text: str, rel: str, problems: Problems, line_offset: int = 0) -> tuple[object, bool]:
    """Parse one YAML document: (data, True), or (None, False) after reporting a problem.
    An empty text gives ({}, True); a document that is only null (~) gives (None, True)."""
    if (line := _too_deep(text)) is not None:
        problems.error(rel, line_offset + line + 1, "yaml-shape",
                       f"En-tête refusé : imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux).", SHAPE_HINT)
        return None, False
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        return ({} if node is None else _construct(loader, node)), True
    except _Refused as refused:
        problems.error(rel, line_offset + refused.line + 1, refused.code, refused.message, refused.hint)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_offset + (mark.line + 1 if mark else 1)
        what = (exc.problem or "syntaxe invalide").strip()
        hint = ("Vérifiez l'indentation (espaces, pas de tabulations) et mettez entre guillemets "
                "les textes qui contiennent « : » ou commencent par un caractère spécial.")
        problems.error(rel, line, "yaml-syntax", f"Erreur de syntaxe YAML : {what}.", hint)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        problems.error(rel, line_offset + 1, "yaml-syntax", f"Erreur YAML : {exc}.", "Corrigez la syntaxe de l'en-tête.")
    finally:
        loader.dispose()
    return None, False


@functools.lru_cache(maxsize=4096)
def _real_dir(directory: str) -> str:
    return os.path.realpath(directory)


def _inside(where: str, root: Path) -> bool:
    top = _real_dir(str(root))
    return where == top or where.startswith(top.rstrip(os.sep) + os.sep)


def checked_stat(path: Path | str, rel: str, root: Path, problems: Problems) -> os.stat_result | None:
    """The file's status, refusing links outside the root, folders and huge files."""
    name = str(path)
    try:
        status = os.lstat(name)
        if stat.S_ISLNK(status.st_mode):  # realpath, unlike Path.resolve, never raises on a link loop
            where = os.path.realpath(name)
        else:  # a linked folder counts too (folders are resolved once each)
            where = os.path.join(_real_dir(os.path.dirname(name)), os.path.basename(name))
        if not _inside(where, root):
            problems.error(rel, 1, "file-symlink", "Ce fichier est un lien vers l'extérieur du dépôt.",
                           "Remplacez le lien par le fichier lui-même.")
            return None
        if stat.S_ISLNK(status.st_mode):
            status = os.stat(name)
        if stat.S_ISDIR(status.st_mode):
            problems.error(rel, 1, "file-not-a-file", f"« {os.path.basename(name)} » est un dossier, pas une fiche.",
                           "Renommez le dossier sans l'extension .md.")
            return None
        if status.st_size > MAX_FILE_BYTES:
            problems.error(rel, 1, "file-too-large",
                           f"Fichier trop volumineux ({status.st_size // 1024} Kio, maximum {MAX_FILE_BYTES // 1024} Kio).",
                           "Découpez le contenu en plusieurs fiches.")
            return None
        return status
    except OSError as exc:
        problems.error(rel, 1, "file-unreadable", f"Fichier illisible : {exc.strerror}.",
                       "Vérifiez que le fichier existe et se lit ; un lien symbolique doit mener à un fichier du dépôt.")
        return None


def read_bytes(path: Path, rel: str, root: Path, problems: Problems) -> bytes | None:
    """A file's bytes, refusing links outside the root, folders and huge files."""
    if checked_stat(path, rel, root, problems) is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        problems.error(rel, 1, "file-unreadable", f"Fichier illisible : {exc.strerror}.",
                       "Vérifiez que le fichier existe et se lit ; un lien symbolique doit mener à un fichier du dépôt.")
        return None


def _digest(path: str) -> str | None:
    try:
        return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


def decode(raw: bytes, rel: str, problems: Problems) -> str | None:
    """UTF-8 text with Unix line ends, refusing binaries."""
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


def discover(root: Path) -> list[tuple[str, str, str]]:
    """(type, path relative to the root, path) of every record file, in a stable order (by folder, then name)."""
    found = []
    for record_type in TYPES.values():
        base = os.path.join(root, record_type.folder)
        if not os.path.isdir(base):
            continue
        files = []
        for folder, dirs, names in os.walk(base):
            within = os.path.relpath(folder, root).replace(os.sep, "/")
            # a folder named *.md is listed too: checking it reports it
            files += [f"{within}/{name}" for name in names + dirs if name.endswith(".md") and not name.startswith((".", "_"))]
            if not record_type.recursive:
                break
        files.sort(key=lambda rel: rel.split("/"))
        found.extend((record_type.name, rel, os.path.join(root, rel)) for rel in files)
    return found


def parse_record(type_name: str, rel: str, raw: bytes, digest: str) -> tuple[RawRecord | None, list[Problem]]:
    """One record from the file's bytes (and their hash). Pure: the result depends on its arguments only."""
    problems = Problems()
    text = decode(raw, rel, problems)
    parts = split_front_matter(text, rel, problems) if text is not None else None
    if parts is None:
        return None, problems.items
    yaml_text, body, body_line = parts
    data, ok = parse_yaml(yaml_text, rel, problems, line_offset=1)
    if not ok:
        return None, problems.items
    if not isinstance(data, dict):
        problems.error(rel, 2, "front-matter-type", "L'en-tête doit être une liste de champs « clé: valeur ».",
                       "Exemple : title: \"Forum ouvert\"")
        return None, problems.items
    record_id = rel.rpartition("/")[2].removesuffix(".md")
    return (RawRecord(rel, type_name, record_id, data, body, body_line, yaml_text, digest=digest, blank=not body.strip()),
            problems.items)


def _read_body(path: str) -> str:
    """A record's body read again from its file, unchanged since it was parsed (its hash is a cache key)."""
    try:
        text = decode(Path(path).read_bytes(), path, Problems())
    except OSError:
        return ""
    parts = split_front_matter(text, path, Problems()) if text is not None else None
    return parts[1] if parts else ""


def _parse_file(_context, type_name: str, rel: str, path: str, digest: str):
    """parse_record on a file read in a worker process (sending the bytes would cost more)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        problems = Problems()
        problems.error(rel, 1, "file-unreadable", f"Fichier illisible : {exc.strerror}.", "Vérifiez que le fichier existe et se lit.")
        return None, problems.items
    return parse_record(type_name, rel, raw, hashlib.blake2b(raw, digest_size=16).hexdigest())


def _without_body(result: tuple) -> tuple:
    """What the cache keeps of a parse: the record without its body (read again from the file when needed)."""
    record, problems = result
    return (replace(record, _body=None) if record else None), problems


def load_records(root: Path, problems: Problems, cache: Cache) -> list[RawRecord]:
    """Every record of the repository; `cache` skips parsing unchanged files, the others are parsed on every core."""
    calls = []
    for type_name, rel, path in discover(root):
        name = rel.rpartition("/")[2]
        if not SLUG.match(stem := name.removesuffix(".md")):
            problems.error(rel, 1, "id-invalid",
                           f"Nom de fichier « {name} » invalide : l'identifiant doit être en minuscules, sans accents ni espaces.",
                           f"Renommez le fichier en « {slugify(stem) or 'titre'}.md ».")
            continue
        status = checked_stat(path, rel, root, problems)
        if status is None:
            continue
        # a file whose size, time and inode are unchanged keeps its hash: an unchanged corpus is not read again
        digest = cache.memo(("digest", rel, status.st_mtime_ns, status.st_size, status.st_ino), _digest, path)
        if digest is None:
            problems.error(rel, 1, "file-unreadable", "Fichier illisible.", "Vérifiez que le fichier existe et se lit.")
            continue
        calls.append((("parse", rel, type_name, digest), (type_name, rel, path, digest)))
    records = []
    for (_, (_, _, path, _)), (record, found) in zip(calls, cache.memo_all(calls, _parse_file, keep=_without_body),
                                                    strict=True):
        problems.items.extend(found)
        if record is not None:
            record.source = path
            records.append(record)
    return records


def load_vocabularies(root: Path, problems: Problems) -> tuple[dict, RawRecord | None]:
    path = root / VOCABULARY_FILE
    if not path.is_file():
        problems.error(VOCABULARY_FILE, 1, "vocabulary-missing", "Fichier des vocabulaires introuvable.",
                       "Créez content/vocabulaires.yml (voir CONTRIBUTING.md).")
        return {}, None
    raw = read_bytes(path, VOCABULARY_FILE, root, problems)
    text = decode(raw, VOCABULARY_FILE, problems) if raw is not None else None
    if text is None:
        return {}, None
    data, ok = parse_yaml(text, VOCABULARY_FILE, problems)
    if not ok:
        return {}, None
    if not isinstance(data, dict):
        problems.error(VOCABULARY_FILE, 1, "vocabulary-type", "Le fichier des vocabulaires doit être un dictionnaire.",
                       "Chaque vocabulaire est une section « nom: » suivie de ses valeurs (voir CONTRIBUTING.md).")
        return {}, None
    return data, RawRecord(VOCABULARY_FILE, "vocabulary", "vocabulaires", data, "", 0, text, yaml_line=1)

