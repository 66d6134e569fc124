"""One successor follow-up as a pack shows it: its shareable answers, in guide order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from retain.domain.answers import is_answered
from retain.domain.visibility import SHAREABLE_READER
from retain.packs.records import StoredAnswer

if TYPE_CHECKING:
    from retain.guides.schema import Guide


class FollowupAnswer(StoredAnswer, Protocol):
    """What a finding reads of a follow-up answer: a stored answer with its prompt."""

    @property
    def prompt(self) -> str: ...


def followup_finding(followup_id: int, day: int | None, guide: Guide, answers: Iterable[FollowupAnswer],
                     person: Callable[[], str]) -> dict[str, Any] | None:
    """One entry of ``successor_findings``, or ``None`` when the follow-up has no shareable answer.

    Args:
        followup_id: The follow-up interview.
        day: Its day (30, 60, 90).
        guide: Its guide snapshot (the pydantic guide or :func:`retain.packs.guide_view.as_guide`).
        answers: Every answer of the follow-up, in id order.
        person: The successor's name, looked up only when there is something to show.
    """
    # The invariant: a confidential follow-up answer never reaches the pack.
    shown = [a for a in answers if SHAREABLE_READER.may_read(a) and is_answered(a)]
    if not shown:
        return None
    purposes = guide.purposes()
    order = {q.id: n for n, (_, q) in enumerate(guide.questions(), start=1)}
    shown.sort(key=lambda a: order.get(a.question_id, len(order) + 1))
    return {
        "id": followup_id,
        "day": day,
        "person": person(),
        "answers": [
            {
                "question": a.question_id,
                "number": order.get(a.question_id),
                "prompt": a.prompt,
                "text": a.text,
                "items": a.items,
                "purpose": purposes.get(a.question_id),
            }
            for a in shown
        ],
    }


__all__ = ["FollowupAnswer", "followup_finding"]
