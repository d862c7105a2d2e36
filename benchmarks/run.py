#!/usr/bin/env python3
"""Benchmark: `check` throughput and build overhead on a synthetic French corpus.

Usage: python benchmarks/run.py [--sizes 1000 10000] [--build-size 1000] [--runs 3] [--no-linkchecker]
                                [--search-sizes 1000 10000] [--search-trials 5] [--no-search] [--only-search]

Reports (median of --runs, whole process, wall seconds):
  - `python -m generator check` at each size, cold (`--no-cache`: every file parsed and linked)
    and warm (unchanged files taken from build/.cache/, as when a contributor checks again);
  - at --build-size: `python -m generator build` against a plain `mkdocs build` of the
    very pages our generator emitted (same Markdown, same theme, without our generator);
  - at --build-size, on the site just built: `python -m generator linkcheck` (internal), `--html-only`,
    and with one broken link (the corpus is then built to find the record line); and LinkChecker (one
    run: minutes) crawling the same site served on 127.0.0.1 under its site path, anchors checked, at
    its full request rate;
  - at each --search-sizes, our search (Pagefind) against stock Material's search plugin built from the same
    build/docs (search_bench): both builds, Pagefind's indexing alone, and in headless Chromium (CPU throttled 4×
    by CDP, no network throttling, fresh context each time), from a record page, the first result of
    « coopération » and « economie » typed at load (time from the navigation) and once the page is idle (time from
    the query), and the gzip bytes of the first view and of the search (first_result says exactly what).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("coopération territoire économie fonctionnalité acteurs habitants collectivité entreprise solution "
         "intégrée effets utiles ressources immatérielles gouvernance transition alimentation énergie mobilité "
         "dynamique écosystème valeur évaluation confiance compétences accompagnement projet réseau association "
         "société coopérative intérêt collectif élus techniciens usage service bassin vie santé habitat emploi").split()
TERM_WORDS = ["coopération", "gouvernance"]
KEYWORDS = ["cooperation", "efc", "gouvernance", "evaluation", "valeur", "animation", "participation", "diagnostic",
            "financement", "territoire", "transition", "alimentation", "energie", "mobilite", "habitat"]


def prose(rng: random.Random, n: int, ids: list[str]) -> str:
    words = []
    for i in range(n):
        if ids and i % 60 == 59:
            words.append(f"[[{rng.choice(ids)}]]")
        words.append(rng.choice(WORDS))
        if i % 14 == 13:
            words[-1] += "."
    text = " ".join(words)
    return "\n\n".join(text[i:i + 700] for i in range(0, len(text), 700))


def make_corpus(target: Path, n: int, seed: int = 42) -> None:
    rng = random.Random(seed)
    (target / "content").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "vocabulaires.yml", target / "content" / "vocabulaires.yml")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    for page in ("index", "a-propos", "licence"):
        (target / "content" / f"{page}.md").write_text(f"---\ntitle: {page}\n---\n\nTexte.\n", encoding="utf-8")
    counts = {"resource": n // 20, "term": n // 10, "method": n * 3 // 10}
    counts["monograph"] = n - sum(counts.values())
    ids = {t: [f"{t}-{i:05d}" for i in range(c)] for t, c in counts.items()}
    folders = {"resource": "content/ressources", "term": "glossary", "method": "tools_methods", "monograph": "monographs"}
    every = [i for group in ids.values() for i in group]
    for type_name, folder in folders.items():
        (target / folder).mkdir(parents=True, exist_ok=True)
        for i, record_id in enumerate(ids[type_name]):
            sources = f"sources:\n  - ref: {rng.choice(ids['resource'])}\n    loc: \"section {i % 9 + 1}\"\n"
            kws = ", ".join(rng.sample(KEYWORDS, 3))
            head = f"---\ntitle: \"{type_name.capitalize()} {i} : {rng.choice(WORDS)} et {rng.choice(WORDS)}\"\n"
            head += f"summary: \"Une fiche synthétique sur la {rng.choice(WORDS)}.\"\nkeywords: [{kws}]\n{sources}"
            if type_name == "term":  # two terms are words of the prose: about 4.5 % of the words are terms to link
                alias = TERM_WORDS[i] if i < len(TERM_WORDS) else f"notion {i}"  # (2.6 % in the real content)
                head += f"definition: \"Définition courte de la notion {i}.\"\naliases: [\"{alias}\"]\n"
            elif type_name == "resource":
                head += "kind: rapport\nyear: 2020\nauthors: [Labo]\n"
            elif type_name == "method":
                head += "phases: [emergence]\nsteps: [\"Préparer.\", \"Animer.\", \"Restituer.\"]\n"
            else:
                head += f"dynamic_type: ptce\nthemes: [alimentation]\nmethods: [{rng.choice(ids['method'])}]\n"
                head += "place: {region: occitanie}\n"
            body = f"## Présentation\n\n{prose(rng, 300, every)}\n\n## Détails\n\n{prose(rng, 200, every)}\n"
            (target / folder / f"{record_id}.md").write_text(head + "---\n\n" + body, encoding="utf-8")


def timed(cmd: list[str], cwd: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            sys.exit(f"command failed: {' '.join(cmd)}\n{result.stderr[-2000:]}")
    return statistics.median(times)


class PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """The site under its site_url path; the LinkChecker header lifts LinkChecker's 10 requests/s cap."""

    def translate_path(self, path):
        return super().translate_path(path.removeprefix("/centre-ressources")) if path.startswith("/centre-ressources/") else "/nonexistent"

    def end_headers(self):
        self.send_header("LinkChecker", "allowed")
        super().end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PrefixHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/centre-ressources/"
    finally:
        server.shutdown()
        server.server_close()


def linkchecker(site: Path, work: Path) -> tuple[float, int] | None:
    """Seconds and problems (errors and missing anchors) of one LinkChecker run, or None if not installed."""
    program = Path(sys.executable).parent / "linkchecker"
    if not program.exists():
        return None
    config = work / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\n[AnchorCheck]\n", encoding="utf-8")
    with served(site) as url:
        start = time.perf_counter()
        result = subprocess.run([str(program), "-f", str(config), "--no-status", "-o", "csv/utf-8", url],
                                capture_output=True, text=True)
        seconds = time.perf_counter() - start
    rows = [line for line in result.stdout.splitlines() if line and not line.startswith(("#", "urlname;"))]
    return seconds, len(rows)


def pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def timed_cpu(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of a whole process: CPU time is steadier on a shared machine."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(timed(cmd, cwd, 1))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


REAL = ("content", "glossary", "tools_methods", "monographs", "overrides", "mkdocs.yml")


def _get(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def preview(work: Path, runs: int) -> tuple[float, float, float]:
    """On a copy of the real site: a full build, and the time from saving a record (body, then title) to the
    served page showing it, with `generator serve` (MkDocs' dirty reload)."""
    import socket

    repo = work / "real"
    for item in REAL:
        (shutil.copytree if (ROOT / item).is_dir() else shutil.copy)(ROOT / item, repo / item)
    build = timed([sys.executable, "-m", "generator", "build", "--root", "."], repo, runs)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--root", ".", "--addr", f"127.0.0.1:{port}"],
                              cwd=repo, stdout=subprocess.DEVNULL, stderr=(work / "serve.log").open("w"))
    url = f"http://127.0.0.1:{port}/centre-ressources/methodes/forum-ouvert/"
    record = repo / "tools_methods" / "forum-ouvert.md"
    try:
        deadline = time.monotonic() + 300
        while "Forum ouvert" not in _get(url):
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("serve did not start")
            time.sleep(0.2)
        latencies = {"body": [], "title": []}
        for i in range(runs):
            for kind in latencies:
                text = record.read_text(encoding="utf-8")
                marker = f"Repère{kind}{i}"
                edited = text.replace('title: "Forum ouvert', f'title: "Forum ouvert {marker}', 1) if kind == "title" \
                    else text + f"\n{marker}\n"
                start = time.perf_counter()
                record.write_text(edited, encoding="utf-8")
                while marker not in _get(url):
                    if time.perf_counter() - start > 120:
                        sys.exit(f"the edit ({kind}) never showed")
                    time.sleep(0.05)
                latencies[kind].append(time.perf_counter() - start)
                record.write_text(text, encoding="utf-8")
                time.sleep(2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return build, statistics.median(latencies["body"]), statistics.median(latencies["title"])


def floor(corpus: Path) -> float:
    """The floor of `check`: read every record, libyaml's C parser on its front matter, one regex scan of its body."""
    code = ("import sys, time, re, yaml, pathlib; t = time.perf_counter(); body = re.compile(r'\\[\\[|`|<');"
            "[(yaml.load(p.read_text().split('---', 2)[1], Loader=yaml.CSafeLoader), body.findall(p.read_text())) "
            "for p in pathlib.Path('.').rglob('*.md')]; print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], cwd=corpus, capture_output=True, text=True, check=True).stdout)


# --- search: ours (Pagefind) against stock Material's search plugin, on the same emitted pages ----------------

BASE = "/centre-ressources/"
QUERIES = ("coopération", "economie")  # « economie » without its accent: stock Material finds nothing for it
THROTTLING = 4  # CDP Emulation.setCPUThrottlingRate; no network throttling (loopback)
SEARCH_FILES = {"ours": ("/pagefind/",), "stock": ("search_index.json", "/workers/search", "/lunr/")}
RESULT = {"ours": ".efc-search__item", "stock": ".md-search-result__item"}
FIELD = {"ours": "input.efc-search__input", "stock": "input.md-search__input"}
# written into the page before the query is typed: when the query reached the field (its first `input` event),
# and when the first result became visible, or the engine said it found nothing (performance.now(), whose origin
# is the start of the navigation)
WATCH = """([result, engine]) => {
    window.__bench = {typed: null, first: null, none: null};
    const b = window.__bench;
    document.addEventListener('input', () => { if (b.typed === null) b.typed = performance.now(); }, true);
    const look = () => {
        if (b.typed === null || b.first !== null || b.none !== null) return;
        const item = document.querySelector(result);
        if (item && item.getClientRects().length) { b.first = performance.now(); return; }
        const out = document.querySelector('.efc-search__output');
        const meta = document.querySelector('.md-search-result__meta');
        if (engine === 'ours' ? out && out.dataset.state === 'done' && out.dataset.query
                              : meta && /aucun|no matching/i.test(meta.textContent)) b.none = performance.now();
    };
    new MutationObserver(look).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                                                   characterData: true});
}"""


# the reader focuses the field and the query arrives at once: in the page, so that no wait of the harness (such as
# Playwright's for a field that grows as it opens) falls between them; Material's search reads the field on keyup
ENTER = """([selector, query]) => {
    const field = document.querySelector(selector);
    field.focus();
    field.value = query;
    field.dispatchEvent(new Event('input', {bubbles: true}));
    field.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'End'}));
}"""


def stock_config(corpus: Path) -> Path:
    """Stock Material's search on our emitted pages: a copy of mkdocs.yml with Material's search plugin (lang fr)
    instead of Pagefind, and a copy of our overrides without the search ones (header, search field, search.js
    and .css) and without Pagefind's attributes (main.html keeps the feed and the Content-Security-Policy)."""
    overrides = corpus / "overrides-stock"
    shutil.copytree(corpus / "overrides", overrides)
    for name in ("partials/header.html", "partials/efc-search.html", "efc/search.js", "efc/search.css"):
        (overrides / name).unlink()
    main = overrides / "main.html"
    text = main.read_text(encoding="utf-8")
    main.write_text(text[:text.index("{% block content %}")], encoding="utf-8")
    text = (corpus / "mkdocs.yml").read_text(encoding="utf-8")
    for pattern, value in ((r"^  - search:.*\n      enabled: false\n", "  - search:\n      lang: fr\n"),
                           (r"^  custom_dir: overrides$", "  custom_dir: overrides-stock"),
                           (r"^  - efc/search\.css\n", ""), (r"^  - efc/search\.js\n", "")):
        text, count = re.subn(pattern, value, text, count=1, flags=re.MULTILINE)
        if count != 1:
            sys.exit(f"mkdocs.yml: no line matching {pattern!r}: update benchmarks/run.py")
    config = corpus / "mkdocs-stock.yml"
    config.write_text(text, encoding="utf-8")
    return config


@functools.cache
def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def local_file(site: Path, url: str) -> Path:
    path = site / unquote(urlsplit(url).path).removeprefix(BASE)
    return path / "index.html" if path.is_dir() else path


def first_result(browser, url: str, site: Path, engine: str, query: str, idle: bool) -> dict:
    """One fresh browser context (empty cache), CPU throttled 4×: open the record page, wait for its load event (and,
    if `idle`, for the network to be idle: no request for 500 ms), focus the search field and enter the query at
    once (ENTER). Returns the times (ms) from the start of the navigation and from the query entered (its `input` event)
    to the first result visible (None when the engine said it found nothing), and the gzip bytes of every file
    fetched (each file once; the local server does not compress, so each body is gzipped here, level 6): the first
    view (before the query, search files excepted) and the search (the search files, whenever fetched, and
    everything fetched after the query)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": THROTTLING})
    fetched: dict[str, bool] = {}  # URL -> fetched after the query was entered
    typed = [False]
    context.on("requestfinished", lambda request: fetched.setdefault(request.url, typed[0]))
    page.goto(url, wait_until="load")
    if idle:
        page.wait_for_load_state("networkidle")
    page.evaluate(WATCH, [RESULT[engine], engine])
    typed[0] = True
    page.evaluate(ENTER, [FIELD[engine], query])
    page.wait_for_function("() => window.__bench.first !== null || window.__bench.none !== null",
                           timeout=600_000, polling=100)
    marks = page.evaluate("() => window.__bench")
    context.close()
    files: dict[str, dict[str, int]] = {"view": {}, "search": {}}
    for address, after in fetched.items():
        path = local_file(site, address)
        if not path.is_file():
            continue
        search = after or any(part in address for part in SEARCH_FILES[engine])
        files["search" if search else "view"][str(path.relative_to(site))] = gzipped(path)
    found = marks["first"] is not None
    return {"from_nav": marks["first"] if found else None,
            "from_query": marks["first"] - marks["typed"] if found else None,
            "view": sum(files["view"].values()), "search": sum(files["search"].values()), "files": files}


def trials(browser, runs: int, *args) -> dict:
    """The median times of `runs` trials (None if any found nothing), the bytes and files of the first."""
    done = [first_result(browser, *args) for _ in range(runs)]
    if any(t["from_nav"] is None for t in done):
        return done[0]
    return done[0] | {key: statistics.median(t[key] for t in done) for key in ("from_nav", "from_query")}


def by_group(files: dict[str, int]) -> str:
    """The search's bytes by kind of file, largest first (Pagefind's fragments and index chunks grouped)."""
    groups: dict[str, list[int]] = {}
    for name, size in files.items():
        folder = name.split("/")[1] if name.startswith("pagefind/") and name.count("/") > 1 else None
        groups.setdefault(f"pagefind/{folder}/ (×N)" if folder else name, []).append(size)
    rows = sorted(((sum(v), k.replace("×N", f"×{len(v)}")) for k, v in groups.items()), reverse=True)
    return ", ".join(f"{k} {size / 1024:.1f}" for size, k in rows)


def report(n: int, query: str, got: dict) -> None:
    """Typed at load: seconds from the start of the navigation; typed once idle: seconds from the query entered."""
    def seconds(trial: dict, key: str) -> str:
        return f"{trial[key] / 1000:>9.2f}" if trial[key] is not None else f"{'no result':>9}"

    for engine in ("ours", "stock"):
        at_load, idle = got[engine]["load"], got[engine]["idle"]
        print(f"{f'search {engine}, «{query}», typed at load':48} {n:>8} {seconds(at_load, 'from_nav')}   "
              f"navigation → first result ({seconds(at_load, 'from_query').strip()} from the query), {load()}")
        print(f"{f'search {engine}, «{query}», typed once idle':48} {n:>8} {seconds(idle, 'from_query')}   "
              f"query → first result; first view {idle['view'] / 1024:.1f} KiB, search {idle['search'] / 1024:.1f} KiB"
              f" gzip, {load()}")
        print(f"{'':48} {'':>8} {'':>9}   search files (KiB gzip): {by_group(idle['files']['search'])}")
        if query == QUERIES[0]:
            print(f"{'':48} {'':>8} {'':>9}   first view files (KiB gzip): {by_group(idle['files']['view'])}")
    ours, stock = got["ours"], got["stock"]
    if stock["load"]["from_nav"] is None or ours["load"]["from_nav"] is None:
        return
    print(f"{f'search ours/stock, «{query}»':48} {n:>8} {ours['load']['from_nav'] / stock['load']['from_nav']:>9.2f}   "
          f"typed at load, from the navigation; {ours['idle']['from_query'] / stock['idle']['from_query']:.2f} typed once "
          f"idle, from the query; search bytes {ours['idle']['search'] / stock['idle']['search']:.2f}")


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


PROBE = """() => new Promise(done => {
    const spin = () => {
        const t = performance.now(); let x = 0; for (let i = 0; i < 2e7; i++) x += Math.sqrt(i); return performance.now() - t; };
    const worker = new Worker('spin.js');
    worker.onmessage = event => done([spin(), event.data]);
    worker.postMessage(0);
})"""


def throttling_probe(browser, folder: Path) -> str:
    """What the CPU throttling does here: the same loop on the page and in a dedicated worker (both engines search
    in a worker), unthrottled and throttled; CDP throttles the page, its workers less."""
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text("<!doctype html><title>probe</title>", encoding="utf-8")
    (folder / "spin.js").write_text("onmessage = () => { const t = performance.now(); let x = 0; "
                                    "for (let i = 0; i < 2e7; i++) x += Math.sqrt(i); postMessage(performance.now() - t); };",
                                    encoding="utf-8")
    times = {}
    with served(folder) as url:
        for rate in (1, THROTTLING):
            context = browser.new_context()
            page = context.new_page()
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
            page.goto(url)
            page.evaluate(PROBE)  # warm up
            samples = [page.evaluate(PROBE) for _ in range(3)]
            times[rate] = [min(sample[i] for sample in samples) for i in (0, 1)]  # the least disturbed
            context.close()
    page_factor, worker_factor = (times[THROTTLING][i] / times[1][i] for i in (0, 1))
    return f"throttling {THROTTLING}× measured: page {page_factor:.1f}× slower, worker {worker_factor:.1f}× slower"


def search_bench(corpus: Path, n: int, runs: int, browser_runs: int) -> None:
    """At one size: our build (MkDocs + Pagefind) and a stock Material build of the same build/docs; Pagefind's
    indexing alone; then, in headless Chromium, the first result of each query on both sites."""
    from playwright.sync_api import sync_playwright

    from generator.search import index_command

    python = sys.executable
    ours = timed([python, "-m", "generator", "build", "--no-cache", "--root", "."], corpus, runs)
    print(f"{'search: generator build (MkDocs + Pagefind)':48} {n:>8} {ours:>9.2f}   {load()}")
    stock = timed([python, "-m", "mkdocs", "build", "-q", "-f", str(stock_config(corpus)), "-d", "stock-site"],
                  corpus, runs)
    print(f"{'search: stock mkdocs build, search plugin':48} {n:>8} {stock:>9.2f}   ours/stock {ours / stock:.2f}, {load()}")
    site, stock_site = corpus / "site", corpus / "stock-site"
    indexing = timed(index_command(site), corpus, runs)
    index = sum(gzipped(p) for p in (stock_site / "search").glob("search_index.json"))
    print(f"{'search: Pagefind indexing (the build step alone)':48} {n:>8} {indexing:>9.2f}   "
          f"{pages(site):,} pages; stock index {index / 1024:,.0f} KiB gzip, {load()}")
    record = next((site / "methodes").glob("*/index.html")).parent.name
    chromium = "/usr/bin/chromium"
    with sync_playwright() as playwright, served(site) as ours_url, served(stock_site) as stock_url:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            print(f"{'search: ' + throttling_probe(browser, corpus / 'probe'):48}")
            for query in QUERIES:
                got = {}
                for engine, base, folder in (("ours", ours_url, site), ("stock", stock_url, stock_site)):
                    url = f"{base}methodes/{record}/"
                    got[engine] = {when: trials(browser, browser_runs, url, folder, engine, query, when == "idle")
                                   for when in ("load", "idle")}
                report(n, query, got)
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--build-size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-linkchecker", action="store_true", help="skip LinkChecker (minutes at 1,000 records)")
    parser.add_argument("--no-preview", action="store_true", help="skip the serve latency on the real site")
    parser.add_argument("--search-sizes", type=int, nargs="+", default=[1000, 10000],
                        help="sizes of the search comparison with stock Material (Chromium, CPU throttled 4×)")
    parser.add_argument("--search-trials", type=int, default=5, help="browser trials per case (median; builds: --runs)")
    parser.add_argument("--no-search", action="store_true", help="skip the search comparison")
    parser.add_argument("--only-search", action="store_true", help="only the search comparison")
    args = parser.parse_args()
    if args.only_search:
        args.sizes, args.build_size, args.no_preview = [], None, True
    # the generator of this tree, in this process and in every command run in the corpora
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    python = sys.executable
    env_root = ["--root", "."]
    print(f"{'measure':48} {'records':>8} {'seconds':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(set(args.sizes) | {args.build_size} - {None}):
            corpus = Path(tmp) / f"c{n}"
            make_corpus(corpus, n)
            if n in args.sizes:
                print(f"{'floor (libyaml load + one body scan)':48} {n:>8} {floor(corpus):>9.2f}")
                for label, flags in (("cold, --no-cache", ["--no-cache"]), ("warm, cache of unchanged files", [])):
                    subprocess.run([python, "-m", "generator", "check", *env_root], cwd=corpus, capture_output=True)
                    seconds = timed([python, "-m", "generator", "check", *env_root, *flags], corpus, args.runs)
                    print(f"{'check (' + label + ')':48} {n:>8} {seconds:>9.2f}   {n / seconds:,.0f} records/s")
                one = next((corpus / "tools_methods").glob("*.md"))
                original = one.read_text(encoding="utf-8")
                # a contributor edits one record's body, or its title (every wiki link to it shows the title: every
                # body is linked again), then checks again
                for label, edit in (("check after one file changed", lambda i, original=original: original + f"\nAjout {i}.\n"),
                                    ("check after one title changed",
                                     lambda i, original=original: original.replace("title: \"", f"title: \"Titre {i} ", 1))):
                    times = []
                    for i in range(args.runs):
                        one.write_text(edit(i), encoding="utf-8")
                        times.append(timed([python, "-m", "generator", "check", *env_root], corpus, 1))
                    one.write_text(original, encoding="utf-8")
                    subprocess.run([python, "-m", "generator", "check", *env_root], cwd=corpus, capture_output=True)
                    print(f"{label:48} {n:>8} {statistics.median(times):>9.2f}")
            if n == args.build_size:
                ours = timed([python, "-m", "generator", "build", "--no-cache", *env_root], corpus, args.runs)
                plain = timed([python, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(corpus / "plain-site")],
                              corpus, args.runs)
                print(f"{'generator build (check + emit + mkdocs)':48} {n:>8} {ours:>9.2f}")
                print(f"{'plain mkdocs build of the same pages':48} {n:>8} {plain:>9.2f}")
                print(f"{'overhead of the generator':48} {n:>8} {ours - plain:>9.2f}   {100 * (ours - plain) / plain:.1f} %")
                site = corpus / "site"
                count = f"{pages(site):,} pages"
                page = next((site / "methodes").glob("*/index.html"))
                clean = page.read_text(encoding="utf-8")
                for label, extra, broken in (("linkcheck, internal", [], False), ("linkcheck --html-only", ["--html-only"], False),
                                             ("linkcheck, internal, one broken link", [], True)):
                    page.write_text(clean.replace("</article>", '<a href="../absente/">x</a></article>') if broken else clean,
                                    encoding="utf-8")
                    wall, cpu = timed_cpu([python, "-m", "generator", "linkcheck", *extra, *env_root], corpus, args.runs)
                    print(f"{label:48} {n:>8} {wall:>9.2f}   {count}, {cpu:.2f} s CPU")
                page.write_text(clean, encoding="utf-8")
                other = None if args.no_linkchecker else linkchecker(site, Path(tmp))
                if other:
                    print(f"{'LinkChecker 10.6 over HTTP, anchors (one run)':48} {n:>8} {other[0]:>9.2f}   "
                          f"{count}, {other[1]} problem(s)")
        for n in [] if args.no_search else sorted(args.search_sizes):
            corpus = Path(tmp) / f"c{n}"
            if not corpus.exists():
                make_corpus(corpus, n)
            search_bench(corpus, n, args.runs, args.search_trials)
        if not args.no_preview:
            build, body, title = preview(Path(tmp), args.runs)
            print(f"{'real site: full build':48} {'':>8} {build:>9.2f}")
            print(f"{'real site: serve, saved body to page shown':48} {'':>8} {body:>9.2f}   {body / build:.2f} of a build")
            print(f"{'real site: serve, saved title to page shown':48} {'':>8} {title:>9.2f}   {title / build:.2f} of a build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
