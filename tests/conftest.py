"""Shared fixtures: a small but complete repository built in a temporary folder; the repository's own
records built once per session; one headless Chromium for the session."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RECORDS = {
    "content/ressources/rapport-test.md": """\
        ---
        title: "Rapport de test sur la coopération"
        summary: Un rapport fictif pour les tests.
        kind: rapport
        authors: [Labo de test]
        year: 2020
        keywords: [cooperation]
        sources:
          - ref: rapport-test
            loc: "page 1"
        ---

        Le rapport décrit l'économie de la fonctionnalité et de la coopération.
        """,
    "glossary/economie-de-la-fonctionnalite-et-de-la-cooperation.md": """\
        ---
        title: "Économie de la fonctionnalité et de la coopération"
        definition: "Modèle qui vend des effets utiles plutôt que des biens."
        aliases: [EFC]
        keywords: [efc]
        sources:
          - ref: rapport-test
            loc: "page 2"
        ---

        Une notion centrale, liée à la [[solution-integree]].
        """,
    "glossary/solution-integree.md": """\
        ---
        title: "Solution intégrée"
        definition: "Ensemble de biens et de services conçus ensemble."
        keywords: [efc]
        sources:
          - ref: rapport-test
            loc: "page 3"
        ---

        Voir l'économie de la fonctionnalité.
        """,
    "tools_methods/forum-ouvert.md": """\
        ---
        title: "Forum ouvert"
        summary: Un grand groupe construit son ordre du jour.
        keywords: [animation]
        phases: [emergence]
        steps: ["Choisir un thème.", "Ouvrir la place du marché."]
        sources:
          - ref: rapport-test
            loc: "page 4"
        ---

        ## Principe

        Le forum ouvert sert l'EFC et produit des solutions intégrées pour le territoire.
        """,
    "monographs/cas-test.md": """\
        ---
        title: "Cas de test"
        summary: Une dynamique fictive.
        dynamic_type: ptce
        place: {commune: Arbois, departement: "Jura (39)", region: bourgogne-franche-comte, lat: 46.9, lon: 5.77}
        themes: [alimentation]
        methods: [forum-ouvert]
        related: [efc-en-bref]
        keywords: [cooperation]
        sources:
          - ref: rapport-test
            loc: "page 5"
          - {ref: labo-ess-dynamiques-collectives-2020, loc: "p. 1"}
          - {ref: atemis-ect-2024, loc: "p. 2"}
        ---

        ## Le ressort

        Les acteurs ont employé un [[forum-ouvert]] et parlent d'Économie de la fonctionnalité et de la coopération.
        """,
    "content/referentiel/efc-en-bref.md": """\
        ---
        title: "L'EFC en bref"
        summary: Les bases.
        items:
          - label: Premier principe
            text: Vendre l'usage.
        related: [cas-test]
        keywords: [efc]
        sources:
          - ref: rapport-test
            loc: "page 6"
        ---

        Le référentiel en quelques mots.
        """,
    # the two seed resources the `new` archetypes cite
    "content/ressources/labo-ess-dynamiques-collectives-2020.md":
        "---\ntitle: Dynamiques collectives\nkind: rapport\n---\n\nRapport.\n",
    "content/ressources/atemis-ect-2024.md": "---\ntitle: Note ECT\nkind: note\n---\n\nNote.\n",
    "content/index.md": "---\ntitle: Accueil\n---\n\nBienvenue. Voir [[forum-ouvert]].\n",
    "content/a-propos.md": "---\ntitle: À propos\n---\n\nLe projet.\n",
    "content/licence.md": "---\ntitle: Licence\n---\n\nCC BY-SA 4.0.\n",
}


def missing(message: str) -> None:
    """A tool or data set a test needs is absent: skip locally, fail in CI (EFC_STRICT_TESTS or CI set)."""
    if os.environ.get("EFC_STRICT_TESTS") or os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_repo(root: Path, records: dict[str, str]) -> Path:
    """A repository with the real vocabularies, mkdocs.yml and theme overrides, and the given records."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content" / "vocabulaires.yml", root / "content" / "vocabulaires.yml")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    for rel, text in records.items():
        write(root, rel, text)
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A valid repository with a few records of each type."""
    return make_repo(tmp_path, RECORDS)


SOURCES = ("content", "glossary", "tools_methods", "monographs", "overrides", "mkdocs.yml")


@pytest.fixture(scope="session")
def real_repo(tmp_path_factory) -> Path:
    """A copy of the repository's own records, built once per session by the generator and MkDocs (strict)."""
    from .test_cli import run

    repo = tmp_path_factory.mktemp("real-repo")
    for item in SOURCES:
        source = ROOT / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, repo / item)
    result = run(repo, "build")
    assert result.returncode == 0, result.stderr[-3000:]
    return repo


@pytest.fixture(scope="session")
def real_site(real_repo) -> Path:
    return real_repo / "site"


@pytest.fixture(scope="session")
def real_corpus():
    """The repository's records as the generator reads them (front matter, links, backlinks)."""
    from generator.build import build_corpus

    corpus, problems = build_corpus(ROOT)
    assert not problems.errors
    return corpus


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the whole session."""
    from .browser import launch, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def reader(real_site, chromium) -> str:
    """The real site served on 127.0.0.1 under the path of its site_url, as GitHub Pages serves it."""
    from urllib.parse import urlsplit

    from generator.site import settings

    from .browser import Server

    with Server(real_site, base=urlsplit(settings(ROOT).site_url).path or "/") as server:
        yield server.url
