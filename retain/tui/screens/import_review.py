"""The Import screen: pick a transcript, confirm the speakers, review the mapping, save."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
)

from retain.errors import RetainError
from retain.tui.screens.base import RetainScreen

if TYPE_CHECKING:
    from retain.services.imports import ImportPlan


class TranscriptMapped(Message):
    """A transcript was read and mapped onto the guide (nothing written yet)."""

    def __init__(self, plan: ImportPlan, review: bool) -> None:
        super().__init__()
        self.plan = plan
        self.review = review  # speakers confirmed: go straight to the review


class ImportSaved(Message):
    """The reviewed import was written."""

    def __init__(self, interview_id: int, saved: int, unmapped: int = 0) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.saved = saved
        self.unmapped = unmapped


class ImportFailed(Message):
    """Reading, mapping or saving failed; ``message`` is what the CLI would print."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class ImportScreen(RetainScreen[int | None]):
    """Three steps on one screen; dismisses with the interview imported into, or ``None``."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "accept", "Accept", tooltip="Save this segment under the suggested question"),
        Binding("r", "reassign", "Reassign", tooltip="Pick the question this segment answers"),
        Binding("s", "skip", "Skip", tooltip="Leave this segment unmapped"),
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Write the reviewed import"),
    ]

    def __init__(self, interview_id: int | None = None, path: str = "") -> None:
        super().__init__()
        self.selected = interview_id  # the interview highlighted on the home screen
        self.interview_id = interview_id
        self.initial_path = path
        self.plan: ImportPlan | None = None
        self.step = "file"  # file | speakers | review

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="import-file", classes="import-step"):
            yield Label("Import a recorded interview", classes="dialog-title")
            yield Label("Transcript file (.vtt, .srt, .txt, .docx)", classes="field-label")
            yield Input(self.initial_path, placeholder="~/Downloads/handover.vtt", id="import-path")
            yield Label("Into", classes="field-label")
            into = [("A new interview", 0)]
            if self.selected:
                into.insert(0, (f"Interview #{self.selected}", self.selected))
            yield Select(into, value=into[0][1], id="import-into", allow_blank=False, compact=True)
            with Vertical(id="import-new"):
                yield Label("Guide", classes="field-label")
                yield Select([], id="import-guide", allow_blank=True, compact=True)
                yield Label("Person interviewed", classes="field-label")
                yield Input(placeholder="First Last", id="import-person")
            yield Button("Read the transcript (enter)", id="import-read", variant="primary")
        with Vertical(id="import-speakers", classes="import-step"):
            yield Static("", id="import-speaker-note", markup=False)
            yield DataTable(id="import-speaker-table", cursor_type="none")
            with Horizontal(classes="import-roles"):
                yield Label("Interviewer", classes="field-label")
                yield Select([], id="import-interviewer", allow_blank=True, compact=True)
                yield Label("Interviewee", classes="field-label")
                yield Select([], id="import-interviewee", allow_blank=True, compact=True)
            yield Input(placeholder="Rename labels: Speaker 1=Dana Whitfield, S04=Sam Patel",
                        id="import-rename")
            yield Button("Map onto the guide (enter)", id="import-map", variant="primary")
        with Vertical(id="import-review", classes="import-step"):
            yield Static("", id="import-summary", markup=False)
            with Horizontal(id="import-side-by-side"):
                yield DataTable(id="import-segments", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="import-detail"):
                    yield Static("", id="import-question", markup=False)
                    yield Static("", id="import-segment", markup=False)
        yield Static("", id="import-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        guides = self.services.guides.all()
        select = self.query_one("#import-guide", Select)
        select.set_options([(f"{g.title} ({g.id})", g.id) for g in guides])
        if any(g.id == "handover" for g in guides):
            select.value = "handover"
        self.query_one("#import-new").display = self.interview_id is None
        table = self.query_one("#import-segments", DataTable)
        table.add_columns("At", "Who", "Question", "Score", "Status")
        self.query_one("#import-speaker-table", DataTable).add_columns(
            "Speaker", "Role", "Turns", "Words"
        )
        self._show("file")
        self.query_one("#import-path", Input).focus()

    def _show(self, step: str) -> None:
        self.step = step
        for name in ("file", "speakers", "review"):
            self.query_one(f"#import-{name}").display = name == step
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Review keys only work on the review step."""
        if action in ("accept", "reassign", "skip", "save"):
            return self.step == "review"
        return True

    @on(Select.Changed, "#import-into")
    def _into(self, event: Select.Changed) -> None:
        value = event.value
        self.interview_id = value if isinstance(value, int) and value else None
        self.query_one("#import-new").display = self.interview_id is None

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#import-status", Static)
        status.set_class(error, "-error")
        status.update(text)

    # -- step 1 and 2: read and map -------------------------------------------------------
    @on(Input.Submitted, "#import-path")
    @on(Input.Submitted, "#import-person")
    @on(Button.Pressed, "#import-read")
    def _read_pressed(self) -> None:
        path = self.query_one("#import-path", Input).value.strip()
        if not path:
            self._status("Give the transcript file first.", error=True)
            return
        self._map(path)

    @on(Input.Submitted, "#import-rename")
    @on(Button.Pressed, "#import-map")
    def _map_pressed(self) -> None:
        er = self.query_one("#import-interviewer", Select).value
        ee = self.query_one("#import-interviewee", Select).value
        rename_text = self.query_one("#import-rename", Input).value
        renames: dict[str, str] = {}
        for part in rename_text.split(","):
            old, sep, new = part.partition("=")
            if sep and old.strip() and new.strip():
                renames[old.strip()] = new.strip()
        folded = {k.casefold(): v for k, v in renames.items()}
        er_name = folded.get(str(er).casefold(), str(er)) if isinstance(er, str) else None
        ee_name = folded.get(str(ee).casefold(), str(ee)) if isinstance(ee, str) else None
        self._map(self.query_one("#import-path", Input).value.strip(), er_name, ee_name, renames,
                  review=True)

    def _map(self, path: str, interviewer: str | None = None, interviewee: str | None = None,
             rename: dict[str, str] | None = None, review: bool = False) -> None:
        guide = person = None
        if self.interview_id is None:
            value = self.query_one("#import-guide", Select).value
            guide = value if isinstance(value, str) else None
            person = self.query_one("#import-person", Input).value.strip() or None
        self._status("Reading and mapping…")
        self._plan_worker(path, guide, person, interviewer, interviewee, rename or {}, review)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _plan_worker(self, path: str, guide: str | None, person: str | None, interviewer: str | None,
                     interviewee: str | None, rename: dict[str, str], review: bool) -> None:
        try:
            service = self.services.imports
            transcript, sha256 = service.read(Path(path).expanduser())
            plan = service.plan(
                transcript, sha256, interview_id=self.interview_id, guide_id=guide, person=person,
                interviewer=interviewer, interviewee=interviewee, rename=rename,
            )
        except RetainError as exc:
            self.post_message(ImportFailed(exc.message))
            return
        self.post_message(TranscriptMapped(plan, review))

    @on(TranscriptMapped)
    def _mapped(self, message: TranscriptMapped) -> None:
        self.plan = plan = message.plan
        mapping = plan.mapping
        if message.review or not mapping.speakers:
            self._fill_review()
            self._show("review")
            self.query_one("#import-segments", DataTable).focus()
            self._status("a accept · r reassign · s skip · ctrl+s save")
            return
        table = self.query_one("#import-speaker-table", DataTable)
        table.clear()
        for speaker in mapping.speakers:
            table.add_row(speaker.name, speaker.role, str(speaker.turns), str(speaker.words))
        names = [(s.name, s.name) for s in mapping.speakers]
        for select_id, chosen in (("#import-interviewer", mapping.interviewer),
                                  ("#import-interviewee", mapping.interviewee)):
            select = self.query_one(select_id, Select)
            select.set_options(names)
            if chosen:
                select.value = chosen
        guess = "retain guessed" if mapping.guessed else "You named"
        self.query_one("#import-speaker-note", Static).update(
            f"{plan.transcript.file_name}: {len(plan.transcript.turns)} turns. {guess}: "
            f"{mapping.interviewer} asks, {mapping.interviewee} answers. Confirm or change, "
            "rename generic labels, then map."
        )
        self._show("speakers")
        self._status("")
        self.query_one("#import-map", Button).focus()

    @on(ImportFailed)
    def _failed(self, message: ImportFailed) -> None:
        self._status(f"retain: error: {message.message}", error=True)

    # -- step 3: review ---------------------------------------------------------------------
    def _fill_review(self) -> None:
        from retain.imports.model import clock

        plan = self.plan
        if plan is None:
            return
        mapping = plan.mapping
        table = self.query_one("#import-segments", DataTable)
        row = table.cursor_row
        table.clear()
        for index, segment in enumerate(mapping.segments):
            start, _ = mapping.span(segment)
            target = plan.target(index)
            speakers = {mapping.transcript.turns[i].speaker or "?" for i in segment.turns}
            who = mapping.interviewee if mapping.interviewee in speakers else ", ".join(sorted(speakers))
            if target is not None:
                status = "answer" if index not in plan.decisions else "accepted"
            elif index in plan.decisions:
                status = "skipped"
            else:
                status = "review" if segment.review else segment.reason
            # Off-guide talk matched nothing well: its best guess would only mislead.
            shown = target or segment.question or "—"
            table.add_row(clock(start) or "-", (who or "?")[:18], shown, f"{segment.score:.3f}",
                          status, key=str(index))
        answers = sum(1 for i in range(len(mapping.segments)) if plan.target(i))
        self.query_one("#import-summary", Static).update(
            f"{plan.transcript.file_name} → {plan.guide.title}: {answers} answers of "
            f"{len(mapping.segments)} segments. {mapping.interviewer} asks, "
            f"{mapping.interviewee} answers."
        )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        self._detail()

    def _index(self) -> int | None:
        table = self.query_one("#import-segments", DataTable)
        return table.cursor_row if table.row_count else None

    @on(DataTable.RowHighlighted, "#import-segments")
    def _detail(self) -> None:
        plan, index = self.plan, self._index()
        if plan is None or index is None:
            return
        segment = plan.mapping.segments[index]
        qid = plan.target(index) or segment.question
        found = plan.guide.question(qid) if qid else None
        question = f"{qid}: {found[1].prompt}" if found else "(no question)"
        self.query_one("#import-question", Static).update(f"Question  {question}")
        turns = plan.mapping.transcript.turns
        self.query_one("#import-segment", Static).update(
            "\n".join(f"{turns[i].speaker or 'Unknown'}: {turns[i].text}" for i in segment.turns)
        )

    def _decide(self, question: str | None) -> None:
        plan, index = self.plan, self._index()
        if plan is None or index is None:
            return
        plan.decisions[index] = question
        self._fill_review()

    def action_accept(self) -> None:
        """Save the highlighted segment under its (suggested) question."""
        plan, index = self.plan, self._index()
        if plan is None or index is None:
            return
        segment = plan.mapping.segments[index]
        suggested = segment.question
        if suggested is None:
            self.notify("No suggestion for this segment: press r to pick a question.",
                        severity="warning")
            return
        self._decide(suggested)

    def action_skip(self) -> None:
        """Leave the highlighted segment unmapped (it stays in the stored transcript)."""
        self._decide(None)

    def action_reassign(self) -> None:
        """Pick the question the highlighted segment answers."""
        if self.plan is None or self._index() is None:
            return
        from retain.tui.screens.import_pick import QuestionPicker

        def picked(question: str | None) -> None:
            if question:
                self._decide(question)

        self.app.push_screen(QuestionPicker(self.plan.guide), picked)

    def action_save(self) -> None:
        """Write the reviewed import in a worker."""
        if self.plan is None:
            return
        self._status("Saving…")
        self._save_worker(self.plan)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _save_worker(self, plan: ImportPlan) -> None:
        try:
            saved = self.services.imports.save(plan)
            unmapped = len(self.services.segments.unmapped(plan.interview_id or 0))
        except RetainError as exc:
            self.post_message(ImportFailed(exc.message))
            return
        self.post_message(ImportSaved(plan.interview_id or 0, len(saved), unmapped))

    @on(ImportSaved)
    def _saved(self, message: ImportSaved) -> None:
        left = (f" {message.unmapped} segments are unmapped: open the interview, press ctrl+r, then u."
                if message.unmapped else "")
        self.notify(f"Imported {message.saved} answers into interview #{message.interview_id}.{left}",
                    title="Imported")
        self.dismiss(message.interview_id)

    def action_back(self) -> None:
        """Go back a step, or close the screen from the first one."""
        if self.step == "review" and self.plan is not None and self.plan.mapping.speakers:
            self._show("speakers")
        elif self.step in ("review", "speakers"):
            self._show("file")
        else:
            self.dismiss(None)
