"""The question card: section intro, prompt, interviewer help and probes to read aloud."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from retain.guides.schema import Question, Section

TYPE_HINTS = {
    "text": "free text",
    "short": "short answer",
    "choice": "choose one",
    "scale": "score 1 to 5",
    "yesno": "yes or no",
    "date": "a date",
    "list": "a list: one row each",
}


def card_content(section: Section, question: Question, number: int, total: int, *,
                 show_intro: bool) -> Content:
    """The card's text: literal guide text, styled with theme variables only.

    The prompt comes first so it is always on screen; the section intro (shown on entering a
    section) comes last, for the interviewer to glance at.
    """
    meta = f"{section.title} · question {number} of {total} · {TYPE_HINTS.get(question.type, question.type)}"
    if question.required:
        meta += " · required"
    parts: list[Content] = [
        Content.assemble(Content.styled(meta, "$text-muted"), "\n",
                         Content.styled(question.prompt, "bold $text-primary")),
    ]
    if question.help:
        parts.append(Content.assemble(Content.styled("Help: ", "bold $text-muted"),
                                      Content.styled(" ".join(question.help.split()), "$text-muted")))
    if question.probes:
        probes = [Content.styled("Probes, to read aloud:", "bold $text-accent")]
        probes += [Content.assemble(Content.styled(" › ", "$text-accent"), Content(probe))
                   for probe in question.probes]
        parts.append(Content("\n").join(probes))
    if show_intro and section.intro:
        parts.append(Content.assemble(Content.styled("About this section: ", "bold $text-muted"),
                                      Content.styled(" ".join(section.intro.split()), "italic $text-muted")))
    return Content("\n\n").join(parts)


class QuestionCard(Static):
    """Shows the current question."""

    def show(self, section: Section, question: Question, number: int, total: int, *,
             show_intro: bool) -> None:
        """Display a question."""
        self.update(card_content(section, question, number, total, show_intro=show_intro))
