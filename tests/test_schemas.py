"""JSON Schemas of the front matter: derived from the models, committed, published, used by editors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import build_corpus
from generator.build import read_vocabularies as vocabularies
from generator.emit import emit
from generator.problems import Problems
from generator.schemas import SCHEMA_DIR, json_schemas, write_schemas
from generator.site import settings

from .helpers import ROOT, missing, run, write

REMARK = ROOT / "node_modules" / ".bin" / "remark"


def test_committed_schemas_are_the_generated_ones():
    assert write_schemas(ROOT, vocabularies(ROOT, Problems()), check_only=True) == [], "lancez : python -m generator schemas"


def test_vocabularies_become_enums_and_unknown_keys_are_refused():
    corpus, _ = build_corpus(ROOT)
    schemas = json_schemas(corpus.vocabularies)
    method, monograph = schemas["method.schema.json"], schemas["monograph.schema.json"]
    assert method["additionalProperties"] is False and method["required"] == ["title"]
    assert method["properties"]["phases"]["items"]["enum"] == sorted(corpus.vocabularies["phases"])
    assert "forum-ouvert" not in json.dumps(method)  # ids of records are not frozen into the schemas
    place = monograph["$defs"]["Place"]["properties"]["region"]["anyOf"][0]
    assert place["enum"] == sorted(corpus.vocabularies["regions"]) and "bourgogne-franche-comte" in place["enum"]
    funding = monograph["properties"]["funding"]
    assert funding["propertyNames"]["enum"] == sorted(corpus.vocabularies["funding_types"])
    assert monograph["description"].startswith("Monographie")


def test_schemas_are_published_with_the_site(repo):
    corpus, _ = build_corpus(repo)
    files = emit(corpus, settings(repo))
    published = json.loads(files[f"{SCHEMA_DIR}/term.schema.json"])
    assert published["properties"]["definition"]["maxLength"] == 300


def test_schemas_command_writes_then_checks(repo):
    assert run(repo, "schemas", "--check").returncode == 1  # none yet
    assert run(repo, "schemas").returncode == 0
    assert run(repo, "schemas", "--check").returncode == 0
    vocabulary = repo / "content/vocabulaires.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace(
        "keywords:\n", "keywords:\n  nouveau-mot:\n    label: Nouveau mot\n    definition: Un mot ajouté.\n", 1), encoding="utf-8")
    result = run(repo, "schemas", "--check")
    assert result.returncode == 1 and "schemas/method.schema.json" in result.stderr


def test_schemas_command_refuses_a_broken_vocabulary_and_reads_no_record(repo):
    (repo / "content/vocabulaires.yml").write_text("keywords: [\n", encoding="utf-8")
    write(repo, "tools_methods/casse.md", "pas d'en-tête\n")  # a broken record is not this command's business
    result = run(repo, "schemas")
    assert result.returncode == 1
    assert "content/vocabulaires.yml:" in result.stderr and "yaml-syntax" in result.stderr
    assert "casse.md" not in result.stderr and not (repo / "schemas").exists()


def remark(repo: Path, *paths: str) -> subprocess.CompletedProcess:
    if not REMARK.exists() or shutil.which("node") is None:
        missing("remark introuvable : lancez npm ci")
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    return subprocess.run([str(REMARK), "--frail", "--quiet", "--no-stdout", *paths], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


def test_real_records_pass_their_json_schema():
    """The editor's view (JSON Schema, read by AJV) agrees with the generator's on every real record."""
    result = remark(ROOT, "tools_methods", "glossary", "monographs", "content")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def editor_repo(repo: Path) -> Path:
    """The repository as an editor sees it: schemas, remark configuration and tools."""
    assert run(repo, "schemas").returncode == 0
    shutil.copy(ROOT / ".remarkrc.mjs", repo / ".remarkrc.mjs")
    (repo / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return repo


def test_editor_flags_an_unknown_key_and_a_value_outside_the_vocabulary(editor_repo):
    write(editor_repo, "tools_methods/atelier.md", """\
        ---
        title: "Atelier"
        phases: [emergence, emergenc]
        duree: 2 h
        ---

        Corps.
        """)
    result = remark(editor_repo, "tools_methods/atelier.md")
    assert result.returncode == 1
    assert "3:" in result.stderr and "emergence" in result.stderr  # the bad phase, on its line, with the allowed values
    assert "additional properties" in result.stderr  # the misspelt key
    assert remark(editor_repo, "tools_methods/forum-ouvert.md").returncode == 0
