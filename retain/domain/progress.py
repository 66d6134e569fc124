"""Interview progress: what counts as answered, skipped, and required but missing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from retain.domain.answers import AnswerLike, is_answered
from retain.domain.types import JsonObject
from retain.guides.sections import HR_SECTIONS, PACK_SECTIONS

if TYPE_CHECKING:  # the schema (pydantic) is only a type here; listings count without it
    from retain.guides.schema import Guide


class Counted(AnswerLike, Protocol):
    """What progress reads of an answer."""

    @property
    def question_id(self) -> str: ...


@dataclass(frozen=True)
class CountedAnswer:
    """An answer as counting reads it, for callers that hold no stored row (a listing, the live screen)."""

    question_id: str
    text: str
    items: list[dict[str, str]]
    skipped: bool


class Asked(Protocol):
    """What counting reads of a question: a guide's, or one read from a stored snapshot."""

    @property
    def id(self) -> str: ...
    @property
    def required(self) -> bool: ...


@dataclass(frozen=True)
class Progress:
    """How far an interview has got."""

    answered: int
    skipped: int
    total: int
    required_missing: list[str]

    @property
    def done(self) -> int:
        """Questions answered or deliberately skipped."""
        return self.answered + self.skipped


@dataclass(frozen=True)
class Coverage:
    """How well one pack section is fed by the interview's answers."""

    key: str
    title: str
    total: int
    answered: int
    skipped: int

    @property
    def open(self) -> int:
        """Questions neither answered nor skipped."""
        return self.total - self.answered - self.skipped

    def to_json(self) -> JsonObject:
        """The JSON shape used in the interview report."""
        return {"key": self.key, "title": self.title, "total": self.total, "answered": self.answered,
                "skipped": self.skipped, "open": self.open}


def compute_progress(
    guide: Guide, answers: Sequence[Counted], excused: frozenset[str] | set[str] = frozenset()
) -> Progress:
    """Count answered, skipped and missing-required questions.

    Args:
        guide: The interview's guide snapshot.
        answers: Its answers.
        excused: Question ids never reported as missing (e.g. answered, but withheld from a pack).
    """
    by_question = {a.question_id: a for a in answers}
    return _count([q for _, q in guide.questions()], by_question, excused)


def count_progress(questions: Iterable[Asked], answers: Sequence[Counted]) -> Progress:
    """:func:`compute_progress` over questions given directly (``retain.guides.outline``'s)."""
    return _count(questions, {a.question_id: a for a in answers})


def pack_coverage(guide: Guide, answers: Sequence[Counted]) -> list[Coverage]:
    """Questions per pack section (handover or HR sections, by track), and how many are done."""
    sections = HR_SECTIONS if guide.track == "exit" else PACK_SECTIONS
    by_question = {a.question_id: a for a in answers}
    rows: list[Coverage] = []
    for key, title in [*sections.items(), ("", "Not in any pack section")]:
        questions = [q for _, q in guide.questions() if (q.pack or "") == key]
        if questions:
            counted = _count(questions, by_question)
            rows.append(Coverage(key, title, counted.total, counted.answered, counted.skipped))
    return rows


def _count(
    questions: Iterable[Asked],
    by_question: Mapping[str, Counted],
    excused: frozenset[str] | set[str] = frozenset(),
) -> Progress:
    answered = skipped = total = 0
    missing: list[str] = []
    for question in questions:
        total += 1
        answer = by_question.get(question.id)
        if answer is not None and answer.skipped:
            skipped += 1
        elif answer is not None and is_answered(answer):
            answered += 1
        elif question.required and question.id not in excused:
            missing.append(question.id)
    return Progress(answered, skipped, total, missing)
