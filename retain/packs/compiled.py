"""Compiled Jinja code and docxtpl's cleaned template XML of the shipped templates, kept on disk."""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import CodeType

# The code that decides what a part compiles to; a change to any of them (or to Jinja,
# docxtpl or Python) changes every key, so a stale entry is never read.
_OWN_SOURCES = ("jinja.py", "docx_render.py", "compiled.py")


def cache_folder() -> Path:
    """The user cache folder for compiled template parts (``XDG_CACHE_HOME`` on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("retain")) / "templates"


class PartCache:
    """Per-part results that depend only on the part's source, saved between processes.

    docxtpl compiles every XML part of a Word template with Jinja, and cleans its XML with a
    dozen regex passes, on every render: ~0.1 s of a one-off ``retain export`` of the
    handover pack. Both depend only on the part's source and the settings folded into the
    salt, so they are computed once per machine. The cache is only a copy: an unreadable or
    damaged entry is recomputed, and a folder that cannot be written is not used. It is used
    for the shipped templates only; a custom template renders in the sandbox, uncached.

    Args:
        folder: Where entries go (created owner-only on first write).
        settings: What else the results depend on (the environment's options).
    """

    def __init__(self, folder: Path, settings: str) -> None:
        import docxtpl
        import jinja2

        self._folder = folder
        salt = hashlib.sha256(f"{sys.version}\0{jinja2.__version__}\0{docxtpl.__version__}\0{settings}".encode())
        root = resources.files("retain.packs")
        try:
            for name in _OWN_SOURCES:
                salt.update(root.joinpath(name).read_bytes())
            self._salt: bytes | None = salt.digest()
        except OSError:  # an install without the sources: compute every time
            self._salt = None

    def _path(self, kind: str, source: str, variant: str) -> Path | None:
        if self._salt is None:
            return None
        head = self._salt + f"{kind}\0{variant}\0".encode()
        key = hashlib.sha256(head + source.encode("utf-8", "surrogatepass")).hexdigest()
        return self._folder / f"{kind}-{key[:40]}"

    def code(self, source: str, compile_source: Callable[[str], CodeType], variant: str = "") -> CodeType:
        """The compiled code of a template part (``variant``: settings it was compiled with)."""
        path = self._path("code", source, variant)
        if path is not None:
            try:
                code = marshal.loads(path.read_bytes())
                if isinstance(code, CodeType):
                    return code
            except (OSError, ValueError, EOFError, TypeError):
                pass
        code = compile_source(source)
        if path is not None:
            self._write(path, marshal.dumps(code))
        return code

    def text(self, source: str, transform: Callable[[str], str]) -> str:
        """``transform(source)`` for a text result (docxtpl's XML clean-up)."""
        path = self._path("xml", source, "")
        if path is not None:
            try:
                return path.read_bytes().decode("utf-8", "surrogatepass")
            except (OSError, UnicodeDecodeError):
                pass
        result = transform(source)
        if path is not None:
            self._write(path, result.encode("utf-8", "surrogatepass"))
        return result

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".part-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)  # whole or not at all: a reader never sees half an entry
        except OSError:
            pass


__all__ = ["PartCache", "cache_folder"]
