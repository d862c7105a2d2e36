"""Hostile input: every attack of tests/corpus/hostile/ is refused by `check` with its file, line and code.

Each file of the hostile corpus is one record in the repository layout, with one attack; its front matter
says what `check` must report (`# expect: CODE LINE`). The records of tests/corpus/render/ are accepted by
`check` (each part is harmless) but try to break the page they are rendered into; they are built with the
hostile ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import RECORDS, make_repo

CORPUS = Path(__file__).parent / "corpus"
HOSTILE = sorted(p.relative_to(CORPUS / "hostile").as_posix() for p in (CORPUS / "hostile").rglob("*.md"))
RENDER = sorted(p.relative_to(CORPUS / "render").as_posix() for p in (CORPUS / "render").rglob("*.md"))
EXPECT = re.compile(r"^# expect: ([a-z-]+) (\d+)$", re.M)


def expected(rel: str) -> set[tuple[str, str, int]]:
    text = (CORPUS / "hostile" / rel).read_bytes().decode("utf-8")
    return {(rel, code, int(line)) for code, line in EXPECT.findall(text)}


def copy_corpus(repo: Path, name: str, files: list[str]) -> None:
    for rel in files:
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((CORPUS / name / rel).read_bytes())


def check_json(repo: Path, capsys) -> tuple[int, list[dict]]:
    code = main(["check", "--root", str(repo), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_corpus_is_well_formed():
    assert len(HOSTILE) > 100
    assert all(expected(rel) for rel in HOSTILE), [rel for rel in HOSTILE if not expected(rel)]


@pytest.mark.parametrize("rel", HOSTILE)
def test_check_refuses_the_attack_with_file_line_and_code(tmp_path, capsys, rel):
    repo = make_repo(tmp_path, RECORDS)
    copy_corpus(repo, "hostile", [rel])
    code, problems = check_json(repo, capsys)
    errors = [p for p in problems if p["severity"] == "error"]
    assert code == 1
    assert {(p["file"], p["code"], p["line"]) for p in errors} == expected(rel)
    assert all(p["message"] and p["hint"] for p in errors)


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("hostile-repo"), RECORDS)
    copy_corpus(repo, "hostile", HOSTILE)
    copy_corpus(repo, "render", RENDER)
    return repo


def test_all_attacks_at_once_are_reported_and_render_tricks_accepted(hostile_repo, capsys):
    code, problems = check_json(hostile_repo, capsys)
    errors = {(p["file"], p["code"], p["line"]) for p in problems if p["severity"] == "error"}
    assert code == 1
    assert errors == set().union(*(expected(rel) for rel in HOSTILE))
    assert not {file for file, _, _ in errors} & set(RENDER)
