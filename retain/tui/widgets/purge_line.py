"""One line saying when the retention policy next purges interviews (home screen)."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.message import Message
from textual.widgets import Static

from retain.errors import RetainError
from retain.tui.screens.base import retain_app


class PurgeDueRead(Message):
    """The next purge date was read (``due`` is a ``PurgeDue`` or ``None``)."""

    def __init__(self, due: Any) -> None:
        super().__init__()
        self.due = due


class PurgeLine(Static):
    """``Next purge due 2028-08-14 (1 interview)``, or a warning when a purge is overdue."""

    def reload(self) -> None:
        """Read the date again (after a load, a delete or a purge)."""
        self._read()

    @work(thread=True, exclusive=True, group="purge-line", exit_on_error=False)
    def _read(self) -> None:
        try:
            app = retain_app(self)
            # The app's clock decides "today" (tests freeze it), as for follow-ups.
            due = app.services.privacy.next_purge(today=app.clock().date())
        except RetainError:
            return  # the home screen reports database errors itself
        self.post_message(PurgeDueRead(due))

    @on(PurgeDueRead)
    def _show(self, message: PurgeDueRead) -> None:
        due = message.due
        self.display = due is not None
        if due is None:
            return
        self.set_class(due.overdue, "-overdue")
        text = due.describe()
        self.update(text[:1].upper() + text[1:])
