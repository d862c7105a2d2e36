"""check on every core gives the same corpus and problems as in one process."""

from __future__ import annotations

import os
import threading

from generator import parallel
from generator.build import build_corpus

from .helpers import RECORDS, make_repo, write


def _double(context, value):
    return (context, value * 2, os.getpid())


def test_starmap_uses_workers_and_keeps_the_order():
    items = [(i,) for i in range(parallel.MIN_ITEMS + 5)]
    results = parallel.starmap(_double, items, "ctx")
    assert [r[:2] for r in results] == [("ctx", i * 2) for i in range(len(items))]
    pids = {r[2] for r in results}
    if parallel.workers() > 1 and threading.active_count() == 1:  # the context reached forked workers
        assert os.getpid() not in pids
    else:  # one core, or other threads in this process (a browser test's server): never forked
        assert pids == {os.getpid()}
    assert parallel.starmap(_double, items[:3], "ctx") == [("ctx", i * 2, os.getpid()) for i in range(3)]


def test_parallel_and_sequential_builds_agree(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, RECORDS)
    for i in range(60):
        write(repo, f"tools_methods/methode-{i:02d}.md", f"---\ntitle: Méthode {i}\nphases: [emergenc]\n---\n\n"
              f"Le forum ouvert et l'EFC, voir [[forum-ouvert]] et [[absente-{i}]] <script>x</script>.\n")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    assert parallel.workers() >= 1
    together, problems_together = build_corpus(repo)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    alone, problems_alone = build_corpus(repo)
    assert problems_together.sorted() == problems_alone.sorted()
    assert len(problems_alone.errors) == 3 * 60
    assert together.bodies == alone.bodies
    assert together.links == alone.links
