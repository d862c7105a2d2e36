"""Deterministic builds: the same repository built twice, in two folders, by two processes with different
hash seeds (set and dict order), gives the same build/docs and site/, byte for byte.

Nothing of ours is excluded. Pagefind's index (site/pagefind/) is the exception its own maintainers state: since
Pagefind 1.3 its fragments (one per page: what a result shows) are stable between runs, but its filter, word-index
and metadata files and the entry file that names them are not (Pagefind/pagefind#638): for those the test checks
that the same number of files of each kind is written. The only date in the output is the sitemap's (<lastmod> and the mtime field of
sitemap.xml.gz's gzip header): MkDocs takes the day of the build unless SOURCE_DATE_EPOCH is set, and the
generator sets it to the newest `updated` date of the records (a repository without any `updated` date gets
the day of the build, as with plain MkDocs).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from .helpers import BUILT, BUILT_SEED, make_repo, run


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(repo: Path, seed: str) -> None:
    result = run(repo, "build", env={"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": None})
    assert result.returncode == 0, result.stderr


@pytest.mark.build  # through build() above
def test_two_builds_are_identical_byte_for_byte(built_repo, tmp_path):
    first = built_repo  # the session's build of BUILT, with the hash seed BUILT_SEED (conftest.py)
    second = make_repo(tmp_path / "two", BUILT)
    build(second, str(int(BUILT_SEED) + 1))
    for output in ("build/docs", "site"):
        a, b = files(first / output), files(second / output)
        unstable = {name for name in a | b if name.startswith("pagefind/") and not name.startswith("pagefind/fragment/")
                    and (name.rsplit(".", 1)[-1] in ("pf_filter", "pf_index", "pf_meta") or name.endswith("pagefind-entry.json"))}
        assert sorted(set(a) - unstable) == sorted(set(b) - unstable)
        assert [name for name in a if name not in unstable and a[name] != b[name]] == [], output
        kinds = [sorted(name.rsplit(".", 1)[-1] for name in side if name in unstable) for side in (a, b)]
        assert kinds[0] == kinds[1] and (output == "build/docs" or kinds[0]), output
    sitemap = (first / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2025-03-14</lastmod>" in sitemap  # the newest `updated`, not the day of the build
    with gzip.open(first / "site" / "sitemap.xml.gz") as compressed:
        compressed.read()
        assert compressed.mtime == 1741910400  # 2025-03-14T00:00:00Z
