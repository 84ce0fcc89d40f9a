"""Pausing Python's cyclic garbage collector around a bulk write."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off; it is on again when the block ends.

    Reference counting still frees every object that is not in a cycle, so memory is kept only
    for cycles made inside the block, until it ends. Why: a bulk write (the enrolment import)
    makes tens of thousands of objects that live until it ends, and every so many new objects
    set off a full collection, which walks every object of the process (all of Django and its
    caches), not only the new ones: two or three of them were a third of the CPU time of a
    1,000-row import. Nested blocks, or a process that keeps the collector off, are left as
    they are."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
