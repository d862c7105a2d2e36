"""Every validation error names the file and the line, with a code and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build_corpus

from .helpers import write


def problems_of(root: Path, code: str | None = None):
    _, problems = build_corpus(root)
    return [p for p in problems.items if code is None or p.code == code]


def only(root: Path, code: str):
    found = problems_of(root, code)
    assert len(found) == 1, problems_of(root)
    return found[0]


def test_valid_repository_has_no_problem(repo):
    assert problems_of(repo) == []


def test_missing_front_matter(repo):
    write(repo, "glossary/sans-entete.md", "Juste du texte.\n")
    p = only(repo, "front-matter-missing")
    assert (p.file, p.line) == ("glossary/sans-entete.md", 1)
    assert "---" in p.hint


def test_unclosed_front_matter(repo):
    write(repo, "glossary/ouvert.md", "---\ntitle: x\n")
    assert only(repo, "front-matter-unclosed").file == "glossary/ouvert.md"


def test_yaml_syntax_error_gives_its_line(repo):
    write(repo, "glossary/casse.md", "---\ntitle: Terme\ndefinition: une: deux\n---\n\nTexte.\n")
    p = only(repo, "yaml-syntax")
    assert p.line == 3


def test_tab_in_yaml(repo):
    write(repo, "glossary/tab.md", "---\ntitle: Terme\n\tdefinition: x\n---\n\nTexte.\n")
    assert only(repo, "yaml-tab").line == 3


def test_duplicated_key(repo):
    write(repo, "glossary/double.md", "---\ntitle: A\ndefinition: x\ntitle: B\n---\n\nTexte.\n")
    p = only(repo, "yaml-duplicate-key")
    assert p.line == 4 and "title" in p.message


def test_not_utf8(repo):
    (repo / "glossary" / "latin.md").write_bytes("---\ntitle: Économie\n---\n\nTexte.\n".encode("latin-1"))
    p = only(repo, "encoding")
    assert p.line == 2 and "UTF-8" in p.hint


def test_missing_field(repo):
    write(repo, "glossary/incomplet.md", "---\ntitle: Terme\nkeywords: [efc]\n---\n\nTexte.\n")
    p = only(repo, "field-missing")
    assert "definition" in p.message and p.file == "glossary/incomplet.md"


def test_mistyped_field_points_at_its_line(repo):
    write(repo, "monographs/annee.md", """\
        ---
        title: Cas
        summary: Un cas.
        start_year: deux mille
        sources: [{ref: rapport-test, loc: p. 1}]
        ---

        Texte.
        """)
    p = only(repo, "field-type")
    assert p.line == 4 and "nombre entier" in p.message


def test_unknown_field_suggests_the_right_one(repo):
    write(repo, "glossary/typo.md", "---\ntitle: Terme\ndefintion: x\n---\n\nTexte.\n")
    p = only(repo, "field-unknown")
    assert p.line == 3 and "definition" in p.hint


def test_value_outside_vocabulary_suggests(repo):
    write(repo, "tools_methods/phase.md", """\
        ---
        title: Méthode
        summary: Une méthode.
        phases: [emergense]
        sources: [{ref: rapport-test, loc: p. 1}]
        ---

        Texte.
        """)
    p = only(repo, "vocabulary-unknown")
    assert p.line == 4 and "emergence" in p.hint


def test_duplicate_id_names_both_files(repo):
    write(repo, "tools_methods/solution-integree.md", "---\ntitle: Doublon\n---\n\nTexte.\n")
    p = only(repo, "id-duplicate")
    named = {p.file} | {word.rstrip(".") for word in p.message.split() if word.rstrip(".").endswith(".md")}
    assert named == {"tools_methods/solution-integree.md", "glossary/solution-integree.md"}


@pytest.mark.parametrize(("method", "code", "expected"), [
    ("forum-ouvrt", "ref-unknown", "vouliez-vous dire « forum-ouvert » ?"),  # typo: suggest the closest id
    ("solution-integree", "ref-wrong-type", "« solution-integree » est un terme"),  # a term where a method is expected
])
def test_method_references(repo, method, code, expected):
    write(repo, "monographs/autre.md", f"""\
        ---
        title: Autre cas
        summary: Un cas.
        methods: [{method}]
        sources: [{{ref: rapport-test, loc: p. 1}}]
        ---

        Texte.
        """)
    p = only(repo, code)
    assert p.line == 4 and expected in p.message + p.hint


def test_source_pointing_to_no_resource(repo):
    write(repo, "glossary/sourcee.md", """\
        ---
        title: Terme sourcé
        definition: Un terme.
        sources:
          - ref: rapport-tset
            loc: p. 1
        ---

        Texte.
        """)
    p = only(repo, "ref-unknown")
    assert p.line == 5 and "rapport-test" in p.hint


def test_unresolved_wiki_link_gives_body_line(repo):
    write(repo, "glossary/wiki.md", "---\ntitle: Terme\ndefinition: x\n---\n\nLigne un.\n\nVoir [[forum-ouvet]].\n")
    p = only(repo, "wikilink-unknown")
    assert p.line == 8 and "forum-ouvert" in p.hint


def test_empty_body(repo):
    write(repo, "glossary/vide.md", "---\ntitle: Terme\ndefinition: x\n---\n\n")
    assert only(repo, "body-empty").file == "glossary/vide.md"


def test_invalid_file_name(repo):
    write(repo, "glossary/Mon Terme.md", "---\ntitle: Terme\ndefinition: x\n---\n\nTexte.\n")
    p = only(repo, "id-invalid")
    assert "mon-terme.md" in p.hint


@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=x></object>",
    "<embed src=x>",
    "<style>body{}</style>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "![image](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
])
def test_forbidden_html_in_body(repo, snippet):
    write(repo, "glossary/piege.md", f"---\ntitle: Terme\ndefinition: x\n---\n\nTexte.\n\n{snippet}\n")
    found = problems_of(repo, "html-forbidden")
    assert found and all(p.line == 8 for p in found)


def test_html_in_front_matter_field(repo):
    write(repo, "glossary/piege.md", '---\ntitle: "<img src=x onerror=alert(1)>"\ndefinition: x\n---\n\nTexte.\n')
    assert only(repo, "html-in-field").line == 2


def test_html_in_code_is_allowed(repo):
    body = "Écrire `<script>` est interdit.\n\n```\n<script></script>\n```\n"
    write(repo, "glossary/code.md", "---\ntitle: Terme\ndefinition: x\n---\n\n" + body)
    assert problems_of(repo, "html-forbidden") == []


def test_yaml_alias_bomb_is_refused(repo):
    bomb = "---\ntitle: Terme\ndefinition: x\na: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n\nTexte.\n"
    write(repo, "glossary/bombe.md", bomb)
    assert only(repo, "yaml-shape").file == "glossary/bombe.md"


def test_all_errors_reported_in_one_pass(repo):
    write(repo, "glossary/a.md", "---\ntitle: A\n---\n\nTexte.\n")
    write(repo, "glossary/b.md", "Pas d'en-tête\n")
    write(repo, "glossary/c.md", "---\ntitle: C\ndefinition: x\n---\n\nVoir [[nulle-part]].\n")
    codes = {p.code for p in problems_of(repo)}
    assert {"field-missing", "front-matter-missing", "wikilink-unknown"} <= codes


def test_warnings_orphan_and_unused_term(repo):
    write(repo, "glossary/isole.md", "---\ntitle: Zyzomys\ndefinition: x\n---\n\nTexte.\n")
    write(repo, "tools_methods/seule.md", "---\ntitle: Seule\nsummary: s\n---\n\nTexte.\n")
    warnings = {(p.file, p.code) for p in problems_of(repo) if p.severity == "warning"}
    assert ("glossary/isole.md", "term-unused") in warnings
    assert ("tools_methods/seule.md", "orphan") in warnings


def test_binary_file(repo):
    (repo / "glossary" / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert only(repo, "file-binary").file == "glossary/image.md"


def test_symlink_outside_the_repository(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text("---\ntitle: Secret\ndefinition: x\n---\n\nTexte.\n", encoding="utf-8")
    (repo / "glossary" / "lien.md").symlink_to(outside)
    assert only(repo, "file-symlink").file == "glossary/lien.md"


def test_huge_file_is_refused_without_reading_it(repo):
    write(repo, "glossary/enorme.md", "---\ntitle: Terme\ndefinition: x\n---\n\n" + "mot " * 1_000_000)
    assert only(repo, "file-too-large").file == "glossary/enorme.md"


def test_vocabulary_entry_errors_give_their_line(repo):
    path = repo / "content" / "vocabulaires.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "keywords:\n", "keywords:\n  sans-libelle:\n    definition: Pas de libellé.\n", 1), encoding="utf-8")
    p = only(repo, "vocabulary-entry")
    assert (p.file, p.line) == ("content/vocabulaires.yml", 6)


def test_bom_and_crlf_are_accepted(repo):
    text = "\ufeff---\r\ntitle: Terme BOM\r\ndefinition: x\r\n---\r\n\r\nLe forum ouvert.\r\n"
    (repo / "glossary" / "bom.md").write_bytes(text.encode("utf-8"))
    corpus, problems = build_corpus(repo)
    assert "bom" in corpus.entries and not [p for p in problems.errors if p.file == "glossary/bom.md"]


def test_vocabulary_ids_are_slugs(repo):
    """A keyword id becomes a page name (mots-cles/<id>.md): "../x" must never reach the emitter."""
    path = repo / "content" / "vocabulaires.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "keywords:\n", "keywords:\n  ../../../dehors:\n    label: Dehors\n    definition: Un chemin.\n", 1), encoding="utf-8")
    corpus, problems = build_corpus(repo)
    p = only(repo, "vocabulary-id")
    assert (p.file, p.line) == ("content/vocabulaires.yml", 6) and "« dehors »" in p.hint
    assert "../../../dehors" not in corpus.vocabularies["keywords"]


def test_html_in_vocabulary_label(repo):
    """Labels and definitions reach keyword and facet pages (and their front matter) like record fields."""
    path = repo / "content" / "vocabulaires.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    label: Coopération\n", "    label: \"<img src=x onerror=alert(1)>\"\n", 1), encoding="utf-8")
    p = only(repo, "html-in-field")
    assert (p.file, p.line) == ("content/vocabulaires.yml", 7) and "keywords › cooperation › label" in p.message
