"""The real content of the repository: valid, sourced, summarised, indexed, buildable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import build_corpus

from .helpers import run

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus():
    corpus, problems = build_corpus(ROOT)
    return corpus, problems


def test_content_checks_clean_without_warnings(corpus):
    _, problems = corpus
    assert [f"{p.file}:{p.line} [{p.code}] {p.message}" for p in problems.sorted()] == []


def test_every_record_has_sources_summary_and_keywords(corpus):
    entries = [e for e in corpus[0].entries.values() if e.type != "page"]
    missing = [f"{e.path}: {field}" for e in entries for field, ok in (
        # a reading path is made of records, each of them sourced: its own words are the editors' route through them
        ("sources", bool(e.meta.sources) or e.type == "path"),
        ("summary", bool(e.meta.summary or getattr(e.meta, "definition", None))),
        ("keywords", bool(e.meta.keywords)),
    ) if not ok]
    assert missing == []


def test_every_method_is_used_or_says_why(corpus):
    back = corpus[0].backlinks
    silent = [e.id for e in corpus[0].of_type("method") if not back.get(e.id, {}).get("methods") and not e.meta.usage_note]
    assert silent == []


def test_the_real_site_builds(real_site):
    """What a newcomer gets from a fresh clone: the whole site, built strictly by MkDocs (the session's build,
    conftest.real_repo, which fails on any MkDocs error)."""
    records = json.loads((real_site / "data" / "fiches.json").read_text(encoding="utf-8"))
    counts = {t: sum(r["type"] == t for r in records) for t in ("method", "term", "monograph", "concept", "resource")}
    assert counts["method"] >= 45 and counts["term"] >= 80 and counts["monograph"] >= 28
    assert counts["concept"] >= 20 and counts["resource"] >= 25


def test_every_link_of_the_real_site_resolves(real_repo):
    """Internal links, images, assets and anchors of every page, and the generator's graph (`linkcheck`)."""
    result = run(real_repo, "linkcheck", "--format", "json")
    report = json.loads(result.stdout)
    assert [(w["file"], w["line"], r["url"], r["message"]) for r in report["internal"] for w in r["where"]] == []
    assert result.returncode == 0
    assert report["pages"] >= 300 and report["links"] >= 20000
