"""The cache of per-file results: same answers as a fresh run, only unchanged work skipped."""

from __future__ import annotations

from generator.build import build_corpus
from generator.cache import CACHE_DIR, SHARDS, Cache

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
    assert list((repo / CACHE_DIR).glob("corpus-*.pickle"))  # in shards by file (only those that hold some)

    cache = Cache(repo)
    assert len(cache.old) == len(first_corpus.entries) * 4  # hash (by file status), parse, html and render of every record
    # the cache keeps no body: a record's is read again from its unchanged file, the linked ones are kept apart
    parsed = [value[0] for key, value in cache.old.items() if key[0] == "parse" and value[0] is not None]
    assert parsed and all(record._body is None for record in parsed)
    assert all(value.body is None for key, value in cache.old.items() if key[0] == "render")

    second_corpus, second = run(repo)
    assert second == first
    assert second_corpus.bodies == first_corpus.bodies
    assert [e.raw.body for e in second_corpus.entries.values()] == [e.raw.body for e in first_corpus.entries.values()]
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
    for shard in shards(repo):
        shard.write_bytes(b"not a pickle")
    corpus, problems = build_corpus(repo)  # cache=False, as `check --no-cache`
    assert corpus.bodies["forum-ouvert"] and not problems.errors
    assert {shard.read_bytes() for shard in shards(repo)} == {b"not a pickle"}


def test_unreadable_cache_is_ignored_and_replaced(repo):
    for shard in shards(repo):
        shard.parent.mkdir(parents=True, exist_ok=True)
        shard.write_bytes(b"not a pickle")
    _, problems = run(repo)
    assert not [p for p in problems if p.severity == "error"]
    assert len(Cache(repo).old) == 4 * len(build_corpus(repo)[0].entries)  # rewritten, readable


def test_one_change_rewrites_one_shard_and_check_reads_no_body(repo):
    """A contributor's check after editing one body: one shard of results is written again, the rendered bodies
    (read by build, not by check) are neither read nor written, and the answers are those of a run without cache."""
    build_corpus(repo, cache=True)  # as `build`: results and rendered bodies kept
    path = repo / "tools_methods/forum-ouvert.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nUn paragraphe de plus sur la solution intégrée.\n", encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in (repo / CACHE_DIR).glob("*.pickle")}
    cache = Cache(repo)
    corpus, problems = build_corpus_with(repo, cache, bodies=False)
    after = {p: p.stat().st_mtime_ns for p in (repo / CACHE_DIR).glob("*.pickle")}
    assert [p.name for p in before if after[p] != before[p]] == [f"corpus-{_shard_of(path, repo):02d}.pickle"]
    assert cache.texts is None and corpus.bodies == {}
    fresh_corpus, fresh = build_corpus(repo)
    assert problems.sorted() == fresh.sorted() and corpus.links == fresh_corpus.links
    # and build, next, renders that body again (not in the texts) and takes the others from the cache
    corpus = build_corpus(repo, cache=True)[0]
    assert corpus.bodies == fresh_corpus.bodies


def test_a_field_that_no_body_shows_links_no_body_again(repo):
    """Editing a method's summary changes no other page's links: only that file is parsed and linked again."""
    cache, corpus = edit_then_build(repo, "summary: Un grand groupe", "summary: Un très grand groupe")
    assert cache.hits == len(corpus.entries) * 4 - 4
    assert corpus.entries["forum-ouvert"].meta.summary.startswith("Un très grand groupe")


def test_a_changed_title_links_every_body_again(repo):
    """A title is the text of the wiki links to it: every body is linked again, and shows it."""
    cache, corpus = edit_then_build(repo, 'title: "Forum ouvert"', 'title: "Forum ouvert, ou Open Space"')
    assert cache.hits == 3 * (len(corpus.entries) - 1)
    assert any("Forum ouvert, ou Open Space" in body for record_id, body in corpus.bodies.items() if record_id != "forum-ouvert")


def edit_then_build(repo, old: str, new: str):
    """After a first run, replace `old` by `new` in the forum-ouvert method and build again: (cache, corpus)."""
    run(repo)
    path = repo / "tools_methods/forum-ouvert.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    cache = Cache(repo)
    return cache, build_corpus_with(repo, cache)[0]


def build_corpus_with(repo, cache, bodies=True):
    """build_corpus with a Cache we can inspect (same code path as the CLI)."""
    return build_corpus(repo, cache, bodies)


def shards(repo) -> list:
    return [repo / CACHE_DIR / f"corpus-{i:02d}.pickle" for i in range(SHARDS)]


def _shard_of(path, repo) -> int:
    from generator.cache import _shard

    return _shard(("parse", path.relative_to(repo).as_posix()))
