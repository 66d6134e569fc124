"""Unmapped talk from a saved import: save a segment as an answer, or drop it (review key u)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from retain.errors import Fix, RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import SegmentNeedsReplace, SegmentSettled, UnmappedLoaded
from retain.tui.screens.base import RetainScreen

if TYPE_CHECKING:
    from retain.store.models import TranscriptSegment


class UnmappedScreen(RetainScreen[None]):
    """The segments an import left unmapped, with the words and the suggested question side by side."""

    BINDINGS = [
        Binding("a", "accept", "Accept", tooltip="Save this segment under the suggested question"),
        Binding("r", "reassign", "Assign to…", tooltip="Pick the question this segment answers"),
        Binding("d", "drop", "Drop", tooltip="Delete this segment (the transcript keeps every turn)"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, interview_id: int) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.segments: list[TranscriptSegment] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="unmapped-summary", markup=False)
        with Horizontal(id="unmapped-side-by-side"):
            yield DataTable(id="unmapped-segments", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="unmapped-detail"):
                yield Static("", id="unmapped-question", markup=False)
                yield Static("", id="unmapped-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.guide = self.services.interviews.guide(self.interview_id)
        self.title = "Unmapped talk"
        self.sub_title = f"{self.guide.title} · #{self.interview_id}"
        self.query_one("#unmapped-segments", DataTable).add_columns("At", "Why", "Suggested", "Score")
        self._load()

    @work(thread=True, exclusive=True, group="unmapped", exit_on_error=False)
    def _load(self) -> None:
        try:
            segments = self.services.segments.unmapped(self.interview_id)
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        self.post_message(UnmappedLoaded(segments))

    @on(UnmappedLoaded)
    def _loaded(self, message: UnmappedLoaded) -> None:
        from retain.imports.model import clock

        self.segments = message.segments
        table = self.query_one("#unmapped-segments", DataTable)
        row = table.cursor_row
        table.clear()
        for segment in self.segments:
            # Who spoke is in the words beside the table (one "Speaker: text" line per turn).
            table.add_row(clock(segment.start) or "-", segment.reason, segment.suggestion or "—",
                          f"{segment.score:.3f}", key=str(segment.id))
        count = len(self.segments)
        self.query_one("#unmapped-summary", Static).update(
            f"{count} unmapped segment{'s' if count != 1 else ''}. a accept the suggestion · "
            "r assign to a question · d drop" if count else
            "Nothing is left unmapped: every imported segment is an answer or was dropped."
        )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
            table.focus()
        self._detail()

    def _current(self) -> TranscriptSegment | None:
        table = self.query_one("#unmapped-segments", DataTable)
        return self.segments[table.cursor_row] if table.row_count else None

    @on(DataTable.RowHighlighted, "#unmapped-segments")
    def _detail(self) -> None:
        segment = self._current()
        found = self.guide.question(segment.suggestion) if segment and segment.suggestion else None
        # Off-guide talk matched no question well: its suggestion is only the least bad guess.
        heading = "Best guess" if segment and segment.reason == "off-guide" else "Suggested"
        question = f"{heading}  {found[1].id}: {found[1].prompt}" if found else "Suggested  (no question)"
        self.query_one("#unmapped-question", Static).update(question if segment else "")
        self.query_one("#unmapped-text", Static).update(segment.text if segment else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Segment keys only work with a segment highlighted, accept only with a suggestion."""
        if action in ("reassign", "drop"):
            return bool(self.segments)
        if action == "accept":
            segment = self._current() if self.is_mounted and self.segments else None
            return segment is not None and segment.suggestion is not None
        return True

    def action_accept(self) -> None:
        """Save the highlighted segment as the answer to its suggested question."""
        segment = self._current()
        if segment is not None and segment.suggestion:
            self._assign(segment.id or 0, segment.suggestion, False)

    def action_reassign(self) -> None:
        """Pick the question the highlighted segment answers, then save it there."""
        segment = self._current()
        if segment is None:
            return
        from retain.tui.screens.import_pick import QuestionPicker

        def picked(question: str | None) -> None:
            if question:
                self._assign(segment.id or 0, question, False)

        self.app.push_screen(QuestionPicker(self.guide), picked)

    def action_drop(self) -> None:
        """Delete the highlighted segment, after asking."""
        segment = self._current()
        if segment is None:
            return
        from retain.tui.screens.dialogs import ConfirmModal

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._drop(segment.id or 0)

        preview = segment.text if len(segment.text) <= 200 else segment.text[:199] + "…"
        self.app.push_screen(ConfirmModal("Drop this segment?", f"{preview}\n\nThe stored transcript keeps "
                                          "every turn; only this unmapped segment goes.", confirm="Drop",
                                          danger=True), confirmed)

    @work(thread=True, exclusive=True, group="unmapped", exit_on_error=False)
    def _assign(self, segment_id: int, question_id: str, replace: bool) -> None:
        services = self.services
        try:
            done = services.segments.assign(segment_id, question_id, replace=replace)
        except RetainError as exc:
            if exc.fix is Fix.REPLACE:
                self.post_message(SegmentNeedsReplace(segment_id, question_id, exc.problem))
            else:
                self.retain.report_error(tui_message(exc))
            return
        if self.retain.extraction_enabled:
            try:
                # The new words get their people, systems and topics now, as a typed answer does.
                with services.extraction_lock:
                    services.extraction.extract_interview(self.interview_id)
            except RetainError as exc:
                self.retain.report_error(tui_message(exc))
        verb = {"new": "Saved as", "appended": "Added to", "replaced": "Replaced"}[done.mode]
        self.post_message(SegmentSettled(f"{verb} the answer to {question_id} ({done.visibility})."))

    @on(SegmentNeedsReplace)
    def _needs_replace(self, message: SegmentNeedsReplace) -> None:
        from retain.tui.screens.dialogs import ConfirmModal

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._assign(message.segment_id, message.question_id, True)

        self.app.push_screen(ConfirmModal("Replace the saved answer?", f"The {message.problem}. Replace it "
                                          "with what was said in the recording?", confirm="Replace",
                                          danger=True), confirmed)

    @work(thread=True, exclusive=True, group="unmapped", exit_on_error=False)
    def _drop(self, segment_id: int) -> None:
        try:
            self.services.segments.drop(segment_id)
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        self.post_message(SegmentSettled(f"Dropped segment {segment_id}."))

    @on(SegmentSettled)
    def _settled(self, message: SegmentSettled) -> None:
        self.notify(message.note)
        self._load()

    def action_back(self) -> None:
        """Back to the review."""
        self.dismiss(None)
