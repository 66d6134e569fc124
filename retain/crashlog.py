"""The error log: where an unexpected exception's traceback goes, so the user sees one line."""

from __future__ import annotations

import os
import sys
import traceback
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

LOG_NAME = "errors.log"
# Past this size the log is rotated once (errors.log.1), so it can never fill a disk.
MAX_LOG_BYTES = 1_000_000


def log_path(data_dir: Path | None = None) -> Path:
    """The error log: ``<data dir>/logs/errors.log`` (``RETAIN_DATA_DIR`` or the user data dir)."""
    base = data_dir or Path(os.environ.get("RETAIN_DATA_DIR") or user_data_dir("retain"))
    return base.expanduser() / "logs" / LOG_NAME


def write_traceback(error: BaseException, data_dir: Path | None = None) -> Path:
    """Append ``error``'s traceback to the owner-only error log.

    Returns:
        The log file written.

    Raises:
        OSError: If the log cannot be written (the caller says so in its one line).
    """
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
        os.replace(path, path.with_name(LOG_NAME + ".1"))
    entry = (
        f"--- {datetime.now(UTC).isoformat(timespec='seconds')} retain {' '.join(sys.argv[1:2])}\n"
        + "".join(traceback.format_exception(error))
    )
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8", errors="replace") as handle:
        handle.write(entry)
    os.chmod(path, 0o600)
    return path


def one_line(text: str) -> str:
    """``text`` safe for one terminal line: control characters dropped, line breaks as spaces."""
    flat = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return strip_controls(flat)


# Bidi embeddings, overrides and isolates: they can make a terminal line read backwards.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def strip_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Drop control characters (BEL, ESC, DEL, C1) and bidi overrides, for display only.

    Tabs and line breaks become spaces unless ``keep_newlines``. Stored text is never
    changed: this is for what reaches a terminal.
    """
    if text.isprintable():
        return text
    kept = "\n\t" if keep_newlines else ""
    return "".join(
        char if char in kept else " " if char in "\t\n\r" else char
        for char in text
        if char in "\t\n\r" or (unicodedata.category(char) != "Cc" and char not in _BIDI_CONTROLS)
    )


class CleanStream:
    """A text stream that strips control characters from everything written to it.

    The CLI's human-readable output is wrapped in it, so a name holding a BEL or an escape
    sequence is shown, never executed by the terminal.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` without its control characters (line breaks and tabs kept)."""
        self._stream.write(strip_controls(text, keep_newlines=True))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def unexpected_message(error: BaseException, data_dir: Path | None = None) -> str:
    """Log ``error`` and return the one line that tells the user where its traceback is."""
    kind = type(error).__name__
    try:
        where = f"the traceback is in {write_traceback(error, data_dir)}"
    except OSError as exc:
        where = f"the traceback could not be saved ({exc.strerror or exc})"
    return f"unexpected error ({kind}); {where}; please report it"
