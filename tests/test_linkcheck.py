"""`linkcheck` against real parts: sites built by MkDocs, HTTP servers on 127.0.0.1, LinkChecker."""

from __future__ import annotations

import contextlib
import csv
import email.utils
import functools
import http.server
import io
import json
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.linkcheck import Cache, Config, Report, Site, check_external, check_html, retry_after

from .helpers import RECORDS, make_repo, missing, run, write

SITE_URL = "https://centre-ressources-efc.github.io/centre-ressources/"

# --- a real HTTP server ----------------------------------------------------------------------------------


class Recorder:
    """What a server saw: every request with its arrival time, and the most requests in flight at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.log: list[tuple[str, str, float]] = []  # (method, path with query, monotonic time)
        self.in_flight = self.max_in_flight = 0

    def hits(self, path: str) -> list[str]:
        return [method for method, p, _ in self.log if p == path]

    def times(self, prefix: str) -> list[float]:
        return sorted(t for _, p, t in self.log if p.startswith(prefix))


PAGE = b'<html><body><h2 id="present">Titre</h2><a name="nomme">x</a></body></html>'


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.route("HEAD")

    def do_GET(self):
        self.route("GET")

    def send(self, status: int, headers: dict | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def route(self, method: str) -> None:
        recorder: Recorder = self.server.recorder
        with recorder.lock:
            seen = len(recorder.hits(self.path))
            recorder.log.append((method, self.path, time.monotonic()))
            recorder.in_flight += 1
            recorder.max_in_flight = max(recorder.max_in_flight, recorder.in_flight)
        try:
            self.answer(urlsplit(self.path).path, method, seen)
        finally:
            with recorder.lock:
                recorder.in_flight -= 1

    def answer(self, path: str, method: str, seen: int) -> None:
        redirects = {"/moved-301": (301, "/ok"), "/moved-308": (308, "/ok"), "/found-302": (302, "/ok"),
                     "/chain": (301, "/found-302"), "/loop": (302, "/loop")}
        if path in ("/ok", "/page.html"):
            self.send(200, body=PAGE)
        elif path in redirects:
            status, location = redirects[path]
            self.send(status, {"Location": location})
        elif path in ("/missing", "/gone", "/error", "/forbidden"):
            self.send({"/missing": 404, "/gone": 410, "/error": 500, "/forbidden": 403}[path])
        elif path == "/busy" or (path == "/busy-once" and seen == 0):
            self.send(429, {"Retry-After": "1"})
        elif path == "/busy-once":
            self.send(200, body=PAGE)
        elif path == "/busy-date":
            self.send(429, {"Retry-After": email.utils.formatdate(time.time() + 3600, usegmt=True)})
        elif path == "/no-head":
            self.send(405 if method == "HEAD" else 200, body=PAGE)
        elif path == "/slow":
            time.sleep(3)  # past the client's timeout
            self.send(200)
        elif path == "/sleepy":
            time.sleep(0.3)
            self.send(200)
        elif path == "/reset":  # a connection reset: RST, no response
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            self.wfile = io.BytesIO()
        else:
            self.send(404)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client gave up on /slow: nothing to say


@contextlib.contextmanager
def serve(recorder: Recorder | None = None, handler=Handler):
    server = Server(("127.0.0.1", 0), handler)
    server.recorder = recorder or Recorder()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.recorder
    finally:
        server.shutdown()
        server.server_close()


FAST = Config(interval=0, retries=1, backoff=0.05, timeout=1, max_retry_after=5, max_redirects=3)

# --- external checking -----------------------------------------------------------------------------------


def test_each_kind_of_answer_has_its_precise_outcome():
    with serve() as (base, seen):
        paths = ["/ok", "/moved-301", "/moved-308", "/found-302", "/chain", "/missing", "/gone", "/error", "/busy",
                 "/busy-date", "/slow", "/reset", "/no-head", "/loop"]
        results = check_external([base + p for p in paths], FAST)
    outcome = {urlsplit(url).path: (r.kind, r.status, r.target) for url, r in results.items()}
    assert outcome == {
        "/ok": ("ok", 200, None),
        "/moved-301": ("redirect", 200, base + "/ok"),
        "/moved-308": ("redirect", 200, base + "/ok"),
        "/found-302": ("ok", 200, base + "/ok"),  # temporary: followed, reported, not a warning
        "/chain": ("redirect", 200, base + "/found-302"),  # the new URL is where the permanent redirect leads
        "/missing": ("broken", 404, None),
        "/gone": ("broken", 410, None),
        "/error": ("broken", 500, None),  # after the retries
        "/busy": ("unknown", 429, None),
        "/busy-date": ("unknown", 429, None),
        "/slow": ("unknown", None, None),
        "/reset": ("unknown", None, None),
        "/no-head": ("ok", 200, None),
        "/loop": ("broken", 302, base + "/loop"),
    }
    assert "remplacez par " + base + "/ok" in results[base + "/moved-301"].message
    assert "à revérifier plus tard" in results[base + "/busy"].message
    assert re.search(r"Retry-After de 3[56]\d\d s, au-delà de 5 s", results[base + "/busy-date"].message)
    assert results[base + "/slow"].message.startswith("délai dépassé")
    assert results[base + "/reset"].message.startswith("connexion impossible")
    assert results[base + "/loop"].message == "plus de 3 redirections"
    # what the server saw: HEAD first, GET when HEAD is refused, one retry, no retry past the Retry-After cap
    assert seen.hits("/ok") == ["HEAD"] * 5  # itself, the end of /moved-301, /moved-308, /found-302 and /chain
    assert seen.hits("/no-head") == ["HEAD", "GET"]
    assert seen.hits("/missing") == ["HEAD"]
    assert seen.hits("/error") == ["HEAD", "GET"] * 2
    assert seen.hits("/busy") == ["HEAD"] * 2
    assert seen.hits("/busy-date") == ["HEAD"]
    assert seen.hits("/reset") == ["HEAD"] * 2


def test_retry_after_is_honoured_instead_of_the_backoff():
    with serve() as (base, seen):
        result = check_external([base + "/busy-once"], FAST)[base + "/busy-once"]
    assert (result.kind, result.status) == ("ok", 200)
    first, second = seen.times("/busy-once")
    assert second - first >= 0.6  # Retry-After: 1 (not the 0.05 s backoff), less the arrival jitter of a busy machine


def test_retry_after_in_seconds_and_as_an_http_date():
    assert retry_after("120") == 120
    assert retry_after(email.utils.formatdate(1_000_030, usegmt=True), now=1_000_000) == 30
    assert retry_after(email.utils.formatdate(999_000, usegmt=True), now=1_000_000) == 0
    assert retry_after("bientôt") is None and retry_after(None) is None


def test_per_host_limit_and_global_limit_hold_server_side():
    with serve() as (base, seen):
        check_external([f"{base}/sleepy?{i}" for i in range(6)], FAST.model_copy(update={"per_host": 2}))
    assert seen.max_in_flight == 2
    shared = Recorder()
    with serve(shared) as (one, _), serve(shared) as (two, _):
        urls = [f"{host}/sleepy?{i}" for host in (one, two) for i in range(4)]
        check_external(urls, FAST.model_copy(update={"per_host": 2, "concurrency": 3}))
    assert shared.max_in_flight == 3
    assert len(shared.log) == 8


def test_minimum_interval_between_requests_to_one_host():
    interval = 0.4
    with serve() as (base, seen):
        check_external([f"{base}/ok?{i}" for i in range(5)], FAST.model_copy(update={"interval": interval, "per_host": 5}))
    times = seen.times("/ok?")
    assert len(times) == 5
    # arrival times jitter with scheduling on a busy machine (one late request shortens one gap and lengthens
    # the next): tolerant bounds on the median gap and the whole span; without an interval all five arrive at once
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    assert (gaps[1] + gaps[2]) / 2 >= 0.75 * interval
    assert times[-1] - times[0] >= 2 * interval


def test_the_cache_spares_a_second_request(tmp_path):
    path = tmp_path / "cache" / "linkcheck.json"
    with serve() as (base, seen):
        urls = [base + p for p in ("/ok", "/moved-301", "/missing", "/busy")]
        first = check_external(urls, FAST, Cache(path, 3600))
        count = len(seen.log)
        second = check_external(urls, FAST, Cache(path, 3600))
        assert len(seen.log) == count + 2  # only /busy again (unknown is never cached), twice (one retry)
        assert {u: (r.kind, r.status, r.target) for u, r in first.items()} == \
               {u: (r.kind, r.status, r.target) for u, r in second.items()}
        assert [second[u].cached for u in urls] == [True, True, True, False]
        check_external(urls[:1], FAST, Cache(path, 0))  # too old: asked again
        assert seen.hits("/ok") == ["HEAD", "HEAD", "HEAD"]  # /ok, the end of /moved-301, then the expired entry
        assert set(json.loads(path.read_text(encoding="utf-8"))["entries"]) == set(urls[:3])
        path.write_text("{pas du json", encoding="utf-8")
        assert check_external(urls[:1], FAST, Cache(path, 3600))[urls[0]].kind == "ok"  # costs one more request
        assert len(seen.hits("/ok")) == 4
        forbidden = [base + "/forbidden"]
        assert check_external(forbidden, FAST, Cache(path, 3600))[forbidden[0]].kind == "broken"
        accepted = check_external(forbidden, FAST.model_copy(update={"accept": [403]}), Cache(path, 3600))
        assert (accepted[forbidden[0]].kind, accepted[forbidden[0]].cached) == ("ok", False)  # accepted since: asked again
        assert seen.hits("/forbidden") == ["HEAD", "GET"] * 2


# --- internal checking of a hand-made site ------------------------------------------------------------------


def test_resolution_percent_encoding_directories_prefix_and_anchors(tmp_path):
    links = ["caf%C3%A9/", "caf%C3%A9", "café/#nomme", "/centre-ressources/caf%C3%A9/index.html#haut", "docs/guide.pdf",
             SITE_URL, SITE_URL + "caf%C3%A9/#haut", "#top", "#", "#ici", "mailto:a@b.fr", "tel:+33100000000",
             "javascript:void(0)", "https://example.org/x#frag", "//example.org/y",
             # broken:
             "café/#absente", "absent.png", "/autre/", "http://centre-ressources-efc.github.io/autre/", "../dehors.html",
             "#nulle-part", "docs/", "perdu.html"]
    body = "".join(f'<a href="{href}">l</a>' for href in links)
    write(tmp_path, "site/index.html", f'<p id="ici"></p>{body}<img src="docs/schema.png" srcset="docs/absent-2x.png 2x">'
                                       '<link rel="preconnect" href="https://fonts.gstatic.com">')
    write(tmp_path, "site/café/index.html", '<h2 id="haut">Haut</h2><a name="nomme"></a>')
    write(tmp_path, "site/docs/guide.pdf", "%PDF")
    write(tmp_path, "site/docs/schema.png", "png")
    write(tmp_path, "site/sitemap.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                        f"<url><loc>{SITE_URL}caf%C3%A9/</loc></url><url><loc>{SITE_URL}absente/</loc></url></urlset>")
    (tmp_path / "site" / "perdu.html").symlink_to(tmp_path / "nulle-part.html")  # unreadable: not there
    site = Site(tmp_path / "site", SITE_URL)
    site.scan()
    report = Report(str(site.folder))
    external = check_html(site, report)
    assert {r.url: r.message for r in report.internal} == {
        "café/index.html#absente": "ancre « #absente » absente de café/index.html",
        "absent.png": "page ou fichier introuvable : absent.png",
        "/autre/": "adresse hors du site (le site est servi sous /centre-ressources/)",
        "/dehors.html": "adresse hors du site (le site est servi sous /centre-ressources/)",
        "index.html#nulle-part": "ancre « #nulle-part » absente de index.html",
        "docs/index.html": "page ou fichier introuvable : docs/index.html",
        "docs/absent-2x.png": "page ou fichier introuvable : docs/absent-2x.png",
        "absente/index.html": "page ou fichier introuvable : absente/index.html",  # from sitemap.xml
        "perdu.html": "page ou fichier introuvable : perdu.html",
    }
    assert [w.href for r in report.internal for w in r.where if r.url == "/autre/"] == \
           ["/autre/", "http://centre-ressources-efc.github.io/autre/"]
    assert sorted(external) == ["https://example.org/x", "https://example.org/y"]  # fragments dropped; no preconnect


# --- internal checking of real builds -------------------------------------------------------------------------

BROKEN_BODY = """\
        ## Principe

        Voir la [page disparue](https://centre-ressources-efc.github.io/centre-ressources/methodes/disparue/).

        Une <a href="../inexistante/">page absente</a> et une image <img src="../../images/absente.png" alt="schéma">.

        Et une <a href="../../glossaire/solution-integree/#ancre-absente">ancre absente</a> en HTML.

        Un [lien externe](https://example.invalid/page).

        Le forum ouvert sert"""
TEMPLATE = '{% extends "base.html" %}\n{% block announce %}<a href="{{ base_url }}/annonces-disparues/">Annonces</a>{% endblock %}\n'


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    """A real build whose records and theme template carry broken links (MkDocs does not check these)."""
    records = dict(RECORDS)
    records["tools_methods/forum-ouvert.md"] = records["tools_methods/forum-ouvert.md"].replace(
        "        ## Principe\n\n        Le forum ouvert sert", BROKEN_BODY)
    repo = make_repo(tmp_path_factory.mktemp("broken"), records)
    (repo / "overrides" / "main.html").write_text(TEMPLATE, encoding="utf-8")
    result = run(repo, "build")
    assert result.returncode == 0, result.stderr
    return repo


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def places(data: dict) -> dict[str, set[tuple[str, int]]]:
    return {r["url"]: {(w["file"], w["line"]) for w in r["where"]} for r in data["internal"]}


def test_broken_links_are_reported_at_the_record_line_or_the_html_page(broken):
    result = run(broken, "linkcheck", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""  # no progress display when stderr is not a terminal
    data = json.loads(result.stdout)
    record = broken / "tools_methods" / "forum-ouvert.md"
    found = places(data)
    assert found.pop("methodes/disparue/index.html") == {("tools_methods/forum-ouvert.md", line_of(record, "page disparue"))}
    assert found.pop("methodes/inexistante/index.html") == {("tools_methods/forum-ouvert.md", line_of(record, "page absente"))}
    assert found.pop("images/absente.png") == {("tools_methods/forum-ouvert.md", line_of(record, "absente.png"))}
    assert found.pop("glossaire/solution-integree/index.html#ancre-absente") == \
           {("tools_methods/forum-ouvert.md", line_of(record, "ancre-absente"))}
    pages = sorted(p.relative_to(broken / "site").as_posix() for p in (broken / "site").rglob("*.html"))
    template = found.pop("annonces-disparues/index.html")  # made by the theme template: on every page but 404.html
    assert {file for file, _ in template} == set(pages) - {"404.html"}
    for file, line in template:
        assert 'href="' in (broken / "site" / file).read_text(encoding="utf-8").split("\n")[line - 1]
    assert {file for file, _ in found.pop("/annonces-disparues/index.html")} == {"404.html"}  # absolute URLs in 404.html
    assert found == {}
    assert data["pages"] == len(pages) and data["broken"] == 6
    assert {"url": "https://example.invalid/page", "kind": "unchecked"}.items() <= \
           next(r for r in data["external"] if r["url"] == "https://example.invalid/page").items()


def test_html_only_reports_at_the_html_page(broken):
    result = run(broken, "linkcheck", "--html-only", "--format", "json")
    assert result.returncode == 1
    found = places(json.loads(result.stdout))
    [(file, line)] = found["methodes/inexistante/index.html"]
    assert file == "methodes/forum-ouvert/index.html"
    assert 'href="../inexistante/"' in (broken / "site" / file).read_text(encoding="utf-8").split("\n")[line - 1]


def test_a_stale_site_is_caught_by_the_generator_graph(broken, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(broken, repo)
    write(repo, "glossary/terme-neuf.md", '---\ntitle: "Terme neuf"\ndefinition: "Ajouté après la construction."\n---\n\nUn terme.\n')
    record = repo / "content" / "a-propos.md"
    record.write_text(record.read_text(encoding="utf-8") + "\nVoir [[terme-neuf]].\n", encoding="utf-8")
    result = run(repo, "linkcheck", "--format", "json")
    assert result.returncode == 1
    found = places(json.loads(result.stdout))
    assert found["glossaire/terme-neuf/index.html"] == {("glossary/terme-neuf.md", 1),
                                                        ("content/a-propos.md", line_of(record, "[[terme-neuf]]"))}


def test_text_report_and_usage_errors(broken, tmp_path):
    result = run(broken, "linkcheck")
    assert result.returncode == 1
    record = broken / "tools_methods" / "forum-ouvert.md"
    assert (f"tools_methods/forum-ouvert.md:{line_of(record, 'page absente')}: cassé (interne) ../inexistante/ → "
            "page ou fichier introuvable : methodes/inexistante/index.html") in result.stdout.split("\n")
    pages = len(list((broken / "site").rglob("*.html")))
    assert f"… et {pages - 1 - 5} autre(s) occurrence(s) du même lien" in result.stdout  # the template's link
    missing_site = run(tmp_path, "linkcheck")
    assert missing_site.returncode == 2 and "Traceback" not in missing_site.stderr
    assert f"le dossier du site {tmp_path / 'site'} n'existe pas" in missing_site.stderr
    empty = run(tmp_path, "linkcheck", "--site", str(tmp_path))
    assert empty.returncode == 2 and "aucune page HTML" in empty.stderr
    unwritable = run(broken, "linkcheck", "--output", str(tmp_path / "absent" / "r.txt"))
    assert unwritable.returncode == 2 and "impossible d'écrire le rapport" in unwritable.stderr
    assert run(broken, "linkcheck", "--format", "yaml").returncode == 2


# --- the command with --external, on a hand-made site ----------------------------------------------------------


def external_site(root: Path, base: str, paths: list[str], config: str) -> Path:
    body = "".join(f'<a href="{base}{p}">lien</a>\n' for p in paths)
    write(root, "site/index.html", f"<html><body>\n{body}</body></html>\n")
    write(root, "mkdocs.yml", f"site_name: Test\nsite_url: {SITE_URL}\nextra:\n  efc:\n    linkcheck:\n{config}")
    return root


CONFIG = """\
      interval: 0
      retries: 1
      backoff: 0.05
      timeout: 1
      accept: [403]
      exclude: ['/exclu$']
      cache: cache/liens.json
"""


def test_external_command_exit_codes_and_reports(tmp_path):
    with serve() as (base, seen):
        paths = ["/ok", "/moved-308", "/missing", "/busy", "/forbidden", "/exclu", "/page.html#absente"]
        root = external_site(tmp_path, base, paths, CONFIG)
        result = run(root, "linkcheck", "--external", "--format", "json")
        assert result.returncode == 1, result.stderr
        data = json.loads(result.stdout)
        outcome = {r["url"].removeprefix(base): (r["kind"], r["status"], [(w["file"], w["line"]) for w in r["where"]])
                   for r in data["external"]}
        assert outcome == {
            "/ok": ("ok", 200, [("index.html", 2)]),
            "/moved-308": ("redirect", 200, [("index.html", 3)]),
            "/missing": ("broken", 404, [("index.html", 4)]),
            "/busy": ("unknown", 429, [("index.html", 5)]),
            "/forbidden": ("ok", 403, [("index.html", 6)]),  # accepted by the configuration
            "/exclu": ("excluded", None, [("index.html", 7)]),
            "/page.html": ("ok", 200, [("index.html", 8)]),  # fragments of external pages are not checked
        }
        assert seen.hits("/exclu") == []
        assert data["counts"] == {"broken": 1, "unknown": 1, "redirect": 1, "ok": 3, "excluded": 1, "unchecked": 0}

        requests = len(seen.log)
        junit = run(root, "linkcheck", "--external", "--format", "junit", "--output", str(tmp_path / "junit.xml"))
        assert junit.returncode == 1 and junit.stdout == ""
        assert len(seen.log) == requests + 2  # cached: only /busy again (one retry)
        suites = ET.parse(tmp_path / "junit.xml").getroot()
        external = suites.find("testsuite[@name='liens externes']")
        assert (external.get("tests"), external.get("failures"), external.get("skipped")) == ("7", "1", "2")
        [failed] = [case for case in external if case.find("failure") is not None]
        assert failed.get("name") == base + "/missing"
        assert failed.find("failure").get("message").startswith("HTTP 404 (page introuvable)")
        assert suites.find("testsuite[@name='liens internes']").get("failures") == "0"

        markdown = run(root, "linkcheck", "--external", "--format", "markdown")
        rows = [line for line in markdown.stdout.split("\n") if line.startswith("| ")]
        assert rows[0] == "| Résultat | Portée | Lien | Où | Détail |"
        assert rows[1].startswith(f"| ❌ cassé | externe | `{base}/missing` | `index.html:4` | HTTP 404 (page introuvable)")
        assert rows[2].startswith(f"| ❔ incertain | externe | `{base}/busy` | `index.html:5` | HTTP 429 (trop de requêtes)")
        assert rows[3] == (f"| ↪️ redirigé | externe | `{base}/moved-308` | `index.html:3` | "
                           f"redirection permanente (308) : remplacez par {base}/ok |")
        assert len(rows) == 4

        text = run(root, "linkcheck", "--external")
        assert f"index.html:4: cassé (externe) {base}/missing → HTTP 404 (page introuvable)" in text.stdout
        assert "les ancres des pages externes ne sont pas vérifiées" in text.stdout

        internal_only = run(root, "linkcheck")
        assert internal_only.returncode == 0  # external links are only collected
        assert "7 adresse(s) externe(s) non vérifiée(s)" in internal_only.stdout


def test_unknown_and_redirects_do_not_fail(tmp_path):
    with serve() as (base, _):
        root = external_site(tmp_path, base, ["/ok", "/moved-301", "/busy", "/reset"], CONFIG)
        result = run(root, "linkcheck", "--external", "--no-cache")
    assert result.returncode == 0, result.stdout
    assert "2 incertain" in result.stdout and "1 redirigé" in result.stdout


def test_bad_configuration_is_a_usage_error(tmp_path):
    external_site(tmp_path, "http://127.0.0.1:9", ["/ok"], "      exclude: ['(']\n      vitesse: 3\n")
    result = run(tmp_path, "linkcheck", "--external")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "expression régulière invalide « ( »" in result.stderr and "vitesse" in result.stderr


# --- the same broken site, checked by LinkChecker ----------------------------------------------------------------


class PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """The site served under its site_url path, as GitHub Pages does; allows LinkChecker's full request rate."""

    def translate_path(self, path):
        if not path.startswith("/centre-ressources/"):
            return "/nonexistent"
        return super().translate_path(path[len("/centre-ressources"):])

    def end_headers(self):
        self.send_header("LinkChecker", "allowed")  # LinkChecker exceeds 10 requests/s only when asked to
        super().end_headers()

    def log_message(self, *args):
        pass


def linkchecker_broken(base: str, config: Path) -> set[str]:
    """Broken links and missing anchors found by LinkChecker, as targets in our notation."""
    program = Path(sys.executable).parent / "linkchecker"
    if not program.exists():
        missing("LinkChecker n'est pas installé (pip install -r requirements.lock)")
    result = subprocess.run([str(program), "-f", str(config), "--no-status", "-o", "csv/utf-8",
                             f"{base}/centre-ressources/", f"{base}/centre-ressources/404.html"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    rows = csv.DictReader((line for line in result.stdout.splitlines() if not line.startswith("#")), delimiter=";")
    found = set()
    for row in rows:
        if row["valid"] == "False" or "Anchor" in row["warningstring"]:
            target = row["url"].removeprefix(f"{base}/centre-ressources")
            path, _, fragment = target.partition("#")
            path = path.removeprefix("/") if not path.startswith("//") else path[1:]
            found.add((path + "index.html" if path.endswith("/") or path == "" else path) + (f"#{fragment}" if fragment else ""))
    return found


def test_linkchecker_finds_the_same_broken_links(broken, tmp_path):
    config = tmp_path / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\n[AnchorCheck]\n", encoding="utf-8")
    handler = functools.partial(PrefixHandler, directory=str(broken / "site"))
    with serve(handler=handler) as (base, _):
        theirs = linkchecker_broken(base, config)
    ours = set(places(json.loads(run(broken, "linkcheck", "--format", "json").stdout)))
    # LinkChecker collapses "//" in paths: 404.html's /centre-ressources//annonces-disparues/ is its annonces-disparues/ (same 404)
    assert "/annonces-disparues/index.html" in ours
    ours = {re.sub("/+", "/", target).removeprefix("/") for target in ours}
    # the one real difference: an absolute link to the published address is internal for us, external for LinkChecker
    assert ours - theirs == {"methodes/disparue/index.html"}
    assert theirs == ours - {"methodes/disparue/index.html"}
