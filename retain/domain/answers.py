"""Answers: what counts as answered or done, and the flattened body search and extraction read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol


class AnswerLike(Protocol):
    """What the rules need of an answer (the stored row, a draft, or a sample)."""

    @property
    def text(self) -> str: ...
    @property
    def items(self) -> list[dict[str, str]]: ...
    @property
    def skipped(self) -> bool: ...


def has_content(text: str, items: Iterable[Mapping[str, str]] | None) -> bool:
    """Whether text or list rows were given (whitespace alone is nothing)."""
    return bool(text.strip() or list(items or ()))


def is_answered(answer: AnswerLike | None) -> bool:
    """Whether an answer holds text or list rows (a skip is not an answer; see :func:`is_done`)."""
    return answer is not None and has_content(answer.text, answer.items)


def is_filled(answer: AnswerLike | None) -> bool:
    """Answered and not skipped: a deliberate skip wins over half-typed text."""
    return answer is not None and not answer.skipped and is_answered(answer)


def is_done(answer: AnswerLike | None) -> bool:
    """Answered or deliberately skipped: nothing more to ask."""
    return answer is not None and (answer.skipped or is_answered(answer))


def flatten(text: str, items: Iterable[Mapping[str, str]]) -> str:
    """Flatten an answer: the text, then one line per list row with its values."""
    rows = ["; ".join(v for v in item.values() if v) for item in items]
    return "\n".join(part for part in [text, *rows] if part)


__all__ = ["AnswerLike", "flatten", "has_content", "is_answered", "is_done", "is_filled"]
