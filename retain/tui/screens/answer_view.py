"""A read-only view of one answer in its interview: reading an old record is not editing it."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Label, Static

from retain.errors import RetainError
from retain.tui.screens.base import RetainModal


class AnswerRead(Message):
    """The answer to show was read (``error`` set when it could not be)."""

    def __init__(self, details: dict[str, Any], error: str | None = None) -> None:
        super().__init__()
        self.details = details
        self.error = error


class AnswerViewModal(RetainModal[None]):
    """Shows one answer, read-only; ``e`` opens it in the interview to edit it, on purpose."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("e", "edit", "Edit in the interview", tooltip="Open the interview at this question to change it"),
    ]

    def __init__(self, interview_id: int, question_id: str, *, include_confidential: bool = False) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.question_id = question_id
        self.include_confidential = include_confidential

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="answer-view"):
            yield Label(f"Interview #{self.interview_id} · read-only", classes="dialog-title", id="answer-title")
            yield Static("", id="answer-meta")
            yield Static("", id="answer-body", classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Edit in the interview (e)", id="edit")
                yield Button("Close (esc)", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()
        self._read()

    @work(thread=True, exclusive=True, group="answer-view", exit_on_error=False)
    def _read(self) -> None:
        try:
            report = self.services.reports.show(
                self.interview_id, include_confidential=self.include_confidential
            ).to_json()
        except RetainError as exc:
            self.post_message(AnswerRead({}, error=exc.message))
            return
        answers: list[dict[str, Any]] = list(report["answers"])  # type: ignore[arg-type]
        answer = next((a for a in answers if a["question"] == self.question_id), None)
        guide = self.services.interviews.guide(self.interview_id)
        number = next((n for n, (_, q) in enumerate(guide.questions(), start=1) if q.id == self.question_id), None)
        self.post_message(AnswerRead({"report": report, "answer": answer, "number": number}))

    @on(AnswerRead)
    def _shown(self, message: AnswerRead) -> None:
        body = self.query_one("#answer-body", Static)
        if message.error:
            body.update(Content.styled(f"retain: error: {message.error}", "$text-error"))
            return
        report: dict[str, Any] = message.details["report"]
        answer: dict[str, Any] | None = message.details["answer"]
        person = (report.get("person") or {}).get("name", "?")
        number = message.details["number"]
        self.query_one("#answer-meta", Static).update(Content.assemble(
            Content.styled(f"{person}", "bold"),
            Content(f" · {report.get('guide_title') or report['guide']} · {str(report['status']).replace('_', ' ')}"),
            Content.styled(f"\nQ{number} " if number else "\n", "bold $text-accent"),
            Content(str(answer["prompt"]) if answer else self.question_id),
        ))
        if answer is None:
            # Confidential answers stay hidden unless the search that found them included them.
            body.update(Content.styled("No shareable answer to show.", "$text-muted"))
            return
        lines: list[Content | str] = []
        if answer["skipped"]:
            lines.append(Content.styled(f"(skipped{': ' + answer['skip_reason'] if answer['skip_reason'] else ''})\n",
                                        "$text-muted"))
        if answer["text"]:
            lines.append(Content(str(answer["text"])))
        for row in answer["items"]:
            lines.append(Content("\n• " + " | ".join(str(v) for v in row.values() if v)))
        if answer["visibility"] == "confidential":
            lines.append(Content.styled("\n[CONFIDENTIAL]", "bold $text-error"))
        body.update(Content.assemble(*lines) if lines else Content.styled("(empty)", "$text-muted"))

    @on(Button.Pressed, "#edit")
    def action_edit(self) -> None:
        """Open the interview at this question, to change the answer deliberately."""
        self.dismiss(None)
        self.retain.open_interview(self.interview_id, self.question_id)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close the view."""
        self.dismiss(None)
