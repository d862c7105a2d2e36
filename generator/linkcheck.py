"""Link checker of the built site: `python -m generator linkcheck [--external]`.

Internal mode (default, offline). Every `href`/`src` of every HTML page of the site (links, images, scripts,
stylesheets, Material's search worker named in its `__config`) and every `#fragment` must resolve to a file of
the site and to an `id` or `name` of the target page. URLs are percent-decoded, directory URLs lead to their
`index.html`, and absolute URLs on the site's own address (`site_url` of mkdocs.yml, path prefix included)
count as internal. The generator's own link graph (`Corpus.links`: wiki links, glossary terms, front-matter
references) is checked too: its nodes, the record pages, must be in the site (which catches a stale site);
the corpus with its edges and lines is built only when something is broken or missing. A problem is
reported at the record's file and line when the link comes from a record, else at the HTML page.
Links to other hosts are collected, not checked; mailto:, tel:, javascript: and data: are ignored.

External mode (`--external`): every collected URL is checked with httpx (see `ExternalChecker`): a global and
a per-host concurrency limit, a minimum interval between two requests to one host, timeouts, retries with
exponential backoff, `Retry-After` honoured (capped), HEAD then GET, redirects followed (a permanent one is a
warning carrying the new URL), an on-disk JSON cache, exclusions and accepted status codes from the
`linkcheck:` block under `extra: efc:` of mkdocs.yml (`Config`). A 429, 503, timeout or connection error is
"unknown" (try again later), never "ok" nor "broken". Fragments of external pages are not checked.

Compared with LinkChecker (tests/test_linkcheck.py runs both on the same served build): both find the same
broken targets. LinkChecker crawls over HTTP from start URLs, so it sees only pages reachable by links, takes
an absolute link to the published address for an external one, collapses "//" in paths, checks anchors only
with its AnchorCheck plugin (a config file) and reports a missing one as a warning, once per URL. We read
every page from disk, report every occurrence at the record's line, and check the generator's graph too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import html
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from selectolax.lexbor import LexborHTMLParser

from . import mkdocs_yml

KINDS = ("broken", "unknown", "redirect", "ok", "excluded", "unchecked")  # report order
IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "about:", "blob:")
LINKED = "[href], [src], [srcset], [id], [name]"  # one selector list: one pass over the tree
NOT_RESOURCES = {"preconnect", "dns-prefetch"}  # <link rel=…> that load nothing


# --- configuration ------------------------------------------------------------------------------------

class Config(BaseModel):
    """The `linkcheck:` block under `extra: efc:` in mkdocs.yml. Durations in seconds."""

    model_config = ConfigDict(extra="forbid")
    exclude: list[str] = []  # regular expressions (re.search) of URLs never requested
    accept: list[int] = []  # status codes taken as success besides 2xx (e.g. 403 of sites that refuse robots)
    concurrency: int = Field(8, ge=1, le=64)  # requests in flight, all hosts together
    per_host: int = Field(2, ge=1, le=16)  # requests in flight to one host
    interval: float = Field(1.0, ge=0)  # minimum time between the starts of two requests to one host
    timeout: float = Field(10.0, gt=0)
    retries: int = Field(2, ge=0, le=10)  # after the first try, for 429, 5xx, timeouts and connection errors
    backoff: float = Field(1.0, ge=0)  # first retry delay, doubled at each retry
    max_retry_after: float = Field(60.0, ge=0)  # a longer Retry-After gives "unknown" at once
    max_redirects: int = Field(10, ge=0)
    cache: str = ".cache/linkcheck.json"  # relative to the repository root
    cache_max_age: float = Field(7 * 86400, ge=0)
    user_agent: str = "centre-ressources-efc-linkcheck/1.0"

    @field_validator("exclude")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"expression régulière invalide « {pattern} » : {exc}") from None
        return patterns


class UsageError(Exception):
    """Bad input (missing site, bad configuration): a French message, exit code 2."""


def read_mkdocs(root: Path) -> dict:
    try:
        return mkdocs_yml.read_mkdocs(root)
    except mkdocs_yml.Unreadable as exc:
        raise UsageError(f"mkdocs.yml illisible : {exc}") from None


def load_config(mkdocs: dict) -> Config:
    block = mkdocs
    for key in ("extra", "efc", "linkcheck"):
        block = block.get(key) if isinstance(block, dict) else None
    try:
        return Config.model_validate(block or {})
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'linkcheck'} : {e['msg']}" for e in exc.errors())
        raise UsageError(f"configuration « extra.efc.linkcheck » de mkdocs.yml invalide : {where}") from None


# --- results ------------------------------------------------------------------------------------------

@dataclass
class Where:
    """One occurrence of a link: the HTML page, and the record file and line when it comes from a record."""

    page: str  # relative to the site folder
    href: str  # as written in the page
    file: str = ""  # record file relative to the root, or the HTML page; filled by `Locator`
    line: int = 0


@dataclass
class Result:
    url: str  # internal: the target within the site (path#fragment); external: the URL
    kind: str  # one of KINDS
    status: int | None = None  # HTTP status (external)
    message: str = ""  # French, for people
    target: str | None = None  # redirect: where it leads (the new URL for a permanent redirect)
    cached: bool = False
    where: list[Where] = field(default_factory=list)

    def data(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    site: str
    pages: int = 0
    links: int = 0  # internal link occurrences checked
    internal: list[Result] = field(default_factory=list)  # broken internal links only
    external: list[Result] = field(default_factory=list)  # every external URL
    external_checked: bool = False

    @property
    def broken(self) -> int:
        return len(self.internal) + sum(r.kind == "broken" for r in self.external)

    def counts(self) -> dict[str, int]:
        """External URLs by kind."""
        return {kind: sum(r.kind == kind for r in self.external) for kind in KINDS}


# --- the built site -----------------------------------------------------------------------------------

def html_of(page: str) -> str:
    """The HTML file MkDocs writes for a docs page (directory URLs): a/b.md -> a/b/index.html."""
    stem = page.removesuffix(".md")
    return stem + ".html" if stem == "index" or stem.endswith("/index") else stem + "/index.html"


class Site:
    """Every file of the built site, and for every HTML page its anchors and the URLs it refers to."""

    def __init__(self, folder: Path, site_url: str = ""):
        parts = urlsplit(site_url or "https://site.invalid/")
        self.folder = folder
        self.host = parts.netloc.lower()
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.base = f"https://{self.host}{self.prefix}"
        self.files: set[str] = set()
        self.anchors: dict[str, set[str]] = {}
        self.refs: dict[str, list[str]] = {}  # page -> URLs as written
        for directory, _, names in os.walk(folder):
            rel = os.path.relpath(directory, folder).replace(os.sep, "/")
            rel = "" if rel == "." else rel + "/"
            self.files.update(rel + name for name in names)

    def scan(self, progress=None) -> None:
        pages = sorted(f for f in self.files if f.endswith(".html"))
        for i, page in enumerate(pages):
            try:
                self.anchors[page], self.refs[page] = _scan_page((self.folder / page).read_bytes())
            except OSError:  # a dangling link or no permission: the page and links to it are broken
                self.files.discard(page)
            if progress:
                progress(i + 1, len(pages))
        if "sitemap.xml" in self.files:  # MkDocs lists every page there, under the site's address
            import xml.etree.ElementTree as ET

            try:
                tree = ET.parse(self.folder / "sitemap.xml")
            except (ET.ParseError, OSError):
                return
            self.refs["sitemap.xml"] = [loc.text.strip() for loc in tree.iter() if loc.tag.endswith("}loc") and loc.text]

    def resolve(self, directory: str, href: str) -> tuple[str, str, str]:
        """(kind, target, fragment) of a URL written in a page of `directory` ("" or "a/b").

        kind: internal (target: a file of the site, maybe missing), external (target: the absolute URL
        without fragment), outside (a path of our host outside the site) or ignored.
        """
        href = href.strip()
        if not href or href.lower().startswith(IGNORED_SCHEMES):
            return "ignored", "", ""
        absolute = href.lower().startswith(("http://", "https://"))
        url = href if absolute else urljoin(self.base + directory + ("/" if directory else ""), href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "ignored", "", ""
        if parts.netloc.lower() != self.host:
            return "external", url.partition("#")[0], ""
        path = unquote(parts.path)
        if not (path + "/").startswith(self.prefix):
            return "outside", path, ""
        path = path[len(self.prefix):]
        if path == "" or path.endswith("/"):
            path += "index.html"
        elif path not in self.files and path + "/index.html" in self.files:
            path += "/index.html"
        return "internal", path, unquote(parts.fragment)


def _scan_page(html: bytes) -> tuple[set[str], list[str]]:
    anchors, refs = set(), []
    for node in LexborHTMLParser(html).css(LINKED):
        attrs, tag = node.attributes, node.tag
        if attrs.get("id"):
            anchors.add(attrs["id"])
            if tag == "script" and attrs["id"] == "__config":  # Material's search worker
                try:
                    refs.append(json.loads(node.text())["search"])
                except (ValueError, KeyError, TypeError):
                    pass
        if tag == "a" and attrs.get("name"):
            anchors.add(attrs["name"])
        href, src, srcset = attrs.get("href"), attrs.get("src"), attrs.get("srcset")
        if href is not None and tag != "base" and not (tag == "link" and NOT_RESOURCES.intersection((attrs.get("rel") or "").split())):
            refs.append(href)
        if src is not None:
            refs.append(src)
        if srcset:
            refs += [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
    return anchors, refs


def _shortcut(directory: str, href: str) -> tuple[str, str]:
    """Climb the leading ../ of a relative URL: pages of many folders then share one resolution."""
    if "://" in href or href.startswith("/"):
        return "", href
    while directory and (href.startswith("../") or href == ".."):
        directory, href = directory.rpartition("/")[0], href[3:]
    return directory, href


def _has_anchor(site: Site, page: str, fragment: str) -> bool:
    # an empty fragment and "top" lead to the top of any page (HTML standard)
    return not fragment or fragment in site.anchors.get(page, ()) or fragment.lower() == "top"


def check_html(site: Site, report: Report) -> dict[str, list[Where]]:
    """Internal links of the HTML pages into report.internal; returns external URL -> occurrences."""
    broken: dict[str, Result] = {}
    external: dict[str, list[Where]] = {}
    seen: dict[tuple[str, str], tuple[str, str, str]] = {}
    for page, refs in site.refs.items():
        directory = page.rpartition("/")[0]
        for href in refs:
            if href.startswith("#"):
                kind, target, fragment = "internal", page, unquote(href[1:]) if "%" in href else href[1:]
            else:
                key = _shortcut(directory, href)
                resolved = seen.get(key)
                if resolved is None:
                    resolved = seen[key] = site.resolve(*key)
                kind, target, fragment = resolved
            if kind == "ignored":
                continue
            if kind == "external":
                external.setdefault(target, []).append(Where(page, href))
                continue
            report.links += 1
            if kind == "outside":
                message = f"adresse hors du site (le site est servi sous {site.prefix})"
            elif target not in site.files:
                message = f"page ou fichier introuvable : {target}"
            elif fragment and target.endswith(".html") and not _has_anchor(site, target, fragment):
                message = f"ancre « #{fragment} » absente de {target}"
            else:
                continue
            url = target + (f"#{fragment}" if fragment else "")
            broken.setdefault(url, Result(url, "broken", message=message)).where.append(Where(page, href))
    report.internal += broken.values()
    return external


# --- the generator's link graph and the record lines ----------------------------------------------------

FRONT_KEYS = {"source": "sources", "related": "related", "methods": "methods", "programme": "programme",
              "parent": "parent"}


def _front_line(entry, link) -> int:
    key = FRONT_KEYS.get(link.relation, link.relation)
    values = getattr(entry.meta, key, None)
    if isinstance(values, list):
        ids = [getattr(v, "ref", v) for v in values]
        if link.target in ids:
            i = ids.index(link.target)
            return entry.raw.line_of((key, i, "ref") if key == "sources" else (key, i))
    return entry.raw.line_of((key,))


def check_graph(corpus, site: Site, report: Report) -> None:
    """Every record page, and so every target of the generator's link graph, must be in the built site."""
    from .linking import relative

    missing = {}
    for entry in corpus.entries.values():
        url = html_of(entry.page)
        if url not in site.files:
            missing[entry.id] = Result(url, "broken", message="page de la fiche absente du site (site périmé : relancez build)",
                                       where=[Where(url, url, entry.path, 1)])
    for link in corpus.links:
        if link.target in missing and link.source not in missing:
            source, target = corpus.entries[link.source], corpus.entries[link.target]
            where = Where(html_of(source.page), relative(source.page, target.page), source.path,
                          link.line or _front_line(source, link))
            missing[link.target].where.append(where)
    report.internal += missing.values()


class Locator:
    """Finds where a link of an HTML page is written: the record's file and line, else the HTML page."""

    def __init__(self, root: Path, site: Site, corpus=None):
        self.root, self.site = root, site
        self.records = {html_of(e.page): e for e in corpus.entries.values()} if corpus else {}
        self.graph: dict[tuple[str, str], object] = {}  # (record id, target HTML page) -> the graph's Link
        for link in corpus.links if corpus else ():
            self.graph.setdefault((link.source, html_of(corpus.entries[link.target].page)), link)
        self.texts: dict[str, dict[str, str]] = {}  # page -> href -> link text

    def __call__(self, where: Where) -> Where:
        if not where.file:
            where.file, where.line = self._record_line(where) or (where.page, self._html_line(where))
        return where

    def _record_line(self, where: Where) -> tuple[str, int] | None:
        entry = self.records.get(where.page)
        if entry is None:
            return None
        try:
            lines = (self.root / entry.path).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return None
        specific = len(where.href.strip("./#")) > 4  # not "../" nor "#"
        for number, line in enumerate(lines if specific else ()):  # an address written as is, body or front matter
            if where.href in line:
                return entry.path, number + 1
        path, _, fragment = where.href.partition("#")
        _, target, _ = self.site.resolve(where.page.rpartition("/")[0], where.href)
        link = None if fragment else self.graph.get((entry.id, target))
        if link is not None:  # a wiki link, a glossary term or a front-matter reference
            return entry.path, link.line or _front_line(entry, link)
        stem, text = path.rstrip("/").rpartition("/")[2], self._text(where)
        needles = [f"[{text}](" if text else "", f"{stem}.md" if stem not in ("", "..", ".") else "",
                   f"#{fragment}" if fragment else ""]  # a Markdown link that MkDocs rewrote
        for number in range(entry.raw.body_line - 1, len(lines)):
            line = lines[number]
            if ("](" in line or "href" in line) and any(n and n in line for n in needles):
                return entry.path, number + 1
        return None

    def _text(self, where: Where) -> str:
        """The text of the link, as MkDocs rendered it (the Markdown link text, in most cases)."""
        if where.page not in self.texts:
            tree = LexborHTMLParser((self.site.folder / where.page).read_bytes())
            self.texts[where.page] = {a.attributes.get("href"): a.text().strip() for a in tree.css("a[href]")}
        return self.texts[where.page].get(where.href, "")

    def _html_line(self, where: Where) -> int:
        try:
            text = (self.site.folder / where.page).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return 1
        for needle in (f'"{where.href}"', f'"{html.escape(where.href)}"', where.href):
            position = text.find(needle)
            if position >= 0:
                return text.count("\n", 0, position) + 1
        return 1


# --- external links -------------------------------------------------------------------------------------

PERMANENT = {301, 308}
HEAD_FALLBACK = {400, 401, 403, 405, 406, 500, 501}  # servers that refuse or mishandle HEAD
TRANSIENT = {429: "unknown", 503: "unknown", 500: "broken", 502: "broken", 504: "broken"}  # after the last retry
STATUS_FR = {400: "requête refusée", 401: "authentification requise", 403: "accès refusé", 404: "page introuvable",
             405: "méthode refusée", 410: "page supprimée", 429: "trop de requêtes", 500: "erreur du serveur",
             502: "passerelle en erreur", 503: "service indisponible", 504: "passerelle sans réponse"}


def status_text(status: int) -> str:
    try:
        phrase = STATUS_FR.get(status) or HTTPStatus(status).phrase
    except ValueError:
        phrase = "statut inconnu"
    return f"HTTP {status} ({phrase})"


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait, from a Retry-After header in seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Invalid(Exception):
    """A URL that cannot be requested at all (bad syntax, unknown scheme)."""


class Retry(Exception):
    """A failure worth another try; kind is what it becomes after the last one."""

    def __init__(self, kind: str, message: str, status: int | None = None, wait: float | None = None):
        super().__init__(message)
        self.kind, self.message, self.status, self.wait = kind, message, status, wait


class Cache:
    """URL -> result of a past run (ok, redirect, broken), reused while younger than max_age seconds."""

    KEEP = ("ok", "redirect", "broken")

    def __init__(self, path: Path | None, max_age: float):
        self.path, self.max_age, self.changed = path, max_age, False
        self.entries: dict[str, dict] = {}
        if path and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.entries = {k: v for k, v in data.get("entries", {}).items() if isinstance(v, dict)}
            except (OSError, ValueError, AttributeError):
                self.entries = {}  # an unreadable cache is only a slower run

    def get(self, url: str) -> Result | None:
        entry = self.entries.get(url)
        if not entry or time.time() - entry.get("checked", 0) > self.max_age or entry.get("kind") not in self.KEEP:
            return None
        return Result(url, entry["kind"], entry.get("status"), entry.get("message", ""), entry.get("target"), cached=True)

    def put(self, result: Result) -> None:
        if result.kind in self.KEEP and self.path:
            self.entries[result.url] = {"kind": result.kind, "status": result.status, "message": result.message,
                                        "target": result.target, "checked": time.time()}
            self.changed = True

    def save(self) -> None:
        if not (self.path and self.changed):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": 1, "entries": self.entries}, ensure_ascii=False, indent=0), encoding="utf-8")
        os.replace(tmp, self.path)


class ExternalChecker:
    """Checks URLs with httpx, politely: see the module docstring and `Config`."""

    def __init__(self, config: Config, cache: Cache | None = None, progress=None):
        self.config = config
        self.cache = cache or Cache(None, 0)
        self.progress = progress
        self.exclude = [re.compile(p) for p in config.exclude]

    def run(self, urls: list[str]) -> dict[str, Result]:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the usual case: no event loop in this thread
            return asyncio.run(self.check_all(urls))
        # called from code that already runs an event loop (a notebook, Playwright's sync API in the tests):
        # check in a thread of our own, with its own loop
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self.check_all(urls)).result()

    async def check_all(self, urls: list[str]) -> dict[str, Result]:
        import httpx

        self._global = asyncio.Semaphore(self.config.concurrency)
        self._hosts: dict[str, tuple[asyncio.Semaphore, asyncio.Lock]] = {}
        self._last: dict[str, float] = {}  # when the last request to a host started
        self._done = 0
        limits = httpx.Limits(max_connections=self.config.concurrency, max_keepalive_connections=self.config.concurrency)
        async with httpx.AsyncClient(timeout=self.config.timeout, limits=limits, follow_redirects=False,
                                     headers={"User-Agent": self.config.user_agent}) as client:
            results = await asyncio.gather(*(self._one(client, url, len(urls)) for url in urls))
        self.cache.save()
        return dict(zip(urls, results, strict=True))

    async def _one(self, client, url: str, total: int) -> Result:
        if any(p.search(url) for p in self.exclude):
            result = Result(url, "excluded", message="exclu par la configuration")
        else:
            result = self.cache.get(url)
            if result is None or (result.kind == "broken" and result.status in self.config.accept):  # accepted since
                result = await self._check(client, url)
                self.cache.put(result)
        self._done += 1
        if self.progress:
            self.progress(self._done, total)
        return result

    async def _check(self, client, url: str) -> Result:
        for attempt in range(self.config.retries + 1):
            try:
                return await self._follow(client, url)
            except Invalid as exc:
                return Result(url, "broken", message=f"adresse invalide : {exc}")
            except Retry as retry:
                last = retry
                if retry.wait is not None and retry.wait > self.config.max_retry_after:
                    last.message += f" (Retry-After de {retry.wait:.0f} s, au-delà de {self.config.max_retry_after:.0f} s)"
                    break
                if attempt < self.config.retries:
                    await asyncio.sleep(retry.wait if retry.wait is not None else self.config.backoff * 2 ** attempt)
        tries = f"{attempt + 1} essai(s)"
        if last.kind == "unknown":
            return Result(url, "unknown", last.status, f"{last.message} ; {tries}, à revérifier plus tard")
        return Result(url, last.kind, last.status, f"{last.message} ; {tries}")

    async def _follow(self, client, url: str) -> Result:
        hops: list[tuple[int, str]] = []
        current = url
        while True:
            response = await self._request(client, "HEAD", current)
            if response.status_code in HEAD_FALLBACK:
                response = await self._request(client, "GET", current)
            status = response.status_code
            if status in TRANSIENT:
                raise Retry(TRANSIENT[status], status_text(status), status, retry_after(response.headers.get("retry-after")))
            location = response.headers.get("location")
            if 300 <= status < 400 and location:
                if len(hops) >= self.config.max_redirects:
                    return Result(url, "broken", status, f"plus de {self.config.max_redirects} redirections", current)
                current = urljoin(current, location)
                hops.append((status, current))
                continue
            return self._classify(url, status, hops)

    def _classify(self, url: str, status: int, hops: list[tuple[int, str]]) -> Result:
        final = hops[-1][1] if hops else None
        if not (200 <= status < 300 or status in self.config.accept):
            where = f" après redirection vers {final}" if final else ""
            return Result(url, "broken", status, status_text(status) + where, final)
        permanent = 0
        while permanent < len(hops) and hops[permanent][0] in PERMANENT:
            permanent += 1
        if permanent:
            new = hops[permanent - 1][1]
            return Result(url, "redirect", status, f"redirection permanente ({hops[0][0]}) : remplacez par {new}", new)
        if hops:
            return Result(url, "ok", status, f"redirection temporaire ({hops[0][0]}) vers {final}", final)
        return Result(url, "ok", status)

    async def _request(self, client, method: str, url: str):
        import httpx

        host = urlsplit(url).netloc.lower()
        slots, turn = self._hosts.setdefault(host, (asyncio.Semaphore(self.config.per_host), asyncio.Lock()))
        async with slots, self._global:
            async with turn:  # requests to one host start one at a time, `interval` apart
                loop = asyncio.get_running_loop()
                wait = self._last.get(host, -self.config.interval) + self.config.interval - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._last[host] = loop.time()
            try:
                response = await client.send(client.build_request(method, url), stream=True)
                await response.aclose()
                return response
            except httpx.TimeoutException:
                raise Retry("unknown", f"délai dépassé ({self.config.timeout:g} s)") from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                raise Invalid(str(exc)) from None
            except httpx.TransportError as exc:
                raise Retry("unknown", f"connexion impossible ({type(exc).__name__})") from None


def check_external(urls: list[str], config: Config, cache: Cache | None = None, progress=None) -> dict[str, Result]:
    """URL -> result. The synchronous entry point (tests, the command)."""
    checker = ExternalChecker(config, cache, progress)
    return checker.run(urls)


# --- the command ---------------------------------------------------------------------------------------

class Progress:
    """A counter on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, stream=None):
        self.stream = stream or sys.stderr
        self.label, self.last = label, 0.0
        self.active = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.active and (now - self.last > 0.1 or done == total):
            self.last = now
            end = "\r\033[K" if done == total else ""
            print(f"\r{self.label} : {done}/{total}", end=end, file=self.stream, flush=True)


def record_pages(root: Path) -> dict[str, str]:
    """HTML page -> record file, from the file names alone (the ids the generator gives its records)."""
    from .loader import discover
    from .schema import TYPES

    pages = {}
    for type_name, path in discover(root):
        page = f"{path.stem}.md" if type_name == "page" else f"{TYPES[type_name][2]}/{path.stem}.md"
        pages[html_of(page)] = path.relative_to(root).as_posix()
    return pages


def linkcheck(root: Path, site_dir: Path, external: bool = False, use_cache: bool = True,
              records: bool = True, config: Config | None = None) -> Report:
    """Check the site; with `records`, against the generator's graph and with record lines."""
    if not site_dir.is_dir():
        raise UsageError(f"le dossier du site {site_dir} n'existe pas : lancez d'abord « python -m generator build »"
                         " ou indiquez-le avec --site DOSSIER")
    mkdocs = read_mkdocs(root)
    config = config or load_config(mkdocs)
    site = Site(site_dir, str(mkdocs.get("site_url") or ""))
    if not any(f.endswith(".html") for f in site.files):
        raise UsageError(f"le dossier {site_dir} ne contient aucune page HTML")
    report = Report(str(site_dir))
    site.scan(Progress("pages lues"))
    report.pages = sum(page.endswith(".html") for page in site.refs)
    occurrences = check_html(site, report)
    corpus = None
    # The graph's nodes are the record pages: when each record file has its page, every edge resolves, and the
    # corpus (edges and lines, as long to build as `check`) is needed only to say where a problem was written.
    if records and (report.internal or external or any(p not in site.files for p in record_pages(root))):
        from .validate import build_corpus

        corpus = build_corpus(root)[0]
        check_graph(corpus, site, report)
    if external:
        cache = Cache(root / config.cache if use_cache else None, config.cache_max_age)
        results = check_external(sorted(occurrences), config, cache, Progress("liens externes vérifiés"))
        report.external, report.external_checked = list(results.values()), True
    else:
        report.external = [Result(url, "unchecked") for url in sorted(occurrences)]
    locate = Locator(root, site, corpus)
    for result in report.external:
        result.where = occurrences[result.url]
    for result in report.internal + (report.external if external else []):  # unchecked URLs are not located
        result.where = [locate(w) for w in result.where]
    return report


def main(root: Path, args) -> int:
    """The `linkcheck` command: exit 0 when nothing is broken, 1 otherwise, 2 on bad input."""
    from .linkcheck_report import FORMATS

    site_dir = Path(args.site).resolve() if args.site else root / "site"
    try:
        report = linkcheck(root, site_dir, external=args.external, use_cache=not args.no_cache, records=not args.html_only)
        text = FORMATS[args.format](report)
        if args.output:
            try:
                Path(args.output).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"impossible d'écrire le rapport dans {args.output} : {exc.strerror}") from None
        else:
            print(text)
    except UsageError as exc:
        print(f"erreur d'utilisation : {exc}", file=sys.stderr)
        return 2
    return 1 if report.broken else 0
