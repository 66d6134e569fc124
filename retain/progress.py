"""Interview progress: what counts as answered, skipped, and required but missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retain.guides.schema import Guide
from retain.store.models import Answer


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


def is_answered(answer: Answer) -> bool:
    """Whether an answer holds text or list rows (a skip is not an answer)."""
    return bool(answer.text.strip() or answer.items)


def compute_progress(
    guide: Guide, answers: Sequence[Answer], excused: frozenset[str] | set[str] = frozenset()
) -> Progress:
    """Count answered, skipped and missing-required questions.

    Args:
        guide: The interview's guide snapshot.
        answers: Its answers.
        excused: Question ids never reported as missing (e.g. answered, but withheld from a pack).
    """
    by_question = {a.question_id: a for a in answers}
    answered = skipped = 0
    missing: list[str] = []
    for _, question in guide.questions():
        answer = by_question.get(question.id)
        if answer is not None and answer.skipped:
            skipped += 1
        elif answer is not None and is_answered(answer):
            answered += 1
        elif question.required and question.id not in excused:
            missing.append(question.id)
    return Progress(answered, skipped, len(guide.questions()), missing)
