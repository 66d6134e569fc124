"""Small generic dialogs: a message, a yes/no confirmation, and a one-line text prompt."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from retain.tui.screens.base import RetainModal


class MessageModal(RetainModal[None]):
    """Shows one message (an error from a service, say) until dismissed."""

    BINDINGS = [Binding("escape,enter", "dismiss_modal", "Close")]

    def __init__(self, title: str, message: str, *, error: bool = False) -> None:
        super().__init__()
        self._heading = title
        self._message = message
        self._is_error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -error" if self._is_error else "dialog"):
            yield Label(self._heading, classes="dialog-title")
            yield Static(self._message, classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close", variant="primary")

    @on(Button.Pressed, "#close")
    def action_dismiss_modal(self) -> None:
        """Close the dialog."""
        self.dismiss(None)


class ConfirmModal(RetainModal[bool]):
    """Asks a yes/no question; dismisses with ``True`` only on an explicit yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, message: str, *, confirm: str = "Yes", danger: bool = False) -> None:
        super().__init__()
        self._heading = title
        self._message = message
        self._confirm = confirm
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -error" if self._danger else "dialog"):
            yield Label(self._heading, classes="dialog-title")
            yield Static(self._message, classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._confirm} (y)", id="yes", variant="error" if self._danger else "primary")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        # Focus the safe choice, so a stray enter never deletes anything.
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        """Answer the question."""
        self.dismiss(value)


class PromptModal(RetainModal[str | None]):
    """Asks for one optional line of text; dismisses with the text, or ``None`` on cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, message: str, *, placeholder: str = "", confirm: str = "OK", value: str = ""
    ) -> None:
        super().__init__()
        self._heading = title
        self._message = message
        self._hint = placeholder
        self._confirm = confirm
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._heading, classes="dialog-title")
            yield Static(self._message, classes="dialog-body", markup=False)
            yield Input(self._value, placeholder=self._hint, id="prompt-input", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._confirm} (enter)", id="ok", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(self.query_one("#prompt-input", Input).value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
