"""Pick the guide question a transcript segment answers (the Import screen's reassign key)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from retain.guides.schema import Guide
from retain.tui.screens.base import RetainModal


class QuestionPicker(RetainModal[str | None]):
    """Every question of the guide, by section; dismisses with the chosen id, or ``None``."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, guide: Guide) -> None:
        super().__init__()
        self.guide = guide

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-picker"):
            yield Label("Which question does this segment answer?", classes="dialog-title")
            yield OptionList(
                *(Option(f"{s.title} › {q.prompt}", id=q.id) for s, q in self.guide.questions()),
                id="import-questions",
            )

    def on_mount(self) -> None:
        self.query_one("#import-questions", OptionList).focus()

    @on(OptionList.OptionSelected, "#import-questions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
