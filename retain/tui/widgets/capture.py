"""The live capture panel: entities, rhythms and topics of the current answer, then follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from retain.nlp.resolve import distinct_entities

# Gap kinds whose item can be added as a row of a list question with one key.
ADDABLE = ("system_not_listed", "person_not_in_contacts")

# Gaps the rail already shows (a "!" marker, empty sections), so the live panel leaves them to
# the review screen and keeps its room for what the person just said.
HIDDEN = ("required_unanswered", "empty_pack_section")

LABEL_NAMES = {
    "SYSTEM": "system",
    "PERSON": "person",
    "ORG": "org",
    "RECURRENCE": "rhythm",
    "DATE": "date",
    "EMAIL": "email",
    "URL": "url",
    "GPE": "place",
    "PRODUCT": "product",
    "MONEY": "money",
    "TIME": "time",
}


def gap_prompt(gap: dict[str, Any]) -> Content:
    """One follow-up: an addable item with its key, or the question to ask aloud."""
    if gap.get("kind") in ADDABLE and gap.get("item"):
        return Content.assemble(
            Content.styled("+ ", "bold $text-success"),
            Content(str(gap.get("message") or gap["item"])),
        )
    return Content.assemble(
        Content.styled("? ", "bold $text-accent"),
        Content(str(gap.get("follow_up") or gap.get("message") or "")),
    )


class CapturePanel(VerticalScroll):
    """What extraction found in the answer being typed, and what the interview still misses."""

    class AddRequested(Message):
        """The interviewer asked to add a follow-up's item as a list row."""

        def __init__(self, gap: dict[str, Any]) -> None:
            super().__init__()
            self.gap = gap

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._gaps: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Label("Live capture", classes="pane-title")
        yield Static("", id="capture-status", classes="hint")
        yield Static("", id="capture-entities")
        yield Static("", id="capture-topics")
        yield Label("Follow-ups", classes="pane-title", id="followups-title")
        yield OptionList(id="suggestions")

    def set_status(self, text: str) -> None:
        """A short line about extraction (loading, updated, off)."""
        self.query_one("#capture-status", Static).update(text)

    def show_preview(self, entities: Sequence[tuple[str, str]], topics: Sequence[str]) -> None:
        """Show what was extracted from the current answer, one line per entity."""
        entities = distinct_entities(entities)  # "Kwame" after "Kwame Asante" is one person
        if entities:
            lines = [
                Content.assemble(
                    Content.styled(f"{LABEL_NAMES.get(label, label.lower()):>7} ", "$text-muted"),
                    Content.styled(text, "bold"),
                )
                for text, label in entities
            ]
            body = Content("\n").join(lines)
        else:
            body = Content.styled("nothing named yet", "$text-muted")
        self.query_one("#capture-entities", Static).update(body)
        topic_text = (
            Content.assemble(Content.styled(" topics ", "$text-muted"), Content(", ".join(topics)))
            if topics
            else Content("")
        )
        self.query_one("#capture-topics", Static).update(topic_text)

    def clear_preview(self) -> None:
        """Forget the previous question's extraction."""
        self.query_one("#capture-entities", Static).update("")
        self.query_one("#capture-topics", Static).update("")

    @property
    def gaps(self) -> list[dict[str, Any]]:
        """The follow-ups shown, in order."""
        return list(self._gaps)

    def show_gaps(self, gaps: Sequence[dict[str, Any]]) -> None:
        """Show the interview's follow-ups: addable items first, then questions to ask.

        Unanswered required questions are left out: the outline rail marks them already.
        """
        ordered = [g for g in gaps if g.get("kind") in ADDABLE and g.get("item")]
        ordered += [g for g in gaps if g not in ordered and g.get("kind") not in HIDDEN]
        if ordered == self._gaps:
            return
        self._gaps = ordered
        suggestions = self.query_one("#suggestions", OptionList)
        highlighted = suggestions.highlighted
        suggestions.set_options(Option(gap_prompt(g), id=str(n)) for n, g in enumerate(ordered))
        if ordered:
            suggestions.highlighted = min(highlighted or 0, len(ordered) - 1)
        # The footer says "^l Add follow-up"; a "+" marks the follow-ups it can add.
        self.query_one("#followups-title", Label).update(f"Follow-ups ({len(ordered)})")

    def first_addable(self) -> dict[str, Any] | None:
        """The highlighted follow-up if it can be added, else the first that can."""
        suggestions = self.query_one("#suggestions", OptionList)
        index = suggestions.highlighted
        if index is not None and index < len(self._gaps) and self._gaps[index].get("kind") in ADDABLE:
            return self._gaps[index]
        return next((g for g in self._gaps if g.get("kind") in ADDABLE and g.get("item")), None)

    @on(OptionList.OptionSelected, "#suggestions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        gap = self._gaps[int(event.option.id or 0)]
        if gap.get("kind") in ADDABLE and gap.get("item"):
            self.post_message(self.AddRequested(gap))
        else:
            self.notify(str(gap.get("follow_up") or gap.get("message")), title="Ask aloud")
