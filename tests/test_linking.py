"""Wiki links, glossary terms in running text, backlinks and indexes."""

from __future__ import annotations

from generator import indexing
from generator.build import build_corpus
from generator.linking import variants

from .helpers import write


def body(repo, record_id):
    corpus, problems = build_corpus(repo)
    assert not problems.errors, problems.errors
    return corpus.bodies[record_id]


def method_body(repo, text: str, source: str = "rapport-test") -> str:
    """The method's body, linked, once its text is `text` (the method cites `source`)."""
    write(repo, "tools_methods/forum-ouvert.md",
          f"---\ntitle: Forum ouvert\nsummary: s\nsources: [{{ref: {source}, loc: p. 1}}]\n---\n\n{text}")
    return body(repo, "forum-ouvert")


def test_wiki_link_renders_title_and_relative_path(repo):
    text = body(repo, "cas-test")
    assert "[Forum ouvert](../methodes/forum-ouvert.md)" in text


def test_wiki_link_with_text_and_from_home(repo):
    write(repo, "content/index.md", "---\ntitle: Accueil\n---\n\nVoir [[forum-ouvert|la méthode]].\n")
    assert "[la méthode](methodes/forum-ouvert.md)" in body(repo, "index")


def test_term_linked_once_with_definition_tooltip(repo):
    text = body(repo, "forum-ouvert")
    assert text.count("../glossaire/economie-de-la-fonctionnalite-et-de-la-cooperation.md") == 1
    assert '[EFC](../glossaire/economie-de-la-fonctionnalite-et-de-la-cooperation.md "Modèle qui vend' in text
    assert "{ .efc-term }" in text


def test_plural_form_is_linked(repo):
    assert "[solutions intégrées](../glossaire/solution-integree.md" in body(repo, "forum-ouvert")


def test_capitalised_and_elided_forms(repo):
    # "d'Économie de la fonctionnalité…" in the monograph: elision and capital letter
    assert "d'[Économie de la fonctionnalité et de la coopération](../glossaire/" in body(repo, "cas-test")


def test_never_in_headings_code_links_or_own_page(repo):
    text = method_body(repo, "## Solution intégrée\n\n`solution intégrée` et [solution intégrée](https://example.org) "
                             "puis <span>EFC</span>.\n\n```\nEFC\n```\n")
    assert "glossaire/" not in text
    own = body(repo, "solution-integree")
    assert "solution-integree.md" not in own


def test_a_hash_inside_a_line_is_not_a_heading(repo):
    text = method_body(repo, "Le ticket #12 concerne l'EFC.\n\n   ### Une solution intégrée\n")
    assert "Le ticket #12 concerne l'[EFC](../glossaire/" in text
    assert "### Une solution intégrée" in text  # an indented heading is still protected


def test_word_boundaries(repo):
    assert "glossaire/" not in method_body(repo, "Les EFCs, l'EFC-bis et NEFC ne sont pas des termes.\n")


def test_homonyms_resolved_by_shared_sources(repo):
    write(repo, "content/ressources/autre.md", "---\ntitle: Autre\nkind: note\n---\n\nTexte.\n")
    write(repo, "glossary/entrepreneuriat.md", """\
        ---
        title: Entrepreneuriat coopératif de territoire
        definition: Sens Jura.
        aliases: [ECT]
        sources: [{ref: autre, loc: p. 1}]
        ---

        Texte.
        """)
    write(repo, "glossary/ecosysteme.md", """\
        ---
        title: Écosystème coopératif territorialisé
        definition: Sens ATEMIS.
        aliases: [ECT]
        sources: [{ref: rapport-test, loc: p. 1}]
        ---

        Texte.
        """)
    assert "[ECT](../glossaire/entrepreneuriat.md" in method_body(repo, "Un ECT.\n", source="autre")
    corpus, _ = build_corpus(repo)
    assert [t.id for t in indexing.homonyms(corpus)["ecosysteme"]] == ["entrepreneuriat"]


def test_backlinks_are_computed_on_both_ends(repo):
    corpus, _ = build_corpus(repo)
    back = corpus.backlinks
    assert back["forum-ouvert"]["methods"] == ["cas-test"]
    assert "cas-test" in back["rapport-test"]["source"]
    assert "forum-ouvert" in back["solution-integree"]["term"]


def test_variants_inflect_the_head_only():
    assert "solutions intégrées" in variants("solution intégrée")
    assert "externalité" in variants("externalités")
    assert "économies de la fonctionnalité" in variants("économie de la fonctionnalité")
    assert "tiers-lieux" in variants("tiers-lieu")
    assert variants("PTCE") == {"PTCE"}


def test_indexes(repo):
    write(repo, "glossary/ecole.md", "---\ntitle: École\ndefinition: x\n---\n\nTexte.\n")
    corpus, _ = build_corpus(repo)
    letters = dict(indexing.alphabet(corpus.of_type("term")))
    assert [t.id for t in letters["E"]] == ["ecole", "economie-de-la-fonctionnalite-et-de-la-cooperation"]
    assert sorted(e.id for e in indexing.keywords(corpus)["efc"]) == [
        "economie-de-la-fonctionnalite-et-de-la-cooperation", "efc-en-bref", "solution-integree"]
    phases = indexing.facet(corpus, corpus.of_type("method"), "phases", lambda meta: meta.phases)
    assert [(v, [e.id for e in g]) for v, g in phases.groups] == [("emergence", ["forum-ouvert"])]


def test_inner_capitals_are_case_sensitive(repo):
    write(repo, "glossary/loi-notre.md", """\
        ---
        title: Loi NOTRe
        definition: Réforme territoriale de 2015.
        aliases: [NOTRe]
        sources: [{ref: rapport-test, loc: p. 1}]
        ---

        Texte.
        """)
    text = method_body(repo, "Notre forum ouvert suit la loi NOTRe.\n")
    assert text.startswith("\nNotre forum") and "[loi NOTRe](../glossaire/loi-notre.md" in text


def test_short_singular_of_a_plural_title_is_not_linked(repo):
    write(repo, "glossary/communs.md", "---\ntitle: Communs\ndefinition: Ressources partagées.\n---\n\nTexte.\n")
    text = method_body(repo, "Un projet commun autour des communs.\n")
    assert "projet commun autour" in text and "[communs](../glossaire/communs.md" in text


def test_never_inside_the_tooltip_of_a_wiki_link(repo):
    """A definition with parentheses used to end the protected link early: terms got linked inside the title."""
    write(repo, "glossary/solution-integree.md", """\
        ---
        title: "Solution intégrée"
        definition: "Biens et services (conçus ensemble) au service de l'EFC."
        keywords: [efc]
        sources: [{ref: rapport-test, loc: p. 3}]
        ---

        Voir l'économie de la fonctionnalité.
        """)
    assert method_body(repo, "Une [[solution-integree]].\n") == ('\nUne [Solution intégrée](../glossaire/solution-integree.md '
                                          '"Biens et services (conçus ensemble) au service de l\'EFC.").\n')
