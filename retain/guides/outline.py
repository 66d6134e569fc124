"""A stored guide snapshot read as plain data (question ids, required, purpose), without pydantic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionOutline:
    """What listings read of a snapshot's question: enough to count progress and find purposes."""

    id: str
    required: bool = False
    purpose: str | None = None


def snapshot_questions(snapshot: object) -> list[QuestionOutline]:
    """Every question of a guide snapshot, in interview order, as ``Guide.questions()`` lists them.

    Snapshots are written from a validated guide (``Guide.model_dump``), so reading the few
    fields a listing needs straight from the JSON gives what validating the whole guide would,
    at a fraction of the cost (pydantic's import alone is ~0.1 s of a command's start).
    """
    if not isinstance(snapshot, Mapping):
        return []
    found: list[QuestionOutline] = []
    for section in snapshot.get("sections") or ():
        if not isinstance(section, Mapping):
            continue
        for question in section.get("questions") or ():
            if not isinstance(question, Mapping) or not isinstance(question.get("id"), str):
                continue
            purpose = question.get("purpose")
            found.append(QuestionOutline(
                id=question["id"],
                required=bool(question.get("required", False)),
                purpose=purpose if isinstance(purpose, str) and purpose else None,
            ))
    return found


def snapshot_purposes(snapshot: object) -> dict[str, str]:
    """Question id -> purpose for the questions that declare one (``Guide.purposes()``)."""
    return {q.id: q.purpose for q in snapshot_questions(snapshot) if q.purpose}


__all__ = ["QuestionOutline", "snapshot_purposes", "snapshot_questions"]
