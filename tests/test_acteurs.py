"""Acteurs: a record type added through the registry alone, written from the sources, whose pages list what
each organisation takes part in (computed from the `acteurs` relation, never typed twice), and the
« Annuaire de l'accompagnement ». Proven on the real records and the real site (Chromium, axe-core)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml

from generator import registry
from generator.new import render_record

from .browser import AXE, DESKTOP, PHONE, axe, new_context, overflow, screenshot
from .conftest import ROOT, write

BASE = "/centre-ressources/"


def page_of(entry) -> str:
    return BASE + entry.page.removesuffix(".md") + "/"


def test_the_type_lives_in_the_registry():
    acteur = registry.TYPES["acteur"]
    assert (acteur.folder, acteur.section, acteur.index_title) == ("content/acteurs", "acteurs", "Acteurs")
    relation = registry.RELATION_BY_NAME["acteurs"]
    assert relation.target == "acteur" and set(relation.types) == {"monograph", "method", "resource"}
    assert {f.vocabulary for f in registry.facets_of("acteur")} >= {"actor_kinds", "actor_roles", "regions"}
    assert len({f.param for f in registry.FACETS}) == len(registry.FACETS)  # no facet hides another's URL parameter


def test_acteur_archetype_is_valid_and_a_wrong_reference_is_reported(repo):
    import json

    from .helpers import run

    write(repo, "content/acteurs/essai.md", render_record("acteur", "Essai acteur"))
    write(repo, "monographs/lien.md", "---\ntitle: Lien\nacteurs: [essai, inconnu, cas-test]\n---\n\nTexte.\n")
    problems = json.loads(run(repo, "check", "--format", "json").stdout)
    errors = [(p["file"], p["line"], p["code"]) for p in problems if p["severity"] == "error"]
    assert ("monographs/lien.md", 3, "ref-unknown") in errors and ("monographs/lien.md", 3, "ref-wrong-type") in errors
    assert not [e for e in errors if e[0] == "content/acteurs/essai.md"]


def test_every_acteur_cites_its_sources_with_lines(real_corpus):
    acteurs = real_corpus.of_type("acteur")
    published = [r.meta.link for r in real_corpus.of_type("resource") if r.meta.link]
    assert 15 <= len(acteurs) <= 25
    for acteur in acteurs:
        assert acteur.meta.sources and all(s.lines for s in acteur.meta.sources), acteur.id
        assert acteur.meta.roles, acteur.id
        if acteur.meta.url:  # a website only where a resource of the centre gives it, or flagged as found by the editors
            assert "url" in acteur.meta.inferred or any(link.startswith(acteur.meta.url) for link in published), acteur.id
        assert acteur.meta.address is None  # no source gives an address


def test_an_acteur_page_lists_everything_that_names_it(reader, chromium, real_corpus):
    context = new_context(chromium, **DESKTOP)
    page = context.new_page()
    for acteur in real_corpus.of_type("acteur"):
        naming = {page_of(e) for e in real_corpus.entries.values() if acteur.id in getattr(e.meta, "acteurs", [])}
        assert naming, acteur.id
        page.goto(reader + page_of(acteur)[len(BASE):])
        section = page.locator("h2#ou-cet-acteur-intervient")
        assert section.count() == 1, acteur.id
        listed = set(page.eval_on_selector_all(
            "h2#ou-cet-acteur-intervient ~ ul a[href]", "as => as.map(a => new URL(a.href).pathname)"))
        assert naming <= listed, (acteur.id, naming - listed)
    page.close()
    context.close()


def test_a_monograph_links_its_acteurs(reader, chromium, real_corpus):
    context = new_context(chromium, **DESKTOP)
    page = context.new_page()
    page.goto(reader + "monographies/clus-ter-jura/")
    links = set(page.eval_on_selector_all(".efc-acteurs a", "as => as.map(a => new URL(a.href).pathname)"))
    assert links == {page_of(real_corpus.entries[i]) for i in real_corpus.entries["clus-ter-jura"].meta.acteurs}
    context.close()


def test_annuaire_groups_structures_by_role_and_links_the_issue_form(reader, chromium, real_corpus):
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/structure.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Proposer une structure"
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids)) and all(item["type"] in {"markdown", "input", "textarea", "checkboxes"} for item in form["body"])
    roles = [o["label"] for o in next(i for i in form["body"] if i.get("id") == "roles")["attributes"]["options"]]
    assert roles == [v.label for v in real_corpus.vocabularies["actor_roles"].values()]
    for name, settings in (("annuaire-desktop", DESKTOP), ("annuaire-phone", PHONE)):
        context = new_context(chromium, **settings)
        page = context.new_page()
        page.goto(reader + "acteurs/annuaire/")
        for role in real_corpus.vocabularies["actor_roles"]:
            offering = {page_of(a) for a in real_corpus.of_type("acteur") if role in a.meta.roles}
            rows = set(page.eval_on_selector_all(
                f"h2#{role} + p + .efc-table a[href]", "as => as.map(a => new URL(a.href).pathname)"))
            assert rows == offering, role
        propose = page.get_by_role("link", name="Proposer une structure")
        assert re.search(r"/issues/new\?template=structure\.yml$", propose.get_attribute("href"))
        width = overflow(page)
        assert width["scrollWidth"] <= width["innerWidth"], width["culprits"]
        screenshot(page, name)
        context.close()


@pytest.mark.parametrize("path", ["carte/", "acteurs/scic-clus-ter-jura/", "acteurs/annuaire/", "acteurs/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(reader, chromium, path, scheme):
    from .conftest import missing

    if not AXE.is_file():
        missing("axe-core introuvable : npm ci")
    for settings in (DESKTOP, PHONE) if scheme == "light" else (DESKTOP,):
        # axe is injected as an inline script, which the site's Content-Security-Policy refuses: the test bypasses it
        context = new_context(chromium, **settings, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        page.goto(reader + path)
        page.wait_for_load_state("networkidle")
        found = [f"{v['impact']} {v['id']}: {node['target']}" for v in axe(page) if v["impact"] in ("serious", "critical")
                 for node in v["nodes"]]
        assert found == [], found
        if path == "acteurs/scic-clus-ter-jura/":
            screenshot(page, f"acteur-{scheme}-{settings['viewport']['width']}")
        context.close()
    assert urlsplit(reader).hostname == "127.0.0.1"


def test_close_dynamics_state_their_reason(reader, chromium, real_corpus):
    """« Dynamiques proches » on a monograph: each other dynamic with what it shares (acteurs, programme…)."""
    context = new_context(chromium, **DESKTOP)
    page = context.new_page()
    page.goto(reader + "monographies/maison-de-l-alimentation-arbois/")
    items = page.locator("h2#dynamiques-proches + ul > li")
    assert items.count() >= 3
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    assert any("Acteur commun\u202f: Clus'Ter Jura (SCIC)" in t and "même département\u202f: Jura (39)" in t for t in texts), texts
    related = {page_of(real_corpus.entries[i]) for i in real_corpus.entries["maison-de-l-alimentation-arbois"].meta.related}
    listed = set(page.eval_on_selector_all("h2#dynamiques-proches + ul a[href]", "as => as.map(a => new URL(a.href).pathname)"))
    assert not listed & related  # a page already listed in « Voir aussi » is not repeated
    context.close()
