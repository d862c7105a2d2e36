"""Driving MkDocs: the only module that imports it.

`build` writes the docs folder and the site atomically: everything is produced in a
temporary folder under build/, and swapped into place only when MkDocs succeeded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import search
from .config import SiteConfig, read_config
from .emit import emit
from .mkdocs_yml import CONFIG
from .model import Corpus
from .problems import Problems, format_text
from .registry import TYPES

DOCS = Path("build/docs")
SITE = Path("site")


def settings(root: Path) -> SiteConfig:
    """The typed site configuration (problems in it are reported by `check` and `build`)."""
    return read_config(root, Problems())


def site_files(root: Path, corpus: Corpus) -> dict[str, str]:
    return {**emit(corpus, settings(root)), search.ICONS: search.icon_sprite()}


def write_docs(files: dict[str, str], target: Path) -> None:
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def sync_docs(files: dict[str, str], target: Path) -> int:
    """Write only what changed (for live reload); remove pages that disappeared."""
    changed = 0
    for rel, text in files.items():
        path, data = target / rel, text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:  # bytes: a file with CRLF (RIS, CSV) is not "changed"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed += 1
    for path in target.rglob("*"):
        if path.is_file() and path.relative_to(target).as_posix() not in files:
            path.unlink()
            changed += 1
    return changed


def _swap(new: Path, final: Path, trash: Path) -> None:
    if final.exists():
        final.rename(trash / final.name)
    final.parent.mkdir(parents=True, exist_ok=True)
    new.rename(final)


def _mkdocs_build(config_file: Path, docs: Path, site: Path, strict: bool = True) -> bool:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.WARNING, stream=sys.stderr)
    try:
        config = load_config(str(config_file), docs_dir=str(docs), site_dir=str(site), strict=strict)
        build(config)
    except MkDocsException as exc:
        print(f"MkDocs a échoué : {exc}", file=sys.stderr)
        return False
    return True


def _zensical_build(config_file: Path, docs: Path, site: Path, strict: bool = True) -> bool:
    """Zensical (0.0.73) reads mkdocs.yml, but wants docs_dir and site_dir inside the folder of its configuration:
    the same configuration is written next to the temporary docs, with the theme overrides' absolute path."""
    text = config_file.read_text(encoding="utf-8")
    overrides = (config_file.parent / "overrides").resolve()
    for pattern, value in ((r"^docs_dir: .*$", f"docs_dir: {docs.name}"), (r"^site_dir: .*$", f"site_dir: {site.name}"),
                           (r"^  custom_dir: .*$", f"  custom_dir: {json.dumps(str(overrides))}")):
        text, count = re.subn(pattern, value, text, count=1, flags=re.MULTILINE)
        if not count:
            print(f"Zensical : {config_file} n'a pas de ligne « {pattern.strip('^$. *')} ».", file=sys.stderr)
            return False
    config = docs.parent / "zensical.yml"
    config.write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "zensical", "build", "-f", str(config), "--clean", *(["--strict"] if strict else [])]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (site / "index.html").is_file():
        print(f"Zensical a échoué :\n{result.stdout}{result.stderr}", file=sys.stderr)
        return False
    return True


@contextlib.contextmanager
def _content_date(corpus: Corpus):
    """Reproducible builds: MkDocs dates the sitemap (lastmod, gzip header) with the day of the build unless
    SOURCE_DATE_EPOCH is set; without it, the newest `updated` date of the records is used."""
    dates = [d for entry in corpus.entries.values() if (d := getattr(entry.meta, "updated", None))]
    if "SOURCE_DATE_EPOCH" in os.environ or not dates:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.combine(max(dates), dt.time(), dt.UTC).timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build_site(root: Path, corpus: Corpus, docs_only: bool = False, force: bool = False, engine: str = "mkdocs") -> int:
    """`force` (tests only) builds records that failed `check`: their links may lead nowhere, so MkDocs is not strict.
    `engine`: MkDocs (the default) or Zensical builds the HTML; Pagefind indexes it the same way."""
    files = site_files(root, corpus)
    (root / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root / "build", prefix=".tmp-") as tmp:
        tmp = Path(tmp)
        write_docs(files, tmp / "docs")
        with _content_date(corpus):
            builder = _zensical_build if engine == "zensical" else _mkdocs_build
            built = docs_only or builder(root / CONFIG, tmp / "docs", tmp / "site", strict=not force)
        built = built and (docs_only or search.index_site(tmp / "site"))
        if not built:
            print("Construction annulée : le site précédent est intact.", file=sys.stderr)
            return 1
        trash = tmp / "trash"
        trash.mkdir()
        _swap(tmp / "docs", root / DOCS, trash)
        if not docs_only:
            _swap(tmp / "site", root / SITE, trash)
    target = DOCS if docs_only else SITE
    print(f"{len(corpus.entries)} fiches, {len(files)} fichiers écrits → {target}/")
    return 0


def serve_site(root: Path, corpus: Corpus, addr: str) -> int:
    """Write the docs, then let `mkdocs serve` watch them while we watch the records."""
    from mkdocs.commands.serve import serve
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    from .build import build_corpus

    logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.INFO, stream=sys.stderr)
    docs = root / DOCS
    if docs.exists():
        shutil.rmtree(docs)
    write_docs(site_files(root, corpus), docs)
    pending = threading.Event()

    class Changed(FileSystemEventHandler):
        def on_any_event(self, event):
            # only writes: reading a record (watchdog reports opened and closed files too) must not start a new round
            if (event.event_type in ("created", "modified", "moved", "deleted") and not event.is_directory
                    and str(event.src_path).endswith((".md", ".yml"))):
                pending.set()

    def regenerate():
        while True:
            pending.wait()
            time.sleep(0.3)
            pending.clear()
            new_corpus, problems = build_corpus(root, cache=True)
            if problems.errors:
                print(format_text(problems.sorted()), file=sys.stderr)
                print("Pages non régénérées : corrigez les erreurs ci-dessus.", file=sys.stderr)
                continue
            count = sync_docs(site_files(root, new_corpus), docs)
            print(f"{count} page(s) régénérée(s).", file=sys.stderr)

    observer = Observer()
    folders = {t.folder.split("/")[0] for t in TYPES.values()}
    for folder in sorted(folders):
        if (root / folder).is_dir():
            observer.schedule(Changed(), str(root / folder), recursive=True)
    observer.start()
    threading.Thread(target=regenerate, daemon=True).start()
    os.chdir(root)
    try:
        # "dirty": MkDocs renders again only the pages whose Markdown changed, and sync_docs writes only those
        # (a changed title rewrites the pages that link to it, a new term the pages that use it)
        # (MkDocs warns about dirty builds, which strict mode would make fatal: the records were checked already)
        serve(config_file=str(root / CONFIG), dev_addr=addr, livereload=True, build_type="dirty", strict=False)
    finally:
        observer.stop()
    return 0
