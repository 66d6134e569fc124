"""The one visibility filter: what a reader may see of an interview, applied before anything is built.

Every shareable output (packs, search, who, map, gaps, topics, store-wide relabelling) reads
through :class:`Reader`: in Python over loaded rows (:func:`view`), or in SQL over the answer
table (:meth:`Reader.answer_sql`). A confidential answer, and a skipped answer's leftover text,
never reach a shareable reader, directly or through what is derived from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from retain.domain.types import SHAREABLE


class Marked(Protocol):
    """What the rule reads of an answer: its visibility, and whether it was skipped."""

    @property
    def visibility(self) -> str: ...
    @property
    def skipped(self) -> bool: ...


class Shown(Marked, Protocol):
    """What the filter reads of an answer."""

    @property
    def id(self) -> int | None: ...
    @property
    def question_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def items(self) -> list[dict[str, str]]: ...


class Derived(Protocol):
    """A row derived from one answer's text: a mention or an answer-level topic."""

    @property
    def answer_id(self) -> int | None: ...


@dataclass(frozen=True)
class Reader:
    """Who reads: a shareable reader (the default), or HR with ``--include-confidential``.

    Attributes:
        include_confidential: Confidential answers are shown, each clearly labelled.
    """

    include_confidential: bool = False

    def may_see(self, answer: Marked) -> bool:
        """Whether the answer appears at all (a skipped one as a skip, without its text)."""
        return self.include_confidential or answer.visibility == SHAREABLE

    def may_read(self, answer: Marked) -> bool:
        """Whether the answer's text, and what was extracted from it, may be used.

        A skip withholds the text typed before it from every shareable reader; the
        interviewer's own (confidential) view still finds it.
        """
        return self.may_see(answer) and (self.include_confidential or not answer.skipped)

    def answer_sql(self, alias: str = "a") -> str:
        """The same rule as :meth:`may_read`, as SQL over ``answer <alias>`` (``""`` if none).

        A whitelist: anything not explicitly shareable stays out. It starts with `` AND ``.
        """
        if self.include_confidential:
            return ""
        return f" AND {alias}.visibility = '{SHAREABLE}' AND NOT {alias}.skipped"


SHAREABLE_READER = Reader()
HR_READER = Reader(include_confidential=True)


def reader_for(include_confidential: bool) -> Reader:
    """The reader for a ``--include-confidential`` flag."""
    return HR_READER if include_confidential else SHAREABLE_READER


def is_confidential(answer: Marked) -> bool:
    """Anything not explicitly shareable counts as confidential."""
    return answer.visibility != SHAREABLE


A = TypeVar("A", bound=Shown)
D = TypeVar("D", bound=Derived)
T = TypeVar("T")


@dataclass(frozen=True)
class View(Generic[A, D]):
    """The part of one interview a reader may see.

    Attributes:
        reader: Who reads.
        answers: The answers the reader may see (skips included, as skips).
        readable: Those whose text may be used (not skipped, for a shareable reader).
        withheld: Question ids of the answers hidden from this reader.
        mentions: Mentions of readable answers only.
        confidential_ids: Ids of visible answers that are confidential.
    """

    reader: Reader
    answers: list[A]
    readable: list[A]
    withheld: frozenset[str]
    mentions: list[D]
    confidential_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def readable_ids(self) -> frozenset[int]:
        """Ids of the answers whose text may be used."""
        return frozenset(a.id for a in self.readable if a.id is not None)

    @property
    def shareable(self) -> list[A]:
        """The readable answers that are shareable (what others may learn from)."""
        return [a for a in self.readable if not is_confidential(a)]

    def derived(self, rows: Iterable[T], answer_of: Callable[[T], int | None]) -> list[T]:
        """Rows derived from readable answers only (topics, mentions of another query)."""
        ids = self.readable_ids
        return [row for row in rows if answer_of(row) in ids]


def view(answers: Sequence[A], mentions: Sequence[D], reader: Reader) -> View[A, D]:
    """Filter one interview's answers and mentions for ``reader``.

    Args:
        answers: Every answer of the interview.
        mentions: Every mention extracted from them.
        reader: Who reads.
    """
    shown = [a for a in answers if reader.may_see(a)]
    readable = [a for a in shown if reader.may_read(a)]
    withheld = frozenset(a.question_id for a in answers if not reader.may_see(a))
    ids = {a.id for a in readable}
    return View(
        reader=reader,
        answers=shown,
        readable=readable,
        withheld=withheld,
        mentions=[m for m in mentions if m.answer_id in ids],
        confidential_ids=frozenset(a.id for a in shown if a.id is not None and is_confidential(a)),
    )


__all__ = [
    "HR_READER", "SHAREABLE_READER", "Derived", "Marked", "Reader", "Shown", "View", "is_confidential",
    "reader_for", "view",
]
