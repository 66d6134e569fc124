"""Topic evidence: an interview-level topic may be shown only if an answer the reader may read says it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from retain.domain.answers import flatten
from retain.domain.visibility import Shown


class TopicLike(Protocol):
    """What evidence reads of a topic row."""

    @property
    def answer_id(self) -> int | None: ...
    @property
    def phrase(self) -> str: ...


class Said(Shown, Protocol):
    """An answer with its flattened body."""

    @property
    def body(self) -> str: ...


@dataclass(frozen=True)
class TopicEvidence:
    """What a set of answers says: their answer-level phrases and their text, casefolded."""

    phrases: frozenset[str]
    corpus: str

    @classmethod
    def of(cls, answers: Sequence[Said], topics: Iterable[TopicLike]) -> TopicEvidence:
        """The evidence of ``answers`` (the reader's readable answers, or a part of them)."""
        ids = {a.id for a in answers}
        return cls(
            frozenset(t.phrase.casefold() for t in topics if t.answer_id is not None and t.answer_id in ids),
            "\n".join(a.body or flatten(a.text, a.items) for a in answers).casefold(),
        )

    def shows(self, phrase: str) -> bool:
        """Whether these answers say ``phrase``."""
        folded = phrase.casefold()
        return folded in self.phrases or folded in self.corpus


__all__ = ["Said", "TopicEvidence", "TopicLike"]
