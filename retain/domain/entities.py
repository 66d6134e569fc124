"""Entity grouping: mentions of one thing, by normalised key and label, under their usual spelling."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


class MentionLike(Protocol):
    """What grouping reads of a mention (a stored row or a SQL result row)."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def text(self) -> str: ...


M = TypeVar("M", bound=MentionLike)


@dataclass(frozen=True)
class EntityGroup(Generic[M]):
    """One entity: its key and label, the spelling used most, and every mention of it."""

    key: str
    label: str
    text: str
    mentions: list[M]

    @property
    def count(self) -> int:
        """How many times it is mentioned."""
        return len(self.mentions)


def usual_spelling(texts: Iterable[str]) -> str:
    """The most common spelling (the first seen wins a tie)."""
    return Counter(texts).most_common(1)[0][0]


def group_mentions(
    mentions: Iterable[M],
    *,
    skip_labels: frozenset[str] = frozenset(),
    key: Callable[[M], str] | None = None,
) -> list[EntityGroup[M]]:
    """Group mentions by ``(key, label)``, in first-seen order.

    Args:
        mentions: The mentions.
        skip_labels: Labels left out (counts, ordinals: noise to a reader).
        key: How to key a mention; its stored normalised key by default.
    """
    groups: dict[tuple[str, str], list[M]] = {}
    for mention in mentions:
        if mention.label in skip_labels:
            continue
        k = key(mention) if key is not None else mention.key
        if k:
            groups.setdefault((k, mention.label), []).append(mention)
    return [
        EntityGroup(k, label, usual_spelling(m.text for m in group), group)
        for (k, label), group in groups.items()
    ]


__all__ = ["EntityGroup", "MentionLike", "group_mentions", "usual_spelling"]
