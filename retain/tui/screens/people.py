"""The People screen: everyone with status, leaving date, role and successor, and a form to edit them."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.theme import Theme
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from retain.domain.journey import PERSON_STATUSES
from retain.errors import RetainError
from retain.tui.screens.base import RetainModal, RetainScreen
from retain.tui.widgets.cells import cell, cursor_row_id

MAX_FIELD = 200
STATUS_STYLE = {"leaving": "text-warning", "left": "text-muted"}


class PeopleLoaded(Message):
    """The people list was read (each a :class:`retain.services.people.PersonView`)."""

    def __init__(self, people: list[Any]) -> None:
        super().__init__()
        self.people = people


def parse_date(value: str) -> date | None:
    """``YYYY-MM-DD`` to a date; empty to ``None``.

    Raises:
        ValueError: For anything else, with the message the form shows.
    """
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text[:40]!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-18") from None


class PersonModal(RetainModal[bool]):
    """Edits one person; dismisses with ``True`` once saved, ``False`` on cancel."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, person: Any) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        p = self.person
        with VerticalScroll(classes="dialog", id="person-form"):
            yield Label(f"Edit {p.name}", classes="dialog-title", markup=False)
            with Horizontal(classes="field-row"):
                yield Label("Status", classes="field-label form-label")
                yield Select([(s, s) for s in PERSON_STATUSES], value=p.status, allow_blank=False,
                             id="person-status", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Leaving date", classes="field-label form-label")
                yield Input(p.leaving_date.isoformat() if p.leaving_date else "", placeholder="YYYY-MM-DD",
                            id="person-leaving", max_length=10, compact=True)
            for field, label, value in (
                ("role", "Role", p.role), ("team", "Team", p.team), ("email", "Email", p.email),
                ("manager", "Manager", p.manager), ("successor", "Successor", p.successor),
            ):
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label form-label")
                    yield Input(value or "", id=f"person-{field}", max_length=MAX_FIELD, compact=True)
            yield Label("", id="person-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#person-leaving", Input).focus()

    def _value(self, field: str) -> str:
        return " ".join(self.query_one(f"#person-{field}", Input).value.split())

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Validate and save; errors stay in the form."""
        error = self.query_one("#person-error", Label)
        try:
            leaving = parse_date(self._value("leaving"))
        except ValueError as exc:
            error.update(str(exc))
            self.query_one("#person-leaving", Input).focus()
            return
        status = self.query_one("#person-status", Select).value
        try:
            self.services.people.update(
                str(self.person.id),
                # An unchanged status lets a new leaving date mark an active person as leaving.
                status=status if isinstance(status, str) and status != self.person.status else None,
                leaving_date=leaving,
                clear_leaving_date=leaving is None,
                role=self._value("role"),
                team=self._value("team"),
                email=self._value("email"),
                manager=self._value("manager"),
                successor=self._value("successor"),
            )
        except RetainError as exc:
            error.update(exc.message)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)


class PeopleScreen(RetainScreen[None]):
    """Everyone retain knows: who is active, leaving or gone, when, and who takes over."""

    BINDINGS = [
        Binding("enter", "edit", "Edit", priority=True, tooltip="Edit the selected person"),
        Binding("f", "focus_filter", "Filter", tooltip="Filter by name, status, role or team"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("x", "forget", "Forget", tooltip="Erase the selected person and everything about them"),
        Binding("e", "export_person", "Export data", tooltip="Write everything stored about the selected person"),
        Binding("p", "purge", "Purge", tooltip="Erase the interviews past the retention policy"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.people: list[Any] = []
        self._fitted_for = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="people-toolbar"):
            yield Label("People", id="people-title", classes="pane-title")
            yield Input(placeholder="Filter: name, status, role, team…", id="people-filter")
        yield DataTable(id="people-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="people-empty", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "People"
        table = self.query_one("#people-table", DataTable)
        self._fit_columns(self.size.width or 80)
        table.focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._load()

    def _theme_changed(self, _theme: Theme) -> None:
        self._render_table()

    def on_resize(self) -> None:
        # Every column stays on screen: the free text columns share what the fixed ones leave.
        if self._fitted_for != self.size.width:
            self._fit_columns(self.size.width)
            self._render_table()

    def _fit_columns(self, width: int) -> None:
        table = self.query_one("#people-table", DataTable)
        table.clear(columns=True)
        fixed = {"name": 16, "status": 7, "leaving": 10}
        # Two cells of padding per column, and room for the scroll bar.
        free = max(width - sum(fixed.values()) - 2 * 6 - 2, 18)
        share = {"role": free * 2 // 5, "team": free // 4}
        share["successor"] = free - share["role"] - share["team"]
        for label, key in (("Name", "name"), ("Status", "status"), ("Leaving", "leaving"),
                           ("Role", "role"), ("Team", "team"), ("Successor", "successor")):
            table.add_column(label, key=key, width=fixed.get(key) or share[key])
        self._fitted_for = width

    @work(thread=True, exclusive=True, group="people-load", exit_on_error=False)
    def _load(self) -> None:
        try:
            people = self.services.people.views(today=self.retain.clock().date())
        except RetainError as exc:
            self.retain.report_error(exc.message)
            return
        self.post_message(PeopleLoaded(people))

    @on(PeopleLoaded)
    def _loaded(self, message: PeopleLoaded) -> None:
        self.people = message.people
        self._render_table()

    def _render_table(self) -> None:
        table = self.query_one("#people-table", DataTable)
        selected = self.selected_id()
        needle = self.query_one("#people-filter", Input).value.strip().casefold()
        table.clear()
        for p in self.people:
            haystack = f"{p.name} {p.status} {p.role or ''} {p.team or ''}".casefold()
            if needle and needle not in haystack:
                continue
            table.add_row(
                cell(self.app, p.name),
                cell(self.app, p.status, STATUS_STYLE.get(p.status)),
                p.leaving_date.isoformat() if p.leaving_date else "",
                cell(self.app, p.role or ""),
                cell(self.app, p.team or ""),
                cell(self.app, p.successor or ""),
                key=str(p.id),
            )
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)))
        empty = self.query_one("#people-empty", Static)
        empty.update("" if table.row_count else ("No matches." if needle else "Nobody yet."))
        empty.display = not table.row_count

    @on(Input.Changed, "#people-filter")
    def _filter_changed(self) -> None:
        self._render_table()

    @on(Input.Submitted, "#people-filter")
    def _filter_done(self) -> None:
        self.query_one("#people-table", DataTable).focus()

    def selected_id(self) -> int | None:
        """The id of the person under the cursor, if any."""
        return cursor_row_id(self.query_one("#people-table", DataTable))

    def selected(self) -> Any | None:
        """The person under the cursor (a ``PersonView``), if any."""
        wanted = self.selected_id()
        return next((p for p in self.people if p.id == wanted), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter edits a person only from the table (in the filter it ends the filter)."""
        return not (action == "edit" and isinstance(self.focused, Input))

    def action_edit(self) -> None:
        """Edit the selected person."""
        person = self.selected()
        if person is None:
            return

        def saved(done: bool | None) -> None:
            if done:
                self.notify(f"Saved {person.name}.")
                self._load()

        self.app.push_screen(PersonModal(person), saved)

    # -- privacy (retain.tui.screens.privacy) ---------------------------------------------
    def action_forget(self) -> None:
        """Forget the selected person: a dry-run summary, then type their name to confirm."""
        from retain.tui.screens.privacy import ForgetModal

        person = self.selected()
        if person is not None:
            self.app.push_screen(ForgetModal(person.id, person.name), self._reload_if)

    def action_export_person(self) -> None:
        """Export everything stored about the selected person (a subject-access request)."""
        from retain.tui.screens.privacy import export_person

        person = self.selected()
        if person is not None:
            export_person(self, person.id, person.name)

    def action_purge(self) -> None:
        """Purge the interviews the retention policy says are due."""
        from retain.tui.screens.privacy import PurgeModal

        self.app.push_screen(PurgeModal(), self._reload_if)

    def _reload_if(self, done: bool | None) -> None:
        if done:
            self._load()

    def action_focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.query_one("#people-filter", Input).focus()

    def action_refresh(self) -> None:
        """Re-read the list."""
        self._load()

    def action_back(self) -> None:
        """Leave the filter first; otherwise back to home."""
        box = self.query_one("#people-filter", Input)
        if self.focused is box:
            self.query_one("#people-table", DataTable).focus()
            return
        self.app.pop_screen()
