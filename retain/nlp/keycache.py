"""The shipped gazetteer's alias table, cached on disk under a digest of everything that builds it."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

# What the table is made of: the gazetteer, and the code that reads and normalises it. A
# change to any of them (or another Python) gives another digest, so a stale table is never read.
SOURCES = ("data/gazetteer.yaml", "terms.py", "normalize.py", "keycache.py")


def cache_dir() -> Path:
    """Where derived, rebuildable files go: the user cache folder (``XDG_CACHE_HOME`` on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("retain"))


def _digest() -> str | None:
    digest = hashlib.sha256(sys.version.encode())
    root = resources.files("retain.nlp")
    try:
        for name in SOURCES:
            digest.update(name.encode() + b"\0" + root.joinpath(name).read_bytes() + b"\0")
    except OSError:  # an install without the sources: build it every time
        return None
    return digest.hexdigest()[:32]


def cached_aliases(build: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The alias table: read from the cache when it matches the sources, else built and saved.

    Building it means importing PyYAML and reading ~2,500 terms (~60 ms a process); reading the
    cached JSON takes about a millisecond. The cache is only a copy: a missing, unreadable or
    damaged file is rebuilt, and a cache folder that cannot be written is simply not used.
    """
    digest = _digest()
    if digest is None:
        return build()
    path = cache_dir() / f"keymap-{digest}.json"
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(loaded, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()):
            return loaded
    except (OSError, ValueError):
        pass
    aliases = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".keymap-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(aliases, handle, ensure_ascii=False)
        os.replace(temp, path)
    except OSError:
        pass
    return aliases


__all__ = ["cache_dir", "cached_aliases"]
