"""The interview screen's answers: what was typed, what is queued, what is saved (never lost)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.content import Content
from textual.widgets import Label

from retain.domain.answers import flatten
from retain.domain.progress import CountedAnswer, compute_progress
from retain.errors import NotFound, RetainError
from retain.guides.schema import Guide, Question
from retain.tui.drafts import DraftQueue, Flushed
from retain.tui.fixes import tui_message
from retain.tui.messages import AnswersSaved, AutosaveCrashed, SavedAnswer, SaveFailed
from retain.tui.screens.base import RetainScreen, retain_app
from retain.tui.widgets.editors import AnswerEditor
from retain.tui.widgets.outline import OutlineRail, question_state
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


class InterviewAnswers(RetainScreen[None]):
    """The interview's answers as the interviewer sees them, and the autosave that keeps them.

    :class:`~retain.tui.screens.interview.InterviewScreen` builds on it; this layer knows the
    outline rail and status line only to mark what changed.
    """

    _status_line: StatusLine

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

    def _extract_left_behind(self) -> None:
        """Extract answers saved while the interviewer was elsewhere (the capture layer does)."""
