"""Broken input: every broken record gives a clear problem (file, line, code, hint) or is handled; never a
traceback, never a hang, never a file written outside build/ and site/.

tests/corpus/broken/ holds what can live in git (bytes kept as written, see tests/corpus/.gitattributes);
the rest is generated here: a 10 MB body, a binary, deep YAML, 10,000 items, an alias bomb, symbolic links,
a folder named .md, very long lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from . import helpers
from .helpers import RECORDS, make_repo

CORPUS = Path(__file__).parent / "corpus" / "broken"
TIMEOUT = 60  # seconds: a hang is a failure

# file under glossary/ -> (code, line) of the errors `check` reports for it; an empty set: accepted as it is
EXPECTED = {
    "empty.md": {("empty-file", 1)},
    "only-bom.md": {("empty-file", 1)},
    "whitespace-only.md": {("empty-file", 1)},
    "latin-1.md": {("encoding", 3)},
    "utf-16.md": {("file-binary", 1)},
    "utf8-bom.md": set(),
    "crlf.md": set(),
    "cr-only.md": set(),
    "null-byte.md": {("file-binary", 1)},
    "tab-indentation.md": {("yaml-tab", 5)},
    "duplicate-key.md": {("yaml-duplicate-key", 4)},
    "front-matter-unclosed.md": {("front-matter-unclosed", 1)},
    "front-matter-list.md": {("front-matter-type", 2)},
    "front-matter-scalar.md": {("front-matter-type", 2)},
    "front-matter-empty.md": {("field-missing", 2)},
    "front-matter-null.md": {("front-matter-type", 2)},  # was skipped without a word
    "front-matter-anchor-only.md": {("front-matter-type", 2)},  # title and definition, both on the (empty) front matter
    "front-matter-only.md": {("body-empty", 5)},
    "front-matter-dots.md": set(),
    "no-front-matter.md": {("front-matter-missing", 1)},
    "yaml-python-tag.md": {("yaml-shape", 2)},  # explicit tags are refused, whatever they name
    "yaml-unknown-tag.md": {("yaml-shape", 2)},
    "yaml-impossible-date.md": {("field-type", 4)},
    "yaml-integer-key.md": {("field-unknown", 4)},
    "yaml-list-key.md": {("yaml-shape", 4)},  # a key must be plain text
    "yaml-syntax.md": {("yaml-syntax", 2)},
    "Terme avec espaces.md": {("id-invalid", 1)},
    "terme-accentué.md": {("id-invalid", 1)},
    "TermeMajuscule.md": {("id-invalid", 1)},
    # generated below
    "binary.md": {("file-binary", 1)},
    "huge-body.md": {("file-too-large", 1)},
    "list-10000.md": set(),
    "deep-flow.md": {("yaml-shape", 4)},  # the line where it gets too deep
    "deep-block.md": {("yaml-shape", 5)},
    "deep-nesting.md": {("yaml-shape", 12)},  # the ninth level: key n8
    "alias-bomb.md": {("yaml-shape", 3)},  # the first alias
    "symlink-outside.md": {("file-symlink", 1)},
    "symlink-loop.md": {("file-unreadable", 1)},
    "symlink-dangling.md": {("file-unreadable", 1)},
    "folder.md": {("file-not-a-file", 1)},
    "long-line.md": set(),
    "long-line-of-tags.md": set(),
}
SLUGS = {"Terme avec espaces.md": "terme-avec-espaces.md", "terme-accentué.md": "terme-accentue.md",
         "TermeMajuscule.md": "termemajuscule.md"}


def generate(glossary: Path, outside: Path) -> None:
    """What cannot (or should not) live in git."""
    term = "---\ntitle: {title}\ndefinition: d\n{extra}---\n\n{body}\n"
    (glossary / "binary.md").write_bytes(bytes(range(256)) * 64)
    (glossary / "huge-body.md").write_text(term.format(title="Énorme", extra="", body="mot " * 2_500_000), encoding="utf-8")
    steps = "".join(f"  - Étape {i}.\n" for i in range(10_000))
    (glossary.parent / "tools_methods" / "list-10000.md").write_text(
        "---\ntitle: Dix mille étapes\nsummary: Une liste de 10 000 éléments.\nsteps:\n" + steps
        + "sources: [{ref: rapport-test, loc: p. 1}]\n---\n\nTexte.\n", encoding="utf-8")
    (glossary / "deep-flow.md").write_text(term.format(title="Profond", extra="x: " + "[" * 200_000 + "]" * 200_000 + "\n",
                                                       body="Texte."), encoding="utf-8")
    (glossary / "deep-block.md").write_text(term.format(title="Profond", extra="x:\n" + "- " * 200_000 + "y\n", body="Texte."),
                                            encoding="utf-8")
    nested = "".join("  " * i + f"n{i}:\n" for i in range(12)) + "  " * 12 + "fin\n"
    (glossary / "deep-nesting.md").write_text(term.format(title="Imbriqué", extra=nested, body="Texte."), encoding="utf-8")
    bomb = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    (glossary / "alias-bomb.md").write_text("---\nl0: &l0 [lol]\n" + bomb + "title: Bombe\ndefinition: d\n---\n\nTexte.\n",
                                            encoding="utf-8")
    (outside / "secret.md").write_text(term.format(title="Secret", extra="", body="Hors du dépôt."), encoding="utf-8")
    (glossary / "symlink-outside.md").symlink_to(outside / "secret.md")
    (glossary / "symlink-loop.md").symlink_to("symlink-loop.md")
    (glossary / "symlink-dangling.md").symlink_to("nowhere.md")
    (glossary / "linked-folder").symlink_to(outside, target_is_directory=True)  # not followed, or refused
    (glossary / "folder.md").mkdir()
    (glossary / "long-line.md").write_text(term.format(title="Longue ligne", extra="", body="mot " * 450_000), encoding="utf-8")
    (glossary / "long-line-of-tags.md").write_text(term.format(title="Balises", extra="", body='<a title="' * 180_000),
                                                   encoding="utf-8")


def run(repo: Path, *args: str, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    return helpers.run(repo, *args, timeout=timeout, cwd=repo)


def tree(base: Path) -> dict[str, str]:
    """Every path under base (links not followed): file digests, link targets, folders."""
    out = {}
    for folder, dirs, files in os.walk(base):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(base).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("broken")
    repo, outside = make_repo(base / "repo", RECORDS), base / "outside"
    outside.mkdir()
    for path in CORPUS.rglob("*"):
        if path.is_file():
            target = repo / path.relative_to(CORPUS)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    generate(repo / "glossary", outside)
    return base, repo


@pytest.fixture(scope="module")
def checked(broken) -> list[dict]:
    _, repo = broken
    result = run(repo, "check", "--format", "json")
    assert "Traceback" not in result.stderr and result.stderr == ""
    assert result.returncode == 1
    return json.loads(result.stdout)


def test_corpus_and_table_agree():
    on_disk = {p.name for p in (CORPUS / "glossary").iterdir()}
    assert on_disk <= set(EXPECTED) and len(EXPECTED) - len(on_disk) == 13  # the generated ones


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gives_a_clear_problem_or_is_accepted(checked, name):
    folder = "tools_methods" if name == "list-10000.md" else "glossary"
    errors = [p for p in checked if p["file"] == f"{folder}/{name}" and p["severity"] == "error"]
    assert {(p["code"], p["line"]) for p in errors} == EXPECTED[name]
    assert all(p["message"] and p["hint"] for p in errors)
    if name in SLUGS:
        assert f"« {SLUGS[name]} »" in errors[0]["hint"]


def test_nothing_else_is_reported(checked):
    files = {f"glossary/{name}" for name in EXPECTED} | {"tools_methods/list-10000.md"}
    assert [p for p in checked if p["severity"] == "error" and p["file"] not in files] == []
    assert not [p for p in checked if "secret" in p["file"]]  # the linked folder outside is never read


def test_forced_build_writes_only_build_and_site(broken, checked):
    base, repo = broken
    before = tree(base)
    result = run(repo, "build", "--force", timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    after = tree(base)
    outputs = ("repo/build/", "repo/site/", "repo/build", "repo/site")  # the check above left its cache in build/
    assert {k: v for k, v in after.items() if not k.startswith(outputs)} == {k: v for k, v in before.items() if not k.startswith(outputs)}
    assert (repo / "site" / "methodes" / "list-10000" / "index.html").is_file()
    assert not (repo / "site" / "glossaire" / "secret").exists()
