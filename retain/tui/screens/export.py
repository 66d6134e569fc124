"""The export form: format, template, output path, and the explicit include-confidential choice."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, LoadingIndicator, Select, Static

from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import ExportFailed, ExportFinished
from retain.tui.screens.base import RetainModal
from retain.tui.widgets.tickbox import TickBox

FORMATS = [
    ("Word handover pack (.docx)", "docx"),
    ("Markdown (.md)", "md"),
    ("Web page (.html)", "html"),
    ("JSON (.json)", "json"),
]

WARNING = (
    "CONFIDENTIAL answers will be written to this file. Only for HR: never hand it to the "
    "successor, and store it where only HR can read it."
)


class ExportModal(RetainModal[str | None]):
    """Writes a pack in a worker; dismisses with the path written, or ``None``."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "export", "Export", priority=True),
    ]

    def __init__(self, interview_id: int) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.written: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="export-form"):
            yield Label(f"Export interview #{self.interview_id}", classes="dialog-title")
            # One line per field, label beside it, so the buttons stay on screen at 80x24.
            with Horizontal(classes="field-row"):
                yield Label("Format", classes="field-label side-label")
                yield Select(FORMATS, value="docx", allow_blank=False, id="format", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Template", classes="field-label side-label")
                yield Input(placeholder="the shipped template (optional)", id="template", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Output file", classes="field-label side-label")
                yield Input(placeholder="a new file in the exports folder (optional)", id="out", compact=True)
            yield TickBox("Include confidential answers (HR only)", id="include-confidential", compact=True)
            yield Static(WARNING, id="confidential-warning", classes="warning-box")
            yield TickBox("Replace the output file if it exists", id="force", compact=True)
            yield LoadingIndicator(id="export-busy")
            yield Static("", id="export-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (ctrl+s)", id="export", variant="primary")
                yield Button("Close (esc)", id="close")

    def on_mount(self) -> None:
        self.query_one("#confidential-warning").display = False
        self.query_one("#export-busy").display = False
        self.query_one("#format", Select).focus()

    @on(Checkbox.Changed, "#include-confidential")
    def _confidential(self, event: Checkbox.Changed) -> None:
        self.query_one("#confidential-warning").display = event.value

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Write the pack in a worker."""
        if self.query_one("#export-busy").display:
            return
        fmt = self.query_one("#format", Select).value
        template = self.query_one("#template", Input).value.strip()
        out = self.query_one("#out", Input).value.strip()
        include = self.query_one("#include-confidential", Checkbox).value
        force = self.query_one("#force", Checkbox).value
        self.query_one("#export-busy").display = True
        self.query_one("#export", Button).disabled = True
        result = self.query_one("#export-result", Static)
        result.set_class(False, "-error", "-success")
        result.update("Writing…")
        self._export(str(fmt), Path(template).expanduser() if template else None,
                     Path(out).expanduser() if out else None, include, force)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, fmt: str, template: Path | None, out: Path | None, include: bool, force: bool) -> None:
        try:
            done = self.services.exports.export(
                self.interview_id, fmt=fmt, out=out, template=template,
                include_confidential=include, force=force,
            )
        except RetainError as exc:
            self.post_message(ExportFailed(tui_message(exc)))
            return
        self.post_message(ExportFinished(str(done.path), str(done.format), float(done.seconds),
                                         bool(done.included_confidential)))

    @on(ExportFinished)
    def _finished(self, message: ExportFinished) -> None:
        self._idle()
        self.written = message.path
        result = self.query_one("#export-result", Static)
        result.set_class(True, "-success")
        note = " (includes CONFIDENTIAL answers)" if message.included_confidential else ""
        result.update(f"Wrote {message.path} in {message.seconds:.2f} s{note}")
        self.notify(f"Wrote {message.path}", title="Exported")

    @on(ExportFailed)
    def _failed(self, message: ExportFailed) -> None:
        self._idle()
        result = self.query_one("#export-result", Static)
        result.set_class(True, "-error")
        result.update(f"retain: error: {message.message}")

    def _idle(self) -> None:
        self.query_one("#export-busy").display = False
        self.query_one("#export", Button).disabled = False

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close the form (with the path, if something was written)."""
        self.dismiss(self.written)
