"""The cache of per-file results: same answers as a fresh run, only unchanged work skipped."""

from __future__ import annotations

from generator.build import build_corpus
from generator.cache import CACHE_FILE, Cache

from .helpers import write

BROKEN_METHOD = """\
    ---
    title: "Méthode cassée"
    phases: [emergenc]
    ---

    Voir [[forum-ouvrt]] et <script>alert(1)</script>.
    """


def run(repo):
    corpus, problems = build_corpus(repo, cache=True)
    return corpus, problems.sorted()


def test_second_run_gives_the_same_corpus_and_problems_from_the_cache(repo):
    write(repo, "tools_methods/cassee.md", BROKEN_METHOD)
    first_corpus, first = run(repo)
    assert {p.code for p in first} >= {"vocabulary-unknown", "wikilink-unknown", "html-forbidden"}
    assert (repo / CACHE_FILE).is_file()

    cache = Cache(repo)
    assert len(cache.old) == len(first_corpus.entries) * 4  # hash (by file status), parse, html and render of every record

    second_corpus, second = run(repo)
    assert second == first
    assert second_corpus.bodies == first_corpus.bodies
    assert second_corpus.links == first_corpus.links
    assert {i: e.meta for i, e in second_corpus.entries.items()} == {i: e.meta for i, e in first_corpus.entries.items()}


def test_edited_body_is_parsed_again_and_others_are_not(repo):
    run(repo)
    write(repo, "tools_methods/forum-ouvert.md", (repo / "tools_methods/forum-ouvert.md").read_text(encoding="utf-8")
          .replace("Le forum ouvert sert", "Le forum ouvert, écrit avec <iframe src=x></iframe>, sert"))
    cache = Cache(repo)
    corpus, problems = build_corpus_with(repo, cache)
    assert [(p.file, p.code) for p in problems.errors] == [("tools_methods/forum-ouvert.md", "html-forbidden")]
    # everything but the edited file came from the cache: its hash, parse, html check and rendering were redone
    assert cache.hits == len(corpus.entries) * 4 - 4


def test_changed_front_matter_renders_every_body_again(repo):
    run(repo)
    path = repo / "glossary/solution-integree.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Ensemble de biens", "Bouquet de biens"), encoding="utf-8")
    cache = Cache(repo)
    corpus, _ = build_corpus_with(repo, cache)
    # unchanged files are not read nor parsed again, but every body is linked again (a definition changed)
    assert cache.hits == 3 * (len(corpus.entries) - 1)
    assert '"Bouquet de biens' in corpus.bodies["forum-ouvert"]


def test_without_the_cache_nothing_is_read_or_written(repo):
    run(repo)
    (repo / CACHE_FILE).write_bytes(b"not a pickle")
    corpus, problems = build_corpus(repo)  # cache=False, as `check --no-cache`
    assert corpus.bodies["forum-ouvert"] and not problems.errors
    assert (repo / CACHE_FILE).read_bytes() == b"not a pickle"


def test_unreadable_cache_is_ignored_and_replaced(repo):
    (repo / CACHE_FILE).parent.mkdir(parents=True)
    (repo / CACHE_FILE).write_bytes(b"not a pickle")
    _, problems = run(repo)
    assert not [p for p in problems if p.severity == "error"]
    assert Cache(repo).old  # rewritten, readable


def build_corpus_with(repo, cache):
    """build_corpus with a Cache we can inspect (same code path as the CLI)."""
    from generator import build as validate

    return validate.build_corpus(repo, cache)
