"""Answer editors, one per question type; each reports edits with an ``AnswerEditor.Edited`` message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, RadioButton, RadioSet, TextArea
from textual.widgets.text_area import Edit, EditResult

from retain.guides.schema import Question
from retain.tui.widgets.cells import one_line


class AnswerEditor(Vertical):
    """Base class: holds the editor of one question and reports every change."""

    class Edited(Message):
        """The answer changed; ``immediate`` asks for a save now rather than after a pause."""

        def __init__(self, editor: AnswerEditor, text: str | None, items: list[dict[str, str]] | None,
                     *, immediate: bool = False) -> None:
            super().__init__()
            self.editor = editor
            self.text = text
            self.items = items
            self.immediate = immediate

    def __init__(self, question: Question, text: str, items: list[dict[str, str]]) -> None:
        super().__init__(classes="answer-editor")
        self.question = question
        self._initial_text = text
        self._items = [dict(item) for item in items]
        # Called with (question id, text) as each edit lands, before ``Edited`` is delivered.
        self.drafted: Callable[[str, str], None] | None = None

    @property
    def text(self) -> str | None:
        """The current text (``None`` for list questions)."""
        return self._initial_text

    @property
    def items(self) -> list[dict[str, str]] | None:
        """The current rows (``None`` unless a list question)."""
        return None

    def focus_editor(self) -> None:
        """Put the cursor in the editor."""
        focusable = [w for w in self.query("*") if isinstance(w, Widget) and w.can_focus]
        if focusable:
            focusable[0].focus()

    def _edited(self, *, immediate: bool = False) -> None:
        self.post_message(self.Edited(self, self.text, self.items, immediate=immediate))


class DraftingTextArea(TextArea):
    """A TextArea that hands its text to ``drafted`` the moment an edit is applied.

    Its ``Changed`` message queues behind the keys still waiting in the same queue, so under
    a burst of typing (or a busy machine) the screen would hear about the first key only
    after the last one. The draft queue is plain, thread-safe Python: handing it the text
    straight from the edit lets the autosave thread write it within its deadline anyway.
    """

    drafted: Callable[[str], None] | None = None

    def edit(self, edit: Edit) -> EditResult:
        """Apply an edit, then hand the new text on."""
        result = super().edit(edit)
        if self.drafted is not None:
            self.drafted(self.text)
        return result


class TextEditor(AnswerEditor):
    """A multi-line text area for ``text`` questions."""

    def compose(self) -> ComposeResult:
        self._area = DraftingTextArea(self._initial_text, id="answer-text", soft_wrap=True,
                                      placeholder="Type the answer…")
        self._area.drafted = self._draft
        yield self._area

    def _draft(self, text: str) -> None:
        if self.drafted is not None:
            self.drafted(self.question.id, text)

    @property
    def text(self) -> str:
        """The text as typed (readable even after the editor was unmounted, e.g. on quit)."""
        area = getattr(self, "_area", None)
        return area.text if area is not None else self._initial_text or ""

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._edited()

    def reuse(self, question: Question, text: str) -> None:
        """Show another text question in this same editor.

        Most questions are free text: keeping one TextArea (and its focus) saves re-styling a
        new widget and re-building the footer on every move.
        """
        self.question = question
        self._initial_text = text
        area = self._area
        area.load_text(text)
        area.move_cursor(area.document.end)
        area.scroll_home(animate=False)


class ShortEditor(AnswerEditor):
    """A one-line input for ``short`` questions."""

    def compose(self) -> ComposeResult:
        self._input = Input(self._initial_text, id="answer-short", placeholder="Type the answer…")
        yield self._input

    @property
    def text(self) -> str:
        """The text as typed."""
        field = getattr(self, "_input", None)
        return field.value if field is not None else self._initial_text or ""

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._edited()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._edited(immediate=True)


def _valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


class DateEditor(AnswerEditor):
    """A validated ``YYYY-MM-DD`` input: only a valid date (or nothing) is saved."""

    def compose(self) -> ComposeResult:
        self._input = Input(
            self._initial_text,
            id="answer-date",
            placeholder="YYYY-MM-DD",
            restrict=r"[0-9-]*",
            max_length=10,
            validators=[Function(_valid_date, "use a date such as 2025-06-30 (YYYY-MM-DD)")],
            valid_empty=True,
        )
        yield self._input
        yield Label("", id="date-error", classes="field-error", markup=False)

    @property
    def text(self) -> str:
        """The date as typed, or the last valid one: a half-typed date is never saved."""
        field = getattr(self, "_input", None)
        if field is None:
            return self._initial_text or ""
        return field.value if not field.value or _valid_date(field.value) else self._initial_text or ""

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        result = event.validation_result
        error = self.query_one("#date-error", Label)
        if result is not None and not result.is_valid:
            error.update(result.failure_descriptions[0] if result.failure_descriptions else "not a date")
            return
        error.update("")
        self._initial_text = event.value
        self._edited()


class ChoiceButton(RadioButton):
    """A radio button whose glyph says chosen or not (colour is never the only difference);
    its label wraps at word boundaries instead of being cut mid-word."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # the name Textual reads
        """A dot when chosen, a blank when not."""
        return "●" if self.value else " "

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the wrapped label needs (a toggle button is one line otherwise)."""
        return max(1, len(self.render().wrap(max(width, 1))))


class ChoiceEditor(AnswerEditor):
    """Radio buttons for ``choice``, ``scale`` (1 to 5) and ``yesno`` questions."""

    BINDINGS = [
        Binding("1", "pick(0)", show=False),
        Binding("2", "pick(1)", show=False),
        Binding("3", "pick(2)", show=False),
        Binding("4", "pick(3)", show=False),
        Binding("5", "pick(4)", show=False),
        Binding("y", "pick_value('yes')", show=False),
        Binding("n", "pick_value('no')", show=False),
    ]

    def __init__(self, question: Question, text: str, items: list[dict[str, str]]) -> None:
        super().__init__(question, text, items)
        if question.type == "scale":
            self.choices = ["1", "2", "3", "4", "5"]
            self.labels = ["1  (low)", "2", "3", "4", "5  (high)"]
        elif question.type == "yesno":
            self.choices = ["yes", "no"]
            self.labels = ["Yes (y)", "No (n)"]
        else:
            self.choices = list(question.options)
            self.labels = [f"{n}. {option}" if n <= 5 else option
                           for n, option in enumerate(self.choices, start=1)]

    def compose(self) -> ComposeResult:
        current = (self._initial_text or "").casefold()
        self._buttons = [ChoiceButton(Content(label), value=option.casefold() == current)
                         for option, label in zip(self.choices, self.labels, strict=True)]
        with RadioSet(id="answer-choice", classes=f"-{self.question.type}"):
            yield from self._buttons

    @property
    def text(self) -> str:
        """The chosen option ('' when nothing is chosen)."""
        buttons = getattr(self, "_buttons", None)
        if buttons is None:
            return self._initial_text or ""
        return next((option for option, b in zip(self.choices, buttons, strict=True) if b.value), "")

    @on(RadioSet.Changed)
    def _changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._edited(immediate=True)

    def action_pick(self, index: int) -> None:
        """Choose the option at ``index`` (keys 1 to 5)."""
        if 0 <= index < len(self.choices):
            self._buttons[index].value = True

    def action_pick_value(self, value: str) -> None:
        """Choose an option by value (y and n on yes/no questions)."""
        if value in self.choices:
            self.action_pick(self.choices.index(value))


class ListEditor(AnswerEditor):
    """An editable table for ``list`` questions: add, edit and delete rows through a form."""

    BINDINGS = [
        Binding("a,insert", "add_row", "Add row"),
        Binding("e", "edit_row", "Edit row", show=False),
        Binding("delete,d", "delete_row", "Delete row"),
    ]

    class RowRequested(Message):
        """The editor wants the row form: ``index`` is None for a new row."""

        def __init__(self, editor: ListEditor, index: int | None) -> None:
            super().__init__()
            self.editor = editor
            self.index = index

    def compose(self) -> ComposeResult:
        yield DataTable(id="answer-list", cursor_type="row", zebra_stripes=True)
        # The highlighted row in full, wrapped: the columns fit the width, so cells are cut.
        yield Label("", id="list-row", classes="list-row", markup=False)
        yield Label("a add a row · enter edit · d delete", classes="hint", id="list-hint")

    def on_mount(self) -> None:
        self._widths: list[int] = []
        self._fit(self.size.width)
        self._fill()

    def on_resize(self) -> None:
        if self._fit(self.size.width):
            self._fill(self.selected_index())

    def _fit(self, width: int) -> bool:
        """Share the width out over the columns, so every column is on screen (no sideways
        scrolling one character per key). Returns whether the widths changed."""
        fields = self.question.fields
        # Two cells of cell padding per column, the border and the scroll bar.
        free = max(width - 2 * len(fields) - 4, 4 * len(fields))
        widths = [free // len(fields)] * len(fields) if fields else []
        if widths == self._widths:
            return False
        self._widths = widths
        table = self.query_one("#answer-list", DataTable)
        table.clear(columns=True)
        for field, size in zip(fields, widths, strict=True):
            table.add_column(one_line(field.title + (" *" if field.required else ""), size), key=field.id,
                             width=size)
        return True

    def _fill(self, cursor: int | None = None) -> None:
        table = self.query_one("#answer-list", DataTable)
        table.clear()
        widths = self._widths or [40] * len(self.question.fields)
        for index, item in enumerate(self._items):
            # Text, not str: DataTable would read "[...]" in an answer as markup.
            table.add_row(*(Text(one_line(item.get(f.id, ""), size))
                            for f, size in zip(self.question.fields, widths, strict=True)), key=str(index))
        if cursor is not None and self._items:
            table.move_cursor(row=min(cursor, len(self._items) - 1))
        empty = "no rows yet: " if not self._items else ""
        self.query_one("#list-hint", Label).update(f"{empty}a add a row · enter edit · d delete")
        self._show_row()

    @on(DataTable.RowHighlighted)
    def _show_row(self) -> None:
        index = self.selected_index()
        label = self.query_one("#list-row", Label)
        if index is None or index >= len(self._items):
            label.update("")
            label.display = False
            return
        item = self._items[index]
        label.update(" · ".join(f"{f.title}: {item[f.id]}" for f in self.question.fields if item.get(f.id)))
        label.display = True

    @property
    def text(self) -> None:
        """List questions have no free text."""
        return None

    @property
    def items(self) -> list[dict[str, str]]:
        """The rows."""
        return [dict(item) for item in self._items]

    def set_items(self, items: list[dict[str, str]], *, cursor: int | None = None) -> None:
        """Replace the rows (after a save or a suggestion was added) without reporting an edit."""
        self._items = [dict(item) for item in items]
        if self.is_mounted:
            self._fill(cursor)

    def apply_row(self, index: int | None, row: dict[str, str]) -> None:
        """Add (``index`` None) or replace a row, and report the edit for an immediate save."""
        if index is None:
            self._items.append(dict(row))
            cursor = len(self._items) - 1
        else:
            self._items[index] = dict(row)
            cursor = index
        self._fill(cursor)
        self._edited(immediate=True)

    def delete_row(self, index: int) -> None:
        """Remove a row and report the edit for an immediate save."""
        if 0 <= index < len(self._items):
            del self._items[index]
            self._fill(index)
            self._edited(immediate=True)

    def selected_index(self) -> int | None:
        """The row under the cursor."""
        table = self.query_one("#answer-list", DataTable)
        return table.cursor_row if self._items and table.row_count else None

    def action_add_row(self) -> None:
        """Ask for a new row."""
        self.post_message(self.RowRequested(self, None))

    def action_edit_row(self) -> None:
        """Edit the row under the cursor."""
        index = self.selected_index()
        if index is not None:
            self.post_message(self.RowRequested(self, index))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_row()

    def action_delete_row(self) -> None:
        """Delete the row under the cursor (the screen asks first)."""
        index = self.selected_index()
        if index is not None:
            self.post_message(self.RowDeleteRequested(self, index))

    class RowDeleteRequested(Message):
        """The editor wants to delete a row, once confirmed."""

        def __init__(self, editor: ListEditor, index: int) -> None:
            super().__init__()
            self.editor = editor
            self.index = index


def make_editor(question: Question, text: str, items: list[dict[str, str]]) -> AnswerEditor:
    """The editor that fits a question's type."""
    kinds: dict[str, type[AnswerEditor]] = {
        "text": TextEditor,
        "short": ShortEditor,
        "date": DateEditor,
        "choice": ChoiceEditor,
        "scale": ChoiceEditor,
        "yesno": ChoiceEditor,
        "list": ListEditor,
    }
    return kinds.get(question.type, TextEditor)(question, text, items)
