"""Writing a pack safely: a temp file in the target folder, renamed into place, never clobbering."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from retain.errors import ExportError, Fix

if TYPE_CHECKING:
    from retain.packs.model import PackContext

MAX_SUFFIX = 999


def numbered(path: Path, n: int) -> Path:
    """``pack.docx`` with suffix ``n``: ``pack-2.docx`` (``n == 1`` is the path itself)."""
    if n == 1:
        return path
    suffix = "".join(path.suffixes[-1:])
    return path.with_name(f"{path.name[: len(path.name) - len(suffix)]}-{n}{suffix}")


def prepare_folder(folder: Path) -> None:
    """Create the output folder if needed and check it can be written.

    Raises:
        ExportError: If it cannot be created or written, naming how to choose another.
    """
    try:
        # Owner-only, like the database: file names alone (person, guide, date) are personal.
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except FileExistsError as exc:
        raise ExportError(f"{folder} exists and is not a folder", fix=Fix.CHOOSE_OUT) from exc
    except OSError as exc:
        raise ExportError(
            f"cannot create the folder {folder}: {exc.strerror}", fix=Fix.CHOOSE_OUT
        ) from exc
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder", fix=Fix.CHOOSE_OUT)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write to {folder}: permission denied", fix=Fix.CHOOSE_OUT)


def write_atomically(
    target: Path,
    write: Callable[[Path], None],
    *,
    force: bool = False,
    private: bool = False,
) -> Path:
    """Write a file through ``write(temp_path)``, then move it into place.

    The file appears complete or not at all: ``write`` fills a temp file in the target folder,
    and only a successful write is renamed. An existing file is kept: the new one gets a
    numbered suffix (``-2``, ``-3``, ...) unless ``force`` is set.

    Args:
        target: The wanted path.
        write: Fills the given temp path; any exception it raises is passed on after the
            temp file is removed.
        force: Replace an existing file at ``target``.
        private: Keep the file owner-only (it holds confidential answers).

    Returns:
        The path actually written.

    Raises:
        ExportError: If the folder cannot be written or no free name is left.
    """
    folder = target.parent
    prepare_folder(folder)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write to {folder}: {exc.strerror}", fix=Fix.CHOOSE_OUT) from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        # Every pack is owner-only: a shareable one still names a person and what they know.
        # ``private`` is kept for callers that state it; the mode is the same.
        os.chmod(temp, 0o600)
        return _place(temp, target, force)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _place(temp: Path, target: Path, force: bool) -> Path:
    if force:
        if target.is_dir():
            raise ExportError(f"{target} is a folder; give a file name with --out")
        os.replace(temp, target)
        return target
    for n in range(1, MAX_SUFFIX + 1):
        candidate = numbered(target, n)
        try:
            # A hard link never replaces an existing file, so two exports at once cannot
            # overwrite each other; the temp name is then dropped.
            os.link(temp, candidate)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise ExportError(f"cannot write {candidate}: {exc.strerror}") from exc
            # No hard links on this file system: fall back to a checked rename.
            if candidate.exists():
                continue
            os.replace(temp, candidate)
            return candidate
        temp.unlink()
        return candidate
    raise ExportError(f"{target} and {MAX_SUFFIX - 1} numbered copies exist; clean up the folder or use --force")


def pack_writer(fmt: str, template: Path, context: PackContext, now: datetime, *,
                isolated: bool = False) -> Callable[[Path], None]:
    """What writes ``context`` through ``template`` as ``fmt`` to a (temp) path.

    Args:
        fmt: ``docx``, ``pdf``, ``md``, ``html`` or ``json``.
        template: The shipped template, or a custom one (``isolated``).
        context: The pack context.
        now: The generation time (the Word document's properties).
        isolated: A custom template: untrusted code, rendered in the sandbox.

    Raises:
        ExportError: For a PDF without LibreOffice (before anything is written).
    """
    if fmt == "pdf":
        from retain.packs.pdf import find_soffice, write_pdf

        soffice = find_soffice()  # before anything is written: a clear message without it
        docx = pack_writer("docx", template, context, now, isolated=isolated)
        return lambda temp: write_pdf(docx, temp, soffice)
    plain = context.to_json()
    if isolated and fmt != "json":
        # A custom template is untrusted code: it renders in a child process with a time
        # and memory limit (see retain.packs.sandbox).
        from retain.packs.sandbox import render_isolated

        kind = "docx" if fmt == "docx" else "text"
        return lambda temp: render_isolated(kind, template, plain, temp, now=now)
    if fmt == "docx":
        from retain.packs.compiled import PartCache, cache_folder
        from retain.packs.docx_render import render_docx

        # A shipped template is retain's own code: its compiled parts are kept on disk, so
        # a one-off export does not spend ~0.1 s compiling the same template again.
        cache = PartCache(cache_folder(), "docx_render")
        return lambda temp: render_docx(template, plain, temp, now=now, cache=cache)
    if fmt == "json":
        text = json.dumps(plain, ensure_ascii=False, indent=2) + "\n"
    else:
        from retain.packs.jinja import render_text

        text = render_text(template, plain)
    return lambda temp: _write_text(temp, text)


def _write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
