"""The outline rail: sections and questions, each with its state marker; jump by key or click."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from retain.domain.answers import has_content
from retain.guides.schema import Guide, Question

# One glyph per state, each with a theme colour; the legend under the rail spells them out.
MARKERS: dict[str, tuple[str, str]] = {
    "answered": ("✓", "$text-success"),
    "skipped": ("»", "$text-warning"),
    "missing": ("!", "$text-error"),
    "open": ("·", "$text-muted"),
}

LEGEND = Content.from_markup(
    "[$text-success]✓[/] answered  [$text-warning]»[/] skipped  "
    "[$text-error]![/] required  [reverse $text-error]C[/] confidential"
)


@dataclass(frozen=True)
class QuestionState:
    """What the rail shows for one question."""

    state: str  # answered | skipped | missing | open
    confidential: bool


def question_state(question: Question, text: str, items: list[dict[str, str]], skipped: bool,
                   confidential: bool) -> QuestionState:
    """Derive a question's marker from its answer (the same rule as the interview's progress)."""
    if skipped:
        state = "skipped"
    elif has_content(text, items):
        state = "answered"
    elif question.required:
        state = "missing"
    else:
        state = "open"
    return QuestionState(state, confidential)


class OutlineRail(OptionList):
    """Lists the guide's sections and questions; selecting a question asks to jump to it."""

    class Jumped(Message):
        """The interviewer picked a question in the rail."""

        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    def __init__(self, guide: Guide, *, label_width: int = 22, id: str | None = None) -> None:
        super().__init__(id=id)
        self._guide = guide
        self._label_width = label_width
        self._states: dict[str, QuestionState] = {}
        self._numbers = {q.id: n for n, (_, q) in enumerate(guide.questions(), start=1)}

    def on_mount(self) -> None:
        options: list[Option] = []
        for section in self._guide.sections:
            options.append(Option(Content.styled(section.title, "bold $text-primary"), disabled=True))
            for question in section.questions:
                options.append(Option(self._option_prompt(question), id=question.id))
        self.add_options(options)

    def on_resize(self) -> None:
        # Labels are cut to the rail's width, so re-cut them when the terminal changes size.
        width = max(self.scrollable_content_region.width - 4, 8)
        if width != self._label_width and self.option_count:
            self._label_width = width
            for _, question in self._guide.questions():
                self.replace_option_prompt(question.id, self._option_prompt(question))

    def _option_prompt(self, question: Question) -> Content:
        state = self._states.get(question.id, QuestionState("missing" if question.required else "open", False))
        glyph, colour = MARKERS[state.state]
        label = f"{self._numbers[question.id]}. {question.prompt}"
        width = self._label_width
        label = label if len(label) <= width else label[: width - 1].rstrip() + "…"
        conf = Content.styled("C", "reverse $text-error") if state.confidential else Content(" ")
        return Content.assemble(Content.styled(glyph, colour), conf, " ", label)

    def set_state(self, question: Question, state: QuestionState) -> None:
        """Update one question's marker."""
        if self._states.get(question.id) == state:
            return
        self._states[question.id] = state
        if self.is_mounted and self.option_count:
            self.replace_option_prompt(question.id, self._option_prompt(question))

    def show_question(self, question_id: str) -> None:
        """Move the highlight to a question (without jumping)."""
        try:
            self.highlighted = self.get_option_index(question_id)
        except Exception:  # an id the rail does not hold (a guide without that question)
            return

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Jumped(event.option.id))
