"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; it is back on afterwards, however the block ends.

    Building a pack or bulk-loading answers allocates many small objects while many more
    stay alive, and each full collection walks all of them again (a 2,000-answer pack grew
    faster than linearly; a million-answer load spent a third of its Python time there).
    Reference counting still frees everything, and nothing these blocks make is cyclic.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["paused_gc"]
