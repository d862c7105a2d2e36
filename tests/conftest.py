"""Shared fixtures: a small but complete repository built in a temporary folder; the repository's own
records built once per session; one headless Chromium for the session."""

from __future__ import annotations

import functools
import inspect
import os
import re
import shutil
from pathlib import Path

import pytest

# the helpers live in tests/helpers.py; they are re-exported here for the tests that import them from conftest
from .helpers import BUILT, BUILT_SEED, FAST_LOOP, RECORDS, ROOT, copy_real_repo, make_repo, missing, run, write  # noqa: F401


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A valid repository with a few records of each type."""
    return make_repo(tmp_path, RECORDS)


def built_once(tmp_path_factory, name: str, make) -> Path:
    """`make(folder)` once per test run, even when pytest-xdist spreads the run over several processes (./dev
    test): the first worker to need it builds under a file lock, the others wait and read the same folder."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by its workers
    folder, done = base / name, base / f"{name}.built"
    with FileLock(base / f"{name}.lock"):
        if not done.exists():
            if folder.exists():  # left by a worker whose build failed: its test failed, this one tries again
                shutil.rmtree(folder)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def real_repo(tmp_path_factory) -> Path:
    """A copy of the repository's own records, built once per session by the generator and MkDocs (strict)."""
    def build(repo: Path) -> None:  # here, in the fixture: the `build` marker is read from its source
        copy_real_repo(repo)
        result = run(repo, "build")
        assert result.returncode == 0, result.stderr[-3000:]

    return built_once(tmp_path_factory, "real-repo", build)


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory) -> Path:
    """The small repository helpers.BUILT, built once per session (strict): read its site, never edit it; a test
    that edits or rebuilds works on its own copy (helpers.copy_built)."""
    def build(repo: Path) -> None:
        make_repo(repo, BUILT)
        result = run(repo, "build", env={"PYTHONHASHSEED": BUILT_SEED, "SOURCE_DATE_EPOCH": None})
        assert result.returncode == 0, result.stderr[-3000:]

    return built_once(tmp_path_factory, "built-repo", build)


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


def site_path() -> str:
    """The path of site_url, under which the sites are served (as GitHub Pages serves a project site)."""
    from urllib.parse import urlsplit

    from generator.site import settings

    return urlsplit(settings(ROOT).site_url).path or "/"


@pytest.fixture(scope="session")
def mkdocs_reader(real_site, chromium) -> str:
    """The real site (MkDocs + Material) served on 127.0.0.1 under the path of its site_url."""
    from .helpers import Server

    with Server(real_site, base=site_path()) as server:
        yield server.url


@pytest.fixture(scope="session")
def reader(mkdocs_reader) -> str:
    """The real site's address; a module that runs on both builds overrides it with `built`'s (see `built`)."""
    return mkdocs_reader


@pytest.fixture(scope="session")
def zensical_repo(tmp_path_factory) -> Path:
    """A copy of the repository's own records, built once per session by Zensical (--engine zensical)."""
    def build(repo: Path) -> None:
        copy_real_repo(repo)
        result = run(repo, "build", "--engine", "zensical")
        assert result.returncode == 0, result.stderr[-3000:]

    return built_once(tmp_path_factory, "real-repo-zensical", build)


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def built(request, chromium):
    """The real site's folder, address and engine, built by MkDocs + Material (real_repo) or by Zensical (the same
    pages). A module runs every test on both builds by overriding `reader`:

        @pytest.fixture(scope="module")
        def reader(built):
            return built[1]
    """
    if request.param == "mkdocs":
        yield request.getfixturevalue("real_site"), request.getfixturevalue("mkdocs_reader"), "mkdocs"
        return
    from .helpers import Server

    site = request.getfixturevalue("zensical_repo") / "site"
    with Server(site, base=site_path()) as server:
        yield site, server.url, "zensical"


# --- markers: `build` (runs MkDocs) and `browser` (drives Chromium), set from what a test uses ---------------
# A test is marked when it, or any fixture it uses (directly or through other fixtures), runs a building
# command (`run(repo, "build")`, `serve`…) or needs Chromium: nobody has to remember the marker. `--fast`
# (./dev test --fast) leaves both out; a test that still reaches MkDocs then fails with the reason.

BROWSER_FIXTURES = {"chromium"}
BUILDS = re.compile(r"""[,\[(]\s*["'](build|serve)["']""")
NEEDS_CHROMIUM = re.compile(r"\brequire_chromium\(")


def pytest_addoption(parser):
    parser.addoption("--fast", action="store_true",
                     help="seulement les tests sans construction MkDocs ni navigateur (marqueurs build et browser)")


@functools.cache
def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


GETS = re.compile(r"""getfixturevalue\(\s*["'](\w+)["']""")


def _functions(item):
    """The test's function and every fixture it reaches, also through `request.getfixturevalue("name")`."""
    yield getattr(item, "function", None)
    seen, todo = set(), [d for ds in item._fixtureinfo.name2fixturedefs.values() for d in ds]
    while todo:
        definition = todo.pop()
        if definition.func in seen:
            continue
        seen.add(definition.func)
        yield definition.func
        for name in [*definition.argnames, *GETS.findall(_source(definition.func))]:
            todo += item.session._fixturemanager.getfixturedefs(name, item) or []


def pytest_collection_modifyitems(config, items):
    for item in items:
        sources = [_source(f) for f in _functions(item) if f is not None]
        if BROWSER_FIXTURES & set(item.fixturenames) or any(NEEDS_CHROMIUM.search(s) for s in sources):
            item.add_marker(pytest.mark.browser)
        if any(BUILDS.search(s) for s in sources):
            item.add_marker(pytest.mark.build)
    if config.getoption("fast"):
        os.environ[FAST_LOOP] = "1"  # helpers.run refuses to build from now on
        slow = [i for i in items if i.get_closest_marker("build") or i.get_closest_marker("browser")]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [i for i in items if not (i.get_closest_marker("build") or i.get_closest_marker("browser"))]


@pytest.fixture(scope="module")
def desktop(chromium):
    """A desktop browser context (1280 × 900), one per test module."""
    from .browser import DESKTOP, new_context

    context = new_context(chromium, **DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone(chromium):
    """A phone browser context (390 × 844, touch), one per test module."""
    from .browser import PHONE, new_context

    context = new_context(chromium, **PHONE)
    yield context
    context.close()


@pytest.fixture
def page(desktop):
    """A desktop page; a script error on it fails the test that opened it."""
    page = desktop.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == [], errors  # no script error on any page a test opened


@pytest.fixture(scope="module")
def search_page(desktop, reader):
    """One page whose search index is built once per module (and per build where a module overrides `reader`)."""
    page = desktop.new_page()
    page.goto(reader)
    yield page
    page.close()
