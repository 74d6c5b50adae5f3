"""Python's cycle collector, paused while a command makes millions of objects and no cycles."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def without_gc():
    """Python's cycle collector paused for a pull's or a push's bulk work. Parsing and
    exploding a 10 MB export, or reading, checking and assembling a tree, makes millions of
    objects and no cycles, and each full collection walks all of them: about a third of a
    pull's CPU time, 15-20% of a push's (issue 14). What it would have found waits for its
    next full run.

    Turned back on, its next young-generation run would scan every object made meanwhile
    (0.15 s on the stress tree), so they are moved to the oldest generation first: freeze
    then unfreeze does that without scanning (unless something else froze objects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
