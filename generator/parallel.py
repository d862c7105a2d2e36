"""Pure work on every core: `check` parses and links thousands of independent files.

`starmap(func, args, context)` runs func(context, *a) for each tuple a, in forked worker processes when there is
enough work, more than one core and no other thread, else in this process. The context (the records, the term matcher…) is
inherited by the workers through fork, never pickled; each result is pickled back once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable

MIN_ITEMS = 400  # below this, starting workers costs more than it saves
_context = None


def _call(packed):
    func, args = packed
    return func(_context, *args)


def workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def starmap(func: Callable, items: list[tuple], context=None) -> list:
    global _context
    count = workers()
    # forking a process that runs other threads (serve: MkDocs' server, the file watcher) could copy a held lock
    if (len(items) < MIN_ITEMS or count < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [func(context, *args) for args in items]
    _context = context
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return pool.map(_call, [(func, args) for args in items], chunksize=max(1, len(items) // (count * 8)))
    finally:
        _context = None
