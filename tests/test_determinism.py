"""Deterministic builds: the same repository built twice, in two folders, by two processes with different
hash seeds (set and dict order), gives the same build/docs and site/, byte for byte.

Nothing is excluded. The only date in the output is the sitemap's (<lastmod> and the mtime field of
sitemap.xml.gz's gzip header): MkDocs takes the day of the build unless SOURCE_DATE_EPOCH is set, and the
generator sets it to the newest `updated` date of the records (a repository without any `updated` date gets
the day of the build, as with plain MkDocs).
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

from .conftest import RECORDS, ROOT, make_repo
from .test_browser import EXTRA

HOMONYMS = {  # two meanings of one acronym: the choice between them must not depend on set order
    "glossary/ecosysteme-cooperatif-territorialise.md":
        "---\ntitle: Écosystème coopératif territorialisé\ndefinition: Un système d'acteurs.\naliases: [ECT]\n"
        "sources: [{ref: rapport-test, loc: p. 11}]\nupdated: 2025-03-14\n---\n\nL'ECT selon ATEMIS.\n",
    "glossary/entrepreneuriat-cooperatif-de-territoire.md":
        "---\ntitle: Entrepreneuriat coopératif de territoire\ndefinition: Un processus.\naliases: [ECT]\n"
        "sources: [{ref: atemis-ect-2024, loc: p. 3}]\nupdated: 2024-01-02\n---\n\nL'ECT du Clus'Ter.\n",
    "tools_methods/ect-partout.md":
        "---\ntitle: ECT partout\nsummary: Les deux ECT.\nsources: [{ref: rapport-test, loc: p. 12}]\n---\n\n"
        "L'ECT, les externalités, le tiers-lieu et les PTCE.\n",
}


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(repo: Path, seed: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONPATH=str(ROOT), PYTHONHASHSEED=seed)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(repo)], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr


def test_two_builds_are_identical_byte_for_byte(tmp_path):
    records = {**RECORDS, **EXTRA, **HOMONYMS}
    first, second = make_repo(tmp_path / "one", records), make_repo(tmp_path / "two", records)
    build(first, "1")
    build(second, "2")
    for output in ("build/docs", "site"):
        a, b = files(first / output), files(second / output)
        assert sorted(a) == sorted(b)
        assert [name for name in a if a[name] != b[name]] == [], output
    sitemap = (first / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2025-03-14</lastmod>" in sitemap  # the newest `updated`, not the day of the build
    with gzip.open(first / "site" / "sitemap.xml.gz") as compressed:
        compressed.read()
        assert compressed.mtime == 1741910400  # 2025-03-14T00:00:00Z
