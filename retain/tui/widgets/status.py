"""The interview status line: save state, sitting timer, and progress."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static


def format_elapsed(elapsed: timedelta) -> str:
    """``HH:MM:SS`` for a sitting's duration."""
    seconds = max(int(elapsed.total_seconds()), 0)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class StatusLine(Horizontal):
    """Shows "saved 14:02:31", the sitting timer and a progress bar."""

    def compose(self) -> ComposeResult:
        yield Static("not edited yet", id="save-state")
        yield Static("", id="sitting-timer")
        yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        yield Static("", id="progress-label")

    def saved(self, at: datetime) -> None:
        """Everything typed is in the database."""
        widget = self.query_one("#save-state", Static)
        # Saves land several times a second while typing: "saved 14:02:31" and "editing…" fit
        # the field's minimum width, so no re-layout of the screen is needed for them.
        relayout = widget.has_class("-failed")
        widget.set_class(False, "-unsaved", "-failed")
        widget.update(f"saved {at.strftime('%H:%M:%S')}", layout=relayout)

    def unsaved(self) -> None:
        """Typing: a save is due within a second."""
        widget = self.query_one("#save-state", Static)
        if widget.has_class("-unsaved"):
            return  # called on every keystroke: repaint only on the change
        relayout = widget.has_class("-failed")
        widget.set_class(True, "-unsaved")
        widget.update("editing…", layout=relayout)

    def failed(self, message: str) -> None:
        """The last save failed; the text stays queued and is retried on the next change."""
        widget = self.query_one("#save-state", Static)
        widget.set_class(True, "-failed")
        widget.update(Content.assemble(Content.styled("NOT SAVED ", "bold"), Content(message)))

    def tick(self, elapsed: timedelta | None) -> None:
        """Update the sitting timer (``None`` when no sitting runs, e.g. a completed interview)."""
        text = f"sitting {format_elapsed(elapsed)}" if elapsed is not None else "completed"
        timer = self.query_one("#sitting-timer", Static)
        # Re-layout only when the width changes (once a second otherwise, for nothing).
        timer.update(text, layout=len(text) != len(str(timer.content)))

    def progress(self, done: int, total: int, missing: int) -> None:
        """Questions answered or skipped, of all; and required ones still open."""
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)
        tail = f" · {missing} required open" if missing else ""
        self.query_one("#progress-label", Static).update(f"{done}/{total} done{tail}")
