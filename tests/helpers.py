"""What the tests share, in one place: the repository's root, a small valid repository, the command line, a built
site served on 127.0.0.1, and waiting for an event. Fixtures live in conftest.py; no test module imports another."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

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

# a few more terms and a method, for the search and the tooltips of tests/test_browser.py and tests/test_determinism.py
EXTRA = {
    "glossary/externalites.md": """\
        ---
        title: Externalités
        definition: Effets d'une activité sur des tiers, positifs ou négatifs, sans contrepartie.
        sources: [{ref: rapport-test, loc: p. 7}]
        ---

        Les externalités sont au cœur de l'évaluation.
        """,
    "glossary/pole-territorial-de-cooperation-economique.md": """\
        ---
        title: Pôle territorial de coopération économique (PTCE)
        definition: Regroupement d'acteurs de l'ESS et d'entreprises sur un territoire.
        sources: [{ref: rapport-test, loc: p. 8}]
        ---

        Les PTCE sont reconnus par la loi de 2014.
        """,
    "glossary/tiers-lieu.md": """\
        ---
        title: Tiers-lieu
        definition: Lieu partagé d'activités, ni domicile ni travail.
        aliases: [tiers-lieux, tiers lieu]
        sources: [{ref: rapport-test, loc: p. 9}]
        ---

        Un tiers lieu accueille des activités variées.
        """,
    "tools_methods/cafe-citoyen.md": """\
        ---
        title: Café citoyen
        summary: Une rencontre conviviale.
        sources: [{ref: rapport-test, loc: p. 10}]
        ---

        Un café citoyen se tient dans un tiers-lieu et parle des externalités et des PTCE.
        """,
}

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

# the small repository that conftest's `built_repo` builds once per session, with this hash seed, for every test
# that only reads a small built site (pages, search, tooltips, determinism)
BUILT = {**RECORDS, **EXTRA, **HOMONYMS}
BUILT_SEED = "1"

# what a copy of the repository's own records needs to be built
SOURCES = ("content", "glossary", "tools_methods", "monographs", "overrides", "mkdocs.yml", ".github")  # .github: issue forms


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


def copy_real_repo(root: Path) -> Path:
    """A copy of the repository's own records, vocabularies, configuration and overrides."""
    root.mkdir(parents=True, exist_ok=True)
    for item in SOURCES:
        source = ROOT / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / item)
    return root


def copy_built(built: Path, root: Path) -> Path:
    """A private copy of a repository that a session fixture built: the test may edit and rebuild it."""
    shutil.copytree(built, root, symlinks=True)
    return root


# --- the command line ---------------------------------------------------------------------------------------

BUILDING = ("build", "serve")  # the commands that run MkDocs


def run(repo: Path, *args: str, timeout: int = 300, cwd: Path | None = None,
        env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
    """`python -m generator ARGS --root REPO` in a new process, as a contributor types it; `env` adds variables to
    the environment (None removes one)."""
    if args and args[0] in BUILDING:
        refuse_build_in_fast_loop()
    environment = {k: v for k, v in {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}.items() if v is not None}
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(repo)],
                          capture_output=True, text=True, env=environment, timeout=timeout, cwd=cwd)


FAST_LOOP = "EFC_FAST_TESTS"  # set by conftest.py when the run deselects the `build` marker (./dev test --fast)


def refuse_build_in_fast_loop() -> None:
    """A test that builds but was not marked `build` fails the fast loop at once instead of slowing it down."""
    if os.environ.get(FAST_LOOP):
        pytest.fail("ce test lance MkDocs mais n'est pas marqué : ajoutez @pytest.mark.build "
                    "(ou passez par une fixture qui construit, marquée dans conftest.py)")


# --- waiting for an event -----------------------------------------------------------------------------------

def wait_until(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """Poll `condition` until it returns something true (returned), at most `timeout` seconds: a hang fails the
    test with `what` instead of blocking the suite. Waits for the event, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"{what} : rien après {timeout:g} s")
        time.sleep(interval)


# --- HTTP on 127.0.0.1 --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    """The body of a page, or None while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


class Server:
    """Serves a built site on 127.0.0.1 under `base` (the path of site_url, as GitHub Pages does for a project
    site); an unknown path gets the site's 404.html with status 404, as on GitHub Pages."""

    def __init__(self, folder: Path, base: str = "/"):
        handler = functools.partial(_SiteHandler, directory=str(folder), base=base)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{base}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, base: str = "/", **kwargs):
        self.base = base
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        local = unquote(urlsplit(path).path)
        if not local.startswith(self.base):
            return str(Path(self.directory) / "\0outside")  # never exists: answered by the 404 page
        return super().translate_path("/" + local[len(self.base):])

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir() and not urlsplit(self.path).path.endswith("/"):
            return super().send_head()  # the usual redirect to the folder
        if target.is_dir():
            target = target / "index.html"
        page404 = Path(self.directory) / "404.html"
        if target.is_file() or not page404.is_file():
            return super().send_head()
        body = page404.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass
