"""The interview screen: outline rail, question card, typed editor, live capture, and autosave."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Label, Static
from textual.worker import get_current_worker

from retain.domain.answers import flatten
from retain.domain.progress import CountedAnswer, compute_progress
from retain.errors import NotFound, RetainError
from retain.guides.schema import Guide, Question
from retain.services.answers import check_visibility
from retain.tui.drafts import DraftQueue, Flushed
from retain.tui.fixes import tui_message
from retain.tui.messages import (
    AnswersSaved,
    AutosaveCrashed,
    ExtractionFinished,
    ExtractionStored,
    PreviewExtracted,
    SavedAnswer,
    SaveFailed,
)
from retain.tui.screens.base import RetainScreen, retain_app
from retain.tui.widgets.capture import CapturePanel
from retain.tui.widgets.editors import AnswerEditor, ListEditor, TextEditor, make_editor
from retain.tui.widgets.outline import LEGEND, OutlineRail, question_state
from retain.tui.widgets.question_card import QuestionCard
from retain.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from retain.services import Services

# A throttle, not a debounce: the first unsaved keystroke sets a deadline that later ones do
# not push back, and the draft queue's autosave thread writes at it, so while typing continues
# the text reaches the database at most this long (plus one small write) after any key. The
# promise is 0.25 s; a save is one cheap upsert.
SAVE_MAX_WAIT = 0.15
# The live capture panel extracts after this pause in typing; its result is also what is
# stored for the answer, so spaCy runs once per pause, never once per save.
PREVIEW_DELAY = 0.6


@dataclass
class AnswerState:
    """The interviewer's view of one answer: what is saved, or queued to be saved."""

    text: str = ""
    items: list[dict[str, str]] = field(default_factory=list)
    visibility: str = "shareable"
    skipped: bool = False
    skip_reason: str | None = None


def body_of(state: AnswerState) -> str:
    """What the live panel extracts from: the text, or the list rows flattened."""
    return flatten(state.text, state.items)


class InterviewScreen(RetainScreen[None]):
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

    def __init__(self, services: Services, interview_id: int, *, question_id: str | None = None) -> None:
        """Load the interview (raises RetainError, e.g. NotFound, before anything is shown)."""
        super().__init__()
        self._svc = services
        self.interview_id = interview_id
        self.guide: Guide = services.interviews.guide(interview_id)
        # Follow-ups come from shareable answers only: adding one copies its item into a
        # (shareable) list, and nothing said in confidence may travel that way.
        report = services.reports.show(interview_id, include_confidential=False)
        self._status = report.status
        self._person = report.person.name if report.person else "?"
        self._initial_gaps: list[dict[str, Any]] = [gap.to_json() for gap in report.gaps]
        self._states: dict[str, AnswerState] = {}
        # Saved answers' ids, and those whose stored mentions lag behind their text.
        self._answer_ids: dict[str, int] = {}
        self._stale: set[str] = set()
        self._extracting: set[str] = set()
        for answer in services.interviews.answers(interview_id):
            self._states[answer.question_id] = AnswerState(
                answer.text, list(answer.items), answer.visibility, answer.skipped, answer.skip_reason
            )
            self._answer_ids[answer.question_id] = answer.id or 0
        self._order = [q.id for _, q in self.guide.questions()]
        # Looked up on every keystroke: a dict, not a walk over the guide.
        self._questions = {q.id: q for _, q in self.guide.questions()}
        if question_id is not None and question_id not in self._order:
            raise NotFound(f"interview {interview_id} has no question {question_id!r}")
        self._start_question = question_id
        self.current: str = self._order[0] if self._order else ""
        self._drafts = DraftQueue(partial(services.interviews.save, interview_id), max_wait=SAVE_MAX_WAIT,
                                  flushed=self._post_flushed, crashed=self._post_crash)
        # Relabelling and interview topics are store-wide: run once when leaving, not per save.
        self._derived_stale = False
        self._preview_at: float | None = None
        self._shown_progress: tuple[int, int, int] | None = None
        self._sitting_id: int | None = None
        self._sitting_started: datetime | None = None
        self._finished = False
        self._shown_section: str | None = None
        self._now: Callable[[], datetime] = datetime.now
        self._editor: AnswerEditor | None = None

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

    def _extractor_status(self) -> None:
        state = retain_app(self).extractor_state
        text = {
            "loading": "loading the language model…",
            "failed": "extraction is off",
        }.get(state, "updates after a pause in typing")
        self.query_one(CapturePanel).set_status(text)

    # -- showing a question -----------------------------------------------------------------
    def state(self, question_id: str) -> AnswerState:
        """The answer state of a question (a blank one with the default visibility if new)."""
        state = self._states.get(question_id)
        if state is None:
            found = self._questions.get(question_id)
            return AnswerState(visibility=self.guide.default_visibility(found) if found else "shareable")
        return state

    def question(self, question_id: str | None = None) -> Question:
        """A question of the guide (the current one by default)."""
        found = self._questions.get(question_id or self.current)
        if found is None:
            raise NotFound(f"unknown question {question_id!r}")
        return found

    @property
    def editor(self) -> AnswerEditor | None:
        """The editor of the current question (kept by reference: readable while unmounting)."""
        return self._editor

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

    def _show_visibility(self) -> None:
        state = self.state(self.current)
        confidential = state.visibility == "confidential"
        badge = self.query_one("#visibility-badge", Label)
        badge.update(" CONFIDENTIAL · HR only " if confidential else "shareable")
        badge.tooltip = (
            "Never in the handover pack or default search; ctrl+t toggles" if confidential
            else "Goes in the handover pack and default search; ctrl+t makes it confidential"
        )
        badge.set_class(confidential, "-confidential")
        self.query_one("#editor-box").set_class(confidential, "-confidential")
        label = Content.styled("Answer", "bold")
        if state.skipped:
            label = Content.assemble(label, Content.styled(" (skipped", "$text-warning"),
                                     Content.styled(f": {state.skip_reason}" if state.skip_reason else "",
                                                    "$text-warning"),
                                     Content.styled(")", "$text-warning"))
        self.query_one("#answer-label", Label).update(label)

    def _mark(self, question: Question) -> None:
        state = self.state(question.id)
        self.query_one(OutlineRail).set_state(
            question,
            question_state(question, state.text, state.items, state.skipped, state.visibility == "confidential"),
        )

    # -- recording edits ------------------------------------------------------------------
    @on(AnswerEditor.Edited)
    def _edited(self, event: AnswerEditor.Edited) -> None:
        event.stop()
        if event.editor.question.id != self.current:
            return  # a late message from an editor that was just replaced
        self._record(self.current, event.text, event.items, immediate=event.immediate)

    def _record(self, question_id: str, text: str | None, items: list[dict[str, str]] | None, *,
                immediate: bool = False, quiet: bool = False) -> bool:
        """Queue a changed answer for saving; returns whether anything changed.

        ``quiet`` only queues it: used while the screen is being torn down, when its widgets
        are already gone.
        """
        state = self.state(question_id)
        new_text = state.text if text is None else text
        new_items = state.items if items is None else [dict(i) for i in items]
        if new_text == state.text and new_items == state.items:
            return False
        self._states[question_id] = replace(state, text=new_text, items=new_items, skipped=False)
        if items is not None:
            self._drafts.content(question_id, items=new_items)
        else:
            self._drafts.content(question_id, text=new_text)
        if quiet:
            return True
        self._mark(self.question(question_id))
        if question_id == self.current and state.skipped:
            self._show_visibility()  # typing un-skips the question
        self._status_line.unsaved()
        retain_app(self).note_typing()
        if immediate:
            self._save_in_background()
        if question_id == self.current:
            # A deadline checked by one slow interval, not a timer re-created on each key: under
            # load a timer per keystroke costs the event loop more than the keystroke itself.
            self._preview_at = time.monotonic() + PREVIEW_DELAY
        return True

    def _drafted(self, question_id: str, text: str) -> None:
        """Text straight from an edit, ahead of its ``Edited`` message: queue it for autosave."""
        if question_id == self.current and not self._finished:
            self._drafts.content(question_id, text=text)
            retain_app(self).note_typing()

    def _capture_editor(self, *, quiet: bool = False) -> None:
        # Read the editor directly: its Changed message may still be queued behind this key.
        editor = self._editor
        if editor is not None and editor.question.id == self.current:
            self._record(self.current, editor.text, editor.items, quiet=quiet)

    def _preview_due(self) -> None:
        if self._preview_at is not None and time.monotonic() >= self._preview_at:
            self._preview_at = None
            self._preview_current()

    def _preview_current(self) -> None:
        if not retain_app(self).extraction_enabled:
            return
        text = body_of(self.state(self.current))
        if retain_app(self).extractor_state == "loading":
            self.query_one(CapturePanel).set_status("loading the language model…")
        self._preview_worker(self.current, text)

    # -- saving ---------------------------------------------------------------------------
    def _save_in_background(self) -> None:
        """Have the autosave thread write everything queued now."""
        self._drafts.save_soon()

    def save_pending(self) -> bool:
        """Write every queued change now (from any thread); returns whether all of it was saved.

        Per-answer work only: one upsert per changed answer. Extraction follows a pause in
        typing (see :meth:`_previewed`), the store-wide passes follow leaving the interview.
        """
        flushed = self._drafts.flush()
        self._post_flushed(flushed)
        return not flushed.failed

    def _post_flushed(self, flushed: Flushed) -> None:
        """Report a flush to the UI thread (called on the autosave thread too)."""
        saved = [
            SavedAnswer(a.question_id, a.id or 0, a.text, list(a.items), a.visibility, a.skipped,
                        a.skip_reason)
            for a in flushed.saved
        ]
        if saved:
            self.post_message(AnswersSaved(self.interview_id, saved, self._now(), (0, 0, 0)))
        for question_id, error in flushed.failed:
            self.post_message(SaveFailed(question_id, tui_message(error)))

    def _post_crash(self, error: BaseException) -> None:
        self.post_message(AutosaveCrashed(error))

    @on(AutosaveCrashed)
    def _autosave_crashed(self, message: AutosaveCrashed) -> None:
        # A bug in the save path: raise it on the UI thread, where the app reports it (and a
        # strict test run fails), instead of letting the autosave thread die silently.
        raise message.error

    def _show_progress(self) -> None:
        counted = [CountedAnswer(q, s.text, s.items, s.skipped) for q, s in self._states.items()]
        progress = compute_progress(self.guide, counted)
        shown = (progress.done, progress.total, len(progress.required_missing))
        # Saves land several times a second while typing: repaint (and re-layout) on change only.
        if shown != self._shown_progress:
            self._shown_progress = shown
            self.query_one(StatusLine).progress(*shown)

    @on(AnswersSaved)
    def _saved(self, message: AnswersSaved) -> None:
        waiting = self._drafts.waiting()
        before = self.state(self.current)
        for saved in message.saved:
            state = self.state(saved.question_id)
            # Keep the interviewer's newer words if more were typed while this save ran.
            if saved.question_id not in waiting:
                state = replace(state, text=saved.text, items=saved.items)
            self._states[saved.question_id] = replace(
                state, visibility=saved.visibility, skipped=saved.skipped, skip_reason=saved.skip_reason
            )
            self._mark(self.question(saved.question_id))
            if saved.answer_id:
                self._answer_ids[saved.question_id] = saved.answer_id
                self._stale.add(saved.question_id)
        after = self.state(self.current)
        if (before.visibility, before.skipped, before.skip_reason) != (
                after.visibility, after.skipped, after.skip_reason):
            self._show_visibility()
        if not waiting:
            self.query_one(StatusLine).saved(message.at)
        self._show_progress()
        self._extract_left_behind()

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        self.query_one(StatusLine).failed(message.message)
        retain_app(self).report_error(message.message, title="Not saved")
        # Re-read what the database holds, so the screen never shows an unsaved visibility.
        if message.question_id not in self._drafts.waiting():
            self._reload_states()

    def _reload_states(self) -> None:
        try:
            answers = self._svc.interviews.answers(self.interview_id)
        except RetainError as exc:
            retain_app(self).report_error(tui_message(exc))
            return
        self._states = {
            a.question_id: AnswerState(a.text, list(a.items), a.visibility, a.skipped, a.skip_reason)
            for a in answers
        }
        for _, question in self.guide.questions():
            self._mark(question)
        self._show_visibility()

    def flush_before_exit(self) -> None:
        """Save synchronously and close the sitting: called on quit and when leaving."""
        if self._finished:
            return
        self._capture_editor(quiet=True)
        self._preview_at = None
        self.save_pending()
        self._drafts.stop()
        self._finished = True
        if self._derived_stale:
            # Relabelling and interview topics after this sitting's mentions: a store-wide
            # pass, run once here rather than on every save; ``retain extract`` redoes it too.
            with contextlib.suppress(RetainError):
                self._svc.extraction.refresh_derived([self.interview_id])
            self._derived_stale = False
        if self._sitting_id is not None:
            # The answers are safe either way; a missing end time only shortens the session log.
            with contextlib.suppress(RetainError):
                self._svc.interviews.end_sitting(self._sitting_id)

    def on_unmount(self) -> None:
        self.flush_before_exit()

    def on_screen_suspend(self) -> None:
        self._capture_editor()
        self._save_in_background()

    async def on_screen_resume(self) -> None:
        # Another screen (search, review) may have opened this interview: re-read it when idle.
        if self._drafts or self._drafts.busy or not self.is_mounted:
            return
        before = self.state(self.current)
        self._reload_states()
        if self.state(self.current) != before:
            await self.show_question(self.current)

    # -- extraction -----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _preview_worker(self, question_id: str, text: str) -> None:
        if not text.strip():
            self.post_message(PreviewExtracted(question_id, text, [], []))
            return
        try:
            with self._svc.extraction_lock:
                if get_current_worker().is_cancelled:
                    return
                extraction = self._svc.extraction.preview(text)
        except RetainError as exc:
            self.post_message(PreviewExtracted(question_id, text, [], [tui_message(exc)]))
            return
        entities: list[tuple[str, str]] = []
        for mention in extraction.mentions:
            if (mention.text, mention.label) not in entities:
                entities.append((mention.text, mention.label))
        topics = list(dict.fromkeys(extraction.phrases))
        self.post_message(PreviewExtracted(question_id, text, entities, topics[:6], extraction))

    @on(PreviewExtracted)
    def _previewed(self, message: PreviewExtracted) -> None:
        if message.extraction is not None:
            self._store_if_current(message.question_id, message.text, message.extraction)
        if message.question_id != self.current:
            return
        capture = self.query_one(CapturePanel)
        capture.show_preview(message.entities, message.topics)
        capture.set_status(f"updated {self._now().strftime('%H:%M:%S')}")

    def _store_if_current(self, question_id: str, text: str, extraction: Any) -> None:
        """Store the preview's extraction for the saved answer it was made from (no second spaCy run)."""
        answer_id = self._answer_ids.get(question_id)
        if (question_id in self._stale and answer_id and question_id not in self._drafts.waiting()
                and body_of(self.state(question_id)) == text):
            self._store_worker(question_id, answer_id, text, extraction)

    def _extract_left_behind(self) -> None:
        """Extract saved answers the interviewer moved away from before the preview ran."""
        if not retain_app(self).extraction_enabled:
            return
        waiting = self._drafts.waiting()
        for question_id in sorted(self._stale - waiting - self._extracting - {self.current}):
            self._extracting.add(question_id)
            self._store_worker(question_id, self._answer_ids[question_id],
                               body_of(self.state(question_id)), None)

    @work(thread=True, group="extract", exit_on_error=False)
    def _store_worker(self, question_id: str, answer_id: int, text: str, extraction: Any) -> None:
        try:
            with self._svc.extraction_lock:
                if extraction is None and text.strip():
                    extraction = self._svc.extraction.preview(text)
                stored = self._svc.extraction.store_extraction(answer_id, text, extraction)
        except RetainError as exc:
            retain_app(self).report_error(tui_message(exc))
            stored = False
        self.post_message(ExtractionStored(question_id, answer_id, text, stored))

    @on(ExtractionStored)
    def _extraction_stored(self, message: ExtractionStored) -> None:
        self._extracting.discard(message.question_id)
        if message.stored:
            self._derived_stale = True
            if body_of(self.state(message.question_id)) == message.text:
                self._stale.discard(message.question_id)
            self._refresh_gaps()
        elif message.question_id not in self._drafts.waiting():
            self._stale.discard(message.question_id)  # the text changed: the next save re-marks it

    @work(thread=True, exclusive=True, group="gaps", exit_on_error=False)
    def _refresh_gaps(self) -> None:
        try:
            report = self._svc.reports.show(self.interview_id, include_confidential=False).to_json()
        except RetainError:
            return
        self.post_message(ExtractionFinished(self.interview_id, report))

    @on(ExtractionFinished)
    def _extracted(self, message: ExtractionFinished) -> None:
        self.query_one(CapturePanel).show_gaps(message.report.get("gaps") or [])

    # -- list rows ------------------------------------------------------------------------
    @on(ListEditor.RowRequested)
    def _row_requested(self, event: ListEditor.RowRequested) -> None:
        from retain.tui.screens.row_form import RowFormModal

        editor, index = event.editor, event.index
        row = editor.items[index] if index is not None else None

        def done(result: dict[str, str] | None) -> None:
            if result is not None and editor.is_mounted:
                editor.apply_row(index, result)
            if editor.is_mounted:
                editor.focus_editor()

        self.app.push_screen(RowFormModal(editor.question, row), done)

    @on(ListEditor.RowDeleteRequested)
    def _row_delete(self, event: ListEditor.RowDeleteRequested) -> None:
        from retain.tui.screens.dialogs import ConfirmModal

        editor, index = event.editor, event.index
        first = next((v for v in editor.items[index].values() if v), "this row")

        def done(yes: bool | None) -> None:
            if yes and editor.is_mounted:
                editor.delete_row(index)

        self.app.push_screen(ConfirmModal("Delete this row?", f"Remove {first!r} from the list?",
                                          confirm="Delete", danger=True), done)

    @on(CapturePanel.AddRequested)
    def _add_requested(self, event: CapturePanel.AddRequested) -> None:
        self._add_gap(event.gap)

    def _add_gap(self, gap: dict[str, Any]) -> None:
        question_id, item = gap.get("question"), str(gap.get("item") or "").strip()
        found = self.guide.question(str(question_id)) if question_id else None
        if found is None or found[1].type != "list" or not item:
            self.notify("That follow-up cannot be added as a row; ask it aloud.", severity="warning")
            return
        question = found[1]
        first = question.fields[0].id
        items = self.state(question.id).items
        if any(row.get(first, "").casefold() == item.casefold() for row in items):
            self.notify(f"{item!r} is already listed.")
            return
        row = {f.id: "" for f in question.fields} | {first: item}
        self._record(question.id, None, [*items, row], immediate=True)
        editor = self.editor
        if question.id == self.current and isinstance(editor, ListEditor):
            editor.set_items(self.state(question.id).items, cursor=len(items))
        self.notify(f"Added {item!r} to “{question.prompt}”")

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

    def action_add_suggestion(self) -> None:
        """Add the highlighted (or first) follow-up as a row of its list question."""
        gap = self.query_one(CapturePanel).first_addable()
        if gap is None:
            self.notify("No follow-up to add yet: they appear once entities are extracted.")
            return
        self._add_gap(gap)

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
