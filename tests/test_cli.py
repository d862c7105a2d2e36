"""The command line as contributors and CI use it: exit codes, formats, `new`, atomic builds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from generator.new import render_record

from .helpers import ROOT, copy_built, run, write


def snapshot(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in repo.rglob("*")
            if p.is_file() and not p.relative_to(repo).as_posix().startswith(("build/", "site/"))}


def test_check_exit_codes(repo):
    assert run(repo, "check").returncode == 0
    write(repo, "glossary/casse.md", "---\ntitle: x\n")
    result = run(repo, "check")
    assert result.returncode == 1
    assert "glossary/casse.md:1: erreur [front-matter-unclosed]" in result.stdout
    usage = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "xml"],
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert usage.returncode == 2 and "erreur d'utilisation" in usage.stderr


def test_json_and_github_formats(repo):
    write(repo, "glossary/typo.md", "---\ntitle: Terme\ndefintion: x\n---\n\nTexte.\n")
    data = [p for p in json.loads(run(repo, "check", "--format", "json").stdout) if p["code"] == "field-unknown"]
    assert len(data) == 1
    assert {"file": "glossary/typo.md", "line": 3, "severity": "error"}.items() <= data[0].items()
    assert data[0]["hint"] == "vouliez-vous dire « definition » ?"
    github = run(repo, "check", "--format", "github").stdout
    assert "::error file=glossary/typo.md,line=3,title=field-unknown::Champ inconnu" in github


def test_strict_fails_on_warnings(repo):
    write(repo, "glossary/isole.md", "---\ntitle: Zyzomys\ndefinition: x\n---\n\nTexte.\n")
    assert run(repo, "check").returncode == 0
    assert run(repo, "check", "--strict").returncode == 1


def test_new_writes_a_valid_record_and_refuses_to_overwrite(repo):
    result = run(repo, "new", "method", "Café des idées !")
    assert result.returncode == 0, result.stderr
    path = repo / "tools_methods" / "cafe-des-idees.md"
    assert path.read_text(encoding="utf-8").startswith('---\ntitle: "Café des idées !"')
    checked = run(repo, "check", "--format", "json")
    assert [p for p in json.loads(checked.stdout) if p["severity"] == "error"] == []
    again = run(repo, "new", "method", "Café des idées !")
    assert again.returncode == 1 and "existe déjà" in again.stderr


def test_every_archetype_is_valid(repo):
    for type_name in ("method", "term", "monograph", "concept", "resource"):
        text = render_record(type_name, f"Essai {type_name}")
        folder = {"method": "tools_methods", "term": "glossary", "monograph": "monographs",
                  "concept": "content/referentiel", "resource": "content/ressources"}[type_name]
        write(repo, f"{folder}/essai-{type_name}.md", text)
    errors = [p for p in json.loads(run(repo, "check", "--format", "json").stdout) if p["severity"] == "error"]
    assert errors == []


def test_failed_build_keeps_previous_site_and_sources(built_repo, tmp_path):
    repo = copy_built(built_repo, tmp_path / "repo")  # built once for the session: only the failing build runs here
    index = repo / "site" / "index.html"
    before_site = index.read_bytes()
    before_sources = snapshot(repo)

    write(repo, "glossary/casse.md", "---\ntitle: [\n---\n\nTexte.\n")
    broken_sources = snapshot(repo)
    result = run(repo, "build")
    assert result.returncode == 1
    assert "site précédent est intact" in result.stderr
    assert index.read_bytes() == before_site
    assert snapshot(repo) == broken_sources
    assert {k: v for k, v in broken_sources.items() if k != "glossary/casse.md"} == before_sources
    assert not list((repo / "build").glob(".tmp-*"))


def test_mkdocs_failure_also_keeps_previous_site(built_repo, tmp_path):
    repo = copy_built(built_repo, tmp_path / "repo")
    before = (repo / "site" / "index.html").read_bytes()
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n  - Manquante: nexiste-pas.md\n", encoding="utf-8")
    result = run(repo, "build")
    assert result.returncode == 1
    assert (repo / "site" / "index.html").read_bytes() == before
