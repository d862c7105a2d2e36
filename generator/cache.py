"""A cache of per-file results, so that `check` and `build` redo only what changed.

What is cached is the result of pure functions of a file's bytes (parsing, forbidden HTML)
and of a body plus the corpus' front matters (wiki links and glossary terms). Keys carry
the file's hash; a fingerprint of the generator's own code and of the Python and library
versions invalidates everything at once. The cache lives in build/.cache/ (never next to
the records), is written atomically, and is dropped silently when unreadable.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from . import parallel

T = TypeVar("T")
CACHE_FILE = Path("build/.cache/corpus.pickle")
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


class Cache:
    """`Cache(root)` reads the previous run's results; `Cache(root, enabled=False)` only computes (--no-cache)."""

    def __init__(self, root: Path, enabled: bool = True):
        self.path = root / CACHE_FILE
        self.enabled = enabled
        self.key = fingerprint() if enabled else ""
        self.old: dict = {}
        self.new: dict = {}
        self.hits = 0
        if not enabled:
            return
        try:
            with self.path.open("rb") as stream:
                key, entries = pickle.load(stream)
            if key == self.key:
                self.old = entries
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            pass  # no cache, or one from another version: start afresh

    def memo(self, key: tuple, compute: Callable[..., T], *args) -> T:
        """compute(*args), or its result from the previous run under the same key."""
        if key in self.old:
            self.hits += 1
            value = self.old[key]
        else:
            value = compute(*args)
        if self.enabled:
            self.new[key] = value
        return value

    def memo_all(self, calls: list[tuple[tuple, tuple]], compute: Callable[..., T], context=None) -> list[T]:
        """[compute(context, *args) for (key, args) in calls], each from the previous run when its key is known;
        the others computed on every core (parallel.py)."""
        missing = [args for key, args in calls if key not in self.old]
        computed = iter(parallel.starmap(compute, missing, context))
        out = []
        for key, _ in calls:
            if key in self.old:
                self.hits += 1
                value = self.old[key]
            else:
                value = next(computed)
            if self.enabled:
                self.new[key] = value
            out.append(value)
        return out

    def save(self) -> None:
        """Keep what this run used (so the cache never grows stale entries); never fails the run."""
        if not self.enabled or self.new.keys() == self.old.keys():
            return
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".corpus-")
            with os.fdopen(fd, "wb") as stream:
                pickle.dump((self.key, self.new), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except (OSError, pickle.PicklingError):
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
