"""A cache of per-file results, so that `check` and `build` redo only what changed.

What is cached is the result of pure functions of a file's bytes (parsing, forbidden HTML)
and of a body plus what of the other records it depends on (wiki links and glossary terms). Keys
carry the file's hash; a fingerprint of the generator's own code and of the Python and library
versions invalidates everything at once. The cache lives in build/.cache/ (never next to
the records), in shards by file (a run rewrites only the shards of the files that changed),
each written atomically, and is dropped silently when unreadable. Rendered bodies, the large
results, are kept in shards of their own, read only by who needs them (`build`, not `check`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from . import parallel

T = TypeVar("T")
CACHE_DIR = Path("build/.cache")
SHARDS = 16  # one change rewrites about 1/16 of the cache (12 MB at 10,000 records)
_LIBRARIES = ("PyYAML", "pydantic", "pyahocorasick", "Markdown")


def fingerprint() -> str:
    """Changes whenever the generator's code, Python or a parsing library changes."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            pass
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _shard(key: tuple) -> int:
    """Keys are (kind, file, …): the results of one file share a shard."""
    return zlib.crc32(key[1].encode()) % SHARDS


class _Store:
    """The results of the previous run (`old`, read from its shard files) and of this one (`new`)."""

    def __init__(self, folder: Path, name: str, key: str):
        self.paths = [folder / f"{name}-{i:02d}.pickle" for i in range(SHARDS)]
        self.key = key
        self.old: dict = {}
        self.new: dict = {}
        for path in self.paths:
            try:
                with path.open("rb") as stream:
                    key, entries = pickle.load(stream)
                if key == self.key:
                    self.old.update(entries)
            except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
                pass  # no cache, or one from another version: start afresh

    def save(self) -> None:
        """Rewrite the shards whose keys changed (so the cache never grows stale entries); never fails the run."""
        changed = {_shard(key) for key in self.new.keys() ^ self.old.keys()}
        shards: dict[int, dict] = {i: {} for i in changed}
        for key, value in self.new.items():
            if (shard := _shard(key)) in shards:
                shards[shard][key] = value
        for shard, entries in shards.items():
            _write(self.paths[shard], (self.key, entries))


def _write(path: Path, data) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-")
        with os.fdopen(fd, "wb") as stream:
            pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


class Cache:
    """`Cache(root)` reads the previous run's results; `Cache(root, enabled=False)` only computes (--no-cache)."""

    def __init__(self, root: Path, enabled: bool = True):
        self.folder = root / CACHE_DIR
        self.enabled = enabled
        self.key = fingerprint() if enabled else ""
        self.hits = 0
        self.results = _Store(self.folder, "corpus", self.key) if enabled else None
        self.texts: _Store | None = None  # read on first use of text()

    @property
    def old(self) -> dict:
        return self.results.old if self.enabled else {}

    def _keep(self, key: tuple, value) -> None:
        if self.enabled:
            self.results.new[key] = value

    def memo(self, key: tuple, compute: Callable[..., T], *args) -> T:
        """compute(*args), or its result from the previous run under the same key (key[1]: the file it is about)."""
        if key in self.old:
            self.hits += 1
            value = self.old[key]
        else:
            value = compute(*args)
        self._keep(key, value)
        return value

    def memo_all(self, calls: list[tuple[tuple, tuple]], compute: Callable[..., T], context=None,
                 keep: Callable[[T], T] = lambda value: value) -> list[T]:
        """[compute(context, *args) for (key, args) in calls], each from the previous run when its key is known;
        the others computed on every core (parallel.py). What is kept for the next run is keep(result)."""
        old = self.old
        missing = [args for key, args in calls if key not in old]
        computed = iter(parallel.starmap(compute, missing, context))
        out = []
        for key, _ in calls:
            if key in old:
                self.hits += 1
                value = old[key]
                self._keep(key, value)
            else:
                value = next(computed)
                self._keep(key, keep(value))
            out.append(value)
        return out

    def text(self, key: tuple, compute: Callable[[], str]) -> str:
        """A large result (a rendered body) from the previous run, or compute(). These are kept in shards of their
        own, read on first use: `check`, which needs none, never reads them."""
        if not self.enabled:
            return compute()
        if self.texts is None:
            self.texts = _Store(self.folder, "texts", self.key)
        value = self.texts.old.get(key)
        if value is None:
            value = compute()
        self.texts.new[key] = value
        return value

    def save(self) -> None:
        """Keep what this run used; never fails the run."""
        if self.enabled:
            self.results.save()
            if self.texts is not None:
                self.texts.save()
