"""External links, checked politely with httpx: limits per host and overall, intervals, retries, Retry-After,
HEAD then GET, redirects followed by hand, an on-disk cache."""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import json
import os
import re
import time
from datetime import UTC
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ..config import LinkcheckConfig as Config
from .results import Result

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
