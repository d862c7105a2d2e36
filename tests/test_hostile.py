"""Hostile input: every attack of tests/corpus/hostile/ is refused by `check` with its file, line and code,
and a forced build of all of them runs no script in Chromium.

Each file of the hostile corpus is one record in the repository layout, with one attack; its front matter
says what `check` must report (`# expect: CODE LINE`). The records of tests/corpus/render/ are accepted by
`check` (each part is harmless) but try to break the page they are rendered into; they are built with the
hostile ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.cli import main

from .browser import Server, new_context, open_search, record_off_site, require_chromium, search_results
from .helpers import RECORDS, make_repo, run

CORPUS = Path(__file__).parent / "corpus"
HOSTILE = sorted(p.relative_to(CORPUS / "hostile").as_posix() for p in (CORPUS / "hostile").rglob("*.md"))
RENDER = sorted(p.relative_to(CORPUS / "render").as_posix() for p in (CORPUS / "render").rglob("*.md"))
EXPECT = re.compile(r"^# expect: ([a-z-]+) (\d+)$", re.M)
MARKERS = ("__pwned", "PWNED", "attacker.example", "alert")  # words of the payloads


def expected(rel: str) -> set[tuple[str, str, int]]:
    text = (CORPUS / "hostile" / rel).read_bytes().decode("utf-8")
    return {(rel, code, int(line)) for code, line in EXPECT.findall(text)}


def copy_corpus(repo: Path, name: str, files: list[str]) -> None:
    for rel in files:
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((CORPUS / name / rel).read_bytes())


def check_json(repo: Path, capsys) -> tuple[int, list[dict]]:
    code = main(["check", "--root", str(repo), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_corpus_is_well_formed():
    assert len(HOSTILE) > 100
    assert all(expected(rel) for rel in HOSTILE), [rel for rel in HOSTILE if not expected(rel)]


@pytest.mark.parametrize("rel", HOSTILE)
def test_check_refuses_the_attack_with_file_line_and_code(tmp_path, capsys, rel):
    repo = make_repo(tmp_path, RECORDS)
    copy_corpus(repo, "hostile", [rel])
    code, problems = check_json(repo, capsys)
    errors = [p for p in problems if p["severity"] == "error"]
    assert code == 1
    assert {(p["file"], p["code"], p["line"]) for p in errors} == expected(rel)
    assert all(p["message"] and p["hint"] for p in errors)


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("hostile-repo"), RECORDS)
    copy_corpus(repo, "hostile", HOSTILE)
    copy_corpus(repo, "render", RENDER)
    return repo


def test_all_attacks_at_once_are_reported_and_render_tricks_accepted(hostile_repo, capsys):
    code, problems = check_json(hostile_repo, capsys)
    errors = {(p["file"], p["code"], p["line"]) for p in problems if p["severity"] == "error"}
    assert code == 1
    assert errors == set().union(*(expected(rel) for rel in HOSTILE))
    assert not {file for file, _, _ in errors} & set(RENDER)


# --- a forced build in Chromium ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site(hostile_repo):
    require_chromium()
    result = run(hostile_repo, "build", "--force")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with Server(hostile_repo / "site") as server:
        yield hostile_repo, server.url


def pages_to_visit(repo: Path) -> list[str]:
    """The page of every record of both corpora, keyword pages, indexes and facets, the home page."""
    from generator.build import build_corpus

    corpus, _ = build_corpus(repo)
    ours = set(HOSTILE) | set(RENDER)
    pages = {e.page for e in corpus.entries.values() if e.path in ours}
    site = repo / "site"
    pages |= {p.relative_to(site).parent.as_posix() + "/index.md" for p in (site / "mots-cles").rglob("index.html")}
    pages |= {f"{section}/index.md" for section in ("methodes", "monographies", "glossaire", "referentiel", "ressources")}
    pages |= {"methodes/par-phase.md", "monographies/par-region.md", "monographies/par-type.md", "monographies/par-theme.md",
              "index.md"}
    urls = []
    for page in sorted(pages):
        path = page.removesuffix(".md").removesuffix("index").rstrip("/")
        urls.append(path + "/" if path else "")
        assert (site / path / "index.html").is_file(), page
    return urls


CLICK_GUARD = """() => document.addEventListener('click', e => {
    const a = e.target.closest && e.target.closest('a');
    if (a && /^https?:$/.test(new URL(a.href, location.href).protocol)) e.preventDefault();  // stay on the page
})"""
CLICK_LINKS = """() => {
    for (const a of document.querySelectorAll('article a[href]')) {
        const url = new URL(a.getAttribute('href'), location.href);
        if (url.origin === location.origin || !/^https?:$/.test(url.protocol)) a.click();
    }
}"""
DANGEROUS_DOM = """() => {
    const found = [];
    for (const el of document.querySelectorAll('article *')) {
        for (const attr of el.attributes) {
            const value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, '').toLowerCase();
            if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'srcdoc'
                || /^(javascript|data|vbscript):/.test(value)) found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
        }
        if (el.tagName === 'SCRIPT' && el.type === 'application/ld+json' && !el.src) continue;  // JSON-LD: data, never run
        if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'BASE', 'META', 'FORM', 'STYLE', 'LINK', 'math'].includes(el.tagName)
            || (el.tagName === 'svg' && !el.closest('.twemoji') && !el.matches('svg.efc-ect-svg')))  // Material's icons,
            found.push(el.tagName);  // and the ECT chart the generator draws from the score (its note is text)
    }
    return found;
}"""


def test_forced_build_runs_no_payload_in_chromium(hostile_site, chromium):
    """Uses the session's browser: Playwright's sync API cannot run twice at once."""
    from playwright.sync_api import Error as PlaywrightError

    repo, url = hostile_site
    urls = pages_to_visit(repo)
    assert len(urls) > 100
    events, found = [], []
    context = new_context(chromium, viewport={"width": 1280, "height": 900})  # with the search probe
    requests = record_off_site(context, lambda u: u.startswith(url))  # recorded; the browser refuses them
    page = context.new_page()
    page.on("dialog", lambda d: (events.append(f"dialog {d.message} on {page.url}"), d.dismiss()))
    page.on("console", lambda m: events.append(f"console {m.text} on {page.url}") if any(k in m.text for k in MARKERS) else None)
    page.on("pageerror", lambda e: events.append(f"pageerror {e} on {page.url}") if any(k in str(e) for k in MARKERS) else None)
    for path in urls:
        try:
            page.goto(url + path)
            page.evaluate(CLICK_GUARD)
            found += [f"{path}: {element}" for element in page.evaluate(DANGEROUS_DOM)]
            # Material turns title attributes into tooltips (HTML), and removes the attribute: hold the elements
            targets = [t for t in page.query_selector_all("article [title]:not(.headerlink)") if t.is_visible()]
            for target in targets:
                target.hover(force=True, timeout=5_000)
            if targets:
                page.wait_for_timeout(100)
            page.evaluate("() => document.querySelectorAll('article [tabindex], article a, article input').forEach(e => e.focus())")
            page.evaluate(CLICK_LINKS)
            if page.evaluate("() => window.__pwned") is not None or page.title() == "PWNED":  # what the payloads set
                found.append(f"{path}: script ran")
        except PlaywrightError as error:  # a payload that navigates away (refresh, base, form…)
            found.append(f"{path}: {error.message.splitlines()[0]}")
    # search: results render titles and text as HTML
    page.goto(url + "glossaire/")
    for query in ("onerror", "piège", "script"):
        open_search(page, query)
        assert search_results(page), f"no result for {query!r}"
        for item in page.locator(".efc-search__item").all()[:5]:
            item.hover()
        if page.evaluate("() => window.__pwned") is not None:
            found.append(f"search {query}: script ran")
        page.keyboard.press("Escape")
    context.close()
    assert found == []
    assert events == []
    assert [r for r in requests if "attacker.example" in r or urlsplit(r).scheme in ("javascript", "data")] == []
