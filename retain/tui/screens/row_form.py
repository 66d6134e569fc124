"""The list-row form: one input per field of a list question, with inline validation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label

from retain.guides.schema import Question
from retain.tui.screens.base import RetainModal


class RowFormModal(RetainModal[dict[str, str] | None]):
    """Edits one row; dismisses with the row, or ``None`` on cancel."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save row", priority=True),
    ]

    def __init__(self, question: Question, row: dict[str, str] | None = None) -> None:
        super().__init__()
        self.question = question
        self.row = dict(row or {})

    def compose(self) -> ComposeResult:
        title = "Edit row" if self.row else "Add a row"
        with VerticalScroll(classes="dialog", id="row-form"):
            yield Label(f"{title}: {self.question.prompt}", classes="dialog-title", markup=False)
            for field in self.question.fields:
                yield Label(field.title + (" (required)" if field.required else ""), classes="field-label",
                            markup=False)
                yield Input(self.row.get(field.id, ""), id=f"field-{field.id}", compact=True)
            yield Label("", id="row-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        """The row as typed."""
        return {f.id: self.query_one(f"#field-{f.id}", Input).value.strip() for f in self.question.fields}

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter moves to the next field; on the last one it saves, so a row is typed without
        # leaving the keyboard's home row.
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Check the row and return it."""
        row = self.values()
        missing = [f for f in self.question.fields if f.required and not row[f.id]]
        error = self.query_one("#row-error", Label)
        if missing:
            error.update(f"{missing[0].title} is required; fill it in")
            self.query_one(f"#field-{missing[0].id}", Input).focus()
            return
        if not any(row.values()):
            error.update("the row is empty; fill at least one field or press esc")
            return
        self.dismiss(row)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
