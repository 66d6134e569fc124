"""Gap analysis: what an interview still misses, each with a follow-up question (no LLM)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from retain.guides.schema import Guide
from retain.store.models import Answer, Mention


@dataclass(frozen=True)
class Gap:
    """One thing missing from an interview, and the question that would fill it."""

    kind: str
    message: str
    follow_up: str
    question: str | None = None
    item: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape used in ``interview show --json``."""
        return asdict(self)


def find_gaps(guide: Guide, answers: Sequence[Answer], mentions: Sequence[Mention]) -> list[Gap]:
    """Deterministic gaps for one interview.

    Args:
        guide: The interview's guide snapshot.
        answers: Its answers.
        mentions: Entities extracted from its answers (may be empty before extraction).

    Returns:
        Gaps in guide order, each with a suggested follow-up question.
    """
    by_question = {a.question_id: a for a in answers}
    gaps: list[Gap] = []
    for _, question in guide.questions():
        answer = by_question.get(question.id)
        filled = answer is not None and (answer.skipped or answer.text.strip() or answer.items)
        if question.required and not filled:
            gaps.append(
                Gap(
                    kind="required_unanswered",
                    message=f"Required question {question.id!r} is unanswered.",
                    follow_up=question.prompt,
                    question=question.id,
                )
            )
    return gaps
