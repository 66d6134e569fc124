"""The new-interview form: guide, person (autocompleted), role, team, leaving date, successor, interviewer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Select

from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.screens.base import RetainModal
from retain.tui.screens.people import parse_date

if TYPE_CHECKING:
    from retain.services import Services

MAX_NAME = 200


class PeopleSuggester(Suggester):
    """Completes a name from the people already in the database."""

    def __init__(self, services: Services) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._services = services

    async def get_suggestion(self, value: str) -> str | None:
        """The first known name that starts with what was typed."""
        if not value.strip():
            return None
        try:
            names = self._services.people.names(value, limit=1)
        except RetainError:
            return None
        return names[0] if names else None


class NewInterviewModal(RetainModal[int | None]):
    """Starts an interview; dismisses with its id, or ``None`` on cancel."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    def compose(self) -> ComposeResult:
        services = self.services
        guides = services.guides.all()
        options = [
            (f"{g.title}  ({g.id} · {g.track} · {len(g.questions())} questions)", g.id) for g in guides
        ]
        default = "handover" if any(g.id == "handover" for g in guides) else (guides[0].id if guides else None)
        settings_interviewer = services.settings.interviewer or ""
        suggester = PeopleSuggester(services)
        with VerticalScroll(classes="dialog", id="new-interview"):
            yield Label("New interview", classes="dialog-title")
            yield Label("Guide", classes="field-label")
            yield Select(options, value=default if default else Select.NULL, allow_blank=False, id="guide", compact=True)
            yield Label("Person leaving or moving (required)", classes="field-label")
            yield Input(compact=True, placeholder="First Last (→ accepts a suggestion)", id="person", suggester=suggester,
                        max_length=MAX_NAME)
            yield Label("", id="person-hint", classes="hint")
            with Horizontal(classes="field-row"):
                yield Label("Role", classes="field-label side-label", id="role-label")
                yield Input(placeholder="e.g. Payroll Systems Lead", id="role", max_length=MAX_NAME, compact=True)
                yield Label("Team", classes="field-label side-label", id="team-label")
                yield Input(placeholder="e.g. Finance", id="team", max_length=MAX_NAME, compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Leaving date", classes="field-label side-label", id="leaving-label")
                yield Input(placeholder="YYYY-MM-DD (their last day)", id="leaving", max_length=10, compact=True)
            yield Label("", id="leaving-error", classes="field-error", markup=False)
            with Horizontal(classes="field-row"):
                yield Label("Successor", classes="field-label side-label", id="successor-label")
                yield Input(placeholder="Who takes over (optional)", id="successor", suggester=suggester,
                            max_length=MAX_NAME, compact=True)
            yield Label("", id="successor-error", classes="field-error")
            with Horizontal(classes="field-row"):
                yield Label("Interviewer", classes="field-label side-label", id="interviewer-label")
                yield Input(settings_interviewer, placeholder="Your name", id="interviewer", max_length=MAX_NAME,
                            compact=True)
            yield Label("", id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start (ctrl+s)", id="start", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#person", Input).focus()
        self._hide_empty()

    def _hide_empty(self) -> None:
        # An empty error line takes no room, so the whole form fits at 80x24.
        for label in self.query(".field-error").results(Label):
            label.display = bool(str(label.render()).strip())

    def _field_value(self, field: str) -> str:
        return " ".join(self.query_one(f"#{field}", Input).value.split())

    def validate_form(self) -> bool:
        """Check the fields inline; returns whether the form can be submitted."""
        person, successor = self._field_value("person"), self._field_value("successor")
        person_hint = self.query_one("#person-hint", Label)
        ok = True
        if not person:
            person_hint.update("a person needs a name")
            person_hint.set_class(True, "-error")
            ok = False
        else:
            known = self.services.people.names(person, limit=5)
            exists = any(name.casefold() == person.casefold() for name in known)
            person_hint.update("an existing person" if exists else "a new person: they will be added")
            person_hint.set_class(False, "-error")
        leaving_error = self.query_one("#leaving-error", Label)
        try:
            parse_date(self._field_value("leaving"))
            leaving_error.update("")
        except ValueError as exc:
            leaving_error.update(str(exc))
            ok = False
        successor_error = self.query_one("#successor-error", Label)
        if successor and successor.casefold() == person.casefold():
            successor_error.update("the successor cannot be the person leaving; name someone else")
            ok = False
        else:
            successor_error.update("")
        self._hide_empty()
        return ok

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id in ("person", "successor", "leaving"):
            self.validate_form()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Enter moves down the form; on the last field it starts the interview.
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_start()

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Start the interview."""
        if not self.validate_form():
            self.query_one("#person", Input).focus()
            return
        guide = self.query_one("#guide", Select).value
        if not isinstance(guide, str):
            self.query_one("#form-error", Label).update("choose a guide")
            return
        try:
            interview = self.services.interviews.start(
                guide,
                self._field_value("person"),
                role=self._field_value("role") or None,
                team=self._field_value("team") or None,
                successor=self._field_value("successor") or None,
                interviewer=self._field_value("interviewer") or None,
            )
            leaving = parse_date(self._field_value("leaving"))
            if leaving is not None:
                # The person is leaving: map and who-knows see it from the first answer on.
                self.services.people.update(str(interview.person_id), status="leaving", leaving_date=leaving)
        except RetainError as exc:
            self.query_one("#form-error", Label).update(tui_message(exc))
            self._hide_empty()
            return
        self.dismiss(interview.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without starting anything."""
        self.dismiss(None)
