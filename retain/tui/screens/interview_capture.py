"""The interview screen's live capture: extraction after a pause, follow-ups, and list rows."""

from __future__ import annotations

import time
from typing import Any

from textual import on, work
from textual.worker import get_current_worker

from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import ExtractionFinished, ExtractionStored, PreviewExtracted
from retain.tui.screens.base import retain_app
from retain.tui.screens.interview_answers import InterviewAnswers, body_of
from retain.tui.widgets.capture import CapturePanel
from retain.tui.widgets.editors import ListEditor


class InterviewCapture(InterviewAnswers):
    """Runs spaCy on the answer being typed, stores what it found, and turns gaps into rows."""

    def _extractor_status(self) -> None:
        state = retain_app(self).extractor_state
        text = {
            "loading": "loading the language model…",
            "failed": "extraction is off",
        }.get(state, "updates after a pause in typing")
        self.query_one(CapturePanel).set_status(text)

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

    def action_add_suggestion(self) -> None:
        """Add the highlighted (or first) follow-up as a row of its list question."""
        gap = self.query_one(CapturePanel).first_addable()
        if gap is None:
            self.notify("No follow-up to add yet: they appear once entities are extracted.")
            return
        self._add_gap(gap)
