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
`linkcheck:` block under `extra: efc:` of mkdocs.yml (`config.LinkcheckConfig`). A 429, 503, timeout or connection error is
"unknown" (try again later), never "ok" nor "broken". Fragments of external pages are not checked.

Compared with LinkChecker (tests/test_linkcheck.py runs both on the same served build): both find the same
broken targets. LinkChecker crawls over HTTP from start URLs, so it sees only pages reachable by links, takes
an absolute link to the published address for an external one, collapses "//" in paths, checks anchors only
with its AnchorCheck plugin (a config file) and reports a missing one as a warning, once per URL. We read
every page from disk, report every occurrence at the record's line, and check the generator's graph too.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..config import LinkcheckConfig as Config
from ..config import read_config
from ..problems import Problems
from .external import Cache, check_external
from .graph import Locator, check_graph, record_pages
from .report import FORMATS
from .results import Report, Result, UsageError, Where
from .site import Site, check_html

__all__ = ["Cache", "Config", "Report", "Result", "Site", "UsageError", "Where", "check_external", "check_html", "linkcheck",
           "main", "retry_after"]
from .external import retry_after  # noqa: E402


def load_config(root: Path) -> tuple[str, Config]:
    """(site_url, linkcheck configuration) from mkdocs.yml; a problem in it is a usage error naming its line."""
    problems = Problems()
    config = read_config(root, problems)
    if problems.items:
        raise UsageError("; ".join(f"{p.file}:{p.line} : {p.message}" for p in problems.sorted()))
    return config.site_url, config.efc.linkcheck


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


def linkcheck(root: Path, site_dir: Path, external: bool = False, use_cache: bool = True,
              records: bool = True, config: Config | None = None) -> Report:
    """Check the site; with `records`, against the generator's graph and with record lines."""
    if not site_dir.is_dir():
        raise UsageError(f"le dossier du site {site_dir} n'existe pas : lancez d'abord « python -m generator build »"
                         " ou indiquez-le avec --site DOSSIER")
    site_url, configured = load_config(root)
    config = config or configured
    site = Site(site_dir, site_url)
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
        from ..build import build_corpus

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
