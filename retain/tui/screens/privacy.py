"""Privacy dialogs: forget a person (dry run, then a typed confirmation), purge, and export their data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Static

from retain.errors import RetainError
from retain.packs.hygiene import slugify
from retain.tui.screens.base import RetainModal, RetainScreen
from retain.tui.screens.dialogs import PromptModal


class ErasurePlanned(Message):
    """A dry run finished: ``result`` is the :class:`retain.services.privacy.ErasureResult`."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class ErasureDone(Message):
    """The erasure ran (``result``) or failed (``error``)."""

    def __init__(self, result: Any = None, error: str | None = None) -> None:
        super().__init__()
        self.result = result
        self.error = error


class ErasureModal(RetainModal[bool]):
    """Shows what an erasure would delete, then asks for a typed word before doing it.

    Dismisses with ``True`` once erased, ``False`` on cancel. Subclasses say what to run.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    heading = "Erase"
    confirm_word = "erase"
    offer_files = False
    plan: Any = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog -error", id="erase-dialog"):
            yield Label(self.heading, classes="dialog-title", markup=False)
            yield Static("Counting what would go…", id="erase-summary", classes="dialog-body", markup=False)
            yield Label(f"Type {self.confirm_word} to confirm; this cannot be undone.", id="erase-prompt",
                        markup=False)
            yield Input(placeholder=self.confirm_word, id="erase-confirm", max_length=200, compact=True)
            yield Checkbox("Also delete the exported files listed above", id="erase-files", compact=True)
            yield Label("", id="erase-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Erase", id="erase", variant="error", disabled=True)
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#erase-files", Checkbox).display = False
        self.query_one("#erase-confirm", Input).focus()
        self._plan()

    def run_erasure(self, dry_run: bool, delete_files: bool) -> Any:
        """The service call (a dry run first, then the real one)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="privacy-plan", exit_on_error=False)
    def _plan(self) -> None:
        try:
            self.post_message(ErasurePlanned(self.run_erasure(True, False)))
        except RetainError as exc:
            self.post_message(ErasureDone(error=exc.message))

    @on(ErasurePlanned)
    def _planned(self, message: ErasurePlanned) -> None:
        self.plan = message.result
        self.query_one("#erase-summary", Static).update(self.describe(message.result))
        nothing = not message.result.interviews and not message.result.counts
        for widget in ("#erase-prompt", "#erase-confirm"):
            self.query_one(widget).display = not nothing
        files = self.query_one("#erase-files", Checkbox)
        files.display = self.offer_files and any(f.exists for f in message.result.files)

    def describe(self, result: Any) -> str:
        """The dry run's summary as shown in the dialog."""
        return str(result.summary(self.heading))

    @on(Input.Changed, "#erase-confirm")
    def _typed(self, event: Input.Changed) -> None:
        ready = " ".join(event.value.split()).casefold() == self.confirm_word.casefold()
        self.query_one("#erase", Button).disabled = not (ready and self.plan is not None)

    @on(Input.Submitted, "#erase-confirm")
    @on(Button.Pressed, "#erase")
    def _confirmed(self) -> None:
        button = self.query_one("#erase", Button)
        if button.disabled:
            return
        button.disabled = True
        self.query_one("#erase-summary", Static).update("Erasing and scrubbing the database files…")
        self._erase(self.query_one("#erase-files", Checkbox).value)

    @work(thread=True, exclusive=True, group="privacy-erase", exit_on_error=False)
    def _erase(self, delete_files: bool) -> None:
        try:
            self.post_message(ErasureDone(result=self.run_erasure(False, delete_files)))
        except RetainError as exc:
            self.post_message(ErasureDone(error=exc.message))

    @on(ErasureDone)
    def _done(self, message: ErasureDone) -> None:
        if message.error is not None:
            self.query_one("#erase-error", Label).update(message.error)
            return
        self.notify(message.result.summary(self.heading).splitlines()[0], timeout=8)
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without erasing."""
        self.dismiss(False)


class ForgetModal(ErasureModal):
    """Forget one person: type their name to confirm."""

    offer_files = True

    def __init__(self, person_id: int, name: str) -> None:
        self.person_id = person_id
        self.heading = f"Forget {name}"
        self.confirm_word = name
        super().__init__()

    def run_erasure(self, dry_run: bool, delete_files: bool) -> Any:
        """``services.privacy.forget``."""
        return self.services.privacy.forget(str(self.person_id), dry_run=dry_run, delete_files=delete_files)


class PurgeModal(ErasureModal):
    """Purge what the retention policy says is due: type ``purge`` to confirm."""

    heading = "Purge by retention policy"
    confirm_word = "purge"

    def run_erasure(self, dry_run: bool, delete_files: bool) -> Any:
        """``services.privacy.purge`` with the configured policy."""
        return self.services.privacy.purge(dry_run=dry_run)

    def describe(self, result: Any) -> str:
        """Say which rule applies, and that nothing is due when nothing is."""
        if not result.interviews:
            return f"Nothing is due for purging ({result.rule})."
        return f"Policy: {result.rule}\n" + str(result.summary("Purge"))


class AccessExported(Message):
    """A subject-access export was written (``path``) or failed (``error``)."""

    def __init__(self, path: Path | None = None, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.error = error


def export_person(screen: RetainScreen[Any], person_id: int, name: str) -> None:
    """Ask where to write a person's data, then write it in a worker (see ``SubjectAccess``)."""
    default = Path(screen.services.settings.exports_dir).expanduser() / (
        f"{slugify(name)}-personal-data-{date.today().isoformat()}.zip")

    def chosen(value: str | None) -> None:
        if value and value.strip():
            screen.run_worker(lambda: _write_access(screen, person_id, Path(value.strip()).expanduser()),
                              thread=True, exclusive=True, group="privacy-access", exit_on_error=False)

    screen.app.push_screen(PromptModal(
        f"Export everything about {name}",
        "Their interviews with every answer (confidential ones too), where others named them, and "
        "their record, as JSON and Markdown in an owner-only zip. Give it only to them.",
        confirm="Export", value=str(default)), chosen)


def _write_access(screen: RetainScreen[Any], person_id: int, out: Path) -> None:
    from retain.services.access import SubjectAccess

    try:
        path = SubjectAccess(screen.services.engine, screen.services.privacy).export(str(person_id), out)
    except RetainError as exc:
        screen.retain.report_error(exc.message)
        return
    screen.app.call_from_thread(screen.notify, f"Wrote {path} (owner-only; it holds confidential answers).",
                                severity="warning", timeout=10)
