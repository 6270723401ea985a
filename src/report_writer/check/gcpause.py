"""Python's cyclic garbage collector, paused while a check runs.

A check of a long report makes a few hundred thousand objects that all live until it ends. The
collector walks them again and again as they age (a full pass over a 100× report's objects costs
~80 ms, a tenth of the check) and finds nothing to free: a check makes no reference cycles
(tests/test_gcpause.py checks every example, fixture and real report), so reference counting frees
all of it as usual. Nested and concurrent checks leave the collector as they found it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_depth = 0
_resume = False  # whether the collector ran when the outermost check began


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _resume
    with _LOCK:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _LOCK:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
