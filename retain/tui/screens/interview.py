"""The interview screen: outline rail, question card, typed editor, live capture, and autosave."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Label, Static

from retain.errors import RetainError
from retain.services.answers import check_visibility
from retain.tui.fixes import tui_message
from retain.tui.screens.base import retain_app
from retain.tui.screens.interview_answers import body_of
from retain.tui.screens.interview_capture import InterviewCapture
from retain.tui.widgets.capture import CapturePanel
from retain.tui.widgets.editors import TextEditor, make_editor
from retain.tui.widgets.outline import LEGEND, OutlineRail
from retain.tui.widgets.question_card import QuestionCard
from retain.tui.widgets.status import StatusLine


class InterviewScreen(InterviewCapture):
    """Conducts one interview; every word is saved within a second."""

    BINDINGS = [
        Binding("ctrl+n", "next_question", "Next", priority=True, tooltip="Next question"),
        Binding("ctrl+b", "previous_question", "Back", priority=True, tooltip="Previous question"),
        Binding("ctrl+t", "toggle_visibility", "Confidential", priority=True,
                tooltip="Toggle this answer between shareable and confidential"),
        Binding("f2", "skip", "Skip", priority=True, tooltip="Skip this question, with an optional reason"),
        Binding("ctrl+l", "add_suggestion", "Add follow-up", priority=True,
                tooltip="Add the highlighted follow-up as a list row"),
        Binding("ctrl+g", "next_section", "Next section", priority=True),
        Binding("ctrl+f", "first_unanswered", "First open", priority=True,
                tooltip="Jump to the first question neither answered nor skipped"),
        Binding("ctrl+o", "focus_outline", "Outline", priority=True, tooltip="Move to the outline rail"),
        Binding("ctrl+r", "review", "Review", priority=True, tooltip="Coverage, gaps, complete, export"),
        Binding("ctrl+s", "save_now", "Save now", show=False, priority=True),
        Binding("f3", "toggle_capture", "Capture panel", show=False, tooltip="Show or hide the live capture panel"),
        Binding("escape", "back", "Home", tooltip="Save and go back"),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (130, "-xwide")]

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="interview-body"):
            with Vertical(id="rail"):
                yield OutlineRail(self.guide, id="outline")
                yield Static(LEGEND, id="legend")
            with Vertical(id="center"):
                with VerticalScroll(id="card-scroll"):
                    yield QuestionCard(id="card")
                with Horizontal(id="answer-bar"):
                    yield Label("Answer", id="answer-label")
                    yield Label("", id="visibility-badge")
                yield Vertical(id="editor-box")
            yield CapturePanel(id="capture")
        yield StatusLine(id="status")
        yield Footer()

    async def on_mount(self) -> None:
        app = retain_app(self)
        self._now = app.clock
        self.title = self._person
        self.sub_title = f"{self.guide.title} · #{self.interview_id}"
        for _, question in self.guide.questions():
            self._mark(question)
        self._show_progress()
        if self._status != "completed":
            # Every opening of an unfinished interview is a sitting in its session log.
            self._sitting_id = self._svc.interviews.begin_sitting(self.interview_id)
            self._sitting_started = self._now()
        self._status_line = self.query_one(StatusLine)
        self._drafts.start()
        self._tick()
        self.set_interval(1.0, self._tick)
        self.set_interval(0.1, self._preview_due)
        self.query_one(CapturePanel).show_gaps(self._initial_gaps)
        self._extractor_status()
        start = self._start_question or self._svc.interviews.first_unanswered(self.interview_id)
        await self.show_question(start or self.current)

    def _tick(self) -> None:
        started = self._sitting_started
        self.query_one(StatusLine).tick(self._now() - started if started is not None else None)

    async def show_question(self, question_id: str, *, focus: bool = True) -> None:
        """Save what was typed, then show another question with the editor that fits it."""
        self._capture_editor()
        self._save_in_background()
        self._extract_left_behind()
        self._preview_at = None
        found = self.guide.question(question_id)
        if found is None:
            return
        section, question = found
        self.current = question_id
        number = self._order.index(question_id) + 1
        self.query_one(QuestionCard).show(
            section, question, number, len(self._order), show_intro=self._shown_section != section.id
        )
        self._shown_section = section.id
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)
        state = self.state(question_id)
        editor = self.editor
        if isinstance(editor, TextEditor) and question.type == "text":
            editor.reuse(question, state.text)
        else:
            box = self.query_one("#editor-box")
            await box.remove_children()
            editor = make_editor(question, state.text, state.items)
            editor.drafted = self._drafted
            self._editor = editor
            await box.mount(editor)
        self._show_visibility()
        self.query_one(OutlineRail).show_question(question_id)
        capture = self.query_one(CapturePanel)
        capture.clear_preview()
        if body_of(state).strip() and retain_app(self).extraction_enabled:
            self._preview_worker(question_id, body_of(state))
        if focus:
            editor.focus_editor()

    async def on_screen_resume(self) -> None:
        # Another screen (search, review) may have opened this interview: re-read it when idle.
        if self._drafts or self._drafts.busy or not self.is_mounted:
            return
        before = self.state(self.current)
        self._reload_states()
        if self.state(self.current) != before:
            await self.show_question(self.current)

    # -- actions --------------------------------------------------------------------------
    async def action_next_question(self) -> None:
        """Go to the next question."""
        index = self._order.index(self.current)
        if index + 1 < len(self._order):
            await self.show_question(self._order[index + 1])
        else:
            self.notify("That was the last question: ctrl+r reviews the interview.")

    async def action_previous_question(self) -> None:
        """Go to the previous question."""
        index = self._order.index(self.current)
        if index > 0:
            await self.show_question(self._order[index - 1])

    async def action_next_section(self) -> None:
        """Go to the first question of the next section."""
        sections = self.guide.sections
        current = next(i for i, s in enumerate(sections) if any(q.id == self.current for q in s.questions))
        for section in sections[current + 1:]:
            if section.questions:
                await self.show_question(section.questions[0].id)
                return
        self.notify("This is the last section.")

    async def action_first_unanswered(self) -> None:
        """Go to the first question that is neither answered nor skipped."""
        self._capture_editor()
        self.save_pending()
        target = self._svc.interviews.first_unanswered(self.interview_id)
        if target is None:
            self.notify("Every question is answered or skipped: ctrl+r reviews the interview.")
            return
        await self.show_question(target)

    def action_focus_outline(self) -> None:
        """Move to the outline rail (up/down, enter jumps)."""
        self.query_one(OutlineRail).focus()

    @on(OutlineRail.Jumped)
    async def _jumped(self, event: OutlineRail.Jumped) -> None:
        await self.show_question(event.question_id)

    def action_toggle_visibility(self) -> None:
        """Flip the current answer between shareable and confidential."""
        self._capture_editor()
        state = self.state(self.current)
        new = "shareable" if state.visibility == "confidential" else "confidential"
        try:
            # The rule (only ever tighter than the question's default) lives in the core.
            check_visibility(self.guide, self.question(), new)
        except RetainError as exc:
            retain_app(self).report_error(tui_message(exc), title="Stays confidential")
            return
        self._states[self.current] = replace(state, visibility=new)
        self._drafts.visibility(self.current, new)
        self._mark(self.question())
        self._show_visibility()
        self._save_in_background()
        if new == "confidential":
            self.notify("This answer is now CONFIDENTIAL: it stays out of the handover pack and default search.",
                        title="Confidential", severity="warning")

    def action_skip(self) -> None:
        """Skip the current question, with an optional reason."""
        from retain.tui.screens.dialogs import PromptModal

        question_id = self.current

        async def done(reason: str | None) -> None:
            if reason is None:
                return
            self._capture_editor()
            state = self.state(question_id)
            self._states[question_id] = replace(state, skipped=True, skip_reason=reason.strip() or None)
            self._drafts.skip(question_id, reason)
            self._mark(self.question(question_id))
            self._save_in_background()
            await self.action_next_question()

        self.app.push_screen(
            PromptModal("Skip this question?", self.question().prompt,
                        placeholder="Reason (optional), e.g. 'covered in sitting 1'", confirm="Skip"),
            done,
        )

    def action_save_now(self) -> None:
        """Save immediately."""
        self._capture_editor()
        if not self._drafts:
            self.query_one(StatusLine).saved(self._now())
        self._save_in_background()

    def action_toggle_capture(self) -> None:
        """Show or hide the live capture panel (more room on a small terminal)."""
        capture = self.query_one(CapturePanel)
        capture.display = not capture.display

    def action_review(self) -> None:
        """Open the review screen: coverage, gaps, entities, complete, export."""
        from retain.tui.screens.review import ReviewScreen

        self._capture_editor()
        self.save_pending()
        if self._derived_stale:
            # The review shows interview topics: bring the store-wide pass up to date first.
            try:
                self._svc.extraction.refresh_derived([self.interview_id])
                self._derived_stale = False
            except RetainError as exc:
                retain_app(self).report_error(tui_message(exc))
        self.app.push_screen(ReviewScreen(self._svc, self.interview_id))

    def action_back(self) -> None:
        """Save, close the sitting and go back."""
        self.flush_before_exit()
        self.app.pop_screen()
